-- The event relay publishes the log in id order and must never pass an id whose transaction may
-- still commit. A reader that sees id N committed and id G < N missing waits until every
-- transaction that was running when it looked has ended; then G is either visible or never will
-- be. That only holds if the holder of G had its transaction id before it drew G, so the id
-- default takes the transaction id first (pg_current_xact_id assigns one when there is none).
-- The sequence is named with its schema: callers' search_path is not this function's business.
CREATE FUNCTION next_event_id() RETURNS bigint
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_current_xact_id();
    RETURN nextval('"${flyway:defaultSchema}".events_id_seq');
END
$$;

ALTER TABLE events ALTER COLUMN id SET DEFAULT next_event_id();

-- Wakes relays on every instance when events commit (NOTIFY is delivered at commit, and only
-- then). One notification per statement; the relay reads the log itself, the payload is empty.
-- The channel carries the schema, so that several Baton schemas on one database stay apart.
CREATE FUNCTION notify_events_appended() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('baton_events_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END
$$;

CREATE TRIGGER events_appended AFTER INSERT ON events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_events_appended();

-- The highest id removed by retention. A reader resuming below it has missed events for good and
-- is told to reload (a reset), rather than silently given a partial history.
CREATE TABLE events_retention (
    singleton       boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    pruned_through  bigint      NOT NULL DEFAULT 0
);
INSERT INTO events_retention DEFAULT VALUES;

-- A customer's message stored from a webhook but not yet in its conversation's debounce buffer
-- (Redis). The mark is written in the statement that stores the message, and removed once the
-- message is buffered. If buffering fails after the store (Redis down, a timeout) or the process
-- dies in between, the mark stays: a sweeper buffers marks older than ingest.rebuffer.after_ms,
-- holding each under a lease (lease_until) so that two instances do not both take it. At least
-- once: a mark whose removal was lost is buffered again.
CREATE TABLE awaiting_bot (
    tenant          text        NOT NULL,
    conversation_id text        NOT NULL,
    message_id      text        NOT NULL,
    stored_at       timestamptz NOT NULL,
    lease_until     timestamptz,
    PRIMARY KEY (tenant, conversation_id, message_id)
);

-- The sweeper's scan: the oldest marks first.
CREATE INDEX awaiting_bot_by_age ON awaiting_bot (stored_at);

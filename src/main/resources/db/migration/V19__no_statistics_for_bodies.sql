-- No planner statistics for the columns that only carry bodies: no statement filters, joins or sorts
-- on a message's content or media, or on an event's data. Analyzing them (sorting a sample of JSON
-- documents and long texts) was a third of what an ANALYZE of these two tables cost (bench/RESULTS.md,
-- session 6), and autovacuum analyzes them every few seconds under webhook load: each of those runs
-- takes a core from the webhooks' answers for a moment.
ALTER TABLE messages
    ALTER COLUMN content SET STATISTICS 0,
    ALTER COLUMN media SET STATISTICS 0;
ALTER TABLE events
    ALTER COLUMN data SET STATISTICS 0;

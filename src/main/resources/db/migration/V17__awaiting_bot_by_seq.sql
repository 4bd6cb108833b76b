-- Awaiting-the-bot marks keyed by their message's seq instead of (tenant, conversation, message id).
-- Every webhook message is marked and unmarked within milliseconds, so the table's upkeep is paid per
-- message: a three-text primary key (compared under the collation) and an index on stored_at cost
-- PostgreSQL about a fifth of its CPU per message under load (bench/RESULTS.md, session 5). A bigint
-- key is cheap to insert, find and delete, and the webhook names its marks by number. The sweeper
-- walks the key in seq order (oldest first) and the table holds only marks not yet cleared, so
-- stored_at needs no index.
ALTER TABLE awaiting_bot ADD COLUMN seq bigint;

UPDATE awaiting_bot a SET seq = m.seq
FROM messages m
WHERE m.tenant = a.tenant AND m.conversation_id = a.conversation_id AND m.message_id = a.message_id;

-- A mark whose message is gone has nothing left to buffer.
DELETE FROM awaiting_bot WHERE seq IS NULL;

DROP INDEX awaiting_bot_by_age;
ALTER TABLE awaiting_bot DROP CONSTRAINT awaiting_bot_pkey;
ALTER TABLE awaiting_bot DROP COLUMN tenant, DROP COLUMN conversation_id, DROP COLUMN message_id;
ALTER TABLE awaiting_bot ADD PRIMARY KEY (seq);

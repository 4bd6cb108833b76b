-- Storing a webhook's messages is the hottest write path; two of its costs per message go
-- (PostgreSQL's profile under webhook load, bench/RESULTS.md, session 6).
--
-- 1. Ids are compared byte by byte (collation "C"). Under any other libc collation (C.UTF-8
--    included) every comparison of a text key goes through strcoll, and each stored message
--    compares ids many times over in the key indexes of conversations and messages. Ids have no
--    linguistic order; byte order is also the order Java sorts them in. Only the indexes are rebuilt
--    (the column type is unchanged), under an exclusive lock while it runs.
ALTER TABLE conversations
    ALTER COLUMN tenant TYPE text COLLATE "C",
    ALTER COLUMN conversation_id TYPE text COLLATE "C";
ALTER TABLE messages
    ALTER COLUMN tenant TYPE text COLLATE "C",
    ALTER COLUMN conversation_id TYPE text COLLATE "C",
    ALTER COLUMN message_id TYPE text COLLATE "C";
ALTER TABLE handoffs
    ALTER COLUMN tenant TYPE text COLLATE "C",
    ALTER COLUMN conversation_id TYPE text COLLATE "C";

-- 2. No foreign key from messages to conversations. Its check ran a locking query on the
--    conversation for every message inserted: 7 % of PostgreSQL's CPU under webhook load. Every
--    statement that stores messages creates their conversation first, in the same statement or
--    transaction (PgOperatorStore's APPEND_MESSAGES and ENSURE_CONVERSATION), and conversations are
--    never deleted, so the key held nothing the writers do not already ensure.
ALTER TABLE messages DROP CONSTRAINT messages_conversation_fkey;

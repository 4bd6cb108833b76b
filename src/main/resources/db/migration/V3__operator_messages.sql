-- Operator work: how an agent closed a handoff, and each conversation's timeline.
ALTER TABLE handoffs ADD COLUMN resolution text;

-- A conversation's messages, oldest first by seq. message_id is the channel's or the client's id
-- when it sent one (so a retried send is stored once), else Baton's own.
CREATE TABLE messages (
    seq             bigserial   PRIMARY KEY,
    message_id      text        NOT NULL,
    conversation_id text        NOT NULL REFERENCES conversations,
    speaker         text        NOT NULL CHECK (speaker IN ('user', 'ai', 'agent', 'system')),
    content         text,
    agent_id        text,
    media           jsonb,
    delivery_status text        CHECK (delivery_status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
    created_at      timestamptz NOT NULL,
    UNIQUE (conversation_id, message_id)
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
CREATE INDEX handoffs_pending_by_priority ON handoffs (priority DESC, created_at, handoff_id)
    WHERE status = 'pending';

-- A conversation has exactly one owner at a time. Writers that change ownership or a
-- conversation's handoffs lock its row first, so concurrent requests for one conversation
-- take turns.
CREATE TABLE conversations (
    conversation_id text        PRIMARY KEY,
    user_id         text        NOT NULL,
    owner           text        NOT NULL DEFAULT 'BOT'
                                CHECK (owner IN ('BOT', 'QUEUED', 'AGENT', 'CLOSED')),
    agent_id        text,
    channel         text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL DEFAULT 1
);

CREATE TABLE handoffs (
    handoff_id      text        PRIMARY KEY,
    conversation_id text        NOT NULL REFERENCES conversations,
    user_id         text        NOT NULL,
    kind            text        NOT NULL DEFAULT 'handoff',
    status          text        NOT NULL
                                CHECK (status IN ('pending', 'assigned', 'resolved', 'released', 'cancelled')),
    -- 0 = LOW … 4 = CRITICAL, so that "highest priority first" is an index scan.
    priority        smallint    NOT NULL CHECK (priority BETWEEN 0 AND 4),
    queue           text,
    routing_rule    text,
    assigned_agent  text,
    ticket_id       text,
    ticket_url      text,
    trigger         jsonb,
    tags            jsonb       NOT NULL DEFAULT '[]',
    transcript      jsonb       NOT NULL,
    metadata        jsonb       NOT NULL DEFAULT '{}',
    context         jsonb,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL DEFAULT 1
);

-- At most one active handoff per conversation, whatever the application does.
CREATE UNIQUE INDEX handoffs_one_active_per_conversation
    ON handoffs (conversation_id) WHERE status IN ('pending', 'assigned');

CREATE INDEX handoffs_by_priority_age ON handoffs (priority DESC, created_at, handoff_id);
CREATE INDEX handoffs_by_status ON handoffs (status, priority DESC, created_at);
CREATE INDEX handoffs_by_queue ON handoffs (queue, status);
CREATE INDEX handoffs_by_agent ON handoffs (assigned_agent) WHERE assigned_agent IS NOT NULL;
CREATE INDEX handoffs_by_user ON handoffs (user_id);

-- The ordered event log. "id" comes from a sequence, which hands values out before commit:
-- a reader must not skip past an id whose transaction is still in flight. "tx" records the
-- writing transaction so that readers can compute a safe horizon with pg_snapshot_xmin.
CREATE TABLE events (
    id              bigserial   PRIMARY KEY,
    tx              xid8        NOT NULL DEFAULT pg_current_xact_id(),
    type            text        NOT NULL,
    handoff_id      text,
    conversation_id text,
    queue           text,
    agent_id        text,
    data            jsonb       NOT NULL DEFAULT '{}',
    at              timestamptz NOT NULL
);

CREATE INDEX events_by_handoff ON events (handoff_id, id);
CREATE INDEX events_by_at ON events (at);

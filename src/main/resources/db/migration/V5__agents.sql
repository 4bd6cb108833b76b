-- Agents: who can take handoffs, from which queues, and how many at once.
CREATE TABLE agents (
    agent_id        text        PRIMARY KEY,
    name            text        NOT NULL,
    queues          jsonb       NOT NULL DEFAULT '[]',
    max_concurrent  integer     NOT NULL CHECK (max_concurrent >= 1),
    status          text        NOT NULL CHECK (status IN ('online', 'away', 'offline')),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX handoffs_assigned_by_agent ON handoffs (assigned_agent) WHERE status = 'assigned';

-- The built-in helpdesk's tickets. A ticket opened for a handoff carries its id, unique, so that a
-- retried open finds the ticket it already made instead of making a second one. The timeline
-- (public and internal entries, oldest first) is kept with its ticket: it is always read whole.
CREATE TABLE tickets (
    ticket_id         text        PRIMARY KEY,
    handoff_id        text        UNIQUE,
    status            text        NOT NULL
                                  CHECK (status IN ('new', 'open', 'pending_customer', 'resolved', 'closed')),
    priority          text        NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    assigned_agent_id text,
    customer_id       text        NOT NULL,
    subject           text        NOT NULL,
    tags              jsonb       NOT NULL DEFAULT '[]',
    source            jsonb       NOT NULL DEFAULT '{}',
    customer          jsonb       NOT NULL DEFAULT '{}',
    timeline          jsonb       NOT NULL DEFAULT '[]',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    version           bigint      NOT NULL DEFAULT 1
);

CREATE INDEX tickets_by_created ON tickets (created_at DESC, ticket_id DESC);
CREATE INDEX tickets_by_status ON tickets (status, created_at DESC);
CREATE INDEX tickets_by_agent ON tickets (assigned_agent_id, created_at DESC) WHERE assigned_agent_id IS NOT NULL;
CREATE INDEX tickets_by_customer ON tickets (customer_id, created_at DESC);

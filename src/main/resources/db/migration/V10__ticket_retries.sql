-- Handoffs whose helpdesk ticket is still to be made. A row is written when an attempt fails (or
-- found by the sweep for a handoff that an instance left without a ticket); workers on every
-- instance claim due rows with FOR UPDATE SKIP LOCKED and push next_attempt_at forward while they
-- call, so one attempt runs at a time per handoff. Made tickets delete their row; a handoff that
-- used up its attempts keeps status 'failed'.
CREATE TABLE ticket_retries (
    handoff_id      text        PRIMARY KEY REFERENCES handoffs,
    status          text        NOT NULL CHECK (status IN ('retrying', 'failed')),
    attempts        integer     NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    updated_at      timestamptz NOT NULL
);

CREATE INDEX ticket_retries_due ON ticket_retries (next_attempt_at) WHERE status = 'retrying';
-- The sweep looks for active handoffs without a ticket.
CREATE INDEX handoffs_without_ticket ON handoffs (created_at) WHERE ticket_id IS NULL AND status IN ('pending', 'assigned');

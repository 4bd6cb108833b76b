-- Automatic assignment and escalation.
--   assigned_at: when the handoff was last assigned; the queue's recent times to assign are the
--                source of estimated_wait_seconds.
--   queued_at:   when the handoff entered its current place (queue and priority) by escalation;
--                null means since created_at. Escalation is due max_wait after it.
--   escalations: escalation steps taken.
ALTER TABLE handoffs ADD COLUMN assigned_at timestamptz;
ALTER TABLE handoffs ADD COLUMN queued_at timestamptz;
ALTER TABLE handoffs ADD COLUMN escalations integer NOT NULL DEFAULT 0;

-- The next handoff of a queue, and a pending handoff's place in its queue.
CREATE INDEX handoffs_pending_by_queue ON handoffs (queue, priority DESC, created_at, handoff_id)
    WHERE status = 'pending';

-- A queue's latest assignments.
CREATE INDEX handoffs_assigned_by_queue ON handoffs (queue, assigned_at DESC) WHERE assigned_at IS NOT NULL;

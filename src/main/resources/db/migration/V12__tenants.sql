-- Tenants. Every API key and agent token belongs to a tenant, and a tenant sees only its own data.
-- Rows written before this version belong to the tenant 'default' (the only one served until now).
--
-- Conversation ids come from clients, so two tenants may use the same one: conversations are keyed
-- by (tenant, conversation_id), and what hangs off a conversation (its handoffs, its messages, the
-- one-active-handoff rule) refers to it by that pair. Agent ids are also chosen by clients: agents
-- are keyed by (tenant, agent_id). Handoff and ticket ids are Baton's own (random), so they stay
-- unique on their own; their rows carry the tenant so that every read and write can demand it.
--
-- Tables without a tenant, and why:
--   events_retention  one row, the log's pruning point, shared by all tenants;
--   ingest_receipts   provider message ids are the provider's, unique per channel whoever they go
--                     to: deduplicating them needs no tenant;
--   ticket_retries    keyed by handoff_id (unique across tenants); a retry acts on its handoff,
--                     which carries the tenant;
--   idempotency_keys  the scope a key is claimed in names the tenant (see HandoffService), so two
--                     tenants' equal keys never meet.

ALTER TABLE conversations ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE handoffs ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE messages ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE agents ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE events ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE outbound_deliveries ADD COLUMN tenant text NOT NULL DEFAULT 'default';
ALTER TABLE tickets ADD COLUMN tenant text NOT NULL DEFAULT 'default';

-- Conversations by (tenant, id); handoffs and messages refer to them by that pair.
ALTER TABLE handoffs DROP CONSTRAINT handoffs_conversation_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_conversation_id_message_id_key;
ALTER TABLE conversations DROP CONSTRAINT conversations_pkey;
ALTER TABLE conversations ADD PRIMARY KEY (tenant, conversation_id);
ALTER TABLE handoffs ADD CONSTRAINT handoffs_conversation_fkey
    FOREIGN KEY (tenant, conversation_id) REFERENCES conversations (tenant, conversation_id);
ALTER TABLE messages ADD CONSTRAINT messages_conversation_fkey
    FOREIGN KEY (tenant, conversation_id) REFERENCES conversations (tenant, conversation_id);
ALTER TABLE messages ADD CONSTRAINT messages_tenant_conversation_message_key
    UNIQUE (tenant, conversation_id, message_id);
DROP INDEX messages_by_conversation;
CREATE INDEX messages_by_conversation ON messages (tenant, conversation_id, seq);

-- At most one active handoff per conversation, now per (tenant, conversation).
DROP INDEX handoffs_one_active_per_conversation;
CREATE UNIQUE INDEX handoffs_one_active_per_conversation
    ON handoffs (tenant, conversation_id) WHERE status IN ('pending', 'assigned');

-- Queues, listings and auto-assignment always look inside one tenant: their indexes lead with it.
DROP INDEX handoffs_by_priority_age;
CREATE INDEX handoffs_by_priority_age ON handoffs (tenant, priority DESC, created_at, handoff_id);
DROP INDEX handoffs_by_status;
CREATE INDEX handoffs_by_status ON handoffs (tenant, status, priority DESC, created_at);
DROP INDEX handoffs_by_queue;
CREATE INDEX handoffs_by_queue ON handoffs (tenant, queue, status);
DROP INDEX handoffs_by_agent;
CREATE INDEX handoffs_by_agent ON handoffs (tenant, assigned_agent) WHERE assigned_agent IS NOT NULL;
DROP INDEX handoffs_by_user;
CREATE INDEX handoffs_by_user ON handoffs (tenant, user_id);
DROP INDEX handoffs_pending_by_priority;
CREATE INDEX handoffs_pending_by_priority ON handoffs (tenant, priority DESC, created_at, handoff_id)
    WHERE status = 'pending';
DROP INDEX handoffs_assigned_by_agent;
CREATE INDEX handoffs_assigned_by_agent ON handoffs (tenant, assigned_agent) WHERE status = 'assigned';
DROP INDEX handoffs_pending_by_queue;
CREATE INDEX handoffs_pending_by_queue ON handoffs (tenant, queue, priority DESC, created_at, handoff_id)
    WHERE status = 'pending';
DROP INDEX handoffs_assigned_by_queue;
CREATE INDEX handoffs_assigned_by_queue ON handoffs (tenant, queue, assigned_at DESC) WHERE assigned_at IS NOT NULL;
-- The escalation sweep serves every tenant in one pass (each handoff escalates in its own tenant's
-- queues), so its order stays tenant-blind: handoffs_pending_by_priority no longer serves it.
CREATE INDEX handoffs_pending_by_age ON handoffs (priority DESC, created_at, handoff_id) WHERE status = 'pending';

-- Agents by (tenant, id).
ALTER TABLE agents DROP CONSTRAINT agents_pkey;
ALTER TABLE agents ADD PRIMARY KEY (tenant, agent_id);

-- Tickets: listings and a customer's tickets look inside one tenant.
DROP INDEX tickets_by_created;
CREATE INDEX tickets_by_created ON tickets (tenant, created_at DESC, ticket_id DESC);
DROP INDEX tickets_by_status;
CREATE INDEX tickets_by_status ON tickets (tenant, status, created_at DESC);
DROP INDEX tickets_by_agent;
CREATE INDEX tickets_by_agent ON tickets (tenant, assigned_agent_id, created_at DESC) WHERE assigned_agent_id IS NOT NULL;
DROP INDEX tickets_by_customer;
CREATE INDEX tickets_by_customer ON tickets (tenant, customer_id, created_at DESC);

-- A send belongs to its message, which is now named by (tenant, conversation, message).
ALTER TABLE outbound_deliveries DROP CONSTRAINT outbound_deliveries_pkey;
ALTER TABLE outbound_deliveries ADD PRIMARY KEY (tenant, conversation_id, message_id);

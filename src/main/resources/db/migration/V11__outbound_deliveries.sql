-- Agent messages on their way to the customer's channel. A row is written (due orphan_after later)
-- before its message is stored, so a crash between the two loses nothing: the instance that queued
-- it claims it at once, or another claims it when due; a row whose message never got stored is
-- dropped. Claims push next_attempt_at forward (a lease) with FOR UPDATE SKIP LOCKED, so one
-- instance at a time sends a message. status: retrying (due at next_attempt_at), sent, failed.
CREATE TABLE outbound_deliveries (
    conversation_id     text        NOT NULL,
    message_id          text        NOT NULL,
    channel             text        NOT NULL CHECK (channel IN ('whatsapp', 'messenger', 'twitter')),
    account             text        NOT NULL,
    recipient           text        NOT NULL,
    -- What goes out: {text, media, messaging_type, tag}.
    payload             jsonb       NOT NULL,
    status              text        NOT NULL CHECK (status IN ('retrying', 'sent', 'failed')),
    attempts            integer     NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL,
    last_error          text,
    provider_message_id text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);

CREATE INDEX outbound_deliveries_due ON outbound_deliveries (next_attempt_at) WHERE status = 'retrying';

-- The provider's id of a message Baton sent (wamid, Messenger message_id, X dm_event_id): status
-- webhooks name the message by it.
ALTER TABLE messages ADD COLUMN provider_message_id text;
CREATE INDEX messages_by_provider_id ON messages (provider_message_id) WHERE provider_message_id IS NOT NULL;

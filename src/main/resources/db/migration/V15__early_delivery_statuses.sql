-- A delivery status whose message Baton cannot find yet: providers often send the first status
-- webhooks (sent, delivered) within milliseconds of answering the send call, before Baton has
-- recorded that answer and with it the provider's id of the message. The status is kept here,
-- the highest seen (statuses never move backwards), and applied when the answer is recorded, in
-- the same transaction, which removes the row. Rows that never find their message are purged
-- after 7 days.
CREATE TABLE early_delivery_statuses (
    tenant              text        NOT NULL,
    -- wamid, Messenger message_id: what the status webhook names the message by.
    provider_message_id text        NOT NULL,
    -- The conversations the webhook named (<channel>:<recipient>, then <recipient>): the status
    -- belongs to the message only if it is in one of them.
    conversation_ids    text[]      NOT NULL,
    status              text        NOT NULL CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
    -- When the status now kept arrived.
    kept_at             timestamptz NOT NULL,
    PRIMARY KEY (tenant, provider_message_id)
);

CREATE INDEX early_delivery_statuses_by_age ON early_delivery_statuses (kept_at);

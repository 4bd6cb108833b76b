-- Channel messages taken by the webhook path: the durable dedup key. A provider redelivers for days
-- (WhatsApp: 7) and a captured body can be replayed later still; this key outlives Redis's TTL.
CREATE TABLE ingest_receipts (
    channel             text        NOT NULL,
    provider_message_id text        NOT NULL,
    received_at         timestamptz NOT NULL,
    PRIMARY KEY (channel, provider_message_id)
);

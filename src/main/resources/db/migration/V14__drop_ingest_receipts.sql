-- Webhook dedup no longer keeps receipts of its own. The timeline keeps a message id once per
-- conversation, and a channel message's id is its provider id in a conversation derived from the
-- sender, so that key already refuses a repeat for good (after the dedup cache forgot it, on any
-- instance); writing a receipt as well cost every webhook a second group-committed stage.
DROP TABLE ingest_receipts;

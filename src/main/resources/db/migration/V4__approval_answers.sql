-- The human's answer to an approval handoff: {answer, approval, approved, comments, approver_id, answered_at}.
ALTER TABLE handoffs ADD COLUMN answer jsonb;

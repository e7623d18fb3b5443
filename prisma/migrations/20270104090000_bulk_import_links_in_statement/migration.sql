-- A bulk import links its consent-log rows in its own statement instead of row by row in the chain
-- trigger (docs/decisions/025-bulk-import-chain-in-statement.md).
--
-- 1. The row hash by its fields. evidence_row_hash(consent_log) now hands its fields to
--    evidence_row_hash_of(), which holds the one encoding; both are SQL functions PostgreSQL inlines,
--    so the trigger computes the same bytes at the same cost, and a statement that builds rows from
--    plain values (the bulk import) hashes them without first making a consent_log record.
CREATE FUNCTION "evidence_row_hash_of"(
  prev_hash bytea, evidence_seq bigint, id bigint, contact_id uuid, category_key text, action text,
  source text, occurred_at timestamp(3), message_id uuid, campaign_id uuid, actor text, reason text,
  personal_hash bytea) RETURNS bytea
  LANGUAGE sql STABLE
AS $$
  SELECT sha256(
    convert_to('herald-consent-v1', 'UTF8')
    || prev_hash
    || int8send(evidence_seq)
    || int8send(id)
    || uuid_send(contact_id)
    || "evidence_text"(category_key)
    || "evidence_text"(action)
    || "evidence_text"(source)
    || int8send((extract(epoch FROM occurred_at) * 1000000)::bigint)
    || "evidence_uuid"(message_id)
    || "evidence_uuid"(campaign_id)
    || "evidence_text"(actor)
    || "evidence_text"(reason)
    || personal_hash)
$$;

CREATE OR REPLACE FUNCTION "evidence_row_hash"(row_value "consent_log") RETURNS bytea
  LANGUAGE sql STABLE
AS $$
  SELECT "evidence_row_hash_of"(
    row_value."prev_hash", row_value."evidence_seq", row_value."id", row_value."contact_id",
    row_value."category_key", row_value."action"::text, row_value."source"::text, row_value."occurred_at",
    row_value."message_id", row_value."campaign_id", row_value."actor", row_value."reason",
    row_value."personal_hash")
$$;

-- 2. The chain trigger runs for every row, except the rows a transaction says it linked itself: it
--    set herald.linked_in_statement to 'on' (set_config(..., true): to the end of that transaction
--    only) and wrote the row's hash. Only the bulk import does: its contacts are created in the
--    same statement, so each chain starts at the zero hash, and it holds the anchoring lock shared
--    as the trigger does. Any other insert is linked by the trigger as before, whatever it wrote in
--    the evidence columns. The unique indexes on (contact_id, prev_hash), (contact_id, evidence_seq)
--    and evidence_seq hold for these rows as for any, and the verifier re-computes every hash.
DROP TRIGGER "consent_log_link" ON "consent_log";
CREATE TRIGGER "consent_log_link"
  BEFORE INSERT ON "consent_log"
  FOR EACH ROW
  WHEN (NEW."row_hash" IS NULL OR current_setting('herald.linked_in_statement', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION "consent_log_link"();

-- 3. The webhook trigger asks, for every row, whether an endpoint wants consent events: about 8 µs a
--    row, for nothing when none does. A transaction that asked once for all its rows, in the
--    statement just before its insert, and found none, says so with herald.consent_events = 'none',
--    and the trigger does not run for its rows. (An endpoint committed between the two statements, a
--    few milliseconds, misses those rows' events, as it would had it been created an instant later.)
DROP TRIGGER "consent_log_webhook" ON "consent_log";
CREATE TRIGGER "consent_log_webhook"
  AFTER INSERT ON "consent_log"
  FOR EACH ROW
  WHEN (current_setting('herald.consent_events', true) IS DISTINCT FROM 'none')
  EXECUTE FUNCTION "consent_log_webhook"();

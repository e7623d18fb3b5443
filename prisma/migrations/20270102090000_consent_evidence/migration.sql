-- A tamper-evident consent log (docs/decisions/023-tamper-evident-consent-log.md). Every consent_log
-- row is linked into its contact's hash chain by a BEFORE INSERT trigger, the one place every writer
-- (packages/preferences, the bulk import's INSERT … SELECT, anything later) goes through; the worker
-- signs Merkle roots of the rows written since its last anchor into evidence_roots.
--
-- Encodings (packages/preferences/src/evidence/encoding.ts computes the same bytes in Node):
--   field(text)  = 0x00 when NULL, else 0x01 || int4 big-endian byte length || UTF-8 bytes
--   field(uuid)  = 0x00 when NULL, else 0x01 || the 16 bytes of the UUID
--   personal_hash = sha256('herald-personal-v1' || field(user_agent) || field(ip_hash))
--   row_hash      = sha256('herald-consent-v1' || prev_hash || int8(evidence_seq) || int8(id)
--                          || uuid(contact_id) || field(category_key) || field(action)
--                          || field(source) || int8(occurred_at in µs since 1970-01-01 UTC)
--                          || field(message_id) || field(campaign_id) || field(actor)
--                          || field(reason) || personal_hash)
--   prev_hash     = the row_hash of the contact's previous row (highest evidence_seq), or 32 zero bytes.

ALTER TABLE "consent_log"
  ADD COLUMN "evidence_seq" BIGINT,
  ADD COLUMN "prev_hash" BYTEA,
  ADD COLUMN "personal_hash" BYTEA,
  ADD COLUMN "row_hash" BYTEA;

-- The order rows enter the evidence: assigned by the trigger while it holds the anchoring lock in
-- shared mode, so a boundary read under the exclusive lock has every row below it committed (or
-- rolled back). Unlike "id" (a column default, taken before any trigger runs), a row that commits
-- late can never get a number below a boundary already anchored.
CREATE SEQUENCE "consent_log_evidence_seq" AS BIGINT;

CREATE TABLE "evidence_roots" (
    "id" BIGSERIAL NOT NULL,
    "from_seq" BIGINT NOT NULL,
    "to_seq" BIGINT NOT NULL,
    "row_count" INTEGER NOT NULL,
    "root" BYTEA NOT NULL,
    "prev_root" BYTEA NOT NULL,
    "signature" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "period_start" TIMESTAMP(3) NOT NULL,
    "period_end" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "evidence_roots_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "evidence_roots_to_seq_key" ON "evidence_roots"("to_seq");
CREATE INDEX "evidence_roots_period_end_idx" ON "evidence_roots"("period_end");

CREATE FUNCTION "evidence_text"(value text) RETURNS bytea
  LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE WHEN value IS NULL THEN '\x00'::bytea
              ELSE '\x01'::bytea || int4send(octet_length(convert_to(value, 'UTF8'))) || convert_to(value, 'UTF8')
         END
$$;

CREATE FUNCTION "evidence_uuid"(value uuid) RETURNS bytea
  LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE WHEN value IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || uuid_send(value) END
$$;

CREATE FUNCTION "evidence_personal_hash"(user_agent text, ip_hash text) RETURNS bytea
  LANGUAGE sql IMMUTABLE
AS $$
  SELECT sha256(convert_to('herald-personal-v1', 'UTF8') || "evidence_text"(user_agent) || "evidence_text"(ip_hash))
$$;

CREATE FUNCTION "evidence_row_hash"(row_value "consent_log") RETURNS bytea
  LANGUAGE sql IMMUTABLE
AS $$
  SELECT sha256(
    convert_to('herald-consent-v1', 'UTF8')
    || row_value."prev_hash"
    || int8send(row_value."evidence_seq")
    || int8send(row_value."id")
    || uuid_send(row_value."contact_id")
    || "evidence_text"(row_value."category_key")
    || "evidence_text"(row_value."action"::text)
    || "evidence_text"(row_value."source"::text)
    || int8send((extract(epoch FROM row_value."occurred_at") * 1000000)::bigint)
    || "evidence_uuid"(row_value."message_id")
    || "evidence_uuid"(row_value."campaign_id")
    || "evidence_text"(row_value."actor")
    || "evidence_text"(row_value."reason")
    || row_value."personal_hash")
$$;

-- Backfill: each contact's rows in id order, before the trigger exists. The append-only trigger is
-- off for these updates only; the migration runs in one transaction, so nobody sees it off.
ALTER TABLE "consent_log" DISABLE TRIGGER "consent_log_append_only";
DO $$
DECLARE
  r "consent_log";
  previous_contact uuid := NULL;
  previous_hash bytea;
BEGIN
  FOR r IN SELECT * FROM "consent_log" ORDER BY "contact_id", "id" LOOP
    IF previous_contact IS DISTINCT FROM r."contact_id" THEN
      previous_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
      previous_contact := r."contact_id";
    END IF;
    -- Existing rows enter the evidence in id order: their evidence_seq is their id.
    r."evidence_seq" := r."id";
    r."prev_hash" := previous_hash;
    r."personal_hash" := "evidence_personal_hash"(r."user_agent", r."ip_hash");
    r."row_hash" := "evidence_row_hash"(r);
    UPDATE "consent_log"
       SET "evidence_seq" = r."evidence_seq", "prev_hash" = r."prev_hash",
           "personal_hash" = r."personal_hash", "row_hash" = r."row_hash"
     WHERE "id" = r."id";
    previous_hash := r."row_hash";
  END LOOP;
END;
$$;
ALTER TABLE "consent_log" ENABLE TRIGGER "consent_log_append_only";
SELECT setval('"consent_log_evidence_seq"', GREATEST((SELECT max("id") FROM "consent_log"), 1),
              (SELECT max("id") FROM "consent_log") IS NOT NULL);

-- One chain per contact, whatever goes wrong with locking: two rows can never share a predecessor.
CREATE UNIQUE INDEX "consent_log_contact_id_evidence_seq_key" ON "consent_log"("contact_id", "evidence_seq");
CREATE UNIQUE INDEX "consent_log_contact_id_prev_hash_key" ON "consent_log"("contact_id", "prev_hash");
CREATE UNIQUE INDEX "consent_log_evidence_seq_key" ON "consent_log"("evidence_seq");

-- The chain link. Locking the contact's row (FOR NO KEY UPDATE, held to the end of the transaction)
-- serialises the writers of one contact: under READ COMMITTED each statement of this VOLATILE
-- function takes a new snapshot, so the SELECT after the lock sees the row of the writer that held it
-- before (committed by then), and two writers can never link to the same predecessor. A row lock, not
-- an advisory lock per contact: a bulk import's transaction writes rows for thousands of contacts,
-- and as many advisory locks would fill the shared lock table ("out of shared memory"); row locks
-- live in the rows. NO KEY UPDATE leaves the foreign-key checks of other tables' inserts (KEY SHARE)
-- unblocked; the preference paths already hold the row FOR UPDATE. The shared anchoring lock (class
-- 1212503602, key 0: one lock per transaction) is held to the end of the transaction; the anchoring
-- job takes it exclusively for an instant to read a boundary (evidence_boundary() below). Whatever a
-- writer put in the evidence columns is overwritten.
CREATE FUNCTION "consent_log_link"() RETURNS trigger
  LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM 1 FROM "contacts" WHERE "id" = NEW."contact_id" FOR NO KEY UPDATE;
  PERFORM pg_advisory_xact_lock_shared(1212503602, 0);
  NEW."evidence_seq" := nextval('"consent_log_evidence_seq"');
  SELECT c."row_hash" INTO NEW."prev_hash"
    FROM "consent_log" c
   WHERE c."contact_id" = NEW."contact_id"
   ORDER BY c."evidence_seq" DESC
   LIMIT 1;
  NEW."prev_hash" := COALESCE(NEW."prev_hash",
    '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  NEW."personal_hash" := "evidence_personal_hash"(NEW."user_agent", NEW."ip_hash");
  NEW."row_hash" := "evidence_row_hash"(NEW);
  RETURN NEW;
END;
$$;

CREATE TRIGGER "consent_log_link"
  BEFORE INSERT ON "consent_log"
  FOR EACH ROW EXECUTE FUNCTION "consent_log_link"();

-- Anchors are evidence too: never changed or removed.
CREATE FUNCTION "evidence_roots_refuse_change"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'evidence_roots is append-only: % of evidence_roots row % refused', TG_OP, OLD."id"
    USING ERRCODE = 'raise_exception';
END;
$$;

CREATE TRIGGER "evidence_roots_append_only"
  BEFORE UPDATE OR DELETE ON "evidence_roots"
  FOR EACH ROW EXECUTE FUNCTION "evidence_roots_refuse_change"();

-- The anchoring job's boundary: the highest evidence_seq taken so far, read while holding the
-- anchoring lock exclusively, so every transaction that took a number up to it has ended (committed
-- or rolled back) and every later one takes a higher number. Writers wait for the instant the lock is
-- held (and while it waits for a long writer: the caller sets lock_timeout). A session-level lock
-- released before returning, so the caller's transaction does not hold writers up while it hashes.
CREATE FUNCTION "evidence_boundary"(OUT boundary bigint, OUT read_at timestamp(3)) RETURNS record
  LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  PERFORM pg_advisory_lock(1212503602, 0);
  BEGIN
    SELECT CASE WHEN s."is_called" THEN s."last_value" ELSE 0 END INTO boundary
      FROM "consent_log_evidence_seq" s;
    read_at := (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3);
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(1212503602, 0);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(1212503602, 0);
END;
$$;

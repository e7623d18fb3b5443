-- The evidence encodings of 20270102090000_consent_evidence, byte for byte, declared STABLE instead
-- of IMMUTABLE. They call convert_to(), which is STABLE (it depends on the encoding settings), and
-- PostgreSQL inlines a SQL function into its caller only when the body is no more volatile than the
-- function says it is. Declared IMMUTABLE, each call from the chain trigger ran as a function call
-- of its own, with the same done again for every evidence_text() inside it: about 24 µs a row for
-- evidence_personal_hash alone, against 1.4 µs inlined, and most of what the chain cost the bulk
-- import (docs/decisions/023-tamper-evident-consent-log.md). Nothing indexes these functions, so
-- STABLE (the truth) costs nothing elsewhere; the bytes they give are unchanged, and so is every
-- stored hash.

CREATE OR REPLACE FUNCTION "evidence_text"(value text) RETURNS bytea
  LANGUAGE sql STABLE
AS $$
  SELECT CASE WHEN value IS NULL THEN '\x00'::bytea
              ELSE '\x01'::bytea || int4send(octet_length(convert_to(value, 'UTF8'))) || convert_to(value, 'UTF8')
         END
$$;

CREATE OR REPLACE FUNCTION "evidence_uuid"(value uuid) RETURNS bytea
  LANGUAGE sql STABLE
AS $$
  SELECT CASE WHEN value IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || uuid_send(value) END
$$;

CREATE OR REPLACE FUNCTION "evidence_personal_hash"(user_agent text, ip_hash text) RETURNS bytea
  LANGUAGE sql STABLE
AS $$
  SELECT sha256(convert_to('herald-personal-v1', 'UTF8') || "evidence_text"(user_agent) || "evidence_text"(ip_hash))
$$;

CREATE OR REPLACE FUNCTION "evidence_row_hash"(row_value "consent_log") RETURNS bytea
  LANGUAGE sql STABLE
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

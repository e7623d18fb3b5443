-- Erasure that erases (issue 11, findings 7 and 8). Triggers only: invisible to Prisma's schema diff.

-- The consent log stays append-only, with one narrow exception: erasing a contact clears the user
-- agent and client address hash of its entries (personal data the proof of consent does not need).
-- An UPDATE passes only when the transaction has named the row's contact in `herald.erasure`
-- (SELECT set_config('herald.erasure', '<contact id>', true), packages/preferences
-- scrub-consent-log-clients.ts), it leaves user_agent and ip_hash NULL, and every other column is
-- unchanged (compared as a whole row, so a column added later is covered too). DELETE always raises.
CREATE OR REPLACE FUNCTION "consent_log_refuse_change"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND current_setting('herald.erasure', true) = OLD."contact_id"::text
     AND NEW."user_agent" IS NULL
     AND NEW."ip_hash" IS NULL
     AND (to_jsonb(NEW) - 'user_agent' - 'ip_hash') = (to_jsonb(OLD) - 'user_agent' - 'ip_hash')
  THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'consent_log is append-only: % of consent_log row % refused', TG_OP, OLD."id"
    USING ERRCODE = 'raise_exception',
          HINT = 'Record the change as a new consent_log entry instead.';
END;
$$;

-- Secret template values (a sign-in link) are kept sealed in messages.data under "@sealed" only
-- until the message is final: the worker needs them to render it, nobody needs them after. Every
-- path that finishes a message sets its status, so this covers them all.
CREATE FUNCTION "messages_drop_sealed_data"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  NEW."data" := NEW."data" - '@sealed';
  RETURN NEW;
END;
$$;

CREATE TRIGGER "messages_final_drops_sealed_data"
  BEFORE UPDATE OF "status" ON "messages"
  FOR EACH ROW
  WHEN (NEW."status" IN ('sent', 'failed', 'suppressed', 'bounced') AND (NEW."data" -> '@sealed') IS NOT NULL)
  EXECUTE FUNCTION "messages_drop_sealed_data"();

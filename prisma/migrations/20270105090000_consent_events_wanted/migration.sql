-- Whether any active webhook endpoint wants an event the consent log's trigger emits, asked in one
-- place: by the trigger for each row, and by a bulk import once before its insert (which then skips
-- the trigger when none does: see the migration before this one). Before, the import listed the
-- trigger's five events again in its own code, so an event added to the trigger alone would have had
-- imports skip it while an endpoint wanted it. The trigger's events, bodies and order are unchanged.
CREATE FUNCTION "consent_events_wanted"() RETURNS boolean
  LANGUAGE sql STABLE
AS $$
  SELECT EXISTS (SELECT 1 FROM "webhook_endpoints" e
                  WHERE e."disabled_at" IS NULL
                    AND e."events" && ARRAY['contact.subscribed', 'contact.unsubscribed',
                                            'preferences.changed', 'contact.erased',
                                            'contact.suppressed'])
$$;

CREATE OR REPLACE FUNCTION "consent_log_webhook"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
DECLARE
  body jsonb;
BEGIN
  IF NOT "consent_events_wanted"() THEN
    RETURN NULL;
  END IF;
  body := jsonb_build_object(
    'contactId', NEW."contact_id",
    'category', NEW."category_key",
    'action', NEW."action"::text,
    'source', NEW."source"::text,
    'occurredAt', "webhook_utc"(NEW."occurred_at"),
    'consentLogId', NEW."id"::text);
  IF NEW."action" = 'subscribe' THEN
    PERFORM "webhook_emit"('contact.subscribed', NEW."contact_id", body);
    PERFORM "webhook_emit"('preferences.changed', NEW."contact_id", body || '{"subscribed": true}');
  ELSIF NEW."action" = 'unsubscribe' THEN
    PERFORM "webhook_emit"('contact.unsubscribed', NEW."contact_id", body);
    PERFORM "webhook_emit"('preferences.changed', NEW."contact_id", body || '{"subscribed": false}');
  ELSIF NEW."action" = 'suppress' AND NEW."reason" LIKE 'erasure%' THEN
    PERFORM "webhook_emit"('contact.erased', NEW."contact_id", body);
  ELSIF NEW."action" = 'suppress' THEN
    PERFORM "webhook_emit"('contact.suppressed', NEW."contact_id", body);
  END IF;
  RETURN NULL;
END;
$$;

-- Outbound webhooks (issue 14): endpoints, the outbox the triggers below write in the transaction of
-- each change, and the deliveries the worker makes of it.

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "secret" TEXT NOT NULL,
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMP(3),
    "description" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),
    "disabled_reason" TEXT,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_outbox" (
    "id" BIGSERIAL NOT NULL,
    "event_type" TEXT NOT NULL,
    "contact_id" UUID,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" BIGINT NOT NULL,
    "event_type" TEXT NOT NULL,
    "contact_id" UUID,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMP(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_next_attempt_at_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_contact_id_event_id_idx" ON "webhook_deliveries"("endpoint_id", "contact_id", "event_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_endpoint_id_event_id_key" ON "webhook_deliveries"("endpoint_id", "event_id");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The outbox is written by triggers, in the transaction of the change they report: an event exists if
-- and only if its change committed. Each is one INSERT, made only when an enabled endpoint wants the
-- event type (a cheap EXISTS on the small webhook_endpoints table), so a Herald without webhooks pays
-- next to nothing per message sent or consent recorded. Triggers are invisible to Prisma's diff.
CREATE FUNCTION "webhook_emit"(event_type text, contact_id uuid, payload jsonb) RETURNS void
  LANGUAGE plpgsql
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "webhook_endpoints" e
              WHERE e."disabled_at" IS NULL AND event_type = ANY(e."events")) THEN
    INSERT INTO "webhook_outbox" ("event_type", "contact_id", "payload")
    VALUES (event_type, contact_id, payload);
  END IF;
END;
$$;

CREATE FUNCTION "webhook_utc"(at timestamp) RETURNS text
  LANGUAGE sql IMMUTABLE
AS $$ SELECT to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $$;

-- consent_log: subscribe and unsubscribe (of a category, or of every promotional one when the
-- category is null) are contact.subscribed / contact.unsubscribed and preferences.changed; suppress
-- is contact.suppressed, or contact.erased when it records an erasure. unsuppress has no event.
CREATE FUNCTION "consent_log_webhook"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
DECLARE
  body jsonb := jsonb_build_object(
    'contactId', NEW."contact_id",
    'category', NEW."category_key",
    'action', NEW."action"::text,
    'source', NEW."source"::text,
    'occurredAt', "webhook_utc"(NEW."occurred_at"),
    'consentLogId', NEW."id"::text);
BEGIN
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

CREATE TRIGGER "consent_log_webhook"
  AFTER INSERT ON "consent_log"
  FOR EACH ROW EXECUTE FUNCTION "consent_log_webhook"();

-- messages: sent and bounced (a message has no "complained" status: see feedback_reports below).
CREATE FUNCTION "messages_webhook"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM "webhook_emit"('message.' || NEW."status"::text, NEW."contact_id", jsonb_build_object(
    'messageId', NEW."id",
    'contactId', NEW."contact_id",
    'templateId', NEW."template_id",
    'category', NEW."category_key",
    'campaignId', NEW."campaign_id",
    'status', NEW."status"::text));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "messages_webhook"
  AFTER UPDATE OF "status" ON "messages"
  FOR EACH ROW
  WHEN (NEW."status" IS DISTINCT FROM OLD."status" AND NEW."status" IN ('sent', 'bounced'))
  EXECUTE FUNCTION "messages_webhook"();

-- A complaint report matched to a message (a repeated provider event is never inserted twice).
CREATE FUNCTION "feedback_reports_webhook"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM "webhook_emit"('message.complained', NEW."contact_id", jsonb_build_object(
    'messageId', NEW."message_id",
    'contactId', NEW."contact_id",
    'campaignId', NEW."campaign_id",
    'status', 'complained'));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "feedback_reports_webhook"
  AFTER INSERT ON "feedback_reports"
  FOR EACH ROW
  WHEN (NEW."kind" = 'complaint' AND NEW."message_id" IS NOT NULL)
  EXECUTE FUNCTION "feedback_reports_webhook"();

CREATE FUNCTION "campaigns_webhook"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM "webhook_emit"('campaign.finished', NULL, jsonb_build_object(
    'campaignId', NEW."id",
    'name', NEW."name",
    'category', NEW."category_key",
    'targeted', NEW."targeted",
    'status', NEW."status"::text));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "campaigns_webhook"
  AFTER UPDATE OF "status" ON "campaigns"
  FOR EACH ROW
  WHEN (NEW."status" = 'sent' AND OLD."status" IS DISTINCT FROM 'sent')
  EXECUTE FUNCTION "campaigns_webhook"();

CREATE FUNCTION "notices_webhook"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM "webhook_emit"('policy.notice.acknowledged', NEW."contact_id", jsonb_build_object(
    'noticeId', NEW."id",
    'contactId', NEW."contact_id",
    'policyVersionId', NEW."policy_version_id",
    'acknowledgedAt', "webhook_utc"(NEW."acknowledged_at")));
  RETURN NULL;
END;
$$;

CREATE TRIGGER "notices_webhook"
  AFTER UPDATE OF "acknowledged_at" ON "notices"
  FOR EACH ROW
  WHEN (OLD."acknowledged_at" IS NULL AND NEW."acknowledged_at" IS NOT NULL)
  EXECUTE FUNCTION "notices_webhook"();

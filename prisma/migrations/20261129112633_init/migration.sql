-- CreateEnum
CREATE TYPE "MessageClass" AS ENUM ('transactional', 'promotional');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('queued', 'sending', 'sent', 'suppressed', 'failed', 'bounced');

-- CreateEnum
CREATE TYPE "ConsentAction" AS ENUM ('subscribe', 'unsubscribe', 'suppress', 'unsuppress');

-- CreateEnum
CREATE TYPE "ConsentSource" AS ENUM ('one-click', 'unsubscribe-page', 'preference-center', 'account-page', 'mailto', 'admin', 'api', 'bounce', 'complaint', 'import');

-- CreateEnum
CREATE TYPE "SuppressionReason" AS ENUM ('hard-bounce', 'complaint', 'erasure');

-- CreateTable
CREATE TABLE "contacts" (
    "id" UUID NOT NULL,
    "email" TEXT,
    "name" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "external_id" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "promotional_opt_out" BOOLEAN NOT NULL DEFAULT false,
    "erased_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "categories" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "class" "MessageClass" NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "default_subscribed" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "preferences" (
    "contact_id" UUID NOT NULL,
    "category_key" TEXT NOT NULL,
    "subscribed" BOOLEAN NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "preferences_pkey" PRIMARY KEY ("contact_id","category_key")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "id" UUID NOT NULL,
    "address_hash" TEXT NOT NULL,
    "reason" "SuppressionReason" NOT NULL,
    "contact_id" UUID,
    "detail" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent_log" (
    "id" BIGSERIAL NOT NULL,
    "contact_id" UUID NOT NULL,
    "category_key" TEXT,
    "action" "ConsentAction" NOT NULL,
    "source" "ConsentSource" NOT NULL,
    "occurred_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "message_id" UUID,
    "campaign_id" UUID,
    "actor" TEXT,
    "reason" TEXT,
    "user_agent" TEXT,
    "ip_hash" TEXT,

    CONSTRAINT "consent_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "templates" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "category_key" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "mjml" TEXT NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "fixture" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "category_key" TEXT NOT NULL,
    "class" "MessageClass" NOT NULL,
    "status" "MessageStatus" NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "idempotency_key" TEXT,
    "campaign_id" UUID,
    "data" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "smtp_message_id" TEXT,
    "claimed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "sent_at" TIMESTAMP(3),

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_events" (
    "id" BIGSERIAL NOT NULL,
    "message_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "detail" JSONB,
    "occurred_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "contacts_email_key" ON "contacts"("email");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_external_id_key" ON "contacts"("external_id");

-- CreateIndex
CREATE INDEX "preferences_category_key_subscribed_idx" ON "preferences"("category_key", "subscribed");

-- CreateIndex
CREATE INDEX "suppressions_contact_id_idx" ON "suppressions"("contact_id");

-- CreateIndex
CREATE UNIQUE INDEX "suppressions_address_hash_reason_key" ON "suppressions"("address_hash", "reason");

-- CreateIndex
CREATE INDEX "consent_log_contact_id_occurred_at_idx" ON "consent_log"("contact_id", "occurred_at");

-- CreateIndex
CREATE INDEX "consent_log_campaign_id_action_idx" ON "consent_log"("campaign_id", "action");

-- CreateIndex
CREATE UNIQUE INDEX "templates_key_version_key" ON "templates"("key", "version");

-- CreateIndex
CREATE UNIQUE INDEX "messages_idempotency_key_key" ON "messages"("idempotency_key");

-- CreateIndex
CREATE INDEX "messages_contact_id_created_at_idx" ON "messages"("contact_id", "created_at");

-- CreateIndex
CREATE INDEX "messages_campaign_id_status_idx" ON "messages"("campaign_id", "status");

-- CreateIndex
CREATE INDEX "messages_status_created_at_idx" ON "messages"("status", "created_at");

-- CreateIndex
CREATE INDEX "message_events_message_id_occurred_at_idx" ON "message_events"("message_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "preferences" ADD CONSTRAINT "preferences_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "preferences" ADD CONSTRAINT "preferences_category_key_fkey" FOREIGN KEY ("category_key") REFERENCES "categories"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_log" ADD CONSTRAINT "consent_log_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent_log" ADD CONSTRAINT "consent_log_category_key_fkey" FOREIGN KEY ("category_key") REFERENCES "categories"("key") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "templates" ADD CONSTRAINT "templates_category_key_fkey" FOREIGN KEY ("category_key") REFERENCES "categories"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_category_key_fkey" FOREIGN KEY ("category_key") REFERENCES "categories"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_events" ADD CONSTRAINT "message_events_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

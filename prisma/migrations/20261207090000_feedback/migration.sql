-- Feedback from the mail world (issue 10): every bounce, complaint and delivery report is kept in
-- feedback_reports, soft bounces in a row are counted per address hash, campaigns count their
-- complaints and hard bounces for the guardrails and say why they paused themselves.
ALTER TYPE "SuppressionReason" ADD VALUE 'soft-bounce-limit';
ALTER TYPE "SuppressionReason" ADD VALUE 'manual';

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "blocked_run" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "complaints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "hard_bounces" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "paused_reason" TEXT;

-- CreateTable
CREATE TABLE "feedback_reports" (
    "id" UUID NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT,
    "detail" TEXT,
    "message_id" UUID,
    "campaign_id" UUID,
    "contact_id" UUID,
    "class" "MessageClass",
    "address_hash" TEXT,
    "matched" BOOLEAN NOT NULL,
    "effect" TEXT NOT NULL,
    "provider_event_id" TEXT,

    CONSTRAINT "feedback_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "soft_bounce_counts" (
    "address_hash" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "soft_bounce_counts_pkey" PRIMARY KEY ("address_hash")
);

-- CreateIndex
CREATE UNIQUE INDEX "feedback_reports_provider_event_id_key" ON "feedback_reports"("provider_event_id");

-- CreateIndex
CREATE INDEX "feedback_reports_received_at_idx" ON "feedback_reports"("received_at");

-- CreateIndex
CREATE INDEX "feedback_reports_campaign_id_kind_idx" ON "feedback_reports"("campaign_id", "kind");

-- CreateIndex
CREATE INDEX "feedback_reports_class_received_at_idx" ON "feedback_reports"("class", "received_at");

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled');

-- DropIndex
DROP INDEX "messages_campaign_id_status_idx";

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "claimed_by" UUID,
ADD COLUMN     "send_after" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "template_id" UUID NOT NULL,
    "category_key" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "audience" JSONB NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'draft',
    "send_at" TIMESTAMP(3),
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "local_time" BOOLEAN NOT NULL DEFAULT false,
    "rate_per_second" INTEGER,
    "targeted" INTEGER NOT NULL DEFAULT 0,
    "fanout_cursor" UUID,
    "fanout_started_at" TIMESTAMP(3),
    "fanout_done_at" TIMESTAMP(3),
    "owner_id" UUID,
    "queue_epoch" TEXT,
    "paused_at" TIMESTAMP(3),
    "cancelled_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_leases" (
    "id" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "worker_leases_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "campaigns_status_send_at_idx" ON "campaigns"("status", "send_at");

-- CreateIndex
CREATE INDEX "worker_leases_expires_at_idx" ON "worker_leases"("expires_at");

-- CreateIndex
CREATE INDEX "messages_campaign_id_status_id_idx" ON "messages"("campaign_id", "status", "id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_campaign_id_contact_id_key" ON "messages"("campaign_id", "contact_id");

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_category_key_fkey" FOREIGN KEY ("category_key") REFERENCES "categories"("key") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A time-ordered (version 7, RFC 9562) UUID made in SQL, so the fan-out creates each batch of
-- messages in one INSERT … SELECT with ids that sort like the ones the API and Prisma generate.
CREATE FUNCTION herald_uuid7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "effective_at" TIMESTAMP(3) NOT NULL,
    "required_notice_days" DOUBLE PRECISION NOT NULL,
    "override_reason" TEXT,
    "announced_at" TIMESTAMP(3),
    "rate_per_second" INTEGER,
    "send_slots_until" TIMESTAMP(3),
    "fanned_out_at" TIMESTAMP(3),
    "sweep_owner" UUID,
    "sweep_lease_until" TIMESTAMP(3),
    "at_risk_since" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "policy_version_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "message_id" UUID,
    "email_attempts" INTEGER NOT NULL DEFAULT 0,
    "acknowledged_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_version_key" ON "policy_versions"("version");

-- CreateIndex
CREATE UNIQUE INDEX "notices_message_id_key" ON "notices"("message_id");

-- CreateIndex
CREATE INDEX "notices_contact_id_created_at_idx" ON "notices"("contact_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notices_policy_version_id_contact_id_key" ON "notices"("policy_version_id", "contact_id");

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_policy_version_id_fkey" FOREIGN KEY ("policy_version_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

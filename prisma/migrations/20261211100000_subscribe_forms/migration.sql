-- Subscribe forms with double opt-in (issue 14): the forms (POST /v1/forms) and the pending
-- confirmations their hosted page records, each with the proof its confirmation is logged with.

-- CreateTable
CREATE TABLE "subscribe_forms" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "categories" TEXT[],
    "fields" TEXT[],
    "consent_text" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMP(3),

    CONSTRAINT "subscribe_forms_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "subscribe_confirmations" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "form_key" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "confirmed_at" TIMESTAMP(3),
    "ip_hash" TEXT NOT NULL,
    "consent_text" TEXT NOT NULL,

    CONSTRAINT "subscribe_confirmations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "subscribe_confirmations_token_hash_key" ON "subscribe_confirmations"("token_hash");

-- CreateIndex
CREATE INDEX "subscribe_confirmations_expires_at_idx" ON "subscribe_confirmations"("expires_at");

-- AddForeignKey
ALTER TABLE "subscribe_confirmations" ADD CONSTRAINT "subscribe_confirmations_form_key_fkey" FOREIGN KEY ("form_key") REFERENCES "subscribe_forms"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

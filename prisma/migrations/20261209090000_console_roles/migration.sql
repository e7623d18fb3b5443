-- Console roles (issue 13, docs/decisions/016-console-roles.md).
CREATE TYPE "AdminRole" AS ENUM ('owner', 'marketer', 'operator', 'support', 'viewer');

-- The accounts made before roles existed could do everything: they stay owners. A new account gets
-- the least power unless its role is given.
ALTER TABLE "admin_users"
  ADD COLUMN "role" "AdminRole" NOT NULL DEFAULT 'owner',
  ADD COLUMN "deactivated_at" TIMESTAMP(3);
ALTER TABLE "admin_users" ALTER COLUMN "role" SET DEFAULT 'viewer';

-- Invitations to the console: single-use links to set a password, with the role chosen by an owner.
CREATE TABLE "admin_invitations" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "AdminRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "accepted_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "admin_invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "admin_invitations_token_hash_key" ON "admin_invitations"("token_hash");
CREATE INDEX "admin_invitations_email_idx" ON "admin_invitations"("email");

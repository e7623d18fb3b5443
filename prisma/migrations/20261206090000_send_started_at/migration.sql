-- The worker stamps a claimed message here once it has a send slot, immediately before it re-reads the
-- contact's consent and hands the message to SMTP; an opt-out waits for the stamped messages to finish.
ALTER TABLE "messages" ADD COLUMN "send_started_at" TIMESTAMP(3);

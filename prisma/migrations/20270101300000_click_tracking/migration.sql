-- Click tracking (docs/decisions/022-click-tracking.md).

-- A contact's "don't track my clicks" choice, and the two consent-log actions that record it being
-- made and taken back. The new enum values are not used in this migration, so adding them inside
-- its transaction is allowed.
ALTER TYPE "ConsentAction" ADD VALUE IF NOT EXISTS 'tracking_off';
ALTER TYPE "ConsentAction" ADD VALUE IF NOT EXISTS 'tracking_on';
ALTER TABLE "contacts" ADD COLUMN "click_tracking_off" BOOLEAN NOT NULL DEFAULT false;

-- Whether a category's mail has its links wrapped in signed redirects. Existing rows by class:
-- promotional on, transactional off. A required category's mail (security, policy notices) is never
-- tracked: its links may carry a capability (a sign-in link), and nobody chose to receive it.
ALTER TABLE "categories" ADD COLUMN "track_clicks" BOOLEAN NOT NULL DEFAULT false;
UPDATE "categories" SET "track_clicks" = ("class" = 'promotional');
ALTER TABLE "categories" ADD CONSTRAINT "categories_required_not_tracked"
  CHECK (NOT ("required" AND "track_clicks"));

-- Optional UTM parameters a campaign appends to its tracked links: { source, medium, campaign }.
ALTER TABLE "campaigns" ADD COLUMN "utm" JSONB;

-- One row per request to /c/{token}, written in batches by the web server. The message and the
-- link come from the signed token; the category, campaign and contact are the message's. machine
-- says why a click is not a person's when the request itself tells (a known scanner's user agent,
-- a HEAD request); a burst right after delivery is recognised when the clicks are counted.
CREATE TABLE "link_clicks" (
    "id" BIGSERIAL NOT NULL,
    "message_id" UUID NOT NULL,
    "link_index" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "clicked_at" TIMESTAMP(3) NOT NULL,
    "machine" TEXT,
    CONSTRAINT "link_clicks_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "link_clicks_message_id_clicked_at_idx" ON "link_clicks"("message_id", "clicked_at");
ALTER TABLE "link_clicks" ADD CONSTRAINT "link_clicks_message_id_fkey" FOREIGN KEY ("message_id")
  REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

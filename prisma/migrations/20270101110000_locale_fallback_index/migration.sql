-- The console's templates page counts the messages of the last 30 days that went in the default
-- language because the reader's had no translation (or it did not render): the worker marks those
-- sent events with "localeFallback". A partial index holds only them, so counting reads no other
-- event and costs the rest of the mail nothing.
CREATE INDEX "message_events_locale_fallback_idx" ON "message_events" ("occurred_at")
  WHERE "type" = 'sent' AND "detail" ? 'localeFallback';

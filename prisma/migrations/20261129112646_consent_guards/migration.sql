-- Rules the Prisma schema cannot express. CHECK constraints and triggers are invisible to
-- Prisma's schema diff, so `prisma migrate diff` between schema.prisma and the migrations
-- stays empty with them in place (packages/db/test/migrations.test.ts checks it).

-- Only transactional categories may be required: a promotional category is always optional.
ALTER TABLE "categories"
  ADD CONSTRAINT "categories_required_only_transactional"
  CHECK (NOT "required" OR "class" = 'transactional');

-- Category keys are kebab-case: lower-case letters and digits in words joined by single hyphens.
ALTER TABLE "categories"
  ADD CONSTRAINT "categories_key_kebab_case"
  CHECK ("key" ~ '^[a-z0-9]+(-[a-z0-9]+)*$');

-- The consent log is the proof of consent (GDPR Art. 7(1)): rows are added, never changed or removed.
CREATE FUNCTION "consent_log_refuse_change"() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'consent_log is append-only: % of consent_log row % refused', TG_OP, OLD."id"
    USING ERRCODE = 'raise_exception',
          HINT = 'Record the change as a new consent_log entry instead.';
END;
$$;

CREATE TRIGGER "consent_log_append_only"
  BEFORE UPDATE OR DELETE ON "consent_log"
  FOR EACH ROW EXECUTE FUNCTION "consent_log_refuse_change"();

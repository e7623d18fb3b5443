-- A template version keeps MJML's output (footer included, Handlebars expressions in place), made
-- when it is saved, so workers send without loading MJML. Versions saved before this column existed
-- have none; a worker compiles their MJML once, as it always did.
ALTER TABLE "templates" ADD COLUMN "html" TEXT;

-- Background imports (POST /v1/imports?background=true): the request stages the file's valid rows
-- in import_rows and answers at once; a worker applies them, each row in its own transaction that
-- also marks it done, so an import a worker dropped (a crash, a deploy) resumes where it stopped and
-- applies no row twice. The imports row shows the progress; its lease says which worker holds it.

ALTER TABLE "imports"
  ADD COLUMN "status" TEXT NOT NULL DEFAULT 'finished',
  ADD COLUMN "total_rows" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "processed_rows" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "started_at" TIMESTAMP(3),
  ADD COLUMN "lease_until" TIMESTAMP(3);

-- The worker's look for work: imports not finished yet.
CREATE INDEX "imports_pending_idx" ON "imports" ("created_at") WHERE "status" IN ('queued', 'running');

CREATE TABLE "import_rows" (
  "import_id" UUID NOT NULL,
  "line" INTEGER NOT NULL,
  "row" JSONB NOT NULL,
  -- Set in the transaction that applied the row: created or updated (or null), and what it did.
  "done" BOOLEAN NOT NULL DEFAULT false,
  "contact" TEXT,
  "outcome" TEXT,
  CONSTRAINT "import_rows_pkey" PRIMARY KEY ("import_id", "line"),
  CONSTRAINT "import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "import_rows_pending_idx" ON "import_rows" ("import_id", "line") WHERE NOT "done";

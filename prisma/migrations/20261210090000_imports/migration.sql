-- Contact imports (issue 14): a record of each import (POST /v1/imports) and the rows it could
-- not apply, by line, for GET /v1/imports/{id}/errors. Dry runs write neither.

-- CreateTable
CREATE TABLE "imports" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "categories" TEXT[],
    "counts" JSONB NOT NULL DEFAULT '{}',
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_errors" (
    "id" BIGSERIAL NOT NULL,
    "import_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "import_errors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "import_errors_import_id_line_idx" ON "import_errors"("import_id", "line");

-- AddForeignKey
ALTER TABLE "import_errors" ADD CONSTRAINT "import_errors_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;


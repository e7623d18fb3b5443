#!/usr/bin/env bash
# `npm test`: from a fresh clone, with PostgreSQL and Redis reachable: install, build, create,
# migrate and seed a separate test database, run every test. That database is a template: each test
# file works on a copy of its own (@herald/test-support/isolated-database), so files run in parallel.
# Results also go to test-results/vitest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

export NODE_ENV=test
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/herald_test}"
ensure_services
ensure_dependencies
ensure_chromium

echo "== build"
npx turbo run build --output-logs=errors-only

echo "== test database ${TEST_DATABASE_URL}"
reset_database "$TEST_DATABASE_URL"

echo "== tests"
mkdir -p test-results
export DATABASE_URL="$TEST_DATABASE_URL"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"

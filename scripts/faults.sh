#!/usr/bin/env bash
# `npm run faults`: issue 9's fault scenarios through real processes (the built API and workers, the
# controllable SMTP server, a private redis-server, a TCP proxy in front of PostgreSQL), each on a
# database of its own copied from `herald_faults` (migrated and seeded here, as scripts/test.sh does for
# herald_test). Prints one row per scenario and the table, writes test-results/faults.json, and exits
# non-zero when any scenario fails. The machine's PostgreSQL and Redis are never stopped.
#   FAULTS_ONLY=worker-kill,blocked-relay   run some scenarios only (names in test/faults/run-faults.ts)
#   FAULTS_CONTACTS=5000 FAULTS_OUTAGE_S=60 FAULTS_BURST=300 FAULTS_SETTLE_S=300   sizes (defaults shown)
# A quick run: FAULTS_CONTACTS=500 FAULTS_OUTAGE_S=10 FAULTS_BURST=60 npm run faults
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

export FAULTS_DATABASE_URL="${FAULTS_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/herald_faults}"
ensure_services
ensure_dependencies

echo "== build"
npx turbo run build --filter=@herald/api --filter=@herald/web --output-logs=errors-only

echo "== template database ${FAULTS_DATABASE_URL}"
reset_database "$FAULTS_DATABASE_URL"

echo "== faults"
mkdir -p test-results
node --import tsx test/faults/run-faults.ts

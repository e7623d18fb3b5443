#!/usr/bin/env bash
# `npm run bench`: builds, prepares a separate benchmark database, runs each benchmark; each prints
# its figures and writes bench/results/<name>.json. BENCH_ONLY=delivery runs one. Sizes come from
# BENCH_* variables (each benchmark's header lists its own), e.g. a quick run:
#   BENCH_BURST=1000 BENCH_SECONDS=5 BENCH_CAMPAIGN_CONTACTS=10000 BENCH_KILL_CONTACTS=5000 \
#   BENCH_MILLION_CONTACTS=200000 BENCH_POLICY_CONTACTS=10000 BENCH_EVIDENCE_VERIFY_ROWS=300000 npm run bench
# Herald, the SMTP server and the bare nodemailer baseline each run in processes of their own;
# compare figures as the ratios taken within one run, not across runs or machines.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh
export BENCH_DATABASE_URL="${BENCH_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/herald_bench}"
ensure_services
ensure_dependencies
npx turbo run build --output-logs=errors-only
reset_database "$BENCH_DATABASE_URL"
if [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = apply-unsubscribe ]; then
  echo "== bench: apply-unsubscribe (the consent write of one-click, without HTTP)"
  DATABASE_URL="$BENCH_DATABASE_URL" npm run bench --workspace @herald/preferences --silent
fi
# The light benchmarks first: the campaign and policy runs write millions of rows, and PostgreSQL's
# checkpoints and autovacuum after them would slow whatever ran next.
for name in delivery batch one-click clicks inbound-reports webhooks lists evidence conformance campaign-feedback campaign policy; do
  bench="bench/$name.bench.ts"
  if [ -n "${BENCH_ONLY:-}" ] && [ "$BENCH_ONLY" != "$name" ]; then continue; fi
  echo "== bench: $name"
  DATABASE_URL="$BENCH_DATABASE_URL" node --import tsx "$bench"
done
echo "== summary (bench/summary.ts)"
node --import tsx bench/summary.ts

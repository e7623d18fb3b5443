#!/usr/bin/env bash
# `npm run demo`: installs what is missing, builds, prepares the database and runs Herald with a
# local mail catcher. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/services.sh

if [ ! -f .env ]; then
  echo "== writing .env with a fresh signing key and API key (kept for the next run)"
  node -e '
    const { randomBytes } = require("crypto");
    const kid = "k" + randomBytes(2).toString("hex");
    console.log(`HERALD_SECRET=${kid}:${randomBytes(32).toString("base64url")}`);
    console.log(`HERALD_API_KEY=hk_${randomBytes(24).toString("base64url")}`);
    console.log(`HERALD_ADMIN_EMAIL=admin@example.com`);
    console.log(`HERALD_ADMIN_PASSWORD=${randomBytes(9).toString("base64url")}`);
  ' > .env
fi
for name in HERALD_IP_SALT HERALD_ADDRESS_HASH_KEY; do
  if ! grep -q "^$name=" .env; then
    # The consent log's client-address salt and the suppression list's address-hash key: a production
    # process refuses the public development values. The key must then never change (README).
    node -e 'console.log(process.argv[1] + "=" + require("crypto").randomBytes(32).toString("base64url"))' "$name" >> .env
  fi
done
if ! grep -q '^HERALD_EVIDENCE_KEY=' .env; then
  # The consent log's anchor-signing key (Ed25519, base64 PKCS#8): its public half is served at
  # /.well-known/herald-evidence-key; keep the key, or anchors signed before cannot be checked with it.
  node -e 'console.log("HERALD_EVIDENCE_KEY=" + require("crypto").generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"))' >> .env
fi
if ! grep -q '^HERALD_WEB_API_KEY=' .env; then
  # The web app's own key: the API gives it only sign-in mail, notices and the policy page (README, scopes).
  node -e 'console.log("HERALD_WEB_API_KEY=hk_" + require("crypto").randomBytes(24).toString("base64url"))' >> .env
fi
if ! grep -q '^HERALD_ADMIN_PASSWORD=' .env; then
  # A .env from an earlier version: add the console admin so its password stays the same between runs.
  node -e 'console.log("HERALD_ADMIN_EMAIL=admin@example.com\nHERALD_ADMIN_PASSWORD=" + require("crypto").randomBytes(9).toString("base64url"))' >> .env
fi
set -a
source .env
set +a
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/herald}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"

ensure_services
ensure_dependencies
echo "== build"
npx turbo run build --output-logs=errors-only
echo "== database ${DATABASE_URL}"
node scripts/create-database.mjs "$DATABASE_URL"
npx prisma migrate deploy
HERALD_SEED_DEMO=1 npx prisma db seed
# tsx: the demo's reports are built with @herald/test-support, which is TypeScript source.
exec node --import tsx scripts/demo.mjs "$@"

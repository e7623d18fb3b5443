# Checks that PostgreSQL and Redis answer; on a machine where we are root and they are installed
# but stopped, starts them (docs/architecture.md, "Services"). Otherwise says which one and how, and fails.
# shellcheck shell=bash

pg_url_host_port() { node -e 'const u=new URL(process.argv[1]);console.log(`${u.hostname} ${u.port||5432}`)' "$1"; }

port_open() { # host port
  node -e 'const s=require("net").connect(+process.argv[2],process.argv[1]);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),2000)' "$1" "$2"
}

ensure_services() {
  local db_url="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/herald}"
  local redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
  read -r pg_host pg_port < <(pg_url_host_port "$db_url")
  read -r redis_host redis_port < <(pg_url_host_port "$redis_url")
  if ! port_open "$pg_host" "$pg_port"; then
    if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
      echo "PostgreSQL is not answering on $pg_host:$pg_port; starting it"
      pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
      sleep 2
    fi
    if ! port_open "$pg_host" "$pg_port"; then
      echo "error: PostgreSQL is not reachable at $pg_host:$pg_port (DATABASE_URL)." >&2
      echo "  Start it (e.g. 'pg_ctlcluster 15 main start', or 'docker compose up -d postgres' with compose.yaml) or set DATABASE_URL." >&2
      return 1
    fi
  fi
  if ! port_open "$redis_host" "$redis_port"; then
    if [ "$(id -u)" = 0 ] && command -v redis-server >/dev/null; then
      echo "Redis is not answering on $redis_host:$redis_port; starting it"
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
      sleep 1
    fi
    if ! port_open "$redis_host" "$redis_port"; then
      echo "error: Redis is not reachable at $redis_host:$redis_port (REDIS_URL)." >&2
      echo "  Start it (e.g. 'redis-server --daemonize yes', or 'docker compose up -d redis') or set REDIS_URL." >&2
      return 1
    fi
  fi
}

ensure_dependencies() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "installing dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# Debian's chromium for the browser tests (playwright-core drives it; nothing is downloaded).
ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$path" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -x "$path" ]; then
    echo "error: the browser tests need Chromium at $path (apt-get install chromium, or set CHROMIUM_PATH)." >&2
    return 1
  fi
}

# A database made anew at $1, migrated and seeded with the standard categories and templates: what
# the tests copy per file, and what the benchmarks and fault scenarios start from.
reset_database() {
  local url="$1"
  node scripts/create-database.mjs "$url" --reset
  DATABASE_URL="$url" npx prisma migrate deploy
  DATABASE_URL="$url" npx prisma db seed
}

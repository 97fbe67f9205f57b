#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster, then removes the cluster.
#
#   bash scripts/with-postgres.sh npx vitest run --project unit tests/server/store.test.ts
#
# The cluster lives in a temp dir (initdb as the postgres user: initdb refuses to run as root), listens on
# 127.0.0.1:${PGPORT:-5433} with fsync off, and gets a database `app`. The command sees
# TEST_DATABASE_URL=postgres://postgres@127.0.0.1:<port>/app. The cluster is stopped and deleted on exit,
# whatever happens, and the command's exit code is passed on.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 64
fi

PORT="${PGPORT:-5433}"

# The newest installed server version, e.g. /usr/lib/postgresql/15/bin.
BIN=""
if [ -n "${PG_BIN:-}" ]; then
  BIN="$PG_BIN"
else
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then BIN="$dir"; fi
  done
fi
if [ -z "$BIN" ]; then
  echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql (apt-get install -y postgresql)" >&2
  exit 69
fi

PGTMP="$(mktemp -d /tmp/with-postgres.XXXXXX)"
AS_POSTGRES=()
if [ "$(id -u)" = "0" ]; then
  chown postgres:postgres "$PGTMP"
  AS_POSTGRES=(su postgres -s /bin/bash -c)
else
  AS_POSTGRES=(bash -c)
fi
run_pg() { "${AS_POSTGRES[@]}" "$1"; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  if [ -f "$PGTMP/data/postmaster.pid" ]; then
    run_pg "'$BIN/pg_ctl' -D '$PGTMP/data' -m fast -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$PGTMP"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

run_pg "'$BIN/initdb' -D '$PGTMP/data' -A trust -U postgres --no-sync" >"$PGTMP/initdb.log" 2>&1 || {
  cat "$PGTMP/initdb.log" >&2
  exit 70
}
run_pg "'$BIN/pg_ctl' -D '$PGTMP/data' -o \"-p $PORT -k '$PGTMP' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" -l '$PGTMP/log' -w start" >/dev/null || {
  echo "with-postgres: the server did not start (port $PORT busy? set PGPORT)" >&2
  cat "$PGTMP/log" >&2 || true
  exit 70
}
"$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q -c 'create database app' >/dev/null

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/app"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT ($TEST_DATABASE_URL)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"

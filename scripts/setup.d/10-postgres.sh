#!/usr/bin/env bash
# PostgreSQL for the registry tests: install Debian's server if missing, run a private cluster on
# 127.0.0.1:55432 from /tmp/speerpunt-pg, create the user and database, and write the URL to
# /tmp/speerpunt-pg/url (tests/registry/conftest.py reads it). Idempotent; quick when already running.
# Must run as root (it installs packages and runs the server as the postgres user).
set -euo pipefail

PGROOT="${SPEERPUNT_PG_DIR:-/tmp/speerpunt-pg}"
PGDATA="$PGROOT/data"
PORT="${SPEERPUNT_PG_PORT:-55432}"
DB=speerpunt_test
ROLE=speerpunt
PASSWORD=speerpunt
URL="postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"

bin_dir() {
  # the newest installed server version
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

if [ "$(id -u)" -ne 0 ]; then
  echo "10-postgres.sh: must run as root" >&2
  exit 1
fi

BIN="$(bin_dir)"
if [ -z "$BIN" ] || [ ! -x "$BIN/postgres" ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y --no-install-recommends postgresql >/dev/null
  fi
  BIN="$(bin_dir)"
fi

# quick path: the cluster answers and the URL file is there
if [ -f "$PGROOT/url" ] && "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  exit 0
fi

mkdir -p "$PGROOT"
chown postgres:postgres "$PGROOT"
chmod 700 "$PGROOT"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  as_postgres "$BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -f "$PGDATA/postmaster.pid"
  as_postgres "$BIN/pg_ctl" -D "$PGDATA" -l "$PGROOT/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGROOT -c fsync=off" start >/dev/null
fi

psql_admin() {
  as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"
}
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  # superuser: the tests drop and recreate the public schema between tests
  psql_admin "CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  psql_admin "CREATE DATABASE $DB OWNER $ROLE"
fi

umask 022
echo "$URL" > "$PGROOT/url.tmp"
mv "$PGROOT/url.tmp" "$PGROOT/url"
chmod 755 "$PGROOT"
echo "PostgreSQL ready: $URL"

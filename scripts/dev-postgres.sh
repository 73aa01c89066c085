#!/usr/bin/env bash
# Starts a local PostgreSQL for development (until the AppHost does it for you) and prints the
# connection string to give the Api. Data lives in /var/tmp/taskevents-dev-pg; run again to restart it,
# `scripts/dev-postgres.sh stop` to stop it.
set -euo pipefail
dir=/var/tmp/taskevents-dev-pg
port=${PGPORT:-5433}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found: apt-get install -y postgresql" >&2; exit 1; }
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then run "$bin/pg_ctl" -D "$dir/cluster" -m fast stop; exit 0; fi

if [ ! -f "$dir/cluster/PG_VERSION" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  echo "taskevents" > /tmp/taskevents-dev-pw && chmod 644 /tmp/taskevents-dev-pw
  run "$bin/initdb" -D "$dir/cluster" -U postgres --pwfile /tmp/taskevents-dev-pw --auth scram-sha-256 -E UTF8 --locale C >/dev/null
  rm -f /tmp/taskevents-dev-pw
fi
run "$bin/pg_ctl" -D "$dir/cluster" -l "$dir/postgres.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir" status >/dev/null 2>&1 \
  || run "$bin/pg_ctl" -D "$dir/cluster" -l "$dir/postgres.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir" start >/dev/null
PGPASSWORD=taskevents psql -h 127.0.0.1 -p "$port" -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='taskevents'" | grep -q 1 \
  || PGPASSWORD=taskevents psql -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE taskevents" >/dev/null
echo "export ConnectionStrings__taskevents='Host=127.0.0.1;Port=$port;Username=postgres;Password=taskevents;Database=taskevents'"

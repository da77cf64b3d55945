#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the store tests (docs/store.md "Testing").
#
#   scripts/pg-test-server.sh start DIR [OWNER_PID]
#       initdb in DIR/data, listen only on a Unix socket in DIR (listen_addresses=''), fsync on,
#       start, and print the conninfo on stdout:  host=DIR port=5432 dbname=postgres user=postgres
#       With OWNER_PID, a watchdog stops the cluster once that process has gone (even after a crash).
#       Starting a running cluster just prints its conninfo again.
#   scripts/pg-test-server.sh stop DIR
#       Stops the cluster and removes the files `start` made. Idempotent: no cluster -> success.
#
# PostgreSQL refuses to run as root: as root the cluster is created and run as the `postgres` OS
# user (runuser -u postgres --). Binaries: $ACCORD_PG_BIN or /usr/lib/postgresql/15/bin.
set -Eeuo pipefail

PGBIN="${ACCORD_PG_BIN:-/usr/lib/postgresql/15/bin}"
MARKER=".accord-pg-test"

die() { echo "pg-test-server: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR [OWNER_PID] | stop DIR"; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

conninfo() { echo "host=$1 port=5432 dbname=postgres user=postgres"; }

stop_cluster() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ] && [ -x "$PGBIN/pg_ctl" ]; then
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || \
      as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  # Only ever delete what `start` created.
  if [ -f "$dir/$MARKER" ]; then
    rm -rf "$dir/data" "$dir/initdb.log" "$dir/server.log" "$dir/$MARKER"
    rmdir "$dir" 2>/dev/null || true
  fi
}

start_cluster() {
  local dir="$1" owner="${2:-}"
  for b in initdb pg_ctl postgres; do
    [ -x "$PGBIN/$b" ] || die "missing $PGBIN/$b (install Debian's postgresql-15)"
  done
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if [ -f "$dir/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    conninfo "$dir"
    return 0
  fi
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user"
    chown postgres: "$dir"
  fi
  chmod 700 "$dir"
  touch "$dir/$MARKER"
  # A failure from here on leaves nothing running.
  trap 'stop_cluster "$dir"; die "could not start PostgreSQL in $dir"' ERR

  if ! as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    false
  fi
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
fsync = on
max_connections = 60
CONF
  if ! as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
    tail -n 20 "$dir/server.log" >&2 || true
    false
  fi
  trap - ERR
  if [ -n "$owner" ]; then
    # Watchdog: stops the cluster when the owner exits, however it exits. All its file
    # descriptors point away from the caller's pipes so the caller sees EOF at once.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" stop "$3"' \
      _ "$owner" "$(readlink -f "$0")" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  conninfo "$dir"
}

[ $# -ge 2 ] || usage
case "$1" in
  start) start_cluster "$2" "${3:-}" ;;
  stop) stop_cluster "$2" ;;
  *) usage ;;
esac

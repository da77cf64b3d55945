#!/usr/bin/env bash
# Where a token request's server CPU goes: Accord's client_credentials grant under several store
# and thread settings, alternated in one run so the machine's drift hits every setting alike.
#
#   bench/provider/cpu_ab.sh [ACCORD_BINARY]     (default: build/default/src/app/accord)
#
# Each round starts `accord serve` once per setting (fresh store), warms it with 2,000 requests,
# then sends 10,000 client_credentials requests (wrk -t2 -c64, pre-signed ES256 assertions, one
# per request) and reads the server's CPU time from /proc. It prints, per setting, the server
# CPU per request of every round and their median; the settings are:
#   disk      SQLite file in the work directory (the default deployment: WAL + group fsync)
#   shm       SQLite file in /dev/shm (the same SQL, no disk: fsync and writeback cost nothing)
#   memory    SQLite ":memory:" (no WAL file, no file locks: the SQL alone)
#   workers4  as disk, with server.worker_threads = 4 instead of 32
#   memory4   as memory, with 4 worker threads
#   shm4      as shm, with 4 worker threads
# Environment: ROUNDS (default 5), SETTINGS (default "disk shm memory workers4").
# Every process started here is stopped on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=config.sh
source "$HERE/config.sh"
ACCORD=${1:-$REPO/build/default/src/app/accord}
ROUNDS=${ROUNDS:-5}
SETTINGS=${SETTINGS:-disk shm memory workers4}
WARM=2000
MEASURE=10000

for tool in wrk node curl; do
  command -v "$tool" >/dev/null || { echo "cpu_ab.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done
[[ -x $ACCORD ]] || { echo "cpu_ab.sh: $ACCORD is not executable (build it first)" >&2; exit 1; }
ACCORD=$(realpath "$ACCORD")

WORK=$(mktemp -d /tmp/accord-cpu-ab.XXXXXX)
SHM_DB=/dev/shm/accord-cpu-ab-$$.db
SERVER=
cleanup() {
  [[ -n $SERVER ]] && { kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [[ ${KEEP:-0} == 1 ]] && echo "cpu_ab.sh: kept $WORK" >&2 || rm -rf "$WORK"
  rm -f "$SHM_DB" "$SHM_DB-wal" "$SHM_DB-shm"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node "$HERE/tool.mjs" keys "$WORK"
PORT=$(node "$HERE/tool.mjs" ports 1 | head -1)
URL=http://127.0.0.1:$PORT
head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n' >"$WORK/kek"
chmod 600 "$WORK/kek"

# config SQLITE_PATH WORKERS
config() {
  bench_config "$WORK/accord.toml" "$PORT" "$1" "$2" '"openid"' http://localhost:3000/cb "$REPO" \
    "$WORK/client.jwks.json"
}

# Fresh assertions (they live 240 s; each jti is accepted once per store, and every run has a
# fresh store, so one set serves every setting of a round).
sign_bodies() {
  node "$HERE/tool.mjs" bodies "$WORK" "$URL/token" cc - "$WORK/all" $((WARM + MEASURE)) >/dev/null
  head -n "$WARM" "$WORK/all" >"$WORK/warm"
  tail -n "$MEASURE" "$WORK/all" >"$WORK/measure"
}

# drive BODIES: wrk until every body is sent (token.lua marks exhausted threads; stop wrk then).
drive() {
  rm -f "$WORK"/done.*
  wrk --timeout 10s -t2 -c64 -d120s -s "$HERE/token.lua" "$URL/token" -- "$1" 2 "$WORK/done" >"$WORK/wrk.out" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    [[ $(find "$WORK" -maxdepth 1 -name 'done.*' | wc -l) -ge 2 ]] && kill -INT "$pid" 2>/dev/null
    sleep 0.05
  done
  wait "$pid" || true
  grep -q '^RESULT' "$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; echo "cpu_ab.sh: wrk failed" >&2; exit 1; }
}

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# run SETTING: prints the server CPU in us per measured request.
run() {
  local db=$WORK/accord.db workers=32
  case $1 in
    disk) ;;
    shm) db=$SHM_DB ;;
    memory) db=:memory: ;;
    workers4) workers=4 ;;
    memory4) db=:memory: workers=4 ;;
    shm4) db=$SHM_DB workers=4 ;;
    *) echo "cpu_ab.sh: unknown setting $1" >&2; exit 2 ;;
  esac
  rm -f "$WORK/accord.db"* "$SHM_DB"*
  config "$db" "$workers"
  (cd "$WORK" && exec "$ACCORD" serve --config accord.toml >"$WORK/accord.log" 2>&1) &
  SERVER=$!
  local i
  for ((i = 0; i < 100; i++)); do curl -sf -o /dev/null "$URL/jwks" && break; sleep 0.1; done
  curl -sf -o /dev/null "$URL/jwks" || { cat "$WORK/accord.log" >&2; echo "cpu_ab.sh: accord did not start" >&2; exit 1; }
  drive "$WORK/warm"
  local c0 c1 ok
  c0=$(ticks "$SERVER")
  drive "$WORK/measure"
  c1=$(ticks "$SERVER")
  ok=$(sed -n 's/^RESULT ok=\([0-9]*\).*/\1/p' "$WORK/wrk.out")
  kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  [[ $ok -ge $((MEASURE * 99 / 100)) ]] || { echo "cpu_ab.sh: $1: only $ok of $MEASURE requests succeeded" >&2; exit 1; }
  awk -v t=$((c1 - c0)) -v n="$MEASURE" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }'
}

declare -A RESULTS
for ((round = 1; round <= ROUNDS; round++)); do
  sign_bodies
  for s in $SETTINGS; do
    RESULTS[$s]="${RESULTS[$s]:-} $(run "$s")"
  done
  echo "[$(date +%T)] round $round of $ROUNDS done" >&2
done

echo "client_credentials, server CPU us per request (wrk -t2 -c64, $MEASURE requests per run, $ROUNDS rounds)"
printf '%-10s %8s   %s\n' setting median runs
for s in $SETTINGS; do
  median=$(tr ' ' '\n' <<<"${RESULTS[$s]}" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-10s %8s  %s\n' "$s" "$median" "${RESULTS[$s]}"
done

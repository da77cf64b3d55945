#!/usr/bin/env bash
# Where a token request's server CPU goes: Accord's client_credentials (or authorization_code)
# grant under several store and thread settings, or two builds, alternated in one run so the
# machine's drift hits every setting alike.
#
#   bench/provider/cpu_ab.sh [ACCORD_BINARY [SECOND_BINARY]]   (default: build/default/src/app/accord)
#
# A setting name ending in "@2" runs SECOND_BINARY instead (e.g. SETTINGS="disk disk@2" compares
# two builds, alternated like any two settings). Both binaries must lie inside a checkout (accord
# finds web/ and data/ beside itself).
# Each round starts `accord serve` once per setting (fresh store), warms it with 2,000 requests,
# then sends 10,000 client_credentials requests (GRANT below for codes; wrk -t2 -c64, pre-signed
# ES256 assertions, one per request) and reads the server's CPU time from /proc. It prints, per
# setting, the server CPU per answered request of every round and their median, the median
# context switches per request (all of the server's threads, from /proc), and the store's write
# batching of the measured requests (bodies per transaction and per fsync, from /metrics); the
# settings are:
#   disk      SQLite file in the work directory (the default deployment: WAL + group fsync)
#   shm       SQLite file in /dev/shm (the same SQL, no disk: fsync and writeback cost nothing)
#   memory    SQLite ":memory:" (no WAL file, no file locks: the SQL alone)
#   workers4  as disk, with server.worker_threads = 4 instead of 32
#   memory4   as memory, with 4 worker threads
#   shm4      as shm, with 4 worker threads
#   inline    as disk, with server.worker_threads = 0 (handlers on the I/O threads)
#   memory0   as memory, with handlers on the I/O threads
#   unbounded as disk, with server.handler_concurrency = 0 (all 32 worker threads may run at once;
#             the behaviour before the bound existed)
#   concN     as disk, with server.handler_concurrency = N (N = 1..64)
# Without a conc/unbounded setting, handler_concurrency is accord's default.
# PROFILE=DIR records `perf record` of the server during each measured run, as
# DIR/SETTING.ROUND.data (perf report -i FILE --no-children --sort dso,sym), with PROFILE_OPTS
# (default "-F 1999 -g"; "-F 999 --call-graph dwarf,16384" attributes time to callers).
# Environment: ROUNDS (default 5), SETTINGS (default "disk shm memory workers4"), GRANT (cc, the
# default, or code: authorization_code exchanges of codes minted through real sandbox logins
# before each measured run, 1,000 warm-up and 6,000 measured; each setting mints its own, as
# codes belong to one store).
# Every process started here is stopped on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=config.sh
source "$HERE/config.sh"
ACCORD=${1:-$REPO/build/default/src/app/accord}
ROUNDS=${ROUNDS:-5}
SETTINGS=${SETTINGS:-disk shm memory workers4}
GRANT=${GRANT:-cc}
case $GRANT in
  cc) WARM=2000 MEASURE=10000 ;;
  code) WARM=1000 MEASURE=6000 ;;
  *) echo "cpu_ab.sh: GRANT is cc or code" >&2; exit 2 ;;
esac
PERSON=sandbox-sg-0001
REDIRECT_URI=http://localhost:3000/cb

for tool in wrk node curl; do
  command -v "$tool" >/dev/null || { echo "cpu_ab.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done
[[ -x $ACCORD ]] || { echo "cpu_ab.sh: $ACCORD is not executable (build it first)" >&2; exit 1; }
ACCORD=$(realpath "$ACCORD")
ACCORD2=${2:-}
if [[ -n $ACCORD2 ]]; then
  [[ -x $ACCORD2 ]] || { echo "cpu_ab.sh: $ACCORD2 is not executable" >&2; exit 1; }
  ACCORD2=$(realpath "$ACCORD2")
fi

WORK=$(mktemp -d /tmp/accord-cpu-ab.XXXXXX)
SHM_DB=/dev/shm/accord-cpu-ab-$$.db
SERVER=
cleanup() {
  [[ -n $SERVER ]] && { kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [[ ${KEEP:-0} == 1 ]] && echo "cpu_ab.sh: kept $WORK" >&2 || rm -rf "$WORK"
  rm -rf "$SHM_DB" "$SHM_DB-wal" "$SHM_DB-shm" "$SHM_DB-replay"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

node "$HERE/tool.mjs" keys "$WORK"
PORT=$(node "$HERE/tool.mjs" ports 1 | head -1)
URL=http://127.0.0.1:$PORT
echo "$REDIRECT_URI" >"$WORK/redirect_uri"
head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n' >"$WORK/kek"
chmod 600 "$WORK/kek"

# config SQLITE_PATH WORKERS [CONCURRENCY]
config() {
  bench_config "$WORK/accord.toml" "$PORT" "$1" "$2" '"openid"' "$REDIRECT_URI" "$REPO" \
    "$WORK/client.jwks.json" "${3:-}"
}

# Fresh assertions (they live 240 s; each jti is accepted once per store, and every run has a
# fresh store, so one set serves every setting of a round).
sign_bodies() {
  node "$HERE/tool.mjs" bodies "$WORK" "$URL/token" cc - "$WORK/all" $((WARM + MEASURE)) >/dev/null
  head -n "$WARM" "$WORK/all" >"$WORK/warm"
  tail -n "$MEASURE" "$WORK/all" >"$WORK/measure"
}

# mint_codes N: N codes through real logins on the running server, then one token request body
# per code in $WORK/all (codes live 60 s: minted right before they are exchanged).
mint_codes() {
  local per=$((($1 + 1) / 2)) authorize pid
  authorize=$(bench_authorize_path openid "$REDIRECT_URI" "$(cat "$WORK/challenge")")
  rm -f "$WORK"/codes.*
  wrk --timeout 10s -t2 -c32 -d50s -s "$HERE/login.lua" "$URL" -- "$authorize" "$PERSON" \
    "$WORK/codes" "$per" >"$WORK/mint.out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    [[ $(find "$WORK" -maxdepth 1 -name 'codes.*' | wc -l) -ge 2 ]] && kill -INT "$pid" 2>/dev/null
    sleep 0.05
  done
  wait "$pid" || true
  cat "$WORK"/codes.* | grep -v '^$' | head -n "$1" >"$WORK/codes" || true
  [[ $(wc -l <"$WORK/codes") -ge $1 ]] || { cat "$WORK/mint.out" >&2; echo "cpu_ab.sh: minting codes failed" >&2; exit 1; }
  node "$HERE/tool.mjs" bodies "$WORK" "$URL/token" code "$WORK/codes" "$WORK/all" >/dev/null
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
# Context switches (voluntary + involuntary) of every thread of process $1 so far.
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { n += $2 } END { print n + 0 }'; }

# The store's write transactions, bodies and group fsyncs so far, one per line (from /metrics).
store_counters() {
  curl -sf "$URL/metrics" | awk '
    /^accord_store_write_transactions_total / { t = $2 } /^accord_store_write_bodies_total / { b = $2 }
    /^accord_store_group_syncs_total / { f = $2 }
    END { printf "%d\n%d\n%d\n", t, b, f }'
}

# run SETTING: prints the server CPU in us per measured request.
run() {
  local db=$WORK/accord.db workers=32 concurrency= binary=$ACCORD setting=$1
  if [[ $setting == *@2 ]]; then
    [[ -n $ACCORD2 ]] || { echo "cpu_ab.sh: $1 needs a second binary" >&2; exit 2; }
    binary=$ACCORD2 setting=${setting%@2}
  fi
  case $setting in
    disk) ;;
    shm) db=$SHM_DB ;;
    memory) db=:memory: ;;
    workers4) workers=4 ;;
    memory4) db=:memory: workers=4 ;;
    shm4) db=$SHM_DB workers=4 ;;
    inline) workers=0 ;;
    memory0) db=:memory: workers=0 ;;
    unbounded) concurrency=0 ;;
    conc[1-9] | conc[1-6][0-9]) concurrency=${setting#conc} ;;
    *) echo "cpu_ab.sh: unknown setting $1" >&2; exit 2 ;;
  esac
  rm -rf "$WORK/accord.db"* "$SHM_DB"*  # the file, its -wal, -shm and -replay/
  config "$db" "$workers" "$concurrency"
  (cd "$WORK" && exec "$binary" serve --config accord.toml >"$WORK/accord.log" 2>&1) &
  SERVER=$!
  local i
  for ((i = 0; i < 100; i++)); do curl -sf -o /dev/null "$URL/jwks" && break; sleep 0.1; done
  curl -sf -o /dev/null "$URL/jwks" || { cat "$WORK/accord.log" >&2; echo "cpu_ab.sh: accord did not start" >&2; exit 1; }
  [[ $GRANT == code ]] && mint_codes $((WARM + MEASURE))
  drive "$WORK/warm"
  local c0 c1 s0 s1 ok m0 m1 perf=
  store_counters >"$WORK/m0"
  if [[ -n ${PROFILE:-} ]]; then
    mkdir -p "$PROFILE"
    # shellcheck disable=SC2086  # PROFILE_OPTS is a list of options
    perf record -q ${PROFILE_OPTS:--F 1999 -g} -p "$SERVER" -o "$PROFILE/$1.$round.data" >/dev/null 2>&1 &
    perf=$!
    sleep 0.5  # perf attaches to every thread before the load starts
  fi
  c0=$(ticks "$SERVER")
  s0=$(switches "$SERVER")
  drive "$WORK/measure"
  c1=$(ticks "$SERVER")
  s1=$(switches "$SERVER")
  [[ -n $perf ]] && { kill -INT "$perf"; wait "$perf" 2>/dev/null || true; }
  store_counters >"$WORK/m1"
  ok=$(sed -n 's/^RESULT ok=\([0-9]*\).*/\1/p' "$WORK/wrk.out")
  awk -v d=$((s1 - s0)) -v n="${ok:-1}" 'BEGIN { printf "%.1f\n", d / n }' >>"$WORK/switches.$1"
  paste "$WORK/m0" "$WORK/m1" | awk -v s="$1" '
    NR == 1 { t = $2 - $1 } NR == 2 { b = $2 - $1 } NR == 3 { f = $2 - $1 }
    END { if (t > 0 && f > 0) printf "%s bodies/transaction %.2f, bodies/fsync %.1f\n", s, b / t, b / f }' >>"$WORK/store.txt" || true
  kill -TERM "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  # wrk stops once every body is sent: up to one request per connection may go unanswered.
  [[ $ok -ge $((MEASURE - 128)) ]] || { echo "cpu_ab.sh: $1: only $ok of $MEASURE requests succeeded" >&2; exit 1; }
  awk -v t=$((c1 - c0)) -v n="$ok" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }'
}

declare -A RESULTS
for ((round = 1; round <= ROUNDS; round++)); do
  [[ $GRANT == cc ]] && sign_bodies
  for s in $SETTINGS; do
    RESULTS[$s]="${RESULTS[$s]:-} $(run "$s")"
  done
  echo "[$(date +%T)] round $round of $ROUNDS done" >&2
done

median() { grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
[[ $GRANT == cc ]] && grant_name=client_credentials || grant_name=authorization_code
echo "$grant_name, server CPU us per request (wrk -t2 -c64, $MEASURE requests per run, $ROUNDS rounds)"
echo "and the server's context switches per request (all threads, voluntary + involuntary; median)"
printf '%-10s %8s %9s   %s\n' setting median switches runs
for s in $SETTINGS; do
  printf '%-10s %8s %9s  %s\n' "$s" "$(tr ' ' '\n' <<<"${RESULTS[$s]}" | median)" \
    "$(median <"$WORK/switches.$s")" "${RESULTS[$s]}"
done
echo "store write batching in the last round (the measured requests only):"
tail -n "$(wc -w <<<"$SETTINGS")" "$WORK/store.txt" 2>/dev/null | sed 's/^/  /' || true

#!/usr/bin/env bash
# OpenID Provider benchmark (issue #6, "Speed"): one command, one run, a table of ratios.
#
#   bench/provider/run.sh [ACCORD_BINARY]      (default: build/default/src/app/accord, built if missing)
#
# Measures, side by side on this machine and in this run:
#   1. discovery and /jwks: `accord serve` vs nginx serving byte-identical files (fetched from Accord)
#      with the same content types and cache headers, keep-alive, wrk -t2 -c64;
#   2. /token: authorization_code (PKCE, private_key_jwt ES256 client assertion, ES256 ID token,
#      ES256 JWT access token, refresh token) with codes minted beforehand through real sandbox
#      logins, and client_credentials (same client authentication, ES256 JWT access token);
#      beside npm oidc-provider doing the same grants with the same algorithms (peer.mjs), driven
#      by the same wrk script (token.lua: one pre-built body per request, unique jti each);
#      and beside the crypto bound from `openssl speed ecdsap256` run now; and beside floor_server
#      (floor_server.cc: TCP plus the grant's ES256 verify and signs, nothing else) on the same
#      bodies right after Accord's window: what every implementation must do at least, so
#      floor/peer is about the most any provider could show here and Accord/floor how much of
#      that Accord reaches;
#   3. Accord's VmRSS/VmHWM after all of the above (well over 100,000 requests).
# Each comparison runs ROUNDS times (default 3), Accord's window and its peer's alternating (odd
# rounds Accord first, even rounds the peer first), so the machine's drift hits both sides alike;
# a ratio is the median of the rounds' ratios, a rate or CPU figure the median of its windows.
# Environment: ROUNDS, DURATION (seconds per measured window, default 8), CONNECTIONS (64),
# FLOOR (the floor_server binary; default build/default's, built if missing),
# KEEP=1 keeps the work directory, STORE_DIR puts Accord's SQLite file elsewhere (default: the
# work directory under /tmp, on disk; STORE_DIR=/dev/shm takes fsync out of the picture to show
# the CPU path), WORKERS (Accord's server.worker_threads), PERF_OUT=FILE records `perf` call
# graphs of Accord during each of its token windows (FILE.1 the code calibration, then per round
# FILE.N its code window and FILE.N+1 its client_credentials window; PERF_ARGS, default -g, e.g.
# "--call-graph dwarf"), OFFLINE_ACCESS=1 makes the codes' scope hold offline_access on both
# sides, so both also issue (and Accord stores) a refresh token per code exchange; by default
# neither does (scope openid: OpenID Connect Core 11).
# Every process started here is stopped on exit, failure or Ctrl-C.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=config.sh
source "$HERE/config.sh"
ACCORD=${1:-$REPO/build/default/src/app/accord}
DURATION=${DURATION:-8}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
CORES=$(nproc)
WRK_THREADS=2
PERSON=sandbox-sg-0001
REDIRECT_URI=http://localhost:3000/cb

for tool in wrk nginx node openssl curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found (scripts/setup.sh installs it)" >&2; exit 1; }
done
[[ -d $REPO/tests/peers/node_modules/oidc-provider ]] || { echo "run.sh: npm peers missing (cd tests/peers && npm ci)" >&2; exit 1; }
if [[ ! -x $ACCORD ]]; then
  if [[ $# -gt 0 ]]; then echo "run.sh: $ACCORD is not executable" >&2; exit 1; fi
  echo "run.sh: building accord (RelWithDebInfo) in build/default" >&2
  (cd "$REPO" && cmake --preset default -B build/default >/dev/null && cmake --build build/default -j2 --target accord >/dev/null)
fi

# floor_server from the same build tree as the default binary (built if missing).
FLOOR=${FLOOR:-$REPO/build/default/bench/provider/floor_server}
if [[ ! -x $FLOOR ]]; then
  echo "run.sh: building floor_server in build/default" >&2
  (cd "$REPO" && cmake --preset default -B build/default >/dev/null && cmake --build build/default -j2 --target floor_server >/dev/null)
fi

WORK=$(mktemp -d /tmp/accord-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers may run as another user
STORE_DIR=${STORE_DIR:-$WORK}
DB=$STORE_DIR/accord-bench-$$.db
# Every process started here is recorded in $WORK/pids (also from command substitutions, which
# run in subshells) and stopped by id on exit.
track() { echo "$1" >>"$WORK/pids"; }
untrack() { sed -i "/^$1\$/d" "$WORK/pids"; }  # once waited for (its id may be reused)
cleanup() {
  local pid pids=()
  [[ -f $WORK/pids ]] && mapfile -t pids <"$WORK/pids"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do  # up to 4 s each to finish (a zombie child has finished)
    for _ in $(seq 20); do
      kill -0 "$pid" 2>/dev/null && [[ $(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) != Z ]] || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP:-0} == 1 ]]; then echo "run.sh: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
  rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB-replay"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }
# wait_for URL SECONDS: until URL answers 2xx.
wait_for() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  die "$1 did not answer within $2 s"
}
# cpu_ticks PID...: user+system CPU ticks used so far by these processes (all their threads).
cpu_ticks() {
  local p t=0
  for p in "$@"; do t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat"))); done
  echo "$t"
}
# cpu_us TICKS REQUESTS: server CPU microseconds per request.
cpu_us() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { if (n > 0) printf "%.1f", t / hz * 1e6 / n; else print "n/a" }'; }
# wrk_rps URL PID...: "req/s cpu_us_per_request" of a plain GET run against the server PIDs
# (fails on any non-2xx/3xx or socket error).
wrk_rps() {
  local url=$1 out c0 c1
  shift
  c0=$(cpu_ticks "$@")
  out=$(wrk --timeout 10s -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$url")
  c1=$(cpu_ticks "$@")
  if grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$out"; then echo "$out" >&2; die "errors from $url"; fi
  echo "$(awk '/^Requests\/sec:/ {print $2}' <<<"$out") $(cpu_us $((c1 - c0)) "$(awk '/ requests in / {print $1}' <<<"$out")")"
}
# capture VAR CMD...: VAR=$(CMD...) but run in the background and waited for, so a signal to this
# script is handled at once (bash defers traps until a foreground command ends).
capture() {
  local var=$1 pid
  shift
  "$@" >"$WORK/capture.out" &
  pid=$!
  track "$pid"
  wait "$pid" || die "$1 failed"
  untrack "$pid"
  printf -v "$var" '%s' "$(cat "$WORK/capture.out")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# median < NUMBERS: the median of the numbers, one per line (the mean of the middle two for an even
# count), with 2 decimals below 10 and 1 above.
median() {
  sort -g | awk 'NF { v[++n] = $1 } END {
    if (n == 0) { print "n/a"; exit }
    m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    printf (m < 10 ? "%.2f\n" : "%.1f\n"), m }'
}
# first_is_accord ROUND: odd rounds measure Accord first, even rounds its peer first.
first_is_accord() { (($1 % 2 == 1)); }

# ---- keys, ports, crypto bound ----
echo "$REDIRECT_URI" >"$WORK/redirect_uri"
node "$HERE/tool.mjs" keys "$WORK"
read -r -d '' ACCORD_PORT NGINX_PORT PEER_PORT CONTROL_PORT FLOOR_PORT < <(node "$HERE/tool.mjs" ports 5; printf '\0') || true

log "openssl speed -seconds 3 ecdsap256 (one core)"
SPEED=$(openssl speed -seconds 3 ecdsap256 2>/dev/null | awk '/ecdsa \(nistp256\)/ {line=$0} END {print line}')
SIGN_RATE=$(awk '{print $(NF-1)}' <<<"$SPEED")
VERIFY_RATE=$(awk '{print $NF}' <<<"$SPEED")
[[ -n $SIGN_RATE && -n $VERIFY_RATE ]] || die "could not parse openssl speed output"
# Requests/s all cores can sign+verify: cores / (signs/sign_rate + verifies/verify_rate).
bound() { awk -v c="$CORES" -v s="$SIGN_RATE" -v v="$VERIFY_RATE" -v ns="$1" -v nv="$2" \
  'BEGIN { printf "%.0f", c / (ns / s + nv / v) }'; }

# ---- Accord ----
head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n' >"$WORK/kek"
chmod 600 "$WORK/kek"
bench_config "$WORK/accord.toml" "$ACCORD_PORT" "$DB" "${WORKERS:-32}" '"openid", "offline_access"' \
  "$REDIRECT_URI" "$REPO" "$WORK/client.jwks.json"
log "starting $ACCORD serve"
"$ACCORD" serve --config "$WORK/accord.toml" >"$WORK/accord.log" 2>&1 &
ACCORD_PID=$!
track "$ACCORD_PID"
ACCORD_URL=http://127.0.0.1:$ACCORD_PORT
wait_for "$ACCORD_URL/.well-known/openid-configuration" 30

# ---- nginx with the same bytes ----
mkdir -p "$WORK/www/.well-known" "$WORK/nginx-tmp"
curl -sf "$ACCORD_URL/.well-known/openid-configuration" -o "$WORK/www/.well-known/openid-configuration"
curl -sf "$ACCORD_URL/jwks" -o "$WORK/www/jwks"
chmod -R a+rX "$WORK/www"
# Accord's response headers besides Date/Content-Length/Connection, copied into nginx's config.
SECURITY_HEADERS=$(curl -sf -D - -o /dev/null "$ACCORD_URL/jwks" | tr -d '\r' |
  awk -F': ' 'tolower($1) ~ /^(content-security-policy|x-content-type-options|x-frame-options|referrer-policy)$/ {
    printf "    add_header %s \"%s\";\n", $1, $2 }')
cat >"$WORK/nginx.conf" <<EOF
worker_processes $CORES;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  # One line per request, buffered and flushed every second: what Accord's access log does
  # (stdout to a file, flushed every second), and nginx's default (access_log is on unless
  # turned off), so both do the same work per request.
  access_log $WORK/nginx-access.log combined buffer=8k flush=1s;
  server_tokens off;
  etag off;
  keepalive_requests 1000000;
  open_file_cache max=16;
  client_body_temp_path $WORK/nginx-tmp/body;
  proxy_temp_path $WORK/nginx-tmp/proxy;
  fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
  scgi_temp_path $WORK/nginx-tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location = /.well-known/openid-configuration {
      default_type application/json;
      add_header Cache-Control "public, max-age=300";
$SECURITY_HEADERS
    }
    location = /jwks {
      default_type application/jwk-set+json;
      add_header Cache-Control "public, max-age=60";
$SECURITY_HEADERS
    }
  }
}
EOF
nginx -p "$WORK" -c "$WORK/nginx.conf" 2>>"$WORK/nginx-error.log" &
NGINX_PID=$!
track "$NGINX_PID"
NGINX_URL=http://127.0.0.1:$NGINX_PORT
wait_for "$NGINX_URL/jwks" 10
for path in /.well-known/openid-configuration /jwks; do
  cmp -s <(curl -sf "$ACCORD_URL$path") <(curl -sf "$NGINX_URL$path") || die "nginx and Accord differ on $path"
done

# ---- 1. discovery and JWKS ----
wrk --timeout 10s -t"$WRK_THREADS" -c"$CONNECTIONS" -d1s "$ACCORD_URL/jwks" >/dev/null  # warm-up
wrk --timeout 10s -t"$WRK_THREADS" -c"$CONNECTIONS" -d1s "$NGINX_URL/jwks" >/dev/null
NGINX_WORKERS=$(pgrep -P "$NGINX_PID" | tr '\n' ' ')
# static_pair NAME PATH ROUND: Accord's and nginx's windows on PATH, in the round's order; appends
# "accord_rps accord_cpu nginx_rps nginx_cpu" to $WORK/NAME.
static_pair() {
  local order=(accord nginx) side a n
  first_is_accord "$3" || order=(nginx accord)
  for side in "${order[@]}"; do
    log "$1 (round $3): $side"
    if [[ $side == accord ]]; then
      capture a wrk_rps "$ACCORD_URL$2" "$ACCORD_PID"
    else
      # shellcheck disable=SC2086  # one argument per worker
      capture n wrk_rps "$NGINX_URL$2" $NGINX_WORKERS
    fi
  done
  echo "$a $n" >>"$WORK/$1"
}
for ((round = 1; round <= ROUNDS; round++)); do
  static_pair discovery /.well-known/openid-configuration "$round"
  static_pair jwks /jwks "$round"
done

# ---- 2. token endpoint ----
# token_run URL BODIES PID: wrk over the bodies file; prints "rate ok bad exhausted p50 p99 cpu_us".
# Each thread stops when its share of bodies is used up; the run is then interrupted at once.
token_run() {
  local url=$1 bodies=$2 server=$3 out pid c0 c1
  out=$WORK/token-run.out
  c0=$(cpu_ticks "$server")
  rm -f "$WORK"/exhausted.*
  wrk --timeout 10s -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$HERE/token.lua" "$url" \
    -- "$bodies" "$WRK_THREADS" "$WORK/exhausted" >"$out" 2>"$WORK/token-run.err" &
  pid=$!
  track "$pid"
  local perf_pid=
  if [[ -n ${PERF_OUT:-} && $server == "$ACCORD_PID" ]]; then  # profile Accord during the window
    local n; n=$(($(find "$(dirname "$PERF_OUT")" -maxdepth 1 -name "$(basename "$PERF_OUT").*" | wc -l) + 1))
    perf record -q -F 1999 ${PERF_ARGS:--g} -p "$server" -o "$PERF_OUT.$n" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  while kill -0 "$pid" 2>/dev/null; do
    [[ $(find "$WORK" -maxdepth 1 -name 'exhausted.*' | wc -l) -ge $WRK_THREADS ]] && kill -INT "$pid" 2>/dev/null
    sleep 0.1
  done
  wait "$pid" || true
  untrack "$pid"
  if [[ -n $perf_pid ]]; then kill -INT "$perf_pid" 2>/dev/null; wait "$perf_pid" || true; fi
  c1=$(cpu_ticks "$server")
  grep -q '^RESULT' "$out" || { cat "$out" "$WORK/token-run.err" >&2; die "token run against $url failed"; }
  awk '/^RESULT/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                   print v["rate"], v["ok"], v["bad"], v["exhausted"], v["p50_ms"], v["p99_ms"], v["ok"] + v["bad"] }' "$out" |
    { read -r a b c d e f n; echo "$a $b $c $d $e $f $(cpu_us $((c1 - c0)) "$n")"; }
}
# mint_accord N: N codes through real logins (GET /authorize -> login page, POST /login -> code).
mint_accord() {
  local n=$1 per pid
  per=$(((n + WRK_THREADS - 1) / WRK_THREADS))
  rm -f "$WORK"/codes.*
  local scope=openid
  [[ ${OFFLINE_ACCESS:-0} == 1 ]] && scope=openid%20offline_access
  local authorize
  authorize=$(bench_authorize_path "$scope" "$REDIRECT_URI" "$(cat "$WORK/challenge")")
  wrk --timeout 10s -t"$WRK_THREADS" -c32 -d50s -s "$HERE/login.lua" "$ACCORD_URL" \
    -- "$authorize" "$PERSON" "$WORK/codes" "$per" >"$WORK/mint.out" 2>&1 &
  pid=$!
  track "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    [[ $(find "$WORK" -maxdepth 1 -name 'codes.*' | wc -l) -ge $WRK_THREADS ]] && kill -INT "$pid" 2>/dev/null
    sleep 0.1
  done
  wait "$pid" || true
  untrack "$pid"
  cat "$WORK"/codes.* | grep -v '^$' >"$WORK/codes" || true
}
mint_peer() {
  curl -sf -X POST "http://127.0.0.1:$CONTROL_PORT/mint?n=$1" | grep -v '^$' >"$WORK/codes" || true
}
# code_window NAME TOKEN_URL MINT_FN PID N: mints N codes, exchanges them; prints token_run's line
# and the mint rate (codes/s).
code_window() {
  local name=$1 url=$2 mint=$3 server=$4 n=$5 t0 t1
  log "$name authorization_code: minting $n codes"
  t0=$(date +%s.%N)
  "$mint" "$n"
  t1=$(date +%s.%N)
  [[ $(wc -l <"$WORK/codes") -ge $((n * 9 / 10)) ]] || die "$name: only $(wc -l <"$WORK/codes") of $n codes minted"
  node "$HERE/tool.mjs" bodies "$WORK" "$url" code "$WORK/codes" "$WORK/bodies" >/dev/null
  echo "$(token_run "$url" "$WORK/bodies" "$server") $(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { print n / (b - a) }')"
}
# next_codes RATE MINT_RATE: codes for the next window, from the last one's rates: enough for the
# window with a margin, but minted within ~35 s (codes live 60 s).
next_codes() {
  awk -v r="$1" -v m="$2" -v d="$DURATION" 'BEGIN {
    n = int(r * d * 1.15); if (n > m * 35) n = int(m * 35); if (n < 2000) n = 2000; if (n > 150000) n = 150000; print n }'
}
# cc_bodies RATE: client_credentials bodies for a window (twice the code exchange's rate).
cc_bodies() { awk -v r="$1" -v d="$DURATION" 'BEGIN { n = int(r * d * 2); if (n < 4000) n = 4000; if (n > 200000) n = 200000; print n }'; }
measure_cc() {
  local name=$1 url=$2 server=$3 n=$4
  log "$name client_credentials: signing $n assertions"
  node "$HERE/tool.mjs" bodies "$WORK" "$url" cc - "$WORK/bodies" "$n" >/dev/null
  token_run "$url" "$WORK/bodies" "$server"
}

log "starting oidc-provider peer"
node "$HERE/peer.mjs" "$PEER_PORT" "$CONTROL_PORT" "$WORK" "$REPO" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
track "$PEER_PID"
PEER_URL=http://127.0.0.1:$PEER_PORT
wait_for "$PEER_URL/.well-known/openid-configuration" 30

log "starting floor_server"
"$FLOOR" "$FLOOR_PORT" "$WORK/client.pem" "$CORES" >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
track "$FLOOR_PID"
FLOOR_URL=http://127.0.0.1:$FLOOR_PORT/token
for _ in $(seq 50); do curl -s -o /dev/null -X POST "$FLOOR_URL" && break; sleep 0.1; done

# Each side's name, token endpoint, process and way of minting codes.
declare -A NAME=([accord]=Accord [peer]=oidc-provider) TOKEN_URL=([accord]=$ACCORD_URL/token [peer]=$PEER_URL/token)
declare -A PID=([accord]=$ACCORD_PID [peer]=$PEER_PID) MINT=([accord]=mint_accord [peer]=mint_peer)
# A calibration window per side (2,000 codes) sizes the first measured window.
declare -A CODES
for side in accord peer; do
  capture OUT code_window "${NAME[$side]} (calibration)" "${TOKEN_URL[$side]}" "${MINT[$side]}" "${PID[$side]}" 2000
  read -r rate _ _ _ _ _ _ mint_rate <<<"$OUT"
  CODES[$side]=$(next_codes "$rate" "$mint_rate")
done
# token_pair ROUND: the round's code windows, then its client_credentials windows, each grant in
# the round's order; appends "rate ok bad exhausted p50 p99 cpu_us" per window to
# $WORK/{code,cc}.{accord,peer}.
token_pair() {
  local order=(accord peer) side rate mint_rate
  first_is_accord "$1" || order=(peer accord)
  for side in "${order[@]}"; do
    capture OUT code_window "${NAME[$side]} (round $1)" "${TOKEN_URL[$side]}" "${MINT[$side]}" \
      "${PID[$side]}" "${CODES[$side]}"
    read -r rate _ _ _ _ _ _ mint_rate <<<"$OUT"
    CODES[$side]=$(next_codes "$rate" "$mint_rate")
    cut -d' ' -f1-7 <<<"$OUT" >>"$WORK/code.$side"
    if [[ $side == accord ]]; then cp "$WORK/bodies" "$WORK/bodies.floor"; fi
  done
  floor_window code "$1"
  for side in "${order[@]}"; do
    rate=$(tail -1 "$WORK/code.$side" | cut -d' ' -f1)
    capture OUT measure_cc "${NAME[$side]} (round $1)" "${TOKEN_URL[$side]}" "${PID[$side]}" \
      "$(cc_bodies "$rate")"
    echo "$OUT" >>"$WORK/cc.$side"
    if [[ $side == accord ]]; then cp "$WORK/bodies" "$WORK/bodies.floor"; fi
  done
  floor_window cc "$1"
}
# floor_window GRANT ROUND: floor_server over the bodies Accord's window of GRANT just used (it
# verifies their assertions and ignores the rest); appends token_run's line to $WORK/GRANT.floor.
floor_window() {
  log "floor_server $1 (round $2)"
  capture OUT token_run "$FLOOR_URL" "$WORK/bodies.floor" "$FLOOR_PID"
  echo "$OUT" >>"$WORK/$1.floor"
}
for ((round = 1; round <= ROUNDS; round++)); do token_pair "$round"; done

# ---- 3. memory ----
ACCORD_REQUESTS=$(curl -sf "$ACCORD_URL/metrics" | awk '/^accord_http_requests_total/ { n += $NF } END { printf "%d", n }')
RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$ACCORD_PID/status")
HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$ACCORD_PID/status")

# ---- report ----
# col FILE N: column N of every round's line; sum_col FILE N: their sum.
col() { cut -d' ' -f"$2" "$1"; }
sum_col() { col "$@" | awk '{ n += $1 } END { print n + 0 }'; }
# round_ratios A_FILE A_COL B_FILE B_COL: each round's A/B, in round order.
round_ratios() {
  paste -d' ' <(col "$1" "$2") <(col "$3" "$4") | awk '{ if ($2 > 0) printf "%.2f\n", $1 / $2; else print "n/a" }'
}
# token_summary FILE PREFIX: median rate, summed ok/bad/exhausted, median p50/p99/CPU into PREFIX_*.
token_summary() {
  printf -v "$2_RATE" '%s' "$(col "$1" 1 | median)"
  printf -v "$2_OK" '%s' "$(sum_col "$1" 2)"
  printf -v "$2_BAD" '%s' "$(sum_col "$1" 3)"
  printf -v "$2_EX" '%s' "$(sum_col "$1" 4)"
  printf -v "$2_P50" '%s' "$(col "$1" 5 | median)"
  printf -v "$2_P99" '%s' "$(col "$1" 6 | median)"
  printf -v "$2_CPU" '%s' "$(col "$1" 7 | median)"
}
token_summary "$WORK/code.accord" CODE_A
token_summary "$WORK/code.peer" CODE_P
token_summary "$WORK/cc.accord" CC_A
token_summary "$WORK/cc.peer" CC_P
token_summary "$WORK/code.floor" CODE_F
token_summary "$WORK/cc.floor" CC_F
DISC_ACCORD=$(col "$WORK/discovery" 1 | median) DISC_ACCORD_CPU=$(col "$WORK/discovery" 2 | median)
DISC_NGINX=$(col "$WORK/discovery" 3 | median) DISC_NGINX_CPU=$(col "$WORK/discovery" 4 | median)
JWKS_ACCORD=$(col "$WORK/jwks" 1 | median) JWKS_ACCORD_CPU=$(col "$WORK/jwks" 2 | median)
JWKS_NGINX=$(col "$WORK/jwks" 3 | median) JWKS_NGINX_CPU=$(col "$WORK/jwks" 4 | median)
# Per-round ratios (throughput: Accord / other side; CPU: other side / Accord) and their medians.
DISC_RATIOS=$(round_ratios "$WORK/discovery" 1 "$WORK/discovery" 3)
JWKS_RATIOS=$(round_ratios "$WORK/jwks" 1 "$WORK/jwks" 3)
CODE_RATIOS=$(round_ratios "$WORK/code.accord" 1 "$WORK/code.peer" 1)
CC_RATIOS=$(round_ratios "$WORK/cc.accord" 1 "$WORK/cc.peer" 1)
DISC_CPU_RATIO=$(round_ratios "$WORK/discovery" 4 "$WORK/discovery" 2 | median)
JWKS_CPU_RATIO=$(round_ratios "$WORK/jwks" 4 "$WORK/jwks" 2 | median)
CODE_CPU_RATIO=$(round_ratios "$WORK/code.peer" 7 "$WORK/code.accord" 7 | median)
CC_CPU_RATIO=$(round_ratios "$WORK/cc.peer" 7 "$WORK/cc.accord" 7 | median)
CODE_FLOOR_RATIOS=$(round_ratios "$WORK/code.floor" 1 "$WORK/code.peer" 1)
CC_FLOOR_RATIOS=$(round_ratios "$WORK/cc.floor" 1 "$WORK/cc.peer" 1)
CODE_OF_FLOOR=$(round_ratios "$WORK/code.accord" 1 "$WORK/code.floor" 1 | median)
CC_OF_FLOOR=$(round_ratios "$WORK/cc.accord" 1 "$WORK/cc.floor" 1 | median)
BOUND_11=$(bound 1 1)  # 1 sign + 1 verify (the issue's count)
BOUND_21=$(bound 2 1)  # authorization_code as done: ID token + access token signed, assertion verified
# The crypto of one request in CPU microseconds (the bound per core, inverted).
CRYPTO_11=$(awk -v s="$SIGN_RATE" -v v="$VERIFY_RATE" 'BEGIN { printf "%.1f", 1e6 / s + 1e6 / v }')
CRYPTO_21=$(awk -v s="$SIGN_RATE" -v v="$VERIFY_RATE" 'BEGIN { printf "%.1f", 2e6 / s + 1e6 / v }')

echo
echo "OpenID Provider benchmark: $(date -u +%FT%TZ), $CORES cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "accord: $ACCORD (SQLite store in $STORE_DIR: $(df -P "$STORE_DIR" | awk 'NR == 2 {print $1}'))"
echo "wrk -t$WRK_THREADS -c$CONNECTIONS, ${DURATION}s windows, $ROUNDS rounds (medians; the sides alternate within a round); openssl speed ecdsap256 (one core): sign $SIGN_RATE/s, verify $VERIFY_RATE/s"
if [[ ${OFFLINE_ACCESS:-0} == 1 ]]; then
  echo "codes carry offline_access: both sides issue a refresh token per code exchange (OFFLINE_ACCESS=1)"
else
  echo "codes carry scope openid: neither side issues a refresh token (OFFLINE_ACCESS=1 to add one)"
fi
echo
fmt='%-46s %10s %11s %7s %-8s | %10s %10s %6s\n'
printf "$fmt" "measure (req/s unless said)" "Accord" "peer/limit" "ratio" "target" "Accord" "peer" "ratio"
printf "$fmt" "" "" "" "" "" "CPU us/req" "CPU us/req" "(CPU)"
row() { printf "$fmt" "$@"; }
cpu_ratio() { ratio "$2" "$1"; }  # peer CPU / Accord CPU: > 1 means Accord does the request with less CPU
row "discovery vs nginx (same bytes)" "$DISC_ACCORD" "$DISC_NGINX" "$(median <<<"$DISC_RATIOS")" ">= 0.9" \
  "$DISC_ACCORD_CPU" "$DISC_NGINX_CPU" "$DISC_CPU_RATIO"
row "jwks vs nginx (same bytes)" "$JWKS_ACCORD" "$JWKS_NGINX" "$(median <<<"$JWKS_RATIOS")" ">= 0.9" \
  "$JWKS_ACCORD_CPU" "$JWKS_NGINX_CPU" "$JWKS_CPU_RATIO"
row "token authorization_code vs oidc-provider" "$CODE_A_RATE" "$CODE_P_RATE" "$(median <<<"$CODE_RATIOS")" ">= 5" \
  "$CODE_A_CPU" "$CODE_P_CPU" "$CODE_CPU_RATIO"
row "token client_credentials vs oidc-provider" "$CC_A_RATE" "$CC_P_RATE" "$(median <<<"$CC_RATIOS")" ">= 5" \
  "$CC_A_CPU" "$CC_P_CPU" "$CC_CPU_RATIO"
row "floor authorization_code vs oidc-provider" "$CODE_F_RATE" "$CODE_P_RATE" "$(median <<<"$CODE_FLOOR_RATIOS")" "(max)" \
  "$CODE_F_CPU" "$CODE_P_CPU" "$(cpu_ratio "$CODE_F_CPU" "$CODE_P_CPU")"
row "floor client_credentials vs oidc-provider" "$CC_F_RATE" "$CC_P_RATE" "$(median <<<"$CC_FLOOR_RATIOS")" "(max)" \
  "$CC_F_CPU" "$CC_P_CPU" "$(cpu_ratio "$CC_F_CPU" "$CC_P_CPU")"
row "Accord authorization_code vs floor" "$CODE_A_RATE" "$CODE_F_RATE" "$CODE_OF_FLOOR" "<= 1" \
  "$CODE_A_CPU" "$CODE_F_CPU" "$(cpu_ratio "$CODE_A_CPU" "$CODE_F_CPU")"
row "Accord client_credentials vs floor" "$CC_A_RATE" "$CC_F_RATE" "$CC_OF_FLOOR" "<= 1" \
  "$CC_A_CPU" "$CC_F_CPU" "$(cpu_ratio "$CC_A_CPU" "$CC_F_CPU")"
row "authorization_code vs bound (1 sign+1 verify)" "$CODE_A_RATE" "$BOUND_11" "$(ratio "$CODE_A_RATE" "$BOUND_11")" ">= 0.6" \
  "$CODE_A_CPU" "$CRYPTO_11" "$(cpu_ratio "$CODE_A_CPU" "$CRYPTO_11")"
row "authorization_code vs bound (2 sign+1 verify)" "$CODE_A_RATE" "$BOUND_21" "$(ratio "$CODE_A_RATE" "$BOUND_21")" "(honest)" \
  "$CODE_A_CPU" "$CRYPTO_21" "$(cpu_ratio "$CODE_A_CPU" "$CRYPTO_21")"
row "client_credentials vs bound (1 sign+1 verify)" "$CC_A_RATE" "$BOUND_11" "$(ratio "$CC_A_RATE" "$BOUND_11")" ">= 0.6" \
  "$CC_A_CPU" "$CRYPTO_11" "$(cpu_ratio "$CC_A_CPU" "$CRYPTO_11")"
row "Accord VmRSS MiB, $ACCORD_REQUESTS requests served" "$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')" "64" \
  "$(ratio "$RSS_KB" 65536)" "< 1" "" "" ""
row "Accord VmHWM MiB (peak)" "$(awk -v k="$HWM_KB" 'BEGIN { printf "%.1f", k / 1024 }')" "64" \
  "$(ratio "$HWM_KB" 65536)" "< 1" "" "" ""
echo
# The load generator shares the cores, so throughput alone cannot reach the all-cores bound here;
# the server's own CPU per request shows how close the token path is to its crypto.
share() { awk -v c="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.2f", c / s; else print "n/a" }'; }
fmt2='%-34s %14s %16s %14s %16s %8s\n'
printf "$fmt2" "token grant (Accord)" "server CPU" "crypto CPU" "crypto share" "crypto CPU" "share"
printf "$fmt2" "" "us/request" "1 sign+1 verify" "(target 0.6)" "as done" "as done"
printf "$fmt2" "authorization_code" "$CODE_A_CPU" "$CRYPTO_11" "$(share "$CRYPTO_11" "$CODE_A_CPU")" \
  "$CRYPTO_21 (2+1)" "$(share "$CRYPTO_21" "$CODE_A_CPU")"
printf "$fmt2" "client_credentials" "$CC_A_CPU" "$CRYPTO_11" "$(share "$CRYPTO_11" "$CC_A_CPU")" \
  "$CRYPTO_11 (1+1)" "$(share "$CRYPTO_11" "$CC_A_CPU")"
echo
echo "ratio per round: discovery $(echo $DISC_RATIOS), jwks $(echo $JWKS_RATIOS)," \
  "authorization_code $(echo $CODE_RATIOS), client_credentials $(echo $CC_RATIOS)"
echo "floor/oidc-provider per round: authorization_code $(echo $CODE_FLOOR_RATIOS), client_credentials $(echo $CC_FLOOR_RATIOS)"
echo "token latency p50/p99 ms: Accord code $CODE_A_P50/$CODE_A_P99, cc $CC_A_P50/$CC_A_P99;" \
  "oidc-provider code $CODE_P_P50/$CODE_P_P99, cc $CC_P_P50/$CC_P_P99"
echo "token responses (2xx/other): Accord code $CODE_A_OK/$CODE_A_BAD, cc $CC_A_OK/$CC_A_BAD;" \
  "oidc-provider code $CODE_P_OK/$CODE_P_BAD, cc $CC_P_OK/$CC_P_BAD; floor code $CODE_F_OK/$CODE_F_BAD, cc $CC_F_OK/$CC_F_BAD"
for pair in "Accord code:$CODE_A_EX" "Accord cc:$CC_A_EX" "oidc-provider code:$CODE_P_EX" "oidc-provider cc:$CC_P_EX"; do
  if [[ ${pair##*:} -gt 0 ]]; then echo "note: ${pair%%:*}: ${pair##*:} wrk threads used up their bodies before ${DURATION}s; a rate is over the time its window ran"; fi
done
cat <<EOF
Bound = cores / (signs/sign_rate + verifies/verify_rate); its CPU column is the crypto's CPU time per
request (one core). Crypto share = that crypto CPU time / Accord's server CPU time per request: the
fraction of the server's work that is the irreducible signing and verifying (1.0 = nothing else). authorization_code signs the ID token and the access token and verifies the
client assertion (2 signs + 1 verify); client_credentials signs the access token (1 + 1). The CPU
columns are server CPU (user+system, all threads) per request from /proc, so they hold on a loaded
machine where req/s do not; wrk shares the cores. oidc-provider is one Node.js process
(single-threaded, in-memory storage); Accord runs $CORES server threads and writes SQLite.
floor = floor_server ($CORES threads, one epoll loop each): TCP, the grant's ES256 verify and
signs with raw EVP (contexts reused), a token response; no claims parsed, no state, no replay
check. Every provider does at least that, so "floor vs oidc-provider" is about the most any
implementation could reach in this run, and "Accord vs floor" the fraction of it Accord reaches
(CPU ratio: floor CPU / Accord's). The floor runs on the bodies of Accord's window just before.
EOF

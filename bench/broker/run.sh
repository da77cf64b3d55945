#!/usr/bin/env bash
# Brokered logins per second (issue #7, "Speed"): one command, one run.
#
#   bench/broker/run.sh [BUILD_DIR]        (default build/default; the targets are built if missing)
#
# Starts ONE `accord serve` child process on loopback with the gateway, sandbox-uk (One Login
# profile) and sandbox-sg (Singpass FAPI 2.0 profile) on one SQLite store, with the gateway's
# transparency log on, then runs bench/broker/broker_bench (C++): THREADS workers each doing
# complete logins, alternating the two directions:
#   SG service (fapi2: PAR + private_key_jwt + DPoP + PKCE) -> Accord -> sandbox-uk -> Accord -> SG service
#   UK service (oidc: private_key_jwt + PKCE)               -> Accord -> sandbox-sg -> Accord -> UK service
# with every signature, DPoP proof, JWE and audit append real (broker_bench.cc lists the steps).
# Then it reads the public-key operations each process did (bench/broker/crypto_count.cc, an
# LD_PRELOAD counter on OpenSSL's EVP calls) and runs `openssl speed` for the same operations, to
# give the crypto cost of one login and the machine's crypto bound on logins/s: the measured
# figure is printed as a fraction of it.
#
# Environment: DURATION (measured seconds, default 5), WARMUP (seconds, 1), THREADS (driver
# workers, 16), SERVER_THREADS (gateway listener threads, 4; each sandbox 2), STORE_DIR (where
# the SQLite file goes; default the work directory), WORK_ROOT (where the work directory, with
# the transparency log, is made; default /tmp: WORK_ROOT=/dev/shm takes every fsync out of the
# picture to show the CPU path), KEEP=1 keeps the work directory.
# Every process started here is stopped by id on exit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${1:-$REPO/build/default}
[[ $BUILD == /* ]] || BUILD=$PWD/$BUILD
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
THREADS=${THREADS:-16}
SERVER_THREADS=${SERVER_THREADS:-4}
CORES=$(nproc)
ACCORD=$BUILD/src/app/accord
DRIVER=$BUILD/bench/broker/broker_bench
COUNTER=$BUILD/bench/broker/libcrypto_count.so

for tool in openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done
if [[ ! -x $ACCORD || ! -x $DRIVER || ! -f $COUNTER ]]; then
  echo "run.sh: building accord, broker_bench and crypto_count in $BUILD" >&2
  (cd "$REPO" && { [[ -f $BUILD/CMakeCache.txt ]] || cmake --preset default -B "$BUILD" >/dev/null; } &&
     cmake --build "$BUILD" -j2 --target accord broker_bench crypto_count >/dev/null)
fi

WORK=$(mktemp -d "${WORK_ROOT:-/tmp}/accord-broker-bench.XXXXXX")
STORE_DIR=${STORE_DIR:-$WORK}
DB=$STORE_DIR/accord-broker-bench-$$.db
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then echo "run.sh: work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
  rm -rf "$DB" "$DB-wal" "$DB-shm" "$DB-replay"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

"$REPO/scripts/demo-keys.sh" "$ACCORD" "$WORK/keys" >/dev/null
read -r GW UK SG < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
G=http://127.0.0.1:$GW U=http://127.0.0.1:$UK S=http://127.0.0.1:$SG
SG_REDIRECT=http://127.0.0.1:18090/callback
UK_REDIRECT=http://127.0.0.1:18091/callback

# The gateway and both sandboxes, as the end-to-end tests run them (tests/lib/mutual_configs.mjs),
# all on one SQLite file.
node --input-type=module -e '
  const [lib, dir, repo, gw, uk, sg, db, threads] = process.argv.slice(1);
  const { writeMutualConfigs } = await import(lib);
  const store = `sqlite_path = "${db}"`;
  writeMutualConfigs(dir, repo, [gw, uk, sg].map(Number),
    { gatewayStore: store, gatewayThreads: Number(threads), sandboxThreads: 2 });
' "$REPO/tests/lib/mutual_configs.mjs" "$WORK" "$REPO" "$GW" "$UK" "$SG" "$DB" "$SERVER_THREADS"
SG_PERSON=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["people"][0]["id"])' \
  "$REPO/data/people/sandbox-sg.json")
cat >"$WORK/bench.toml" <<EOF
# The two services, as Accord's generic connector configures them (docs/connectors.md).
[[directions]]
name = "sg_service_uk_person"
service = "sg-service"
home = "sandbox-uk"
person = "sandbox-uk-0001"
[[directions]]
name = "uk_service_sg_person"
service = "uk-service"
home = "sandbox-sg"
person = "$SG_PERSON"
[[upstreams]]
id = "sg-service"
kind = "generic"
issuer = "$G"
client_id = "sg-mom-employment-pass"
redirect_uri = "$SG_REDIRECT"
scope = "openid profile"
acr_values = "http://eidas.europa.eu/LoA/substantial"
signing_key_file = "keys/service-sg.jwk"
use_par = true
use_dpop = true
[[upstreams]]
id = "uk-service"
kind = "generic"
issuer = "$G"
client_id = "uk-hmrc-leaving-uk"
redirect_uri = "$UK_REDIRECT"
scope = "openid profile"
acr_values = "http://eidas.europa.eu/LoA/substantial"
signing_key_file = "keys/service-uk.jwk"
EOF

# serve [env...]: starts the server (optionally under the counter) and waits until all three answer.
serve() {
  (cd "$WORK" && exec env "$@" "$ACCORD" serve --config gateway.toml --config sandbox-uk.toml \
     --config sandbox-sg.toml >"$WORK/serve.log" 2>&1) &
  SERVER_PID=$!
  local url i
  for url in "$G" "$U" "$S"; do
    for ((i = 0; i < 300; i++)); do
      curl -sf -o /dev/null "$url/healthz" && break
      kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; die "accord serve exited"; }
      sleep 0.1
    done
  done
}
stop() {
  kill -TERM "$SERVER_PID" && wait "$SERVER_PID" || true
  SERVER_PID=
}

# First start creates the providers' signing keys; the measured start only loads them, so the
# counted operations are the logins' own.
log "first start (signing keys created)"
serve ACCORD_BENCH_FIRST_START=1
stop
log "serving on $G (gateway, $SERVER_THREADS threads), $U (sandbox-uk), $S (sandbox-sg); $CORES cores"
serve ACCORD_CRYPTO_COUNT_FILE="$WORK/counts.server" LD_PRELOAD="$COUNTER"
log "driver: $THREADS workers, ${WARMUP}s warm-up, ${DURATION}s measured"
SERVER_TICKS0=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
(cd "$WORK" && ACCORD_CRYPTO_COUNT_FILE="$WORK/counts.driver" LD_PRELOAD="$COUNTER" \
   "$DRIVER" --config bench.toml --threads "$THREADS" --duration "$DURATION" --warmup "$WARMUP") \
   >"$WORK/result" 2>"$WORK/driver.err" || { cat "$WORK/driver.err" "$WORK/result" >&2; tail -20 "$WORK/serve.log" >&2; die "driver failed"; }
SERVER_TICKS1=$(awk '{print $14 + $15}' "/proc/$SERVER_PID/stat")
stop

log "openssl speed (single core) for the same operations"
openssl speed -seconds 1 ecdsap256 rsa2048 ecdhp256 ed25519 2>/dev/null >"$WORK/speed" || true

python3 - "$WORK" "$CORES" "$((SERVER_TICKS1 - SERVER_TICKS0))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
work, cores, server_ticks, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
r = dict(l.split(None, 1) for l in open(f"{work}/result").read().split("\n") if l.strip())
num = lambda k: float(r[k])
counts = {}
for who in ("server", "driver"):
    try:
        for line in open(f"{work}/counts.{who}"):
            k, v = line.split()
            counts.setdefault(k, [0, 0])[who == "driver"] += int(v)
    except FileNotFoundError:
        pass
speed = open(f"{work}/speed").read()
def rates(pattern):
    m = re.search(pattern + r".*?([\d.]+)\s+([\d.]+)\s*$", speed, re.M)
    return (float(m.group(1)), float(m.group(2))) if m else (None, None)
ec_sign, ec_verify = rates(r"256 bits ecdsa \(nistp256\)")
rsa_sign, rsa_verify = rates(r"rsa\s+2048 bits")
ed_sign, ed_verify = rates(r"253 bits EdDSA \(Ed25519\)")
m = re.search(r"256 bits ecdh \(nistp256\).*?([\d.]+)\s*$", speed, re.M)
ecdh = float(m.group(1)) if m else None
cost = {  # seconds of one core per operation
    "sign_ec": ec_sign, "verify_ec": ec_verify, "sign_rsa": rsa_sign, "verify_rsa": rsa_verify,
    "decrypt_rsa": rsa_sign, "encrypt_rsa": rsa_verify, "sign_ed25519": ed_sign,
    "verify_ed25519": ed_verify, "derive_ec": ecdh,
    "generate_ec": ecdh,         # one scalar multiplication, like an ECDH
    "pairwise_check_ec": ecdh,   # a private key import recomputes the public point
}
logins_total = num("logins_total")
print()
print(f"Brokered logins, both directions alternating ({int(num('threads'))} driver workers, {cores} cores, {num('seconds'):.0f} s measured)")
print(f"  logins/s            {num('logins_per_s'):10.1f}   (target >= 1500)")
print(f"  p50 / p99           {num('p50_ms'):7.1f} ms / {num('p99_ms'):.1f} ms")
for d in ("sg_service_uk_person", "uk_service_sg_person"):
    if f"{d}_p50_ms" in r:
        print(f"    {d:22s} {int(num(d + '_logins')):6d} logins  p50 {num(d + '_p50_ms'):6.1f} ms  p99 {num(d + '_p99_ms'):6.1f} ms")
print(f"  failures            {int(num('failures')):10d}   consent pages submitted: {int(num('consents'))}")
measured = num("logins")
if measured:
    print(f"  accord serve CPU    {server_ticks / hz / measured * 1000:10.2f} ms per login (gateway + both sandboxes)")
print()
print(f"Public-key operations per login (counted over {int(logins_total)} logins; server + driver):")
total = 0.0
for k in sorted(counts):
    server, driver = counts[k]
    per = (server + driver) / logins_total
    c = cost.get(k)
    us = per / c * 1e6 if c else 0.0
    total += us
    rate = f"{c:9.0f}/s" if c else "  (cheap, not costed)"
    print(f"  {k:18s} {per:6.2f}  (server {server / logins_total:5.2f}, driver {driver / logins_total:5.2f})  openssl speed {rate}  -> {us:7.1f} us")
if total > 0:
    bound = cores / (total / 1e6)
    print(f"  crypto per login    {total / 1000:10.2f} ms of one core")
    print(f"  crypto bound        {bound:10.1f} logins/s on {cores} cores (public-key operations only)")
    print(f"  measured / bound    {measured / num('seconds') / bound:10.2f}")
PY

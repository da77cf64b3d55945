#!/usr/bin/env bash
# /token's handler without the HTTP server (token_handler_bench), beside the raw ES256 crypto it
# must do, in one run: per grant, the handler thread's CPU per request, the process's (with the
# store's flusher and syncer threads), the raw EVP crypto of the request (1 verify + 1 sign, the
# issue's count; 1 verify + 2 signs for the code exchange as done) and the crypto share of each.
# bench/provider/cpu_ab.sh gives the whole server's CPU per request for the same grants; the
# difference is the HTTP server's part.
# Usage: bench/provider/handler.sh [BUILD_DIR] [extra benchmark flags...]
set -euo pipefail
source "$(dirname "$0")/../build_target.sh"
bench_build token_handler_bench "${1:-}"
shift || true
"$BUILD/bench/provider/token_handler_bench" --benchmark_min_time=2 --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true --benchmark_format=json "$@" > "$OUT"
python3 - "$OUT" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
us = {}
for b in data["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"]
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
    us[name] = b["cpu_time"] * scale
def get(name):
    if name not in us:
        sys.exit(f"handler.sh: no result for {name}")
    return us[name]
raw11 = get("BM_Es256Crypto_RawEvp/signs:1/process_time")
raw21 = get("BM_Es256Crypto_RawEvp/signs:2/process_time")
print(f"raw EVP ES256 crypto per request: 1 verify + 1 sign {raw11:.0f} us, 1 verify + 2 signs {raw21:.0f} us")
print(f"one access token sign: provider {get('BM_AccessTokenSign_Provider'):.1f} us, raw EVP {get('BM_Es256Sign_RawEvp'):.1f} us")
print(f"{'grant':20} {'handler us':>10} {'+store us':>10} {'share 1+1':>10} {'share as done':>14} {'share +store':>13}")
for grant, done in (("ClientCredentials", raw11), ("AuthorizationCode", raw21)):
    thread = get(f"BM_{grant}_Handler")
    process = get(f"BM_{grant}_Handler/process_time")
    print(f"{grant:20} {thread:10.0f} {process:10.0f} {raw11 / thread:10.2f} {done / thread:14.2f} {done / process:13.2f}")
PY

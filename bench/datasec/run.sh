#!/usr/bin/env bash
# Builds datasec_bench (default preset) and prints the brokered-login store work with field sealing
# on and off, and the ratio on/off (time per login). Target: <= 1.05 (issue #5).
# Usage: bench/datasec/run.sh [BUILD_DIR] [extra benchmark flags...]
# ACCORD_BENCH_MIN_TIME (seconds per window, default 2) and ACCORD_BENCH_REPS (default 3): e.g.
# ACCORD_BENCH_MIN_TIME=0.5 bench/datasec/run.sh build/h-b   for a short run. Repetitions of the
# on and off benchmarks are interleaved, so load on the machine hits both alike.
set -euo pipefail
source "$(dirname "$0")/../build_target.sh"
bench_build datasec_bench "${1:-}"
shift || true
"$BUILD/bench/datasec/datasec_bench" --benchmark_min_time="${ACCORD_BENCH_MIN_TIME:-2}" \
  --benchmark_repetitions="${ACCORD_BENCH_REPS:-3}" --benchmark_enable_random_interleaving=true \
  --benchmark_format=json "$@" > "$OUT"
python3 - "$OUT" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
t = {}
for b in data["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    t[b["run_name"].split("/")[0]] = b["real_time"]  # microseconds (Unit(kMicrosecond))
off, on = t["BM_BrokeredLogin_Off"], t["BM_BrokeredLogin_On"]
print(f"brokered login store work, sealing off: {off:9.1f} us")
print(f"brokered login store work, sealing on:  {on:9.1f} us")
print(f"ratio on/off: {on/off:.3f} (target <= 1.05)")
if "BM_SealFieldsOnly" in t:
    print(f"sealing alone (3 seals + 4 opens):     {t['BM_SealFieldsOnly']:9.1f} us")
PY

#!/usr/bin/env bash
# Builds jose_bench (default preset) and prints JOSE-layer vs raw OpenSSL EVP throughput per
# operation, with the ratio JOSE/raw (ops/s). Target: ES256 verify >= 0.90.
# Usage: bench/jose/run.sh [BUILD_DIR] [extra benchmark flags...]
set -euo pipefail
source "$(dirname "$0")/../build_target.sh"
bench_build jose_bench "${1:-}"
shift || true
"$BUILD/bench/jose/jose_bench" --benchmark_min_time=1 --benchmark_format=json "$@" > "$OUT"
python3 - "$OUT" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
rates = {}
for b in data["benchmarks"]:
    if b.get("run_type", "iteration") != "iteration" or "items_per_second" not in b:
        continue
    op, impl = b["name"].split("/")[0][len("BM_"):].rsplit("_", 1)
    rates.setdefault(op, {})[impl] = b["items_per_second"]
print(f"{'operation':32} {'JOSE ops/s':>12} {'raw EVP ops/s':>14} {'JOSE/raw':>9}")
for op, r in rates.items():
    if "Jose" in r and "RawEvp" in r:
        ratio = r["Jose"] / r["RawEvp"]
        flag = "  (target >= 0.90)" if op == "Es256Verify" else ""
        print(f"{op:32} {r['Jose']:12.0f} {r['RawEvp']:14.0f} {ratio:9.3f}{flag}")
PY

#!/usr/bin/env bash
# Runs the same catalogue rules with the same fixture data through Accord (rules_bench) and npm
# json-logic-js (jsonlogic_peer.mjs) in one run and prints both rates and their ratio.
# Usage: bench/rules/compare.sh [RULES_BENCH_BINARY]   (run from anywhere; default build/default)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bench="${1:-$root/build/default/src/rules/rules_bench}"
[[ -x "$bench" ]] || { echo "no rules_bench at $bench (build target rules_bench)" >&2; exit 2; }
[[ -d "$root/tests/peers/node_modules/json-logic-js" ]] || { echo "npm peers not installed" >&2; exit 2; }

accord_json="$(mktemp)"
trap 'rm -f "$accord_json"' EXIT
(cd "$root" && "$bench" --benchmark_filter='BM_RuleEvaluation|BM_PlanJourney' \
  --benchmark_min_time=1 --benchmark_format=json >"$accord_json")
peer_line="$(node "$root/bench/rules/jsonlogic_peer.mjs" "$root/data" 2)"
peer_rate="$(awk '{print $2}' <<<"$peer_line")"
python3 - "$accord_json" "$peer_rate" <<'PY'
import json, sys
runs = {b["name"]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
accord = runs["BM_RuleEvaluation"]["items_per_second"]
peer = float(sys.argv[2])
print(f"accord rules        {accord:14,.0f} evaluations/s")
print(f"json-logic-js 2.0.5 {peer:14,.0f} evaluations/s")
print(f"ratio               {accord / peer:14.1f}x")
for name in ("BM_PlanJourney/0", "BM_PlanJourney/1"):
    if name in runs:
        b = runs[name]
        services = b.get("services")
        label = "journey uk-to-sg-work" if name.endswith("/0") else f"journey over {int(services)} services"
        print(f"{label:24} {b['real_time']:8.1f} {b['time_unit']} per plan")
PY

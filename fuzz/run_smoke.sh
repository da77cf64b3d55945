#!/usr/bin/env bash
# Smoke run of one libFuzzer target: replays the committed corpus, then fuzzes briefly.
# New inputs go to a scratch directory so the committed corpus changes only by hand
# (fuzz/README.md says how to grow it).
# Usage: run_smoke.sh FUZZER CORPUS_DIR WORK_DIR [SECONDS]
set -euo pipefail
fuzzer=$1 corpus=$2 work=$3 secs=${4:-${ACCORD_FUZZ_SECONDS:-15}}
rm -rf "$work" && mkdir -p "$work"
exec "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work" "$corpus"

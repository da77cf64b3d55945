#!/usr/bin/env bash
# Sets up a fresh machine, builds Accord three ways and runs every test:
#   default (g++ 12, RelWithDebInfo): unit, interop, e2e and browser tests
#   asan    (g++ 12, ASan+UBSan):     unit tests
#   fuzz    (clang-14, libFuzzer):    a short smoke run of every fuzz target over its corpus
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keyed on paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
export CTEST_PARALLEL_LEVEL="${CTEST_PARALLEL_LEVEL:-2}"

scripts/setup.sh

step() { printf '\n==== %s ====\n' "$*"; }

step "build: default"
cmake --preset default >/dev/null
cmake --build --preset default
step "test: default (unit, interop, e2e, browser)"
ctest --preset default

step "build: asan"
cmake --preset asan >/dev/null
cmake --build --preset asan
step "test: asan (unit)"
ctest --preset asan

step "build: fuzz"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzzers
step "test: fuzz smoke"
ctest --preset fuzz

#!/usr/bin/env bash
# Sets up a fresh machine, builds Accord and runs its main job.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keyed on paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target accord
# The main job: the gateway, both sandbox national identity providers and two demo government
# services in one process on one SQLite store (scripts/demo-gateway.sh prints the URLs to open).
# scripts/demo.sh is the operator CLI walkthrough (JOSE, rules, journeys, audit log).
exec scripts/demo-gateway.sh build/default/src/app/accord

#!/usr/bin/env bash
# Sets up a fresh machine, builds Accord and runs its main job.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache keyed on paths relative to the checkout, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target accord
exec scripts/demo.sh "$@"

#!/usr/bin/env bash
# Sets up a fresh machine, builds Accord and runs its main job.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/accord-ccache}"
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target accord
exec scripts/demo.sh "$@"

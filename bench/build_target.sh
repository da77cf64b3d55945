# Sourced by the Google Benchmark scripts (bench/*/run.sh, bench/provider/handler.sh):
#
#   bench_build TARGET [BUILD_DIR]
#
# From the repository root (the working directory afterwards), configures BUILD_DIR (default
# build/default) with the default preset when it has no CMake cache yet and builds TARGET. Sets
# BUILD to the build directory and OUT to a temporary file removed when the script exits.
bench_build() {
  local target=$1
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  BUILD=${2:-$PWD/build/default}
  if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
    cmake --preset default -B "$BUILD"
  fi
  cmake --build "$BUILD" -j2 --target "$target"
  OUT=$(mktemp)
  trap 'rm -f "$OUT"' EXIT
}

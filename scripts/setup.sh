#!/usr/bin/env bash
# Idempotent setup for a fresh Debian 12 machine: installs exactly the Debian packages Accord needs
# to build, test, fuzz and benchmark, then the npm test peers from the committed lockfile.
# Usage: scripts/setup.sh            (as root, or with sudo available)
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(
  build-essential g++-12 cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev openssl
  libsqlite3-dev sqlite3
  libpq-dev postgresql
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev llvm-14
  nodejs npm
  wrk nginx-light
  chromium
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${DEBS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node 20 may come from outside Debian on some machines: keep it if `node` and `npm` already work.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do
    case "$p" in nodejs|npm) ;; *) filtered+=("$p") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The postgresql package starts a cluster on Debian; Accord's tests run their own throwaway server.
if [ -x /usr/sbin/service ] && service postgresql status >/dev/null 2>&1; then
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi

# npm test peers (jose, openid-client, oidc-provider, json-logic-js, playwright-core) from the lockfile.
if [ -f tests/peers/package-lock.json ]; then
  if [ ! -d tests/peers/node_modules ] || [ tests/peers/package-lock.json -nt tests/peers/node_modules/.package-lock.json ]; then
    (cd tests/peers && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
# GOV.UK Frontend's compiled assets for the pages (served under /assets/; docs/web.md).
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then npm ci --prefix web --no-audit --no-fund --loglevel=error; fi
echo "setup: ok"

#!/usr/bin/env bash
# The demo (docs/demo.md): one `accord serve` process on one SQLite store (var/demo/accord.db)
# running the gateway (http://127.0.0.1:8080), the sandbox GOV.UK One Login (8081) and Singpass
# (8082) providers, and two demo government services: Singapore's "Apply for an Employment Pass"
# (http://127.0.0.1:8090, sign in with a UK identity) and the UK's "Tell HMRC you are leaving the
# UK" (http://127.0.0.1:8091, sign in with a Singapore identity), and the two witnesses of the
# gateway's transparency log: the UK's (http://127.0.0.1:8083/witness/) and Singapore's
# (http://127.0.0.1:8084/witness/). The gateway publishes a checkpoint only when both have
# cosigned it (retrying every second, so the order of start-up does not matter). Stops on Ctrl-C.
# Usage: scripts/demo-gateway.sh [ACCORD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
accord=${1:-build/default/src/app/accord}
scripts/demo-keys.sh "$accord" var/demo >/dev/null
cat <<'MSG'

Accord demo: open one of these in a browser
  http://127.0.0.1:8090   Singapore: Apply for an Employment Pass   (sign in with a UK sandbox identity)
  http://127.0.0.1:8091   UK: Tell HMRC you are leaving the UK      (sign in with a Singapore sandbox identity)
  http://127.0.0.1:8080/consents   what you have shared, and withdrawing it
  http://127.0.0.1:8080/log/checkpoint   the transparency log, cosigned by the UK and Singapore
                                         witnesses (auditing it: docs/demo.md)
Everyone in the sandboxes is fictional. Ctrl-C stops the demo.

MSG
exec "$accord" serve --config config/demo/gateway.toml --config config/demo/sandbox-uk.toml \
  --config config/demo/sandbox-sg.toml --config config/demo/service-sg.toml \
  --config config/demo/service-uk.toml --config config/demo/witness-uk.toml \
  --config config/demo/witness-sg.toml

#!/usr/bin/env bash
# accord audit over HTTP, end to end (label e2e). Usage: audit_cli_e2e.sh /path/to/accord
set -euo pipefail
A="$1"
T="$(mktemp -d "${TMPDIR:-/tmp}/accord-audit-e2e-XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$T"

keygen() {  # name file [--witness]
  "$A" audit keygen --name "$1" ${3:-} > "$2.keys"
  grep '^skey: ' "$2.keys" | cut -d' ' -f2 > "$2.skey"
  grep '^vkey: ' "$2.keys" | cut -d' ' -f2
}
serve() {  # out-file args...
  local out="$1"; shift
  "$A" audit serve --listen 127.0.0.1:0 "$@" > "$out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do grep -q 'listening on' "$out" && return 0; sleep 0.1; done
  cat "$out" >&2; fail "server did not start"
}
append() {  # dir skey i
  "$A" audit append --log "$1" --skey-file "$2" --entry "{\"time_ms\":$3,\"type\":\"attribute_release\",\"service\":\"sg-benefits\",\"upstream\":\"sandbox-uk\",\"attributes\":[{\"name\":\"birthdate\",\"classification\":\"official-sensitive\"}],\"assurance\":\"substantial\",\"consent_id\":\"c-$3\",\"subject_commitment\":\"$(printf 'ab%.0s' {1..32})\"}" > /dev/null
}

LV=$(keygen uk.accord.example/log log)
W1=$(keygen uk.witness.example w1 --witness)
W2=$(keygen sg.witness.example w2 --witness)
W3=$(keygen nl.witness.example w3 --witness)
for i in 1 2 3 4 5; do append logdir log.skey "$i"; done

serve w1.out --dir w1dir --witness-key w1.skey --witness-for "$LV"
serve w2.out --dir w2dir --witness-key w2.skey --witness-for "$LV"
U1=$(grep -o 'witness http[^ ]*' w1.out | cut -d' ' -f2)
U2=$(grep -o 'witness http[^ ]*' w2.out | cut -d' ' -f2)
serve log.out --dir logdir --key log.skey --require-witness "$W1" "$U1" --require-witness "$W2" "$U2"
L=$(grep -o ' log http[^ ]*' log.out | cut -d' ' -f3)
L=${L%/}

# The cosigned checkpoint appears once both witnesses answered.
for _ in $(seq 1 50); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$L/checkpoint")" = 200 ] && break; sleep 0.2
done
curl -s "$L/checkpoint" | grep -q '^— sg.witness.example ' || fail "checkpoint lacks the SG cosignature"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$L/tile/0/../../log-state/checkpoint")" = 404 ] || fail "traversal served"
curl -sI "$L/tile/entries/000.p/5" | grep -qi '^content-type: application/octet-stream' || fail "bundle content type"

"$A" audit verify --log "$L" --key "$LV" --witness "$W1" --witness "$W2" --full --state state > v1.txt \
  || { cat v1.txt >&2; fail "verify --full over HTTP"; }
grep -q 'cosignature by witness sg.witness.example verified' v1.txt || fail "verify did not report the cosignature"
grep -q 'recomputed the tree from all 5 entries' v1.txt || fail "verify --full did not recompute"
"$A" audit verify --log "$L" --key "$LV" --witness "$W1" --state state > v2.txt || fail "second verify"
grep -q 'consistent with previous checkpoint of size 5' v2.txt || fail "state not used"

# A witness the checkpoint has no cosignature from: non-zero exit.
if "$A" audit verify --log "$L" --key "$LV" --witness "$W3" > v3.txt 2>&1; then fail "missing cosignature accepted"; fi
grep -q 'missing_cosignature' v3.txt || fail "wrong failure for a missing cosignature"

"$A" audit prove --log "$L" --index 3 --key "$LV" --witness "$W2" | grep -q 'inclusion proof verifies' || fail "prove"
"$A" audit show --log "$L" --index 4 | grep -q '"consent_id":"c-5"' || fail "show"
"$A" audit show --log logdir --index 0 | grep -q '"consent_id":"c-1"' || fail "show from a directory"

# A forked log under the same key: the witnesses refuse it, nothing is published.
for i in 1 2 3 4 5 6 7; do append forkdir log.skey "$((i + 100))"; done
serve fork.out --dir forkdir --key log.skey --require-witness "$W1" "$U1"
F=$(grep -o ' log http[^ ]*' fork.out | cut -d' ' -f3)
sleep 1
[ "$(curl -s -o /dev/null -w '%{http_code}' "${F}checkpoint")" = 404 ] || fail "forked checkpoint was published"
grep -q 'inconsistent_checkpoint' fork.out || { cat fork.out >&2; fail "fork not refused as inconsistent"; }
echo "audit CLI e2e: OK"

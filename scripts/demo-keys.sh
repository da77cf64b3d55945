#!/usr/bin/env bash
# Creates the demo's secrets once, under var/demo/ (never committed): the key-encryption key and
# the private keys of the gateway (as a client of each sandbox national provider) and of the two
# demo services (as clients of the gateway), with the public JWKS files the configs in
# config/demo/ point at; the transparency log's key (audit.skey, audit.vkey) and the UK and
# Singapore witnesses' keys (witness-uk.*, witness-sg.*). Idempotent: existing keys are kept.
# Usage: scripts/demo-keys.sh ACCORD_BINARY [DIR]
set -euo pipefail
accord=$(realpath "${1:?usage: demo-keys.sh ACCORD_BINARY [DIR]}")
dir=${2:-"$(cd "$(dirname "$0")/.." && pwd)/var/demo"}
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"

if [[ ! -s kek ]]; then
  (umask 077; head -c32 /dev/urandom | basenc --base64url | tr -d '=\n' > kek)
fi
key() {  # name kty extra-args...
  local name=$1; shift
  [[ -s "$name.jwk" ]] || "$accord" jose keygen "$@" --kid "$name" --out "$name.jwk" \
      --public-out "$name.pub.jwk" >/dev/null
}
key gateway-uk --kty RSA --bits 2048 --alg RS256 --use sig
key gateway-sg-sig --kty EC --crv P-256 --alg ES256 --use sig
key gateway-sg-enc --kty EC --crv P-256 --alg ECDH-ES+A256KW --use enc
key service-sg --kty EC --crv P-256 --alg ES256 --use sig
key service-uk --kty EC --crv P-256 --alg ES256 --use sig
if [[ ! -s audit.skey ]]; then  # the gateway's transparency log key (signed-note Ed25519)
  (umask 077; "$accord" audit keygen --name accord.demo.example/log | sed -n 's/^skey: //p' > audit.skey)
fi
"$accord" audit vkey --skey-file audit.skey > audit.vkey.tmp && mv audit.vkey.tmp audit.vkey
# The two witnesses of the gateway's log (cosignature/v1 keys): one holding the UK's key, one
# Singapore's. Their vkeys are what an auditor of either country verifies checkpoints with.
witness() {  # file-stem key-name
  [[ -s "$1.skey" && -s "$1.vkey" ]] && return 0
  local out
  out=$("$accord" audit keygen --witness --name "$2")
  (umask 077; sed -n 's/^skey: //p' <<<"$out" > "$1.skey")
  sed -n 's/^vkey: //p' <<<"$out" > "$1.vkey"
}
witness witness-uk witness.uk.demo.example
witness witness-sg witness.sg.demo.example
jwks() {  # out pub-files...
  local out=$1; shift
  "$accord" jose jwks "$@" > "$out.tmp" && mv "$out.tmp" "$out"
}
jwks gateway-uk.pub.jwks gateway-uk.pub.jwk
jwks gateway-sg.pub.jwks gateway-sg-sig.pub.jwk gateway-sg-enc.pub.jwk
jwks service-sg.pub.jwks service-sg.pub.jwk
jwks service-uk.pub.jwks service-uk.pub.jwk
echo "demo keys in $dir"

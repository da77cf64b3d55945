#!/usr/bin/env bash
# Accord's main job until the OpenID Provider lands: a walk through what runs today, each command
# printed before it runs. Work files go to var/demo (ignored by git).
#  1. JOSE: a sandbox Singpass-style ID token (ES256 JWS inside an ECDH-ES+A256KW / A256CBC-HS512
#     JWE) made, opened and verified, and a tampered one refused.
#  2. Rules: the official JsonLogic suite through `accord rules test`.
#  3. Life events: a UK -> Singapore work move planned from a person's facts.
#  4. Transparency log: audit entries appended, checkpointed and verified.
set -euo pipefail
cd "$(dirname "$0")/.."
ACCORD=${ACCORD:-build/default/src/app/accord}
SHARED=${ACCORD_SHARED_DIR:-../shared}
out=var/demo
rm -rf "$out" && mkdir -p "$out"

run() { printf '\n$ accord %s\n' "$*" >&2; "$ACCORD" "$@"; }
say() { printf '\n==== %s ====\n' "$*"; }

say "1. JOSE: keys, a nested (signed, then encrypted) ID token as Singpass sends it"
run jose keygen --kty EC --crv P-256 --alg ES256 --use sig --out "$out/sandbox-sg-signing.jwk"
run jose keygen --kty EC --crv P-256 --alg ECDH-ES+A256KW --use enc --out "$out/accord-enc.jwk"
run jose public --key "$out/sandbox-sg-signing.jwk" > "$out/sandbox-sg-signing.pub.jwk"
run jose public --key "$out/accord-enc.jwk" > "$out/accord-enc.pub.jwk"
run jose thumbprint --key "$out/accord-enc.pub.jwk"
now=$(date +%s)
cat > "$out/claims.json" <<JSON
{"iss":"https://sandbox-sg.accord.test","sub":"3f9a2c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b","aud":"accord-demo",
 "iat":$now,"exp":$((now + 600)),"nonce":"n-0S6_WzA2Mj","acr":"urn:singpass:authentication:loa:2","amr":["pwd","sms"]}
JSON
run jose sign --key "$out/sandbox-sg-signing.jwk" --typ JWT "$out/claims.json" | tr -d '\n' > "$out/id_token.jws"
run jose encrypt --key "$out/accord-enc.pub.jwk" --alg ECDH-ES+A256KW --enc A256CBC-HS512 --cty JWT \
  "$out/id_token.jws" > "$out/id_token.jwe"
printf 'ID token (JWE, %s bytes): %.60s...\n' "$(wc -c < "$out/id_token.jwe")" "$(cat "$out/id_token.jwe")"
run jose decrypt --key "$out/accord-enc.jwk" "$out/id_token.jwe" > "$out/inner.jws"
run jose verify --key "$out/sandbox-sg-signing.pub.jwk" --alg ES256 "$out/inner.jws"
# The same in one step, as Accord's Singpass connector opens an ID token: decrypt, then verify inside.
run jose decrypt --key "$out/accord-enc.jwk" --verify-key "$out/sandbox-sg-signing.pub.jwk" \
  "$out/id_token.jwe" > /dev/null && echo "nested ID token: decrypted and verified in one step"
echo
tok=$(cat "$out/inner.jws"); tail4=AAAA; [ "${tok: -4}" = AAAA ] && tail4=BBBB
printf '%s' "${tok%????}$tail4" > "$out/tampered.jws"   # the signature's last characters changed
printf '$ accord jose verify ... tampered.jws   (must fail)\n'
if "$ACCORD" jose verify --key "$out/sandbox-sg-signing.pub.jwk" --alg ES256 "$out/tampered.jws"; then
  echo "demo: a tampered token verified" >&2; exit 1
fi

say "2. Rules: the official JsonLogic suite"
run rules test "$SHARED/conformance/jsonlogic/tests.json"

say "3. Life events: moving from the UK to Singapore for work"
cat > "$out/facts.json" <<'JSON'
{"birthdate":"1990-04-12","nationality":"GB","residence_country":"GB","has_job_offer":true,
 "monthly_salary_sgd":7200,"works_in_financial_services":false,"compass_points":50,
 "outstanding_achievements":false,"married":true,"has_children_under_21":false,
 "lived_in_uk":true,"worked_in_uk":true,"leaving_uk_for_full_tax_year":true,"in_self_assessment":false}
JSON
run journey --list
run journey uk-to-sg-work --facts "$out/facts.json" --date 2027-01-15

say "4. Transparency log: append, checkpoint, verify"
"$ACCORD" audit keygen --name accord.demo/log > "$out/log-keys.txt"
sed -n 's/^skey: //p' "$out/log-keys.txt" > "$out/log.skey"
vkey=$(sed -n 's/^vkey: //p' "$out/log-keys.txt")
echo "log verifier key: $vkey"
for i in 1 2 3; do
  entry="{\"v\":1,\"time_ms\":$(( now * 1000 + i )),\"event\":\"key_rotated\",\"service\":\"accord\",\"upstream\":\"none\",\"attributes\":[],\"assurance\":\"\",\"consent_id\":\"\",\"subject_commitment\":\"\"}"
  run audit append --log "$out/log" --skey-file "$out/log.skey" --entry "$entry"
done
run audit verify --log "$out/log" --key "$vkey" --full
run audit prove --log "$out/log" --index 1 --key "$vkey"

say "Done. Try: $ACCORD --help"

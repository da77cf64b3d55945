// The mutual-recognition topology the end-to-end tests and bench/broker run in one `accord serve`: the gateway
// (broker, transparency log, the SG service "sg-mom-employment-pass" (fapi2) and the UK service
// "uk-hmrc-leaving-uk" (oidc)) and the sandbox national providers sandbox-uk (One Login profile)
// and sandbox-sg (Singpass FAPI 2.0 profile), as gateway.toml, sandbox-uk.toml and sandbox-sg.toml
// in `dir`, with the keys scripts/demo-keys.sh wrote to `dir`/keys.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SG_SERVICE_REDIRECT = 'http://127.0.0.1:18090/callback';
export const UK_SERVICE_REDIRECT = 'http://127.0.0.1:18091/callback';

// ports: [gateway, sandbox-uk, sandbox-sg]. Options (TOML text):
//   gatewayStore / sandboxStore   the [store] bodies (default: accord.db for all three)
//   gatewayThreads / sandboxThreads  server threads (default 1 each)
//   auditDir                      the gateway's log directory (relative to dir)
//   gatewayExtra                  tables added to the gateway's config (e.g. [datasec])
//   sgServiceExtra                keys added to the SG service's client entry
//   ukGatewayClientExtra          keys added to sandbox-uk's client entry for the gateway
// Returns the three issuers and the `accord` arguments that serve them.
export function writeMutualConfigs(dir, repo, [gw, uk, sg], {
  gatewayStore = 'sqlite_path = "accord.db"', sandboxStore = gatewayStore, auditDir = 'log',
  gatewayThreads = 1, sandboxThreads = 1, gatewayExtra = '', sgServiceExtra = '',
  ukGatewayClientExtra = '',
} = {}) {
  const G = `http://127.0.0.1:${gw}`, U = `http://127.0.0.1:${uk}`, S = `http://127.0.0.1:${sg}`;
  const sgRedirect = SG_SERVICE_REDIRECT, ukRedirect = UK_SERVICE_REDIRECT;
  const common = (port, store, threads) => `
[server]
address = "127.0.0.1"
port = ${port}
threads = ${threads}
[store]
${store}
[keys]
kek_file = "keys/kek"
`;
  writeFileSync(join(dir, 'gateway.toml'), `issuer = "${G}"
${common(gw, gatewayStore, gatewayThreads)}
${gatewayExtra}[sandbox]
people_file = "${join(repo, 'data/people/sandbox-people.json')}"
[broker]
trust_dir = "${join(repo, 'data/trust')}"
[audit]
dir = "${auditDir}"
skey_file = "keys/audit.skey"
[[clients]]
client_id = "sg-mom-employment-pass"
profile = "fapi2"
redirect_uris = ["${sgRedirect}"]
scopes = ["openid", "profile"]
jwks_file = "keys/service-sg.pub.jwks"
${sgServiceExtra}[[clients]]
client_id = "uk-hmrc-leaving-uk"
profile = "oidc"
redirect_uris = ["${ukRedirect}"]
scopes = ["openid", "profile"]
jwks_file = "keys/service-uk.pub.jwks"
[[upstreams]]
id = "sandbox-uk"
kind = "onelogin"
country = "GBR"
issuer = "${U}"
client_id = "accord-gateway"
redirect_uri = "${G}/upstream/callback/sandbox-uk"
scope = "openid"
vtr = '["Cl.Cm.P2"]'
userinfo_claims = ["https://vocab.account.gov.uk/v1/coreIdentityJWT"]
did_document_url = "${U}/.well-known/did.json"
core_identity_issuer = "${U}/"
signing_key_file = "keys/gateway-uk.jwk"
[[upstreams]]
id = "sandbox-sg"
kind = "singpass"
country = "SGP"
issuer = "${S}"
client_id = "accord-gateway"
redirect_uri = "${G}/upstream/callback/sandbox-sg"
scope = "openid user.identity name dob"
signing_key_file = "keys/gateway-sg-sig.jwk"
encryption_key_file = "keys/gateway-sg-enc.jwk"
use_par = true
use_dpop = true
`);
  writeFileSync(join(dir, 'sandbox-uk.toml'), `profile = "onelogin"
key_owner = "sandbox-uk"
issuer = "${U}"
${common(uk, sandboxStore, sandboxThreads)}
[sandbox]
people_file = "${join(repo, 'data/people/sandbox-uk.json')}"
[onelogin]
did = "did:web:127.0.0.1%3A${uk}"
identity_issuer = "${U}/"
[[clients]]
client_id = "accord-gateway"
profile = "oidc"
redirect_uris = ["${G}/upstream/callback/sandbox-uk"]
scopes = ["openid", "email", "phone"]
jwks_file = "keys/gateway-uk.pub.jwks"
${ukGatewayClientExtra}`);
  writeFileSync(join(dir, 'sandbox-sg.toml'), `profile = "singpass"
key_owner = "sandbox-sg"
issuer = "${S}"
${common(sg, sandboxStore, sandboxThreads)}
[sandbox]
people_file = "${join(repo, 'data/people/sandbox-sg.json')}"
[[clients]]
client_id = "accord-gateway"
profile = "fapi2"
redirect_uris = ["${G}/upstream/callback/sandbox-sg"]
scopes = ["openid", "user.identity", "name", "dob"]
jwks_file = "keys/gateway-sg.pub.jwks"
`);
  return {
    G, U, S,
    args: ['serve', '--config', join(dir, 'gateway.toml'), '--config', join(dir, 'sandbox-uk.toml'),
      '--config', join(dir, 'sandbox-sg.toml')],
  };
}

// End-to-end: the sandbox national providers under `accord serve`, against openid-client v6.
//
// Usage: node sandbox_e2e.mjs <path to accord binary> <repo root>
// Starts two real providers from TOML configs in a temp dir (each standalone, `profile` at the
// top of the file) on free loopback ports, then runs
//   1. sandbox-uk (profile "onelogin"): plain authorization request with vtr ["Cl.Cm.P2"], a
//      `claims` request for the core identity JWT, private_key_jwt RS256, ID token with the
//      One Login sub/vot/vtm, userinfo; the core identity JWT verified with npm jose against the
//      key of /.well-known/did.json; a person without P2 gets no core identity JWT;
//   2. sandbox-sg (profile "singpass"): PAR + DPoP + private_key_jwt ES256, the ID token and the
//      userinfo response encrypted to the client's key (openid-client enableDecryptingResponses).
// Exits non-zero on the first failure.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto, randomBytes } from 'node:crypto';
import { assert, freePort, loadPeers, startAccord } from '../../lib/e2e.mjs';

const [accord, repo] = process.argv.slice(2);
const { client, jose } = await loadPeers(repo);

const CORE_IDENTITY = 'https://vocab.account.gov.uk/v1/coreIdentityJWT';

async function exportPublic(key, extra) {
  const jwk = await webcrypto.subtle.exportKey('jwk', key);
  const pub = { kty: jwk.kty, ...(jwk.kty === 'RSA' ? { n: jwk.n, e: jwk.e } : { crv: jwk.crv, x: jwk.x, y: jwk.y }) };
  return { ...pub, ...extra };
}

const dir = mkdtempSync(join(tmpdir(), 'accord-sandbox-e2e-'));
writeFileSync(join(dir, 'kek'), randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });

// The provider processes (startAccord), stopped at the end.
const servers = [];
async function startProvider(name, toml) {
  const path = join(dir, `${name}.toml`);
  writeFileSync(path, toml);
  servers.push({ name, run: await startAccord(accord, ['serve', '--config', path], { timeoutMs: 20000, name }) });
}

// Drives a sandbox login page with plain HTTP; returns the redirect URL carrying the code.
async function login(issuer, authorizationUrl, person, heading) {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  assert(page.status === 200, `login page status ${page.status}: ${html}`);
  assert(html.includes(heading), `login page heading "${heading}"`);
  assert(html.includes(`value="${person}"`), `person ${person} listed on the login page`);
  const field = (name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('accord_csrf=')).split(';')[0];
  const body = new URLSearchParams({ txn: field('txn'), csrf: field('csrf'), person });
  const post = await fetch(`${issuer}/login`, {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert(post.status === 303, `login POST status ${post.status}: ${await post.text()}`);
  return new URL(post.headers.get('location'));
}

// --- sandbox-uk ----------------------------------------------------------------------------------
async function sandboxUk() {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const redirect = 'http://localhost:3001/callback';
  const rsa = await webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
  const jwk = await exportPublic(rsa.publicKey, { kid: 'uk-rp-1', use: 'sig', alg: 'RS256' });
  await startProvider('sandbox-uk', `profile = "onelogin"
key_owner = "sandbox-uk"
issuer = "${issuer}"
[server]
address = "127.0.0.1"
port = ${port}
[store]
sqlite_path = "uk.db"
[keys]
kek_file = "kek"
[sandbox]
people_file = "${join(repo, 'data/people/sandbox-uk.json')}"
[[clients]]
client_id = "uk-service"
profile = "oidc"
redirect_uris = ["${redirect}"]
scopes = ["openid", "email", "phone"]
jwks = '''${JSON.stringify({ keys: [jwk] })}'''
`);
  const config = await client.discovery(new URL(issuer), 'uk-service',
    { id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: rsa.privateKey, kid: 'uk-rp-1' }),
    { execute: [client.allowInsecureRequests] });
  const meta = config.serverMetadata();
  assert(meta.claims_parameter_supported === true, 'claims parameter advertised');
  assert(meta.trustmarks === `${issuer}/trustmark`, 'trustmark advertised');

  const did = await fetch(`${issuer}/.well-known/did.json`);
  assert(did.status === 200, 'did.json served');
  assert(/max-age=\d+/.test(did.headers.get('cache-control') || ''), 'did.json Cache-Control max-age');
  const didDoc = await did.json();
  assert(didDoc.id === `did:web:127.0.0.1%3A${port}`, 'did:web id of the issuer host: ' + didDoc.id);

  async function run(person, { vtr, wantCore }) {
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const params = {
      redirect_uri: redirect, scope: 'openid email phone', nonce, state, ui_locales: 'en',
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      claims: JSON.stringify({ userinfo: { [CORE_IDENTITY]: null } }),
    };
    if (vtr) params.vtr = vtr;
    const url = client.buildAuthorizationUrl(config, params);
    const callback = await login(issuer, url, person, 'One Login sandbox');
    const tokens = await client.authorizationCodeGrant(config, callback,
      { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    const id = tokens.claims();
    assert(id.sub.startsWith('urn:fdc:gov.uk:2022:'), 'One Login sub format: ' + id.sub);
    assert(id.vot === 'Cl.Cm', 'vot is the credential part: ' + id.vot);
    assert(id.vtm === `${issuer}/trustmark`, 'vtm');
    assert(id.sid, 'sid');
    assert(id.acr === undefined, 'no acr (One Login uses vot)');
    assert(jose.decodeProtectedHeader(tokens.id_token).alg === 'ES256', 'ES256 ID token');
    const info = await client.fetchUserInfo(config, tokens.access_token, id.sub);
    assert(info.email && info.email_verified === true, 'email in userinfo');
    assert(info.phone_number && info.phone_number_verified === true, 'phone in userinfo');
    if (!wantCore) {
      assert(info[CORE_IDENTITY] === undefined, 'no core identity JWT for ' + person);
      return;
    }
    const core = info[CORE_IDENTITY];
    assert(typeof core === 'string', 'core identity JWT present');
    const header = jose.decodeProtectedHeader(core);
    assert(header.alg === 'ES256' && header.kid.startsWith(didDoc.id + '#'), 'kid = did#key id: ' + header.kid);
    const method = didDoc.assertionMethod.find((m) => m.id === header.kid);
    assert(method && method.type === 'JsonWebKey' && method.controller === didDoc.id, 'assertionMethod for the kid');
    const key = await jose.importJWK(method.publicKeyJwk, 'ES256');
    const { payload } = await jose.jwtVerify(core, key,
      { issuer: `${issuer}/`, audience: 'uk-service', algorithms: ['ES256'] });
    assert(payload.sub === id.sub, 'core identity sub = ID token sub');
    assert(payload.vot === 'P2' && payload.vtm === `${issuer}/trustmark`, 'vot P2, vtm');
    assert(payload.nbf && payload.iat && payload.exp > payload.iat, 'nbf/iat/exp');
    const subject = payload.vc.credentialSubject;
    const parts = subject.name[0].nameParts;
    assert(parts.some((p) => p.type === 'GivenName' && p.value === 'Ada'), 'GivenName part');
    assert(parts.some((p) => p.type === 'FamilyName' && p.value === 'Testwright'), 'FamilyName part');
    assert(subject.birthDate[0].value === '1987-04-12', 'birthDate');
    assert(payload.vc.type.includes('VerifiableIdentityCredential'), 'vc.type');
    // The ID-token keys do not verify it: a separate key.
    const opJwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
    let separate = false;
    try { await jose.jwtVerify(core, opJwks); } catch { separate = true; }
    assert(separate, 'core identity key is not an ID-token key');
  }
  await run('sandbox-uk-0001', { vtr: '["Cl.Cm.P2"]', wantCore: true });
  await run('sandbox-uk-0003', { vtr: '["Cl.Cm.P2"]', wantCore: false });  // identity not proven
  await run('sandbox-uk-0001', { vtr: undefined, wantCore: false });       // default Cl.Cm
  // An invalid vtr comes back as an error redirect.
  const bad = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect, scope: 'openid', vtr: '["Cl.P2"]', state: 'x',
    code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
    code_challenge_method: 'S256' });
  const res = await fetch(bad, { redirect: 'manual' });
  assert(res.status === 303 && new URL(res.headers.get('location')).searchParams.get('error') === 'invalid_request',
    'invalid vtr -> invalid_request');
  console.log('sandbox-uk (One Login profile): ok');
}

// --- sandbox-sg ----------------------------------------------------------------------------------
async function sandboxSg() {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const redirect = 'http://localhost:3002/callback';
  const sig = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const enc = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const keys = [
    await exportPublic(sig.publicKey, { kid: 'sg-sig-1', use: 'sig', alg: 'ES256' }),
    await exportPublic(enc.publicKey, { kid: 'sg-enc-1', use: 'enc', alg: 'ECDH-ES+A256KW' }),
  ];
  await startProvider('sandbox-sg', `profile = "singpass"
key_owner = "sandbox-sg"
issuer = "${issuer}"
[server]
address = "127.0.0.1"
port = ${port}
[store]
sqlite_path = "sg.db"
[keys]
kek_file = "kek"
[sandbox]
people_file = "${join(repo, 'data/people/sandbox-sg.json')}"
[[clients]]
client_id = "sg-service"
profile = "fapi2"
redirect_uris = ["${redirect}"]
scopes = ["openid", "user.identity", "name", "email", "mobileno"]
jwks = '''${JSON.stringify({ keys })}'''
`);
  const config = await client.discovery(new URL(issuer), 'sg-service', {
    id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'private_key_jwt',
    id_token_encrypted_response_alg: 'ECDH-ES+A256KW', id_token_encrypted_response_enc: 'A256CBC-HS512',
    userinfo_signed_response_alg: 'ES256',
  }, client.PrivateKeyJwt({ key: sig.privateKey, kid: 'sg-sig-1' }),
  { execute: [client.allowInsecureRequests] });
  client.enableDecryptingResponses(config, ['A256CBC-HS512'], { key: enc.privateKey, kid: 'sg-enc-1' });
  assert(config.serverMetadata().require_pushed_authorization_requests === true, 'PAR required');
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: redirect, scope: 'openid user.identity name email mobileno', nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }, { DPoP: dpop });
  const person = '5c7e1a0e-8f2b-4d7a-9b61-0a5f3c2e9d01';
  const callback = await login(issuer, url, person, 'Singpass sandbox');
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true }, undefined, { DPoP: dpop });
  assert(tokens.token_type.toLowerCase() === 'dpop', 'DPoP-bound tokens');
  assert(tokens.id_token.split('.').length === 5, 'the ID token is a JWE');
  const jweHeader = jose.decodeProtectedHeader(tokens.id_token);
  assert(jweHeader.alg === 'ECDH-ES+A256KW' && jweHeader.enc === 'A256CBC-HS512' && jweHeader.cty === 'JWT'
    && jweHeader.kid === 'sg-enc-1', 'JWE header: ' + JSON.stringify(jweHeader));
  const id = tokens.claims();
  assert(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id.sub), 'UUID sub: ' + id.sub);
  assert(id.sub !== person, 'pairwise, not the local id');
  assert(id.sub_type === 'user', 'sub_type');
  assert(id.acr === 'urn:singpass:authentication:loa:2', 'acr ' + id.acr);
  assert(JSON.stringify(id.amr) === '["pwd","sms"]', 'amr');
  assert(id.sub_attributes.identity_number === 'S9400228A' && id.sub_attributes.identity_coi === 'SG'
    && id.sub_attributes.account_type === 'standard', 'sub_attributes identity');
  assert(id.sub_attributes.name === 'SAMPLETON MEI LING', 'sub_attributes name');
  // Without the decryption key the ID token cannot be read.
  const other = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  let refused = false;
  try { await jose.compactDecrypt(tokens.id_token, other.privateKey); } catch { refused = true; }
  assert(refused, 'ID token does not decrypt with another key');
  const { plaintext } = await jose.compactDecrypt(tokens.id_token, enc.privateKey);
  await jose.jwtVerify(new TextDecoder().decode(plaintext), jose.createRemoteJWKSet(new URL(`${issuer}/jwks`)),
    { issuer, audience: 'sg-service', algorithms: ['ES256'] });
  const info = await client.fetchUserInfo(config, tokens.access_token, id.sub, { DPoP: dpop });
  assert(info.person_info.name.value === 'SAMPLETON MEI LING', 'userinfo name');
  assert(info.person_info.uinfin.value === 'S9400228A', 'userinfo uinfin');
  assert(info.person_info.mobileno.nbr.value === '80000101', 'userinfo mobileno');
  console.log('sandbox-sg (Singpass FAPI 2.0 profile): ok');
}

let failed = false;
try {
  await sandboxUk();
  await sandboxSg();
} catch (e) {
  failed = true;
  console.error(e);
  for (const s of servers) console.error(`--- ${s.name} output ---\n${s.run.out}`);
} finally {
  for (const s of servers) await s.run.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

// End-to-end: `accord serve` against openid-client v6 (an independent RP implementation).
//
// Usage: node provider_e2e.mjs <path to accord binary> <repo root>
// Starts the provider on a free loopback port with a config in a temp dir, then runs
//   1. the `oidc` profile: discovery, authorization URL, sandbox login driven by plain HTTP,
//      authorizationCodeGrant (private_key_jwt ES256), ID token validation, userinfo, refresh;
//   2. the `fapi2` profile: PAR + DPoP (with server nonces), code grant, DPoP userinfo, refresh;
//   3. token revocation (RFC 7009) of refresh and access tokens with client.tokenRevocation;
//   4. RP-initiated logout (client.buildEndSessionUrl, followed with the session cookie) and the
//      back-channel logout it triggers, received by a small HTTP server here and verified with
//      npm `jose` against the provider's JWKS (typ logout+jwt, events, sid, sub);
//   5. a client with PS256 ID tokens (id_token_signed_response_alg = "PS256");
//   6. /metrics after those flows: the store's write statistics (docs/store.md) moved.
// Exits non-zero on the first failure.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto, randomBytes } from 'node:crypto';
import { assert, freePort, loadPeers, startAccord } from '../../lib/e2e.mjs';

const [accord, repo] = process.argv.slice(2);
const { client, jose } = await loadPeers(repo);

async function keyPair() {
  const kp = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const jwk = await webcrypto.subtle.exportKey('jwk', kp.publicKey);
  return { kp, jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } };
}

const dir = mkdtempSync(join(tmpdir(), 'accord-e2e-'));
const port = await freePort();
const issuer = `http://127.0.0.1:${port}`;
const oidcKey = await keyPair();
const fapiKey = await keyPair();
const psKey = await keyPair();
oidcKey.jwk.kid = 'oidc-e2e'; fapiKey.jwk.kid = 'fapi-e2e'; psKey.jwk.kid = 'ps-e2e';
const oidcRedirect = 'http://localhost:3000/cb';
const postLogoutRedirect = 'http://localhost:3000/signed-out';

// The RP's back-channel logout endpoint: records every logout_token POSTed to it.
const backchannelPort = await freePort();
const backchannelUri = `http://127.0.0.1:${backchannelPort}/backchannel`;
const logoutTokens = [];
let logoutArrived = () => {};
const backchannel = createHttpServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const token = new URLSearchParams(body).get('logout_token');
    if (req.method === 'POST' && req.url === '/backchannel' && token) {
      logoutTokens.push(token);
      logoutArrived();
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    } else {
      res.writeHead(400).end();
    }
  });
});
await new Promise((r) => backchannel.listen(backchannelPort, '127.0.0.1', r));
const fapiRedirect = 'https://rp.example/cb';
writeFileSync(join(dir, 'kek'), randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
writeFileSync(join(dir, 'accord.toml'), `
issuer = "${issuer}"
[server]
address = "127.0.0.1"
port = ${port}
threads = 2
[store]
sqlite_path = "accord.db"
[keys]
kek_file = "kek"
[sandbox]
people_file = "${join(repo, 'data/people/sandbox-people.json')}"
[[clients]]
client_id = "oidc-e2e"
profile = "oidc"
redirect_uris = ["${oidcRedirect}"]
scopes = ["openid", "profile", "birthdate", "offline_access"]
jwks = '''${JSON.stringify({ keys: [oidcKey.jwk] })}'''
post_logout_redirect_uris = ["${postLogoutRedirect}"]
backchannel_logout_uri = "${backchannelUri}"
[[clients]]
client_id = "ps-e2e"
profile = "oidc"
redirect_uris = ["${oidcRedirect}"]
scopes = ["openid", "profile", "offline_access"]
id_token_signed_response_alg = "PS256"
jwks = '''${JSON.stringify({ keys: [psKey.jwk] })}'''
[[clients]]
client_id = "fapi-e2e"
profile = "fapi2"
redirect_uris = ["${fapiRedirect}"]
scopes = ["openid", "profile", "offline_access"]
jwks = '''${JSON.stringify({ keys: [fapiKey.jwk] })}'''
`);

let server;  // `accord serve` (startAccord)

// Drives the sandbox login page with plain HTTP; returns the redirect URL carrying the code.
// The browser session cookie it got is kept in `sessionCookie`.
let sessionCookie = '';
async function login(authorizationUrl, person) {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  assert(page.status === 200, `login page status ${page.status}: ${html}`);
  const csp = page.headers.get('content-security-policy') || '';
  assert(csp.includes("default-src 'none'"), 'strict CSP on the login page');
  assert(!html.includes('<script'), 'no script on the login page');
  const field = (name) => html.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('accord_csrf=')).split(';')[0];
  const body = new URLSearchParams({ txn: field('txn'), csrf: field('csrf'), person });
  const post = await fetch(`${issuer}/login`, {
    method: 'POST', redirect: 'manual', body,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const postBody = await post.text();
  assert(post.status === 303, `login POST status ${post.status}: ${postBody}`);
  sessionCookie = post.headers.getSetCookie().find((c) => c.startsWith('accord_session=')).split(';')[0];
  return new URL(post.headers.get('location'));
}

async function oidcFlow() {
  const config = await client.discovery(new URL(issuer), 'oidc-e2e',
    { id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: oidcKey.kp.privateKey, kid: 'oidc-e2e' }),
    { execute: [client.allowInsecureRequests] });
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirect, scope: 'openid profile offline_access', nonce, state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await login(url, 'sandbox-sg-0001');
  assert(callback.searchParams.get('iss') === issuer, 'iss in the authorization response');
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
  const claims = tokens.claims();
  assert(claims.sub && claims.sub !== 'sandbox-sg-0001', 'pairwise sub');
  assert(tokens.token_type.toLowerCase() === 'bearer', 'Bearer token');
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert(info.given_name === 'Mei Ling' && info.birthdate === '1994-02-28', 'userinfo claims');
  const lost = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert(lost.refresh_token && lost.refresh_token !== tokens.refresh_token, 'refresh rotated');
  // As if that response had been lost: the retry with the same token succeeds (FAPI 2.0 5.3.2.1).
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  assert(refreshed.refresh_token && refreshed.refresh_token !== lost.refresh_token, 'refresh retried');
  const next = await client.refreshTokenGrant(config, refreshed.refresh_token);
  let reuseRejected = false;
  try { await client.refreshTokenGrant(config, tokens.refresh_token); } catch (e) { reuseRejected = e.error === 'invalid_grant'; }
  assert(reuseRejected, 'refresh token reuse rejected once its replacement was used');
  let familyRevoked = false;
  try { await client.refreshTokenGrant(config, next.refresh_token); } catch (e) { familyRevoked = e.error === 'invalid_grant'; }
  assert(familyRevoked, 'reuse revoked the family');
  console.log('oidc profile: ok');
  return { config };
}

async function expectError(promise, what) {
  try { await promise; } catch (e) { return e; }
  throw new Error('assertion failed: ' + what + ' should have failed');
}

async function revocationFlow({ config }) {
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirect, scope: 'openid profile offline_access', nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const refreshed = await client.authorizationCodeGrant(config, await login(url, 'sandbox-sg-0001'),
    { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
  // Access token: revoked by jti; userinfo then refuses it.
  const info = await client.fetchUserInfo(config, refreshed.access_token, client.skipSubjectCheck);
  assert(info.sub, 'userinfo before revocation');
  await client.tokenRevocation(config, refreshed.access_token, { token_type_hint: 'access_token' });
  const e1 = await expectError(client.fetchUserInfo(config, refreshed.access_token, client.skipSubjectCheck),
    'userinfo with a revoked access token');
  assert((e1.status ?? e1.response?.status) === 401, 'revoked access token refused with 401: ' + e1);
  // Refresh token: the family is revoked.
  await client.tokenRevocation(config, refreshed.refresh_token);
  const e2 = await expectError(client.refreshTokenGrant(config, refreshed.refresh_token), 'refresh after revocation');
  assert(e2.error === 'invalid_grant', 'revoked refresh token: invalid_grant, got ' + e2.error);
  // Unknown tokens are acknowledged (RFC 7009 section 2.2).
  await client.tokenRevocation(config, 'not-a-token-we-issued');
  console.log('revocation: ok');
}

async function logoutFlow() {
  const config = await client.discovery(new URL(issuer), 'oidc-e2e',
    { id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: oidcKey.kp.privateKey, kid: 'oidc-e2e' }),
    { execute: [client.allowInsecureRequests] });
  const meta = config.serverMetadata();
  assert(meta.end_session_endpoint === `${issuer}/logout`, 'end_session_endpoint advertised');
  assert(meta.backchannel_logout_supported === true && meta.backchannel_logout_session_supported === true,
    'back-channel logout advertised');
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirect, scope: 'openid offline_access', nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await login(url, 'sandbox-sg-0001');
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
  const idClaims = tokens.claims();
  assert(idClaims.sid, 'sid in the ID token');
  const delivered = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no back-channel logout within 10 s')), 10000);
    logoutArrived = () => { clearTimeout(timer); resolve(); };
  });
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogoutRedirect, state: 'bye-state',
  });
  const res = await fetch(endSession, { redirect: 'manual', headers: { cookie: sessionCookie } });
  assert(res.status === 303, `logout status ${res.status}: ${await res.text()}`);
  assert(res.headers.get('location') === `${postLogoutRedirect}?state=bye-state`, 'post-logout redirect with state');
  assert(res.headers.getSetCookie().some((c) => c.startsWith('accord_session=;')), 'session cookie cleared');
  await delivered;
  const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const { payload, protectedHeader } = await jose.jwtVerify(logoutTokens[0], jwks,
    { issuer, audience: 'oidc-e2e', typ: 'logout+jwt', algorithms: ['ES256'] });
  assert(protectedHeader.typ === 'logout+jwt', 'typ logout+jwt');
  assert(payload.sid === idClaims.sid, 'logout token sid = ID token sid');
  assert(payload.sub === idClaims.sub, 'logout token sub = ID token sub (pairwise)');
  assert(payload.jti && payload.iat && payload.exp > payload.iat, 'jti, iat, exp');
  assert(payload.nonce === undefined, 'no nonce in a logout token');
  assert(payload.events && typeof payload.events['http://schemas.openid.net/event/backchannel-logout'] === 'object',
    'backchannel-logout event');
  // The session is gone: its refresh tokens no longer work.
  const e = await expectError(client.refreshTokenGrant(config, tokens.refresh_token), 'refresh after logout');
  assert(e.error === 'invalid_grant', 'refresh after logout: invalid_grant');
  console.log('logout + back-channel logout: ok');
}

async function ps256Flow() {
  const config = await client.discovery(new URL(issuer), 'ps-e2e',
    { id_token_signed_response_alg: 'PS256', token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: psKey.kp.privateKey, kid: 'ps-e2e' }),
    { execute: [client.allowInsecureRequests] });
  const algs = config.serverMetadata().id_token_signing_alg_values_supported;
  assert(algs.includes('ES256') && algs.includes('PS256'), 'discovery lists ES256 and PS256');
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirect, scope: 'openid profile offline_access', nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await login(url, 'sandbox-gb-0001');
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true });
  assert(jose.decodeProtectedHeader(tokens.id_token).alg === 'PS256', 'PS256 ID token');
  const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/jwks`));
  await jose.jwtVerify(tokens.id_token, jwks, { issuer, audience: 'ps-e2e', algorithms: ['PS256'] });
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
  assert(info.family_name === 'Testwright', 'userinfo for the PS256 client');
  console.log('PS256 ID tokens: ok');
}

async function fapiFlow() {
  const config = await client.discovery(new URL(issuer), 'fapi-e2e',
    { id_token_signed_response_alg: 'ES256', token_endpoint_auth_method: 'private_key_jwt' },
    client.PrivateKeyJwt({ key: fapiKey.kp.privateKey, kid: 'fapi-e2e' }),
    { execute: [client.allowInsecureRequests] });
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: fapiRedirect, scope: 'openid profile offline_access', nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }, { DPoP: dpop });
  const callback = await login(url, 'sandbox-gb-0001');
  const tokens = await client.authorizationCodeGrant(config, callback,
    { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true }, undefined, { DPoP: dpop });
  assert(tokens.token_type.toLowerCase() === 'dpop', 'DPoP token type');
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub, { DPoP: dpop });
  assert(info.family_name === 'Testwright', 'userinfo over DPoP');
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: dpop });
  assert(refreshed.token_type.toLowerCase() === 'dpop', 'refresh keeps DPoP binding');
  console.log('fapi2 profile: ok');
}

// The store's write path on /metrics (docs/store.md, "Write statistics"): every family has HELP
// and TYPE lines, and the flows above committed writes made durable by group fdatasyncs.
async function metricsCheck() {
  const res = await fetch(`${issuer}/metrics`);
  assert(res.status === 200, `/metrics answered ${res.status}`);
  const text = await res.text();
  const counters = ['accord_store_write_transactions_total', 'accord_store_write_bodies_total',
    'accord_store_write_bodies_rolled_back_total', 'accord_store_batch_failures_total',
    'accord_store_group_syncs_total', 'accord_store_checkpoints_total',
    'accord_store_checkpoint_failures_total'];
  for (const name of counters) {
    assert(text.includes(`# HELP ${name} `) && text.includes(`# TYPE ${name} counter\n`), `${name} declared`);
  }
  assert(text.includes('# TYPE accord_store_wal_frames gauge\n'), 'accord_store_wal_frames declared');
  const value = (series) => {
    const line = text.split('\n').find((l) => l.startsWith(series + ' '));
    assert(line !== undefined, `${series} present`);
    return Number(line.slice(series.length + 1));
  };
  const transactions = value('accord_store_write_transactions_total');
  assert(transactions > 0, 'write transactions counted');
  assert(value('accord_store_write_bodies_total') >= transactions, 'each transaction commits a body at least');
  assert(value('accord_store_group_syncs_total') > 0, 'group syncs counted');
  assert(value('accord_store_batch_failures_total') === 0, 'no batch failed');
  assert(value('accord_store_checkpoint_failures_total') === 0, 'no checkpoint failed');
  value('accord_store_checkpoints_total{mode="background"}');
  value('accord_store_checkpoints_total{mode="inline"}');
  assert(value('accord_store_wal_frames') > 0, 'the -wal holds the flows\' commits');
  console.log(`metrics: ok (${transactions} write transactions)`);
}

let failed = false;
try {
  server = await startAccord(accord, ['serve', '--config', join(dir, 'accord.toml')], { timeoutMs: 20000 });
  const oidc = await oidcFlow();
  await fapiFlow();
  await revocationFlow(oidc);
  await logoutFlow();
  await ps256Flow();
  await metricsCheck();
} catch (e) {
  failed = true;
  console.error(e);
  if (server) console.error('--- server output ---\n' + server.out);
} finally {
  backchannel.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

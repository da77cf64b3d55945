// Negative protocol suite (issue #6): one node:test per attack against a real `accord serve`,
// asserting the HTTP status and the RFC error code; browser-facing errors before the
// redirect_uri is validated must be an HTML page and never a redirect (open-redirect defence).
// Assertions and DPoP proofs are crafted by hand with npm `jose` (tests/peers).
//
// Usage: node --test-reporter=spec negative.mjs <path to accord binary> <repo root>
// Time-dependent cases (expired code, expired request_uri) need the server's clock and live in
// src/oidc/provider/provider_negative_test.cc.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  Client, FAPI_CLIENT, FAPI_REDIRECT, JWT_BEARER, OIDC_CLIENT, OIDC_REDIRECT, assertion, dpopProof, keyPair,
  get, loadJose, nowSeconds, pkce, postForm, postRaw, startServer, writeConfig,
} from './harness.mjs';

const [accord, repo] = process.argv.slice(2);
const jose = await loadJose(repo);

let server;
let env;
let oidc;      // Client for the `oidc` profile client
let fapi;      // Client for the `fapi2` profile client
let strangerKey;  // a key registered nowhere

before(async () => {
  const oidcKey = await keyPair(jose, 'oidc-neg');
  const fapiKey = await keyPair(jose, 'fapi-neg');
  strangerKey = await keyPair(jose, 'oidc-neg');  // same kid as the oidc client, different key
  env = await writeConfig({
    repo,
    clients: [
      { client_id: OIDC_CLIENT, profile: 'oidc', redirect_uris: [OIDC_REDIRECT],
        scopes: ['openid', 'profile', 'offline_access'], keys: [oidcKey] },
      { client_id: FAPI_CLIENT, profile: 'fapi2', redirect_uris: [FAPI_REDIRECT],
        scopes: ['openid', 'profile', 'offline_access'], keys: [fapiKey] },
    ],
  });
  server = await startServer(accord, env.configPath);
  oidc = new Client(jose, env.issuer, OIDC_CLIENT, oidcKey, OIDC_REDIRECT);
  fapi = new Client(jose, env.issuer, FAPI_CLIENT, fapiKey, FAPI_REDIRECT);
});

after(async () => {
  if (server) await server.stop();
  if (env) rmSync(env.dir, { recursive: true, force: true });
});

// ---- assertion helpers ----

function expectOAuthError(r, status, error) {
  assert.equal(r.status, status, `status (body: ${r.text})`);
  assert.ok(r.json, `JSON error body expected, got: ${r.text.slice(0, 200)}`);
  const errors = Array.isArray(error) ? error : [error];
  assert.ok(errors.includes(r.json.error), `error ${r.json.error}, expected ${errors.join(' or ')}`);
  assert.equal(r.headers.get('location'), null, 'no redirect');
}

// A readable HTML error page: no Location header, never a redirect status.
function expectErrorPage(r, status = 400) {
  assert.equal(r.status, status, `status (body: ${r.text.slice(0, 200)})`);
  assert.equal(r.headers.get('location'), null, 'must not redirect');
  assert.match(r.headers.get('content-type') || '', /^text\/html/);
  assert.match(r.text, /<html/i);
  assert.doesNotMatch(r.text, /<script/i);
}

// An RFC 6749 4.1.2.1 error redirect to the registered redirect_uri.
function expectErrorRedirect(r, redirect, error) {
  assert.ok(r.status === 302 || r.status === 303, `redirect status, got ${r.status}: ${r.text.slice(0, 200)}`);
  const location = new URL(r.headers.get('location'));
  assert.equal(location.origin + location.pathname, redirect);
  assert.equal(location.searchParams.get('error'), error);
  assert.equal(location.searchParams.get('iss'), env.issuer);
}

function userinfo(accessToken, scheme, proof) {
  const headers = { authorization: `${scheme} ${accessToken}` };
  if (proof) headers.DPoP = proof;
  return get(`${env.issuer}/userinfo`, headers);
}

// fapi2 tokens bound to `dpopKey` (PAR, login, code exchange).
async function fapiTokens(dpopKey) {
  const { code, pkce: p } = await fapi.code({ dpopKey });
  const r = await fapi.exchange(code, p.verifier, { dpopKey });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.token_type, 'DPoP');
  return r.json;
}

async function oidcTokens() {
  const { code, pkce: p } = await oidc.code();
  const r = await oidc.exchange(code, p.verifier);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

const newDpopKey = () => keyPair(jose, undefined);

// ---- redirect_uri ----

test('redirect_uri mismatch at PAR is invalid_request', async () => {
  const r = await oidc.par(oidc.codeParams(pkce(), { redirect_uri: 'https://evil.example/cb' }));
  expectOAuthError(r, 400, 'invalid_request');
});

test('redirect_uri mismatch at authorize shows an error page, never redirects', async () => {
  const r = await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...oidc.codeParams(pkce(), { redirect_uri: 'http://localhost:3000/other' }) }));
  expectErrorPage(r);
});

test('redirect_uri mismatch at token is invalid_grant', async () => {
  const { code, pkce: p } = await oidc.code();
  const r = await oidc.token({ grant_type: 'authorization_code', code, code_verifier: p.verifier, redirect_uri: 'http://localhost:3000/other' });
  expectOAuthError(r, 400, 'invalid_grant');
});

test('redirect_uri missing at token is rejected', async () => {
  const { code, pkce: p } = await oidc.code();
  const r = await oidc.token({ grant_type: 'authorization_code', code, code_verifier: p.verifier });
  expectOAuthError(r, 400, ['invalid_grant', 'invalid_request']);
});

// ---- PKCE ----

test('PKCE missing at PAR is invalid_request', async () => {
  const params = oidc.codeParams(pkce());
  delete params.code_challenge;
  delete params.code_challenge_method;
  expectOAuthError(await oidc.par(params), 400, 'invalid_request');
});

test('PKCE missing at authorize is an invalid_request error redirect', async () => {
  const params = oidc.codeParams(pkce());
  delete params.code_challenge;
  delete params.code_challenge_method;
  expectErrorRedirect(await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...params })), OIDC_REDIRECT, 'invalid_request');
});

test('PKCE plain method at PAR is invalid_request', async () => {
  const p = pkce();
  const r = await oidc.par(oidc.codeParams(p, { code_challenge: p.verifier, code_challenge_method: 'plain' }));
  expectOAuthError(r, 400, 'invalid_request');
});

test('PKCE plain method at authorize is an invalid_request error redirect', async () => {
  const p = pkce();
  const params = oidc.codeParams(p, { code_challenge: p.verifier, code_challenge_method: 'plain' });
  expectErrorRedirect(await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...params })), OIDC_REDIRECT, 'invalid_request');
});

test('PKCE code_challenge without method at PAR is invalid_request', async () => {
  const params = oidc.codeParams(pkce());
  delete params.code_challenge_method;  // RFC 7636 defaults to plain, which is refused
  expectOAuthError(await oidc.par(params), 400, 'invalid_request');
});

test('PKCE wrong code_verifier at token is invalid_grant', async () => {
  const { code } = await oidc.code();
  expectOAuthError(await oidc.exchange(code, pkce().verifier), 400, 'invalid_grant');
});

test('PKCE code_verifier missing at token is rejected', async () => {
  const { code } = await oidc.code();
  const r = await oidc.token({ grant_type: 'authorization_code', code, redirect_uri: OIDC_REDIRECT });
  expectOAuthError(r, 400, ['invalid_grant', 'invalid_request']);
});

// ---- authorization code ----

test('authorization code reuse is invalid_grant and revokes the refresh token it issued', async () => {
  const { code, pkce: p } = await oidc.code();
  const first = await oidc.exchange(code, p.verifier);
  assert.equal(first.status, 200, first.text);
  expectOAuthError(await oidc.exchange(code, p.verifier), 400, 'invalid_grant');
  expectOAuthError(await oidc.refresh(first.json.refresh_token), 400, 'invalid_grant');
});

test('authorization code reuse also revokes the access token it issued', async () => {
  const { code, pkce: p } = await oidc.code();
  const first = await oidc.exchange(code, p.verifier);
  assert.equal(first.status, 200, first.text);
  assert.equal((await userinfo(first.json.access_token, 'Bearer')).status, 200, 'valid before the reuse');
  expectOAuthError(await oidc.exchange(code, p.verifier), 400, 'invalid_grant');
  expectOAuthError(await userinfo(first.json.access_token, 'Bearer'), 401, 'invalid_token');
});

test('authorization code reuse (fapi2, DPoP) revokes the refresh token it issued', async () => {
  const dpopKey = await newDpopKey();
  const { code, pkce: p } = await fapi.code({ dpopKey });
  const first = await fapi.exchange(code, p.verifier, { dpopKey });
  assert.equal(first.status, 200, first.text);
  expectOAuthError(await fapi.exchange(code, p.verifier, { dpopKey }), 400, 'invalid_grant');
  expectOAuthError(await fapi.refresh(first.json.refresh_token, { dpopKey }), 400, 'invalid_grant');
});

test('authorization code of another client is invalid_grant', async () => {
  const { code, pkce: p } = await oidc.code();
  const dpopKey = await newDpopKey();
  const r = await fapi.token({ grant_type: 'authorization_code', code, code_verifier: p.verifier, redirect_uri: OIDC_REDIRECT }, { dpopKey });
  expectOAuthError(r, 400, 'invalid_grant');
});

// ---- request_uri ----

test('request_uri reuse shows an error page, never redirects', async () => {
  const r = await fapi.par(fapi.codeParams(pkce()), { dpopKey: await newDpopKey() });
  assert.equal(r.status, 201, r.text);
  const url = fapi.authorizeUrl({ client_id: FAPI_CLIENT, request_uri: r.json.request_uri });
  const first = await get(url);
  assert.equal(first.status, 200, 'first use shows the login page');
  expectErrorPage(await get(url));
});

test('request_uri pushed by another client shows an error page', async () => {
  const r = await fapi.par(fapi.codeParams(pkce()), { dpopKey: await newDpopKey() });
  assert.equal(r.status, 201, r.text);
  expectErrorPage(await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, request_uri: r.json.request_uri })));
});

test('request_uri that was never issued shows an error page', async () => {
  const uri = 'urn:ietf:params:oauth:request_uri:' + randomUUID();
  expectErrorPage(await get(fapi.authorizeUrl({ client_id: FAPI_CLIENT, request_uri: uri })));
});

// ---- client authentication (private_key_jwt) ----

async function clientCredentials(auth) {
  return postForm(`${env.issuer}/token`, { ...auth, grant_type: 'client_credentials' });
}
function assertionFields(value, clientId = OIDC_CLIENT) {
  return { client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: value };
}

test('client assertion replayed verbatim is invalid_client', async () => {
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer);
  const first = await oidc.par(oidc.codeParams(pkce()), { auth: assertionFields(a) });
  assert.equal(first.status, 201, first.text);
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion with a reused jti is invalid_client', async () => {
  const jti = randomUUID();
  const first = await clientCredentials(assertionFields(await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer, { jti })));
  assert.equal(first.status, 200, first.text);
  const again = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer, { jti, claims: { iat: nowSeconds() - 5 } });
  expectOAuthError(await clientCredentials(assertionFields(again)), 401, 'invalid_client');
});

test('client assertion expired is invalid_client', async () => {
  const now = nowSeconds();
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer, { claims: { iat: now - 600, exp: now - 300 } });
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion with exp too far ahead is invalid_client', async () => {
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer, { claims: { exp: nowSeconds() + 3600 } });
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion with a wrong aud is invalid_client', async () => {
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, 'https://other-op.example/token');
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion with alg none is invalid_client', async () => {
  const now = nowSeconds();
  const a = new jose.UnsecuredJWT({ iss: OIDC_CLIENT, sub: OIDC_CLIENT, aud: env.issuer, jti: randomUUID(), iat: now, exp: now + 60 }).encode();
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion HMAC-signed with the public key (alg confusion) is invalid_client', async () => {
  const secret = new TextEncoder().encode(JSON.stringify(oidc.key.jwk));
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer, { header: { alg: 'HS256' }, signWith: secret });
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion signed with the wrong key is invalid_client', async () => {
  const a = await assertion(jose, strangerKey, OIDC_CLIENT, env.issuer);
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client assertion for one client presented as another is invalid_client', async () => {
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer);
  expectOAuthError(await clientCredentials(assertionFields(a, FAPI_CLIENT)), 401, 'invalid_client');
});

test('client assertion with sub different from iss is invalid_client', async () => {
  const a = await assertion(jose, oidc.key, OIDC_CLIENT, env.issuer, { claims: { sub: FAPI_CLIENT } });
  expectOAuthError(await clientCredentials(assertionFields(a)), 401, 'invalid_client');
});

test('client_secret instead of an assertion is invalid_client', async () => {
  const r = await postForm(`${env.issuer}/token`, { client_id: OIDC_CLIENT, client_secret: 'guess', grant_type: 'client_credentials' });
  expectOAuthError(r, 401, 'invalid_client');
});

// ---- DPoP (RFC 9449) ----

test('DPoP proof missing at token for a fapi2 client is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const { code, pkce: p } = await fapi.code({ dpopKey });
  expectOAuthError(await fapi.exchange(code, p.verifier), 400, 'invalid_dpop_proof');
  // The code was not spent by the refused request: the bound key still redeems it.
  const r = await fapi.exchange(code, p.verifier, { dpopKey });
  assert.equal(r.status, 200, r.text);
});

test('DPoP proof missing at refresh for a fapi2 client is invalid_dpop_proof', async () => {
  const tokens = await fapiTokens(await newDpopKey());
  expectOAuthError(await fapi.refresh(tokens.refresh_token), 400, 'invalid_dpop_proof');
});

test('DPoP proof with a wrong htm is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const proof = await fapi.proof(dpopKey, 'GET', '/token', { nonce: await fapi.nonce(dpopKey) });
  const r = await fapi.token({ grant_type: 'client_credentials' }, { proof });
  expectOAuthError(r, 400, 'invalid_dpop_proof');
});

test('DPoP proof with a wrong htu is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const proof = await fapi.proof(dpopKey, 'POST', '/par', { nonce: await fapi.nonce(dpopKey) });
  const r = await fapi.token({ grant_type: 'client_credentials' }, { proof });
  expectOAuthError(r, 400, 'invalid_dpop_proof');
});

test('DPoP proof for another server is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const nonce = await fapi.nonce(dpopKey);
  const proof = await dpopProof(jose, dpopKey, 'POST', 'https://other-op.example/token', { nonce });
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'invalid_dpop_proof');
});

test('DPoP proof replayed (same jti) is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const proof = await fapi.proof(dpopKey, 'POST', '/token', { nonce: await fapi.nonce(dpopKey) });
  const first = await fapi.token({ grant_type: 'client_credentials' }, { proof });
  assert.equal(first.status, 200, first.text);
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'invalid_dpop_proof');
});

test('DPoP proof with a stale iat is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const proof = await fapi.proof(dpopKey, 'POST', '/token', { nonce: await fapi.nonce(dpopKey), iat: nowSeconds() - 600 });
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'invalid_dpop_proof');
});

test('DPoP proof with an iat in the future is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const proof = await fapi.proof(dpopKey, 'POST', '/token', { nonce: await fapi.nonce(dpopKey), iat: nowSeconds() + 600 });
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'invalid_dpop_proof');
});

test('DPoP proof without a server nonce gets use_dpop_nonce and a DPoP-Nonce', async () => {
  const dpopKey = await newDpopKey();
  const proof = await fapi.proof(dpopKey, 'POST', '/token');
  const r = await fapi.token({ grant_type: 'client_credentials' }, { proof });
  expectOAuthError(r, 400, 'use_dpop_nonce');
  assert.ok(r.headers.get('dpop-nonce'), 'DPoP-Nonce header');
});

test('DPoP proof with a forged server nonce is use_dpop_nonce', async () => {
  const dpopKey = await newDpopKey();
  const forged = Buffer.alloc(24, 7).toString('base64url');
  const proof = await fapi.proof(dpopKey, 'POST', '/token', { nonce: forged });
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'use_dpop_nonce');
});

test('DPoP proof signed by a key other than its header jwk is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const other = await newDpopKey();
  const nonce = await fapi.nonce(dpopKey);
  const proof = await fapi.proof({ ...dpopKey, privateKey: other.privateKey }, 'POST', '/token', { nonce });
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'invalid_dpop_proof');
});

test('DPoP proof with typ JWT is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const nonce = await fapi.nonce(dpopKey);
  const proof = await new jose.SignJWT({ htm: 'POST', htu: `${env.issuer}/token`, jti: randomUUID(), iat: nowSeconds(), nonce })
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', jwk: { kty: 'EC', crv: 'P-256', x: dpopKey.jwk.x, y: dpopKey.jwk.y } })
    .sign(dpopKey.privateKey);
  expectOAuthError(await fapi.token({ grant_type: 'client_credentials' }, { proof }), 400, 'invalid_dpop_proof');
});

test('DPoP key different from the one bound at PAR is invalid_grant at token', async () => {
  const bound = await newDpopKey();
  const { code, pkce: p } = await fapi.code({ dpopKey: bound });
  expectOAuthError(await fapi.exchange(code, p.verifier, { dpopKey: await newDpopKey() }), 400, 'invalid_grant');
});

test('dpop_jkt at PAR different from the PAR proof key is invalid_dpop_proof', async () => {
  const dpopKey = await newDpopKey();
  const other = await newDpopKey();
  const jkt = await jose.calculateJwkThumbprint({ kty: 'EC', crv: 'P-256', x: other.jwk.x, y: other.jwk.y });
  const r = await fapi.par(fapi.codeParams(pkce(), { dpop_jkt: jkt }), { dpopKey });
  expectOAuthError(r, 400, 'invalid_dpop_proof');
});

test('DPoP key different from the one bound to the refresh token is invalid_grant', async () => {
  const tokens = await fapiTokens(await newDpopKey());
  expectOAuthError(await fapi.refresh(tokens.refresh_token, { dpopKey: await newDpopKey() }), 400, 'invalid_grant');
});

test('DPoP key different from the one bound to the access token is refused at userinfo', async () => {
  const tokens = await fapiTokens(await newDpopKey());
  const other = await newDpopKey();
  const nonce = await fapi.nonce(other);
  const proof = await fapi.proof(other, 'GET', '/userinfo', { nonce, accessToken: tokens.access_token });
  const r = await userinfo(tokens.access_token, 'DPoP', proof);
  expectOAuthError(r, 401, 'invalid_dpop_proof');
  assert.match(r.headers.get('www-authenticate') || '', /^DPoP /);
});

test('DPoP proof with a wrong ath is refused at userinfo', async () => {
  const dpopKey = await newDpopKey();
  const tokens = await fapiTokens(dpopKey);
  const proof = await fapi.proof(dpopKey, 'GET', '/userinfo', { nonce: await fapi.nonce(dpopKey), accessToken: tokens.access_token + 'x' });
  expectOAuthError(await userinfo(tokens.access_token, 'DPoP', proof), 401, 'invalid_dpop_proof');
});

test('DPoP-bound access token without a proof is refused at userinfo', async () => {
  const tokens = await fapiTokens(await newDpopKey());
  const r = await userinfo(tokens.access_token, 'DPoP');
  expectOAuthError(r, 401, 'invalid_dpop_proof');
});

test('DPoP-bound access token used as a Bearer token is invalid_token', async () => {
  const tokens = await fapiTokens(await newDpopKey());
  const r = await userinfo(tokens.access_token, 'Bearer');
  expectOAuthError(r, 401, 'invalid_token');
  assert.match(r.headers.get('www-authenticate') || '', /error="invalid_token"/);
});

test('Bearer access token presented with the DPoP scheme is invalid_token', async () => {
  const tokens = await oidcTokens();
  const dpopKey = await newDpopKey();
  const proof = await oidc.proof(dpopKey, 'GET', '/userinfo', { nonce: await oidc.nonce(dpopKey), accessToken: tokens.access_token });
  expectOAuthError(await userinfo(tokens.access_token, 'DPoP', proof), 401, 'invalid_token');
});

// ---- refresh tokens ----

// Reuse: the rotated token comes back after its replacement was used, so two parties hold the
// family. (Before that, the old token's return is a retry: see below.)
test('refresh token reuse after rotation is invalid_grant and revokes the family', async () => {
  const tokens = await oidcTokens();
  const rotated = await oidc.refresh(tokens.refresh_token);
  assert.equal(rotated.status, 200, rotated.text);
  const next = await oidc.refresh(rotated.json.refresh_token);
  assert.equal(next.status, 200, next.text);
  expectOAuthError(await oidc.refresh(tokens.refresh_token), 400, 'invalid_grant');
  expectOAuthError(await oidc.refresh(next.json.refresh_token), 400, 'invalid_grant');
});

test('refresh token reuse after rotation (fapi2) revokes the family', async () => {
  const dpopKey = await newDpopKey();
  const tokens = await fapiTokens(dpopKey);
  const rotated = await fapi.refresh(tokens.refresh_token, { dpopKey });
  assert.equal(rotated.status, 200, rotated.text);
  const next = await fapi.refresh(rotated.json.refresh_token, { dpopKey });
  assert.equal(next.status, 200, next.text);
  expectOAuthError(await fapi.refresh(tokens.refresh_token, { dpopKey }), 400, 'invalid_grant');
  expectOAuthError(await fapi.refresh(next.json.refresh_token, { dpopKey }), 400, 'invalid_grant');
});

// FAPI 2.0 Security Profile 5.3.2.1, clause 10: a client whose refresh response was lost retries
// with the token it holds, and that succeeds; the replacement it never received is spent.
test('refresh retried after a lost response (fapi2) succeeds; the lost replacement is spent', async () => {
  const dpopKey = await newDpopKey();
  const tokens = await fapiTokens(dpopKey);
  const lost = await fapi.refresh(tokens.refresh_token, { dpopKey });
  assert.equal(lost.status, 200, lost.text);
  const retried = await fapi.refresh(tokens.refresh_token, { dpopKey });
  assert.equal(retried.status, 200, retried.text);
  assert.notEqual(retried.json.refresh_token, lost.json.refresh_token);
  const next = await fapi.refresh(retried.json.refresh_token, { dpopKey });
  assert.equal(next.status, 200, next.text);
  // The lost replacement surfacing later is a reuse: the family is revoked.
  expectOAuthError(await fapi.refresh(lost.json.refresh_token, { dpopKey }), 400, 'invalid_grant');
  expectOAuthError(await fapi.refresh(next.json.refresh_token, { dpopKey }), 400, 'invalid_grant');
});

test('a refresh retry needs the same DPoP key: another key changes nothing', async () => {
  const dpopKey = await newDpopKey();
  const tokens = await fapiTokens(dpopKey);
  const lost = await fapi.refresh(tokens.refresh_token, { dpopKey });
  assert.equal(lost.status, 200, lost.text);
  expectOAuthError(await fapi.refresh(tokens.refresh_token, { dpopKey: await newDpopKey() }), 400, 'invalid_grant');
  const next = await fapi.refresh(lost.json.refresh_token, { dpopKey });
  assert.equal(next.status, 200, next.text);
});

test('refresh token of another client is invalid_grant', async () => {
  const tokens = await oidcTokens();
  const r = await fapi.refresh(tokens.refresh_token, { dpopKey: await newDpopKey() });
  expectOAuthError(r, 400, 'invalid_grant');
});

test('refresh token presented by another client still works for its own client', async () => {
  const tokens = await oidcTokens();
  expectOAuthError(await fapi.refresh(tokens.refresh_token, { dpopKey: await newDpopKey() }), 400, 'invalid_grant');
  const own = await oidc.refresh(tokens.refresh_token);
  assert.equal(own.status, 200, own.text);
});

test('refresh with a wrong DPoP key does not rotate: the token still works with its own key', async () => {
  const dpopKey = await newDpopKey();
  const tokens = await fapiTokens(dpopKey);
  expectOAuthError(await fapi.refresh(tokens.refresh_token, { dpopKey: await newDpopKey() }), 400, 'invalid_grant');
  const own = await fapi.refresh(tokens.refresh_token, { dpopKey });
  assert.equal(own.status, 200, own.text);
  // ... and exactly once (the rotation happened now, not during the refused attempt): once its
  // replacement is used, the first token is stale.
  const next = await fapi.refresh(own.json.refresh_token, { dpopKey });
  assert.equal(next.status, 200, next.text);
  expectOAuthError(await fapi.refresh(tokens.refresh_token, { dpopKey }), 400, 'invalid_grant');
});

test('unknown refresh token is invalid_grant', async () => {
  expectOAuthError(await oidc.refresh(randomUUID()), 400, 'invalid_grant');
});

// ---- unknown client ----

test('unknown client at token is invalid_client', async () => {
  const a = await assertion(jose, strangerKey, 'nobody', env.issuer);
  expectOAuthError(await clientCredentials(assertionFields(a, 'nobody')), 401, 'invalid_client');
});

test('unknown client at PAR is invalid_client', async () => {
  const a = await assertion(jose, strangerKey, 'nobody', env.issuer);
  const r = await postForm(`${env.issuer}/par`, { ...assertionFields(a, 'nobody'), ...oidc.codeParams(pkce()) });
  expectOAuthError(r, 401, 'invalid_client');
});

test('unknown client at authorize shows an error page, never redirects', async () => {
  expectErrorPage(await get(oidc.authorizeUrl({ ...oidc.codeParams(pkce()), client_id: 'nobody' })));
});

test('missing client_id at authorize shows an error page, never redirects', async () => {
  expectErrorPage(await get(oidc.authorizeUrl(oidc.codeParams(pkce()))));
});

// ---- oversized and malformed requests ----

function expectTooLarge(r) {
  assert.equal(r.headers.get('location'), null, 'no redirect');
  if (r.status === 413) return;
  expectOAuthError(r, 400, 'invalid_request');
}

test('oversized body at token is refused (413)', async () => {
  const r = await postForm(`${env.issuer}/token`, { ...(await oidc.auth()), grant_type: 'client_credentials', pad: 'x'.repeat(80 * 1024) });
  expectTooLarge(r);
});

test('oversized body at PAR is refused (413)', async () => {
  const r = await postForm(`${env.issuer}/par`, { ...(await oidc.auth()), ...oidc.codeParams(pkce()), pad: 'x'.repeat(80 * 1024) });
  expectTooLarge(r);
});

test('oversized query at authorize is refused without a redirect', async () => {
  const r = await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...oidc.codeParams(pkce()), state: 'x'.repeat(20 * 1024) }));
  assert.ok([400, 414, 431].includes(r.status), `status ${r.status}`);
  assert.equal(r.headers.get('location'), null, 'no redirect');
});

test('too many query parameters at authorize are refused without a redirect', async () => {
  const params = new URLSearchParams({ client_id: OIDC_CLIENT, ...oidc.codeParams(pkce()) });
  for (let i = 0; i < 300; ++i) params.append(`p${i}`, '1');
  const r = await get(`${env.issuer}/authorize?${params}`);
  assert.equal(r.status, 400);
  assert.equal(r.headers.get('location'), null, 'no redirect');
});

test('overlong state at PAR is invalid_request', async () => {
  const r = await oidc.par(oidc.codeParams(pkce(), { state: 'x'.repeat(4096) }));
  expectOAuthError(r, 400, 'invalid_request');
});

test('JSON body instead of a form at token is invalid_request', async () => {
  const r = await postRaw(`${env.issuer}/token`, 'application/json',
    JSON.stringify({ ...(await oidc.auth()), grant_type: 'client_credentials' }));
  expectOAuthError(r, 400, 'invalid_request');
});

test('JSON body instead of a form at PAR is invalid_request', async () => {
  const r = await postRaw(`${env.issuer}/par`, 'application/json',
    JSON.stringify({ ...(await oidc.auth()), ...oidc.codeParams(pkce()) }));
  expectOAuthError(r, 400, 'invalid_request');
});

test('malformed percent-encoding at token is invalid_request', async () => {
  const auth = new URLSearchParams(await oidc.auth()).toString();
  const r = await postRaw(`${env.issuer}/token`, 'application/x-www-form-urlencoded',
    `${auth}&grant_type=client_credentials&scope=%zz`);
  expectOAuthError(r, 400, 'invalid_request');
});

test('duplicated parameter at token is invalid_request', async () => {
  const fields = new URLSearchParams(await oidc.auth());
  fields.append('grant_type', 'client_credentials');
  fields.append('grant_type', 'authorization_code');
  expectOAuthError(await postForm(`${env.issuer}/token`, fields), 400, 'invalid_request');
});

test('duplicated parameter at PAR is invalid_request', async () => {
  const fields = new URLSearchParams({ ...(await oidc.auth()), ...oidc.codeParams(pkce()) });
  fields.append('scope', 'openid');
  expectOAuthError(await postForm(`${env.issuer}/par`, fields), 400, 'invalid_request');
});

test('duplicated client_id at authorize shows an error page, never redirects', async () => {
  const params = new URLSearchParams({ client_id: OIDC_CLIENT, ...oidc.codeParams(pkce()) });
  params.append('client_id', FAPI_CLIENT);
  expectErrorPage(await get(`${env.issuer}/authorize?${params}`));
});

test('duplicated redirect_uri at authorize shows an error page, never redirects', async () => {
  const params = new URLSearchParams({ client_id: OIDC_CLIENT, ...oidc.codeParams(pkce()) });
  params.append('redirect_uri', 'https://evil.example/cb');
  expectErrorPage(await get(`${env.issuer}/authorize?${params}`));
});

test('bad JSON in the claims parameter at PAR is invalid_request', async () => {
  const r = await oidc.par(oidc.codeParams(pkce(), { claims: '{"userinfo": {"given_name": ' }));
  expectOAuthError(r, 400, 'invalid_request');
});

test('bad JSON in the claims parameter at authorize is an invalid_request error redirect', async () => {
  const params = oidc.codeParams(pkce(), { claims: '{"id_token": [' });
  expectErrorRedirect(await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...params })), OIDC_REDIRECT, 'invalid_request');
});

test('request object at PAR is refused with request_not_supported', async () => {
  const r = await oidc.par(oidc.codeParams(pkce(), { request: 'eyJhbGciOiJub25lIn0.e30.' }));
  expectOAuthError(r, 400, ['request_not_supported', 'invalid_request_object', 'invalid_request']);
});

// ---- open redirect (the provider must show a page, never redirect to these) ----

const openRedirects = [
  ['an unregistered redirect_uri', 'https://evil.example/cb'],
  ['a redirect_uri with an extra path', `${OIDC_REDIRECT}/evil`],
  ['a redirect_uri with an extra query', `${OIDC_REDIRECT}?next=https://evil.example`],
  ['a redirect_uri with a fragment', `${OIDC_REDIRECT}#https://evil.example`],
  ['a redirect_uri with a trailing slash', `${OIDC_REDIRECT}/`],
  ['a redirect_uri differing in case', OIDC_REDIRECT.toUpperCase()],
  ['a redirect_uri with userinfo', 'http://localhost:3000@evil.example/cb'],
  ['a javascript: redirect_uri', 'javascript:alert(document.domain)//'],
  ['a data: redirect_uri', 'data:text/html,<script>alert(1)</script>'],
];

for (const [what, uri] of openRedirects) {
  test(`open redirect: ${what} shows an error page, never redirects`, async () => {
    const r = await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...oidc.codeParams(pkce(), { redirect_uri: uri }) }));
    expectErrorPage(r);
    assert.ok(!r.text.includes(uri), 'the redirect_uri is not echoed into the page');
  });
}

test('open redirect: missing redirect_uri shows an error page, never redirects', async () => {
  const params = oidc.codeParams(pkce());
  delete params.redirect_uri;
  expectErrorPage(await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...params })));
});

test('open redirect: prompt=none with an unregistered redirect_uri shows an error page', async () => {
  const params = oidc.codeParams(pkce(), { redirect_uri: 'https://evil.example/cb', prompt: 'none' });
  expectErrorPage(await get(oidc.authorizeUrl({ client_id: OIDC_CLIENT, ...params })));
});

test('open redirect: a fapi2 client without PAR and an unregistered redirect_uri shows an error page', async () => {
  const params = fapi.codeParams(pkce(), { redirect_uri: 'https://evil.example/cb' });
  expectErrorPage(await get(fapi.authorizeUrl({ client_id: FAPI_CLIENT, ...params })));
});

test('open redirect: an invalid request_uri with a redirect_uri shows an error page', async () => {
  const url = fapi.authorizeUrl({ client_id: FAPI_CLIENT, request_uri: 'urn:ietf:params:oauth:request_uri:nope', redirect_uri: 'https://evil.example/cb' });
  expectErrorPage(await get(url));
});

test('open redirect: javascript: redirect_uri at PAR is invalid_request', async () => {
  const r = await oidc.par(oidc.codeParams(pkce(), { redirect_uri: 'javascript:alert(1)//' }));
  expectOAuthError(r, 400, 'invalid_request');
});

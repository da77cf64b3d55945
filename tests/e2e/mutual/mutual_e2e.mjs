// End-to-end: mutual recognition both ways, with npm openid-client v6 as the two services.
//
// Usage: node mutual_e2e.mjs <path to accord binary> <repo root>
// Starts ONE `accord serve` with the gateway, sandbox-uk (One Login profile) and sandbox-sg
// (Singpass FAPI 2.0 profile) on free loopback ports and one SQLite store, then:
//   1. SG service (fapi2: PAR + DPoP + private_key_jwt) <- Accord <- sandbox-uk: a UK person with
//      a P2 identity; consent; the ID token carries verified_claims (eIDAS, substantial) and the
//      released names and birth date; userinfo agrees; the audit of release is not checked here.
//   2. UK service (oidc) <- Accord <- sandbox-sg: a Singapore person; verified_claims in the
//      UK framework's vocabulary (uk_diatf, GPG 45 "medium"); no NRIC released.
//   3. Unmet level: a UK person without P2 -> unmet_authentication_requirements to the service.
//   4. Consent refused -> access_denied; 5. the consents page lists and revokes a consent.
//   7. `accord consents list|revoke` on the gateway's store: output, JSON, exit codes.
//   6. Back-channel logout from the upstream: logging out at sandbox-uk POSTs a logout token to
//      the gateway, which ends its session and sends its own logout token to the SG service.
// Exits non-zero on the first failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, freePort, loadPeers, startAccord, Browser, field } from '../../lib/e2e.mjs';
import { writeMutualConfigs, SG_SERVICE_REDIRECT, UK_SERVICE_REDIRECT } from '../../lib/mutual_configs.mjs';

const [accord, repo] = process.argv.slice(2);
const { client, jose } = await loadPeers(repo);

const dir = mkdtempSync(join(tmpdir(), 'accord-mutual-'));
execFileSync(join(repo, 'scripts/demo-keys.sh'), [accord, join(dir, 'keys')], { stdio: 'ignore' });
const [gw, uk, sg] = [await freePort(), await freePort(), await freePort()];
// The SG service's back-channel logout endpoint: records every logout token the gateway sends.
const rpLogouts = [];
const rpLogoutServer = createHttpServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => { rpLogouts.push(new URLSearchParams(body).get('logout_token')); res.writeHead(200); res.end(); });
});
await new Promise((r) => rpLogoutServer.listen(0, '127.0.0.1', r));
const rpLogoutUri = `http://127.0.0.1:${rpLogoutServer.address().port}/backchannel-logout`;
const sgRedirect = SG_SERVICE_REDIRECT, ukRedirect = UK_SERVICE_REDIRECT;
const { G, U, S, args: serveArgs } = writeMutualConfigs(dir, repo, [gw, uk, sg], {
  sgServiceExtra: `backchannel_logout_uri = "${rpLogoutUri}"\n`,
  ukGatewayClientExtra: `backchannel_logout_uri = "http://127.0.0.1:${gw}/upstream/backchannel-logout/sandbox-uk"\n`,
});

let server;  // the running `accord serve` (startAccord)
// Starts the gateway and both sandboxes in one process, on the same stores as any earlier run.
async function startServer() {
  server = await startAccord(accord, serveArgs, { listeners: 3 });
}
await startServer();

// Service -> Accord -> home provider -> Accord (consent) -> service. Returns the final redirect.
async function brokeredLogin(authorizationUrl, upstream, person, decision = 'agree') {
  const b = new Browser();
  let { res, html } = await b.get(authorizationUrl.href);
  assert(res.status === 200, `gateway sign-in page ${res.status}: ${html.slice(0, 500)}`);
  assert(html.includes(`value="${upstream}"`), 'upstream offered on the gateway page');
  ({ res, html } = await b.post(`${G}/login`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), upstream }));
  assert(res.status === 303, `gateway login POST ${res.status}: ${html.slice(0, 500)}`);
  const home = res.headers.get('location');
  ({ res, html } = await b.get(home));
  assert(res.status === 200, `home provider page ${res.status}: ${html.slice(0, 500)}`);
  const homeOrigin = new URL(home).origin;
  ({ res, html } = await b.post(`${homeOrigin}/login`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), person }));
  assert(res.status === 303, `home login POST ${res.status}: ${html.slice(0, 500)}`);
  const callback = res.headers.get('location');
  assert(callback.startsWith(`${G}/upstream/callback/${upstream}`), `callback ${callback}`);
  ({ res, html } = await b.get(callback));
  if (res.status === 303 || res.status === 302) return { location: new URL(res.headers.get('location')), browser: b };
  assert(res.status === 200, `consent page ${res.status}: ${html.replace(/\s+/g, " ").match(/<main.*<\/main>/)}`);
  assert(html.includes('decision'), 'consent form');
  ({ res, html } = await b.post(`${G}/consent`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), decision }));
  assert(res.status === 303, `consent POST ${res.status}: ${html.slice(0, 500)}`);
  return { location: new URL(res.headers.get('location')), browser: b, consentHtml: html };
}

async function keyOf(file) {
  const jwk = JSON.parse(readFileSync(join(dir, 'keys', file), 'utf8'));
  return { key: await jose.importJWK(jwk, 'ES256'), kid: jwk.kid };
}

let failures = 0;
function consentsCli(args) {
  return spawnSync(accord, ['consents', ...args, '--config', join(dir, 'gateway.toml')], { encoding: 'utf8', timeout: 30000 });
}
async function step(name, fn) {
  try { await fn(); console.log(`ok   ${name}`); } catch (e) { failures++; console.log(`FAIL ${name}: ${e.stack}`); }
}

try {
  const sgKey = await keyOf('service-sg.jwk');
  const sgConfig = await client.discovery(new URL(G), 'sg-mom-employment-pass', {}, client.PrivateKeyJwt(sgKey.key, { kid: sgKey.kid }), { execute: [client.allowInsecureRequests] });
  const ukKey = await keyOf('service-uk.jwk');
  const ukConfig = await client.discovery(new URL(G), 'uk-hmrc-leaving-uk', {}, client.PrivateKeyJwt(ukKey.key, { kid: ukKey.kid }), { execute: [client.allowInsecureRequests] });

  await step('SG service <- Accord <- sandbox-uk (fapi2, verified_claims)', async () => {
    const dpopKey = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(sgConfig, dpopKey);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const params = { redirect_uri: sgRedirect, scope: 'openid profile', nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', acr_values: 'http://eidas.europa.eu/LoA/substantial' };
    const url = await client.buildAuthorizationUrlWithPAR(sgConfig, params, { DPoP: dpop });
    const { location } = await brokeredLogin(url, 'sandbox-uk', 'sandbox-uk-0001');
    assert(location.origin + location.pathname === sgRedirect, `redirect ${location}`);
    const tokens = await client.authorizationCodeGrant(sgConfig, location, { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true }, undefined, { DPoP: dpop });
    const claims = tokens.claims();
    assert(claims.acr === 'http://eidas.europa.eu/LoA/substantial', `acr ${claims.acr}`);
    // Scope claims come from userinfo (OIDC Core 5.4), with verified_claims (OIDC4IDA).
    const info = await client.fetchUserInfo(sgConfig, tokens.access_token, claims.sub, { DPoP: dpop });
    assert(info.sub === claims.sub, 'userinfo sub');
    const vc = info.verified_claims;
    assert(vc && vc.verification && vc.claims, `verified_claims in userinfo: ${JSON.stringify(info)}`);
    assert(vc.verification.assurance_level === 'substantial', `level ${JSON.stringify(vc.verification)}`);
    assert(vc.claims.family_name === 'Testwright', 'family name released');
    assert(JSON.stringify(info).includes('1987-04-12'), 'birthdate released');
    assert(!JSON.stringify(info).includes('ada.testwright@example.com'), 'email not released');
  });

  await step('UK service <- Accord <- sandbox-sg (oidc, UK framework vocabulary, no NRIC)', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    // The ID token itself carries verified_claims when the claims request asks for them there.
    const claimsRequest = JSON.stringify({ id_token: { verified_claims: { verification: { trust_framework: null }, claims: { given_name: null, family_name: null, name: null, birthdate: null } } } });
    const url = client.buildAuthorizationUrl(ukConfig, { redirect_uri: ukRedirect, scope: 'openid profile', state, claims: claimsRequest, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const people = JSON.parse(readFileSync(join(repo, 'data/people/sandbox-sg.json'), 'utf8')).people;
    const { location } = await brokeredLogin(url, 'sandbox-sg', people[0].id);
    const tokens = await client.authorizationCodeGrant(ukConfig, location, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
    const claims = tokens.claims();
    const text = JSON.stringify(claims);
    assert(claims.verified_claims, `verified_claims: ${text}`);
    assert(claims.verified_claims.verification.trust_framework === 'uk_diatf', `framework ${text}`);
    assert(!text.includes(people[0].identity_number), 'NRIC never released to the UK service');
    // Singpass (Myinfo `dob`) gives the birth date and the full name, verified, in the UK's vocabulary.
    assert(claims.verified_claims.claims.birthdate === people[0].birthdate, `birthdate released: ${text}`);
    assert(claims.verified_claims.claims.name === people[0].full_name, `name released: ${text}`);
  });

  await step('unmet level: no P2 identity -> unmet_authentication_requirements', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(ukConfig, { redirect_uri: ukRedirect, scope: 'openid profile', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    // The UK service only accepts Singpass; a sandbox-uk person is refused for the upstream...
    const dpopKey = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(sgConfig, dpopKey);
    const v2 = client.randomPKCECodeVerifier();
    const url2 = await client.buildAuthorizationUrlWithPAR(sgConfig, { redirect_uri: sgRedirect, scope: 'openid profile', nonce: client.randomNonce(), code_challenge: await client.calculatePKCECodeChallenge(v2), code_challenge_method: 'S256' }, { DPoP: dpop });
    // ...and a UK person without a proven identity (Cl.Cm only) cannot reach substantial.
    const { location } = await brokeredLogin(url2, 'sandbox-uk', 'sandbox-uk-0003');
    assert(location.searchParams.get('error') === 'unmet_authentication_requirements', `error ${location}`);
    void url;
  });

  await step('consent refused -> access_denied', async () => {
    const dpopKey = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(sgConfig, dpopKey);
    const v = client.randomPKCECodeVerifier();
    const url = await client.buildAuthorizationUrlWithPAR(sgConfig, { redirect_uri: sgRedirect, scope: 'openid profile', nonce: client.randomNonce(), code_challenge: await client.calculatePKCECodeChallenge(v), code_challenge_method: 'S256' }, { DPoP: dpop });
    const { location } = await brokeredLogin(url, 'sandbox-uk', 'sandbox-uk-0002', 'deny');
    assert(location.searchParams.get('error') === 'access_denied', `error ${location}`);
  });

  await step('transparency log: releases and consents recorded without personal data', async () => {
    const res = await fetch(`${G}/log/checkpoint`);
    const text = await res.text();
    assert(res.status === 200, `checkpoint ${res.status}`);
    const size = Number(text.split('\n')[1]);
    assert(size >= 3, `log size ${size}: consent + releases recorded`);
    const entries = await fetch(`${G}/log/tile/entries/000.p/${Math.min(size, 255)}`);
    const bundle = Buffer.from(await entries.arrayBuffer()).toString('latin1');
    assert(bundle.includes('attribute_release') && bundle.includes('consent_granted'), 'event types in the log');
    for (const secret of ['Testwright', '1987-04-12', 'Ada Mary', 'Sampleton']) {
      assert(!bundle.includes(secret), `no personal data in the log (${secret})`);
    }
  });

  await step('consents page lists and revokes', async () => {
    const dpopKey = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(sgConfig, dpopKey);
    const v = client.randomPKCECodeVerifier();
    const url = await client.buildAuthorizationUrlWithPAR(sgConfig, { redirect_uri: sgRedirect, scope: 'openid profile', nonce: client.randomNonce(), code_challenge: await client.calculatePKCECodeChallenge(v), code_challenge_method: 'S256' }, { DPoP: dpop });
    const { browser } = await brokeredLogin(url, 'sandbox-uk', 'sandbox-uk-0001');
    let { res, html } = await browser.get(`${G}/consents`);
    assert(res.status === 200 && html.includes('Employment Pass'), `consents page ${res.status}`);
    ({ res, html } = await browser.post(`${G}/consents/revoke`, { csrf: field(html, 'csrf'), client_id: 'sg-mom-employment-pass' }));
    assert(res.status === 303, `revoke ${res.status}: ${html.slice(0, 300)}`);
    ({ res, html } = await browser.get(`${G}/consents`));
    assert(!html.includes('name="client_id" value="sg-mom-employment-pass"'), 'consent gone after revoking');
  });
  await step('logout at sandbox-uk, after a restart of the gateway, ends the session it created before and reaches the SG service', async () => {
    const dpopKey = await client.randomDPoPKeyPair('ES256');
    const dpop = client.getDPoPHandle(sgConfig, dpopKey);
    const v = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = await client.buildAuthorizationUrlWithPAR(sgConfig, { redirect_uri: sgRedirect, scope: 'openid profile', nonce, code_challenge: await client.calculatePKCECodeChallenge(v), code_challenge_method: 'S256' }, { DPoP: dpop });
    const { location, browser } = await brokeredLogin(url, 'sandbox-uk', 'sandbox-uk-0002');
    const tokens = await client.authorizationCodeGrant(sgConfig, location, { pkceCodeVerifier: v, expectedNonce: nonce, idTokenExpected: true }, undefined, { DPoP: dpop });
    const idClaims = tokens.claims();
    let { res, html } = await browser.get(`${G}/consents`);
    assert(res.status === 200, `gateway session live before logout (${res.status})`);
    // Invalid logout tokens are refused with 400 (Back-Channel Logout 1.0 section 2.8).
    const bad = await fetch(`${G}/upstream/backchannel-logout/sandbox-uk`, { method: 'POST', body: new URLSearchParams({ logout_token: 'not.a.token' }) });
    assert(bad.status === 400, `garbage logout token -> ${bad.status}`);
    // Which gateway session the upstream login created is in the store, not in the process.
    await server.stop();
    await startServer();
    ({ res } = await browser.get(`${G}/consents`));
    assert(res.status === 200, `gateway session live after the restart (${res.status})`);
    const before = rpLogouts.length;
    ({ res, html } = await browser.get(`${U}/logout`));
    assert(res.status === 200, `sandbox-uk logout page ${res.status}`);
    ({ res, html } = await browser.post(`${U}/logout`, { confirm: field(html, 'confirm') }));
    assert(res.status < 400, `sandbox-uk logout confirm ${res.status}: ${html.slice(0, 300)}`);
    let token;
    for (let i = 0; i < 100 && !token; i++) {
      token = rpLogouts.slice(before).find((t) => t && JSON.parse(Buffer.from(t.split('.')[1], 'base64url')).sub === idClaims.sub);
      if (!token) await new Promise((r) => setTimeout(r, 100));
    }
    assert(token, `the SG service got no logout token (${rpLogouts.length - before} other)`);
    const jwks = jose.createRemoteJWKSet(new URL(`${G}/jwks`));
    const { payload } = await jose.jwtVerify(token, jwks, { issuer: G, audience: 'sg-mom-employment-pass' });
    assert(payload.events && payload.events['http://schemas.openid.net/event/backchannel-logout'], 'logout event');
    assert(payload.sid && payload.sid === idClaims.sid, `sid ${payload.sid} vs ID token ${idClaims.sid}`);
    assert(payload.nonce === undefined, 'no nonce');
    ({ res } = await browser.get(`${G}/consents`));
    assert(res.status === 401, `gateway session gone after the upstream logout (${res.status})`);
  });
  await step('accord consents revoke refuses while the gateway runs (one log writer)', async () => {
    const r = consentsCli(['revoke', '--subject', 'b:x', '--client', 'sg-mom-employment-pass']);
    assert(r.status === 1 && /running/.test(r.stderr), `exit ${r.status}: ${r.stderr}`);
  });
} finally {
  rpLogoutServer.close();
  await server.stop();
  await step('accord consents list|revoke (gateway stopped)', async () => {
    let r = consentsCli(['list', '--json']);
    assert(r.status === 0, `list exit ${r.status}: ${r.stderr}`);
    const all = JSON.parse(r.stdout);
    const sg = all.filter((c) => c.client_id === 'sg-mom-employment-pass' && c.revoked_at === null);
    assert(sg.length >= 1, `a live SG consent listed: ${r.stdout}`);
    assert(all.every((c) => c.subject.startsWith('b:') && /^consent-[0-9a-f]{24}$/.test(c.consent_id)), 'local subjects and consent ids');
    for (const secret of ['Testwright', '1987-04-12', 'Sampleton']) assert(!r.stdout.includes(secret), `no personal data (${secret})`);
    assert(sg[0].attributes.includes('birthdate'), `consented attributes listed: ${JSON.stringify(sg[0])}`);
    r = consentsCli(['list', '--client', 'uk-hmrc-leaving-uk']);
    assert(r.status === 0 && r.stdout.startsWith('consent_id\tclient_id\tsubject'), `table: ${r.stdout}`);
    assert(!r.stdout.includes('sg-mom-employment-pass'), 'client filter');
    r = consentsCli(['revoke', '--subject', sg[0].subject, '--client', 'sg-mom-employment-pass']);
    assert(r.status === 0 && r.stdout.includes(sg[0].consent_id), `revoke exit ${r.status}: ${r.stderr}`);
    r = consentsCli(['list', '--json', '--subject', sg[0].subject]);
    const after = JSON.parse(r.stdout).find((c) => c.client_id === 'sg-mom-employment-pass');
    assert(after && after.revoked_at !== null, `revoked_at set: ${r.stdout}`);
    r = consentsCli(['revoke', '--consent', sg[0].consent_id]);
    assert(r.status === 1, `revoking twice exits 1 (${r.status})`);
    r = consentsCli(['revoke', '--client', 'sg-mom-employment-pass']);
    assert(r.status === 2, `revoke without a subject exits 2 (${r.status})`);
    // The revocation is in the gateway's transparency log, under its consent id.
    const entries = join(dir, 'log', 'tile', 'entries');
    const bundles = readdirSync(entries, { recursive: true }).map((f) => join(entries, f)).filter((f) => statSync(f).isFile());
    assert(bundles.some((f) => { const t = readFileSync(f, 'latin1'); return t.includes('consent_revoked') && t.includes(sg[0].consent_id); }), 'consent_revoked event in the log');
  });
  if (failures) console.log(server.out.slice(-4000));
  rmSync(dir, { recursive: true, force: true });
}
if (failures) { console.log(`${failures} failed`); process.exit(1); }
console.log('mutual recognition e2e: all passed');

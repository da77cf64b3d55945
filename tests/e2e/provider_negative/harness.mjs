// Shared harness for the provider's negative and crash end-to-end tests: starts `accord serve` on
// a loopback port with a config in a temp dir, crafts client assertions and DPoP proofs by hand
// with npm `jose` (tests/peers), and drives PAR, the sandbox login and the token endpoint over
// plain HTTP. Nothing here validates responses beyond what the callers assert.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequestRaw } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { freePort, startAccord } from '../../lib/e2e.mjs';

export const OIDC_CLIENT = 'oidc-neg';
export const FAPI_CLIENT = 'fapi-neg';
export const OIDC_REDIRECT = 'http://localhost:3000/cb';
export const FAPI_REDIRECT = 'https://rp.example/cb';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export async function loadJose(repo) {
  const require = createRequire(join(repo, 'tests/peers/package.json'));
  return import(require.resolve('jose'));
}

export { freePort };

export function nowSeconds() { return Math.floor(Date.now() / 1000); }
export function b64url(buf) { return Buffer.from(buf).toString('base64url'); }
export function sha256(text) { return createHash('sha256').update(text).digest('base64url'); }

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: sha256(verifier) };
}

// An ES256 key pair: { privateKey, publicKey, jwk (public, with kid) }.
export async function keyPair(jose, kid) {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const full = await jose.exportJWK(publicKey);
  return { privateKey, publicKey, jwk: { kty: full.kty, crv: full.crv, x: full.x, y: full.y, kid } };
}

// Writes accord.toml + kek into a new temp dir; returns { dir, configPath, issuer, port }.
export async function writeConfig({ repo, clients, port, dir, sqlitePath = 'accord.db' }) {
  dir = dir || mkdtempSync(join(tmpdir(), 'accord-neg-'));
  port = port || await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'kek'), randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  let toml = `issuer = "${issuer}"
[server]
address = "127.0.0.1"
port = ${port}
threads = 2
[store]
sqlite_path = "${sqlitePath}"
[keys]
kek_file = "kek"
[sandbox]
people_file = "${join(repo, 'data/people/sandbox-people.json')}"
`;
  for (const c of clients) {
    toml += `[[clients]]
client_id = "${c.client_id}"
profile = "${c.profile}"
redirect_uris = [${c.redirect_uris.map((u) => `"${u}"`).join(', ')}]
scopes = [${c.scopes.map((s) => `"${s}"`).join(', ')}]
jwks = '''${JSON.stringify({ keys: c.keys.map((k) => k.jwk) })}'''
`;
  }
  const configPath = join(dir, 'accord.toml');
  writeFileSync(configPath, toml);
  return { dir, configPath, issuer, port };
}

// Spawns `accord serve` (startAccord: proc, out, stop(signal)); resolves once it listens.
export async function startServer(accord, configPath) {
  return startAccord(accord, ['serve', '--config', configPath], { timeoutMs: 20000 });
}

// A private_key_jwt client assertion; `o` overrides claims/header for attacks.
export async function assertion(jose, key, clientId, audience, o = {}) {
  const now = nowSeconds();
  const claims = {
    iss: clientId, sub: clientId, aud: audience, jti: o.jti || randomUUID(),
    iat: now, exp: now + 60, ...(o.claims || {}),
  };
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid, ...(o.header || {}) })
    .sign(o.signWith || key.privateKey);
}

// Form fields authenticating `clientId` with a fresh assertion.
export async function authFields(jose, key, clientId, audience, o = {}) {
  return {
    client_id: clientId,
    client_assertion_type: JWT_BEARER,
    client_assertion: await assertion(jose, key, clientId, audience, o),
  };
}

// A DPoP proof (RFC 9449) for `htm` `htu`; `o` can set nonce, ath (from access_token), jti, iat, key.
export async function dpopProof(jose, key, htm, htu, o = {}) {
  const claims = { htm, htu, jti: o.jti || randomUUID(), iat: o.iat ?? nowSeconds() };
  if (o.nonce) claims.nonce = o.nonce;
  if (o.accessToken) claims.ath = sha256(o.accessToken);
  Object.assign(claims, o.claims || {});
  return new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty: key.jwk.kty, crv: key.jwk.crv, x: key.jwk.x, y: key.jwk.y } })
    .sign(key.privateKey);
}

// Response headers with the two accessors the tests use (like fetch's Headers).
class ResponseHeaders {
  constructor(raw) { this.raw = raw; }
  get(name) {
    const v = this.raw[name.toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : String(v);
  }
  getSetCookie() { return this.raw['set-cookie'] || []; }
}

// One HTTP/1.1 request on its own connection (no keep-alive pool, so a killed and restarted
// server never meets a stale socket). Never follows redirects. Resolves when the response has
// been received completely: { status, headers, text, json }; rejects on any transport error.
export function httpRequest(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequestRaw(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('aborted', () => reject(new Error('response aborted')));
      res.on('end', () => {
        if (!res.complete) { reject(new Error('response incomplete')); return; }
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: new ResponseHeaders(res.headers), text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.end(body); else req.end();
  });
}

export function get(url, headers = {}) { return httpRequest('GET', url, { headers }); }

export function postForm(url, fields, headers = {}) {
  const body = (fields instanceof URLSearchParams ? fields : new URLSearchParams(fields)).toString();
  return httpRequest('POST', url, {
    body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

export function postRaw(url, contentType, body) {
  return httpRequest('POST', url, { body, headers: { 'content-type': contentType } });
}

// Drives the sandbox login page: GET `url` (the authorization URL), POST the form.
// Returns the POST /login response (303 to the client on success).
export async function login(issuer, url, person = 'sandbox-gb-0001') {
  const page = await get(url);
  if (page.status !== 200) throw new Error(`login page status ${page.status}: ${page.text.slice(0, 300)}`);
  const field = (name) => page.text.match(new RegExp(`name="${name}" value="([^"]*)"`))[1];
  const cookie = page.headers.getSetCookie().find((c) => c.startsWith('accord_csrf=')).split(';')[0];
  const body = new URLSearchParams({ txn: field('txn'), csrf: field('csrf'), person });
  return postForm(`${issuer}/login`, body, { cookie });
}

// Authorization code from a login response (throws when it is not a code redirect).
export function codeFrom(response, redirect) {
  const location = response.headers.get('location') || '';
  if (response.status !== 303 || !location.startsWith(redirect)) {
    throw new Error(`expected a 303 to ${redirect}, got ${response.status} ${location}`);
  }
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error('no code in ' + location);
  return code;
}

// A client session against one running provider: knows the client keys and builds requests.
export class Client {
  constructor(jose, issuer, clientId, key, redirect) {
    Object.assign(this, { jose, issuer, clientId, key, redirect });
  }
  auth(o = {}) { return authFields(this.jose, this.key, this.clientId, this.issuer, o); }
  proof(dpopKey, htm, path, o = {}) { return dpopProof(this.jose, dpopKey, htm, this.issuer + path, o); }

  // A fresh server DPoP nonce (a nonce-less proof is answered with use_dpop_nonce + DPoP-Nonce).
  async nonce(dpopKey) {
    const r = await postForm(`${this.issuer}/token`,
      { ...(await this.auth()), grant_type: 'refresh_token', refresh_token: 'x' },
      { DPoP: await this.proof(dpopKey, 'POST', '/token') });
    const n = r.headers.get('dpop-nonce');
    if (!n) throw new Error(`no DPoP-Nonce (status ${r.status}: ${r.text})`);
    return n;
  }

  authorizeUrl(params) { return `${this.issuer}/authorize?${new URLSearchParams(params)}`; }

  // PAR; returns the raw response. `dpopKey` adds a proof (with a fresh nonce).
  async par(params, { dpopKey, auth } = {}) {
    const headers = {};
    if (dpopKey) headers.DPoP = await this.proof(dpopKey, 'POST', '/par', { nonce: await this.nonce(dpopKey) });
    return postForm(`${this.issuer}/par`, { ...(auth || await this.auth()), ...params }, headers);
  }

  codeParams(p, extra = {}) {
    return {
      response_type: 'code', scope: 'openid profile offline_access', redirect_uri: this.redirect,
      state: randomUUID(), nonce: randomUUID(), code_challenge: p.challenge,
      code_challenge_method: 'S256', ...extra,
    };
  }

  // Full login; returns { code, pkce }. PAR (with DPoP when dpopKey is set) or a plain URL.
  // `scope` replaces the default 'openid profile offline_access'.
  async code({ dpopKey, usePar = !!dpopKey, person, scope } = {}) {
    const p = pkce();
    const params = this.codeParams(p, scope ? { scope } : {});
    let url;
    if (usePar) {
      const r = await this.par(params, { dpopKey });
      if (r.status !== 201) throw new Error(`PAR ${r.status}: ${r.text}`);
      url = this.authorizeUrl({ client_id: this.clientId, request_uri: r.json.request_uri });
    } else {
      url = this.authorizeUrl({ client_id: this.clientId, ...params });
    }
    const response = await login(this.issuer, url, person);
    return { code: codeFrom(response, this.redirect), pkce: p };
  }

  async token(fields, { dpopKey, proof } = {}) {
    const headers = {};
    if (proof) headers.DPoP = proof;
    else if (dpopKey) headers.DPoP = await this.proof(dpopKey, 'POST', '/token', { nonce: await this.nonce(dpopKey) });
    return postForm(`${this.issuer}/token`, { ...(await this.auth()), ...fields }, headers);
  }

  exchange(code, verifier, opts = {}) {
    return this.token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: this.redirect }, opts);
  }

  refresh(refreshToken, opts = {}) {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }, opts);
  }
}

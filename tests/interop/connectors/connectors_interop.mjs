// Interop: accord_connectors (connector_driver) against npm oidc-provider as the upstream.
//
// Usage: node connectors_interop.mjs <connector_driver> <repo root>
// Starts oidc-provider on 127.0.0.1 (free port) with:
//   client "fapi": PAR required, DPoP-bound tokens (server nonces required), private_key_jwt ES256,
//                  PKCE, ID tokens ES256 encrypted ECDH-ES+A256KW / A256CBC-HS512 to the client's
//                  encryption key;
//   client "plain": plain code flow, private_key_jwt ES256, PKCE, RS256 ID tokens, Bearer tokens.
// Then for each case runs the driver: Start(), the provider's devInteractions login and consent
// over HTTP (cookies kept here, as a browser would), Finish(); asserts the identity, then replays
// the callback (must be state_mismatch) and, on a fresh login, swaps the iss parameter (mixup).
// Exits non-zero on the first failure.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const [driver, repo] = process.argv.slice(2);
const require = createRequire(join(repo, 'tests/peers/package.json'));
const { default: Provider } = await import(require.resolve('oidc-provider'));
const jose = await import(require.resolve('jose'));

function assert(cond, msg) { if (!cond) throw new Error('assertion failed: ' + msg); }

async function keyPair(alg, extra = {}) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true, ...extra });
  const priv = await jose.exportJWK(privateKey);
  const pub = await jose.exportJWK(publicKey);
  const kid = await jose.calculateJwkThumbprint(pub);
  return { priv: { ...priv, kid }, pub: { ...pub, kid } };
}

const opEs256 = await keyPair('ES256');
const opRs256 = await keyPair('RS256');
const fapiSig = await keyPair('ES256');
const fapiEnc = await keyPair('ECDH-ES+A256KW', { crv: 'P-256' });
const plainSig = await keyPair('ES256');
const redirectUri = 'http://127.0.0.1:9/upstream/callback';

const accounts = {
  alice: { email: 'alice@example.test', email_verified: true, given_name: 'Alice', family_name: 'Tan' },
};

function makeProvider(issuer) {
  return new Provider(issuer, {
    jwks: { keys: [{ ...opEs256.priv, use: 'sig', alg: 'ES256' }, { ...opRs256.priv, use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['given_name', 'family_name'] },
    findAccount: async (ctx, sub) => (accounts[sub] ? {
      accountId: sub,
      claims: async () => ({ sub, ...accounts[sub] }),
    } : undefined),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      encryption: { enabled: true },
      userinfo: { enabled: true },
    },
    enabledJWA: {
      idTokenEncryptionAlgValues: ['ECDH-ES+A256KW'],
      idTokenEncryptionEncValues: ['A256CBC-HS512', 'A256GCM'],
    },
    clients: [
      {
        client_id: 'fapi',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        require_pushed_authorization_requests: true,
        dpop_bound_access_tokens: true,
        require_auth_time: true,
        id_token_signed_response_alg: 'ES256',
        id_token_encrypted_response_alg: 'ECDH-ES+A256KW',
        id_token_encrypted_response_enc: 'A256CBC-HS512',
        jwks: { keys: [{ ...fapiSig.pub, use: 'sig' }, { ...fapiEnc.pub, use: 'enc', alg: 'ECDH-ES+A256KW' }] },
      },
      {
        client_id: 'plain',
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        id_token_signed_response_alg: 'RS256',
        jwks: { keys: [{ ...plainSig.pub, use: 'sig' }] },
      },
    ],
  });
}

// Listen first (port 0), then build the provider with the real issuer.
let handler = (req, res) => { res.statusCode = 503; res.end(); };
const server = createServer((req, res) => handler(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const op = makeProvider(issuer);
op.on('server_error', (ctx, err) => process.stderr.write(`oidc-provider server_error: ${err.stack}\n`));
handler = op.callback();

// A minimal browser: follows redirects, keeps cookies, submits the devInteractions forms.
async function browserLogin(startUrl) {
  const jar = new Map();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  };
  let url = startUrl;
  let method = 'GET';
  let body;
  for (let step = 0; step < 20; step += 1) {
    if (url.startsWith(redirectUri)) return url;
    const res = await fetch(url, {
      method, redirect: 'manual', body,
      headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    keep(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location'), url).href;
      method = 'GET'; body = undefined;
      continue;
    }
    const html = await res.text();
    assert(res.status === 200, `unexpected ${res.status} at ${url}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="(\w+)"/.exec(html);
    assert(prompt, `no interaction form at ${url}: ${html.slice(0, 300)}`);
    method = 'POST';
    body = prompt[1] === 'login'
      ? new URLSearchParams({ prompt: 'login', login: 'alice', password: 'any' }).toString()
      : new URLSearchParams({ prompt: 'consent' }).toString();
  }
  throw new Error('login did not reach the redirect URI');
}

// Runs the driver for one connector config; returns {send, close}.
function startDriver(config) {
  const dir = mkdtempSync(join(tmpdir(), 'accord-connectors-interop-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  const child = spawn(driver, [join(dir, 'config.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)));
  child.on('exit', (code) => {
    while (waiting.length) waiting.shift()(Promise.reject(new Error(`driver exited ${code}`)));
  });
  return {
    send(cmd) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('driver timed out')), 30000);
        waiting.push((v) => { clearTimeout(timer); Promise.resolve(v).then(resolve, reject); });
        child.stdin.write(JSON.stringify(cmd) + '\n');
      });
    },
    close() { child.stdin.end(); rmSync(dir, { recursive: true, force: true }); },
  };
}

async function runCase(name, config, check) {
  const d = startDriver(config);
  try {
    const start = await d.send({ cmd: 'start' });
    assert(start.ok, `${name}: start failed: ${JSON.stringify(start)}`);
    const callback = await browserLogin(start.redirect_url);
    const cb = new URL(callback);
    assert(cb.searchParams.get('iss') === issuer, `${name}: provider sent no RFC 9207 iss`);
    const done = await d.send({ cmd: 'finish', callback });
    assert(done.ok, `${name}: finish failed: ${JSON.stringify(done)}`);
    const id = done.identity;
    assert(id.issuer === issuer && id.subject === 'alice', `${name}: identity ${JSON.stringify(id)}`);
    assert(id.claims.email === 'alice@example.test', `${name}: userinfo email missing`);
    check(id, start);

    const replay = await d.send({ cmd: 'finish', callback });
    assert(!replay.ok && replay.reason === 'state_mismatch', `${name}: replay: ${JSON.stringify(replay)}`);

    const again = await d.send({ cmd: 'start' });
    const callback2 = new URL(await browserLogin(again.redirect_url));
    callback2.searchParams.set('iss', 'https://attacker.example');
    const mixup = await d.send({ cmd: 'finish', callback: callback2.href });
    assert(!mixup.ok && mixup.reason === 'mixup', `${name}: mix-up: ${JSON.stringify(mixup)}`);
    process.stdout.write(`ok - ${name}\n`);
  } finally {
    d.close();
  }
}

let failed = false;
try {
  const fapiBase = {
    issuer, client_id: 'fapi', redirect_uri: redirectUri, scope: 'openid email',
    signing_jwk: fapiSig.priv, encryption_jwk: fapiEnc.priv, use_par: true, use_dpop: true,
    timeout_ms: 5000,
  };
  await runCase('singpass profile: PAR + DPoP nonce + private_key_jwt ES256 + encrypted ID token',
    { ...fapiBase, id: 'op-singpass', kind: 'singpass' },
    (id, start) => {
      assert(start.redirect_url.includes('request_uri='), 'no request_uri in the redirect');
      assert(!start.redirect_url.includes('code_challenge'), 'PAR leaked parameters to the front channel');
      assert(id.auth_time > 0, 'auth_time missing');
    });
  await runCase('generic FAPI: configured PAR + DPoP + encrypted ID token',
    { ...fapiBase, id: 'op-generic-fapi', kind: 'generic' }, () => {});
  await runCase('generic plain code flow: private_key_jwt, PKCE, RS256 ID token, Bearer',
    {
      id: 'op-plain', kind: 'generic', issuer, client_id: 'plain', redirect_uri: redirectUri,
      scope: 'openid email', signing_jwk: plainSig.priv, timeout_ms: 5000,
    },
    (id, start) => {
      const u = new URL(start.redirect_url);
      assert(u.searchParams.get('code_challenge_method') === 'S256', 'no PKCE on the plain request');
      assert(!u.searchParams.has('request_uri'), 'plain case used PAR');
    });
} catch (e) {
  failed = true;
  process.stderr.write(`${e.stack}\n`);
} finally {
  server.close();
}
process.exit(failed ? 1 : 0);

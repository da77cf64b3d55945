// Crash test (issue #6): kill -9 of `accord serve` under load, at three different moments, on one
// file SQLite store; after each restart:
//   - every refresh token whose rotation response was fully received (and that was not presented
//     again) still works;
//   - a chain whose last request was never answered is in exactly one state: the store either
//     still has the presented token live, or marked it used with a replacement the client never
//     received; either way presenting it again works (a retry after a lost response, FAPI 2.0
//     Security Profile 5.3.2.1 clause 10), and no family ever has two live tokens;
//   - authorization codes received but not yet redeemed still redeem; access tokens received
//     before the kill still work at /userinfo; client assertions answered before the kill are
//     refused as replays, and codes of login-only exchanges (no refresh token) answered before
//     the kill are refused as reused (the replay journal, docs/store.md);
//   - the store passes PRAGMA integrity_check and foreign_key_check (sqlite3 CLI, read-only);
//   - discovery and the JWKS (with every key published before the kill) are served, and a fresh
//     login completes.
//
// Usage: node --test-reporter=spec crash.mjs <path to accord binary> <repo root> [sqlite3 CLI]
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import {
  Client, OIDC_CLIENT, OIDC_REDIRECT, get, keyPair, loadJose, postForm, startServer, writeConfig,
} from '../provider_negative/harness.mjs';

const [accord, repo, sqlite3 = 'sqlite3'] = process.argv.slice(2);
const jose = await loadJose(repo);

const CHAINS = 50;            // refresh-token chains obtained through full logins
const SETTLED = 15;           // chains that rotate a few times and then stay idle before the kill
const LOGIN_WORKERS = 4;      // concurrent new logins during the load
const CC_WORKERS = 2;         // concurrent client_credentials token requests
// Kill after this many load responses: almost at once, mid-load, late.
const KILL_AFTER = [5, 80, 250];

let env;
let server;
let client;
let people = [];
const dbPath = () => join(env.dir, 'accord.db');
const tokenHash = (t) => createHash('sha256').update(t).digest('hex').toUpperCase();

before(async () => {
  const key = await keyPair(jose, 'crash');
  env = await writeConfig({
    repo,
    clients: [{ client_id: OIDC_CLIENT, profile: 'oidc', redirect_uris: [OIDC_REDIRECT],
                scopes: ['openid', 'profile', 'offline_access'], keys: [key] }],
  });
  server = await startServer(accord, env.configPath);
  client = new Client(jose, env.issuer, OIDC_CLIENT, key, OIDC_REDIRECT);
  people = ['sandbox-gb-0001', 'sandbox-sg-0001'];
});

after(async () => {
  if (server) await server.stop();
  if (env) rmSync(env.dir, { recursive: true, force: true });
});

function sqlite(sql) {
  const r = spawnSync(sqlite3, ['-readonly', '-batch', '-bail', dbPath()], { input: sql, encoding: 'utf8' });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
  return r.stdout.trim();
}

// Store checks on the file as the crash left it (before the restart).
function checkStore() {
  assert.equal(sqlite('PRAGMA integrity_check;'), 'ok', 'PRAGMA integrity_check');
  assert.equal(sqlite('PRAGMA foreign_key_check;'), '', 'PRAGMA foreign_key_check');
  const twoLive = sqlite(`SELECT t.family_id, count(*) FROM refresh_tokens t
      JOIN refresh_families f ON f.family_id = t.family_id
      WHERE t.used_at = 0 AND f.revoked_at = 0 GROUP BY t.family_id HAVING count(*) > 1;`);
  assert.equal(twoLive, '', 'no refresh-token family has two live tokens');
}

// 'live' | 'used' | 'revoked' | 'absent' for each token, from the store.
function tokenStates(tokens) {
  if (tokens.length === 0) return new Map();
  const values = tokens.map((t) => `(X'${tokenHash(t)}')`).join(',');
  const out = sqlite(`WITH q(h) AS (VALUES ${values})
      SELECT hex(q.h), CASE WHEN t.token_hash IS NULL THEN 'absent'
                            WHEN f.revoked_at != 0 THEN 'revoked'
                            WHEN t.used_at != 0 THEN 'used' ELSE 'live' END
      FROM q LEFT JOIN refresh_tokens t ON t.token_hash = q.h
             LEFT JOIN refresh_families f ON f.family_id = t.family_id;`);
  const byHash = new Map(out.split('\n').filter(Boolean).map((l) => l.split('|')));
  return new Map(tokens.map((t) => [t, byHash.get(tokenHash(t))]));
}

async function newChain(person = people[0]) {
  const { code, pkce } = await client.code({ person });
  const r = await client.exchange(code, pkce.verifier);
  assert.equal(r.status, 200, r.text);
  return { current: r.json.refresh_token, inflight: null, accessToken: r.json.access_token, rotations: 0 };
}

// Runs the load until `killAfter` responses have been received, kills the server with SIGKILL
// and waits for every outstanding request to settle. Returns what the client observed.
async function loadAndKill(chains, killAfter) {
  let received = 0;
  let stopping = false;
  let killed;  // the stop promise, once SIGKILL has been sent
  let signalKilled;
  const killSent = new Promise((resolve) => { signalKilled = resolve; });
  const kill = () => {
    if (killed) return;
    killed = server.stop('SIGKILL');
    signalKilled();
  };
  const observed = {
    unexpected: [], unredeemedCodes: [], accessTokens: [], answeredForms: [], spentCodes: [],
  };
  const onResponse = () => {
    received += 1;
    if (received >= killAfter) kill();
  };
  const busy = async (chain) => {
    while (!stopping && !killed) {
      chain.inflight = chain.current;
      let r;
      try { r = await client.refresh(chain.current); } catch { return; }  // never answered
      onResponse();
      if (r.status !== 200) { observed.unexpected.push(`refresh ${r.status} ${r.text}`); return; }
      chain.current = r.json.refresh_token;
      chain.accessToken = r.json.access_token;
      chain.inflight = null;
      chain.rotations += 1;
    }
  };
  const settle = async (chain, times) => {
    for (let i = 0; i < times && !killed; ++i) {
      chain.inflight = chain.current;
      let r;
      try { r = await client.refresh(chain.current); } catch { return; }
      onResponse();
      if (r.status !== 200) { observed.unexpected.push(`refresh ${r.status} ${r.text}`); return; }
      chain.current = r.json.refresh_token;
      chain.inflight = null;
      chain.rotations += 1;
    }
  };
  const logins = async (n) => {
    for (let round = 0; !stopping && !killed; ++round) {
      // Every other exchange is login-only (no offline_access: decided in the replay journal).
      const loginOnly = n % 2 === 1 && round % 2 === 0;
      let code;
      let pkce;
      try {
        ({ code, pkce } = await client.code({
          person: people[n % people.length], scope: loginOnly ? 'openid profile' : undefined,
        }));
      } catch { return; }
      onResponse();
      if (n % 2 === 0) { observed.unredeemedCodes.push({ code, pkce }); continue; }
      let r;
      try { r = await client.exchange(code, pkce.verifier); } catch { return; }
      onResponse();
      if (r.status !== 200) { observed.unexpected.push(`exchange ${r.status} ${r.text}`); return; }
      if (loginOnly) observed.spentCodes.push({ code, pkce });
      else observed.accessTokens.push(r.json.access_token);
    }
  };
  const clientCredentials = async () => {
    while (!stopping && !killed) {
      let r;
      const form = { ...(await client.auth()), grant_type: 'client_credentials' };
      try { r = await postForm(`${env.issuer}/token`, form); } catch { return; }
      onResponse();
      if (r.status !== 200) { observed.unexpected.push(`client_credentials ${r.status} ${r.text}`); return; }
      observed.answeredForms.push(form);
    }
  };
  const settled = chains.slice(0, SETTLED);
  const workers = [
    ...settled.map((c, i) => settle(c, 1 + (i % 3))),
    ...chains.slice(SETTLED).map(busy),
    ...Array.from({ length: LOGIN_WORKERS }, (_, n) => logins(n)),
    ...Array.from({ length: CC_WORKERS }, clientCredentials),
  ];
  const guard = setTimeout(kill, 20000);  // load that stalls still gets killed
  await killSent;
  clearTimeout(guard);
  await killed;
  stopping = true;
  await Promise.all(workers);
  assert.equal(server.proc.signalCode, 'SIGKILL', 'the server died by SIGKILL');
  observed.received = received;
  return observed;
}

async function publishedKids() {
  const r = await get(`${env.issuer}/jwks`);
  assert.equal(r.status, 200, r.text);
  return new Set(r.json.keys.map((k) => k.kid));
}

async function roundAt(chains, killAfter) {
  const kidsBefore = await publishedKids();
  const observed = await loadAndKill(chains, killAfter);
  assert.deepEqual(observed.unexpected, [], 'no error responses under load before the kill');

  // The store as the crash left it.
  checkStore();
  const unanswered = chains.filter((c) => c.inflight !== null);
  const states = tokenStates(unanswered.map((c) => c.inflight));

  server = await startServer(accord, env.configPath);

  const discovery = await get(`${env.issuer}/.well-known/openid-configuration`);
  assert.equal(discovery.status, 200);
  assert.equal(discovery.json.issuer, env.issuer);
  const kidsAfter = await publishedKids();
  for (const kid of kidsBefore) assert.ok(kidsAfter.has(kid), `key ${kid} still published`);

  let survived = 0;
  let retriedUnanswered = 0;
  // Every chain is checked at once (independent requests; also a burst on the restarted server).
  await Promise.all(chains.map(async (chain, i) => {
    if (chain.inflight === null) {
      // Newest fully received token, never presented again: must work.
      const r = await client.refresh(chain.current);
      assert.equal(r.status, 200, `chain ${i}: the newest received refresh token works (${r.text})`);
      chain.current = r.json.refresh_token;
      return;
    }
    const state = states.get(chain.inflight);
    assert.ok(state === 'live' || state === 'used',
              `chain ${i}: an unanswered token is either live or used, never ${state}`);
    // Used: rotated before the kill, but the answer never arrived, so its replacement was never
    // used: the retry succeeds and spends that replacement.
    const r = await client.refresh(chain.inflight);
    assert.equal(r.status, 200, `chain ${i}: an unanswered ${state} token works when retried (${r.text})`);
    chain.current = r.json.refresh_token;
    chain.inflight = null;
    if (state === 'live') survived += 1; else retriedUnanswered += 1;
  }));
  await Promise.all(observed.unredeemedCodes.map(async ({ code, pkce }) => {
    const r = await client.exchange(code, pkce.verifier);
    assert.equal(r.status, 200, `a received, unredeemed code redeems after the restart (${r.text})`);
  }));
  // A client assertion answered before the kill stays spent (the replay journal was synced
  // before the answer went out): replayed after the restart, it is refused.
  for (const form of observed.answeredForms.slice(-5)) {
    const r = await postForm(`${env.issuer}/token`, form);
    assert.equal(r.status, 401,
                 `a client assertion answered before the kill is refused (${r.text})`);
    assert.equal(r.json.error, 'invalid_client');
  }
  // So does a code exchanged before the kill without a refresh token: presented again (with a
  // new assertion) after the restart, it is a reuse.
  for (const { code, pkce } of observed.spentCodes.slice(-5)) {
    const r = await client.exchange(code, pkce.verifier);
    assert.equal(r.status, 400, `a code exchanged before the kill is refused (${r.text})`);
    assert.equal(r.json.error, 'invalid_grant');
    spentCodesChecked += 1;
  }
  for (const at of observed.accessTokens.slice(-5)) {
    const r = await get(`${env.issuer}/userinfo`, { authorization: `Bearer ${at}` });
    assert.equal(r.status, 200, `an access token received before the kill works (${r.text})`);
  }
  const fresh = await newChain(people[1]);
  const r = await client.refresh(fresh.current);
  assert.equal(r.status, 200, 'a fresh login and refresh complete after the restart');
  checkStore();
  return { received: observed.received, unanswered: unanswered.length, survived, retriedUnanswered,
           codes: observed.unredeemedCodes.length, spentCodes: observed.spentCodes.length };
}

let chains = [];
let spentCodesChecked = 0;  // across the rounds: the check above must have run

test('50 refresh-token chains through full logins', async () => {
  for (let i = 0; i < CHAINS; i += 10) {  // ten logins at a time
    const batch = Array.from({ length: Math.min(10, CHAINS - i) }, (_, j) => newChain(people[(i + j) % people.length]));
    chains.push(...await Promise.all(batch));
  }
  assert.equal(chains.length, CHAINS);
});

const MOMENTS = ['almost at once', 'mid-load', 'late in the load'];
KILL_AFTER.forEach((killAfter, i) => {
  test(`kill -9 ${MOMENTS[i]} (after ${killAfter} responses): received tokens work, store consistent`, async (t) => {
    const started = Date.now();
    const summary = await roundAt(chains, killAfter);
    t.diagnostic(`${JSON.stringify(summary)} in ${Date.now() - started} ms`);
  });
});

test('codes exchanged before a kill were presented again after it', () => {
  assert.ok(spentCodesChecked > 0, 'no login-only exchange was answered before any kill');
});

test('graceful stop after the crashes leaves a consistent store', async () => {
  await server.stop('SIGTERM');
  assert.equal(server.proc.exitCode, 0, 'graceful stop');
  server = null;
  checkStore();
});

// End-to-end (label e2e): the demo's transparency log with its two witnesses, the UK's and
// Singapore's, run the demo's way (config/demo/*.toml with free ports, keys from
// scripts/demo-keys.sh in a temp dir).
//
// Usage: node witnesses_e2e.mjs <accord binary> <repo root>
// Process A: `accord serve` with the gateway, sandbox-uk, sandbox-sg and witness-uk; process B:
// `accord serve` with witness-sg (so it can be taken down alone). Then:
//   1. A release (UK service <- gateway <- sandbox-sg, npm openid-client as the service) is logged;
//      the published checkpoint carries both cosignatures: `accord audit verify --log URL --key K
//      --witness UK --witness SG --full` passes.
//   2. Witness SG down: another release still succeeds (its entry is durable: the commit record on
//      disk grows), but no new checkpoint is published; the old one still verifies.
//   3. Witness SG back (same state): the new checkpoint is published with both cosignatures and is
//      consistent with the one verified before (`--state`).
//   4. A forked log under the same key (`accord audit serve` over another history) is refused by
//      the UK witness listener and never published.
//   5. Bad [witness] / [[audit.require_witness]] settings stop `accord serve` with an error naming
//      the key.
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, freePort, loadPeers, startAccord, startAll, Browser, field } from '../../lib/e2e.mjs';

const [accord, repo] = process.argv.slice(2);
const { client, jose } = await loadPeers(repo);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The demo's configs with free ports and the keys in a temp dir.
const dir = mkdtempSync(join(tmpdir(), 'accord-witnesses-'));
const keys = join(dir, 'var/demo');
mkdirSync(keys, { recursive: true });
execFileSync(join(repo, 'scripts/demo-keys.sh'), [accord, keys], { stdio: 'ignore' });
const ports = {};
for (const p of [8080, 8081, 8082, 8083, 8084, 8090, 8091]) ports[p] = await freePort();
for (const name of ['gateway', 'sandbox-uk', 'sandbox-sg', 'witness-uk', 'witness-sg']) {
  let text = readFileSync(join(repo, 'config/demo', `${name}.toml`), 'utf8');
  text = text.replace(/\b(8080|8081|8082|8083|8084|8090|8091)\b/g, (m) => `${ports[m]}`);
  text = text.replaceAll('../../data/', `${join(repo, 'data')}/`);
  writeFileSync(join(dir, `${name}.toml`), text.replaceAll('../../var/demo/', `${keys}/`));
}
const url = (p) => `http://127.0.0.1:${ports[p]}`;
const G = url(8080);
const logVkey = readFileSync(join(keys, 'audit.vkey'), 'utf8').trim();
const ukVkey = readFileSync(join(keys, 'witness-uk.vkey'), 'utf8').trim();
const sgVkey = readFileSync(join(keys, 'witness-sg.vkey'), 'utf8').trim();

// UK service <- gateway <- sandbox-sg, consent agreed: one attribute release (and the consent).
let ukConfig;
async function release() {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const authUrl = client.buildAuthorizationUrl(ukConfig, { redirect_uri: `${url(8091)}/callback`, scope: 'openid profile', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const b = new Browser();
  let { res, html } = await b.get(authUrl.href);
  assert(res.status === 200, `gateway sign-in page ${res.status}`);
  ({ res, html } = await b.post(`${G}/login`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), upstream: 'sandbox-sg' }));
  assert(res.status === 303, `gateway login POST ${res.status}: ${html.slice(0, 300)}`);
  const home = res.headers.get('location');
  ({ res, html } = await b.get(home));
  const people = JSON.parse(readFileSync(join(repo, 'data/people/sandbox-sg.json'), 'utf8')).people;
  ({ res, html } = await b.post(`${new URL(home).origin}/login`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), person: people[0].id }));
  assert(res.status === 303, `home login POST ${res.status}`);
  ({ res, html } = await b.get(res.headers.get('location')));
  if (res.status === 200) {
    ({ res, html } = await b.post(`${G}/consent`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), decision: 'agree' }));
  }
  assert(res.status === 303 || res.status === 302, `consent ${res.status}: ${html.slice(0, 300)}`);
  const location = new URL(res.headers.get('location'));
  const tokens = await client.authorizationCodeGrant(ukConfig, location, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
  const info = await client.fetchUserInfo(ukConfig, tokens.access_token, tokens.claims().sub);
  assert(info.verified_claims, `released verified_claims: ${JSON.stringify(info)}`);
}

async function publishedCheckpoint() {
  const res = await fetch(`${G}/log/checkpoint`);
  const text = await res.text();
  return res.status === 200 ? { text, size: Number(text.split('\n')[1]) } : { text: '', size: -1 };
}
// The size the log settles at with nothing happening: the gateway logs its signing keys and trust
// policy at start (key_rotated / policy_changed), so count those first.
async function settledSize(ms = 15000) {
  const until = Date.now() + ms;
  let last = -2;
  for (;;) {
    const c = await publishedCheckpoint();
    let committed = -1;
    try { committed = committedSize(); } catch { /* not written yet */ }
    if (c.size >= 0 && c.size === last && c.size === committed) return c.size;
    if (Date.now() > until) throw new Error(`the log did not settle (published ${c.size}, committed ${committed})`);
    last = c.size;
    await sleep(500);
  }
}
async function waitForCheckpoint(minSize, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const c = await publishedCheckpoint();
    if (c.size >= minSize) return c;
    if (Date.now() > until) throw new Error(`no checkpoint of size >= ${minSize} (have ${c.size})`);
    await sleep(200);
  }
}
function committedSize() {  // the gateway's commit record on disk (not served)
  return Number(readFileSync(join(keys, 'transparency-log/log-state/checkpoint'), 'utf8').split('\n')[1]);
}
function audit(...args) {
  const r = spawnSync(accord, ['audit', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}
const verifyArgs = ['verify', '--log', `${G}/log/`, '--key', logVkey, '--witness', ukVkey, '--witness', sgVkey];

let failures = 0;
async function step(name, fn) {
  try { await fn(); console.log(`ok   ${name}`); } catch (e) { failures++; console.log(`FAIL ${name}: ${e.stack}`); }
}

// `accord serve` with demo configs (startAccord).
const serveDemo = (names, listeners) => startAccord(accord,
  ['serve', ...names.flatMap((n) => ['--config', join(dir, `${n}.toml`)])], { listeners, cwd: repo });
let a, b;
const forks = [];
let size1 = 0;
try {
  [a, b] = await startAll([
    serveDemo(['gateway', 'sandbox-uk', 'sandbox-sg', 'witness-uk'], 4), serveDemo(['witness-sg'], 1)]);
  const ukKey = JSON.parse(readFileSync(join(keys, 'service-uk.jwk'), 'utf8'));
  ukConfig = await client.discovery(new URL(G), 'uk-hmrc-leaving-uk', {}, client.PrivateKeyJwt(await jose.importJWK(ukKey, 'ES256'), { kid: ukKey.kid }), { execute: [client.allowInsecureRequests] });

  await step('a release is published with both countries\' cosignatures', async () => {
    const start = await settledSize();  // the start-up key and policy entries
    assert(start >= 2, `start-up entries (signing keys, trust policy): ${start}`);
    await release();
    const c = await waitForCheckpoint(start + 2);  // the consent and the release
    size1 = c.size;
    assert(c.text.includes('\n— witness.uk.demo.example '), `UK cosignature:\n${c.text}`);
    assert(c.text.includes('\n— witness.sg.demo.example '), `SG cosignature:\n${c.text}`);
    const v = audit(...verifyArgs, '--full', '--state', join(dir, 'auditor.state'));
    assert(v.code === 0, `verify --full:\n${v.out}`);
    assert(v.out.includes('cosignature by witness witness.uk.demo.example verified'), v.out);
    assert(v.out.includes('cosignature by witness witness.sg.demo.example verified'), v.out);
    assert(v.out.includes(`recomputed the tree from all ${size1} entries`), v.out);
  });

  await step('witness SG down: releases stay durable, no checkpoint without its cosignature', async () => {
    await b.stop();
    await release();  // the release returns only once its entry is durable
    await sleep(2500);  // two publication retries
    assert(committedSize() > size1, `commit record ${committedSize()} beyond ${size1}`);
    const c = await publishedCheckpoint();
    assert(c.size === size1, `published size ${c.size}, expected the old ${size1}`);
    assert(a.out.includes('not published'), `the gateway reports the missing cosignature:\n${a.out.slice(-2000)}`);
    const v = audit(...verifyArgs);
    assert(v.code === 0 && v.out.includes(`VERIFIED tree size ${size1}`), `old checkpoint still verifies:\n${v.out}`);
  });

  await step('witness SG back: the new checkpoint is cosigned and consistent', async () => {
    b = await serveDemo(['witness-sg'], 1);
    const target = committedSize();
    const c = await waitForCheckpoint(target);
    assert(c.text.includes('\n— witness.sg.demo.example '), `SG cosignature:\n${c.text}`);
    const v = audit(...verifyArgs, '--full', '--state', join(dir, 'auditor.state'));
    assert(v.code === 0, `verify:\n${v.out}`);
    assert(v.out.includes(`consistent with previous checkpoint of size ${size1}`), v.out);
  });

  await step('a forked log under the same key is refused by the UK witness', async () => {
    const fork = join(dir, 'fork');
    const n = committedSize() + 3;
    for (let i = 0; i < n; i++) {
      const entry = JSON.stringify({ time_ms: 1700000000000 + i, type: 'consent_granted', service: 'uk-hmrc-leaving-uk', upstream: '', attributes: [], assurance: '', consent_id: `fork-${i}`, subject_commitment: 'ab'.repeat(32) });
      const r = audit('append', '--log', fork, '--skey-file', join(keys, 'audit.skey'), '--entry', entry);
      assert(r.code === 0, `append to the fork:\n${r.out}`);
    }
    const f = spawn(accord, ['audit', 'serve', '--dir', fork, '--key', join(keys, 'audit.skey'), '--require-witness', ukVkey, `${url(8083)}/witness/`], { stdio: ['ignore', 'pipe', 'pipe'] });
    forks.push(f);
    let out = '';
    f.stdout.on('data', (d) => { out += d; });
    f.stderr.on('data', (d) => { out += d; });
    const until = Date.now() + 10000;
    while (!out.includes('inconsistent_checkpoint') && Date.now() < until) await sleep(200);
    assert(out.includes('inconsistent_checkpoint'), `fork refused as inconsistent:\n${out}`);
    const base = out.match(/ log (http\S+)/)[1];
    assert((await fetch(`${base}checkpoint`)).status === 404, 'the forked checkpoint is not published');
    const v = audit(...verifyArgs);
    assert(v.code === 0, `the real log still verifies:\n${v.out}`);
  });

  await step('bad witness settings are refused at start-up, naming the key', async () => {
    // Each on a store of its own: the running gateway holds its store's replay journal (one
    // accord serve per SQLite database), and these must fail on their settings, not on that.
    const serve = (name, text) => {
      writeFileSync(join(dir, name), text.replaceAll(`${keys}/accord.db`, join(dir, `${name}.db`)));
      const r = spawnSync(accord, ['serve', '--config', join(dir, name)], { encoding: 'utf8', timeout: 20000 });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    const gateway = readFileSync(join(dir, 'gateway.toml'), 'utf8');
    let r = serve('bad-gateway.toml', gateway.replace(`${keys}/witness-sg.vkey`, `${keys}/audit.vkey`));
    assert(r.code === 1 && r.out.includes('audit.require_witness[1].vkey_file') && r.out.includes('not a witness'), r.out);
    r = serve('bad-gateway2.toml', gateway.replace(`${url(8084)}/witness/`, 'ftp://example/witness/'));
    assert(r.code === 1 && r.out.includes('audit.require_witness[1].url'), r.out);
    const witness = readFileSync(join(dir, 'witness-uk.toml'), 'utf8');
    r = serve('bad-witness.toml', witness.replace(`${keys}/audit.vkey`, `${keys}/witness-sg.vkey`));
    assert(r.code === 1 && r.out.includes('witness.log_vkey_files[0]') && r.out.includes('not a log'), r.out);
    r = serve('bad-witness2.toml', witness.replace(`${keys}/witness-uk.skey`, `${keys}/audit.skey`));
    assert(r.code === 1 && r.out.includes('witness.skey_file'), r.out);
    r = serve('bad-witness3.toml', `${witness}cosign_everything = true\n`);
    assert(r.code === 1 && r.out.includes('witness.cosign_everything: unknown setting'), r.out);
    assert(!r.out.includes('PRIVATE+KEY'), 'no key material in errors');
  });
} finally {
  for (const f of forks) f.kill('SIGTERM');
  await Promise.all([a?.stop(), b?.stop()]);
  if (failures && a) console.log(a.out.slice(-4000));
  rmSync(dir, { recursive: true, force: true });
}
if (failures) { console.log(`${failures} failed`); process.exit(1); }
console.log('transparency log witnesses e2e: all passed');

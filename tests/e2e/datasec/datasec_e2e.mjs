// End-to-end data security (issue #5; docs/security.md "Tested end to end").
//
// Usage: node datasec_e2e.mjs <path to accord binary> <repo root>
// For each store backend, SQLite and PostgreSQL (a throwaway cluster from
// scripts/pg-test-server.sh), starts ONE `accord serve` with the gateway (with [datasec]: placement
// checked, fields sealed, retention sweeper) and both sandbox national providers, runs the mutual
// flows with npm openid-client as the two services (SG service <- UK person, UK service <- SG
// person, a consent revoked), then reads the gateway's store RAW: every byte of the SQLite file
// and its -wal file (while serving and after shutdown), every PostgreSQL table (pg_dump
// --data-only, COPY text). None of the test people's names, birth dates or identifiers
// (data/people/*.json) may appear in clear. The sandboxes stand for the foreign national providers
// and keep their own store (sandbox.db), so only Accord's store is scanned. Every line the server
// printed is scanned with `accord policy scan-logs` (exit 0 = no finding).
// Also: the gateway refuses to start when its store's environment cannot hold what it keeps, and a
// release to a service whose environment cannot hold the attributes is refused (page for the
// person, access_denied for the service).
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, freePort, loadPeers, startAccord, Browser, field } from '../../lib/e2e.mjs';
import { writeMutualConfigs, SG_SERVICE_REDIRECT, UK_SERVICE_REDIRECT } from '../../lib/mutual_configs.mjs';

const [accord, repo] = process.argv.slice(2);
const { client, jose } = await loadPeers(repo);

const dir = mkdtempSync(join(tmpdir(), 'accord-datasec-'));
execFileSync(join(repo, 'scripts/demo-keys.sh'), [accord, join(dir, 'keys')], { stdio: 'ignore' });
const sgRedirect = SG_SERVICE_REDIRECT, ukRedirect = UK_SERVICE_REDIRECT;

// The test people and what must never be in Accord's store in clear.
const people = [];
for (const f of ['sandbox-uk.json', 'sandbox-sg.json', 'sandbox-people.json']) {
  const p = join(repo, 'data/people', f);
  if (existsSync(p)) people.push(...JSON.parse(readFileSync(p, 'utf8')).people);
}
const needles = new Set();
for (const p of people) {
  // id: the person's subject at their home provider (Accord keeps only an HMAC of it).
  for (const k of ['id', 'given_name', 'family_name', 'full_name', 'name', 'identity_number', 'email']) {
    if (typeof p[k] === 'string' && p[k].length >= 4) needles.add(p[k]);
  }
  if (typeof p.birthdate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.birthdate)) {
    const [y, m, d] = p.birthdate.split('-');
    needles.add(p.birthdate); needles.add(`${y}${m}${d}`); needles.add(`${d}/${m}/${y}`);
  }
}
assert(needles.size > 10, `people loaded (${needles.size} values)`);
// Returns the needles found in `bytes` (case-insensitive, as Latin-1 text and UTF-16LE). A short
// needle ("Siti", "Ceri": under 8 characters) counts unless it sits inside a run of base64url
// characters on both sides: the store holds kilobytes of random base64url (sealed envelopes,
// tokens), where a 4-letter name turns up by chance about once in a million positions, while a
// value in clear is delimited (JSON quotes, spaces, form separators). Longer needles count
// wherever they appear.
const shortNeedle = new Map([...needles].filter((n) => n.length < 8).map((n) => {
  const e = n.toLowerCase().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return [n, new RegExp(`(?<![a-z0-9_-])${e}|${e}(?![a-z0-9_-])`)];
}));
function findInClear(bytes) {
  const text = bytes.toString('latin1').toLowerCase();
  const wide = bytes.toString('utf16le').toLowerCase();
  const found = (hay, n) => shortNeedle.has(n) ? shortNeedle.get(n).test(hay) : hay.includes(n.toLowerCase());
  return [...needles].filter((n) => found(text, n) || found(wide, n));
}

// For a failure message: each value found (fictional test people) with the bytes around it.
function where(bytes, found) {
  const text = bytes.toString('latin1');
  return found.map((n) => {
    const i = text.toLowerCase().indexOf(n.toLowerCase());
    return i < 0 ? `\n  ${n} (as UTF-16)` : `\n  ${n}: ...${JSON.stringify(text.slice(Math.max(0, i - 24), i + n.length + 24))}...`;
  }).join('');
}

// Control: the scan does find a person's data when it is there (as text and as UTF-16).
assert(findInClear(Buffer.from(JSON.stringify(people[0]))).length >= 3, 'scan finds clear text');
assert(findInClear(Buffer.from(people[0].family_name, 'utf16le')).length === 1, 'scan finds UTF-16');
// A short name counts when delimited, not when it is a chance run inside random base64url.
for (const n of shortNeedle.keys()) {
  assert(findInClear(Buffer.from(`{"given_name":"${n}"}`)).includes(n), `scan finds short ${n}`);
  assert(!findInClear(Buffer.from(`acf1.Zq9${n.replace(/[^A-Za-z0-9]/g, 'x')}Xw_3`)).includes(n), `no chance match ${n}`);
}

// The mutual topology with data security on, the gateway's store as given, and one audit log per
// gateway port (lib/mutual_configs.mjs).
function configs(ports, storeToml, policyDir, environment = 'sg-geofenced-dedicated') {
  return writeMutualConfigs(dir, repo, ports, {
    gatewayStore: storeToml, sandboxStore: 'sqlite_path = "sandbox.db"', auditDir: `log-${ports[0]}`,
    gatewayExtra: `[datasec]\npolicy_dir = "${policyDir}"\nenvironment = "${environment}"\nsweep_interval = "1s"\n`,
  });
}

// Service -> Accord -> home provider -> Accord -> (consent page, or any other page) .
async function brokeredLogin(G, authorizationUrl, upstream, person, decision = 'agree') {
  const b = new Browser();
  let { res, html } = await b.get(authorizationUrl.href);
  assert(res.status === 200, `gateway sign-in page ${res.status}: ${html.slice(0, 500)}`);
  ({ res, html } = await b.post(`${G}/login`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), upstream }));
  assert(res.status === 303, `gateway login POST ${res.status}: ${html.slice(0, 500)}`);
  const home = res.headers.get('location');
  ({ res, html } = await b.get(home));
  assert(res.status === 200, `home provider page ${res.status}: ${html.slice(0, 500)}`);
  ({ res, html } = await b.post(`${new URL(home).origin}/login`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), person }));
  assert(res.status === 303, `home login POST ${res.status}: ${html.slice(0, 500)}`);
  ({ res, html } = await b.get(res.headers.get('location')));
  if (res.status === 303 || res.status === 302) return { location: new URL(res.headers.get('location')), browser: b };
  if (!html.includes('name="decision"')) return { page: { status: res.status, html }, browser: b };
  ({ res, html } = await b.post(`${G}/consent`, { txn: field(html, 'txn'), csrf: field(html, 'csrf'), decision }));
  assert(res.status === 303, `consent POST ${res.status}: ${html.slice(0, 500)}`);
  return { location: new URL(res.headers.get('location')), browser: b };
}

async function keyOf(file) {
  const jwk = JSON.parse(readFileSync(join(dir, 'keys', file), 'utf8'));
  return { key: await jose.importJWK(jwk, 'ES256'), kid: jwk.kid };
}
async function services(G) {
  const sgKey = await keyOf('service-sg.jwk');
  const ukKey = await keyOf('service-uk.jwk');
  const opts = { execute: [client.allowInsecureRequests] };
  return {
    sg: await client.discovery(new URL(G), 'sg-mom-employment-pass', {}, client.PrivateKeyJwt(sgKey.key, { kid: sgKey.kid }), opts),
    uk: await client.discovery(new URL(G), 'uk-hmrc-leaving-uk', {}, client.PrivateKeyJwt(ukKey.key, { kid: ukKey.kid }), opts),
  };
}
const sgPeople = JSON.parse(readFileSync(join(repo, 'data/people/sandbox-sg.json'), 'utf8')).people;

async function sgServiceUkPerson(G, sgConfig, person) {
  const dpop = client.getDPoPHandle(sgConfig, await client.randomDPoPKeyPair('ES256'));
  const verifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const url = await client.buildAuthorizationUrlWithPAR(sgConfig, { redirect_uri: sgRedirect, scope: 'openid profile', nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }, { DPoP: dpop });
  const r = await brokeredLogin(G, url, 'sandbox-uk', person);
  assert(r.location, `redirect to the service: ${r.page && r.page.html.slice(0, 300)}`);
  const tokens = await client.authorizationCodeGrant(sgConfig, r.location, { pkceCodeVerifier: verifier, expectedNonce: nonce, idTokenExpected: true }, undefined, { DPoP: dpop });
  const info = await client.fetchUserInfo(sgConfig, tokens.access_token, tokens.claims().sub, { DPoP: dpop });
  assert(info.verified_claims && info.verified_claims.claims.family_name, `released: ${JSON.stringify(info)}`);
  return r.browser;
}
async function ukServiceSgPerson(G, ukConfig, person) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(ukConfig, { redirect_uri: ukRedirect, scope: 'openid profile', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const r = await brokeredLogin(G, url, 'sandbox-sg', person);
  return { ...r, verifier, state };
}

let failures = 0;
async function step(name, fn) {
  try { await fn(); console.log(`ok   ${name}`); } catch (e) { failures++; console.log(`FAIL ${name}: ${e.stack}`); }
}
const policyDir = join(repo, 'data/datasec');
const logs = [];

// Runs the flows on one store, then hands the raw scan to `scan` (while serving and after).
async function flowsThenScan(label, storeToml, scan) {
  const { G, args } = configs([await freePort(), await freePort(), await freePort()], storeToml, policyDir);
  const run = await startAccord(accord, args, { listeners: 3 });
  try {
    assert(/datasec: store environment sg-geofenced-dedicated/.test(run.out), `start-up report:\n${run.out}`);
    const { sg, uk } = await services(G);
    await sgServiceUkPerson(G, sg, 'sandbox-uk-0001');
    const browser = await sgServiceUkPerson(G, sg, 'sandbox-uk-0002');
    for (const p of sgPeople.slice(0, 2)) {
      const r = await ukServiceSgPerson(G, uk, p.id);
      const tokens = await client.authorizationCodeGrant(uk, r.location, { pkceCodeVerifier: r.verifier, expectedState: r.state, idTokenExpected: true });
      assert(tokens.claims().sub, 'UK service signed in');
    }
    // Revoking a consent erases its released-attribute snapshot.
    let { html } = await browser.get(`${G}/consents`);
    const { res } = await browser.post(`${G}/consents/revoke`, { csrf: field(html, 'csrf'), client_id: 'sg-mom-employment-pass' });
    assert(res.status === 303, `revoke ${res.status}`);
    await scan('while serving');
  } finally {
    await run.stop();
    logs.push({ label, out: run.out });
  }
  await scan('after shutdown');
}

try {
  await step('SQLite: gateway store holds no test person data in clear (db + wal bytes)', async () => {
    await flowsThenScan('sqlite', 'sqlite_path = "accord.db"', async (when) => {
      const files = ['accord.db', 'accord.db-wal'].map((f) => join(dir, f)).filter(existsSync);
      const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
      assert(bytes.length > 4096, `${when}: the store files exist (${files.length}, ${bytes.length} bytes)`);
      assert(bytes.includes('acf1.'), `${when}: sealed envelopes present`);
      const found = findInClear(bytes);
      assert(found.length === 0, `${when}: in clear in the SQLite store: ${found.length} value(s) of ${needles.size}${where(bytes, found)}`);
    });
  });

  await step('PostgreSQL: gateway tables hold no test person data in clear (pg_dump of every table)', async () => {
    // Its own directory under the temp root: as root the cluster runs as `postgres`, which must
    // reach the socket directory (the test's own directory is 0700).
    const pgDir = mkdtempSync(join(tmpdir(), 'accord-pg-'));
    const conninfo = execFileSync(join(repo, 'scripts/pg-test-server.sh'), ['start', pgDir, String(process.pid)], { encoding: 'utf8' }).trim();
    try {
      await flowsThenScan('postgres', `postgres = "${conninfo}"`, async (when) => {
        const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', '-d', conninfo], { maxBuffer: 1 << 28 });
        assert(dump.includes('COPY public.sessions') || dump.includes('COPY sessions'), `${when}: dump has the sessions table`);
        assert(dump.includes('acf1.'), `${when}: sealed envelopes present`);
        const found = findInClear(dump);
        assert(found.length === 0, `${when}: in clear in PostgreSQL: ${found.length} value(s) of ${needles.size}${where(dump, found)}`);
      });
    } finally {
      spawnSync(join(repo, 'scripts/pg-test-server.sh'), ['stop', pgDir], { stdio: 'ignore' });
      rmSync(pgDir, { recursive: true, force: true });
    }
  });

  await step('accord policy scan-logs: no person data in anything the server printed', async () => {
    assert(logs.length === 2, `two runs logged (${logs.length})`);
    const files = logs.map(({ label, out }) => { const f = join(dir, `serve-${label}.log`); writeFileSync(f, out); return f; });
    const r = spawnSync(accord, ['policy', 'scan-logs', ...files, '--people', join(repo, 'data/people')], { encoding: 'utf8' });
    assert(r.status === 0, `scan-logs exit ${r.status}:\n${r.stdout}${r.stderr}`);
  });

  await step('start-up refused when the store environment cannot hold what it keeps', async () => {
    const { args } = configs([await freePort(), await freePort(), await freePort()], 'sqlite_path = "refused.db"', policyDir, 'uk-public-cloud');
    const r = spawnSync(accord, args, { encoding: 'utf8', timeout: 30000 });
    assert(r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert(/record type sessions/.test(r.stderr) && /uk-public-cloud/.test(r.stderr), `error names record and environment: ${r.stderr}`);
    assert(!existsSync(join(dir, 'refused.db')), 'refused before the store was created');
  });

  await step('release refused: service environment cannot hold the attributes', async () => {
    // A copy of the policy in which HMRC declares an environment cleared for public data only.
    const narrow = join(dir, 'datasec-narrow');
    cpSync(policyDir, narrow, { recursive: true });
    const envFile = join(narrow, 'environments.toml');
    const text = readFileSync(envFile, 'utf8')
      .replace(/\[services\.uk-hmrc-leaving-uk\]\nenvironment = "[^"]*"/, '[services.uk-hmrc-leaving-uk]\nenvironment = "public-only"')
      + '\n[[environments]]\nid = "public-only"\nname = "Public catalogue hosting"\ncountry = "GBR"\nmax_uk = "OFFICIAL"\nmax_sg_classification = "Official (Open)"\nmax_sg_sensitivity = "Non-Sensitive"\n';
    assert(text.includes('environment = "public-only"'), 'policy edited');
    writeFileSync(envFile, text);
    const { G, args } = configs([await freePort(), await freePort(), await freePort()], 'sqlite_path = "narrow.db"', narrow);
    const run = await startAccord(accord, args, { listeners: 3 });
    try {
      const { uk } = await services(G);
      const r = await ukServiceSgPerson(G, uk, sgPeople[0].id);
      assert(r.page && r.page.status === 403, `refusal page: ${JSON.stringify(r.location || r.page.status)}`);
      assert(r.page.html.includes('This service cannot receive your information'), 'page explains');
      assert(r.page.html.includes('govuk-'), 'GOV.UK styled');
      const href = r.page.html.match(/href="(http:\/\/127\.0\.0\.1:18091\/callback\?[^"]*)"/);
      assert(href, 'return link to the service');
      const back = new URL(href[1].replace(/&amp;/g, '&'));
      assert(back.searchParams.get('error') === 'access_denied', `error ${back}`);
      assert(back.searchParams.get('state') === r.state, 'state returned');
      // The plan for a Singapore person under `openid profile` is the full name.
      assert(/not cleared to hold: .*\bname\b/.test(back.searchParams.get('error_description')), `description ${back}`);
      assert(r.page.html.includes('full name'), 'the page names the attribute in words');
      // The refusal was durable before the page was sent; the checkpoint may follow a moment later.
      // The log also holds the gateway's key_rotated / policy_changed / kek_rotated entries from start-up, so
      // wait for a checkpoint whose first bundle includes the refusal.
      let size = 0, checkpoint = '', bundle = '';
      for (let i = 0; i < 50 && !bundle.includes('release_refused'); i++) {
        const res = await fetch(`${G}/log/checkpoint`);
        checkpoint = res.status === 200 ? await res.text() : '';
        size = res.status === 200 ? Number(checkpoint.split('\n')[1]) : 0;
        if (size >= 1) {
          const entries = await (await fetch(`${G}/log/tile/entries/000.p/${Math.min(size, 255)}`)).arrayBuffer();
          bundle = Buffer.from(entries).toString('latin1');
        }
        if (!bundle.includes('release_refused')) await new Promise((r) => setTimeout(r, 100));
      }
      assert(size >= 1, `log size ${size}: ${checkpoint.slice(0, 200)}`);
      assert(bundle.includes('release_refused') && bundle.includes('uk-hmrc-leaving-uk'), 'refusal audited');
      // The gateway logged its signing keys and its trust policy at start (audit/change_recorder.h).
      assert(bundle.includes('"type":"key_rotated"') && bundle.includes('"type":"policy_changed"'), 'keys and policy audited');
      // ... and the KEK its sealed fields are wrapped under now (its id only: the provider's
      // single [keys] KEK is the ring's KEK "default", datasec/runtime_wiring.h).
      assert(/"type":"kek_rotated"[^}]*"consent_id":"default"/.test(bundle), 'current KEK audited');
      assert(findInClear(Buffer.from(bundle, 'latin1')).length === 0, 'no personal data in the audit entry');
    } finally {
      await run.stop();
    }
  });
} finally {
  if (failures) for (const { label, out } of logs) console.log(`--- ${label}\n${out.slice(-3000)}`);
  rmSync(dir, { recursive: true, force: true });
}
if (failures) { console.log(`${failures} failed`); process.exit(1); }
console.log('data security e2e: all passed');

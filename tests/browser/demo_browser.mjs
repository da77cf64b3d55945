// Browser test (label `browser`): the demo both ways in headless Chromium (Debian `chromium` via
// playwright-core), every page checked by axe-core.
//
// Usage: node demo_browser.mjs <accord binary> <repo root>
// Starts ONE `accord serve` with the gateway, sandbox-uk, sandbox-sg and the two demo services
// (config/demo/*.toml with free ports), then, twice per direction:
//   - strict: the page CSPs enforced (form-action must allow each redirect a form answers with);
//   - axe:    `bypassCSP: true` only so axe-core can be injected; zero violations on every page.
// SG service <- gateway <- sandbox-uk, and UK service <- gateway <- sandbox-sg: start, choose the
// home identity, pick a fictional person, agree, and see the verified claims on the service.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const [accord, repo] = process.argv.slice(2);
const require = createRequire(join(repo, 'tests/peers/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
function assert(cond, msg) { if (!cond) throw new Error('assertion failed: ' + msg); }
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// The demo configs, with free ports instead of 8080-8091 and the keys in a temp dir.
const dir = mkdtempSync(join(tmpdir(), 'accord-demo-browser-'));
execFileSync(join(repo, 'scripts/demo-keys.sh'), [accord, join(dir, 'var/demo')], { stdio: 'ignore' });
const ports = {};
for (const p of [8080, 8081, 8082, 8090, 8091]) ports[p] = await freePort();
const names = ['gateway', 'sandbox-uk', 'sandbox-sg', 'service-sg', 'service-uk'];
for (const name of names) {
  let text = readFileSync(join(repo, 'config/demo', `${name}.toml`), 'utf8');
  for (const [from, to] of Object.entries(ports)) text = text.replaceAll(`${from}`, `${to}`);
  text = text.replaceAll('../../data/', `${join(repo, 'data')}/`);
  writeFileSync(join(dir, `${name}.toml`), text.replaceAll('../../var/demo/', `${join(dir, 'var/demo')}/`));
}
const url = (p) => `http://127.0.0.1:${ports[p]}`;
const server = spawn(accord, ['serve', ...names.flatMap((n) => ['--config', join(dir, `${n}.toml`)])],
  { stdio: ['ignore', 'pipe', 'pipe'], cwd: repo });
let out = '';
server.stdout.on('data', (d) => { out += d; });
server.stderr.on('data', (d) => { out += d; });
await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('demo did not start:\n' + out)), 30000);
  server.stdout.on('data', () => { if ((out.match(/listening on/g) || []).length === 5) { clearTimeout(timer); resolve(); } });
  server.on('exit', (c) => { clearTimeout(timer); reject(new Error(`demo exited ${c}:\n${out}`)); });
});

async function axeCheck(page, label) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document);
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
  });
  assert(violations.length === 0, `axe violations on ${label}:\n${JSON.stringify(violations, null, 2)}`);
}

// One login through the browser; `check(page, label)` runs on every page.
async function journey(context, service, upstreamName, person, check) {
  const page = await context.newPage();
  const cspErrors = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
  await page.goto(service);
  await check(page, 'service start page');
  await page.getByRole('button', { name: 'Start now' }).click();
  await page.waitForURL(`${url(8080)}/**`);
  await check(page, 'gateway: choose your identity');
  await page.getByLabel(upstreamName).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.port !== String(ports[8080]));
  await check(page, `${upstreamName}: sandbox sign-in`);
  await page.getByLabel(person).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${url(8080)}/**`);
  await check(page, 'gateway: consent');
  await page.getByRole('button', { name: /agree/i }).first().click();
  await page.waitForURL(`${service}/callback**`);
  await check(page, 'service: signed in');
  const text = await page.textContent('main');
  assert(text.includes('You are signed in'), `signed in on the service:\n${text}`);
  assert(cspErrors.length === 0, `CSP violations: ${cspErrors.join('\n')}`);
  await page.close();
  return text;
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: execFileSync('which', ['chromium']).toString().trim(), headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--headless'],
  });
  const ukPeople = JSON.parse(readFileSync(join(repo, 'data/people/sandbox-uk.json'), 'utf8')).people;
  const sgPeople = JSON.parse(readFileSync(join(repo, 'data/people/sandbox-sg.json'), 'utf8')).people;
  // A fresh browser (context) per person: two people do not share a gateway session. Each run
  // uses other people (both have proven identities), so each meets the consent page afresh.
  for (const [mode, i] of [['strict', 0], ['axe', 1]]) {
    const uk = ukPeople[i], sg = sgPeople[i];
    const options = mode === 'axe' ? { bypassCSP: true } : {};
    const check = mode === 'axe' ? axeCheck : async () => {};
    let context = await browser.newContext(options);
    const sgText = await journey(context, url(8090), /GOV.UK One Login/, new RegExp(uk.given_name), check);
    assert(sgText.includes(uk.family_name) && sgText.includes('substantial'), `SG service got the UK identity:\n${sgText}`);
    console.log(`ok   ${mode}: SG service <- Accord <- sandbox-uk`);
    await context.close();
    context = await browser.newContext(options);
    const ukText = await journey(context, url(8091), /Singpass/, new RegExp(sg.given_name, 'i'), check);
    assert(ukText.includes('uk_diatf'), `UK service got the Singapore identity in its framework:\n${ukText}`);
    console.log(`ok   ${mode}: UK service <- Accord <- sandbox-sg`);
    await context.close();
  }
} catch (e) {
  console.log(out.slice(-3000));
  throw e;
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
console.log('demo browser test: all passed');

// Browser test (label `browser`): Accord's pages in headless Chromium (Debian's `chromium`, driven
// by playwright-core from tests/peers), each checked by axe-core for accessibility violations.
//
// Usage: node pages_browser.mjs <accord binary> <web_pages_fixture binary> <repo root>
//
// Servers:
//   - web_pages_fixture: every src/web page rendered with sample data at /pages/<name>, the real
//     /assets/ routes and the real journeys routes (tests/browser/web_pages_fixture.cc);
//   - `accord serve` with a throwaway config: the real sandbox login page and an error page.
// Contexts:
//   - strict: the pages' own CSP enforced. Checks: no CSP violation reported, GOV.UK Frontend's
//     stylesheet and fonts applied, the module script ran (body.js-enabled).
//   - axe: `bypassCSP: true`, only so axe-core's source can be injected with page.addScriptTag
//     (the pages' CSP rightly refuses inline and injected scripts). Nothing else is checked there
//     that the CSP could affect; the strict context covers the CSP.
//   - nojs: `javaScriptEnabled: false`: the journey form still submits and shows the plan.
// Exits non-zero on the first failure, printing axe's violations.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { randomBytes, createHash } from 'node:crypto';
import { assert, freePort, startAccord, startAll } from '../lib/e2e.mjs';

const [accord, fixture, repo] = process.argv.slice(2);
const require = createRequire(join(repo, 'tests/peers/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function axeCheck(page, label) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.html) }));
  });
  assert(result.length === 0, `axe violations on ${label}:\n${JSON.stringify(result, null, 2)}`);
}

// Strict context checks for one loaded page.
async function strictChecks(page, violations, label) {
  assert(violations.length === 0, `CSP violations on ${label}: ${violations.join('\n')}`);
  const state = await page.evaluate(async () => {
    await document.fonts.ready;
    return {
      js: document.body.classList.contains('js-enabled'),
      supported: document.body.classList.contains('govuk-frontend-supported'),
      font: getComputedStyle(document.querySelector('.govuk-header')).fontFamily,
      fontLoaded: [...document.fonts].some((f) => f.status === 'loaded'),
    };
  });
  assert(state.js && state.supported, `${label}: the module script did not run (${JSON.stringify(state)})`);
  assert(state.font.includes('GDS Transport'), `${label}: GOV.UK stylesheet not applied (${state.font})`);
  assert(state.fontLoaded, `${label}: GOV.UK fonts not loaded`);
}

function watchCsp(page) {
  const violations = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  page.on('requestfailed', (r) => violations.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.url().includes('/assets/') && r.status() >= 400) violations.push(`asset ${r.url()} ${r.status()}`); });
  return violations;
}

async function fillJourney(page, facts) {
  await page.fill('#event-date-day', facts.day);
  await page.fill('#event-date-month', facts.month);
  await page.fill('#event-date-year', facts.year);
  for (const [name, value] of Object.entries(facts.text || {})) await page.fill(`#fact-${name}`, value);
  for (const [name, value] of Object.entries(facts.radios || {})) {
    await page.check(`input[name="fact-${name}"][value="${value}"]`);
  }
  await Promise.all([page.waitForNavigation(), page.click('button.govuk-button[type="submit"]')]);
}

const journeys = [
  { event: 'uk-to-sg-work', day: '4', month: '1', year: '2027',
    text: { nationality: 'GB', monthly_salary_sgd: '7000', compass_points: '45', residence_country: 'SG',
      'birthdate-day': '17', 'birthdate-month': '5', 'birthdate-year': '1990' },
    radios: { has_job_offer: 'yes', works_in_financial_services: 'no', married: 'yes' } },
  { event: 'sg-to-uk-study', day: '15', month: '9', year: '2027',
    text: { nationality: 'SG' }, radios: {} },
];

const work = mkdtempSync(join(tmpdir(), 'accord-browser-'));
let fixtureServer, accordServer, browser;
let failed = false;
try {
  // The real `accord serve` for the sandbox login page.
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const redirect = 'http://127.0.0.1:1/cb';  // never contacted: the test intercepts it
  writeFileSync(join(work, 'kek'), randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  writeFileSync(join(work, 'accord.toml'), `
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
client_id = "browser-test"
profile = "oidc"
redirect_uris = ["${redirect}"]
scopes = ["openid", "profile"]
jwks = '''{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"k1"}]}'''
`);
  [fixtureServer, accordServer] = await startAll([
    startAccord(fixture, [repo, join(work, 'pages')], { timeoutMs: 20000, name: 'web_pages_fixture' }),
    startAccord(accord, ['serve', '--config', join(work, 'accord.toml')], { timeoutMs: 20000, name: 'accord serve' }),
  ]);
  const base = fixtureServer.url;

  const executablePath = execFileSync('which', ['chromium']).toString().trim();
  browser = await chromium.launch({
    executablePath, headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--headless'],
  });
  const strict = await browser.newContext();
  const axeContext = await browser.newContext({ bypassCSP: true });
  const nojs = await browser.newContext({ javaScriptEnabled: false });

  async function checkBoth(url, label, expectStatus = 200) {
    const sp = await strict.newPage();
    const violations = watchCsp(sp);
    const res = await sp.goto(url);
    assert(res.status() === expectStatus, `${label}: status ${res.status()}`);
    const csp = res.headers()['content-security-policy'] || '';
    assert(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `${label}: strict CSP (${csp})`);
    await strictChecks(sp, violations, label);
    await sp.close();
    const ap = await axeContext.newPage();
    await ap.goto(url);
    await axeCheck(ap, label);
    await ap.close();
    console.log(`ok: ${label}`);
  }

  // 1. Every rendered page of src/web.
  for (const name of ['sandbox-login', 'sandbox-login-error', 'choose-country', 'choose-country-error',
    'consent', 'consents', 'consents-empty', 'error', 'provider-down']) {
    await checkBoth(`${base}/pages/${name}`, `page ${name}`);
  }

  // 2. Journey pages: blank, then with facts submitted (strict and axe contexts).
  for (const j of journeys) {
    const url = `${base}/journeys/${j.event}`;
    await checkBoth(url, `journey ${j.event} (blank)`);
    for (const [ctx, label] of [[strict, 'strict'], [axeContext, 'axe']]) {
      const p = await ctx.newPage();
      const violations = watchCsp(p);
      await p.goto(url);
      await fillJourney(p, j);
      const heading = await p.textContent('main h2 .govuk-caption-m');
      assert(heading && heading.startsWith('Step 1'), `journey ${j.event}: plan shown after submit`);
      if (ctx === strict) await strictChecks(p, violations, `journey ${j.event} (planned)`);
      else await axeCheck(p, `journey ${j.event} (planned)`);
      await p.close();
    }
    console.log(`ok: journey ${j.event} (facts submitted)`);
  }

  // 3. Without JavaScript the journey form still submits and shows the plan.
  {
    const p = await nojs.newPage();
    await p.goto(`${base}/journeys/uk-to-sg-work`);
    await fillJourney(p, journeys[0]);
    const steps = await p.$$eval('main h2 .govuk-caption-m', (els) => els.map((e) => e.textContent));
    assert(steps.length >= 3 && steps[0].startsWith('Step 1'), `no-JS journey plan: ${steps}`);
    const tags = await p.$$eval('.govuk-tag', (els) => els.map((e) => e.textContent));
    assert(tags.includes('Eligible'), `no-JS journey shows outcomes: ${tags}`);
    const js = await p.evaluate(() => document.body.className).catch(() => 'n/a');
    assert(!String(js).includes('js-enabled'), 'script did not run with JavaScript off');
    await p.close();
    console.log('ok: journey form works without JavaScript');
  }

  // 4. The real sandbox login page and an error page from `accord serve`.
  {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = new URLSearchParams({ client_id: 'browser-test', redirect_uri: redirect,
      response_type: 'code', scope: 'openid profile', state: 's1', nonce: 'n1',
      code_challenge: challenge, code_challenge_method: 'S256' });
    const loginUrl = `${issuer}/authorize?${params}`;
    const p = await axeContext.newPage();
    const res = await p.goto(loginUrl);
    assert(res.status() === 200, `login page status ${res.status()}`);
    await axeCheck(p, 'accord serve: sandbox login');
    await p.close();
    await checkBoth(`${issuer}/authorize`, 'accord serve: error page', 400).catch(async (e) => {
      // The provider's error pages are script-free (RenderErrorPage): check them with axe only.
      if (!/module script did not run/.test(e.message)) throw e;
      const ep = await axeContext.newPage();
      await ep.goto(`${issuer}/authorize`);
      await axeCheck(ep, 'accord serve: error page');
      await ep.close();
      console.log('ok: accord serve: error page');
    });
    console.log('ok: accord serve: sandbox login');
  }
} catch (e) {
  failed = true;
  console.error(e.stack || String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  await fixtureServer?.stop();
  await accordServer?.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

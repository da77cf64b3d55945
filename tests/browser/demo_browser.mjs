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
// Then the service's life-event journey (docs/demo.md, "Life events after login"): the identity
// facts listed as such and not asked, the event date and one missing fact answered (the plan
// changes), a bad answer (GOV.UK error summary), all under the strict CSP and axe; in the strict
// run the journey form is also submitted from a context with JavaScript off.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { assert, freePort, startAccord } from '../lib/e2e.mjs';

const [accord, repo] = process.argv.slice(2);
const require = createRequire(join(repo, 'tests/peers/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The demo configs, with free ports instead of 8080-8091 and the keys in a temp dir.
const dir = mkdtempSync(join(tmpdir(), 'accord-demo-browser-'));
execFileSync(join(repo, 'scripts/demo-keys.sh'), [accord, join(dir, 'var/demo')], { stdio: 'ignore' });
const ports = {};
// The countries' witnesses of the gateway's log run too when the demo has them (docs/demo.md).
const names = ['gateway', 'sandbox-uk', 'sandbox-sg', 'service-sg', 'service-uk',
  ...['witness-uk', 'witness-sg'].filter((n) => existsSync(join(repo, 'config/demo', `${n}.toml`)))];
// Fresh free ports in every config, each demo port replaced in one pass (a port already put in
// must not be rewritten by a later replacement: 48081 holds "8081").
async function writeConfigs() {
  for (const p of [8080, 8081, 8082, 8083, 8084, 8090, 8091]) ports[p] = await freePort();
  for (const name of names) {
    let text = readFileSync(join(repo, 'config/demo', `${name}.toml`), 'utf8');
    text = text.replace(/\b(8080|8081|8082|8083|8084|8090|8091)\b/g, (m) => `${ports[m]}`);
    text = text.replaceAll('../../data/', `${join(repo, 'data')}/`);
    writeFileSync(join(dir, `${name}.toml`), text.replaceAll('../../var/demo/', `${join(dir, 'var/demo')}/`));
  }
}
const url = (p) => `http://127.0.0.1:${ports[p]}`;
// Starts the demo; a port taken between freePort() and the bind (other tests run beside this one)
// is tried again with new ports, up to three times.
let server;  // the demo's `accord serve` (startAccord)
for (let attempt = 1; ; attempt++) {
  await writeConfigs();
  try {
    server = await startAccord(accord, ['serve', ...names.flatMap((n) => ['--config', join(dir, `${n}.toml`)])],
      { listeners: names.length, cwd: repo, name: 'demo' });
    break;
  } catch (e) {
    if (!/cannot listen on the address/.test(e.message) || attempt >= 3) throw e;
    console.log(`demo could not bind its ports (attempt ${attempt}); trying new ones`);
  }
}

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
  return { page, text, cspErrors };
}

const serviceName = (id) => JSON.parse(readFileSync(join(repo, `data/services/${id}.json`), 'utf8')).name;
const kMonths = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
const longDate = (iso) => { const [y, m, d] = iso.split('-').map(Number); return `${d} ${kMonths[m - 1]} ${y}`; };
const card = (page, title) => page.locator('.govuk-summary-card', {
  has: page.locator('.govuk-summary-card__title', { hasText: title }) });
async function answer(page, fact) {
  if (fact.radio) await page.locator(`input[name="${fact.id}"][value="${fact.value}"]`).check();
  else await page.fill(`#${fact.id}`, fact.value);
}
async function submit(page, button) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: button }).click()]);
}

// The life event after login. `ev`: {service, person, steps: [titles], watch: service name whose
// status the answer changes, fact: {id, value}, before, after}: statuses of `watch`.
async function lifeEvent({ page, cspErrors }, ev, check) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: /See your steps/ }).click()]);
  assert(page.url() === `${ev.service}/journey`, `journey page at ${page.url()}`);
  await check(page, 'service: journey (no answers yet)');
  let text = await page.textContent('main');
  // Identity facts are exactly what the service received (its policy in data/trust/services.toml
  // and the data-security placement decide): a received birthdate is listed and not asked; with
  // nothing received, nothing is claimed as verified.
  const received = ev.signedIn.includes(ev.person.birthdate);
  ev.identityBirthdate = received;
  if (received) {
    assert(text.includes('From your verified identity') && text.includes(longDate(ev.person.birthdate)),
      `the journey lists the verified birthdate:\n${text}`);
    assert(await page.locator('#fact-birthdate-day').count() === 0, 'the verified birthdate is not asked again');
  } else {
    assert(!text.includes('From your verified identity'), `nothing received, nothing listed as verified:\n${text}`);
  }
  assert(!text.includes('Step 1'), 'no plan before the event date');

  // The event date: the plan appears (POST, 303, GET /journey).
  await page.fill('#event-date-day', '4');
  await page.fill('#event-date-month', '1');
  await page.fill('#event-date-year', '2027');
  await submit(page, 'Show my steps');
  assert(page.url() === `${ev.service}/journey`, `back on the journey page: ${page.url()}`);
  await check(page, 'service: journey planned');
  text = await page.textContent('main');
  for (const t of ev.steps) assert(text.includes(t), `step "${t}" shown:\n${text}`);
  assert(/Step 1/.test(text) && text.includes('Needs information'), `numbered steps with statuses:\n${text}`);
  const watched = card(page, ev.watch);
  let watchedText = await watched.textContent();
  assert(watchedText.includes(ev.before), `${ev.watch} is "${ev.before}" before the answer:\n${watchedText}`);
  if (ev.usesBirthdate) {
    // This rule reads the birthdate too: only the unanswered nationality is asked for it.
    const t = await card(page, ev.usesBirthdate).textContent();
    assert(t.includes('Nationality') && !t.includes('Date of birth'),
      `${ev.usesBirthdate} needs only the nationality (the birthdate came from the identity):\n${t}`);
  }
  assert(await page.locator(`[name="${ev.fact.id}"]`).count() >= 1, `the missing fact ${ev.fact.id} is asked`);
  const counts = await page.locator('.govuk-notification-banner').textContent();

  // One missing fact answered: the plan changes.
  await answer(page, ev.fact);
  await submit(page, 'Update my steps');
  await check(page, 'service: journey re-planned');
  watchedText = await watched.textContent();
  assert(watchedText.includes(ev.after) && !watchedText.includes(ev.before),
    `${ev.watch} is "${ev.after}" after the answer:\n${watchedText}`);
  assert(await page.locator('.govuk-notification-banner').textContent() !== counts, 'the counts changed');
  const answers = await card(page, 'From your answers').textContent();
  assert(answers.includes(ev.fact.label), `the answer is listed as an answer:\n${answers}`);
  if (ev.identityBirthdate) {
    const identity = await card(page, 'From your verified identity').textContent();
    assert(identity.includes(longDate(ev.person.birthdate)) && !identity.includes(ev.fact.label),
      `identity facts apart from answers:\n${identity}`);
  }

  // A bad answer: the GOV.UK error summary, linked to the field, nothing kept.
  await page.fill(`#${ev.bad.id}`, ev.bad.value);
  await submit(page, 'Update my steps');
  await check(page, 'service: journey with an error');
  assert((await page.title()).startsWith('Error:'), 'error title');
  const summary = await page.locator('.govuk-error-summary').textContent();
  assert(summary.includes('There is a problem'), `error summary:\n${summary}`);
  assert(await page.locator(`.govuk-error-summary a[href="#${ev.bad.id}"]`).count() === 1, 'the error links to its field');
  assert(cspErrors.length === 0, `CSP violations: ${cspErrors.join('\n')}`);
}

// The journey form with JavaScript off, in the same session (cookies copied to a no-JS context).
async function noScript(browser, context, ev) {
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  await nojs.addCookies(await context.cookies());
  const page = await nojs.newPage();
  await page.goto(`${ev.service}/journey`);
  await page.fill(`#${ev.bad.id}`, '');
  await answer(page, ev.fact);
  await submit(page, 'Update my steps');
  const text = await page.textContent('main');
  assert(text.includes('Step 1') && text.includes(ev.after), `no-JS journey re-planned:\n${text}`);
  // A form without the session's CSRF token is refused.
  const forged = await page.request.post(`${ev.service}/journey`, {
    form: { 'event-date-day': '1', 'event-date-month': '1', 'event-date-year': '2030' } });
  assert(forged.status() === 403, `a form without the CSRF token is refused: ${forged.status()}`);
  await nojs.close();
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
    const uk = ukPeople[i], sgp = sgPeople[i];
    const options = mode === 'axe' ? { bypassCSP: true } : {};
    const check = mode === 'axe' ? axeCheck : async () => {};
    let context = await browser.newContext(options);
    const sg = { service: url(8090), person: uk,
      steps: ['Get permission to work in Singapore', 'Tell the UK you are leaving'],
      usesBirthdate: serviceName('sg-singpass-foreigner'), watch: serviceName('sg-employment-pass'),
      fact: { id: 'fact-has_job_offer', value: 'no', radio: true, label: 'job offer' },
      before: 'Needs information', after: 'Not eligible',
      bad: { id: 'fact-monthly_salary_sgd', value: 'lots' } };
    const sgLogin = await journey(context, url(8090), /GOV.UK One Login/, new RegExp(uk.given_name), check);
    assert(sgLogin.text.includes(uk.family_name) && sgLogin.text.includes('substantial'), `SG service got the UK identity:\n${sgLogin.text}`);
    console.log(`ok   ${mode}: SG service <- Accord <- sandbox-uk`);
    assert(sgLogin.text.includes(uk.birthdate), `the SG service received the birthdate:\n${sgLogin.text}`);
    await lifeEvent(sgLogin, { ...sg, signedIn: sgLogin.text }, check);
    console.log(`ok   ${mode}: SG service: moving from the UK to Singapore for work`);
    if (mode === 'strict') await noScript(browser, context, sg);
    await context.close();
    context = await browser.newContext(options);
    const ukEv = { service: url(8091), person: sgp,
      steps: ['Tell HMRC you are leaving', 'Register to vote from abroad'],
      watch: serviceName('gb-register-to-vote-overseas'),
      fact: { id: 'fact-nationality', value: 'SG', label: 'Nationality' },
      before: 'Needs information', after: 'Not eligible',
      bad: { id: 'fact-ni_qualifying_years', value: 'ten' } };
    const ukLogin = await journey(context, url(8091), /Singpass/, new RegExp(sgp.given_name, 'i'), check);
    assert(ukLogin.text.includes('uk_diatf'), `UK service got the Singapore identity in its framework:\n${ukLogin.text}`);
    console.log(`ok   ${mode}: UK service <- Accord <- sandbox-sg`);
    await lifeEvent(ukLogin, { ...ukEv, signedIn: ukLogin.text }, check);
    console.log(`ok   ${mode}: UK service: leaving the UK`);
    if (mode === 'strict') await noScript(browser, context, ukEv);
    await context.close();
  }
} catch (e) {
  console.log(server.out.slice(-3000));
  throw e;
} finally {
  if (browser) await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log('demo browser test: all passed');

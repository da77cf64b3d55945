// Peer benchmark: the catalogue's eligibility rules with the fixture data (the same cases as
// rules_bench's BM_RuleEvaluation) through npm json-logic-js 2.0.5, with the date operators added
// the same way Accord defines them. Prints one line: "json-logic-js <evals/s> evaluations/s".
// Usage: node bench/rules/jsonlogic_peer.mjs [DATA_DIR] [SECONDS]
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../tests/peers/package.json'));
const jsonLogic = require('json-logic-js');

const parse = (s) => {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const [y, m, d] = s.split('-').map(Number);
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? { y, m, d, t } : null;
};
jsonLogic.add_operation('age_on', (b, o) => {
  const x = parse(b), y = parse(o);
  if (!x || !y || y.t < x.t) return null;
  let age = y.y - x.y;
  if (y.m < x.m || (y.m === x.m && y.d < x.d)) age -= 1;
  return age;
});
jsonLogic.add_operation('days_between', (a, b) => {
  const x = parse(a), y = parse(b);
  return x && y ? Math.round((y.t - x.t) / 86400000) : null;
});
jsonLogic.add_operation('date_add', (a, n) => {
  const x = parse(a);
  if (!x || !Number.isInteger(Number(n))) return null;
  return new Date(x.t + Number(n) * 86400000).toISOString().slice(0, 10);
});

const dataDir = process.argv[2] ?? join(here, '../../data');
const seconds = Number(process.argv[3] ?? 2);
const cases = [];
for (const f of readdirSync(join(dataDir, 'tests')).sort()) {
  const fixture = JSON.parse(readFileSync(join(dataDir, 'tests', f), 'utf8'));
  const service = JSON.parse(readFileSync(join(dataDir, 'services', `${fixture.service}.json`), 'utf8'));
  for (const c of fixture.cases) cases.push([service.eligibility, { ...c.input, event_date: c.date }]);
}
let n = 0, sink = 0;
for (let i = 0; i < 20000; i++) sink ^= jsonLogic.truthy(jsonLogic.apply(...cases[i % cases.length]));
const start = process.hrtime.bigint();
const end = start + BigInt(Math.round(seconds * 1e9));
let now = start;
while (now < end) {
  for (let i = 0; i < 1000; i++, n++) sink ^= jsonLogic.truthy(jsonLogic.apply(...cases[n % cases.length]));
  now = process.hrtime.bigint();
}
const rate = n / (Number(now - start) / 1e9);
console.log(`json-logic-js ${Math.round(rate)} evaluations/s over ${cases.length} cases (sink ${sink & 1})`);

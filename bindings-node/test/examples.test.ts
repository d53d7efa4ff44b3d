// Runs every script in examples/ (compiled by tsc) against the sandbox, as a user following
// the README would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { reset, startSandbox, type Sandbox } from './sandbox';

const EXAMPLES = path.resolve(__dirname, '../examples');
// script → what the simulated customer does, and text the output must contain
const SCENARIOS: Record<string, ['approve' | 'reject', string]> = {
  'sign-pdf': ['approve', 'signed: signed.pdf'],
  'sign-via-qr': ['approve', 'signed by QR: 1 item(s)'],
  'identify-mobile': ['approve', 'eID saved as eid.pdf'],
  'identify-web-express': ['approve', 'signed with a one-time certificate: contract-signed.pdf'],
  'resume-flow': ['approve', 'finished in another worker: 1 item(s) signed'],
  'handle-errors': ['reject', 'the customer declined request'],
};

let sb: Sandbox;
before(async () => { sb = await startSandbox(); });
after(() => sb.stop());

test('every example has a scenario', () => {
  const scripts = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.js') && f !== 'settings.js').map((f) => f.slice(0, -3));
  assert.deepEqual(scripts.sort(), Object.keys(SCENARIOS).sort());
});

for (const [script, [mode, expected]] of Object.entries(SCENARIOS)) {
  test(`example ${script}`, async () => {
    await reset(sb);
    await sb.behave(mode, 100);
    const o = sb.options();
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cqes-example-'));
    const env = { ...process.env, CQES_ENV: sb.baseUrl, CQES_CERT: String(o.cert), CQES_KEY: String(o.key), CQES_CA: String(o.ca), CQES_IDENTIFICATION_URL: sb.pagesUrl };
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(EXAMPLES, `${script}.js`)], { cwd, env, timeout: 60_000 });
    assert.ok(stdout.includes(expected), stdout);
    fs.rmSync(cwd, { recursive: true, force: true });
  });
}

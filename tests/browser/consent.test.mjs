// An ARS consent in the B-Trust Mobile simulator, in headless Chromium: `cqes demo ars
// --manual` asks a sandbox customer to consent to automatic signing with no simulated signer
// and prints the simulator's address; this test opens it, picks the customer, sees the consent
// waiting (relying party, what is consented to, validity counting down), consents in the
// page, and checks that the demo then signs three documents and a batch of ten with the token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { shot } from './shots.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cqes = process.env.CQES_BIN ?? join(root, 'target', 'debug', 'cqes');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

test('an authorised signer consents to automatic signing in the B-Trust Mobile simulator', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(cqes), `build the CLI first (cargo build -p cqes-cli): ${cqes}`);
  assert.ok(existsSync(browserPath), `Chromium is required: ${browserPath}`);
  const out = join(here, 'out', 'consent-demo');
  const demo = spawn(cqes, ['demo', 'ars', '--manual', '--json', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  demo.stdout.on('data', (d) => { stdout += d; });
  const url = new Promise((resolve) => demo.stderr.on('data', (d) => {
    stderr += d;
    const m = /the customer opens: (\S+)\r?\n/.exec(stderr);
    if (m) resolve(m[1]);
  }));
  const exited = new Promise((resolve) => demo.on('exit', resolve));

  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const simulator = await url;
    await page.goto(simulator);
    // The demo asks the first customer with a cloud QES: the first one the page offers.
    const first = await page.$eval('#customer', (s) => s.options[1].value);
    await page.selectOption('#customer', first);
    const card = page.locator('.request').first();
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.locator('.rp').textContent(), 'Demo Bank');
    assert.match(await card.locator('.confirm').first().textContent(), /Consent to automatic signing on behalf of 121234567 for 365 days/);
    assert.match(await card.locator('.countdown').textContent(), /^valid for \d+:\d\d$/);
    await shot(page, 'consent-1-waiting');

    // Another customer cannot consent in this one's name.
    const callbackId = await card.getAttribute('data-callback-id');
    const other = await page.$eval('#customer', (s) => s.options[2]?.value);
    if (other !== undefined) {
      const r = await page.request.post(new URL(`/mobile/api/requests/${callbackId}/approve`, simulator).href, { data: { user: Number(other) } });
      assert.equal(r.status(), 409);
    }

    await card.locator('button.approve').click();
    await page.waitForFunction(() => /approved/.test(document.getElementById('status').textContent), null, { timeout: 20_000 });
    await page.waitForSelector('text=No requests are waiting.');
    await shot(page, 'consent-2-approved');
  } catch (e) {
    demo.kill();
    throw e;
  } finally {
    await browser.close();
  }

  const code = await exited;
  assert.equal(code, 0, `the demo finished: ${stderr}`);
  const summary = JSON.parse(stdout);
  assert.equal(summary.syncSigned, 3);
  assert.equal(summary.batchSigned, 10);
  assert.equal(readFileSync(join(summary.out, 'consent-signed.pdf')).subarray(0, 5).toString(), '%PDF-');
});

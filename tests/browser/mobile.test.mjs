// The B-Trust Mobile simulator in headless Chromium: `cqes demo --manual` sends a PDF for
// signing to a sandbox customer with no simulated user and prints the simulator's address;
// this test opens it, picks the customer, sees the request the demo created through the API
// (relying party, confirm text, document link, validity counting down), checks that another
// site cannot act on it, approves it, and checks that the demo then ends with a signed PDF.
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

test('a developer approves a sign request in the B-Trust Mobile simulator', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(cqes), `build the CLI first (cargo build -p cqes-cli): ${cqes}`);
  assert.ok(existsSync(browserPath), `Chromium is required: ${browserPath}`);
  const out = join(here, 'out', 'mobile-demo');
  const demo = spawn(cqes, ['demo', '--manual', '--json', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    assert.match(simulator, /^http:\/\/127\.0\.0\.1:\d+\/mobile$/);
    await page.goto(simulator);
    assert.match(await page.textContent('h1'), /B-Trust Mobile/);

    // Pick the customer the demo sends to; its request appears with what B-Trust Mobile shows.
    const ivan = await page.$eval('#customer', (s) => [...s.options].find((o) => o.text.startsWith('Ivan Petrov')).value);
    await page.selectOption('#customer', ivan);
    const card = page.locator('.request').first();
    await card.waitFor({ timeout: 20_000 });
    assert.equal(await card.locator('.rp').textContent(), 'Demo Bank');
    assert.match(await card.locator('.confirm').first().textContent(), /cqes demo contract/);
    assert.equal(await card.locator('a.doc').first().textContent(), 'sample-contract.pdf');
    const first = await card.locator('.countdown').textContent();
    assert.match(first, /^valid for \d+:\d\d$/);
    await page.waitForFunction((t) => document.querySelector('.countdown').textContent !== t, first, { timeout: 5_000 });
    await shot(page, 'mobile-1-waiting');

    // The document link serves the PDF itself.
    const href = await card.locator('a.doc').first().getAttribute('href');
    const doc = await page.request.get(new URL(href, simulator).href);
    assert.equal(doc.headers()['content-type'], 'application/pdf');
    assert.equal((await doc.body()).subarray(0, 5).toString(), '%PDF-');

    // Another site's page cannot act for the customer: the browser sends that page's Origin,
    // and the sandbox refuses it (the request stays waiting).
    const callbackId = await card.getAttribute('data-callback-id');
    const approveUrl = new URL(`/mobile/api/requests/${callbackId}/approve`, simulator).href;
    const other = await browser.newPage();
    await other.goto('data:text/html,<p>another site</p>');
    await other.evaluate(async ([u, who]) => {
      await fetch(u, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ user: Number(who) }) }).catch(() => {});
    }, [approveUrl, ivan]);
    const crossSite = await page.request.post(approveUrl, { headers: { origin: 'https://evil.example' }, data: { user: Number(ivan) } });
    assert.equal(crossSite.status(), 403);
    assert.equal((await crossSite.json()).responseCode, 'FORBIDDEN');
    const still = await (await page.request.get(new URL(`/mobile/api/requests?user=${ivan}`, simulator).href)).json();
    assert.equal(still.requests.length, 1, 'still waiting after two cross-site attempts');

    // Approve in the page (a same-origin POST): the demo's flow ends signed.
    await card.locator('button.approve').click();
    await page.waitForFunction(() => /approved/.test(document.getElementById('status').textContent), null, { timeout: 20_000 });
    assert.match(await page.textContent('#status'), /SIGNED/);
    await page.waitForSelector('text=No requests are waiting.');
    await shot(page, 'mobile-2-approved');
  } catch (e) {
    demo.kill();
    throw e;
  } finally {
    await browser.close();
  }

  const code = await exited;
  assert.equal(code, 0, `the demo finished: ${stderr}`);
  const summary = JSON.parse(stdout);
  assert.equal(summary.items.length, 1);
  assert.equal(summary.items[0].status, 'SIGNED');
  assert.equal(readFileSync(summary.items[0].file).subarray(0, 5).toString(), '%PDF-');
});

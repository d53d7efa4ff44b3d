// The customer's side of `cqes demo identify`, in headless Chromium: the demo runs with
// `--manual` (no simulated customer), prints the URLs a real customer would open, and this
// test opens them, completes video identification, enters the SMS code (a wrong one first),
// and checks that the demo then finishes with a signed document. Each page is screenshotted
// and the screenshots are checked (size, and that they are not blank).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { shot } from './shots.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cqes = process.env.CQES_BIN ?? join(root, 'target', 'debug', 'cqes');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

test('a customer completes web identification and signs in the browser', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(cqes), `build the CLI first (cargo build -p cqes-cli): ${cqes}`);
  assert.ok(existsSync(browserPath), `Chromium is required: ${browserPath}`);
  const out = join(here, 'out', 'demo');
  const demo = spawn(cqes, ['demo', 'identify', '--manual', '--json', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  demo.stdout.on('data', (d) => { stdout += d; });
  const urls = [];
  const waiters = [];
  let stderr = '';
  demo.stderr.on('data', (d) => {
    stderr += d;
    for (const m of String(d).matchAll(/the customer opens: (\S+)/g)) {
      urls.push(m[1]);
      waiters.shift()?.();
    }
  });
  const exited = new Promise((resolve) => demo.on('exit', resolve));
  const nextUrl = (i) => urls.length > i ? Promise.resolve(urls[i]) : new Promise((resolve) => waiters.push(() => resolve(urls[i])));

  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });

    // 1. Video identification page.
    const identUrl = await nextUrl(0);
    assert.match(identUrl, /^http:\/\/127\.0\.0\.1:\d+\/session\/[0-9a-f-]{36}$/);
    await page.goto(identUrl);
    assert.equal(await page.textContent('h1'), 'Video identification');
    assert.match(await page.textContent('#reason'), /cqes demo/);
    const identShot = await shot(page, '1-identification');
    await page.selectOption('#user', '1');
    await Promise.all([page.waitForURL(/\/done$/), page.click('#complete')]);
    assert.match(await page.textContent('h1'), /Back at the relying party/);

    // 2. Document page: the SMS code is shown in the sandbox; a wrong code is refused.
    const docUrl = await nextUrl(1);
    assert.match(docUrl, /\/cqes\/api\/web-identification\/[0-9a-f]{64}$/);
    await page.goto(docUrl);
    assert.match(await page.textContent('#documents'), /cqes demo contract/);
    const docShot = await shot(page, '2-documents');
    assert.notDeepEqual(identShot, docShot, 'two different pages');
    const otp = (await page.textContent('#otp')).trim();
    assert.match(otp, /^\d{6}$/);
    await page.fill('#otp-input', otp === '000000' ? '111111' : '000000');
    await page.click('#sign');
    await page.waitForSelector('#error');
    await shot(page, '3-wrong-code');
    await page.fill('#otp-input', otp);
    await Promise.all([page.waitForURL(/\/done$/), page.click('#sign')]);
  } finally {
    await browser.close();
  }

  const code = await exited;
  assert.equal(code, 0, `the demo finished: ${stderr}`);
  const summary = JSON.parse(stdout);
  assert.equal(summary.signedDocuments.length, 1);
  const signed = readFileSync(summary.signedDocuments[0]);
  assert.equal(signed.subarray(0, 5).toString(), '%PDF-');
  assert.ok(statSync(summary.eidCertificate).size > 1000, 'the eID certificate was written');
});

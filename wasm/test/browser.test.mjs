// The demo page and a subset of the vectors in headless Chromium (Debian's chromium +
// playwright-core, as tests/browser does). The previewed body is compared byte for byte
// with what the native core builds (cqes-wasm-native), and each screenshot is checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// cargo's target directory: CARGO_TARGET_DIR (relative to the repository, as cargo reads it) or target/.
const native = process.env.CQES_WASM_NATIVE
  ?? join(resolve(root, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug', 'cqes-wasm-native');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = fileURLToPath(new URL('./out/', import.meta.url));
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

let server, browser, page, base;
before(async () => {
  assert.ok(existsSync(browserPath), `Chromium is required: ${browserPath}`);
  server = await serve();
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.on('pageerror', (e) => { throw e; });
});
after(async () => { await browser?.close(); server?.close(); });

/** Width, height and distinct byte values of a PNG (a blank page has very few). */
function inspectPng(buf) {
  const width = buf.readUInt32BE(16), height = buf.readUInt32BE(20);
  const idat = [];
  for (let off = 8; off < buf.length;) {
    const len = buf.readUInt32BE(off);
    if (buf.toString('latin1', off + 4, off + 8) === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  return { width, height, distinct: new Set(inflateSync(Buffer.concat(idat))).size };
}

async function shot(name) {
  mkdirSync(shots, { recursive: true });
  const png = await page.screenshot();
  writeFileSync(`${shots}${name}.png`, png);
  const { width, height, distinct } = inspectPng(png);
  assert.deepEqual([width, height], [1100, 800]);
  assert.ok(distinct > 40, `${name}: not blank (${distinct})`);
}

const issues = (field) => page.$$eval(`.issues[data-field="${field}"] li`, (lis) => lis.map((li) => ({ code: li.dataset.code, text: li.textContent })));

test('the form shows every issue in place, in Bulgarian and English, and previews the exact body', { timeout: 60_000 }, async () => {
  await page.goto(`${base}/demo/index.html`);
  await page.waitForSelector('body[data-ready="true"]');

  // An EGN with a wrong check digit: its error under the signer field, in both languages.
  await page.fill('#personalId', '7501010011');
  let egn = await issues('personalId');
  assert.equal(egn.length, 1, JSON.stringify(egn));
  assert.equal(egn[0].code, 'checksum');
  assert.match(egn[0].text, /Контролната цифра/);
  assert.match(egn[0].text, /[a-z]{4}/i);
  assert.ok(await page.$eval('#personalId', (el) => el.classList.contains('bad')));
  // No document yet: that issue belongs to the documents field.
  assert.match((await issues('files'))[0].text, /Изберете поне един документ/);
  await shot('invalid-egn');

  // A text file with a PAdES signature type is refused as not a PDF.
  await page.fill('#personalId', '7501010010');
  assert.deepEqual(await issues('personalId'), []);
  await page.setInputFiles('#files', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just text') });
  await page.waitForSelector('.issues[data-field="files"] li[data-code="not_pdf"]');
  assert.match((await issues('files'))[0].text, /notes\.txt: .*PDF/);
  assert.equal(await page.evaluate(() => window.cqesBody), null);
  await shot('not-pdf');

  // A valid request: the preview is the body the native core builds, byte for byte.
  await page.setInputFiles('#files', { name: 'договор.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.waitForSelector('body[data-issues="0"]');
  const body = await page.evaluate(() => window.cqesBody);
  const request = {
    operation: 'btrust.sendSignRequest',
    config: { environment: 'uat', relyingPartyId: '12345678', language: 'bg' },
    input: { identity: { personalId: '7501010010' }, request: { contents: [{
      confirmText: 'Договор за кредит / Loan agreement', contentFormat: 'BINARY_BASE64',
      data: { $bytes: PDF.toString('base64') }, fileName: 'договор.pdf', signatureType: 'PADES_BASELINE_B',
      padesVisualSignature: true,
      signaturePosition: { pageNumber: 1, imageXAxis: 40, imageYAxis: 700, imageWidth: 150, imageHeight: 50 },
    }] } },
  };
  const expected = execFileSync(native, ['body'], { input: JSON.stringify(request) }).toString('utf8');
  assert.equal(body, expected);
  assert.equal(await page.textContent('#body'), expected);
  assert.match(await page.textContent('#status'), /No issues/);
  await shot('valid-preview');

  // Position on a page that does not exist (0) is caught under the position fields.
  await page.fill('#pageNumber', '0');
  assert.ok((await issues('signaturePosition')).length >= 1);
});

test('a subset of the conformance vectors passes in Chromium', { timeout: 60_000 }, async () => {
  const files = ['requests/signing.json', 'validation/rules.json', 'validation/operations.json', 'responses/poll.json', 'flows/sign.json'];
  const result = await page.evaluate(async (files) => {
    const m = await import('/dist/full/cqes_wasm.js');
    await m.default();
    const { runCase } = await import('/test/vectors.mjs');
    const state = { rows: {}, tables: {} };
    let passed = 0;
    const failed = [];
    for (const f of files) {
      const file = await (await fetch(`/vectors/${f}`)).json();
      for (const c of file.cases) {
        try { runCase(m, f.split('/')[0], file, c, state); passed++; } catch (e) { failed.push(`${f} ${c.name}: ${e.message}`); }
      }
    }
    return { passed, failed };
  }, files);
  assert.deepEqual(result.failed, []);
  assert.ok(result.passed > 100, String(result.passed));
});

// A whole signing flow through the wasm module, over real mutual TLS against the B-Trust
// sandbox (`cqes sandbox serve`): what an edge runtime with a client-certificate `fetch` does.
// The transport is node:https here; the flow, ids, polling and decisions are the core's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Flow } from '../node.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// cargo's target directory: CARGO_TARGET_DIR (relative to the repository, as cargo reads it) or target/.
const cqes = process.env.CQES_BIN ?? join(resolve(root, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug', 'cqes');
// A minimal one-page PDF (the sandbox signs PAdES as a real incremental update).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R]'
  + ' /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n'
  + '0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n'
  + '<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n');
const FAST = { poll: { firstPollAfterMs: 50, intervalMs: 50, maxIntervalMs: 200, backoffFactor: 1.5, jitterRatio: 0.2,
  retryDelayMs: 50, maxConsecutiveFailures: 5, expiryGraceMs: 1000, defaultValidityMs: 60000 } };

let proc, info, tls;
before(async () => {
  assert.ok(existsSync(cqes), `build the CLI first (cargo build -p cqes-cli): ${cqes}`);
  const certs = mkdtempSync(join(tmpdir(), 'cqes-wasm-'));
  proc = spawn(cqes, ['--json', 'sandbox', 'serve', '--port', '0', '--control-port', '0', '--pages-port', '0', '--certs', certs],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  info = JSON.parse(await new Promise((resolve, reject) => {
    proc.stdout.once('data', (d) => resolve(String(d).split('\n')[0]));
    proc.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
  }));
  tls = { cert: readFileSync(join(certs, 'rp-12345678.pem')), key: readFileSync(join(certs, 'rp-12345678.key')), ca: readFileSync(join(certs, 'ca.pem')) };
});
after(() => proc?.kill('SIGINT'));

/** The host's whole job: send what the core built, over mTLS, and hand back what came in. */
function send(req) {
  return new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers: Object.fromEntries(req.headers), ...tls, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: Object.entries(res.headers).map(([k, v]) => [k, String(v)]),
        body: new Uint8Array(Buffer.concat(chunks)) }));
    });
    r.on('error', reject);
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.end(req.body.length ? Buffer.from(req.body) : undefined);
  });
}

async function control(method, path, body) {
  const res = await fetch(info.controlUrl + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

test('a sign flow runs to its signed documents over mTLS, driven from JavaScript', { timeout: 60_000 }, async () => {
  await control('PUT', '/behavior', { mode: 'approve', afterMs: 200 });
  const config = { environment: info.baseUrl, relyingPartyId: '12345678', identificationUrl: info.pagesUrl };
  const flow = Flow.start('btrust.sign', config, { identity: { personalId: '7501010010' }, request: { contents: [
    { confirmText: 'Договор', contentFormat: 'BINARY_BASE64', data: new Uint8Array(PDF), fileName: 'c.pdf', signatureType: 'PADES_BASELINE_B' }] } }, FAST);
  let step, sent = 0;
  for (;;) {
    step = flow.next(Date.now());
    if (step.step === 'send') {
      sent++;
      try {
        flow.handleResponse(step.id, await send(step.request), Date.now());
      } catch (e) {
        if (e.name === 'CqesError') throw e;
        flow.handleTransportError(step.id, 'io', Date.now());
      }
    } else if (step.step === 'wait') {
      await new Promise((ok) => setTimeout(ok, Math.max(0, (step.untilMs ?? Date.now() + 50) - Date.now())));
    } else break;
  }
  assert.equal(step.step, 'done', JSON.stringify(step));
  assert.ok(sent >= 3, `sign, poll and download (${sent} requests)`);
  assert.equal(step.items.length, 1);
  assert.equal(step.items[0].status, 'SIGNED');
  const pdf = Object.values(step.items[0].document).find((v) => v instanceof Uint8Array && v.length > PDF.length);
  assert.ok(pdf, 'a signed document larger than the original');
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
  flow.free();
});

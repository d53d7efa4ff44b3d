// Benchmark (not a test): validate + build a sign request for a 10 MiB PDF in wasm (Node) and
// in the native core (cqes-wasm-native, release) in the same run, and the module's load +
// instantiate time in Node and in headless Chromium. `node wasm/bench.mjs` after wasm/build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const MIB = 10, ROUNDS = 15;
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];

// Load + instantiate in Node: compile the bytes and instantiate through wasm-bindgen's glue.
const glue = await import('./dist/full/cqes_wasm.js');
const bytes = readFileSync(here('./dist/full/cqes_wasm_bg.wasm'));
let t = performance.now();
glue.initSync({ module: new WebAssembly.Module(bytes) });
const nodeLoad = performance.now() - t;

// The same bytes as cqes-wasm-native's `pdf`.
const doc = new Uint8Array(9 + MIB * 1024 * 1024 + 7);
doc.set(new TextEncoder().encode('%PDF-1.7\n'));
for (let i = 0; i < MIB * 1024 * 1024; i++) doc[9 + i] = i % 251;
doc.set(new TextEncoder().encode('\n%%EOF\n'), doc.length - 7);
const config = { environment: 'uat', relyingPartyId: '12345678' };
const input = { identity: { personalId: '7501010010' }, request: { contents: [{ confirmText: 'Contract',
  contentFormat: 'BINARY_BASE64', fileName: 'contract.pdf', signatureType: 'PADES_BASELINE_B', data: doc }] } };
const times = [];
for (let r = 0; r < ROUNDS; r++) {
  t = performance.now();
  const req = glue.buildRequest('btrust.sendSignRequest', config, input);
  times.push(performance.now() - t);
  if (req.body.length < doc.length) throw new Error('short body');
}
const wasmMs = median(times);

execFileSync('cargo', ['build', '-q', '--release', '-p', 'cqes-wasm-native'], { cwd: here('..'), stdio: 'inherit' });
const targetDir = resolve(here('..'), process.env.CARGO_TARGET_DIR ?? 'target');
const nativeMs = Number(execFileSync(`${targetDir}/release/cqes-wasm-native`, ['bench', String(MIB), String(ROUNDS)]).toString());

// Load + instantiate in Chromium: fetch, compile and instantiate the module in a page.
const { chromium } = await import('playwright-core');
const { serve } = await import('./test/serve.mjs');
const server = await serve();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/demo/index.html`);
const chromiumLoad = await page.evaluate(async () => {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const m = await import(`/dist/full/cqes_wasm.js?${i}`);
    await m.default({ module_or_path: `/dist/full/cqes_wasm_bg.wasm?${i}` });
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[2];
});
await browser.close();
server.close();

console.log(`validate + build, ${MIB} MiB PDF sign request (median of ${ROUNDS}):`);
console.log(`  wasm (Node ${process.version}) ${wasmMs.toFixed(1)} ms, native ${nativeMs.toFixed(1)} ms, ratio ${(wasmMs / nativeMs).toFixed(2)}x`);
console.log(`load + instantiate: Node ${nodeLoad.toFixed(1)} ms, Chromium ${chromiumLoad.toFixed(1)} ms (fetch + compile + init, median of 5)`);

// Benchmarks of the Node binding (not a test: it prints figures; targets are reported, not
// enforced).
// 1. A sign request around a 10 MiB PDF: cqes (input → core → HttpRequest) vs what a
//    hand-written client does (Buffer.toString('base64') + JSON.stringify). Target ≥ 3×.
// 2. The same build inside the Rust core alone (input read beforehand): binding / core ratio.
// 3. A small build + parse round trip through Client with an in-memory transport. Target ≤ 10 µs.
//    node dist-test/benchmarks/bench.js [--quick]
import { Client, _native as native } from 'cqes';
import type { HttpRequest } from 'cqes';

const MIB = 1 << 20;
const EGN = '7501010010';
const quick = process.argv.includes('--quick');

/** Seconds per call: the best of `repeat` samples of `number` calls (neighbours add noise,
 * never speed). */
function best(fn: () => unknown, repeat: number, number = 1): number {
  let min = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < number; i++) fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t0) / 1e9 / number);
  }
  return min;
}

function document(size: number): Buffer {
  const pattern = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 31 + 7) & 0xff));
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), ...Array(Math.ceil(size / 256)).fill(pattern)]).subarray(0, size);
}

const pdf = document(10 * MIB);
const input = {
  identity: { personalId: EGN },
  request: {
    contents: [{ confirmText: 'Loan agreement', contentFormat: 'BINARY_BASE64', data: pdf, fileName: 'agreement.pdf', signatureType: 'PADES_BASELINE_B' }],
    relyingPartyCallbackId: 'bench-1',
  },
};
const config = new native.NativeConfig({ environment: 'uat', relyingPartyId: '12345678' });
const cqesBuild = () => native.build('btrust.sendSignRequest', config, input);
function plainBuild() {
  const body = Buffer.from(JSON.stringify({
    contents: [{ confirmText: 'Loan agreement', contentFormat: 'BINARY_BASE64', data: pdf.toString('base64'), fileName: 'agreement.pdf', signatureType: 'PADES_BASELINE_B' }],
    relyingPartyCallbackId: 'bench-1',
  }));
  const headers = [['Accept', 'application/json'], ['Content-Type', 'application/json'], ['relyingPartyID', '12345678']];
  return { url: `https://cqes-rpuat.b-trust.bg/signing-api/v2/sign/personalId:${EGN}`, headers, body };
}

// Same output, so the comparison is fair.
const built: HttpRequest = cqesBuild();
if (!Buffer.from(built.body).equals(plainBuild().body)) throw new Error('cqes and the plain build differ');

const repeat = quick ? 5 : 15;
const c = best(cqesBuild, repeat);
const p = best(plainBuild, repeat);
const core = native._benchCoreBuild('btrust.sendSignRequest', config, input, repeat);
const f = (s: number) => `${(s * 1e3).toFixed(2).padStart(8)} ms ${(10 / s).toFixed(0).padStart(7)} MiB/s`;
console.log(`node: build a sign request for a 10 MiB PDF (best of ${repeat})`);
console.log(`  cqes                         ${f(c)}`);
console.log(`  JSON.stringify + base64      ${f(p)}`);
console.log(`  Rust core alone              ${f(core)}`);
console.log(`  cqes is ${(p / c).toFixed(2)}x faster than plain Node (target >= 3x: ${p / c >= 3 ? 'met' : 'MISSED'}); binding / core = ${(c / core).toFixed(2)}`);

const answer = Buffer.from(JSON.stringify({
  responseCode: 'IN_PROGRESS', code: 'IN_PROGRESS', message: 'in progress',
  data: { signatures: [{ signature: null, signatureType: 'PADES_BASELINE_B', status: 'IN_PROGRESS' }], cert: null },
}));
const canned = { send: async () => ({ status: 206, headers: [['content-type', 'application/json']] as [string, string][], body: answer }) };
const client = new Client({ environment: 'uat', relyingPartyId: '12345678', transport: canned });
const callbackId = '351f00e7-c0c2-4ffb-967d-2b8220e0806e';

/** [wall, CPU] seconds per round trip: CPU time is what the call costs this process, without
 * the time busy neighbours on a shared machine take. */
async function roundTrips(n: number): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await client.getSignedResult({ callbackId });
  const c = process.cpuUsage(c0);
  return [Number(process.hrtime.bigint() - t0) / 1e9 / n, (c.user + c.system) / 1e6 / n];
}

async function main(): Promise<void> {
  const r = await client.getSignedResult({ callbackId });
  if (r.httpStatus !== 206 || r.data.signatures[0]?.status !== 'IN_PROGRESS') throw new Error('unexpected parse');
  const [n, samples] = quick ? [2_000, 7] : [10_000, 15];
  let min = Infinity;
  let cpu = Infinity;
  for (let s = 0; s < samples; s++) {
    const [wall, used] = await roundTrips(n);
    min = Math.min(min, wall);
    cpu = Math.min(cpu, used);
  }
  const rawOnly = best(() => {
    native.build('btrust.getSignedResult', config, { callbackId });
    native.parse('btrust.getSignedResult', 206, [], answer);
  }, samples, n);
  console.log('node: small round trip (client.getSignedResult: input → build → transport → parse → output)');
  console.log(`  ${(min * 1e6).toFixed(1)} us per call (best of ${samples} x ${n}; target <= 10 us: ${min * 1e6 <= 10 ? 'met' : 'MISSED'}); CPU time ${(cpu * 1e6).toFixed(1)} us per call; of which native build + parse ${(rawOnly * 1e6).toFixed(1)} us`);
}
main().catch((e) => { console.error(e); process.exit(1); });

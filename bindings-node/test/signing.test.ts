// Signing end to end against the sandbox over mutual TLS.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError, Client, CqesError, SigningExpired, SigningRejected, TransportError, UnexpectedResponseError, ValidationError,
} from 'cqes';
import type { Content, Progress, SignOutcome } from 'cqes';
import { EGN, pdf, reset, startSandbox, type Sandbox } from './sandbox';

let sb: Sandbox;
let client: Client;
before(async () => { sb = await startSandbox(); client = new Client(sb.options()); });
after(async () => { await client.close(); await sb.stop(); });
beforeEach(() => reset(sb));

const IVAN = { personalId: EGN };
const contract = (fileName = 'contract.pdf', signatureType: Content['signatureType'] = 'PADES_BASELINE_B'): Content => ({
  confirmText: 'Please sign the contract', contentFormat: 'BINARY_BASE64', data: pdf(), fileName, signatureType,
});

function checkSignedPdf(out: SignOutcome): void {
  const signed = Buffer.from(out.items[0]!.document!.content);
  assert.ok(signed.subarray(0, pdf().length).equals(pdf()), 'an incremental update of the original');
  const update = signed.subarray(pdf().length);
  assert.ok(update.includes('/ByteRange') && update.includes('/ETSI.CAdES.detached'), 'a PAdES signature field');
}

test('sign a PDF and report progress', async () => {
  await sb.behave('approve', 150);
  const seen: Progress[] = [];
  const out = await client.sign({ identity: IVAN, request: { contents: [contract()] } }, { progress: (p) => seen.push(p) });
  checkSignedPdf(out);
  assert.equal(out.items[0]!.status, 'SIGNED');
  assert.ok(out.rpCallbackId, 'derived by the core from the entropy the client hands over');
  const states = seen.map((p) => p.state);
  assert.ok(states.includes('polling') && states[0] !== states.at(-1), String(states));
  assert.ok(!JSON.stringify(seen).includes(EGN));
});

test('PDF, CAdES and DIGEST in one request; a Uint8Array and a string both reach the core', async () => {
  await sb.behave('approve', 100);
  const digest = crypto.createHash('sha256').update('some invoice').digest('base64');
  const out = await client.sign({
    identity: IVAN,
    request: {
      contents: [
        { ...contract(), data: new Uint8Array(pdf()) },
        contract('detached.pdf', 'CADES_BASELINE_B_DETACHED'),
        { confirmText: 'Sign the invoice digest', contentFormat: 'DIGEST', data: digest, hashAlgorithm: 'SHA256', signatureType: 'SIGNATURE' },
      ],
      relyingPartyCallbackId: 'node-order-42',
    },
  });
  assert.equal(out.rpCallbackId, 'node-order-42');
  assert.deepEqual(out.items.map((i) => i.index), [0, 1, 2]);
  checkSignedPdf(out);
  assert.equal(out.items[1]!.document!.content[0], 0x30, 'CMS (DER)');
  assert.ok(out.items[2]!.signature, 'a raw signature value');
  assert.ok(out.cert, 'the signing certificate comes with SIGNATURE items');
});

test('rejection and expiry are SigningRejected and SigningExpired', async () => {
  await sb.behave('reject', 50);
  const input = { identity: IVAN, request: { contents: [contract()] } };
  await assert.rejects(client.sign(input), (e: unknown) => {
    assert.ok(e instanceof SigningRejected && e instanceof CqesError && e instanceof Error);
    assert.equal(e.error, 'rejected');
    assert.ok(e.requestId);
    assert.equal(e.items[0]!.status, 'REJECTED');
    return true;
  });
  await sb.behave('ignore');
  const flow = client.startSign(input);
  assert.equal(await flow.runPending(), undefined, 'submitted; now waiting for the user');
  await sb.control('POST', '/clock/advance', { ms: 3_600_000 });
  await assert.rejects(flow.run(), SigningExpired);
});

test('QR signing shows the code first (progress as an async iterator)', async () => {
  await sb.behave('approve', 200);
  const flow = client.startSignViaQr({ request: { content: contract() }, qrWidth: 200, qrHeight: 200 });
  const shown: Progress['userAction'][] = [];
  for await (const p of flow) if (p.userAction?.action === 'show_qr') shown.push(p.userAction);
  const out = await flow.run();
  checkSignedPdf(out);
  const qr = shown[0];
  assert.ok(qr && qr.action === 'show_qr' && qr.qrImage && Buffer.from(qr.qrImage).subarray(0, 4).equals(Buffer.from('\x89PNG', 'latin1')));
});

test('a flow resumes in another worker from its snapshot', async () => {
  const first = new Client(sb.options());
  const flow = first.startSign({ identity: IVAN, request: { contents: [contract()] } });
  assert.equal(await flow.runPending(), undefined);
  const snapshot = flow.snapshot();
  await first.close();
  const pending = (await sb.control('GET', '/requests?state=pending')).requests;
  assert.equal(pending.length, 1);
  await sb.control('POST', `/requests/${pending[0].callbackId}/approve`);
  const second = new Client(sb.options());
  const out = (await second.resume(snapshot).run()) as SignOutcome;
  await second.close();
  checkSignedPdf(out);
  const stored = (await sb.control('GET', '/requests')).requests.filter((r: any) => r.rpCallbackId === out.rpCallbackId);
  assert.equal(stored.length, 1, 'exactly one sign request across both workers');
  assert.throws(() => client.resume('{"not":"a snapshot"}'), CqesError);
});

test('operations one by one', async () => {
  const cert = await client.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN });
  assert.equal(cert.httpStatus, 200);
  assert.equal(cert.data.encodedCert?.[0], 0x30);
  const accepted = await client.sendSignRequest({ identity: IVAN, request: { contents: [contract()] } } as any);
  const callbackId = accepted.data.callbackId;
  const polled = await client.getSignedResult({ callbackId });
  assert.equal(polled.httpStatus, 206);
  await sb.control('POST', `/requests/${callbackId}/approve`);
  const done = await client.getSignedResult({ callbackId });
  assert.equal(done.data.signatures[0]!.status, 'SIGNED');
  const file = await client.getSignedContent({ id: done.data.signatures[0]!.signature! });
  assert.ok(Buffer.from(file.content).subarray(0, pdf().length).equals(pdf()));
  await assert.rejects(client.getSignedResult({ callbackId: 'no-such-request' }), (e: unknown) => e instanceof ApiError && e.httpStatus === 404);
});

test('invalid input names the field and never the value', async () => {
  await assert.rejects(client.sign({ identity: { personalId: '7501010011' }, request: { contents: [] } }), (e: unknown) => {
    assert.ok(e instanceof ValidationError);
    const paths = e.issues.map((i) => i.path).join(' ');
    assert.ok(paths.includes('personalId') && paths.includes('contents'), paths);
    assert.ok(!JSON.stringify(e.issues).includes('7501010011') && !e.message.includes('7501010011'));
    return true;
  });
});

test('refused without a client certificate, and with an unregistered one', async () => {
  const { cert, key, ...noCert } = sb.options();
  void cert; void key;
  const anonymous = new Client(noCert);
  await assert.rejects(anonymous.getCert({ profileId: '032-552574' }), (e: unknown) => e instanceof TransportError && e.kind === 'tls' || (console.error(e), false));
  await anonymous.close();
  const stranger = new Client({ ...noCert, cert: path.join(sb.certs, 'unregistered.pem'), key: path.join(sb.certs, 'unregistered.key') });
  await assert.rejects(stranger.getCert({ profileId: '032-552574' }), (e: unknown) => e instanceof TransportError || e instanceof ApiError);
  await stranger.close();
});

test('every way to give the client certificate', async () => {
  const { cert, key, ...base } = sb.options();
  const p12 = path.join(sb.certs, 'rp-12345678.p12');
  for (const identity of [
    { certPem: fs.readFileSync(cert as string, 'utf8'), keyPem: fs.readFileSync(key as string) },
    { pkcs12: p12, pkcs12Password: 'cqes' },
    { pkcs12: fs.readFileSync(p12), pkcs12Password: 'cqes' },
  ]) {
    const c = new Client({ ...base, ...identity });
    assert.equal((await c.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN })).httpStatus, 200);
    await c.close();
  }
  const issue = (path: string) => (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === path;
  assert.throws(() => new Client({ ...base, pkcs12: p12, pkcs12Password: 'wrong' }), issue('pkcs12'));
  assert.throws(() => new Client({ ...base, cert: cert!, key: path.join(sb.certs, 'ca.pem') }), issue('key'));
  assert.throws(() => new Client({ ...base, cert: cert!, key: key!, pkcs12: p12 }), issue('identity'));
  assert.throws(() => new Client({ ...base, cert: path.join(sb.certs, 'missing.pem'), key: key! }), (e: unknown) => e instanceof ValidationError && e.issues[0]!.path === 'cert');
});

test('redirects are never followed', async () => {
  await sb.control('PUT', '/faults', { rules: [{ operation: 'btrust.getCertByIdentity', rate: 1.0, kinds: ['redirect'] }] });
  const count = async () => Number((await sb.control('GET', '/stats')).stats.requests['btrust.getCertByIdentity'] ?? 0);
  const before = await count();
  await assert.rejects(client.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN }), (e: unknown) => e instanceof UnexpectedResponseError && e.httpStatus === 302);
  assert.equal(await count(), before + 1, 'sent once, not followed');
});

test('timeout and abort', async () => {
  await sb.control('PUT', '/faults', { rules: [{ operation: 'btrust.getCertByIdentity', rate: 1.0, kinds: ['slow'] }] });
  const impatient = new Client({ ...sb.options(), timeout: 200 });
  await assert.rejects(impatient.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN }), (e: unknown) => e instanceof TransportError && e.kind === 'timeout');
  await impatient.close();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(client.getCertByIdentity({ identificatorType: 'EGN', identityValue: EGN }, { signal: ac.signal }), { name: 'AbortError' });
  // A waiting flow stops too, and its snapshot stays usable.
  await sb.control('PUT', '/faults', {});
  const flow = client.startSign({ identity: IVAN, request: { contents: [contract()] } });
  const ac2 = new AbortController();
  setTimeout(() => ac2.abort(), 300);
  await assert.rejects(flow.run({ signal: ac2.signal }), { name: 'AbortError' });
  assert.ok(client.resume(flow.snapshot()));
});

test('20 flows with 30 % faults: all signed, one stored request each, no duplicates', async () => {
  await sb.behave('approve', 50);
  await sb.control('PUT', '/faults', { seed: 7, rules: [{ operation: '*', rate: 0.3, kinds: ['error', 'error_after_commit', 'malformed', 'empty', 'commit_then_drop', 'drop'] }] });
  const outs = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    client.sign({ identity: IVAN, request: { contents: [contract()], relyingPartyCallbackId: `node-fault-${i}` } })));
  assert.ok(outs.every((o) => o.items[0]!.document));
  const stored = (await sb.control('GET', '/requests')).requests;
  for (let i = 0; i < 20; i++) assert.equal(stored.filter((r: any) => r.rpCallbackId === `node-fault-${i}`).length, 1);
  const stats = await sb.control('GET', '/stats');
  assert.ok(Object.values(stats.faultsInjected as Record<string, number>).reduce((a, b) => a + b, 0) >= 10);
  assert.deepEqual(stats.rpCallbackIdsStoredMoreThanOnce, []);
});

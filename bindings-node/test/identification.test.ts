// Remote Identification end to end against the sandbox: B-Trust Mobile, web identification
// woken by callbacks (the customer pages driven over HTTP), signing with a one-time certificate.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SigningExpired, SigningRejected, ValidationError } from 'cqes';
import type { DocumentForSign, Language, RegistrationRequest, WebIdentificationFlowInput } from 'cqes';
import { EGN, pdf, Receiver, reset, startSandbox, type Sandbox } from './sandbox';

let sb: Sandbox;
let client: Client;
let receiver: Receiver;
before(async () => { sb = await startSandbox(); client = new Client(sb.options()); });
after(async () => { await client.close(); await sb.stop(); });
beforeEach(async () => { await reset(sb); receiver?.close(); receiver = await new Receiver().start(); });
after(() => receiver?.close());

const IVAN = { docType: 'EGN', identificatorValue: EGN, dateOfBirth: '01-01-1975' } as const;
const registration = (userLanguage: Language = 'en'): RegistrationRequest => ({
  cancelUrl: `${receiver.url}/cancel`, successUrl: `${receiver.url}/ok`, externalRef: 'order-1', userLanguage,
  verifyEmailAddress: true, verifyPhoneNumber: true, deviceFingerprint: {},
});
const webInput = (language?: Language): WebIdentificationFlowInput => ({
  requestCallbackUrl: `${receiver.url}/cb`, identificationReason: 'Opening an account', registration: registration(language),
  onlyMetadata: false, withoutOtc: false,
});
const documents = (): DocumentForSign[] => ['a', 'b'].map((n) => ({ contentAsBase64: pdf(), fileName: `${n}.pdf`, legalFileName: `Document ${n}`, padesVisualSignature: false }));

test('mobile identification returns the eID certificate', async () => {
  await sb.behave('approve', 150);
  const out = await client.identifyMobile({ personIdentityData: IVAN, identificationReason: 'Opening an account', phoneNumber: '+359888133443', email: 'ivan.petrov@example.bg', payer: 'RELYING_PARTY' });
  assert.ok(out.eidCertificate && Buffer.from(out.eidCertificate).subarray(0, 4).toString() === '%PDF');
  assert.equal(out.identificator?.length, 64);
  assert.equal(out.identificationBefore, 'Demo Bank');
});

test('mobile identification: rejected, then expired', async () => {
  await sb.behave('reject', 50);
  await assert.rejects(client.identifyMobile({ personIdentityData: IVAN, identificationReason: 'KYC' }), SigningRejected);
  await sb.behave('ignore');
  const flow = client.startIdentifyMobile({ personIdentityData: IVAN, identificationReason: 'KYC' });
  assert.equal(await flow.runPending(), undefined);
  await sb.control('POST', '/clock/advance', { ms: 3_600_000 });
  await assert.rejects(flow.run(), SigningExpired);
});

test('web identification then one-time signing, woken by callbacks', async () => {
  await sb.behave('approve', 200);
  // Slow polling: only the callbacks can make these flows finish quickly.
  const slow = { poll: { firstPollAfterMs: 30_000, intervalMs: 30_000, maxIntervalMs: 30_000 } };
  const flow = client.startIdentifyWeb(webInput(), { flowOptions: slow });
  receiver.onCallback = (body) => flow.handleCallback(body);
  const links: string[] = [];
  const started = Date.now();
  const ident = await flow.run({ progress: (p) => { if (p.userAction?.action === 'open_url') links.push(p.userAction.url); } });
  assert.ok(links[0]?.startsWith(`${sb.pagesUrl}/session/`));
  assert.equal(ident.processState, 'CREATE_SIGN_SESSION_REQUEST');
  assert.ok(ident.eidDocument && Buffer.from(ident.eidDocument).subarray(0, 4).toString() === '%PDF');
  const reg = await client.getRegistrationStatus({ registrationId: ident.registrationId });
  assert.deepEqual([reg.data.status, reg.data.reviewStatus], ['FINALIZED', 'ALLOWED']);

  const sign = client.startSignWithOtc({
    identificator: ident.clientIdentificator!, signSessionId: ident.signSessionId!, documentsForSign: documents(),
    cancelUrl: `${receiver.url}/cancel`, successUrl: `${receiver.url}/ok`,
  }, { flowOptions: slow });
  receiver.onCallback = (body) => sign.handleCallback(body);
  const signed = await sign.run();
  assert.ok(Date.now() - started < 25_000, 'woken by callbacks, not by the 30 s poll');
  assert.deepEqual(signed.documents.map((d) => d.filename), ['a-signed.pdf', 'b-signed.pdf']);
  assert.ok(signed.documents.every((d) => Buffer.from(d.contentAsBase64).subarray(0, pdf().length).equals(pdf())));
  const event = client.parseIdentificationCallback(receiver.bodies.at(-1)!);
  assert.equal(event.relyingPartyId, '12345678');
  assert.ok(event.sessionId);
});

test('the customer pages drive the flow (over HTTP, as a browser would)', async () => {
  const flow = client.startIdentifyWeb(webInput('bg'));
  receiver.onCallback = (body) => flow.handleCallback(body);
  assert.equal(await flow.runPending(), undefined);
  const action = flow.progress.userAction;
  assert.ok(action?.action === 'open_url');
  const page = await (await fetch(action.url)).text();
  assert.ok(page.includes('Видео идентификация'), "the page speaks the registration's language");
  const done = await fetch(`${action.url}/complete`, { method: 'POST', body: new URLSearchParams({ user: '1' }) });
  assert.equal(await done.text(), 'landed');
  const ident = await flow.run();
  assert.equal(ident.processState, 'CREATE_SIGN_SESSION_REQUEST');
  assert.deepEqual(receiver.landed, ['ok']);
});

test('cancelling on the page is a rejection', async () => {
  await sb.behave('reject', 100);
  const flow = client.startIdentifyWeb(webInput());
  receiver.onCallback = (body) => flow.handleCallback(body);
  await assert.rejects(flow.run(), SigningRejected);
});

test('callback bodies are verified: another relying party, junk', () => {
  const body = { code: 'OK', relyingPartyId: 99999999, data: { processState: 'CREATE_SIGN_SESSION_REQUEST', sessionId: 's', resultId: 'r' } };
  assert.throws(() => client.parseIdentificationCallback(JSON.stringify(body)), ValidationError);
  assert.equal(client.parseIdentificationCallback(JSON.stringify({ ...body, relyingPartyId: 12345678 })).sessionId, 's');
  assert.throws(() => client.parseSignCallback('not json'), ValidationError);
});

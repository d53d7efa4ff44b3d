// Type-checked (tsc --strict, scripts/test-wasm), never run: the package's signatures accept
// the core's models and reject what they should.
import init, { buildRequest, checkRule, Flow, parseResponse, validate, type Issue } from '../index';

await init();
const config = { environment: 'uat', relyingPartyId: '12345678' } as const;
const input = {
  identity: { personalId: '7501010010' },
  request: { contents: [{ confirmText: 'x', contentFormat: 'BINARY_BASE64', data: new Uint8Array(4), signatureType: 'PADES_BASELINE_B' }] },
};
const issues: Issue[] = validate('btrust.sendSignRequest', config, input);
const body: Uint8Array = buildRequest('btrust.sendSignRequest', config, input).body;
const rule: string = checkRule('egn', '7501010010')[0]?.code ?? '';
const polled = parseResponse('btrust.getSignedResult', { status: 206, body: new Uint8Array() });
const code: string | undefined = polled.code ?? undefined;
const flow = Flow.start('btrust.sign', config, input);
const step = flow.next(Date.now());
if (step.step === 'send') flow.handleResponse(step.id, { status: 202 }, Date.now());
// @ts-expect-error: an unknown operation
validate('btrust.nope', config, input);
// @ts-expect-error: the input of another operation
buildRequest('btrust.getCert', config, input);
export { issues, body, rule, code };

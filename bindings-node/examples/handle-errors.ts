// Every error is a CqesError with a stable `error` code; none carries personal data.
import { ApiError, Client, SigningExpired, SigningRejected, ValidationError } from 'cqes';
import { samplePdf, settings, signerEgn } from './settings';

async function main(): Promise<void> {
  const client = new Client(settings);
  try {
    await client.sign({ identity: { personalId: '7501010011' }, request: { contents: [] } });
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    for (const issue of e.issues) console.log(`invalid: ${issue.path} (${issue.code})`);
  }
  try {
    await client.sign({
      identity: { personalId: signerEgn },
      request: { contents: [{ confirmText: 'Offer', contentFormat: 'BINARY_BASE64', data: samplePdf, fileName: 'o.pdf', signatureType: 'PADES_BASELINE_B' }] },
    });
  } catch (e) {
    if (e instanceof SigningRejected) console.log(`the customer declined request ${e.requestId}`);
    else if (e instanceof SigningExpired) console.log('the customer did not answer in time');
    else if (e instanceof ApiError) console.log(`B-Trust refused: HTTP ${e.httpStatus} ${e.responseCode}`);
    else throw e;
  }
  await client.close();
}
main().catch((e) => { console.error(e); process.exit(1); });

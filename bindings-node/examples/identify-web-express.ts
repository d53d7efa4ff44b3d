// Web identification, then signing with the one-time certificate it issues. B-Trust calls the
// relying party back: here an Express route hands each body to the waiting flow (across
// workers, resume the flow from its snapshot first).
import express from 'express';
import type { AddressInfo } from 'node:net';
import { Client, type Flow } from 'cqes';
import { samplePdf, settings } from './settings';

async function main(): Promise<void> {
  const client = new Client(settings);
  let waiting: Flow<unknown> | undefined;
  const app = express();
  app.post('/cqes/callback', express.raw({ type: '*/*' }), (req, res) => {
    try {
      waiting?.handleCallback(req.body as Buffer);
      res.sendStatus(200);
    } catch {
      res.sendStatus(400); // not ours, or not a callback: B-Trust retries real ones
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const here = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const identify = client.startIdentifyWeb({
    requestCallbackUrl: `${here}/cqes/callback`, identificationReason: 'Opening a current account',
    registration: {
      cancelUrl: 'https://bank.example.bg/onboarding/cancelled', successUrl: 'https://bank.example.bg/onboarding/done',
      externalRef: 'application-1001', userLanguage: 'en', verifyEmailAddress: true, verifyPhoneNumber: true, deviceFingerprint: {},
    },
    onlyMetadata: false, withoutOtc: false,
  });
  waiting = identify;
  const show = (p: { userAction: { action: string; url?: string } | null }) => {
    if (p.userAction?.action === 'open_url') console.log(`send the customer to ${p.userAction.url}`);
  };
  const identified = await identify.run({ progress: show });
  console.log('identified');

  const signing = client.startSignWithOtc({
    identificator: identified.clientIdentificator!, signSessionId: identified.signSessionId!,
    documentsForSign: [{ contentAsBase64: samplePdf, fileName: 'contract.pdf', legalFileName: 'Account contract' }],
    cancelUrl: 'https://bank.example.bg/sign/cancelled', successUrl: 'https://bank.example.bg/sign/done',
  });
  waiting = signing;
  const signed = await signing.run({ progress: show });
  for (const d of signed.documents) console.log(`signed with a one-time certificate: ${d.filename}`);
  server.close();
  await client.close();
}
main().catch((e) => { console.error(e); process.exit(1); });

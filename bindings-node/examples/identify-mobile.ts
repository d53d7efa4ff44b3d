// Identify a person through B-Trust Mobile; keep the eID certificate (a PDF).
import fs from 'node:fs';
import { Client } from 'cqes';
import { settings, signerEgn } from './settings';

async function main(): Promise<void> {
  const client = new Client(settings);
  const result = await client.identifyMobile({
    personIdentityData: { docType: 'EGN', identificatorValue: signerEgn, dateOfBirth: '01-01-1975' },
    identificationReason: 'Opening a current account',
  });
  fs.writeFileSync('eid.pdf', result.eidCertificate ?? new Uint8Array());
  console.log('eID saved as eid.pdf');
  await client.close();
}
main().catch((e) => { console.error(e); process.exit(1); });

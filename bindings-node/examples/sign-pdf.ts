// Sign a PDF: the customer confirms in B-Trust Mobile; `sign` resolves with the signed file.
import fs from 'node:fs';
import { Client } from 'cqes';
import { samplePdf, settings, signerEgn } from './settings';

async function main(): Promise<void> {
  const client = new Client(settings);
  const outcome = await client.sign(
    {
      identity: { personalId: signerEgn },
      request: {
        contents: [{
          confirmText: 'Loan agreement no. 42', contentFormat: 'BINARY_BASE64', data: samplePdf, // bytes: base64 happens in the core
          fileName: 'agreement.pdf', signatureType: 'PADES_BASELINE_B',
        }],
      },
    },
    { progress: (p) => console.log(`${p.state} (polls: ${p.polls})`) },
  );
  const signed = outcome.items[0]!.document!;
  fs.writeFileSync('signed.pdf', signed.content);
  console.log(`signed: signed.pdf (${signed.content.length} bytes)`);
  await client.close();
}
main().catch((e) => { console.error(e); process.exit(1); });

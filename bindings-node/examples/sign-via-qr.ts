// Sign by QR code: show the code (progress as an async iterator), then await the outcome.
import { Client } from 'cqes';
import { samplePdf, settings } from './settings';

async function main(): Promise<void> {
  const client = new Client(settings);
  const flow = client.startSignViaQr({
    request: { content: { confirmText: 'Annex 1', contentFormat: 'BINARY_BASE64', data: samplePdf, fileName: 'annex.pdf', signatureType: 'PADES_BASELINE_B' } },
    qrWidth: 256, qrHeight: 256,
  });
  for await (const p of flow) {
    if (p.userAction?.action === 'show_qr') console.log(`show this QR code: ${p.userAction.qrImage?.length} bytes of PNG`);
  }
  const outcome = await flow.run();
  console.log(`signed by QR: ${outcome.items.length} item(s)`);
  await client.close();
}
main().catch((e) => { console.error(e); process.exit(1); });

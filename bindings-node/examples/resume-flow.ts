// A web application does not block a worker while the customer reaches for their phone:
// start, send what is due, store the snapshot; finish wherever the next request lands.
import { Client, type SignOutcome } from 'cqes';
import { samplePdf, settings, signerEgn } from './settings';

async function main(): Promise<void> {
  const first = new Client(settings);
  const flow = first.startSign({
    identity: { personalId: signerEgn },
    request: { contents: [{ confirmText: 'Contract', contentFormat: 'BINARY_BASE64', data: samplePdf, fileName: 'c.pdf', signatureType: 'PADES_BASELINE_B' }] },
  });
  await flow.runPending(); // sends the request; resolves undefined while waiting
  const stored = flow.snapshot(); // versioned JSON; it holds personal data: store it like any
  await first.close();

  // later, in another process (a callback, or the customer's next page load):
  const second = new Client(settings);
  let outcome: SignOutcome | undefined;
  while (!(outcome = (await second.resume(stored).runPending()) as SignOutcome | undefined)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`finished in another worker: ${outcome.items.length} item(s) signed`);
  await second.close();
}
main().catch((e) => { console.error(e); process.exit(1); });

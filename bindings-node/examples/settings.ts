// Connection settings for the examples, from the environment (start a sandbox with
// `cqes sandbox serve --certs ./certs` and export what it prints):
//   CQES_ENV      "uat", "test" or a base URL     CQES_RP_ID   your relying-party id
//   CQES_CERT, CQES_KEY  client certificate and key (PEM)   CQES_CA  trusted CA (sandbox's ca.pem)
//   CQES_IDENTIFICATION_URL  where customers identify (the sandbox's pages URL)
import type { ClientOptions } from 'cqes';

const env = process.env;
export const settings: ClientOptions = {
  environment: env.CQES_ENV ?? 'https://127.0.0.1:8443/signing-api',
  relyingPartyId: env.CQES_RP_ID ?? '12345678',
  cert: env.CQES_CERT ?? 'certs/rp-12345678.pem',
  key: env.CQES_KEY ?? 'certs/rp-12345678.key',
  ...(env.CQES_CA ? { ca: env.CQES_CA } : {}),
  ...(env.CQES_IDENTIFICATION_URL ? { identificationUrl: env.CQES_IDENTIFICATION_URL } : {}),
};
export const signerEgn = env.CQES_EGN ?? '7501010010';

/** A one-page PDF, so the examples need no input file. */
export const samplePdf = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n' +
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n' +
    '0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n',
);

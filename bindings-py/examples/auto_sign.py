"""Automatic remote signing: the organisation's authorised signer consents once in B-Trust
Mobile, then documents are signed unattended with the access token.

    python auto_sign.py [invoice.pdf ...]

The token is a credential: keep it in a secret store, never in logs. `token_advice` says when
to ask for a new consent (30, 21, 14 days before expiry, then daily).
"""

from __future__ import annotations

import sys
from pathlib import Path

from cqes import ConsentRequiredError
from cqes.btrust import (
    ArsSignRequest,
    Client,
    ConsentRequest,
    Content,
    ContentFormat,
    Organisation,
    OrgIdentifierType,
    SignatureType,
    SignerIdentity,
    token_advice,
)

from _settings import client_settings, sample_pdf


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]]
    documents = [(f.name, f.read_bytes()) for f in files] or [(f"invoice-{n}.pdf", sample_pdf()) for n in (1, 2, 3)]
    with Client(**client_settings()) as client:
        consent = client.request_consent(
            identity=SignerIdentity(cert_id="7742"),  # the authorised signer's certificate id
            request=ConsentRequest(
                expiration_time=365,
                organisation=Organisation(
                    org_identifier="121234567", org_identifier_type=OrgIdentifierType.BULSTAT, org_name="Example Ltd",
                ),
                role="Manager",
                subject="Automatic signing of invoices",
            ),
        )
        expires = consent.expiration_date.epoch_ms if consent.expiration_date else None
        if expires is not None:
            advice = token_advice(expires)
            print(f"consent given: token valid for {advice.days_left} days (renew now: {advice.renew})")
        try:
            outcome = client.auto_sign(
                access_token=consent.access_token,
                request=ArsSignRequest(
                    contents=[
                        Content(
                            confirm_text=f"Invoice {name}", content_format=ContentFormat.BINARY_BASE64, data=data,
                            file_name=name, signature_type=SignatureType.PADES_BASELINE_B,
                        )
                        for name, data in documents
                    ]
                ),
                token_expires_at_ms=expires,
            )
        except ConsentRequiredError as e:
            print(f"a new consent is needed ({e.code})")
            raise SystemExit(2) from e
    for item in outcome.items:
        if item.document is not None:
            name = item.document.file_name or f"signed-{item.index}.pdf"
            Path(name).write_bytes(item.document.content)
            print(f"auto-signed: {name}")


if __name__ == "__main__":
    main()

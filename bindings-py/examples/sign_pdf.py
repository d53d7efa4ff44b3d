"""Sign a PDF with the signer's cloud qualified certificate (blocking client).

    python sign_pdf.py [in.pdf] [out.pdf]

The signer confirms in B-Trust Mobile; the flow polls until then and downloads the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cqes import Progress
from cqes.btrust import Client, Content, ContentFormat, SignatureType, SignerIdentity, SignRequest

from _settings import client_settings, sample_pdf, signer_egn


def show(p: Progress) -> None:
    print(f"  {p.state} (requests: {p.requests_sent}, polls: {p.polls})")


def main() -> None:
    source = Path(sys.argv[1]).read_bytes() if len(sys.argv) > 1 else sample_pdf()
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("signed.pdf")
    with Client(**client_settings()) as client:
        outcome = client.sign(
            identity=SignerIdentity(personal_id=signer_egn()),
            request=SignRequest(
                contents=[
                    Content(
                        confirm_text="Loan agreement no. 42",
                        content_format=ContentFormat.BINARY_BASE64,
                        data=source,  # bytes: base64 happens in the core
                        file_name="agreement.pdf",
                        signature_type=SignatureType.PADES_BASELINE_B,
                    )
                ]
            ),
            progress=show,
        )
    document = outcome.items[0].document
    assert document is not None
    target.write_bytes(document.content)
    print(f"signed: {target} ({len(document.content)} bytes), request {outcome.rp_callback_id}")


if __name__ == "__main__":
    main()

"""Sign with a QR code: the customer scans it with B-Trust Mobile (no EGN needed)."""

from __future__ import annotations

from pathlib import Path

from cqes import Progress
from cqes.btrust import Client, Content, ContentFormat, ShowQr, SignatureType, SignRequestWithSingleContent

from _settings import client_settings, sample_pdf


def show(p: Progress) -> None:
    if isinstance(p.user_action, ShowQr) and p.user_action.qr_image:
        Path("qr.png").write_bytes(p.user_action.qr_image)
        print(f"show qr.png to the customer (link: {p.user_action.qr_plain})")


def main() -> None:
    with Client(**client_settings()) as client:
        outcome = client.sign_via_qr(
            request=SignRequestWithSingleContent(
                content=Content(
                    confirm_text="Card application",
                    content_format=ContentFormat.BINARY_BASE64,
                    data=sample_pdf(),
                    signature_type=SignatureType.PADES_BASELINE_B,
                )
            ),
            qr_width=300,
            qr_height=300,
            progress=show,
        )
    print(f"signed by QR: {len(outcome.items)} item(s)")


if __name__ == "__main__":
    main()

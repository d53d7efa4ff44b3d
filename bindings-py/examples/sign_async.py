"""Sign several documents for several customers at once (asyncio client)."""

from __future__ import annotations

import asyncio

from cqes.btrust import AsyncClient, Content, ContentFormat, SignatureType, SignerIdentity, SignOutcome, SignRequest

from _settings import client_settings, sample_pdf, signer_egn


async def sign_one(client: AsyncClient, name: str) -> SignOutcome:
    return await client.sign(
        identity=SignerIdentity(personal_id=signer_egn()),
        request=SignRequest(
            contents=[
                Content(
                    confirm_text=f"Please sign {name}",
                    content_format=ContentFormat.BINARY_BASE64,
                    data=sample_pdf(),
                    file_name=name,
                    signature_type=SignatureType.PADES_BASELINE_B,
                )
            ],
            relying_party_callback_id=f"example-{name}",  # your own id: makes retries safe
        ),
    )


async def main() -> None:
    async with AsyncClient(**client_settings()) as client:
        names = ["offer.pdf", "terms.pdf", "annex.pdf"]
        outcomes = await asyncio.gather(*(sign_one(client, n) for n in names))
    for name, out in zip(names, outcomes):
        doc = out.items[0].document
        print(f"{name}: signed, {len(doc.content) if doc else 0} bytes")


if __name__ == "__main__":
    asyncio.run(main())

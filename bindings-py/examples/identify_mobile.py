"""Identify a person remotely through B-Trust Mobile and keep the sealed eID certificate."""

from __future__ import annotations

from pathlib import Path

from cqes.btrust import Client, DocType, Payer, PersonIdentityData

from _settings import client_settings, signer_egn


def main() -> None:
    with Client(**client_settings()) as client:
        result = client.identify_mobile(
            person_identity_data=PersonIdentityData(
                doc_type=DocType.EGN, identificator_value=signer_egn(), date_of_birth="01-01-1975"
            ),
            identification_reason="Opening a current account",
            payer=Payer.RELYING_PARTY,
        )
    if result.eid_certificate:
        Path("eid.pdf").write_bytes(result.eid_certificate)
    print(f"identified: {result.identificator} (before {result.identification_before}); eID saved as eid.pdf")


if __name__ == "__main__":
    main()

"""A web application's pattern: start signing in one request, store the flow's snapshot,
and finish in another worker (here: another client) when the customer is done."""

from __future__ import annotations

from pathlib import Path

from cqes.btrust import Client, Content, ContentFormat, SignatureType, SignerIdentity, SignRequest

from _settings import client_settings, sample_pdf, signer_egn

STORE = Path("flow-snapshot.json")  # your database in real life: it holds personal data


def start() -> None:
    with Client(**client_settings()) as client:
        flow = client.start_sign(
            identity=SignerIdentity(personal_id=signer_egn()),
            request=SignRequest(contents=[Content(
                confirm_text="Insurance policy", content_format=ContentFormat.BINARY_BASE64, data=sample_pdf(),
                signature_type=SignatureType.PADES_BASELINE_B,
            )]),
        )
        flow.run_pending()  # sends the request without waiting for the customer
        STORE.write_text(flow.snapshot())
        print(f"started; state {flow.progress.state}; snapshot stored")


def finish() -> None:
    with Client(**client_settings()) as client:
        flow = client.resume_sign(STORE.read_text())
        outcome = flow.run()  # or run_pending() on each callback / page load
    STORE.unlink()
    print(f"finished in another worker: {len(outcome.items)} item(s) signed")


if __name__ == "__main__":
    start()
    finish()

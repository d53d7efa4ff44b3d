"""Automatic remote signing end to end against the sandbox over mutual TLS: consent approved
by the simulated signer, three documents signed at once (sync and async clients), a revoked
consent as a typed error, a batch, and the token lifecycle from the core."""

from __future__ import annotations

import time

import pytest

from cqes import ConsentRequiredError, LimitExceededError
from cqes.btrust import (
    ArsSignRequest,
    AsyncClient,
    BatchSignRequest,
    Client,
    ConsentOutcome,
    ConsentRequest,
    Content,
    ContentFormat,
    Organisation,
    OrgIdentifierType,
    SignatureType,
    SignerIdentity,
    token_advice,
)

from conftest import Sandbox, client_kwargs, pdf

DAY = 86_400_000


def invoice(n: int) -> Content:
    return Content(
        confirm_text=f"Invoice {n}", content_format=ContentFormat.BINARY_BASE64, data=pdf(),
        file_name=f"invoice-{n}.pdf", signature_type=SignatureType.PADES_BASELINE_B,
    )


def consent(client: Client, sandbox: Sandbox) -> tuple[str, ConsentOutcome]:
    sandbox.behave("approve", 50)
    outcome = client.request_consent(
        identity=SignerIdentity(cert_id="7742"),
        request=ConsentRequest(
            expiration_time=365,
            organisation=Organisation(
                org_identifier="121234567", org_identifier_type=OrgIdentifierType.BULSTAT, org_name="Пример ООД",
            ),
            role="Управител",
            subject="Фактури",
        ),
    )
    return outcome.callback_id, outcome


def test_consent_then_three_documents_signed_automatically(client: Client, sandbox: Sandbox) -> None:
    _, outcome = consent(client, sandbox)
    assert outcome.access_token and outcome.access_token not in repr(outcome), "the token never reaches repr"
    assert outcome.consent is not None and outcome.consent.startswith(b"%PDF")
    assert outcome.expiration_date is not None and outcome.expiration_date.epoch_ms is not None
    signed = client.auto_sign(
        access_token=outcome.access_token, request=ArsSignRequest(contents=[invoice(n) for n in (1, 2, 3)]),
        token_expires_at_ms=outcome.expiration_date.epoch_ms,
    )
    assert [i.status for i in signed.items] == ["SIGNED"] * 3
    for item in signed.items:
        assert item.document is not None
        assert item.document.content.startswith(pdf()) and len(item.document.content) > len(pdf())
    assert signed.token_validated_at_ms is not None, "never validated before: validated first"


async def test_async_client_signs_automatically(client: Client, sandbox: Sandbox) -> None:
    _, outcome = consent(client, sandbox)
    async with AsyncClient(**client_kwargs(sandbox)) as aclient:
        signed = await aclient.auto_sign(
            access_token=outcome.access_token, request=ArsSignRequest(contents=[invoice(9)]),
        )
    assert signed.items[0].document is not None


def test_a_revoked_consent_is_a_typed_error(client: Client, sandbox: Sandbox) -> None:
    consent_id, outcome = consent(client, sandbox)
    sandbox.control("POST", f"/ars/consents/{consent_id}/revoke")
    with pytest.raises(ConsentRequiredError) as e:
        client.auto_sign(
            access_token=outcome.access_token, request=ArsSignRequest(contents=[invoice(1)]),
            token_validated_at_ms=int(time.time() * 1000),
        )
    assert e.value.code == "CONSENT_REVOKE"
    assert outcome.access_token not in str(e.value)


def test_a_batch_and_its_limit(client: Client, sandbox: Sandbox) -> None:
    _, outcome = consent(client, sandbox)
    done = client.sign_batch(
        access_token=outcome.access_token, request=BatchSignRequest(contents=[invoice(n) for n in range(10)]),
    )
    assert (done.signed, done.not_signed) == (10, 0)
    limits = {"maxBatchSize": 3, "maxRequestsPerToken": None, "batchItemsPerPoll": 4, "timeoutNextSync": 0}
    sandbox.control("PUT", "/ars/limits", limits)
    try:
        with pytest.raises(LimitExceededError) as e:
            client.sign_batch(
                access_token=outcome.access_token, request=BatchSignRequest(contents=[invoice(n) for n in range(4)]),
            )
        assert (e.value.code, e.value.limit, e.value.requested) == ("BATCH_SIZE_EXCEED", 3, 4)
    finally:
        sandbox.control("PUT", "/ars/limits", {**limits, "maxBatchSize": 100})


def test_token_lifecycle_comes_from_the_core() -> None:
    expires = 1_800_000_000_000
    far = token_advice(expires, expires - 40 * DAY)
    assert (far.renew, far.days_left, far.warning_threshold_days) == (False, 40, None)
    assert far.next_warning_at_ms == expires - 30 * DAY
    assert token_advice(expires, expires - 20 * DAY).warning_threshold_days == 21
    last = token_advice(expires, expires - 3 * DAY)
    assert (last.renew, last.warning_threshold_days, last.next_warning_at_ms) == (True, 3, expires - 2 * DAY)
    assert token_advice(expires, expires).expired

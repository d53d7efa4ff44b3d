"""Remote Identification end to end against the sandbox: B-Trust Mobile identification, web
identification woken by callbacks, and signing with a one-time certificate (sync and async)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from cqes import SigningExpired, SigningRejected, ValidationError
from cqes.btrust import (
    AsyncClient,
    Client,
    DocType,
    DocumentForSign,
    Language,
    OpenUrl,
    Payer,
    PersonIdentityData,
    ProcessState,
    Progress,
    RegistrationRequest,
    WebIdentificationOutcome,
)

from conftest import EGN, Receiver, Sandbox, client_kwargs, pdf

IVAN = PersonIdentityData(doc_type=DocType.EGN, identificator_value=EGN, date_of_birth="01-01-1975")


def registration(r: Receiver, language: Language = Language.EN) -> RegistrationRequest:
    return RegistrationRequest(
        cancel_url=f"{r.url}/cancel", external_ref="order-1", success_url=f"{r.url}/ok", user_language=language,
        verify_email_address=True, verify_phone_number=True,
    )


def documents() -> list[DocumentForSign]:
    return [
        DocumentForSign(content_as_base64=pdf(), file_name=f"{n}.pdf", legal_file_name=f"Document {n}",
                        pades_visual_signature=False)
        for n in ("a", "b")
    ]


def test_mobile_identification_returns_the_eid_certificate(sandbox: Sandbox, client: Client) -> None:
    sandbox.behave("approve", 150)
    out = client.identify_mobile(
        person_identity_data=IVAN, identification_reason="Opening an account", phone_number="+359888133443",
        email="ivan.petrov@example.bg", payer=Payer.RELYING_PARTY,
    )
    assert out.eid_certificate is not None and out.eid_certificate.startswith(b"%PDF")
    assert out.identificator is not None and len(out.identificator) == 64
    assert out.identification_before == "Demo Bank"
    assert EGN not in repr(IVAN)


async def test_mobile_identification_async_rejected_then_expired(sandbox: Sandbox, aclient: AsyncClient) -> None:
    sandbox.behave("reject", 50)
    with pytest.raises(SigningRejected):
        await aclient.identify_mobile(person_identity_data=IVAN, identification_reason="KYC")
    sandbox.behave("ignore")
    flow = aclient.start_identify_mobile(person_identity_data=IVAN, identification_reason="KYC")
    assert await flow.run_pending() is None
    sandbox.control("POST", "/clock/advance", {"ms": 3_600_000})
    with pytest.raises(SigningExpired):
        await flow.run()


def test_web_identification_then_one_time_signing(sandbox: Sandbox, client: Client, receiver: Receiver) -> None:
    """Callbacks wake the flows: slow polling proves it."""
    sandbox.behave("approve", 200)
    slow = client_kwargs(sandbox)["flow_options"]
    flow = client.start_identify_web(
        request_callback_url=f"{receiver.url}/cb", identification_reason="Opening an account",
        registration=registration(receiver),
    )
    receiver.on_callback = flow.handle_callback
    links: list[str] = []

    def progress(p: Progress) -> None:
        if isinstance(p.user_action, OpenUrl):
            links.append(p.user_action.url)

    ident = flow.run(progress=progress)
    assert links and links[0].startswith(f"{sandbox.pages_url}/session/")
    assert ident.process_state == ProcessState.CREATE_SIGN_SESSION_REQUEST
    assert ident.eid_document is not None and ident.eid_document.startswith(b"%PDF")
    assert ident.client_identificator is not None and ident.sign_session_id is not None
    reg = client.get_registration_status(registration_id=ident.registration_id)
    assert (reg.data.status, reg.data.review_status) == ("FINALIZED", "ALLOWED")

    sign = client.start_sign_with_otc(
        identificator=ident.client_identificator, sign_session_id=ident.sign_session_id,
        documents_for_sign=documents(), cancel_url=f"{receiver.url}/cancel", success_url=f"{receiver.url}/ok",
        options=slow,
    )
    receiver.on_callback = sign.handle_callback
    signed = sign.run()
    assert [d.filename for d in signed.documents] == ["a-signed.pdf", "b-signed.pdf"]
    assert all(d.content_as_base64.startswith(pdf()) and len(d.content_as_base64) > len(pdf())
               for d in signed.documents)
    assert receiver.bodies, "the sandbox called back"
    event = client.parse_identification_callback(receiver.bodies[-1])
    assert event.relying_party_id == "12345678" and event.session_id


async def test_web_identification_and_signing_async(sandbox: Sandbox, aclient: AsyncClient,
                                                    receiver: Receiver) -> None:
    sandbox.behave("approve", 100)
    loop = asyncio.get_running_loop()
    flow = aclient.start_identify_web(
        request_callback_url=f"{receiver.url}/cb", identification_reason="KYC", registration=registration(receiver),
    )
    # The receiver runs on its own thread: hand bodies to the loop.
    def deliver(body: bytes) -> None:
        loop.call_soon_threadsafe(flow.handle_callback, body)

    receiver.on_callback = deliver
    ident: WebIdentificationOutcome = await flow.run()
    assert ident.client_identificator and ident.sign_session_id
    signed = await aclient.sign_with_otc(
        identificator=ident.client_identificator, sign_session_id=ident.sign_session_id,
        documents_for_sign=documents()[:1], cancel_url=f"{receiver.url}/c", success_url=f"{receiver.url}/s",
    )
    assert len(signed.documents) == 1


def test_the_customer_pages_drive_the_flow(sandbox: Sandbox, client: Client, receiver: Receiver) -> None:
    """No simulated user: a browser (httpx here) completes the page, and the flow, running
    on another thread, finishes; the customer lands on the success URL."""
    flow = client.start_identify_web(
        request_callback_url=f"{receiver.url}/cb", identification_reason="KYC",
        registration=registration(receiver, Language.BG),
    )
    receiver.on_callback = flow.handle_callback
    assert flow.run_pending() is None
    action = flow.progress.user_action
    assert isinstance(action, OpenUrl)
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        page = browser.get(action.url)
        assert "Видео идентификация" in page.text, "the page speaks the registration's language"
        done = browser.post(f"{action.url}/complete", data={"user": "1"})
        assert done.text == "landed"
    ident = flow.run()
    assert ident.process_state == ProcessState.CREATE_SIGN_SESSION_REQUEST
    assert receiver.landed == ["ok"]


def test_cancelling_on_the_page_is_a_rejection(sandbox: Sandbox, client: Client, receiver: Receiver) -> None:
    sandbox.behave("reject", 100)
    flow = client.start_identify_web(
        request_callback_url=f"{receiver.url}/cb", identification_reason="KYC", registration=registration(receiver),
    )
    receiver.on_callback = flow.handle_callback
    with pytest.raises(SigningRejected):
        flow.run()


def test_callback_bodies_are_verified(client: Client) -> None:
    body = json.dumps({"relyingPartyId": "12345678", "code": "OK", "data": {
        "processState": "CREATE_SIGN_SESSION_REQUEST", "sessionId": "s-1", "resultId": 95}}).encode()
    event = client.parse_identification_callback(body)
    assert (event.process_state, event.session_id, event.result_id) == ("CREATE_SIGN_SESSION_REQUEST", "s-1", "95")
    with pytest.raises(ValidationError) as e:
        client.parse_identification_callback(body.replace(b"12345678", b"99999999"))
    assert e.value.issues[0].path == "relyingPartyId"
    with pytest.raises(ValidationError):
        client.parse_identification_callback(b"not json")
    sign_event = client.parse_sign_callback(b'{"data": {"callbackId": "c-1", "status": "SIGNED"}}')
    assert (sign_event.callback_id, sign_event.status) == ("c-1", "SIGNED")

"""Signing end to end against the sandbox over mutual TLS, with the sync and async clients."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import pickle

import pytest

from cqes import (
    ApiError,
    Progress,
    SigningExpired,
    SigningRejected,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
)
from cqes.btrust import (
    AsyncClient,
    Client,
    Content,
    ContentFormat,
    HashAlgorithm,
    IdentificatorType,
    ShowQr,
    SignatureStatus,
    SignatureType,
    SignerIdentity,
    SignOutcome,
    SignRequest,
    SignRequestWithSingleContent,
)
from cqes.models import TransportErrorKind

from conftest import EGN, FAST, P12_PASSWORD, RP, Sandbox, client_kwargs, pdf

IVAN = SignerIdentity(personal_id=EGN)


def contract(name: str = "contract.pdf", kind: SignatureType = SignatureType.PADES_BASELINE_B) -> Content:
    return Content(
        confirm_text="Please sign the contract",
        content_format=ContentFormat.BINARY_BASE64,
        data=pdf(),
        file_name=name,
        signature_type=kind,
    )


def check_signed_pdf(outcome: SignOutcome) -> None:
    item = outcome.items[0]
    assert item.document is not None
    signed = item.document.content
    assert signed.startswith(pdf()), "an incremental update of the original"
    update = signed[len(pdf()):]
    assert b"/ByteRange" in update and b"/ETSI.CAdES.detached" in update, "a PAdES signature field"


def test_sign_a_pdf_and_report_progress(sandbox: Sandbox, client: Client) -> None:
    sandbox.behave("approve", 150)
    seen: list[Progress] = []
    out = client.sign(identity=IVAN, request=SignRequest(contents=[contract()]), progress=seen.append)
    check_signed_pdf(out)
    assert out.items[0].status == SignatureStatus.SIGNED
    assert out.rp_callback_id, "generated for the caller"
    states = [p.state for p in seen]
    assert states[0] != states[-1] and "polling" in states, states
    assert all(p.flow == "btrust.sign" for p in seen)
    assert EGN not in repr(seen) and EGN not in repr(out)


async def test_sign_async_with_three_kinds_of_content(sandbox: Sandbox, aclient: AsyncClient) -> None:
    sandbox.behave("approve", 100)
    digest = base64.b64encode(hashlib.sha256(b"some invoice").digest()).decode()
    request = SignRequest(
        contents=[
            contract(),
            contract("detached.pdf", SignatureType.CADES_BASELINE_B_DETACHED),
            Content(
                confirm_text="Sign the invoice digest",
                content_format=ContentFormat.DIGEST,
                data=digest,
                hash_algorithm=HashAlgorithm.SHA256,
                signature_type=SignatureType.SIGNATURE,
            ),
        ],
        relying_party_callback_id="order-42",
    )
    out = await aclient.sign(identity=IVAN, request=request)
    assert out.rp_callback_id == "order-42"
    assert [i.index for i in out.items] == [0, 1, 2]
    check_signed_pdf(out)
    assert out.items[1].document is not None and out.items[1].document.content[:1] == b"\x30", "CMS (DER)"
    assert out.items[2].signature, "a raw signature value"
    assert out.cert, "the signing certificate comes with SIGNATURE items"


@pytest.mark.parametrize("use_async", [False, True])
def test_rejection_and_expiry_are_exceptions(sandbox: Sandbox, use_async: bool) -> None:
    sandbox.behave("reject", 50)
    request = SignRequest(contents=[contract()])

    async def run_async(expire: bool) -> None:
        async with AsyncClient(**client_kwargs(sandbox)) as c:
            flow = c.start_sign(identity=IVAN, request=request)
            assert await flow.run_pending() is None
            if expire:
                sandbox.control("POST", "/clock/advance", {"ms": 3_600_000})
            await flow.run()

    def run_sync(expire: bool) -> None:
        with Client(**client_kwargs(sandbox)) as c:
            flow = c.start_sign(identity=IVAN, request=request)
            assert flow.run_pending() is None, "submitted; now waiting for the user"
            if expire:
                sandbox.control("POST", "/clock/advance", {"ms": 3_600_000})
            flow.run()

    def run(expire: bool) -> None:
        asyncio.run(run_async(expire)) if use_async else run_sync(expire)

    with pytest.raises(SigningRejected) as rejected:
        run(False)
    assert rejected.value.request_id and rejected.value.items[0].status == "REJECTED"
    assert rejected.value.error == "rejected"
    sandbox.behave("ignore")
    with pytest.raises(SigningExpired) as expired:
        run(True)
    assert expired.value.error == "expired"
    again = pickle.loads(pickle.dumps(expired.value))
    assert type(again) is SigningExpired and again.request_id == expired.value.request_id


def test_qr_signing_shows_the_code_first(sandbox: Sandbox, client: Client) -> None:
    sandbox.behave("approve", 200)
    shown: list[ShowQr] = []

    def progress(p: Progress) -> None:
        if isinstance(p.user_action, ShowQr):
            shown.append(p.user_action)

    out = client.sign_via_qr(
        request=SignRequestWithSingleContent(content=contract()), qr_width=200, qr_height=200, progress=progress
    )
    check_signed_pdf(out)
    assert shown and shown[0].qr_image is not None and shown[0].qr_image.startswith(b"\x89PNG")
    assert shown[0].qr_plain


async def test_qr_signing_async(sandbox: Sandbox, aclient: AsyncClient) -> None:
    sandbox.behave("approve", 100)
    out = await aclient.sign_via_qr(request=SignRequestWithSingleContent(content=contract()))
    check_signed_pdf(out)


def test_a_flow_resumes_in_another_worker(sandbox: Sandbox) -> None:
    """A web app: start in one request handler, store the snapshot, finish in another
    process with a client built from scratch."""
    with Client(**client_kwargs(sandbox)) as first:
        flow = first.start_sign(identity=IVAN, request=SignRequest(contents=[contract()]))
        assert flow.run_pending() is None
        snapshot = flow.snapshot()
    assert '"version":1' in snapshot.replace(" ", "")
    pending = sandbox.control("GET", "/requests?state=pending")["requests"]
    assert len(pending) == 1
    sandbox.control("POST", f"/requests/{pending[0]['callbackId']}/approve")
    with Client(**client_kwargs(sandbox)) as second:
        resumed = second.resume_sign(snapshot)
        out = resumed.run()
    check_signed_pdf(out)
    # Exactly one sign request was created across both workers.
    assert len([r for r in sandbox.control("GET", "/requests")["requests"]
                if r["rpCallbackId"] == out.rp_callback_id]) == 1
    with Client(**client_kwargs(sandbox)) as third, pytest.raises(ValidationError) as e:
        third.resume_sign_via_qr(snapshot)
    assert e.value.issues[0].path == "snapshot"


async def test_an_async_flow_resumes_too(sandbox: Sandbox, aclient: AsyncClient) -> None:
    flow = aclient.start_sign(identity=IVAN, request=SignRequest(contents=[contract()]))
    assert await flow.run_pending() is None
    sandbox.control("POST", "/requests/approve-all")
    out = await aclient.resume_sign(flow.snapshot()).run()
    check_signed_pdf(out)


def test_operations_one_by_one(sandbox: Sandbox, client: Client) -> None:
    cert = client.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
    assert cert.http_status == 200 and cert.data.encoded_cert and cert.data.encoded_cert[:1] == b"\x30"
    accepted = client.send_sign_request(identity=IVAN, request=SignRequest(contents=[contract()]))
    callback_id = accepted.data.callback_id
    polled = client.get_signed_result(callback_id=callback_id)
    assert polled.http_status == 206 and polled.data.signatures[0].status == SignatureStatus.IN_PROGRESS
    sandbox.control("POST", f"/requests/{callback_id}/approve")
    done = client.get_signed_result(callback_id=callback_id)
    assert done.data.signatures[0].status == SignatureStatus.SIGNED
    content_id = done.data.signatures[0].signature
    assert content_id
    file = client.get_signed_content(id=content_id)
    assert file.content.startswith(pdf())
    with pytest.raises(ApiError) as e:
        client.get_signed_result(callback_id="no-such-request")
    assert e.value.http_status == 404 and e.value.error == "api"


def test_a_relying_party_without_the_right_gets_an_api_error(sandbox: Sandbox) -> None:
    with Client(**client_kwargs(sandbox, rp="87654321")) as c, pytest.raises(ApiError) as e:
        c.send_sign_request(identity=IVAN, request=SignRequest(contents=[contract()]))
    assert e.value.http_status in (401, 403)


def test_invalid_input_names_the_field_and_never_the_value(client: Client) -> None:
    with pytest.raises(ValidationError) as e:
        client.sign(identity=SignerIdentity(personal_id="7501010011"), request=SignRequest(contents=[]))
    paths = {i.path for i in e.value.issues}
    assert any("personalId" in p for p in paths) and any("contents" in p for p in paths), paths
    assert "7501010011" not in str(e.value) and "7501010011" not in repr(e.value.issues)


def test_the_sandbox_refuses_a_client_without_a_certificate(sandbox: Sandbox) -> None:
    kwargs = client_kwargs(sandbox)
    del kwargs["cert"], kwargs["key"]
    with Client(**kwargs) as c, pytest.raises(TransportError) as e:
        c.get_cert(profile_id="032-552574")
    assert e.value.kind == TransportErrorKind.TLS, e.value
    # Nor does it accept a certificate it did not register.
    kwargs.update(cert=sandbox.certs / "unregistered.pem", key=sandbox.certs / "unregistered.key")
    with Client(**kwargs) as c, pytest.raises((TransportError, ApiError)):
        c.get_cert(profile_id="032-552574")


async def test_the_sandbox_refuses_an_async_client_without_a_certificate(sandbox: Sandbox) -> None:
    kwargs = client_kwargs(sandbox)
    del kwargs["cert"], kwargs["key"]
    async with AsyncClient(**kwargs) as c:
        with pytest.raises(TransportError) as e:
            await c.get_cert(profile_id="032-552574")
    assert e.value.kind == TransportErrorKind.TLS


def test_every_way_to_give_the_client_certificate(sandbox: Sandbox) -> None:
    cert, key = sandbox.cert()
    base = client_kwargs(sandbox)
    del base["cert"], base["key"]
    p12 = sandbox.certs / f"rp-{RP}.p12"
    for identity in (
        dict(cert_pem=cert.read_bytes(), key_pem=key.read_bytes()),
        dict(pkcs12=p12, pkcs12_password=P12_PASSWORD),
        dict(pkcs12=p12.read_bytes(), pkcs12_password=P12_PASSWORD),
    ):
        with Client(**base, **identity) as c:
            found = c.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
            assert found.http_status == 200
    for bad, path in (
        (dict(pkcs12=p12, pkcs12_password="wrong"), "pkcs12"),
        (dict(cert=sandbox.certs / "missing.pem"), "cert"),
        (dict(cert=cert, key=sandbox.certs / "ca.pem"), "key"),
        (dict(cert=cert, key=key, pkcs12=p12), "identity"),
    ):
        with pytest.raises(ValidationError) as e:
            Client(**base, **bad)
        assert e.value.issues[0].path == path, (bad, e.value)


def test_redirects_are_never_followed(sandbox: Sandbox, client: Client) -> None:
    sandbox.control("PUT", "/faults", {"rules": [{"operation": "btrust.getCertByIdentity", "rate": 1.0,
                                                  "kinds": ["redirect"]}]})
    def count() -> int:
        return int(sandbox.control("GET", "/stats")["stats"]["requests"].get("btrust.getCertByIdentity", 0))

    before = count()
    with pytest.raises(UnexpectedResponseError) as e:
        client.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
    assert e.value.http_status == 302 and "redirect" in e.value.reason
    assert count() == before + 1, "sent once, not followed"


def test_flows_survive_faults_without_duplicates(sandbox: Sandbox) -> None:
    """Twenty flows with a fault on 30 % of requests (errors, dropped connections, garbage
    after the work was done): every flow signs, and each creates exactly one request."""
    sandbox.behave("approve", 50)
    sandbox.control("PUT", "/faults", {"seed": 7, "rules": [{"operation": "*", "rate": 0.3, "kinds": [
        "error", "error_after_commit", "malformed", "empty", "commit_then_drop", "drop"]}]})
    options = FAST
    with Client(**client_kwargs(sandbox)) as c:
        outs = [
            c.sign(identity=IVAN, request=SignRequest(contents=[contract()], relying_party_callback_id=f"py-fault-{i}"),
                   options=options)
            for i in range(20)
        ]
    assert all(o.items[0].document is not None for o in outs)
    stored = sandbox.control("GET", "/requests")["requests"]
    for i in range(20):
        assert len([r for r in stored if r["rpCallbackId"] == f"py-fault-{i}"]) == 1
    stats = sandbox.control("GET", "/stats")
    assert sum(stats["faultsInjected"].values()) >= 10, stats["faultsInjected"]
    assert stats["rpCallbackIdsStoredMoreThanOnce"] == []

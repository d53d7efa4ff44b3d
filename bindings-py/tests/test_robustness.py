"""Whatever goes in, only `CqesError` subclasses come out: no Rust panic (`PanicException`),
no bare `Exception`, no personal data in messages or reprs."""

from __future__ import annotations

import json
import math
import pickle
import random
from pathlib import Path
from typing import Any

import pytest

from cqes import CqesError, InvalidStateError, ValidationError, _native
from cqes.btrust import Client, Content, ContentFormat, PersonIdentityData, SignerIdentity, SignRequest
from cqes.btrust.models import ClientToken, DocType, DownloadedFile, SignatureStatus, SignedItem
from cqes.models import HttpRequest, HttpResponse

CONFIG = _native.Config({"environment": "uat", "relyingPartyId": "12345678"})
VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
SECRET = "7501010010"

JUNK: list[Any] = [
    None, 0, -1, 2**70, 1.5, math.nan, math.inf, "", "x" * 10_000, b"", b"\xff\x00", [], [None], {}, {"": None},
    {"callbackId": None}, {"callbackId": 5}, {"callbackId": ["a"]}, {"identity": {"personalId": 7}},
    {"identity": {"personalId": SECRET, "certId": "1"}}, {"request": {"contents": "nope"}},
    {"contents": [{"data": b"\xff" * 10, "confirmText": 1}]}, {"a": {"b": {"c": {"d": [1, [2, [3, {}]]]}}}},
    {"personIdentityData": {"docType": "EGN", "identificatorValue": SECRET, "dateOfBirth": "31-02-1975"}},
    object(), {1: 2}, {"x": object()}, (1, 2),
]


def only_cqes_errors(fn: Any, *args: Any) -> None:
    try:
        fn(*args)
    except CqesError as e:
        assert SECRET not in str(e), f"{type(e).__name__} quotes personal data: {e}"
    # anything else (PanicException included) fails the test by propagating


@pytest.mark.parametrize("op", _native.operations())
def test_build_takes_any_input(op: str) -> None:
    for junk in JUNK:
        only_cqes_errors(_native.build, op, CONFIG, junk)
    for config in JUNK:
        only_cqes_errors(_native.build, op, config, {})


def bodies() -> list[bytes]:
    """Response bodies from every vector, cut at random places, plus noise."""
    rng = random.Random(2026)
    out: list[bytes] = [b"", b"null", b"[]", b"{}", b'{"data":', b"\xff\xfe", b'{"data": {"signatures": 5}}',
                        json.dumps({"data": {"a": [1] * 1000}, "code": 5, "responseCode": None}).encode()]
    for f in sorted(VECTORS.glob("responses/*.json")):
        for case in json.loads(f.read_text())["cases"]:
            r = case["response"]
            body = json.dumps(r["bodyJson"]).encode() if "bodyJson" in r else r.get("body", "").encode()
            out.append(body)
            if body:
                out.append(body[: rng.randrange(len(body))])
                flipped = bytearray(body)
                flipped[rng.randrange(len(body))] ^= 0x5A
                out.append(bytes(flipped))
    return out


@pytest.mark.parametrize("op", _native.operations())
def test_parse_takes_any_response(op: str) -> None:
    for body in bodies():
        for status in (200, 202, 206, 302, 400, 404, 500, 0, 999):
            only_cqes_errors(_native.parse, op, status, [("content-type", "application/json")], body)
            odd = [("Content-Disposition", "attachment; filename*=UTF-8''%ff%00")]
            only_cqes_errors(_native.parse, op, status, odd, body)


def test_callbacks_and_rules_take_any_input() -> None:
    for body in bodies():
        for kind in ("sign", "identification", "nope"):
            only_cqes_errors(_native.parse_callback, kind, CONFIG, body)
    for rule in ("egn", "lnc", "phone", "email", "nope"):
        for junk in JUNK:
            only_cqes_errors(_native.check_rule, rule, junk)
    only_cqes_errors(_native.pkcs12_to_pem, b"\x30\x82garbage", "pw")
    only_cqes_errors(_native.identification_link, CONFIG, "")


def test_flows_refuse_misuse_with_invalid_state() -> None:
    for snapshot in ("", "{}", '{"version": 1, "flow": "btrust.sign"}', '{"version": 99}', "\x00", "[]"):
        with pytest.raises(CqesError):
            _native.Flow.restore(snapshot)
    for name in _native.flows():
        for junk in JUNK:
            only_cqes_errors(_native.Flow.start, name, CONFIG, junk)
    flow = _native.Flow.start("btrust.sign", CONFIG, {
        "identity": {"personalId": SECRET},
        "request": {"contents": [{"confirmText": "c", "contentFormat": "TEXT", "data": "hello"}],
                    "relyingPartyCallbackId": "r-1"}})
    with pytest.raises(InvalidStateError):
        flow.handle_response(99, 200, [], b"{}", 0)
    step = flow.next(0)
    assert step["step"] == "send"
    with pytest.raises(InvalidStateError):
        flow.handle_transport_error(step["id"], "bogus", 0)
    for body in (b"", b"not json", b"[]", b'{"callbackId": 5}'):
        only_cqes_errors(flow.handle_callback, body, 0)
    assert SECRET not in json.dumps(flow.progress())


def test_typed_arguments_of_the_wrong_type_are_validation_errors() -> None:
    client = Client(environment="uat", relying_party_id="12345678", transport=_Refuse())
    bad: Any = {"personal_id": SECRET}  # a dict where a model belongs
    with pytest.raises(ValidationError) as e:
        client.check_client(identity=bad)
    assert e.value.issues[0].code == "invalid_type" and SECRET not in str(e.value)
    with pytest.raises(ValidationError):
        client.start_sign(identity=SignerIdentity(personal_id=SECRET), request=bad)
    with pytest.raises(ValidationError):
        client.sign(identity=SignerIdentity(personal_id=SECRET), request=SignRequest(contents=5))  # type: ignore[arg-type]


def test_reprs_and_pickles_hide_personal_data() -> None:
    models: list[Any] = [
        SignerIdentity(personal_id=SECRET),
        PersonIdentityData(doc_type=DocType.EGN, identificator_value=SECRET, date_of_birth="01-01-1975"),
        ClientToken(client_token="tok-" + SECRET),
        Content(confirm_text="c", content_format=ContentFormat.TEXT, data="x"),
    ]
    for m in models:
        assert SECRET not in repr(m) and "01-01-1975" not in repr(m)
        assert pickle.loads(pickle.dumps(m)) == m
    request = HttpRequest._from_wire(
        _native.build("btrust.getCertByIdentity", CONFIG, {"identificatorType": "EGN", "identityValue": SECRET}))
    assert SECRET in request.url and SECRET not in request.log_url and SECRET not in repr(request)
    header = HttpRequest._from_wire(_native.build("btrust.checkClient", CONFIG, {"identity": {"personalId": SECRET}}))
    assert SECRET in str(header.headers) and SECRET not in repr(header)
    assert SignatureStatus("SOMETHING_NEW").is_known is False


class _Refuse:
    def send(self, request: HttpRequest) -> HttpResponse:
        raise AssertionError("nothing may be sent")


def test_reprs_show_byte_strings_as_their_length() -> None:
    """Printing an outcome must not dump a signed PDF (or a certificate) into a log."""
    pdf = b"%PDF-1.7 " + b"\x00secret page\x00" * 1000
    text = repr(SignedItem(index=0, status=SignatureStatus.SIGNED, document=DownloadedFile(content=pdf)))
    assert f"<{len(pdf)} bytes>" in text, text
    assert "secret page" not in text and "PDF-1.7" not in text, text

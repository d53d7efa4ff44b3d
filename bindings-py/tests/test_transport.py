"""The httpx transports against the sandbox: timeouts, size limits, an HTTP proxy (CONNECT
tunnel with mutual TLS inside), and a custom transport plugged into the client."""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cqes import HttpRequest, HttpResponse, TransportError
from cqes.btrust import (
    Client,
    Content,
    ContentFormat,
    HashAlgorithm,
    IdentificatorType,
    Limits,
    SignatureType,
    SignerIdentity,
    SignRequest,
)
from cqes.models import TransportErrorKind

from conftest import EGN, FAST, Sandbox, client_kwargs


def test_a_slow_answer_is_a_timeout(sandbox: Sandbox) -> None:
    sandbox.control("PUT", "/faults", {"rules": [{"operation": "btrust.getCertByIdentity", "rate": 1.0,
                                                  "kinds": ["slow"], "slowMs": 2000}]})
    with Client(**{**client_kwargs(sandbox), "timeout": 0.3}) as c, pytest.raises(TransportError) as e:
        c.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
    assert e.value.kind == TransportErrorKind.TIMEOUT
    assert EGN not in str(e.value), "the message names the request by its log URL"


def test_an_oversized_answer_is_refused_while_reading(sandbox: Sandbox) -> None:
    small = Limits(max_json_response_bytes=64)
    with Client(**{**client_kwargs(sandbox), "limits": small}) as c, pytest.raises(TransportError) as e:
        c.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
    assert e.value.kind == TransportErrorKind.TOO_LARGE


def test_nothing_listening_is_a_connect_error(sandbox: Sandbox) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again at once: nobody listens there
    kwargs = {**client_kwargs(sandbox), "environment": f"https://127.0.0.1:{port}/signing-api"}
    with Client(**kwargs) as c, pytest.raises(TransportError) as e:
        c.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
    assert e.value.kind == TransportErrorKind.CONNECT


class ConnectProxy:
    """A minimal HTTP CONNECT proxy on loopback that counts the tunnels it opened."""

    def __init__(self) -> None:
        self.tunnels: list[str] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        target = head.split(b" ")[1].decode()
        self.tunnels.append(target)
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        pair = [client, upstream]
        try:
            while True:
                readable, _, _ = select.select(pair, [], [], 10)
                if not readable:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        finally:
            client.close()
            upstream.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def proxy() -> Iterator[ConnectProxy]:
    p = ConnectProxy()
    yield p
    p.close()


def test_requests_go_through_a_proxy_with_mutual_tls_inside(sandbox: Sandbox, proxy: ConnectProxy) -> None:
    with Client(**{**client_kwargs(sandbox), "proxy": proxy.url}) as c:
        found = c.get_cert_by_identity(identificator_type=IdentificatorType.EGN, identity_value=EGN)
    assert found.http_status == 200
    assert proxy.tunnels == [sandbox.base_url.split("/")[2]]


class Recording:
    """A test double: answers from a script and records what it was asked to send."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.sent: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, TransportError):
            raise answer
        assert isinstance(answer, HttpResponse)
        return answer


def test_a_lost_answer_is_reconciled_never_resent() -> None:
    """Through a scripted transport: the answer to the sign request is lost (a timeout), so
    the flow asks by the relying party's id whether it was created (it was, and is signed)
    instead of sending it again."""
    lost = TransportError("lost", kind=TransportErrorKind.TIMEOUT, detail="test")
    signed = HttpResponse(status=200, body=b'{"code":"COMPLETED","responseCode":"COMPLETED","data":{"signatures":'
                                           b'[{"signature":"c2ln","signatureType":"SIGNATURE","status":"SIGNED"}],'
                                           b'"cert":"MAo="}}')
    transport = Recording(lost, signed)
    client = Client(environment="uat", relying_party_id="12345678", transport=transport, flow_options=FAST)
    out = client.sign(
        identity=SignerIdentity(personal_id=EGN),
        request=SignRequest(contents=[Content(
            confirm_text="c", content_format=ContentFormat.DIGEST, data="n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=",
            hash_algorithm=HashAlgorithm.SHA256, signature_type=SignatureType.SIGNATURE)],
            relying_party_callback_id="rp-1"),
    )
    assert out.items[0].signature == b"sig" and out.cert == b"0\n"
    sent = [(r.method.value, r.log_url.split("/signing-api", 1)[1]) for r in transport.sent]
    assert sent == [("POST", "/v2/sign"), ("GET", "/v2/rpcallbackid/rp-1")], sent
    assert EGN not in repr(transport.sent)

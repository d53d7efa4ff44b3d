"""Web identification (video + document check in the browser), then signing two documents
with the one-time certificate it issues.

The relying party needs an endpoint that receives B-Trust's callbacks; this example runs a
tiny one on 127.0.0.1 and hands every body to the waiting flow. In a web application that
is a route of your framework calling `flow.handle_callback(body)` (or, across workers,
restoring the flow from its snapshot first).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

from cqes import Progress
from cqes.btrust import Client, DocumentForSign, Language, OpenUrl, RegistrationRequest

from _settings import client_settings, sample_pdf

deliver: Optional[Callable[[bytes], None]] = None


class Callbacks(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if deliver is not None:
            deliver(body)
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def show(p: Progress) -> None:
    if isinstance(p.user_action, OpenUrl):
        print(f"send the customer to {p.user_action.url}")


def main() -> None:
    global deliver
    server = ThreadingHTTPServer(("127.0.0.1", 0), Callbacks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    here = f"http://127.0.0.1:{server.server_address[1]}"
    with Client(**client_settings()) as client:
        flow = client.start_identify_web(
            request_callback_url=f"{here}/callback",
            identification_reason="Opening a current account",
            registration=RegistrationRequest(
                cancel_url="https://bank.example.bg/onboarding/cancelled",
                success_url="https://bank.example.bg/onboarding/done",
                external_ref="application-1001",
                user_language=Language.EN,
                verify_email_address=True,
                verify_phone_number=True,
            ),
        )
        deliver = flow.handle_callback
        identified = flow.run(progress=show)
        print(f"identified: {identified.client_identificator}")
        assert identified.client_identificator and identified.sign_session_id
        signing = client.start_sign_with_otc(
            identificator=identified.client_identificator,
            sign_session_id=identified.sign_session_id,
            documents_for_sign=[
                DocumentForSign(content_as_base64=sample_pdf(), file_name=f"{n}.pdf", legal_file_name=title)
                for n, title in (("contract", "Account contract"), ("tariff", "Tariff"))
            ],
            cancel_url="https://bank.example.bg/sign/cancelled",
            success_url="https://bank.example.bg/sign/done",
        )
        deliver = signing.handle_callback
        signed = signing.run(progress=show)
    server.shutdown()
    for d in signed.documents:
        print(f"signed with a one-time certificate: {d.filename} ({len(d.content_as_base64)} bytes)")


if __name__ == "__main__":
    main()

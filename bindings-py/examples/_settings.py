"""Connection settings for the examples, from the environment.

    CQES_ENV            "uat", "test" or a base URL (the sandbox prints it)
    CQES_RP_ID          your relying-party id (the sandbox knows 12345678)
    CQES_CERT, CQES_KEY your client certificate and key (PEM files)
    CQES_CA             trusted CA (the sandbox's ca.pem; omit for BORICA's public hosts)
    CQES_IDENTIFICATION_URL   where customers identify (the sandbox's pages URL)

Start a sandbox with `cqes sandbox serve --certs ./certs` and export what it prints.
"""

from __future__ import annotations

import os
from typing import Any


def client_settings() -> dict[str, Any]:
    """Keyword arguments for `Client(...)` / `AsyncClient(...)`."""
    env = os.environ
    return {
        "environment": env.get("CQES_ENV", "https://127.0.0.1:8443/signing-api"),
        "relying_party_id": env.get("CQES_RP_ID", "12345678"),
        "cert": env.get("CQES_CERT", "certs/rp-12345678.pem"),
        "key": env.get("CQES_KEY", "certs/rp-12345678.key"),
        "ca": env.get("CQES_CA") or None,
        "identification_url": env.get("CQES_IDENTIFICATION_URL") or None,
    }


def signer_egn() -> str:
    """The signer's EGN (the sandbox's Ivan Ivanov by default)."""
    return os.environ.get("CQES_EGN", "7501010010")


def sample_pdf() -> bytes:
    """A one-page PDF, so the examples need no input file."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R]"
        b" /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n"
        b"0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n"
        b"<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
    )

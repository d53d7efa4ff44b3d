"""Fixtures: one B-Trust sandbox per session (the built `cqes` binary, ephemeral ports, real
mutual TLS on loopback, stopped by PID), clients for it, and a callback receiver."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Optional

import httpx
import pytest

from cqes import FlowOptions, PollPolicy
from cqes.btrust import AsyncClient, Client

REPO = Path(__file__).resolve().parents[2]
RP = "12345678"
EGN = "7501010010"  # Ivan Ivanov: B-Trust Mobile user with CQES
P12_PASSWORD = "cqes"

# Fast polling: the sandbox acts in milliseconds, so tests should too.
FAST = FlowOptions(
    poll=PollPolicy(
        first_poll_after_ms=50, interval_ms=50, max_interval_ms=200, backoff_factor=1.5, jitter_ratio=0.2,
        retry_delay_ms=50, max_consecutive_failures=5, expiry_grace_ms=1_000, default_validity_ms=60_000,
    ),
)


def cqes_binary() -> Path:
    """The `cqes` CLI: `$CQES_BIN`, else the workspace's debug build (built if missing)."""
    if os.environ.get("CQES_BIN"):
        return Path(os.environ["CQES_BIN"])
    exe = REPO / "target" / "debug" / ("cqes.exe" if os.name == "nt" else "cqes")
    if not exe.exists():
        cargo = shutil.which("cargo")
        assert cargo, "cargo is needed to build the sandbox (or set CQES_BIN)"
        subprocess.run([cargo, "build", "-q", "-p", "cqes-cli"], cwd=REPO, check=True)
    return exe


@dataclass
class Sandbox:
    """A running sandbox process."""

    base_url: str
    control_url: str
    pages_url: str
    certs: Path
    pid: int

    def control(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        r = httpx.request(method, self.control_url + path, json=body, timeout=10)
        r.raise_for_status()
        return r.json()

    def behave(self, mode: str, after_ms: int = 0) -> None:
        """What the simulated user does with new requests: approve, reject or ignore."""
        self.control("PUT", "/behavior", {"mode": mode, "afterMs": after_ms})

    def cert(self, rp: str = RP) -> tuple[Path, Path]:
        return self.certs / f"rp-{rp}.pem", self.certs / f"rp-{rp}.key"


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    certs = tmp_path_factory.mktemp("certs")
    proc = subprocess.Popen(
        [str(cqes_binary()), "--json", "sandbox", "serve", "--port", "0", "--control-port", "0",
         "--pages-port", "0", "--certs", str(certs)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, f"the sandbox did not start (exit {proc.poll()})"
        info = json.loads(line)
        yield Sandbox(info["baseUrl"], info["controlUrl"], info["pagesUrl"], certs, proc.pid)
    finally:
        os.kill(proc.pid, signal.SIGINT)  # the sandbox stops on Ctrl-C
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(autouse=True)
def _reset(request: pytest.FixtureRequest) -> None:
    """Every sandbox test starts with a passive user and no faults."""
    if "sandbox" in request.fixturenames:
        sb: Sandbox = request.getfixturevalue("sandbox")
        sb.behave("ignore")
        sb.control("PUT", "/faults", {})


def client_kwargs(sb: Sandbox, rp: str = RP) -> dict[str, Any]:
    cert, key = sb.cert(rp)
    return dict(
        environment=sb.base_url, relying_party_id=rp, cert=cert, key=key, ca=sb.certs / "ca.pem",
        identification_url=sb.pages_url, timeout=10.0, flow_options=FAST,
    )


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Client]:
    with Client(**client_kwargs(sandbox)) as c:
        yield c


@pytest.fixture
async def aclient(sandbox: Sandbox) -> Any:
    async with AsyncClient(**client_kwargs(sandbox)) as c:
        yield c


def pdf() -> bytes:
    """A minimal one-page PDF."""
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R]"
        b" /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\nxref\n"
        b"0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n"
        b"<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n"
    )


class Receiver:
    """The relying party's callback endpoint and landing pages, on loopback.

    POSTs to `/cb` are handed to `on_callback` (set by the test: usually a flow's
    `handle_callback`); GETs of any other path are recorded in `landed` and answered
    "landed", like the relying party's success and cancel pages.
    """

    def __init__(self) -> None:
        self.on_callback: Optional[Callable[[bytes], None]] = None
        self.bodies: list[bytes] = []
        self.landed: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.bodies.append(body)
                status = 200
                if receiver.on_callback is not None:
                    try:
                        receiver.on_callback(body)
                    except Exception:
                        status = 400
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                receiver.landed.append(self.path.strip("/").split("?")[0])
                self.send_response(200)
                self.send_header("content-length", "6")
                self.end_headers()
                self.wfile.write(b"landed")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()

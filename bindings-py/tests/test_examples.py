"""Runs every script in `examples/` against the sandbox, as a user following the README would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Sandbox

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# script → (what the simulated customer does, text the output must contain)
SCENARIOS = {
    "sign_pdf.py": ("approve", "signed: signed.pdf"),
    "sign_async.py": ("approve", "annex.pdf: signed"),
    "sign_via_qr.py": ("approve", "signed by QR: 1 item(s)"),
    "identify_mobile.py": ("approve", "eID saved as eid.pdf"),
    "identify_web.py": ("approve", "signed with a one-time certificate: contract-signed.pdf"),
    "resume_flow.py": ("approve", "finished in another worker: 1 item(s) signed"),
    "handle_errors.py": ("reject", "the customer declined request"),
    "auto_sign.py": ("approve", "auto-signed: invoice-3-signed.pdf"),
}


def test_every_example_has_a_scenario() -> None:
    scripts = {p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(SCENARIOS)


@pytest.mark.parametrize("script", sorted(SCENARIOS))
def test_example(script: str, sandbox: Sandbox, tmp_path: Path) -> None:
    behaviour, expected = SCENARIOS[script]
    sandbox.behave(behaviour, 100)
    env = dict(
        os.environ,
        CQES_ENV=sandbox.base_url,
        CQES_RP_ID="12345678",
        CQES_CERT=str(sandbox.cert()[0]),
        CQES_KEY=str(sandbox.cert()[1]),
        CQES_CA=str(sandbox.certs / "ca.pem"),
        CQES_IDENTIFICATION_URL=sandbox.pages_url,
    )
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / script)], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout, run.stdout
    assert "7501010010" not in run.stdout + run.stderr, "no personal data in the output"

"""The automatic-signing access token's lifecycle, computed by cqes-core (no policy here)."""

from __future__ import annotations

import time
from typing import Optional

from .. import _native
from .models import TokenAdvice

__all__ = ["token_advice"]


def token_advice(expires_at_ms: int, now_ms: Optional[int] = None) -> TokenAdvice:
    """Whether to renew the consent and when to warn, for a token expiring at `expires_at_ms`
    (warnings 30, 21 and 14 days before expiry, then daily in the last 7)."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    return TokenAdvice._from_wire(_native.token_advice(expires_at_ms, now))

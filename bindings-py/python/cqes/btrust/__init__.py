"""BORICA B-Trust: the Signing API, Remote Identification and one-time-certificate signing.

`Client` (blocking) and `AsyncClient` (asyncio) expose one method per operation and the
flows (`sign`, `sign_via_qr`, `identify_mobile`, `identify_web`, `sign_with_otc`,
`request_consent`, `auto_sign`, `sign_batch`, `sign_with_oidc`); `token_advice` says when an
automatic-signing token needs renewing. Every
model a B-Trust caller needs is importable from here, the provider-independent ones
(`Progress`, `ShowQr`, `OpenUrl`, `FlowOptions`, …) included.
"""

from .._flow import AsyncFlow, Flow
from ..models import *  # noqa: F403
from ..models import __all__ as _shared
from .client import AsyncClient, Client
from .models import *  # noqa: F403
from .models import __all__ as _models
from .token import token_advice

__all__ = ["AsyncClient", "AsyncFlow", "Client", "Flow", "token_advice", *_shared, *_models]

"""cqes: cloud qualified electronic signatures and remote identification.

Providers live in subpackages (`cqes.btrust` for BORICA B-Trust). Every rule, model and flow
is cqes-core's, reached through the private native module; this package adds typed models
(generated from the core's schema), httpx transports with mutual TLS, and clients.
"""

from . import errors, models
from ._flow import AsyncFlow, Flow, ProgressCallback
from ._native import __version__
from .errors import (
    ApiError,
    ConsentRequiredError,
    CqesError,
    InvalidStateError,
    LimitExceededError,
    SigningExpired,
    SigningRejected,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
)
from .models import FlowOptions, HttpRequest, HttpResponse, PollPolicy, Progress
from .transport import AsyncHttpxTransport, AsyncTransport, HttpxTransport, Transport, ssl_context

__all__ = [
    "ApiError",
    "AsyncFlow",
    "AsyncHttpxTransport",
    "AsyncTransport",
    "ConsentRequiredError",
    "CqesError",
    "Flow",
    "FlowOptions",
    "HttpRequest",
    "HttpResponse",
    "HttpxTransport",
    "InvalidStateError",
    "LimitExceededError",
    "PollPolicy",
    "Progress",
    "ProgressCallback",
    "SigningExpired",
    "SigningRejected",
    "Transport",
    "TransportError",
    "UnexpectedResponseError",
    "ValidationError",
    "__version__",
    "errors",
    "models",
    "ssl_context",
]

"""Transports: how cqes sends the requests the core builds.

A transport is anything with `send(request) -> response` (`async def send` for the asyncio
client). It sends the request exactly as built (method, URL, headers in order, body), never
follows redirects and never retries: whether a request may be repeated is the core's
decision, because repeating a sign request could make the customer sign twice. A transport
reports failure by raising `TransportError` with a `kind`; the flows use the kind to decide
whether the request might have reached the service.

`HttpxTransport` and `AsyncHttpxTransport` are the defaults, over httpx with mutual TLS.
`ssl_context()` builds the TLS configuration B-Trust needs (client certificate, trusted CAs).
"""

from __future__ import annotations

import os
import ssl
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, AsyncIterator, Optional, Protocol, Union

from . import _native
from .errors import TransportError, ValidationError, _single_issue
from .models import HttpRequest, HttpResponse, TransportErrorKind

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AsyncHttpxTransport",
    "AsyncTransport",
    "HttpxTransport",
    "PathLike",
    "Transport",
    "ssl_context",
]

PathLike = Union[str, "os.PathLike[str]"]
"""A file system path."""


class Transport(Protocol):
    """Sends one request and returns the response (blocking)."""

    def send(self, request: HttpRequest) -> HttpResponse:
        """Sends `request` as built. Raises `TransportError` when no complete response came."""
        ...


class AsyncTransport(Protocol):
    """Sends one request and returns the response (asyncio)."""

    async def send(self, request: HttpRequest) -> HttpResponse:
        """Sends `request` as built. Raises `TransportError` when no complete response came."""
        ...


def _invalid(path: str, message: str) -> ValidationError:
    """A validation error for a setting checked in Python."""
    return _single_issue(path, message)


def _readable(path: PathLike, what: str) -> None:
    """Fails with a clear error naming the setting when `ssl` could not open `path` (it
    would say only "No such file", without which of the files)."""
    if not os.access(path, os.R_OK):
        raise _invalid(what, f"cannot read the {what} file (missing or not readable)")


def _read(path: PathLike, what: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        # The path itself is not personal data, but keep messages uniform with the core's.
        raise _invalid(what, f"cannot read the {what} file ({e.strerror or type(e).__name__})") from None


def ssl_context(
    *,
    cert: Optional[PathLike] = None,
    key: Optional[PathLike] = None,
    key_password: Optional[str] = None,
    cert_pem: Optional[bytes] = None,
    key_pem: Optional[bytes] = None,
    pkcs12: Optional[Union[PathLike, bytes]] = None,
    pkcs12_password: Optional[str] = None,
    ca: Optional[PathLike] = None,
    ca_pem: Optional[bytes] = None,
) -> ssl.SSLContext:
    """A client `SSLContext` for B-Trust: TLS 1.2+, server certificate and host name checked,
    and the relying party's client certificate from one of:

    - `cert` + `key` (PEM files; `key` may be omitted when `cert` holds both; `key_password`
      for an encrypted key),
    - `cert_pem` + `key_pem` (PEM bytes, e.g. from a secret store),
    - `pkcs12` (a `.p12`/`.pfx` path or its bytes) + `pkcs12_password`.

    Without any, the context has no client certificate (B-Trust will refuse it; useful only
    behind a proxy that adds mutual TLS). `ca`/`ca_pem` replace the system's trusted CAs (the
    sandbox's CA, a corporate CA); without them the system store is used.

    The context is built here rather than by passing `cert=`/`verify=` to httpx because httpx
    silently drops the client certificate in one common combination of those arguments.
    PEM bytes and PKCS#12 keys are written to an owner-only temporary file for `ssl` to load
    and deleted at once.

    Raises:
        ValidationError: naming the setting (`cert`, `key`, `pkcs12`, `ca`, `identity`).
    """
    pem_files = cert is not None or key is not None
    pem_bytes = cert_pem is not None or key_pem is not None
    if pem_files + pem_bytes + (pkcs12 is not None) > 1:
        raise _invalid("identity", "give one client identity: cert/key files, cert_pem/key_pem, or pkcs12")
    try:
        if ca is not None or ca_pem is not None:
            cadata = ca_pem.decode("ascii") if ca_pem is not None else None
            if ca is not None:
                _readable(ca, "ca")
            ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=ca, cadata=cadata)
        else:
            ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    except (ssl.SSLError, UnicodeDecodeError, ValueError):
        raise _invalid("ca", "the trusted CA certificates are not valid PEM") from None
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2

    if cert is not None or key is not None:
        if cert is None:
            raise _invalid("cert", "a key was given without its certificate")
        _readable(cert, "cert")
        if key is not None:
            _readable(key, "key")
        try:
            ctx.load_cert_chain(cert, key, key_password)
        except ssl.SSLError:
            raise _invalid("key", "the certificate or key is not valid PEM, or they do not match") from None
    elif cert_pem is not None or key_pem is not None:
        if cert_pem is None:
            raise _invalid("cert_pem", "a key was given without its certificate")
        pem = cert_pem if cert_pem.endswith(b"\n") else cert_pem + b"\n"
        _load_pem(ctx, pem + (key_pem or b""), key_password, "key_pem")
    elif pkcs12 is not None:
        der = bytes(pkcs12) if isinstance(pkcs12, (bytes, bytearray)) else _read(pkcs12, "pkcs12")
        _load_pem(ctx, _native.pkcs12_to_pem(der, pkcs12_password or ""), None, "pkcs12")
    return ctx


def _load_pem(ctx: ssl.SSLContext, pem: bytes, password: Optional[str], what: str) -> None:
    """Loads a certificate chain + key held in memory (`ssl` reads only files)."""
    fd, path = tempfile.mkstemp(prefix="cqes-", suffix=".pem")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        ctx.load_cert_chain(path, None, password)
    except ssl.SSLError:
        raise _invalid(what, "the certificate or key is not valid PEM, or they do not match") from None
    finally:
        os.unlink(path)


# ----- httpx ---------------------------------------------------------------------------------


def _ssl_reason(e: BaseException) -> Optional[str]:
    """The `ssl` reason somewhere in `e`'s causes (e.g. `TLSV13_ALERT_CERTIFICATE_REQUIRED`)."""
    seen = 0
    cur: Optional[BaseException] = e
    while cur is not None and seen < 10:
        if isinstance(cur, ssl.SSLError):
            return str(cur.reason or type(cur).__name__)
        cur = cur.__cause__ or cur.__context__
        seen += 1
    return None


def _failure(e: Exception, request: HttpRequest) -> TransportError:
    """Maps an httpx exception to the core's transport error kinds."""
    import httpx

    tls = _ssl_reason(e)
    if isinstance(e, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        kind = TransportErrorKind.CONNECT  # nothing was sent
    elif isinstance(e, httpx.TimeoutException):
        kind = TransportErrorKind.TIMEOUT
    elif tls is not None:
        # Includes TLS 1.3's late "certificate required" alert: the server refused the
        # connection before processing anything.
        kind = TransportErrorKind.TLS
    elif isinstance(e, (httpx.ConnectError, httpx.ProxyError, ConnectionRefusedError)):
        kind = TransportErrorKind.CONNECT
    elif isinstance(e, (httpx.NetworkError, httpx.RemoteProtocolError, OSError)):
        kind = TransportErrorKind.IO
    else:
        kind = TransportErrorKind.OTHER
    # The message names the request by its log URL (personal data redacted), never the
    # exception's text, which may quote the full URL.
    reason = f" ({tls})" if tls else ""
    detail = f"{type(e).__name__}{reason} on {request.method.value} {request.log_url}"
    return TransportError(f"transport error ({kind.value}): {detail}", kind=kind, detail=detail)


def _too_large(request: HttpRequest) -> TransportError:
    detail = (
        f"the response exceeded {request.expect.max_bytes} bytes on {request.method.value} {request.log_url}"
    )
    return TransportError(
        f"transport error (too_large): {detail}", kind=TransportErrorKind.TOO_LARGE, detail=detail
    )


def _declared_too_large(response: httpx.Response, limit: int) -> bool:
    length = response.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) > limit


def _collect(chunks: Iterator[bytes], request: HttpRequest) -> bytes:
    limit = request.expect.max_bytes
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        if len(buf) > limit:
            raise _too_large(request)
    return bytes(buf)


async def _acollect(chunks: AsyncIterator[bytes], request: HttpRequest) -> bytes:
    limit = request.expect.max_bytes
    buf = bytearray()
    async for chunk in chunks:
        buf += chunk
        if len(buf) > limit:
            raise _too_large(request)
    return bytes(buf)


def _client_kwargs(
    ssl_context: Optional[ssl.SSLContext],
    timeout: float,
    connect_timeout: float,
    proxy: Optional[str],
    trust_env: bool,
) -> dict[str, object]:
    import httpx

    return {
        "verify": ssl_context if ssl_context is not None else True,
        "timeout": httpx.Timeout(timeout, connect=connect_timeout),
        "proxy": proxy,
        "follow_redirects": False,
        "trust_env": trust_env,
    }


class HttpxTransport:
    """Blocking transport over an `httpx.Client` (connection pooling, HTTP/1.1).

    Build one with `HttpxTransport.create(...)`, or wrap your own `httpx.Client` (it must
    not follow redirects, and should carry the `ssl_context()` as `verify`).
    """

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        """The underlying httpx client."""

    @classmethod
    def create(
        cls,
        *,
        ssl_context: Optional[ssl.SSLContext] = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        proxy: Optional[str] = None,
        trust_env: bool = False,
    ) -> HttpxTransport:
        """A transport with its own `httpx.Client`.

        Args:
            ssl_context: from `ssl_context()`; the system's defaults without a client
                certificate when None.
            timeout: seconds for each read, write and pool wait.
            connect_timeout: seconds to establish a connection.
            proxy: an `http://` or `https://` proxy URL.
            trust_env: honour `HTTPS_PROXY` and friends from the environment (off by
                default: an mTLS client should not change route because of an inherited
                variable).
        """
        import httpx

        kwargs = _client_kwargs(ssl_context, timeout, connect_timeout, proxy, trust_env)
        return cls(httpx.Client(**kwargs))  # type: ignore[arg-type]

    def send(self, request: HttpRequest) -> HttpResponse:
        """Sends `request` as built; raises `TransportError` on failure."""
        import httpx

        try:
            with self.client.stream(
                request.method.value, request.url, headers=request.headers, content=request.body or None
            ) as r:
                if _declared_too_large(r, request.expect.max_bytes):
                    raise _too_large(request)
                body = _collect(r.iter_bytes(), request)
                return HttpResponse(status=r.status_code, body=body, headers=list(r.headers.multi_items()))
        except (httpx.HTTPError, OSError) as e:
            # OSError: the asyncio stack lets some socket and TLS errors through unwrapped.
            raise _failure(e, request) from None

    def close(self) -> None:
        """Closes the connections."""
        self.client.close()


class AsyncHttpxTransport:
    """asyncio transport over an `httpx.AsyncClient`. See `HttpxTransport`."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        """The underlying httpx client."""

    @classmethod
    def create(
        cls,
        *,
        ssl_context: Optional[ssl.SSLContext] = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        proxy: Optional[str] = None,
        trust_env: bool = False,
    ) -> AsyncHttpxTransport:
        """A transport with its own `httpx.AsyncClient` (arguments as `HttpxTransport.create`)."""
        import httpx

        kwargs = _client_kwargs(ssl_context, timeout, connect_timeout, proxy, trust_env)
        return cls(httpx.AsyncClient(**kwargs))  # type: ignore[arg-type]

    async def send(self, request: HttpRequest) -> HttpResponse:
        """Sends `request` as built; raises `TransportError` on failure."""
        import httpx

        try:
            async with self.client.stream(
                request.method.value, request.url, headers=request.headers, content=request.body or None
            ) as r:
                if _declared_too_large(r, request.expect.max_bytes):
                    raise _too_large(request)
                body = await _acollect(r.aiter_bytes(), request)
                return HttpResponse(status=r.status_code, body=body, headers=list(r.headers.multi_items()))
        except (httpx.HTTPError, OSError) as e:
            # OSError: the asyncio stack lets some socket and TLS errors through unwrapped.
            raise _failure(e, request) from None

    async def aclose(self) -> None:
        """Closes the connections."""
        await self.client.aclose()

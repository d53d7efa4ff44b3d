"""`Client` and `AsyncClient`: B-Trust over mutual TLS.

Every method is generated (`_operations.py`) and ends in `_call`, `_start` or `_resume`
below: the core builds the request, the transport sends it, the core parses the answer.
Nothing here knows an endpoint, a field or a rule.
"""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any, Callable, ClassVar, Generic, Optional, TypeVar, Union

from .. import _native
from .._flow import AsyncFlow, Flow
from ..models import FlowOptions, HttpRequest, HttpResponse
from ..transport import (
    AsyncHttpxTransport,
    AsyncTransport,
    HttpxTransport,
    PathLike,
    Transport,
    _invalid,
    ssl_context,
)
from ._operations import AsyncOperations, SyncOperations
from .models import Config, IdentificationCallback, Language, Limits, SignCallback

__all__ = ["AsyncClient", "Client"]

TransportT = TypeVar("TransportT")


def _parsed(op: str, response: HttpResponse) -> Any:
    """The core's parse of `response` (`raw` is decoded only when read: see `RawJson`)."""
    return _native.parse(op, response.status, response.headers, response.body)


class _ClientBase(Generic[TransportT]):
    """What both clients share: configuration, transport, callback parsing, starting and
    resuming flows. Each client names its default transport and its flow class.

    Args:
        environment: `"uat"`, `"test"`, or a base URL up to `/signing-api` (the sandbox,
            production once BORICA publishes it).
        relying_party_id: the numeric id BORICA issued (`relyingPartyID` header).
        cert, key, key_password: the client certificate and key as PEM files.
        cert_pem, key_pem: the same as bytes (from a secret store).
        pkcs12, pkcs12_password: a `.p12`/`.pfx` file (path or bytes).
        ca, ca_pem: trusted CAs replacing the system store (the sandbox's CA).
        timeout, connect_timeout: seconds.
        proxy: an HTTP(S) proxy URL; environment proxy variables are ignored unless
            `trust_env` is true.
        language: language of the service's messages (`bg`, `en`).
        identification_url: where customers go for web identification (required for custom
            environments).
        limits: size limits (defaults: 128 MiB requests, 32 MiB JSON, 256 MiB downloads).
        flow_options: default flow options (poll timing, downloading).
        transport: send through this instead (your own session, a test double); then no
            TLS argument may be given.

    Raises:
        ValidationError: a setting is invalid; the issue's path names it.
    """

    _default_transport: ClassVar[Callable[..., Any]]
    _flow_class: ClassVar[Callable[..., Any]]

    def __init__(
        self,
        *,
        environment: str,
        relying_party_id: str,
        cert: Optional[PathLike] = None,
        key: Optional[PathLike] = None,
        key_password: Optional[str] = None,
        cert_pem: Optional[bytes] = None,
        key_pem: Optional[bytes] = None,
        pkcs12: Optional[Union[PathLike, bytes]] = None,
        pkcs12_password: Optional[str] = None,
        ca: Optional[PathLike] = None,
        ca_pem: Optional[bytes] = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        proxy: Optional[str] = None,
        trust_env: bool = False,
        language: Optional[Union[Language, str]] = None,
        identification_url: Optional[str] = None,
        limits: Optional[Limits] = None,
        flow_options: Optional[FlowOptions] = None,
        transport: Optional[TransportT] = None,
    ) -> None:
        config = Config(
            environment=environment,
            relying_party_id=relying_party_id,
            language=Language(language) if language is not None else None,
            identification_url=identification_url,
            limits=limits or Limits(),
        )
        # Validated once and kept native: requests are built without converting it again.
        self._native_config = _native.Config(config._to_wire())
        self.config: Config = Config._from_wire(self._native_config.to_dict())
        """The configuration every request is built with."""
        self.flow_options: FlowOptions = flow_options or FlowOptions()
        """Default options of every flow this client starts."""
        tls = (cert, key, key_password, cert_pem, key_pem, pkcs12, pkcs12_password, ca, ca_pem)
        if transport is not None and any(v is not None for v in tls):
            raise _invalid("transport", "TLS settings cannot be combined with a custom transport")
        self.transport: TransportT = transport if transport is not None else self._default_transport(
            ssl_context=ssl_context(
                cert=cert, key=key, key_password=key_password, cert_pem=cert_pem, key_pem=key_pem,
                pkcs12=pkcs12, pkcs12_password=pkcs12_password, ca=ca, ca_pem=ca_pem,
            ),
            timeout=timeout, connect_timeout=connect_timeout, proxy=proxy, trust_env=trust_env,
        )
        """The transport every request goes through."""

    def parse_sign_callback(self, body: bytes) -> SignCallback:
        """Parses the body B-Trust POSTs to a sign request's `callbackURL` (inferred shape:
        see `SignCallback`). Hand it to the waiting flow with `Flow.handle_callback(body)`.

        Raises:
            ValidationError: the body is not a JSON object.
        """
        return SignCallback._from_wire(_native.parse_callback("sign", self._native_config, body))

    def parse_identification_callback(self, body: bytes) -> IdentificationCallback:
        """Parses and verifies an identification or sign-session callback body: it must be
        addressed to this client's relying party.

        Raises:
            ValidationError: the body is not a callback, or is addressed to another relying
                party (the issue's path says which).
        """
        return IdentificationCallback._from_wire(
            _native.parse_callback("identification", self._native_config, body)
        )

    def identification_link(self, session_id: str) -> str:
        """The URL a customer opens for web identification (`<identification_url>/session/<id>`)."""
        return _native.identification_link(self._native_config, session_id)

    def _start(self, flow: str, wire: dict[str, Any], read: Callable[[Any], Any],
               options: Optional[FlowOptions]) -> Any:
        # The host's one duty towards randomness: 16 fresh bytes per flow. The core derives the
        # relyingPartyCallbackId (when the request has none) and the jitter seed from them.
        opts = dataclasses.replace(options or self.flow_options, entropy=secrets.token_bytes(16))
        native = _native.Flow.start(flow, self._native_config, wire, opts._to_wire())
        return self._flow_class(native, read, self.transport)

    def _resume(self, flow: str, snapshot: str, read: Callable[[Any], Any]) -> Any:
        native = _native.Flow.restore(snapshot)
        if native.name != flow:
            raise _invalid("snapshot", f"the snapshot is of flow {native.name}, not {flow}")
        return self._flow_class(native, read, self.transport)


class Client(_ClientBase[Transport], SyncOperations):
    """B-Trust client (blocking). One method per operation, plus flows (`sign`,
    `identify_mobile`, …) that run to the end; safe to share between threads. Constructor
    arguments: see `_ClientBase`."""

    _default_transport = HttpxTransport.create
    _flow_class = Flow

    def _call(self, op: str, wire: dict[str, Any], read: Callable[[Any], Any]) -> Any:
        request = HttpRequest._from_wire(_native.build(op, self._native_config, wire))
        return read(_parsed(op, self.transport.send(request)))

    def close(self) -> None:
        """Closes the default transport's connections."""
        if isinstance(self.transport, HttpxTransport):
            self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(_ClientBase[AsyncTransport], AsyncOperations):
    """B-Trust client for asyncio: the same methods as `Client`, as coroutines. Constructor
    arguments: see `_ClientBase`."""

    _default_transport = AsyncHttpxTransport.create
    _flow_class = AsyncFlow

    async def _call(self, op: str, wire: dict[str, Any], read: Callable[[Any], Any]) -> Any:
        request = HttpRequest._from_wire(_native.build(op, self._native_config, wire))
        return read(_parsed(op, await self.transport.send(request)))

    async def aclose(self) -> None:
        """Closes the default transport's connections."""
        if isinstance(self.transport, AsyncHttpxTransport):
            await self.transport.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

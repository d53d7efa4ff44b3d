"""`Client` and `AsyncClient`: B-Trust over mutual TLS.

Every method is generated (`_operations.py`) and ends in `_call`, `_start` or `_resume`
below: the core builds the request, the transport sends it, the core parses the answer.
Nothing here knows an endpoint, a field or a rule.
"""

from __future__ import annotations

import dataclasses
import secrets
import uuid
from typing import Any, Callable, Optional, Union

from .. import _native
from .._flow import AsyncFlow, Flow
from .._runtime import RawJson
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

# Flows whose input carries a sign request: the core requires the relying party's own id
# on it (the only way to find out whether a lost submission was created), and hosts
# generate one when the caller has none.
_NEEDS_RP_CALLBACK_ID = {"btrust.sign": "request", "btrust.qrSign": "request"}


def _parsed(op: str, response: HttpResponse) -> Any:
    """The core's parse of `response`, with `raw` decoded only when read (see `RawJson`)."""
    parsed = _native.parse(op, response.status, response.headers, response.body, False)
    if isinstance(parsed, dict):
        parsed["raw"] = RawJson(response.body)
    return parsed


class _Common:
    """What both clients share: configuration, callback parsing, flow preparation."""

    def __init__(self, config: Config, flow_options: Optional[FlowOptions]) -> None:
        # Validated once, kept native: requests are built without converting it again.
        self._native_config = _native.Config(config._to_wire())
        self.config: Config = Config._from_wire(self._native_config.to_dict())
        """The configuration every request is built with."""
        self.flow_options: FlowOptions = flow_options or FlowOptions()
        """Default options of every flow this client starts."""

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

    def _prepare(
        self, flow: str, wire: dict[str, Any], options: Optional[FlowOptions]
    ) -> tuple[dict[str, Any], Any]:
        key = _NEEDS_RP_CALLBACK_ID.get(flow)
        if key is not None and not wire[key].get("relyingPartyCallbackId"):
            wire[key]["relyingPartyCallbackId"] = str(uuid.uuid4())
        opts = options or self.flow_options
        if opts.jitter_seed == 0:
            opts = dataclasses.replace(opts, jitter_seed=secrets.randbits(64))
        return wire, opts._to_wire()


def _config(
    environment: str,
    relying_party_id: str,
    language: Optional[Union[Language, str]],
    identification_url: Optional[str],
    limits: Optional[Limits],
) -> Config:
    return Config(
        environment=environment,
        relying_party_id=relying_party_id,
        language=Language(language) if language is not None else None,
        identification_url=identification_url,
        limits=limits or Limits(),
    )


_CONNECT_DOC = """
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
            identification_url: where customers go for web identification (required for
                custom environments).
            limits: size limits (defaults: 128 MiB requests, 32 MiB JSON, 256 MiB downloads).
            flow_options: default flow options (poll timing, downloading).
            transport: send through this instead (a `requests` session, a test double);
                then no TLS argument may be given.

        Raises:
            ValidationError: a setting is invalid; the issue's path names it.
"""


def _check_no_tls(transport: object, *tls: object) -> None:
    if transport is not None and any(v is not None for v in tls):
        raise _invalid("transport", "TLS settings cannot be combined with a custom transport")


class Client(SyncOperations, _Common):
    """B-Trust client (blocking). One method per operation, plus flows (`sign`,
    `identify_mobile`, …) that run to the end; thread-safe for concurrent calls."""

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
        transport: Optional[Transport] = None,
    ) -> None:
        _Common.__init__(self, _config(environment, relying_party_id, language, identification_url, limits),
                         flow_options)
        _check_no_tls(transport, cert, key, key_password, cert_pem, key_pem, pkcs12, pkcs12_password, ca,
                      ca_pem)
        self.transport: Transport = transport or HttpxTransport.create(
            ssl_context=ssl_context(
                cert=cert, key=key, key_password=key_password, cert_pem=cert_pem, key_pem=key_pem,
                pkcs12=pkcs12, pkcs12_password=pkcs12_password, ca=ca, ca_pem=ca_pem,
            ),
            timeout=timeout, connect_timeout=connect_timeout,
            proxy=proxy, trust_env=trust_env,
        )
        """The transport every request goes through."""

    __init__.__doc__ = "A client for one relying party.\n" + _CONNECT_DOC

    def _call(self, op: str, wire: dict[str, Any], read: Callable[[Any], Any]) -> Any:
        request = HttpRequest._from_wire(_native.build(op, self._native_config, wire))
        response: HttpResponse = self.transport.send(request)
        return read(_parsed(op, response))

    def _start(self, flow: str, wire: dict[str, Any], read: Callable[[Any], Any],
               options: Optional[FlowOptions]) -> Flow[Any]:
        wire, opts = self._prepare(flow, wire, options)
        return Flow(_native.Flow.start(flow, self._native_config, wire, opts), read, self.transport)

    def _resume(self, flow: str, snapshot: str, read: Callable[[Any], Any]) -> Flow[Any]:
        native = _native.Flow.restore(snapshot)
        if native.name != flow:
            raise _invalid("snapshot", f"the snapshot is of flow {native.name}, not {flow}")
        return Flow(native, read, self.transport)

    def close(self) -> None:
        """Closes the default transport's connections."""
        if isinstance(self.transport, HttpxTransport):
            self.transport.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncClient(AsyncOperations, _Common):
    """B-Trust client for asyncio: the same methods as `Client`, as coroutines."""

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
        transport: Optional[AsyncTransport] = None,
    ) -> None:
        _Common.__init__(self, _config(environment, relying_party_id, language, identification_url, limits),
                         flow_options)
        _check_no_tls(transport, cert, key, key_password, cert_pem, key_pem, pkcs12, pkcs12_password, ca,
                      ca_pem)
        self.transport: AsyncTransport = transport or AsyncHttpxTransport.create(
            ssl_context=ssl_context(
                cert=cert, key=key, key_password=key_password, cert_pem=cert_pem, key_pem=key_pem,
                pkcs12=pkcs12, pkcs12_password=pkcs12_password, ca=ca, ca_pem=ca_pem,
            ),
            timeout=timeout, connect_timeout=connect_timeout,
            proxy=proxy, trust_env=trust_env,
        )
        """The transport every request goes through."""

    __init__.__doc__ = "An asyncio client for one relying party.\n" + _CONNECT_DOC

    async def _call(self, op: str, wire: dict[str, Any], read: Callable[[Any], Any]) -> Any:
        request = HttpRequest._from_wire(_native.build(op, self._native_config, wire))
        response: HttpResponse = await self.transport.send(request)
        return read(_parsed(op, response))

    def _start(self, flow: str, wire: dict[str, Any], read: Callable[[Any], Any],
               options: Optional[FlowOptions]) -> AsyncFlow[Any]:
        wire, opts = self._prepare(flow, wire, options)
        return AsyncFlow(_native.Flow.start(flow, self._native_config, wire, opts), read, self.transport)

    def _resume(self, flow: str, snapshot: str, read: Callable[[Any], Any]) -> AsyncFlow[Any]:
        native = _native.Flow.restore(snapshot)
        if native.name != flow:
            raise _invalid("snapshot", f"the snapshot is of flow {native.name}, not {flow}")
        return AsyncFlow(native, read, self.transport)

    async def aclose(self) -> None:
        """Closes the default transport's connections."""
        if isinstance(self.transport, AsyncHttpxTransport):
            await self.transport.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

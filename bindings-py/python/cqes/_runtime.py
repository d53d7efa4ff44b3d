"""Support code for the generated models (hand-written, small, no dependencies)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import json
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any, Callable, Optional, TypeVar

T = TypeVar("T")


class OpenEnum(str, Enum):
    """A `str` enum that keeps values it does not know.

    The service adds statuses and codes without notice; a client that crashed on each new one
    would be worse than useless. `Status("SOMETHING_NEW")` returns a pseudo-member whose
    `value` is the string received and whose `is_known` is False; it compares equal to its
    string like every member does.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def is_known(self) -> bool:
        """Whether this value is one cqes knows (documented by the service)."""
        return type(self).__members__.get(self._name_) is self

    def __str__(self) -> str:
        return str(self.value)


class TimestampMixin:
    """Adds `datetime` to the generated `Timestamp` (raw text plus epoch milliseconds)."""

    raw: str
    epoch_ms: Optional[int]

    @property
    def datetime(self) -> Optional[_dt.datetime]:
        """The instant as an aware UTC `datetime`, when the service's text was readable."""
        if self.epoch_ms is None:
            return None
        return _dt.datetime.fromtimestamp(self.epoch_ms / 1000, tz=_dt.timezone.utc)


E = TypeVar("E", bound=Enum)

_new = object.__new__
"""Allocates an instance without `__init__` (generated `_from_wire` methods)."""
_set = object.__setattr__
"""Sets an attribute past a frozen dataclass's guard (generated `_from_wire` methods)."""


def _enum_reader(cls: type[E]) -> Callable[[Any], E]:
    """A fast reader of `cls` members from wire strings (a dict lookup; `cls(v)` for values
    it does not hold, which makes pseudo-members of open enums)."""
    lookup = cls._value2member_map_.get

    def read(value: Any) -> E:
        member = lookup(value)
        return member if member is not None else cls(value)  # type: ignore[return-value]

    return read


class RawJson(Mapping[str, Any]):
    """A response body as JSON, decoded on first access.

    Parsed responses keep the whole body as `raw` (for fields cqes does not model yet);
    decoding it eagerly would double the cost of every call. Behaves as a read-only mapping
    (`raw["data"]`, `dict(raw)`, `raw == {...}`); its repr never shows the content, which may
    hold personal data.
    """

    __slots__ = ("_body", "_value")

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._value: Optional[dict[str, Any]] = None

    def _decoded(self) -> dict[str, Any]:
        if self._value is None:
            value = json.loads(self._body)
            self._value = value if isinstance(value, dict) else {}
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __repr__(self) -> str:
        return f"RawJson({len(self._body)} bytes)"

    @property
    def body(self) -> bytes:
        """The body exactly as received."""
        return self._body


def _raw_json(value: Any) -> RawJson:
    """A `raw` field from the core: the body as `bytes` (native calls) or base64 text (JSON)."""
    if isinstance(value, RawJson):
        return value
    if isinstance(value, str):
        return RawJson(base64.b64decode(value))
    return RawJson(bytes(value))


def _short(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    if isinstance(value, list) and value and all(isinstance(v, bytes) for v in value):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return repr(value)


def _repr_bytes_as_length(self: Any) -> str:
    """The dataclass repr, with byte strings shown as their length: printing an outcome must
    not dump a whole signed PDF. Fields hidden from repr (secrets) stay hidden."""
    shown = ", ".join(
        f"{f.name}={_short(getattr(self, f.name))}" for f in dataclasses.fields(self) if f.repr
    )
    return f"{type(self).__name__}({shown})"


def _enum_value(value: Any) -> Any:
    """The wire string of an enum member; plain strings pass through (callers may use them)."""
    return value.value if isinstance(value, Enum) else value


def _identity(value: T) -> T:
    return value

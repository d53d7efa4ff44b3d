"""Emits `cqes/errors.py`: the `CqesError` hierarchy, one exception class per error code of
the core's `Error` definition, with its wire conversions.
"""

from __future__ import annotations

from typing import Any

from fields import class_doc, fields_of, read_field
from schema import HEADER, docstring
from wire import Gen

# Python class names of the core's error codes (the and the README's names).
ERROR_CLASSES = {
    "validation": "ValidationError",
    "api": "ApiError",
    "rejected": "SigningRejected",
    "expired": "SigningExpired",
    "consent_required": "ConsentRequiredError",
    "limit_exceeded": "LimitExceededError",
    "unexpected_response": "UnexpectedResponseError",
    "transport": "TransportError",
    "invalid_state": "InvalidStateError",
}


def emit_errors(g: Gen, error: dict[str, Any]) -> str:
    out = [HEADER, '"""The exceptions cqes raises: one class per error code of cqes-core.\n\n'
           "Messages never contain personal data or secrets: the core never quotes an input and\n"
           'scrubs anything it quotes from a response."""\n\n'
           "from __future__ import annotations\n\n"
           "from typing import Any, ClassVar, Mapping, Optional\n\n"
           "from ._runtime import _enum_value\n"
           "from .models import Issue, IssueCode, ItemState, TransportErrorKind, _read_TransportErrorKind\n\n"
           "__all__ = [\n    \"CqesError\",\n"]
    out += [f'    "{c}",\n' for c in ERROR_CLASSES.values()]
    out.append("]\n")
    out.append('''

def _rebuild(cls: type[CqesError], text: str, fields: dict[str, Any]) -> CqesError:
    return cls(text, **fields)


class CqesError(Exception):
    """Base of every cqes exception. `str(e)` is a message safe to log; `error` is the stable
    code shared with every cqes host (`validation`, `api`, …)."""

    error: ClassVar[str] = ""

    def __init__(self, text: str, /) -> None:
        super().__init__(text)
        self._fields: dict[str, Any] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), str(self), self._fields))

    @staticmethod
    def _from_core(text: str, fields: Mapping[str, Any]) -> CqesError:
        """Builds the exception for a core error (`fields` is its wire form)."""
        cls = _CLASSES.get(fields.get("error", ""), InvalidStateError)
        return cls._from_wire(text, fields)

    @classmethod
    def _from_wire(cls, text: str, d: Mapping[str, Any]) -> CqesError:
        raise NotImplementedError

    def _to_wire(self) -> dict[str, Any]:
        raise NotImplementedError
''')
    helpers = '''

def _single_issue(path: str, message: str, code: IssueCode = IssueCode.INVALID_FORMAT) -> ValidationError:
    """A validation error with one issue, worded like the core's (for checks made in Python)."""
    return ValidationError(
        f"invalid input (1 issue): {path}: {message} ({code.value})",
        issues=[Issue(path=path, code=code, message=message)],
    )


def _wrong_type(e: Exception) -> ValidationError:
    """An argument of the wrong type, found while writing the arguments out. The message
    names types only (Python's wording), never values."""
    return _single_issue("$", f"an argument has the wrong type ({e})", IssueCode.INVALID_TYPE)
'''
    for v in error["oneOf"]:
        tag = v["properties"]["error"]["const"]
        cls = ERROR_CLASSES[tag]
        props = {k: p for k, p in v["properties"].items() if k != "error"}
        vd = {"properties": props, "required": [r for r in v["required"] if r != "error"]}
        fields = fields_of(g, vd)
        out.append(f"\n\nclass {cls}(CqesError):\n")
        out.append(docstring(class_doc(v.get("description", cls), fields), "    "))
        out.append(f"\n    error: ClassVar[str] = {tag!r}\n")
        for f in fields:
            out.append(f"    {f.py}: {f.annotation}\n")
        params = ", ".join(f"{f.py}: {f.annotation}" + ("" if f.required else " = None") for f in fields)
        # `text` is positional-only: `ApiError` has a field named `message` (the service's).
        out.append(f"\n    def __init__(self, text: str, /, *, {params}) -> None:\n" if fields
                   else "\n    def __init__(self, text: str, /) -> None:\n")
        out.append("        super().__init__(text)\n")
        for f in fields:
            if f.annotation.startswith("list[") and not f.required:
                out.append(f"        self.{f.py} = {f.py} if {f.py} is not None else []\n")
            else:
                out.append(f"        self.{f.py} = {f.py}\n")
        out.append("        self._fields = {" + ", ".join(f'"{f.py}": {f.py}' for f in fields) + "}\n")
        out.append("\n    @classmethod\n")
        out.append(f"    def _from_wire(cls, text: str, d: Mapping[str, Any]) -> {cls}:\n")
        args = ["text"] + [f"{f.py}={read_field(g, f)}" for f in fields]
        out.append(f"        return cls({', '.join(args)})\n")
        items = "".join(f', "{f.wire}": {g.to_wire(f.prop, "self." + f.py)}' for f in fields)
        out.append("\n    def _to_wire(self) -> dict[str, Any]:\n")
        out.append('        """The core\'s JSON form of this error (`error` plus camelCase fields)."""\n')
        out.append(f'        return {{"error": {tag!r}{items}}}\n')
    out.append("\n\n_CLASSES: dict[str, type[CqesError]] = {\n")
    out += [f'    "{t}": {c},\n' for t, c in ERROR_CLASSES.items()]
    out.append("}\n")
    out.append(helpers)
    return "".join(out)

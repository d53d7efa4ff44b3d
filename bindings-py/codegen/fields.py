"""Fields of a generated class and the code around them: a property's Python name,
annotation, default and declaration (`Field`), the `Attributes:` part of a class docstring,
and the statements reading a field from a wire dict and writing fields out to one. Shared by
the models, the errors and the operation methods.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from schema import clean_doc, snake, strip_null
from wire import Gen


def default_of(g: Gen, prop: dict[str, Any]) -> str:
    """The Python default of an optional property (`None` unless the schema gives one)."""
    node, _ = strip_null(prop)
    if "default" in prop and prop["default"] is not None:
        d = prop["default"]
        name = g.s.ref_name(node)
        if name and g.s.kind(name) == "object":
            return f"field(default_factory={name})"
        if isinstance(d, list):
            return 'b""' if node.get("x-cqes-bytes") else "field(default_factory=list)"
        if isinstance(d, dict):
            return "field(default_factory=dict)"
        return repr(d)
    return "None"


class Field:
    def __init__(self, g: Gen, wire: str, prop: dict[str, Any], required: bool) -> None:
        self.wire = wire
        self.prop = prop
        self.py = snake(prop.get("x-cqes-name") or wire)
        self.required = required
        self.secret = bool(prop.get("x-cqes-secret"))
        # Byte strings (a signed PDF, a certificate) print as their length, not their content.
        self.bytes = "x-cqes-bytes" in json.dumps(prop)
        ann = g.annotation(prop)
        self.default = None if required else default_of(g, prop)
        if self.default == "None" and not ann.startswith("Optional["):
            ann = f"Optional[{ann}]"
        self.annotation = ann
        self.doc = clean_doc(prop.get("description", "")).replace("\n", " ")

    def declaration(self) -> str:
        if self.secret:
            default = self.default
            if default is None:
                value = "field(repr=False)"
            elif default.startswith("field("):
                value = default[:-1] + ", repr=False)"
            else:
                value = f"field(default={default}, repr=False)"
            return f"    {self.py}: {self.annotation} = {value}\n"
        if self.default is None:
            return f"    {self.py}: {self.annotation}\n"
        return f"    {self.py}: {self.annotation} = {self.default}\n"


def fields_of(g: Gen, d: dict[str, Any]) -> list[Field]:
    props = d.get("properties", {})
    required = d.get("required", [])
    out = [Field(g, k, props[k], True) for k in required if k in props]
    out += [Field(g, k, v, False) for k, v in props.items() if k not in required]
    return out


def class_doc(description: str, fields: list[Field], extra: str = "") -> str:
    text = clean_doc(description)
    if extra:
        text += "\n\n" + extra
    if fields:
        text += "\n\nAttributes:\n" + "\n".join(
            textwrap.fill(
                f"{f.py}: {f.doc or '(no description)'}" + (" Secret: hidden from repr()." if f.secret else ""),
                width=96,
                initial_indent="    ",
                subsequent_indent="        ",
            )
            for f in fields
        )
    return text


def read_field(g: Gen, f: Field) -> str:
    """The expression reading field `f` from wire dict `d`."""
    src = f'd["{f.wire}"]'
    aliases = f.prop.get("x-cqes-aliases", [])
    if aliases:
        # serde accepts these spellings too; read them the same way
        src = f'd.get("{f.wire}", ' + "".join(f'd.get("{a}", ' for a in aliases) + "None" + ")" * (len(aliases) + 1)
        conv = g.from_wire(f.prop, src)
        return conv if f.required else f"(None if {src} is None else {g.from_wire(strip_null(f.prop)[0], src)})"
    if f.required:
        return g.from_wire(f.prop, src)
    conv = g.from_wire(strip_null(f.prop)[0], src)
    fallback = f.default or "None"
    if fallback.startswith("field(default_factory="):
        fallback = fallback[len("field(default_factory=") : -1] + "()"
    if conv == src and fallback == "None":
        return f'd.get("{f.wire}")'
    return f'({fallback} if d.get("{f.wire}") is None else {conv})'


def fast_construct(items: list[str]) -> str:
    """The body of a `_from_wire`: fills a frozen instance's `__dict__` in one step, which is
    twice as fast as the generated `__init__` (one `object.__setattr__` per field). Every
    field is given, so nothing `__init__` would default is skipped."""
    return (
        "        o = _new(cls)\n"
        f"        _set(o, \"__dict__\", {{{', '.join(items)}}})\n"
        "        return o\n"
    )


def guarded(code: str) -> str:
    """Wraps the statements that write arguments out: an argument of the wrong type (a dict
    where a model is expected, a number for a list) becomes a `ValidationError`, not an
    `AttributeError` from deep inside."""
    body = "".join("    " + line if line.strip() else line for line in code.splitlines(keepends=True))
    handler = "        except (AttributeError, TypeError) as e:\n            raise _wrong_type(e) from None\n"
    return f"        try:\n{body}{handler}"


def write_fields(g: Gen, fields: list[Field], prefix: str, extra: str | None) -> str:
    """Statements that build wire dict `d` from the values `<prefix><field>` (the model's
    attributes in `_to_wire`, the method's keyword arguments in operation methods, which
    skip the model object: it would only be written out again)."""
    out = []
    req = [f for f in fields if f.required]
    opt = [f for f in fields if not f.required]
    items = ", ".join(f'"{f.wire}": {g.to_wire(f.prop, prefix + f.py)}' for f in req)
    out.append(f"        d: dict[str, Any] = {{{items}}}\n")
    for f in opt:
        conv = g.to_wire(strip_null(f.prop)[0], prefix + f.py)
        out.append(f"        if {prefix}{f.py} is not None:\n            d[\"{f.wire}\"] = {conv}\n")
    if extra:
        out.append(f"        if {extra}:\n            for k, v in {extra}.items():\n")
        out.append("                d.setdefault(k, v)\n")
    return "".join(out)

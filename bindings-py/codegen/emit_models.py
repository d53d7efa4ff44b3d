"""Emits a models module (`cqes/models.py`, `cqes/btrust/models.py`): frozen dataclasses for
objects, open and closed enums, tagged unions, one-of-fields classes and the generic
response envelopes, with their wire conversions and only the imports the body uses.
"""

from __future__ import annotations

import re
from typing import Any

from fields import class_doc, fast_construct, fields_of, read_field, write_fields
from schema import HEADER, Schema, clean_doc, docstring, pascal, snake, upper_snake
from wire import Gen


def emit_object(g: Gen, name: str, d: dict[str, Any], bases: str = "") -> str:
    fields = fields_of(g, d)
    extra_props = d.get("additionalProperties") is True
    out = ["\n\n@dataclass(frozen=True)\n", f"class {name}{'(' + bases + ')' if bases else ''}:\n"]
    doc = class_doc(
        d.get("description", name),
        fields,
        "Fields the service may accept beyond those listed go in `extra` (the shape is inferred)."
        if extra_props
        else "",
    )
    out.append(docstring(doc, "    "))
    out.append("\n")
    out += [f.declaration() for f in fields]
    if extra_props:
        # A model marked secret as a whole (the OIDC signer's claims) keeps `extra` out of repr.
        hidden = ", repr=False" if d.get("x-cqes-secret") else ""
        out.append(f"    extra: dict[str, Any] = field(default_factory=dict{hidden})\n")
    if any(f.bytes for f in fields):
        out.append("\n    __repr__ = _repr_bytes_as_length\n")
    # from_wire
    out.append("\n    @classmethod\n")
    out.append(f"    def _from_wire(cls, d: Mapping[str, Any]) -> {name}:\n")
    args = [f'"{f.py}": {read_field(g, f)}' for f in fields]
    if extra_props:
        known = ", ".join(repr(f.wire) for f in fields)
        # A model of nothing but extra fields keeps the whole object.
        args.append(f'"extra": {{k: v for k, v in d.items() if k not in ({known},)}}' if fields else '"extra": dict(d)')
    out.append(fast_construct(args))
    # to_wire
    out.append("\n    def _to_wire(self) -> dict[str, Any]:\n")
    out.append(write_fields(g, fields, "self.", "self.extra" if extra_props else None))
    out.append("        return d\n")
    return "".join(out)


def emit_open_enum(name: str, d: dict[str, Any]) -> str:
    out = ["\n\n", f"class {name}(OpenEnum):\n"]
    out.append(docstring(
        clean_doc(d.get("description", f"`{name}` values."))
        + "\n\nOpen: a value the service adds later is kept as a pseudo-member (`is_known` is False).",
        "    ",
    ))
    out.append("\n")
    for value, variant, doc in zip(d["x-cqes-open-enum"], d["x-cqes-variants"], d["x-cqes-docs"]):
        out.append(f"    {upper_snake(variant)} = {value!r}\n")
        if doc:
            out.append(docstring(doc, "    "))
    out.append(f"\n\n_read_{name} = _enum_reader({name})\n")
    return "".join(out)


def emit_closed_enum(name: str, d: dict[str, Any]) -> str:
    out = ["\n\n", f"class {name}(str, Enum):\n", docstring(d.get("description", name), "    "), "\n"]
    for v in d["oneOf"]:
        out.append(f"    {upper_snake(v['const'])} = {v['const']!r}\n")
        if v.get("description") and v["description"] != v["const"]:
            out.append(docstring(v["description"], "    "))
    out.append("\n    def __str__(self) -> str:\n        return str(self.value)\n")
    out.append(f"\n\n_read_{name} = _enum_reader({name})\n")
    return "".join(out)


def emit_tagged_union(g: Gen, name: str, d: dict[str, Any]) -> str:
    out = []
    names = []
    for v in d["oneOf"]:
        tag_key, tag = Schema.tag_of(v)  # type: ignore[misc]
        cls = pascal(tag)
        if cls in g.s.defs:
            cls += name
        names.append((cls, tag_key, tag))
        body = {k: p for k, p in v.get("properties", {}).items() if k != tag_key}
        vd = {**v, "properties": body, "required": [r for r in v.get("required", []) if r != tag_key]}
        obj = emit_object(g, cls, vd)
        # the tag is a class constant, written back on the wire
        obj = obj.replace(
            "\n    @classmethod\n",
            f"\n    {snake(tag_key)}: ClassVar[str] = {tag!r}\n\n    @classmethod\n",
            1,
        )
        obj = obj.replace("        d: dict[str, Any] = {", f'        d: dict[str, Any] = {{"{tag_key}": {tag!r}, ', 1)
        obj = obj.replace(f'{{"{tag_key}": {tag!r}, }}', f'{{"{tag_key}": {tag!r}}}')
        out.append(obj)
    union = ", ".join(c for c, _, _ in names)
    out.append(f"\n\n{name} = Union[{union}]\n")
    out.append(f'"""{clean_doc(d.get("description", name))}"""\n')
    out.append(f"\n\ndef _{name}_from_wire(d: Mapping[str, Any]) -> {name}:\n")
    key = names[0][1]
    out.append(f'    tag = d.get("{key}")\n')
    for cls, _, tag in names:
        out.append(f"    if tag == {tag!r}:\n        return {cls}._from_wire(d)\n")
    out.append(f'    raise ValueError(f"unknown {name} {{tag!r}}")\n')
    return "".join(out)


def emit_one_of_fields(g: Gen, name: str, d: dict[str, Any]) -> str:
    """An externally tagged enum (`{"personalId": …}`): one class whose fields are the
    variants, exactly one of them set."""
    out = []
    props: dict[str, Any] = {}
    for v in d["oneOf"]:
        (key, prop), = v["properties"].items()
        if prop.get("type") == "object" and "properties" in prop:
            cls = pascal(key)
            if cls in g.s.defs:
                cls = name + cls
            g.s.inline[cls] = (name, prop)
            g.s.defs[cls] = prop
            out.append(emit_object(g, cls, {**prop, "description": v.get("description", cls)}))
            prop = {"$ref": f"#/$defs/{cls}", "description": v.get("description", "")}
        else:
            prop = {**prop, "description": v.get("description", "")}
        props[key] = {"anyOf": [prop, {"type": "null"}], **{k: prop[k] for k in prop if k.startswith("x-")},
                      "description": prop.get("description", "")}
    body = emit_object(
        g,
        name,
        {"description": d.get("description", name) + "\n\nSet exactly one field.", "properties": props,
         "required": [], "additionalProperties": False},
    )
    out.append(body)
    return "".join(out)


def emit_envelope(g: Gen, base: str, d: dict[str, Any]) -> str:
    fields = [f for f in fields_of(g, d) if f.wire != "data"]
    out = ["\n\n@dataclass(frozen=True)\n", f"class {base}(Generic[T]):\n"]
    data_doc = clean_doc(d["properties"]["data"].get("description", "")).replace("\n", " ")
    out.append(docstring(class_doc(d.get("description", base), fields)
                         + f"\n    data: {data_doc}", "    "))
    out.append("\n")
    out.append("    data: T\n")
    out += [f.declaration() for f in fields if f.required]
    out += [f.declaration() for f in fields if not f.required]
    out.append("\n    @classmethod\n")
    out.append(f"    def _from_wire(cls, d: Mapping[str, Any], data: Callable[[Any], T]) -> {base}[T]:\n")
    args = ['"data": data(d.get("data"))'] + [f'"{f.py}": {read_field(g, f)}' for f in fields]
    out.append(fast_construct(args))
    out.append("\n    def _to_wire(self, data: Callable[[T], Any]) -> dict[str, Any]:\n")
    items = ", ".join(f'"{f.wire}": {g.to_wire(f.prop, "self." + f.py)}' for f in fields)
    out.append(f'        return {{"data": data(self.data), {items}}}\n')
    return "".join(out)


def models_prelude(body: str, runtime: str, imports: str) -> str:
    """Imports of a models module: only what `body` uses (ruff would flag the rest)."""

    def used(names: list[str]) -> list[str]:
        return [n for n in names if re.search(rf"\b{n}\b", body)]

    lines = ["", "from __future__ import annotations", ""]
    dc = used(["dataclass", "field"])
    if dc:
        lines.append(f"from dataclasses import {', '.join(dc)}")
    if re.search(r"\(str, Enum\)", body):
        lines.append("from enum import Enum")
    typing_names = used(["Any", "Callable", "ClassVar", "Generic", "Mapping", "Optional", "TypeVar", "Union"])
    if "Generic[T]" in body:
        typing_names = sorted(set(typing_names) | {"TypeVar"})
    lines.append(f"from typing import {', '.join(typing_names)}")
    lines.append("")
    rt = used(["OpenEnum", "RawJson", "TimestampMixin", "_enum_reader", "_enum_value", "_identity",
               "_new", "_raw_json", "_repr_bytes_as_length", "_set"])
    if rt:
        one_line = f"from {runtime} import {', '.join(rt)}"
        if len(one_line) <= 120:
            lines.append(one_line)
        else:  # isort's wrapped form, as ruff writes it
            lines.append(f"from {runtime} import (\n" + "".join(f"    {n},\n" for n in rt) + ")")
    if imports:
        lines.append(imports)
    if "Generic[T]" in body:
        lines += ["", 'T = TypeVar("T")']
    return "\n".join(lines) + "\n"


def emit_models(g: Gen, names: list[str], module_doc: str, runtime: str,
                shared: tuple[str, list[str]] | None = None) -> str:
    exported: list[str] = []
    envelopes_done: set[str] = set()
    body = []
    for name in names:
        d = g.s.defs[name]
        kind = g.s.kind(name)
        if kind == "open_enum":
            body.append(emit_open_enum(name, d))
        elif kind == "closed_enum":
            body.append(emit_closed_enum(name, d))
        elif kind == "tagged_union":
            body.append(emit_tagged_union(g, name, d))
            for v in d["oneOf"]:
                cls = pascal(Schema.tag_of(v)[1])  # type: ignore[index]
                exported.append(cls + name if cls in g.s.defs else cls)
        elif kind == "one_of_fields":
            before = set(g.s.inline)
            body.append(emit_one_of_fields(g, name, d))
            exported += sorted(set(g.s.inline) - before)
        elif kind == "envelope":
            base = d["x-cqes-envelope"]
            if base in envelopes_done:
                continue
            envelopes_done.add(base)
            body.append(emit_envelope(g, base, d))
            name = base
        else:
            bases = "TimestampMixin" if d.get("x-cqes-timestamp") else ""
            body.append(emit_object(g, name, d, bases))
        exported.append(name)
    text = "".join(body)
    imports = ""
    if shared:
        candidates = [x for n in shared[1] for x in (n, f"_read_{n}")]
        names_used = [n for n in candidates if re.search(rf"\b{n}\b", text)]
        if names_used:
            imports = f"from {shared[0]} import {', '.join(names_used)}"
    out = [HEADER, f'"""{module_doc}"""\n', models_prelude(text, runtime, imports)]
    out.append("\n__all__ = [\n" + "".join(f'    "{n}",\n' for n in sorted(set(exported))) + "]\n")
    out.append(text)
    return "".join(out)

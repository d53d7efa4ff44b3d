"""Type annotations and wire conversions: for a schema node, the Python annotation of its
value and the expressions that read it from (`from_wire`) and write it to (`to_wire`) the
core's wire form (camelCase dicts, `bytes` for byte strings), as straight-line code.
"""

from __future__ import annotations

import re
from typing import Any

from schema import Schema, strip_null


class Gen:
    """Type annotations and conversion expressions for schema nodes."""

    def __init__(self, schema: Schema) -> None:
        self.s = schema
        self.counter = 0

    def fresh(self) -> str:
        self.counter += 1
        return f"e{self.counter}"

    def annotation(self, node: dict[str, Any]) -> str:
        node, nullable = strip_null(node)
        t = self._annotation(node)
        return f"Optional[{t}]" if nullable else t

    def _annotation(self, node: dict[str, Any]) -> str:
        if node.get("x-cqes-raw-json"):
            return "RawJson"
        name = self.s.ref_name(node)
        if name:
            if self.s.kind(name) == "envelope":
                return self.envelope_annotation(name)
            return name
        if node.get("x-cqes-bytes"):
            return "bytes"
        if node.get("x-cqes-bytes-or-text"):
            return "Union[bytes, str]"
        t = node.get("type")
        if t == "string":
            return "str"
        if t == "integer":
            return "int"
        if t == "number":
            return "float"
        if t == "boolean":
            return "bool"
        if t == "array":
            if "prefixItems" in node.get("items", {}):
                inner = ", ".join(self.annotation(i) for i in node["items"]["prefixItems"])
                return f"list[tuple[{inner}]]"
            return f"list[{self.annotation(node['items'])}]"
        if t == "object":
            return "dict[str, Any]"
        return "Any"

    def envelope_annotation(self, name: str) -> str:
        base = self.s.defs[name]["x-cqes-envelope"]
        data = self.s.defs[name]["properties"]["data"]
        inner = self.annotation(data) if data.get("$ref") or data.get("type") else "Any"
        return f"{base}[{inner}]"

    def envelope_reader(self, name: str) -> str:
        """A one-argument function expression reading envelope `name` from the wire."""
        base = self.s.defs[name]["x-cqes-envelope"]
        data = self.s.defs[name]["properties"]["data"]
        conv = self.from_wire(data, "x")
        if conv == "x":
            data_fn = "_identity"
        elif re.fullmatch(r"\w+\._from_wire\(x\)", conv):
            data_fn = conv[: -len("(x)")]
        else:
            data_fn = f"lambda x: {conv}"
        return f"lambda d: {base}._from_wire(d, {data_fn})"

    def from_wire(self, node: dict[str, Any], expr: str) -> str:
        node, nullable = strip_null(node)
        conv = self._from_wire(node, expr)
        if nullable and conv != expr:
            return f"(None if {expr} is None else {conv})"
        return conv

    def _from_wire(self, node: dict[str, Any], expr: str) -> str:
        if node.get("x-cqes-raw-json"):
            return f"_raw_json({expr})"
        name = self.s.ref_name(node)
        if name:
            kind = self.s.kind(name)
            if kind == "envelope":
                return f"({self.envelope_reader(name)})({expr})"
            if kind in ("tagged_union",):
                return f"_{name}_from_wire({expr})"
            if kind in ("open_enum", "closed_enum"):
                # `_read_X` looks the member up in a dict: several times faster than `X(v)`
                return f"_read_{name}({expr})"
            return f"{name}._from_wire({expr})"
        t = node.get("type")
        if t == "array":
            items = node["items"]
            if "prefixItems" in items:
                v = self.fresh()
                return f"[tuple({v}) for {v} in {expr}]"
            v = self.fresh()
            inner = self.from_wire(items, v)
            return expr if inner == v else f"[{inner} for {v} in {expr}]"
        return expr

    def to_wire(self, node: dict[str, Any], expr: str) -> str:
        node, nullable = strip_null(node)
        conv = self._to_wire(node, expr)
        if nullable and conv != expr:
            return f"(None if {expr} is None else {conv})"
        return conv

    def _to_wire(self, node: dict[str, Any], expr: str) -> str:
        if node.get("x-cqes-raw-json"):
            return f"{expr}.body"
        name = self.s.ref_name(node)
        if name:
            kind = self.s.kind(name)
            if kind in ("open_enum", "closed_enum"):
                return f"_enum_value({expr})"
            if kind == "envelope":
                return f"{expr}._to_wire(_identity)"
            return f"{expr}._to_wire()"
        if node.get("type") == "array":
            items = node["items"]
            if "prefixItems" in items:
                v = self.fresh()
                return f"[list({v}) for {v} in {expr}]"
            v = self.fresh()
            inner = self.to_wire(items, v)
            return expr if inner == v else f"[{inner} for {v} in {expr}]"
        return expr

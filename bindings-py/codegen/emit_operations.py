"""Emits `cqes/btrust/_operations.py`: one method per B-Trust operation and three per flow
(run, start, resume), for the sync and the async client, plus the `OPERATION_TYPES` and
`FLOW_TYPES` tables.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from fields import fields_of, guarded, write_fields
from schema import GENERIC_ROOTS, HEADER, clean_doc, docstring, snake
from wire import Gen


def emit_operations(g: Gen, doc: dict[str, Any]) -> str:
    out = [HEADER, '"""One method per B-Trust operation and flow, for `Client` and `AsyncClient`."""\n',
           """
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar, Union

from .._runtime import {runtime_imports}
from ..errors import _wrong_type
from .models import (
{model_imports}
)

if TYPE_CHECKING:
    from .._flow import AsyncFlow, Flow, ProgressCallback
    from ..models import FlowOptions

T = TypeVar("T")
""", ]
    readers = []
    types = []
    methods: set[str] = set()
    sync_m = []
    async_m = []
    for op in doc["operations"]:
        name = op["name"]
        short = name.split(".", 1)[1]
        method = snake(short)
        in_name = g.s.ref_name(op["input"])
        out_name = g.s.ref_name(op["output"])
        assert in_name and out_name
        in_def = g.s.defs[in_name]
        reader = f"_read_{method}"
        if g.s.kind(out_name) == "envelope":
            ret = g.envelope_annotation(out_name)
            body = g.envelope_reader(out_name).replace("lambda d: ", "", 1)
        else:
            ret = out_name
            body = f"{out_name}._from_wire(d)"
        readers.append(f"\n\ndef {reader}(d: Any) -> {ret}:\n    return {body}\n")
        types.append(f'    "{name}": ({in_name}, {reader}),\n')
        fields = fields_of(g, in_def)
        extra = in_def.get("additionalProperties") is True
        params = ", ".join(
            ["*"]
            + [f"{f.py}: {f.annotation}" + ("" if f.required else f" = {f.default}") for f in fields]
            + (["extra: Optional[dict[str, Any]] = None"] if extra else [])
        )
        if params == "*":
            params = ""
        methods.add(method)
        text = clean_doc(op.get("description", "")) + f"\n\nOperation `{name}` (`{op['method']} {op['path']}`)."
        if fields:
            text += "\n\nArgs:\n" + "\n".join(
                textwrap.fill(f"{f.py}: {f.doc}", width=92, initial_indent="    ", subsequent_indent="        ")
                for f in fields
            )
        if extra:
            text += "\n    extra: further body fields (the body's shape is inferred)."
        text += "\n\nRaises:\n    CqesError: a subclass for each failure (see `cqes.errors`)."
        ds = docstring(text, "        ")
        wire = guarded(write_fields(g, fields, "", "extra" if extra else None))
        sync_m.append(f"\n    def {method}(self, {params}) -> {ret}:\n{ds}{wire}"
                      f'        return self._call("{name}", d, {reader})\n')
        async_m.append(f"\n    async def {method}(self, {params}) -> {ret}:\n{ds}{wire}"
                       f'        return await self._call("{name}", d, {reader})\n')
    for fl in doc["flows"]:
        name = fl["name"]
        method = fl["method"]  # the core's flow list names it (snake_case already)
        for m in (method, f"start_{method}", f"resume_{method}"):
            if m in methods:
                raise SystemExit(f"flow method {m} collides with an operation")
        in_name = g.s.ref_name(fl["input"])
        out_name = g.s.ref_name(fl["outcome"])
        assert in_name and out_name
        in_def = g.s.defs[in_name]
        fields = fields_of(g, in_def)
        params = ", ".join(
            [f"{f.py}: {f.annotation}" + ("" if f.required else f" = {f.default}") for f in fields]
        )
        build = f"{in_name}({', '.join(f'{f.py}={f.py}' for f in fields)})"
        argdoc = "\n".join(
            textwrap.fill(f"{f.py}: {f.doc}", width=92, initial_indent="    ", subsequent_indent="        ")
            for f in fields
        )
        common = ("    options: flow options (poll timing, whether to download); the client's by default.\n")
        run_doc = (f"Runs flow `{name}` to the end and returns its outcome.\n\n"
                   f"{clean_doc(in_def.get('description', ''))}\n\nArgs:\n{argdoc}\n{common}"
                   "    progress: called with a `Progress` after every step (show `user_action`).\n\n"
                   "Raises:\n    SigningRejected, SigningExpired, ApiError, TransportError, …: see `cqes.errors`.")
        start_doc = (f"Starts flow `{name}` without running it: run, snapshot or hand it to another\n"
                     f"worker.\n\nArgs:\n{argdoc}\n{common}")
        resume_doc = f"Restores a `{name}` flow from `Flow.snapshot()` text (any worker, any process)."
        run_params = f"{params}, options: Optional[FlowOptions] = None, progress: Optional[ProgressCallback] = None"
        start_params = f"{params}, options: Optional[FlowOptions] = None"
        reader = f"{out_name}._from_wire"
        sync_m.append(
            f"\n    def {method}(self, *, {run_params}) -> {out_name}:\n{docstring(run_doc, '        ')}"
            f"        return self.start_{method}({', '.join(f'{f.py}={f.py}' for f in fields)}, options=options)"
            f".run(progress=progress)\n"
            f"\n    def start_{method}(self, *, {start_params}) -> Flow[{out_name}]:\n"
            f"{docstring(start_doc, '        ')}"
            + guarded(f"        d = {build}._to_wire()\n")
            + f'        return self._start("{name}", d, {reader}, options)\n'
            f"\n    def resume_{method}(self, snapshot: str) -> Flow[{out_name}]:\n{docstring(resume_doc, '        ')}"
            f'        return self._resume("{name}", snapshot, {reader})\n'
        )
        async_m.append(
            f"\n    async def {method}(self, *, {run_params}) -> {out_name}:\n{docstring(run_doc, '        ')}"
            f"        return await self.start_{method}({', '.join(f'{f.py}={f.py}' for f in fields)}, options=options)"
            f".run(progress=progress)\n"
            f"\n    def start_{method}(self, *, {start_params}) -> AsyncFlow[{out_name}]:\n"
            f"{docstring(start_doc, '        ')}"
            + guarded(f"        d = {build}._to_wire()\n")
            + f'        return self._start("{name}", d, {reader}, options)\n'
            f"\n    def resume_{method}(self, snapshot: str) -> AsyncFlow[{out_name}]:\n"
            f"{docstring(resume_doc, '        ')}"
            f'        return self._resume("{name}", snapshot, {reader})\n'
        )
    out.append("\n")
    out += readers
    out.append("\nOPERATION_TYPES: dict[str, tuple[Any, Callable[[Any], Any]]] = {\n")
    out += types
    out.append("}\n")
    out.append('"""Input class and output reader of every operation, by name (for generic callers and tests)."""\n')
    out.append("\nFLOW_TYPES: dict[str, tuple[Any, Callable[[Any], Any]]] = {\n")
    for fl in doc["flows"]:
        out.append(f'    "{fl["name"]}": ({g.s.ref_name(fl["input"])}, {g.s.ref_name(fl["outcome"])}._from_wire),\n')
    out.append("}\n")
    out.append('"""Input class and outcome reader of every flow, by name."""\n')
    text_so_far = "".join(out[1:]) + "".join(readers) + "".join(sync_m) + "".join(types)
    used = sorted(n for n in set(re.findall(r"\b[A-Z]\w+\b", text_so_far)) if n in g.s.defs or n in g.s.inline
                  or n in ("ApiResponse", "PlainResponse"))
    used = [n for n in used if not re.fullmatch(r"(ApiResponse|PlainResponse)\d+", n)]
    generic_names = set(g.s.closure(GENERIC_ROOTS))
    used = sorted((n for n in used if n not in generic_names), key=str.lower)  # isort's order
    out[2] = out[2].replace("{model_imports}", "".join(f"    {n},\n" for n in used).rstrip("\n"))
    rt = [n for n in ("_enum_value", "_identity") if re.search(rf"\b{n}\b", text_so_far)]
    out[2] = out[2].replace("{runtime_imports}", ", ".join(rt))
    if not re.search(r"\bUnion\[", text_so_far):
        out[2] = out[2].replace(", TypeVar, Union", ", TypeVar")
    for cls, members, base_call in (
        ("SyncOperations", sync_m, """
    def _call(self, op: str, wire: dict[str, Any], read: Callable[[Any], T]) -> T:
        raise NotImplementedError

    def _start(self, flow: str, wire: dict[str, Any], read: Callable[[Any], T],
               options: Optional[FlowOptions]) -> Flow[T]:
        raise NotImplementedError

    def _resume(self, flow: str, snapshot: str, read: Callable[[Any], T]) -> Flow[T]:
        raise NotImplementedError
"""),
        ("AsyncOperations", async_m, """
    async def _call(self, op: str, wire: dict[str, Any], read: Callable[[Any], T]) -> T:
        raise NotImplementedError

    def _start(self, flow: str, wire: dict[str, Any], read: Callable[[Any], T],
               options: Optional[FlowOptions]) -> AsyncFlow[T]:
        raise NotImplementedError

    def _resume(self, flow: str, snapshot: str, read: Callable[[Any], T]) -> AsyncFlow[T]:
        raise NotImplementedError
"""),
    ):
        kind = "blocking" if cls.startswith("Sync") else "asyncio"
        doc_line = f'    """The B-Trust operations and flows ({kind}); mixed into the client."""\n'
        out.append(f"\n\nclass {cls}:\n{doc_line}")
        out.append(base_call)
        out += members
    return "".join(out)

#!/usr/bin/env python3
"""Generates the Python models of the `cqes` package from cqes-core's JSON Schema.

The core is the only place a model is written by hand. `cargo run -p cqes-schema` describes
every operation, flow and shared type as JSON Schema with a few `x-cqes-*` annotations
(secrets, byte strings, open enums, timestamps); this script turns that document into:

- `cqes/models.py`: provider-independent types (HTTP request/response, flow options,
  progress, user actions);
- `cqes/errors.py`: the exception hierarchy, one class per core error code;
- `cqes/btrust/models.py`: every B-Trust input and output;
- `cqes/btrust/_operations.py`: one method per operation and per flow, for the sync and
  the async client.

Conversions to and from the core's wire form (camelCase dicts, `bytes` for byte strings) are
emitted as straight-line code, not reflection, because they sit on every call's hot path.

Usage: `generate.py [--schema FILE] [--out DIR] [--check]`. Without `--schema` it runs the
schema tool through cargo. `--check` writes nothing and fails when a committed file differs
from what the schema generates (CI runs it).

The code is split by concern, in this folder: `schema.py` (reading the schema, kinds, names),
`wire.py` (annotations, conversions from and to the wire), `fields.py` (a class's fields),
and one emitter per kind of output file: `emit_models.py`, `emit_errors.py`,
`emit_operations.py`. This script is run directly (its folder is then first on `sys.path`),
so they are imported as top-level modules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from emit_errors import emit_errors
from emit_models import emit_models
from emit_operations import emit_operations
from schema import GENERIC_ROOTS, Schema, load_schema
from wire import Gen

PKG = Path(__file__).resolve().parents[1] / "python"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema", help="schema JSON (default: run cqes-schema through cargo)")
    ap.add_argument("--out", default=str(PKG), help="package root to write into")
    ap.add_argument("--check", action="store_true", help="only compare with the files under --out")
    args = ap.parse_args()
    doc = load_schema(args.schema)
    s = Schema(doc)
    g = Gen(s)
    generic = s.closure(GENERIC_ROOTS)
    generic = [n for n in generic if n != "Error"] + ["Issue", "ItemState", "TransportErrorKind"]
    generic = list(dict.fromkeys(generic))
    roots = [s.ref_name(o["input"]) for o in doc["operations"]] + [s.ref_name(o["output"]) for o in doc["operations"]]
    roots += [s.ref_name(f["input"]) for f in doc["flows"]] + [s.ref_name(f["outcome"]) for f in doc["flows"]]
    roots += [s.ref_name(v) for v in doc["types"].values()]
    btrust = [n for n in s.closure([r for r in roots if r]) if n not in generic and n != "Error"]
    out = Path(args.out)
    files = {
        "cqes/models.py": emit_models(
            g, generic, "Types every provider shares: HTTP values, flow options, progress, user actions.",
            "._runtime",
        ),
        "cqes/errors.py": emit_errors(g, s.defs["Error"]),
        "cqes/btrust/models.py": emit_models(
            g, btrust, "B-Trust models: every operation's input and output, flow inputs and outcomes.",
            ".._runtime", ("..models", generic),
        ),
        "cqes/btrust/_operations.py": emit_operations(g, doc),
    }
    if args.check:
        stale = [rel for rel, text in files.items()
                 if not (out / rel).exists() or (out / rel).read_text(encoding="utf-8") != text]
        for rel in stale:
            print(f"{rel} is not what the schema generates: run bindings-py/codegen/generate.py", file=sys.stderr)
        print(f"generated files: {len(files) - len(stale)} of {len(files)} up to date")
        return 1 if stale else 0
    for rel, text in files.items():
        p = out / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

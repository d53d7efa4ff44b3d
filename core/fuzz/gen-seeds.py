#!/usr/bin/env python3
"""Writes the fuzz seeds and the dictionary from the conformance vectors and the JSON Schema.

  core/fuzz/gen-seeds.py        (re)writes core/fuzz/seeds/<target>/vec-* and btrust.dict

Seeds are written only for targets whose input is bytes the vectors contain directly (an
operation input as JSON, a response body, a callback body, a rule value); the structured
targets (arbitrary-driven) pick the vectors from memory and need no files. Files are named by
the hash of their content, so re-running is idempotent, and campaign entries (merged by
scripts/fuzz) live beside them. Inputs larger than MAX_SEED bytes are skipped.
"""
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "core" / "fuzz"
VECTORS = ROOT / "tests" / "vectors"
SCHEMA = ROOT / "tools" / "schema" / "cqes.schema.json"
MAX_SEED = 4096  # bytes; the same cap scripts/fuzz passes as -max_len when merging


def operations():
    """Operation names in registry order (core/src/btrust/list.rs), from each NAME const."""
    listing = (ROOT / "core/src/btrust/list.rs").read_text()
    block = listing.split("macro_rules! btrust_operations", 1)[1].split("macro_rules!", 1)[0]
    names = []
    for group, ty in re.findall(r"(\w+)::(\w+),", block):
        found = None
        for f in sorted((ROOT / "core/src/btrust" / group).rglob("*.rs")):
            m = re.search(r"impl Operation for " + ty + r"\b.*?const NAME: &'static str = \"([^\"]+)\"",
                          f.read_text(), re.S)
            if m:
                found = m.group(1)
                break
        if not found:
            sys.exit(f"gen-seeds: no NAME for {group}::{ty}")
        names.append(found)
    return names


def body_of(resp):
    if "body" in resp:
        return resp["body"].encode()
    if "bodyJson" in resp:
        return json.dumps(resp["bodyJson"], ensure_ascii=False).encode()
    if "bodyBase64" in resp:
        import base64
        return base64.b64decode(resp["bodyBase64"])
    return b""


def main():
    ops = operations()
    seeds = {t: set() for t in ["build_json", "envelope", "poll_result", "download", "rules"]}
    words = set()

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                words.add(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str) and 0 < len(v) <= 40 and "\n" not in v:
            words.add(v)

    for path in sorted(VECTORS.rglob("*.json")):
        doc = json.loads(path.read_text())
        walk(doc)
        for case in doc.get("cases", []):
            op = case.get("operation")
            if op in ops and "input" in case:
                text = json.dumps(case["input"], ensure_ascii=False).encode()
                # [operation index, config selector (even: the streaming path)] + JSON
                seeds["build_json"].add(bytes([ops.index(op), 0]) + text)
                seeds["build_json"].add(bytes([ops.index(op), 1]) + text)
            responses = [case["response"]] if "response" in case else []
            for step in case.get("steps", []):
                if "respond" in step:
                    responses.append(step["respond"])
            for r in responses:
                body = body_of(r)
                if "callback" in case:
                    continue
                if op in ops:
                    status = r.get("status", 200)
                    sel = ops.index(op) << 4 & 0xF0
                    seeds["envelope"].add(bytes([sel | [200, 202, 206, 204, 301, 400, 401, 403, 404, 409, 500, 503].index(status) if status in [200, 202, 206, 204, 301, 400, 401, 403, 404, 409, 500, 503] else sel]) + body)
                if op == "btrust.getSignedResult" or b"signatures" in body:
                    seeds["poll_result"].add(bytes([{200: 0, 206: 1, 404: 2, 500: 3}.get(r.get("status", 200), 0)]) + body)
                headers = dict((h[0].lower(), h[1]) for h in r.get("headers", []))
                if "content-disposition" in headers:
                    seeds["download"].add(
                        f"{headers['content-disposition']}\n{headers.get('content-type', 'application/pdf')}\n".encode() + body)
            if "rule" in case and isinstance(case.get("value"), str):
                # mode 2: a string value for the rule the next byte picks
                seeds["rules"].add(bytes([2, 0]) + case["value"].encode())

    if SCHEMA.exists():
        walk(json.loads(SCHEMA.read_text()))
    words.update(ops)

    for target, items in seeds.items():
        d = FUZZ / "seeds" / target
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("vec-*"):
            old.unlink()
        for s in items:
            if len(s) <= MAX_SEED:
                (d / ("vec-" + hashlib.sha1(s).hexdigest()[:16])).write_bytes(s)

    def esc(w):
        out = []
        for b in w.encode():
            if b in (0x22, 0x5C) or b < 0x20 or b > 0x7E:
                out.append(f"\\x{b:02X}")
            else:
                out.append(chr(b))
        return "".join(out)

    lines = ["# B-Trust field names, codes and values: generated by core/fuzz/gen-seeds.py from",
             "# tests/vectors and tools/schema/cqes.schema.json. Do not edit by hand."]
    for w in sorted(words):
        if 1 < len(w.encode()) <= 40:
            lines.append(f'"{esc(w)}"')
    for w in ['"$bytes"', '{"$bytes":"', '":"', '":{', '":[', '"version":1', '"flow":"']:
        lines.append(f'"{esc(w)}"')
    (FUZZ / "btrust.dict").write_text("\n".join(dict.fromkeys(lines)) + "\n")
    print(f"gen-seeds: {sum(len(v) for v in seeds.values())} seeds, {len(lines) - 2} dictionary entries")


if __name__ == "__main__":
    main()

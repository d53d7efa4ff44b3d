"""The shared conformance vectors (`tests/vectors`) through the Python binding.

Mirrors the Rust runner (`tests/run_vectors.rs`): same format, same rules (an unknown key or
directory is a failure, never a skip), plus checks only a host can make: every input read
into its typed model and written back builds the byte-identical request, and every output
reads into its typed model and writes back unchanged.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Optional

import pytest

from cqes import _native
from cqes.btrust._operations import FLOW_TYPES, OPERATION_TYPES
from cqes.btrust.models import Config, IdentificationCallback, SignCallback
from cqes.errors import CqesError
from cqes.models import FlowOptions, Progress

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"
KINDS = ("flows", "requests", "responses", "validation")


class VectorError(AssertionError):
    pass


# ----- JSON <-> Python -----------------------------------------------------------------------


def to_py(v: Any) -> Any:
    """Vector JSON → the values a Python caller passes: `{"$bytes": b64}` → `bytes`."""
    if isinstance(v, dict):
        if set(v) == {"$bytes"}:
            return base64.b64decode(v["$bytes"])
        return {k: to_py(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_py(x) for x in v]
    return v


def to_json(v: Any) -> Any:
    """Python output → the vectors' JSON spelling of outputs (the core's wire encoder):
    `bytes` → base64 text, tuples → lists."""
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(v).decode()
    if isinstance(v, dict):
        return {k: to_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    return v


def keys(obj: dict[str, Any], allowed: tuple[str, ...], what: str) -> None:
    for k in obj:
        if k not in allowed:
            raise VectorError(f"{what}: unknown key {k!r} (allowed: {allowed})")


def subset(expected: Any, actual: Any, path: str) -> None:
    """`expected` ⊆ `actual`, as in the Rust runner (numbers by value, booleans strictly)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k, ev in expected.items():
            if k not in actual:
                raise VectorError(f"{path}.{k}: missing (actual {actual})")
            subset(ev, actual[k], f"{path}.{k}")
        return
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            raise VectorError(f"{path}: expected {len(expected)} elements, got {len(actual)}: {actual}")
        for i, (e, a) in enumerate(zip(expected, actual)):
            subset(e, a, f"{path}[{i}]")
        return
    if isinstance(expected, bool) or isinstance(actual, bool):
        if expected is actual:
            return
    elif isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if float(expected) == float(actual):
            return
    elif expected == actual:
        return
    raise VectorError(f"{path}: expected {expected!r}, got {actual!r}")


def output_eq(expected: Any, actual: Any) -> None:
    """Exact equality, except that a top-level `raw` (the body as received) is ignored unless
    expected, and compared as the JSON it holds when it is."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        if "raw" not in expected:
            actual = {k: v for k, v in actual.items() if k != "raw"}
        elif isinstance(actual.get("raw"), str):
            actual = {**actual, "raw": json.loads(base64.b64decode(actual["raw"]))}
    if expected != actual:
        raise VectorError(f"output differs:\n  expected {expected}\n  actual   {actual}")


def error_json(e: BaseException) -> dict[str, Any]:
    if not isinstance(e, CqesError):
        raise VectorError(f"not a CqesError: {type(e).__name__}: {e}")
    wire: dict[str, Any] = to_json(e._to_wire())
    return wire


def response_args(v: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    if not isinstance(v, dict):
        raise VectorError("response must be an object")
    keys(v, ("status", "headers", "body", "bodyJson", "bodyBase64"), "response")
    if sum(k in v for k in ("body", "bodyJson", "bodyBase64")) > 1:
        raise VectorError("give at most one of body, bodyJson, bodyBase64")
    headers = [(h[0], h[1]) for h in v.get("headers", [])]
    if "body" in v:
        body = v["body"].encode()
    elif "bodyJson" in v:
        # serde_json's compact form, like the Rust runner's `to_vec`
        body = json.dumps(v["bodyJson"], separators=(",", ":"), ensure_ascii=False).encode()
    elif "bodyBase64" in v:
        body = base64.b64decode(v["bodyBase64"])
    else:
        body = b""
    return int(v["status"]), headers, body


def request_json(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "method": r["method"],
        "url": r["url"],
        "logUrl": r["logUrl"],
        "headers": [list(h) for h in r["headers"]],
        "body": r["body"].decode(),
        "idempotent": r["idempotent"],
        "response": {"kind": r["expect"]["kind"], "maxBytes": r["expect"]["maxBytes"]},
    }


def config_of(file: dict[str, Any], case: dict[str, Any]) -> Any:
    cfg = case.get("config", file.get("config"))
    if cfg is None:
        raise VectorError("a config is required (in the file or the case)")
    return cfg


def drop_none(v: Any) -> Any:
    """Outputs written back by the typed models omit absent optionals; serde writes null."""
    if isinstance(v, dict):
        return {k: drop_none(x) for k, x in v.items() if x is not None}
    if isinstance(v, (list, tuple)):
        return [drop_none(x) for x in v]
    return v


# ----- case runners ----------------------------------------------------------------------------


def run_request(file: dict[str, Any], case: dict[str, Any]) -> None:
    keys(case, ("name", "operation", "config", "input", "expect", "expectError"), "request case")
    op = case["operation"]
    cfg = config_of(file, case)
    py_input = to_py(case["input"])
    try:
        req: Optional[dict[str, Any]] = _native.build(op, cfg, py_input)
        err: Optional[BaseException] = None
    except Exception as e:
        req, err = None, e
    if "expect" in case and "expectError" not in case:
        if req is None:
            raise VectorError(f"expected a request, got error {err!r}")
        expected = dict(case["expect"])
        keys(expected, ("method", "url", "logUrl", "headers", "body", "bodyJson", "idempotent", "response"),
             "expect")
        for required in ("method", "url", "headers", "idempotent"):
            if required not in expected:
                raise VectorError(f"expect.{required} is required")
        actual = request_json(req)
        if "bodyJson" in expected:
            b = expected.pop("bodyJson")
            parsed = json.loads(actual["body"])
            subset(b, parsed, "body")
            if len(b) != len(parsed):
                raise VectorError(f"the body has other fields: expected {b}, got {parsed}")
        else:
            expected.setdefault("body", "")
        subset(expected, actual, "request")
        # The typed model reads the input and writes back what builds the same request.
        cls, _ = OPERATION_TYPES[op]
        typed = cls._from_wire(py_input)._to_wire()
        again = _native.build(op, cfg, typed)
        if again != req:
            raise VectorError(f"typed round trip changed the request:\n  {req}\n  {again}")
    elif "expectError" in case and "expect" not in case:
        if err is None:
            raise VectorError(f"expected an error, got {req}")
        subset(case["expectError"], error_json(err), "error")
    else:
        raise VectorError("give exactly one of expect, expectError")


def _data_to_wire(x: Any) -> Any:
    return x._to_wire() if hasattr(x, "_to_wire") else x


def run_response(file: dict[str, Any], case: dict[str, Any]) -> None:
    keys(case, ("name", "operation", "callback", "config", "response", "expect", "expectError"),
         "response case")
    status, headers, body = response_args(case["response"])
    read: Any
    try:
        if "operation" in case and "callback" not in case:
            op = case["operation"]
            out = _native.parse(op, status, headers, body)
            read = OPERATION_TYPES[op][1]
        elif "callback" in case and "operation" not in case:
            kind = case["callback"]
            out = _native.parse_callback(kind, config_of(file, case), body)
            read = {"sign": SignCallback._from_wire, "identification": IdentificationCallback._from_wire}[kind]
        else:
            raise VectorError("give operation or callback")
        err: Optional[BaseException] = None
    except CqesError as e:
        out, err = None, e
    if "expect" in case and "expectError" not in case:
        if err is not None:
            raise VectorError(f"expected an output, got error {err!r}")
        output_eq(case["expect"], to_json(out))
        # The typed model reads every output and writes it back unchanged.
        model = read(out)
        back = model._to_wire(_data_to_wire) if hasattr(model, "data") else model._to_wire()
        if drop_none(to_json(back)) != drop_none(to_json(out)):
            raise VectorError(f"typed round trip changed the output:\n  {to_json(out)}\n  {to_json(back)}")
    elif "expectError" in case and "expect" not in case:
        if err is None:
            raise VectorError(f"expected an error, got {out}")
        subset(case["expectError"], error_json(err), "error")
    else:
        raise VectorError("give exactly one of expect, expectError")


def run_validation(file: dict[str, Any], case: dict[str, Any]) -> None:
    keys(case, ("name", "rule", "operation", "config", "value", "input", "issues"), "validation case")
    if "issues" not in case:
        raise VectorError("issues (use [] for valid input)")
    if "rule" in case:
        issues = _native.check_rule(case["rule"], case["value"])
    elif "operation" in case:
        try:
            _native.build(case["operation"], config_of(file, case), to_py(case["input"]))
            issues = []
        except CqesError as e:
            w = error_json(e)
            if w["error"] != "validation":
                raise VectorError(f"expected validation issues, got {e}") from None
            issues = w["issues"]
    else:
        raise VectorError("give rule+value or operation+input")
    subset(case["issues"], issues, "issues")


def step_json(step: dict[str, Any]) -> dict[str, Any]:
    kind = step["step"]
    if kind == "send":
        return {"send": request_json(step["request"])}
    if kind == "wait":
        return {"wait": step["until_ms"]}
    if kind == "done":
        return {"done": to_json(step["outcome"])}
    return {"failed": error_json(step["error"])}


STEP_KEYS = ("next", "expect", "respond", "transportError", "callback", "id", "now", "expectError",
             "snapshotRestore", "progress", "rows")


def run_flow(file: dict[str, Any], case: dict[str, Any], rows: dict[str, set[str]],
             tables: dict[str, list[str]]) -> None:
    keys(case, ("name", "flow", "config", "input", "options", "steps"), "flow case")
    name = case["flow"]
    flow = _native.Flow.start(name, config_of(file, case), to_py(case["input"]), case.get("options"))
    tables[name] = flow._table()
    taken = rows.setdefault(name, set())
    last_id: Optional[int] = None
    for i, s in enumerate(case["steps"]):
        try:
            keys(s, STEP_KEYS, "step")
            now = s.get("now", 0)
            rid = s.get("id", last_id)
            error: Optional[BaseException] = None
            try:
                if "next" in s:
                    st = flow.next(s["next"])
                    if st["step"] == "send":
                        last_id = st["id"]
                    if "expect" not in s:
                        raise VectorError("a next step needs expect")
                    sj = step_json(st)
                    subset(s["expect"], sj, "step")
                    if st["step"] == "done":
                        outcome = FLOW_TYPES[name][1](st["outcome"])
                        if drop_none(to_json(outcome._to_wire())) != drop_none(sj["done"]):
                            raise VectorError("typed round trip changed the outcome")
                elif "respond" in s:
                    if rid is None:
                        raise VectorError("no request was sent yet")
                    flow.handle_response(rid, *response_args(s["respond"]), now)
                elif "transportError" in s:
                    if rid is None:
                        raise VectorError("no request was sent yet")
                    flow.handle_transport_error(rid, s["transportError"], now)
                elif "callback" in s:
                    c = s["callback"]
                    body = c.encode() if isinstance(c, str) else json.dumps(c, separators=(",", ":")).encode()
                    flow.handle_callback(body, now)
                elif "snapshotRestore" in s:
                    snap = flow.snapshot()
                    parsed = json.loads(snap)
                    if parsed.get("version") != 1 or parsed.get("flow") != name:
                        raise VectorError("snapshot header wrong")
                    taken.update(flow._take_transitions())
                    flow = _native.Flow.restore(snap)
                elif "progress" in s:
                    wire = flow.progress()
                    Progress._from_wire(wire)  # the typed model reads it
                    subset(s["progress"], to_json(wire), "progress")
                else:
                    raise VectorError("unknown step kind")
            except CqesError as e:
                error = e
            if error is not None and "expectError" not in s:
                raise VectorError(f"unexpected error: {error}")
            if error is None and "expectError" in s:
                raise VectorError("expected an error from the call")
            if error is not None:
                subset(s["expectError"], error_json(error), "error")
            step_rows = flow._take_transitions()
            if "rows" in s and s["rows"] != step_rows:
                raise VectorError(f"rows: expected {s['rows']}, took {step_rows}")
            taken.update(step_rows)
        except VectorError as e:
            raise VectorError(f"step {i}: {e}") from None


# ----- collection ------------------------------------------------------------------------------


def load_cases() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    out = []
    for d in sorted(VECTORS.iterdir()):
        if d.is_file() and d.suffix == ".md":
            continue
        assert d.is_dir() and d.name in KINDS, f"unexpected entry in tests/vectors: {d.name}"
        for f in sorted(d.iterdir()):
            assert f.suffix == ".json", f"{d.name}/{f.name}: not a .json file"
            file = json.loads(f.read_text(encoding="utf-8"))
            keys(file, ("description", "config", "cases"), "file")
            assert file["cases"], f"{f.name}: no cases"
            for i, case in enumerate(file["cases"]):
                out.append((d.name, f"{d.name}/{f.name}#{i} {case.get('name', '?')}", file, case))
    return out


CASES = load_cases()
ROWS: dict[str, set[str]] = {}
TABLES: dict[str, list[str]] = {}


@pytest.mark.parametrize("kind,label,file,case", CASES, ids=[c[1] for c in CASES])
def test_vector(kind: str, label: str, file: dict[str, Any], case: dict[str, Any]) -> None:
    {"requests": run_request, "responses": run_response, "validation": run_validation}.get(
        kind, lambda f, c: run_flow(f, c, ROWS, TABLES)
    )(file, case)


def test_every_operation_and_flow_row_is_covered() -> None:
    """Runs after the cases (pytest keeps file order): the same coverage rules as Rust."""
    seen = {(k, c["operation"]) for k, _, _, c in CASES if k in ("requests", "responses") and "operation" in c}
    missing = [f"{k}:{op}" for op in _native.operations() for k in ("requests", "responses") if (k, op) not in seen]
    assert not missing, f"operations without vectors: {missing}"
    for flow in _native.flows():
        assert flow in TABLES, f"no flow vector for {flow}"
        untaken = [r for r in TABLES[flow] if r not in ROWS.get(flow, set())]
        assert not untaken, f"flow {flow}: table rows never taken: {untaken}"


def test_vector_count() -> None:
    """Guards against the collection silently shrinking."""
    assert len(CASES) >= 361, len(CASES)
    assert Config._from_wire({"environment": "uat", "relyingPartyId": "1"}).relying_party_id == "1"
    assert FlowOptions()._to_wire()["download"] is True

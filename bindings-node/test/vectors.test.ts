// The shared conformance vectors (tests/vectors, format in tests/README.md) through the Node
// binding. Mirrors the Rust and Python runners: an unknown key or directory is a failure,
// never a skip; every flow table row must be taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { _native as native, _toCqesError as toCqesError, CqesError } from 'cqes';

type Json = any; // vector JSON: checked at run time by the runner itself
const VECTORS = path.resolve(__dirname, '../../../tests/vectors');
const KINDS = ['flows', 'requests', 'responses', 'validation'];

class VectorError extends Error {}
const fail = (m: string): never => { throw new VectorError(m); };

/** Vector JSON → what a JS caller passes: `{"$bytes": b64}` → Uint8Array. */
function toJs(v: Json): Json {
  if (Array.isArray(v)) return v.map(toJs);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$bytes') return new Uint8Array(Buffer.from(v.$bytes, 'base64'));
    return Object.fromEntries(keys.map((k) => [k, toJs(v[k])]));
  }
  return v;
}

/** JS output → the vectors' spelling: bytes → base64, undefined dropped. */
function toJson(v: Json): Json {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, toJson(x)]));
  return v;
}

function keys(obj: Json, allowed: string[], what: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`${what}: unknown key ${k} (allowed: ${allowed})`);
}

function subset(expected: Json, actual: Json, at: string): void {
  if (expected && typeof expected === 'object' && !Array.isArray(expected) && actual && typeof actual === 'object' && !Array.isArray(actual)) {
    for (const [k, e] of Object.entries(expected)) {
      if (!(k in actual)) fail(`${at}.${k}: missing (actual ${JSON.stringify(actual)})`);
      subset(e, actual[k], `${at}.${k}`);
    }
    return;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) fail(`${at}: expected ${expected.length} elements, got ${JSON.stringify(actual)}`);
    expected.forEach((e, i) => subset(e, actual[i], `${at}[${i}]`));
    return;
  }
  if (expected === actual) return;
  fail(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function outputEq(expected: Json, actual: Json): void {
  if (actual && typeof actual === 'object' && expected && typeof expected === 'object') {
    if (!('raw' in expected)) { const { raw, ...rest } = actual; void raw; actual = rest; }
    else if (typeof actual.raw === 'string') actual = { ...actual, raw: JSON.parse(Buffer.from(actual.raw, 'base64').toString()) };
  }
  try { assert.deepStrictEqual(actual, expected); } catch { fail(`output differs:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`); }
}

function errorJson(e: unknown): Json {
  const err = e instanceof CqesError ? e : toCqesError(e);
  if (!(err instanceof CqesError)) fail(`not a CqesError: ${String(e)}`);
  return toJson(err.toJSON());
}

function responseArgs(v: Json): [number, [string, string][], Buffer] {
  if (!v || typeof v !== 'object') fail('response must be an object');
  keys(v, ['status', 'headers', 'body', 'bodyJson', 'bodyBase64'], 'response');
  if (['body', 'bodyJson', 'bodyBase64'].filter((k) => k in v).length > 1) fail('give at most one body');
  const body = 'body' in v ? Buffer.from(v.body) : 'bodyJson' in v ? Buffer.from(JSON.stringify(v.bodyJson)) : 'bodyBase64' in v ? Buffer.from(v.bodyBase64, 'base64') : Buffer.alloc(0);
  return [v.status, (v.headers ?? []).map((h: string[]) => [h[0], h[1]]), body];
}

function requestJson(r: Json): Json {
  return {
    method: r.method, url: r.url, logUrl: r.logUrl, headers: r.headers, body: Buffer.from(r.body).toString(),
    idempotent: r.idempotent, response: { kind: r.expect.kind, maxBytes: r.expect.maxBytes },
  };
}

const configOf = (file: Json, c: Json) => native.NativeConfig.unchecked(c.config ?? file.config ?? fail('a config is required'));

function attempt<T>(f: () => T): [T | undefined, unknown] {
  try { return [f(), undefined]; } catch (e) { return [undefined, e]; }
}

/** Builds through the object path and, for inputs without byte strings, through the JSON
 * text path the client prefers for them: both must give the same request or error. */
function build(file: Json, c: Json): [Json, unknown] {
  const [req, err] = attempt(() => native.build(c.operation, configOf(file, c), toJs(c.input)));
  if (!JSON.stringify(c.input ?? null).includes('"$bytes"')) {
    const [req2, err2] = attempt(() => native.buildJson(c.operation, configOf(file, c), JSON.stringify(c.input)));
    const same = req ? req2 && JSON.stringify(requestJson(req)) === JSON.stringify(requestJson(req2))
      : err2 !== undefined && JSON.stringify(strip(errorJson(err))) === JSON.stringify(strip(errorJson(err2)));
    if (!same) fail(`the JSON path differs: ${String(err2 ?? JSON.stringify(req2))} vs ${String(err ?? JSON.stringify(req))}`);
  }
  return [req, err];
}

/** An error without its human messages (serde words them per input format). */
function strip(e: Json): Json {
  return e.error === 'validation' ? { ...e, issues: e.issues.map((i: Json) => ({ path: i.path, code: i.code })) } : e;
}

function runRequest(file: Json, c: Json): void {
  keys(c, ['name', 'operation', 'config', 'input', 'expect', 'expectError'], 'request case');
  const [req, err] = build(file, c);
  if ('expect' in c && !('expectError' in c)) {
    if (!req) fail(`expected a request, got ${String(err)}`);
    const expected = { ...c.expect };
    keys(expected, ['method', 'url', 'logUrl', 'headers', 'body', 'bodyJson', 'idempotent', 'response'], 'expect');
    for (const k of ['method', 'url', 'headers', 'idempotent']) if (!(k in expected)) fail(`expect.${k} is required`);
    const actual = requestJson(req);
    if ('bodyJson' in expected) {
      const b = expected.bodyJson; delete expected.bodyJson;
      const parsed = JSON.parse(actual.body);
      subset(b, parsed, 'body');
      if (Object.keys(b).length !== Object.keys(parsed).length) fail(`the body has other fields: ${actual.body}`);
    } else expected.body ??= '';
    subset(expected, actual, 'request');
  } else if ('expectError' in c && !('expect' in c)) {
    if (err === undefined) fail('expected an error');
    subset(c.expectError, errorJson(err), 'error');
  } else fail('give exactly one of expect, expectError');
}

function runResponse(file: Json, c: Json): void {
  keys(c, ['name', 'operation', 'callback', 'config', 'response', 'expect', 'expectError'], 'response case');
  const [status, headers, body] = responseArgs(c.response);
  const [out, err] = attempt(() => {
    if ('operation' in c && !('callback' in c)) return native.parse(c.operation, status, headers, body);
    if ('callback' in c && !('operation' in c)) return native.parseCallback(c.callback, configOf(file, c), body);
    return fail('give operation or callback');
  });
  if (err instanceof VectorError) throw err;
  if ('expect' in c && !('expectError' in c)) {
    if (err !== undefined) fail(`expected an output, got ${String(err)}`);
    outputEq(c.expect, toJson(out));
  } else if ('expectError' in c && !('expect' in c)) {
    if (err === undefined) fail('expected an error');
    subset(c.expectError, errorJson(err), 'error');
  } else fail('give exactly one of expect, expectError');
}

function runValidation(file: Json, c: Json): void {
  keys(c, ['name', 'rule', 'operation', 'config', 'value', 'input', 'issues'], 'validation case');
  if (!('issues' in c)) fail('issues (use [] for valid input)');
  let issues: Json;
  if ('rule' in c) issues = native.checkRule(c.rule, c.value);
  else if ('operation' in c) {
    const [, err] = build(file, c);
    issues = [];
    if (err !== undefined) {
      const w = errorJson(err);
      if (w.error !== 'validation') fail(`expected validation issues, got ${JSON.stringify(w)}`);
      issues = w.issues;
    }
  } else fail('give rule+value or operation+input');
  subset(c.issues, issues, 'issues');
}

function stepJson(s: Json): Json {
  if (s.step === 'send') return { send: requestJson(s.request) };
  if (s.step === 'wait') return { wait: s.untilMs };
  if (s.step === 'done') return { done: toJson(s.outcome) };
  return { failed: toJson(s.error) };
}

const STEP_KEYS = ['next', 'expect', 'respond', 'transportError', 'callback', 'id', 'now', 'expectError', 'snapshotRestore', 'progress', 'rows'];
const ROWS = new Map<string, Set<string>>();
const TABLES = new Map<string, string[]>();

function runFlow(file: Json, c: Json): void {
  keys(c, ['name', 'flow', 'config', 'input', 'options', 'steps'], 'flow case');
  const name: string = c.flow;
  let flow = native.NativeFlow.start(name, configOf(file, c), toJs(c.input), toJs(c.options));
  TABLES.set(name, flow.table());
  const taken = ROWS.get(name) ?? new Set<string>();
  ROWS.set(name, taken);
  let lastId: number | undefined;
  c.steps.forEach((s: Json, i: number) => {
    try {
      keys(s, STEP_KEYS, 'step');
      const now = s.now ?? 0;
      const rid = s.id ?? lastId;
      const [, error] = attempt(() => {
        if ('next' in s) {
          const st = flow.next(s.next);
          if (st.step === 'send') lastId = st.id;
          if (!('expect' in s)) fail('a next step needs expect');
          subset(s.expect, stepJson(st), 'step');
        } else if ('respond' in s) {
          if (rid === undefined) fail('no request was sent yet');
          flow.handleResponse(rid, ...responseArgs(s.respond), now);
        } else if ('transportError' in s) {
          if (rid === undefined) fail('no request was sent yet');
          flow.handleTransportError(rid, s.transportError, now);
        } else if ('callback' in s) {
          flow.handleCallback(Buffer.from(typeof s.callback === 'string' ? s.callback : JSON.stringify(s.callback)), now);
        } else if ('snapshotRestore' in s) {
          const snap = flow.snapshot();
          const parsed = JSON.parse(snap);
          if (parsed.version !== 1 || parsed.flow !== name) fail('snapshot header wrong');
          flow.takeTransitions().forEach((r) => taken.add(r));
          flow = native.NativeFlow.restore(snap);
        } else if ('progress' in s) {
          subset(s.progress, toJson(flow.progress()), 'progress');
        } else fail('unknown step kind');
      });
      if (error instanceof VectorError) throw error;
      if (error !== undefined && !('expectError' in s)) fail(`unexpected error: ${String(error)}`);
      if (error === undefined && 'expectError' in s) fail('expected an error from the call');
      if (error !== undefined) subset(s.expectError, errorJson(error), 'error');
      const rows = flow.takeTransitions();
      if ('rows' in s) subset(s.rows, rows, 'rows');
      rows.forEach((r) => taken.add(r));
    } catch (e) {
      throw new VectorError(`step ${i}: ${(e as Error).message}`);
    }
  });
}

const RUNNERS: Record<string, (file: Json, c: Json) => void> = { requests: runRequest, responses: runResponse, validation: runValidation, flows: runFlow };
let count = 0;
const seenOps = new Set<string>();
for (const dir of fs.readdirSync(VECTORS).sort()) {
  if (dir.endsWith('.md')) continue;
  assert.ok(KINDS.includes(dir), `unexpected entry in tests/vectors: ${dir}`);
  for (const f of fs.readdirSync(path.join(VECTORS, dir)).sort()) {
    assert.ok(f.endsWith('.json'), `${dir}/${f}: not a .json file`);
    const file = JSON.parse(fs.readFileSync(path.join(VECTORS, dir, f), 'utf8'));
    keys(file, ['description', 'config', 'cases'], 'file');
    assert.ok(file.cases.length, `${f}: no cases`);
    file.cases.forEach((c: Json, i: number) => {
      count++;
      if (dir === 'requests' || dir === 'responses') if (c.operation) seenOps.add(`${dir}:${c.operation}`);
      test(`${dir}/${f}#${i} ${c.name ?? '?'}`, () => RUNNERS[dir]!(file, c));
    });
  }
}

test('every operation has request and response vectors, every flow row is taken', () => {
  const missing = native.operations().flatMap((op) => ['requests', 'responses'].map((k) => `${k}:${op}`)).filter((k) => !seenOps.has(k));
  assert.deepEqual(missing, []);
  for (const { name } of native.flowInfo()) {
    const table = TABLES.get(name);
    assert.ok(table, `no flow vector for ${name}`);
    const untaken = table.filter((r) => !ROWS.get(name)?.has(r));
    assert.deepEqual(untaken, [], `flow ${name}: rows never taken`);
  }
});

test('the collection did not shrink', () => {
  assert.ok(count >= 361, String(count));
});

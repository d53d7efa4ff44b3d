// The conformance vectors (tests/README.md) against a loaded @cqes/wasm module `m`; runs in
// Node and in a browser (no Node APIs). Mirrors bindings-py/tests/test_vectors.py: an unknown
// key or kind is a failure, never a skip.
export const KINDS = ['flows', 'requests', 'responses', 'validation'];
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export class VectorError extends Error {}

const b64 = (bytes) => { let s = ''; for (const b of bytes) s += String.fromCharCode(b); return btoa(s); };
const unb64 = (t) => Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Vector JSON → what a JS caller passes: `{"$bytes": b64}` → Uint8Array. */
export function toJs(v) {
  if (Array.isArray(v)) return v.map(toJs);
  if (isObj(v)) {
    const k = Object.keys(v);
    if (k.length === 1 && k[0] === '$bytes') return unb64(v.$bytes);
    return Object.fromEntries(Object.entries(v).map(([a, b]) => [a, toJs(b)]));
  }
  return v;
}

/** Module output → the vectors' spelling: Uint8Array → base64. */
export function toJson(v) {
  if (v instanceof Uint8Array) return b64(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([a, b]) => [a, toJson(b)]));
  return v;
}

function keys(obj, allowed, what) {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) throw new VectorError(`${what}: unknown key ${k}`);
}

export function subset(e, a, path) {
  if (isObj(e) && isObj(a)) {
    for (const [k, ev] of Object.entries(e)) {
      if (!(k in a)) throw new VectorError(`${path}.${k}: missing (actual ${JSON.stringify(a)})`);
      subset(ev, a[k], `${path}.${k}`);
    }
    return;
  }
  if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) throw new VectorError(`${path}: expected ${e.length} elements, got ${JSON.stringify(a)}`);
    e.forEach((x, i) => subset(x, a[i], `${path}[${i}]`));
    return;
  }
  if (e === a) return;
  throw new VectorError(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
}

function deepEq(e, a) {
  if (Array.isArray(e)) return Array.isArray(a) && e.length === a.length && e.every((x, i) => deepEq(x, a[i]));
  if (isObj(e)) {
    if (!isObj(a)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(e).length && ka.every((k) => k in e && deepEq(e[k], a[k]));
  }
  return e === a;
}

function outputEq(expected, actual) {
  if (isObj(actual) && isObj(expected)) {
    if (!('raw' in expected)) { actual = { ...actual }; delete actual.raw; }
    else if (typeof actual.raw === 'string') actual = { ...actual, raw: JSON.parse(dec.decode(unb64(actual.raw))) };
  }
  if (!deepEq(expected, actual)) {
    throw new VectorError(`output differs:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`);
  }
}

/** A thrown value as the core's error JSON; anything but a CqesError fails the vector. */
export function errorJson(e) {
  if (!(e instanceof Error) || e.name !== 'CqesError' || typeof e.error !== 'string') {
    throw new VectorError(`not a CqesError: ${e}`);
  }
  return toJson({ ...e, message: e.message });
}

function response(v) {
  if (!isObj(v)) throw new VectorError('response must be an object');
  keys(v, ['status', 'headers', 'body', 'bodyJson', 'bodyBase64'], 'response');
  let body = new Uint8Array();
  if ('body' in v) body = enc.encode(v.body);
  else if ('bodyJson' in v) body = enc.encode(JSON.stringify(v.bodyJson));
  else if ('bodyBase64' in v) body = unb64(v.bodyBase64);
  return { status: v.status, headers: v.headers ?? [], body };
}

function requestJson(r) {
  return {
    method: r.method, url: r.url, logUrl: r.logUrl, headers: r.headers,
    body: dec.decode(r.body), idempotent: r.idempotent,
    response: { kind: r.expect.kind, maxBytes: r.expect.maxBytes },
  };
}

function configOf(file, c) {
  const cfg = c.config ?? file.config;
  if (cfg === undefined) throw new VectorError('a config is required');
  return cfg;
}

function call(f) {
  try { return [f(), null]; } catch (e) { return [null, e]; }
}

function runRequest(m, file, c) {
  keys(c, ['name', 'operation', 'config', 'input', 'expect', 'expectError'], 'request case');
  const [req, err] = call(() => m.buildRequest(c.operation, configOf(file, c), toJs(c.input)));
  if ('expect' in c && !('expectError' in c)) {
    if (err) throw new VectorError(`expected a request, got ${err}`);
    const expected = { ...c.expect };
    keys(expected, ['method', 'url', 'logUrl', 'headers', 'body', 'bodyJson', 'idempotent', 'response'], 'expect');
    const actual = requestJson(req);
    if ('bodyJson' in expected) {
      const b = expected.bodyJson; delete expected.bodyJson;
      const parsed = JSON.parse(actual.body);
      subset(b, parsed, 'body');
      if (Object.keys(b).length !== Object.keys(parsed).length) throw new VectorError('the body has other fields');
    } else expected.body ??= '';
    subset(expected, actual, 'request');
    // The preview the demo page shows is the body byte for byte.
    if (m.previewBody(c.operation, configOf(file, c), toJs(c.input)) !== actual.body) throw new VectorError('previewBody differs');
  } else if ('expectError' in c && !('expect' in c)) {
    if (!err) throw new VectorError(`expected an error, got ${JSON.stringify(toJson(req))}`);
    subset(c.expectError, errorJson(err), 'error');
  } else throw new VectorError('give exactly one of expect, expectError');
}

function runResponse(m, file, c) {
  keys(c, ['name', 'operation', 'callback', 'config', 'response', 'expect', 'expectError'], 'response case');
  const r = response(c.response);
  let f;
  if ('operation' in c && !('callback' in c)) f = () => m.parseResponse(c.operation, r);
  else if ('callback' in c && !('operation' in c)) f = () => m.parseCallback(c.callback, configOf(file, c), r.body);
  else throw new VectorError('give operation or callback');
  const [out, err] = call(f);
  if ('expect' in c && !('expectError' in c)) {
    if (err) throw new VectorError(`expected an output, got ${err}`);
    outputEq(c.expect, toJson(out));
  } else if ('expectError' in c && !('expect' in c)) {
    if (!err) throw new VectorError(`expected an error, got ${JSON.stringify(toJson(out))}`);
    subset(c.expectError, errorJson(err), 'error');
  } else throw new VectorError('give exactly one of expect, expectError');
}

function runValidation(m, file, c) {
  keys(c, ['name', 'rule', 'operation', 'config', 'value', 'input', 'issues'], 'validation case');
  if (!('issues' in c)) throw new VectorError('issues (use [] for valid input)');
  let issues;
  if ('rule' in c) issues = m.checkRule(c.rule, c.value);
  else if ('operation' in c) {
    issues = m.validate(c.operation, configOf(file, c), toJs(c.input));
    // validate() and buildRequest()'s thrown error agree.
    const [, err] = call(() => m.buildRequest(c.operation, configOf(file, c), toJs(c.input)));
    const thrown = err ? errorJson(err) : { issues: [] };
    if (err && thrown.error !== 'validation') throw new VectorError(`expected validation issues, got ${err}`);
    subset(toJson(issues), thrown.issues, 'validate vs buildRequest');
  } else throw new VectorError('give rule+value or operation+input');
  subset(c.issues, toJson(issues), 'issues');
}

function stepJson(st) {
  const { step, ...rest } = st;
  if (step === 'send') return { send: requestJson(rest.request) };
  if (step === 'wait') return { wait: rest.untilMs };
  if (step === 'done') return { done: toJson(rest) };
  return { failed: toJson(rest) };
}

const STEP_KEYS = ['next', 'expect', 'respond', 'transportError', 'callback', 'id', 'now', 'expectError',
  'snapshotRestore', 'progress', 'rows'];

function runFlow(m, file, c, rows, tables) {
  keys(c, ['name', 'flow', 'config', 'input', 'options', 'steps'], 'flow case');
  const name = c.flow;
  let flow = m.Flow.start(name, configOf(file, c), toJs(c.input), c.options ? toJs(c.options) : undefined);
  tables[name] = flow.table();
  const taken = (rows[name] ??= new Set());
  let lastId = null;
  c.steps.forEach((s, i) => {
    try {
      keys(s, STEP_KEYS, 'step');
      const now = s.now ?? 0;
      const rid = s.id ?? lastId;
      const [, error] = call(() => {
        if ('next' in s) {
          const st = flow.next(s.next);
          if (st.step === 'send') lastId = st.id;
          if (!('expect' in s)) throw new VectorError('a next step needs expect');
          subset(s.expect, stepJson(st), 'step');
        } else if ('respond' in s) {
          if (rid === null) throw new VectorError('no request was sent yet');
          flow.handleResponse(rid, response(s.respond), now);
        } else if ('transportError' in s) {
          if (rid === null) throw new VectorError('no request was sent yet');
          flow.handleTransportError(rid, s.transportError, now);
        } else if ('callback' in s) {
          const body = typeof s.callback === 'string' ? s.callback : JSON.stringify(s.callback);
          flow.handleCallback(enc.encode(body), now);
        } else if ('snapshotRestore' in s) {
          const snap = flow.snapshot();
          const head = JSON.parse(snap);
          if (head.version !== 1 || head.flow !== name) throw new VectorError('snapshot header wrong');
          flow.takeTransitions().forEach((r) => taken.add(r));
          flow.free();
          flow = m.Flow.restore(snap);
        } else if ('progress' in s) {
          subset(s.progress, toJson(flow.progress()), 'progress');
        } else throw new VectorError('unknown step kind');
      });
      if (error instanceof VectorError) throw error;
      if (error && !('expectError' in s)) throw new VectorError(`unexpected error: ${error}`);
      if (!error && 'expectError' in s) throw new VectorError('expected an error from the call');
      if (error) subset(s.expectError, errorJson(error), 'error');
      const stepRows = flow.takeTransitions();
      if ('rows' in s && !deepEq(s.rows, stepRows)) {
        throw new VectorError(`rows: expected ${JSON.stringify(s.rows)}, took ${JSON.stringify(stepRows)}`);
      }
      stepRows.forEach((r) => taken.add(r));
    } catch (e) {
      throw new VectorError(`step ${i}: ${e.message}`);
    }
  });
  flow.free();
}

/** Runs one case of kind `kind`; `state` collects flow rows and tables for coverage. */
export function runCase(m, kind, file, c, state) {
  if (kind === 'requests') return runRequest(m, file, c);
  if (kind === 'responses') return runResponse(m, file, c);
  if (kind === 'validation') return runValidation(m, file, c);
  if (kind === 'flows') return runFlow(m, file, c, state.rows, state.tables);
  throw new VectorError(`unknown kind ${kind}`);
}

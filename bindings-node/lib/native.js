'use strict';
// Loads the native module and turns its errors into cqes error classes. Nothing else here:
// every rule lives in cqes-core.
const path = require('node:path');
const fs = require('node:fs');
const { platformSuffix } = require('./platform');
const { CqesError, InvalidStateError, ValidationError } = require('./errors');

function load() {
  const suffix = platformSuffix();
  // 1. built from a clone (`npm install ./bindings-node` runs scripts/build-native.js);
  // 2. a per-platform prebuilt package (`cqes-<suffix>`, napi-rs's `--platform` layout).
  const local = path.join(__dirname, '..', `cqes.${suffix}.node`);
  if (fs.existsSync(local)) return require(local);
  try {
    return require(`cqes-${suffix}`);
  } catch (e) {
    throw new Error(
      `cqes: no native module for ${suffix}: build it with \`npm run build\` in bindings-node ` +
        `(needs Rust) or install cqes-${suffix} (${e && e.message})`,
    );
  }
}

const raw = load();

const BLOB = '\u0000b';
/** A value from the native side, `[json, ...byteStrings]` (byte strings moved out of the
 * JSON as `{"\u0000b": index}`, see src/lib.rs `Wire`), as plain JS data with Buffers. */
function decode(w) {
  const value = JSON.parse(w[0]);
  return w.length > 1 ? revive(value, w) : value;
}

// A walk after JSON.parse: several times faster than a JSON.parse reviver in V8.
function revive(v, blobs) {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = revive(v[i], blobs);
    return v;
  }
  const index = v[BLOB];
  if (typeof index === 'number') return blobs[index + 1];
  for (const k in v) v[k] = revive(v[k], blobs);
  return v;
}

/** `[name, value]` pairs as the native side reads them: `name\0value\0…` (one string). */
function flatHeaders(headers) {
  if (typeof headers === 'string') return headers;
  let out = '';
  for (const h of headers) {
    if (!Array.isArray(h)) throw new InvalidStateError('a header is a [name, value] pair');
    out += `${out ? '\0' : ''}${h[0]}\0${h[1]}`;
  }
  return out;
}

// The native API with values decoded: what the rest of the package (and the conformance
// runner) calls.
const api = {
  ...raw,
  build: (op, config, input) => decode(raw.build(op, config, input)),
  buildJson: (op, config, text) => decode(raw.buildJson(op, config, text)),
  parse: (op, status, headers, body) => decode(raw.parse(op, status, flatHeaders(headers), body)),
  parseCallback: (kind, config, body) => decode(raw.parseCallback(kind, config, body)),
};
const handleResponse = raw.NativeFlow.prototype.handleResponse;
raw.NativeFlow.prototype.handleResponse = function (id, status, headers, body, nowMs) {
  return handleResponse.call(this, id, status, flatHeaders(headers), body, nowMs);
};
raw.NativeFlow.prototype.next = function next(nowMs) {
  return decode(this.nextWire(nowMs));
};
raw.NativeFlow.prototype.progress = function progress() {
  return decode(this.progressWire());
};

/** The cqes error for a thrown native error: core errors carry their JSON after `cqes:`;
 * anything else (napi's own argument checks) is a value of the wrong type. */
function toCqesError(e) {
  if (e instanceof CqesError) return e;
  const message = e && typeof e.message === 'string' ? e.message : String(e);
  if (message.startsWith('cqes:')) {
    const nl = message.indexOf('\n');
    return CqesError.fromWire(JSON.parse(message.slice(5, nl)), message.slice(nl + 1));
  }
  if (e && /InvalidArg|Expected$/.test(String(e.code))) {
    // napi's own messages name the expected type, never the value passed.
    return new ValidationError([{ path: '$', code: 'invalid_type', message }]);
  }
  return new InvalidStateError(`native call failed: ${message}`);
}

/** Calls a native function, throwing only CqesErrors. */
function call(fn, ...args) {
  try {
    return fn(...args);
  } catch (e) {
    throw toCqesError(e);
  }
}

module.exports = { raw: api, call, toCqesError, flatHeaders };

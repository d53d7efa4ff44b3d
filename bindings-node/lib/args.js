'use strict';
// Checks of the host's own arguments (options objects, signals, callbacks), so that junk gives
// a ValidationError rather than a TypeError from deep inside. Inputs of operations and flows
// are checked by the core.
const { CqesError, ValidationError } = require('./errors');

const invalid = (path, message) => new ValidationError([{ path, code: 'invalid_type', message }]);

/** `{ signal?, progress?, flowOptions? }`, checked. */
function callOptions(o, what = 'options') {
  return reading(what, () => checkOptions(o, what));
}

function checkOptions(o, what) {
  if (o === undefined || o === null) return {};
  if (typeof o !== 'object') throw invalid(what, `${what} must be an object`);
  if (o.signal != null && !(o.signal instanceof AbortSignal)) throw invalid(`${what}.signal`, 'signal must be an AbortSignal');
  if (o.progress != null && typeof o.progress !== 'function') throw invalid(`${what}.progress`, 'progress must be a function');
  if (o.flowOptions != null && typeof o.flowOptions !== 'object') throw invalid(`${what}.flowOptions`, 'flowOptions must be an object');
  return o;
}

const MAX_DEPTH = 64;

/** Checks that `value` nests at most 64 levels (no cycles): the native deserializers recurse,
 * and a cyclic or absurdly deep value would overflow the native stack, which no
 * `catch_unwind` can catch. Byte arrays are leaves. Getters that throw are invalid input.
 * Returns whether `value` holds byte arrays (without, it can cross as JSON text). */
function inspect(value, what = 'input') {
  let bytes = false;
  const walk = (v, depth) => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
      bytes = true;
      return;
    }
    if (depth >= MAX_DEPTH) throw invalid(what, `${what} nests deeper than ${MAX_DEPTH} levels (or is cyclic)`);
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else for (const k of Object.keys(v)) walk(v[k], depth + 1);
  };
  try {
    walk(value, 0);
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw invalid(what, `${what} could not be read`);
  }
  return bytes;
}

/** `inspect`, returning the value. */
function checkDepth(value, what) {
  inspect(value, what);
  return value;
}

/** A flow or operation name. */
function checkName(name) {
  if (typeof name !== 'string') throw invalid('name', 'a name is a string such as "btrust.getCert"');
  return name;
}

/** Runs `f`; anything it throws that is not a CqesError (a getter of a hostile options
 * object, say) becomes a ValidationError about `what`. */
function reading(what, f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof CqesError) throw e;
    throw invalid(what, `${what} could not be read`);
  }
}

module.exports = { callOptions, checkDepth, checkName, inspect, invalid, reading };

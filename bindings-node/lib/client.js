'use strict';
// The client: one method per core operation and flow, generated from the core's registry at
// load time (a new core operation needs no code here), over any transport.
const crypto = require('node:crypto');
const native = require('./native');
const { Flow, responseArgs, exchange } = require('./flow');
const { HttpTransport } = require('./transport');
const { ValidationError } = require('./errors');
const { callOptions, checkDepth, checkName, inspect, reading } = require('./args');

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const upper = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// The constructor's body, outside the class so it is not a method.
function init(self, o) {
  if (o.transport != null && typeof o.transport.send !== 'function') {
    throw new ValidationError([{ path: 'transport', code: 'invalid_type', message: 'a transport has a send(request) method' }]);
  }
  const config = checkDepth({ environment: o.environment, relyingPartyId: o.relyingPartyId }, 'options');
  for (const k of ['language', 'identificationUrl', 'limits']) if (o[k] != null) config[k] = checkDepth(o[k], k);
  /** The validated configuration (native handle). */
  self.config = native.call(() => new native.raw.NativeConfig(config));
  self.transport = o.transport ?? new HttpTransport(o);
  self.flowOptions = o.flowOptions ?? {};
}

class Client {
  constructor(options) {
    reading('options', () => init(this, callOptions(options, 'options')));
  }

  /** Builds, sends and parses operation `name` (`btrust.getCert`, …). */
  async call(name, input, options) {
    const { signal } = callOptions(options, 'options');
    const request = build(checkName(name), this.config, input ?? {});
    const response = await exchange(this.transport, request, signal);
    return native.call(native.raw.parse, name, ...responseArgs(response));
  }

  /** Starts flow `name` (`btrust.sign`, …) without running it. */
  start(name, input, options) {
    const o = reading('options', () => ({ ...callOptions(options, 'options') }));
    // The core derives the relyingPartyCallbackId and the jitter seed from these bytes.
    const flowOptions = { ...this.flowOptions, ...o.flowOptions, entropy: crypto.randomBytes(16) };
    const handle = native.call(() => native.raw.NativeFlow.start(checkName(name), this.config, checkDepth(input ?? {}), checkDepth(flowOptions, 'flowOptions')));
    return new Flow(handle, this.transport);
  }

  /** Rebuilds a flow from `flow.snapshot()` (in any process), to run with this client. */
  resume(snapshot) {
    if (typeof snapshot !== 'string') {
      throw new ValidationError([{ path: 'snapshot', code: 'invalid_type', message: 'a snapshot is the text snapshot() returned' }]);
    }
    return new Flow(native.call(() => native.raw.NativeFlow.restore(snapshot)), this.transport);
  }

  /** A sign callback body as a typed event. */
  parseSignCallback(body) {
    return native.call(native.raw.parseCallback, 'sign', this.config, toBytes(body));
  }

  /** An identification callback body as a typed event; it must name this relying party. */
  parseIdentificationCallback(body) {
    return native.call(native.raw.parseCallback, 'identification', this.config, toBytes(body));
  }

  /** The URL a customer opens for web identification. */
  identificationLink(sessionId) {
    return native.call(native.raw.identificationLink, this.config, sessionId);
  }

  /** Closes the transport's connections. */
  async close() {
    if (this.transport && typeof this.transport.close === 'function') await this.transport.close();
  }
}

/** Builds a request: an input without byte strings crosses as JSON text (cheaper than napi's
 * walk of a JS object); one with them as the object itself (the bytes are not copied). */
function build(name, config, input) {
  if (inspect(input)) return native.call(native.raw.build, name, config, input);
  let text;
  try {
    text = JSON.stringify(input);
  } catch {
    return native.call(native.raw.build, name, config, input); // a BigInt, say: the core explains
  }
  return native.call(native.raw.buildJson, name, config, text === undefined ? 'null' : text);
}

function toBytes(body) {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return body;
  throw new ValidationError([{ path: 'body', code: 'invalid_type', message: 'a callback body is a string or bytes' }]);
}

for (const op of native.raw.operations()) {
  const method = op.slice(op.indexOf('.') + 1);
  Client.prototype[method] = function operation(input, options) {
    return this.call(op, input, options);
  };
}
for (const { name, method } of native.raw.flowInfo()) {
  const stem = camel(method);
  Client.prototype[stem] = function runFlow(input, options) {
    const o = callOptions(options, 'options');
    return Promise.resolve().then(() => this.start(name, input, o).run(o));
  };
  Client.prototype[`start${upper(stem)}`] = function startFlow(input, options) {
    return this.start(name, input, options);
  };
}

module.exports = { Client };

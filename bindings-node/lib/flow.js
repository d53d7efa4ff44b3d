'use strict';
// Running the core's flows: the only loop in the package. The core decides everything (what
// to send, when to poll, whether a lost request may be repeated, when to give up); this
// moves bytes and time between it and a transport.
const native = require('./native');
const { CqesError, TransportError, ValidationError } = require('./errors');
const { callOptions } = require('./args');

/** Wall-clock ms: flows are resumed in other processes, where a monotonic clock means nothing. */
const now = () => Date.now();

/** A response from any transport, in the native call's argument form. */
function responseArgs(r) {
  const headers = Array.isArray(r && r.headers) ? r.headers : Object.entries((r && r.headers) || {});
  // A transport's junk is its bug, reported as such rather than as a TypeError.
  const body = r && r.body != null ? (typeof r.body === 'string' ? Buffer.from(r.body) : r.body) : Buffer.alloc(0);
  return [r && r.status, native.call(native.flatHeaders, headers), body];
}

/** Sends one request; a failure that is not the caller's abort becomes a TransportError. */
async function exchange(transport, request, signal) {
  try {
    return await transport.send(request, { signal });
  } catch (e) {
    if (signal && signal.aborted) throw signal.reason;
    if (e instanceof TransportError) throw e;
    throw new TransportError('the transport failed', 'other', String((e && e.message) || e));
  }
}

/** Resolves after `ms`, or at once when woken or aborted (then rejects with the reason). */
function sleep(ms, flow, signal) {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      flow._wake = null;
      if (signal) signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => { done(); reject(signal.reason); };
    const timer = setTimeout(() => { done(); resolve(); }, Math.max(0, ms));
    flow._wake = () => { done(); resolve(); };
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}

class Flow {
  /** @internal use a client's `start*` / `resume` */
  constructor(handle, transport) {
    this._native = handle;
    this._transport = transport;
    this._wake = null;
    this._woken = false;
    this._listeners = new Set();
    this._last = undefined;
    this._running = null;
  }

  /** The flow's name, e.g. `btrust.sign`. */
  get name() { return this._native.name; }

  /** Where the flow is and what the user must be shown (no personal data). */
  get progress() { return native.call(() => this._native.progress()); }

  /** The whole state as versioned JSON text: store it (it holds personal data) and resume. */
  snapshot() { return this._native.snapshot(); }

  /** Hands a callback body your endpoint received to the flow; a waiting `run` wakes at once. */
  handleCallback(body) {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new ValidationError([{ path: 'body', code: 'invalid_type', message: 'a callback body is a string or bytes' }]);
    }
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    native.call(() => this._native.handleCallback(bytes, now()));
    this._woken = true;
    if (this._wake) this._wake();
  }

  /** Runs the flow to the end; resolves with its outcome, rejects with a CqesError (or the
   * signal's reason). Calling it again while running joins the same run. */
  run(options) {
    let progress, signal;
    try {
      ({ progress, signal } = callOptions(options));
    } catch (e) {
      return Promise.reject(e);
    }
    if (progress) this._listeners.add(progress);
    if (!this._running) {
      // Settled runs stay: awaiting `run()` again gives the same outcome. An aborted run
      // (not a CqesError) may be started again.
      this._running = this._drive(true, signal).catch((e) => {
        if (!(e instanceof CqesError)) this._running = null;
        throw e;
      });
    }
    return this._running;
  }

  /** Does what is due now; resolves with the outcome if finished, `undefined` while waiting. */
  async runPending(options) {
    const { progress, signal } = callOptions(options);
    if (progress) this._listeners.add(progress);
    return this._drive(false, signal);
  }

  /** Progress updates as an async iterator (runs the flow); `await flow.run()` afterwards
   * gives the outcome. */
  async *updates(options) {
    const { signal } = callOptions(options);
    const queue = [];
    let wake = null;
    let finished = false;
    let error;
    const listener = (p) => { queue.push(p); if (wake) wake(); };
    const running = this.run({ progress: listener, signal });
    running.then(() => { finished = true; if (wake) wake(); }, (e) => { error = e; finished = true; if (wake) wake(); });
    try {
      for (;;) {
        if (queue.length) { yield queue.shift(); continue; }
        if (finished) { if (error) throw error; return; }
        await new Promise((r) => { wake = r; });
        wake = null;
      }
    } finally {
      this._listeners.delete(listener);
    }
  }

  [Symbol.asyncIterator]() { return this.updates(); }

  _report() {
    if (!this._listeners.size) return;
    const p = this._native.progress();
    const key = JSON.stringify(p);
    if (key === this._last) return;
    this._last = key;
    for (const l of this._listeners) l(p);
  }

  async _drive(block, signal) {
    for (;;) {
      if (signal && signal.aborted) throw signal.reason;
      const step = native.call(() => this._native.next(now()));
      this._report();
      if (step.step === 'send') {
        let response;
        try {
          response = await exchange(this._transport, step.request, signal);
        } catch (e) {
          if (!(e instanceof TransportError)) throw e; // aborted: the snapshot reconciles it
          native.call(() => this._native.handleTransportError(step.id, e.kind, now()));
          continue;
        }
        native.call(() => this._native.handleResponse(step.id, ...responseArgs(response), now()));
      } else if (step.step === 'wait') {
        if (!block) return undefined;
        if (!this._woken) await sleep(step.untilMs == null ? 60_000 : step.untilMs - now(), this, signal);
        this._woken = false;
      } else if (step.step === 'done') {
        return step.outcome;
      } else {
        throw CqesError.fromWire(step.error, step.message);
      }
    }
  }
}

module.exports = { Flow, responseArgs, exchange, now };

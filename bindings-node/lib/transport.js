'use strict';
// The HTTP transport: undici with mutual TLS. It sends a request exactly as the core built
// it, once: no redirects, no retries (whether a request may be repeated is the core's
// decision: repeating a sign request could make a customer sign twice).
const fs = require('node:fs');
const { Agent, ProxyAgent, request: undiciRequest } = require('undici');
const { TransportError, ValidationError } = require('./errors');
const native = require('./native');
const { callOptions, invalid, reading } = require('./args');

/** A setting that is a path (string) or the content itself (Buffer/Uint8Array). */
function readSetting(value, name) {
  if (value == null) return undefined;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') {
    try {
      return fs.readFileSync(value);
    } catch (e) {
      // The path is not personal data; the file's content never appears in messages.
      throw new ValidationError([{ path: name, code: 'invalid_format', message: `cannot read ${name}: ${e.code || e.message}` }]);
    }
  }
  throw new ValidationError([{ path: name, code: 'invalid_type', message: `${name} must be a path or a Buffer` }]);
}

function pemSetting(value, name) {
  if (typeof value === 'string' || value instanceof Uint8Array) return Buffer.from(value);
  throw invalid(name, `${name} is PEM text or bytes`);
}

/** TLS options (`cert`, `key`, `ca`) from the client's settings. */
function tlsOptions(o) {
  const tls = {};
  if (o.pkcs12 != null) {
    // Through the core (not Node's `pfx`): OpenSSL 3 refuses the legacy ciphers many
    // PKCS#12 files still use.
    if (o.cert != null || o.certPem != null) throw invalid('identity', 'give cert/key or pkcs12, not both');
    if (o.pkcs12Password != null && typeof o.pkcs12Password !== 'string') throw invalid('pkcs12Password', 'pkcs12Password is a string');
    let pem;
    try {
      pem = native.call(native.raw.pkcs12ToPem, readSetting(o.pkcs12, 'pkcs12'), o.pkcs12Password ?? '');
    } catch (e) {
      // A wrong password or a damaged file: name the setting, as for an unreadable PEM file.
      if (e instanceof ValidationError) throw e;
      throw new ValidationError([{ path: 'pkcs12', code: 'invalid_format', message: e.message }]);
    }
    tls.cert = pem;
    tls.key = pem;
  } else {
    tls.cert = o.certPem != null ? pemSetting(o.certPem, 'certPem') : readSetting(o.cert, 'cert');
    tls.key = o.keyPem != null ? pemSetting(o.keyPem, 'keyPem') : readSetting(o.key, 'key');
  }
  const ca = o.caPem != null ? pemSetting(o.caPem, 'caPem') : readSetting(o.ca, 'ca');
  if (ca) tls.ca = ca;
  // Load them now, one at a time, so a wrong file fails here and is named, rather than at
  // the first request.
  const steps = [['ca', { ca: tls.ca }], ['cert', { cert: tls.cert }], ['key', tls]];
  for (const [what, options] of steps) {
    if (what !== 'key' && !options[what]) continue;
    if (what === 'key' && !tls.key && !tls.cert) continue;
    try {
      require('node:tls').createSecureContext(options);
    } catch (e) {
      throw new ValidationError([{ path: what, code: 'invalid_format', message: `${what} could not be loaded (${e.code || 'invalid'})` }]);
    }
  }
  return tls;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** The core's transport error kind for a Node/undici error. */
function kindOf(e) {
  const code = String((e && (e.code || (e.cause && e.cause.code))) || '');
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  if (CONNECT_CODES.has(code)) return 'connect';
  if (/SSL|TLS|CERT|ERR_OSSL/.test(code)) return 'tls';
  if (code) return 'io';
  return 'other';
}

// The constructor's body, outside the class so it is not a method.
function init(self, options) {
  for (const k of ['timeout', 'connectTimeout']) {
    if (options[k] != null && !(Number.isFinite(options[k]) && options[k] > 0)) throw invalid(k, `${k} is a positive number of milliseconds`);
  }
  if (options.proxy != null && typeof options.proxy !== 'string' && !(options.proxy instanceof URL)) throw invalid('proxy', 'proxy is a URL');
  const tls = tlsOptions(options);
  self.timeout = options.timeout ?? 30_000;
  self.anonymous = !tls.cert;
  const connect = { ...tls, timeout: options.connectTimeout ?? 10_000 };
  self.dispatcher = options.proxy
    ? new ProxyAgent({ uri: String(options.proxy), requestTls: connect, proxyTls: tls.ca ? { ca: tls.ca } : undefined })
    : new Agent({ connect });
}

class HttpTransport {
  /**
   * @param {object} options see `ClientOptions` in index.d.ts (cert/key, pkcs12, ca, timeouts, proxy)
   */
  constructor(options) {
    reading('options', () => init(this, callOptions(options)));
  }

  /** Sends `request` once; resolves with the response, rejects with a TransportError (or the
   * signal's reason when aborted). */
  async send(request, options) {
    const { signal } = callOptions(options);
    if (signal && signal.aborted) throw signal.reason;
    // One controller for the overall timeout and the caller's signal (AbortSignal.any needs
    // Node 20).
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new TransportError('timed out', 'timeout', `no complete answer within ${this.timeout} ms`)), this.timeout);
    const onAbort = () => ac.abort(signal.reason);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    try {
      const flat = [];
      for (const [n, v] of request.headers) flat.push(n, v);
      const res = await undiciRequest(request.url, {
        dispatcher: this.dispatcher,
        method: request.method,
        headers: flat,
        body: request.body && request.body.length ? request.body : undefined,
        signal: ac.signal,
        maxRedirections: 0,
        headersTimeout: this.timeout,
        bodyTimeout: this.timeout,
      });
      const max = request.expect ? request.expect.maxBytes : Infinity;
      const chunks = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > max) {
          res.body.destroy();
          throw new TransportError('response too large', 'too_large', `the answer exceeded ${max} bytes`);
        }
        chunks.push(chunk);
      }
      const headers = [];
      for (const [n, v] of Object.entries(res.headers)) {
        for (const x of Array.isArray(v) ? v : [v]) headers.push([n, String(x)]);
      }
      return { status: res.statusCode, headers, body: Buffer.concat(chunks, size) };
    } catch (e) {
      if (e instanceof TransportError) throw e;
      if (ac.signal.aborted) throw ac.signal.reason;
      // The URL may hold personal data (an EGN in the path): name only the kind and code.
      // Under TLS 1.3 a server refuses a missing client certificate after the handshake, and
      // Node reports only a closed socket. Without a certificate nothing can have landed, so
      // calling it `tls` is safe (a dropped answer with a certificate stays `io`: ambiguous).
      const kind = this.anonymous && e && e.code === 'UND_ERR_SOCKET' ? 'tls' : kindOf(e);
      throw new TransportError(`${kind} error (${(e && e.code) || (e && e.name) || 'unknown'})`, kind, `${(e && e.code) || ''} ${request.method} ${request.logUrl}`.trim());
    } finally {
      clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Closes the connection pool. */
  close() {
    return this.dispatcher.close();
  }
}

module.exports = { HttpTransport, kindOf };

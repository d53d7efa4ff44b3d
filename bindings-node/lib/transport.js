'use strict';
// The HTTP transport: undici with mutual TLS. It sends a request exactly as the core built
// it, once: no redirects, no retries (whether a request may be repeated is the core's
// decision: repeating a sign request could make a customer sign twice).
const fs = require('node:fs');
const { Agent, ProxyAgent, request: undiciRequest } = require('undici');
const { TransportError, ValidationError } = require('./errors');
const native = require('./native');

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

/** TLS options (`cert`, `key`, `ca`) from the client's settings. */
function tlsOptions(o) {
  const tls = {};
  if (o.pkcs12 != null) {
    // Through the core (not Node's `pfx`): OpenSSL 3 refuses the legacy ciphers many
    // PKCS#12 files still use.
    const pem = native.call(native.raw.pkcs12ToPem, readSetting(o.pkcs12, 'pkcs12'), o.pkcs12Password ?? '');
    tls.cert = pem;
    tls.key = pem;
  } else {
    tls.cert = o.certPem != null ? Buffer.from(o.certPem) : readSetting(o.cert, 'cert');
    tls.key = o.keyPem != null ? Buffer.from(o.keyPem) : readSetting(o.key, 'key');
  }
  const ca = o.caPem != null ? Buffer.from(o.caPem) : readSetting(o.ca, 'ca');
  if (ca) tls.ca = ca;
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

class HttpTransport {
  /**
   * @param {object} options see `ClientOptions` in index.d.ts (cert/key, pkcs12, ca, timeouts, proxy)
   */
  constructor(options = {}) {
    const tls = tlsOptions(options);
    this.timeout = options.timeout ?? 30_000;
    this.anonymous = !tls.cert;
    const connect = { ...tls, timeout: options.connectTimeout ?? 10_000 };
    this.dispatcher = options.proxy
      ? new ProxyAgent({ uri: String(options.proxy), requestTls: connect, proxyTls: tls.ca ? { ca: tls.ca } : undefined })
      : new Agent({ connect });
  }

  /** Sends `request` once; resolves with the response, rejects with a TransportError (or the
   * signal's reason when aborted). */
  async send(request, { signal } = {}) {
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

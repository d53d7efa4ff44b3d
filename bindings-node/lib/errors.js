'use strict';
// The error classes, named as in every cqes host. Built from the core's error JSON
// (`{"error": code, ...fields}`, tools/schema/ts/CqesError.ts); messages are the core's own
// text, which never carries personal data.

class CqesError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    // Subclasses get their own name (`ValidationError`, …) for stack traces and logs.
    this.name = new.target.name;
  }

  /** The core's JSON form of this error (`{error: code, ...fields}`), as every host writes it. */
  toJSON() {
    if (this.wire) return this.wire;
    const out = { error: this.error };
    for (const k of Object.keys(this)) if (k !== 'name') out[k] = this[k];
    return out;
  }

  /** The error class for the core's error JSON; `text` is the core's message. */
  static fromWire(wire, text) {
    const cls = CODES[wire && wire.error] || InvalidStateError;
    const e = cls === ValidationError ? new ValidationError(wire.issues || [], text) : new cls(text);
    for (const [k, v] of Object.entries(wire || {})) if (k !== 'error') e[k] = v;
    // ApiError's wire `message` is the service's own (scrubbed) text: it becomes the error's
    // message when present, as in the other hosts.
    if (cls === ApiError) e.message = wire.message || text;
    Object.defineProperty(e, 'wire', { value: wire, enumerable: false });
    return e;
  }
}

class ValidationError extends CqesError {
  constructor(issues, message) {
    super(message || `invalid input: ${issues.map((i) => `${i.path}: ${i.code}`).join('; ')}`);
    this.issues = issues;
  }
}
class ApiError extends CqesError {}
class SigningRejected extends CqesError {}
class SigningExpired extends CqesError {}
class ConsentRequiredError extends CqesError {}
class LimitExceededError extends CqesError {}
class UnexpectedResponseError extends CqesError {}
class TransportError extends CqesError {
  constructor(message, kind = 'other', detail = message) {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }
}
class InvalidStateError extends CqesError {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

const CODES = {
  validation: ValidationError,
  api: ApiError,
  rejected: SigningRejected,
  expired: SigningExpired,
  consent_required: ConsentRequiredError,
  limit_exceeded: LimitExceededError,
  unexpected_response: UnexpectedResponseError,
  transport: TransportError,
  invalid_state: InvalidStateError,
};
for (const [code, cls] of Object.entries(CODES)) {
  Object.defineProperty(cls.prototype, 'error', { value: code, enumerable: false });
}

module.exports = {
  CqesError,
  ValidationError,
  ApiError,
  SigningRejected,
  SigningExpired,
  ConsentRequiredError,
  LimitExceededError,
  UnexpectedResponseError,
  TransportError,
  InvalidStateError,
};

'use strict';
// cqes for Node: cloud qualified e-signatures and remote identification with BORICA B-Trust.
// Every rule, model and flow is cqes-core's (Rust, through napi-rs); see README.md.
const native = require('./lib/native');
const errors = require('./lib/errors');
const { Client } = require('./lib/client');
const { Flow } = require('./lib/flow');
const { HttpTransport } = require('./lib/transport');
const { checkDepth } = require('./lib/args');

/** Names of every operation and flow the core offers. */
const operations = () => native.raw.operations();
const flows = () => native.raw.flowInfo().map((f) => f.name);

/** Runs one of the core's validation rules (`egn`, `phone`, …); returns its issues. */
const checkRule = (rule, value) => native.call(native.raw.checkRule, rule, checkDepth(value, 'value'));

module.exports = {
  Client,
  Flow,
  HttpTransport,
  operations,
  flows,
  checkRule,
  ...errors,
  /** The native module itself (the conformance runner's entry; not a stable API). */
  _native: native.raw,
  /** A thrown native error as its CqesError (the conformance runner's helper). */
  _toCqesError: native.toCqesError,
};

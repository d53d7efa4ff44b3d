// Junk of every JavaScript type into every argument of every export: each call returns or
// throws a CqesError (the core's typed error), never a TypeError, a trap or a crash, and the
// module keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as full from '../node.mjs';
import * as validation from '../node-validation.mjs';

let deep = []; // nested deeper than any real input
for (let i = 0; i < 5000; i++) deep = [deep];
const cyclic = {}; cyclic.self = cyclic;
const junk = {
  undefined: undefined, null: null, true: true, zero: 0, negative: -1, fraction: 1.5, NaN: NaN,
  Infinity: Infinity, bigint: 10n ** 30n, string: 'junk', empty: '', bigString: 'x'.repeat(1 << 20),
  symbol: Symbol('s'), object: { a: 1 }, array: [1, 'a', null], function: () => 1,
  bytes: new Uint8Array([0, 255]), buffer: new ArrayBuffer(8), date: new Date(0), map: new Map([[1, 2]]),
  set: new Set([1]), regexp: /x/, error: new Error('x'), promise: Promise.resolve(1), deep, cyclic,
  proxy: new Proxy({}, {}), nullProto: Object.create(null), bytesKey: { $bytes: '!!' },
};
const good = {
  operation: 'btrust.sendSignRequest', rule: 'egn', config: { environment: 'uat', relyingPartyId: '12345678' },
  input: { identity: { personalId: '7501010010' }, request: { contents: [{ confirmText: 'x', contentFormat: 'TEXT', data: 'hi' }] } },
  response: { status: 200, headers: [], body: new Uint8Array() }, kind: 'sign', body: '{}', name: 'btrust.sign',
  now: 1_700_000_000_000, id: 1, snapshot: '{}', transport: 'timeout', value: '7501010010',
};

function expectTyped(what, f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
    assert.equal(e.name, 'CqesError', `${what}: ${e.name}: ${e.message}`);
    assert.equal(typeof e.error, 'string', `${what}: no error code`);
  }
}

function exportsOf(m, withFlows) {
  const calls = {
    checkRule: ['rule', 'value'], validate: ['operation', 'config', 'input'],
    buildRequest: ['operation', 'config', 'input'], previewBody: ['operation', 'config', 'input'],
  };
  if (withFlows) {
    Object.assign(calls, {
      parseResponse: ['operation', 'response'], parseCallback: ['kind', 'config', 'body'],
      'Flow.start': ['name', 'config', 'input', 'options'], 'Flow.restore': ['snapshot'],
    });
  }
  return calls;
}

function callOf(m, name, args) {
  if (name === 'Flow.start') return () => m.Flow.start(...args).free();
  if (name === 'Flow.restore') return () => m.Flow.restore(...args).free();
  return () => m[name](...args);
}

for (const [label, m, withFlows] of [['full', full, true], ['validation', validation, false]]) {
  test(`${label}: junk in every argument of every function is a typed error`, () => {
    let n = 0;
    for (const [name, params] of Object.entries(exportsOf(m, withFlows))) {
      params.forEach((_, at) => {
        for (const [jn, jv] of Object.entries(junk)) {
          const args = params.map((p, i) => (i === at ? jv : good[p === 'options' ? 'undefined' : p]));
          expectTyped(`${name} arg ${at} = ${jn}`, callOf(m, name, args));
          n++;
        }
      });
    }
    assert.ok(n > 100);
    assert.deepEqual(m.checkRule('egn', '7501010010'), []);
  });
}

test('junk into every method of a running flow is a typed error', () => {
  const flow = full.Flow.start('btrust.sign', good.config, { request: good.input.request, identity: good.input.identity });
  const methods = { next: ['now'], handleResponse: ['id', 'response', 'now'], handleTransportError: ['id', 'transport', 'now'], handleCallback: ['body', 'now'] };
  for (const [name, params] of Object.entries(methods)) {
    params.forEach((_, at) => {
      for (const [jn, jv] of Object.entries(junk)) {
        expectTyped(`flow.${name} arg ${at} = ${jn}`, () => flow[name](...params.map((p, i) => (i === at ? jv : good[p]))));
      }
    });
  }
  assert.equal(flow.next(good.now).step === undefined, false);
  flow.free();
});

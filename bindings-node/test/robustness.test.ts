// Junk of every JavaScript type into every exported function: a CqesError (thrown or as a
// rejection), never a crash, a panic or a TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cqes from 'cqes';
import { Client, CqesError } from 'cqes';

const cyclic: Record<string, unknown> = {};
cyclic.self = cyclic;
let deep: unknown = 'x';
for (let i = 0; i < 100_000; i++) deep = [deep];
const hostile = new Proxy({}, { get() { throw new Error('boom'); }, ownKeys() { throw new Error('boom'); } });

const JUNK: unknown[] = [
  undefined, null, true, 0, -1, 1.5, NaN, Infinity, 2 ** 64, 10n ** 30n, '', 'x'.repeat(100_000), '\u0000', Symbol('s'),
  () => 1, [], [1, 'a', null], {}, { contents: 5 }, new Uint8Array(3), new Float64Array(2), new ArrayBuffer(4), new Date(0),
  new Map([[1, 2]]), new Set([1]), /re/, new Error('e'), cyclic, deep, hostile, Promise.resolve(1), Buffer.from('x'),
];

/** Calls `f`; passes when it returns, or throws / rejects with a CqesError. */
async function survives(label: string, f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof CqesError, `${label}: ${Object.prototype.toString.call(e)} ${(e as Error)?.message ?? e}`);
  }
}

const fake = { send: async () => ({ status: 200, headers: [], body: '{}' }) };
const client = new Client({ environment: 'uat', relyingPartyId: '12345678', transport: fake });
const methods = Object.getOwnPropertyNames(Client.prototype).filter((m) => m !== 'constructor' && m !== 'close');

test('every client method', async () => {
  assert.ok(methods.length > 30, String(methods.length));
  for (const m of methods) {
    const f = (client as unknown as Record<string, (...a: unknown[]) => unknown>)[m]!;
    for (const junk of JUNK) {
      await survives(`${m}(junk)`, () => f.call(client, junk));
      await survives(`${m}(name, junk)`, () => f.call(client, 'btrust.getCert', junk));
      await survives(`${m}({}, junk)`, () => f.call(client, {}, junk));
    }
  }
});

test('constructors, flows and functions', async () => {
  const flow = client.startSign({ identity: { personalId: '7501010010' }, request: { contents: [{ confirmText: 'x', contentFormat: 'TEXT', data: 'hello' }] } });
  for (const junk of JUNK) {
    await survives('Client', () => new Client(junk as never));
    await survives('Client({environment})', () => new Client({ environment: junk, relyingPartyId: junk } as never));
    await survives('Client({cert})', () => new Client({ environment: 'uat', relyingPartyId: '1', cert: junk, key: junk, ca: junk, pkcs12: junk, timeout: junk, proxy: junk } as never));
    await survives('HttpTransport', () => new cqes.HttpTransport(junk as never));
    await survives('checkRule', () => cqes.checkRule(junk as never, junk));
    await survives('checkRule(egn)', () => cqes.checkRule('egn', junk));
    await survives('flow.handleCallback', () => flow.handleCallback(junk as never));
    await survives('flow.run', () => flow.runPending(junk as never));
    await survives('resume', () => client.resume(junk as never));
  }
  // Every operation and flow of the core's one list (the schema is generated from it).
  const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'tools', 'schema', 'cqes.schema.json'), 'utf8'));
  assert.equal(cqes.operations().length, schema.operations.length);
  assert.equal(cqes.flows().length, schema.flows.length);
});

test('the native module never crashes the process (on values the package lets through)', () => {
  // Cyclic and very deep values are stopped by the package before the native call (they
  // would overflow the native stack); the rest goes straight in.
  const n = cqes._native as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ['build', 'parse', 'parseCallback', 'checkRule', 'identificationLink', 'pkcs12ToPem']) {
    for (const junk of JUNK.filter((j) => j !== cyclic && j !== deep && j !== hostile)) {
      for (const args of [[junk], [junk, junk, junk], ['btrust.getCert', junk, junk, junk, junk]]) {
        try { n[name]!(...args); } catch (e) { assert.ok(cqes._toCqesError(e) instanceof CqesError); }
      }
    }
  }
});

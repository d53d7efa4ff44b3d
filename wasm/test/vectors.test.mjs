// Every conformance vector through the wasm module in Node, plus the coverage rules of the
// Rust runner (every operation has request and response vectors, every flow row is taken).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as m from '../node.mjs';
import { KINDS, runCase } from './vectors.mjs';

const dir = new URL('../../tests/vectors/', import.meta.url).pathname;
const cases = [];
for (const kind of readdirSync(dir)) {
  if (kind.endsWith('.md')) continue;
  assert.ok(KINDS.includes(kind), `unexpected entry in tests/vectors: ${kind}`);
  for (const f of readdirSync(join(dir, kind)).sort()) {
    assert.ok(f.endsWith('.json'), `${kind}/${f}: not a .json file`);
    const file = JSON.parse(readFileSync(join(dir, kind, f), 'utf8'));
    for (const k of Object.keys(file)) assert.ok(['description', 'config', 'cases'].includes(k), `${f}: key ${k}`);
    assert.ok(file.cases.length > 0, `${f}: no cases`);
    file.cases.forEach((c, i) => cases.push({ kind, label: `${kind}/${f}#${i} ${c.name}`, file, c }));
  }
}
const state = { rows: {}, tables: {} };

for (const { kind, label, file, c } of cases) {
  test(label, () => runCase(m, kind, file, c, state));
}

test('every operation has vectors and every flow row is taken', () => {
  const seen = new Set(cases.filter((x) => x.c.operation).map((x) => `${x.kind}:${x.c.operation}`));
  const missing = m.operations().flatMap((op) => ['requests', 'responses'].map((k) => `${k}:${op}`)).filter((k) => !seen.has(k));
  assert.deepEqual(missing, []);
  for (const flow of m.flows()) {
    assert.ok(state.tables[flow], `no flow vector for ${flow}`);
    assert.deepEqual(state.tables[flow].filter((r) => !state.rows[flow].has(r)), [], `${flow}: rows never taken`);
  }
});

test('the collection does not shrink', () => assert.ok(cases.length >= 361, String(cases.length)));

// Node, Deno and Bun: the --target web module, instantiated synchronously from its bytes at
// import (no fetch of a file: URL), so `await init()` is optional here.
import { readFileSync } from 'node:fs';
import { initSync } from './dist/full/cqes_wasm.js';

initSync({ module: readFileSync(new URL('./dist/full/cqes_wasm_bg.wasm', import.meta.url)) });
export * from './dist/full/cqes_wasm.js';
export { default } from './dist/full/cqes_wasm.js';

// A tiny static server for the demo page and the browser tests: wasm/ at /, and the shared
// conformance vectors at /vectors/. Loopback only, GET only, no directory listings.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const wasmDir = fileURLToPath(new URL('..', import.meta.url));
const vectorsDir = fileURLToPath(new URL('../../tests/vectors', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.ts': 'text/plain' };

export function serve(port = 0) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path.startsWith('/vectors/') ? join(vectorsDir, path.slice(9)) : join(wasmDir, path);
    if (path.includes('..') || req.method !== 'GET') { res.writeHead(400).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

// `node test/serve.mjs [port]`: serve the demo by hand (http://127.0.0.1:8480/demo/).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2] ?? 8480));
  console.log(`http://127.0.0.1:${server.address().port}/demo/`);
}

// Screenshots shared by the browser tests: taken at the 900×700 viewport, written to out/,
// and checked to be real pictures (a PNG of the right size with more than a few colours).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

const shots = join(dirname(fileURLToPath(import.meta.url)), 'out');

/** Width, height and the number of distinct byte values of the decompressed image data. */
export function inspectPng(buf) {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  const width = buf.readUInt32BE(16), height = buf.readUInt32BE(20);
  const idat = [];
  for (let off = 8; off < buf.length;) {
    const len = buf.readUInt32BE(off), type = buf.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  const distinct = new Set(pixels.subarray(0, Math.min(pixels.length, 2_000_000))).size;
  return { width, height, distinct };
}

/** A checked screenshot of the viewport, saved as out/<name>.png. */
export async function shot(page, name) {
  mkdirSync(shots, { recursive: true });
  const png = await page.screenshot({ fullPage: false });
  writeFileSync(join(shots, `${name}.png`), png);
  const { width, height, distinct } = inspectPng(png);
  assert.equal(width, 900, `${name}: viewport width`);
  assert.equal(height, 700, `${name}: viewport height`);
  assert.ok(distinct > 40, `${name}: the screenshot is not blank (${distinct} distinct values)`);
  return png;
}

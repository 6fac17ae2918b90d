import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { crc32, encodePng, pngDataUri } from '../../lib/notebook/png';

test('crc32 is the CRC-32 of PNG and zlib (known values)', () => {
  assert.equal(crc32(Buffer.from('IEND')), 0xae426082);
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

test('a PNG holds its signature, the size in IHDR and the rows, each after a filter byte 0', () => {
  const rgba = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
  const png = encodePng(2, 3, rgba);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.equal(png.readUInt32BE(16), 2);
  assert.equal(png.readUInt32BE(20), 3);
  assert.deepEqual([...png.subarray(24, 29)], [8, 6, 0, 0, 0]);
  const idatLength = png.readUInt32BE(33);
  assert.equal(png.toString('latin1', 37, 41), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLength));
  for (let r = 0; r < 3; r++) {
    assert.equal(raw[r * 9], 0);
    assert.deepEqual([...raw.subarray(r * 9 + 1, r * 9 + 9)], [...rgba.subarray(r * 8, r * 8 + 8)]);
  }
  assert.equal(png.readUInt32BE(41 + idatLength), crc32(png.subarray(37, 41 + idatLength)));
  assert.equal(png.toString('latin1', png.length - 8, png.length - 4), 'IEND');
  assert.match(pngDataUri(1, 1, new Uint8Array(4)), /^data:image\/png;base64,iVBORw0KGgo/);
});

test('an image of the wrong size is refused with one sentence', () => {
  assert.throws(
    () => encodePng(2, 2, new Uint8Array(3)),
    /^Error: A 2 × 2 RGBA image has 16 bytes, but 3 were given\.$/,
  );
  assert.throws(
    () => encodePng(0, 2, new Uint8Array(0)),
    /^Error: An image needs a whole width and height of at least 1, got 0 × 2\.$/,
  );
});

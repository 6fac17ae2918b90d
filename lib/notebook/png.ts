/**
 * A minimal PNG encoder (8-bit RGBA, no interlace, filter 0 on every row), for the density image of
 * a map with too many points to draw one by one (density-map.ts): the image travels inside the
 * notebook as a `data:` URI, a few dozen kilobytes where the points would take megabytes.
 * Reference: the PNG specification (W3C, 2nd edition, 2003), sections 5 (chunks, CRC-32) and 11.2
 * (IHDR). Written here: the compression is Node's zlib; the rest is a header and three chunks, less
 * than a dependency's weight.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * The CRC-32 of PNG chunks (and zlib, gzip): polynomial 0xEDB88320, reflected.
 * @example crc32(Buffer.from('IEND')) // 0xae426082
 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG file of an RGBA image, rows from the top, 4 bytes per pixel.
 * @example encodePng(1, 1, Uint8Array.of(255, 0, 0, 255)).subarray(1, 4).toString() // 'PNG'
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`An image needs a whole width and height of at least 1, got ${width} × ${height}.`);
  if (rgba.length !== width * height * 4)
    throw new Error(
      `A ${width} × ${height} RGBA image has ${width * height * 4} bytes, but ${rgba.length} were given.`,
    );
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, filter method 0, no interlace
  const raw = Buffer.alloc(height * (1 + 4 * width));
  for (let r = 0; r < height; r++) raw.set(rgba.subarray(r * 4 * width, (r + 1) * 4 * width), r * (1 + 4 * width) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * The image as a `data:image/png;base64,…` URI, for a plotly layout image's `source`.
 * @example pngDataUri(1, 1, Uint8Array.of(0, 0, 0, 0)).startsWith('data:image/png;base64,') // true
 */
export function pngDataUri(width: number, height: number, rgba: Uint8Array): string {
  return `data:image/png;base64,${encodePng(width, height, rgba).toString('base64')}`;
}

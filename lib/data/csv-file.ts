/**
 * The bytes of a CSV file as the loader needs them, without holding the whole file in memory when
 * nothing is wrong: its head (the first 64 kB: signatures, binary data, the header) read at once;
 * one pass over the whole file through a small reused buffer for the checks that need every byte
 * (UTF-8, CRLF line endings, the replacement character U+FFFD); the whole file read only when a
 * message must name a line (a refused or skipped row, a byte that is not UTF-8). Reading a 32 MB
 * file whole costs about three times the chunked pass (allocation and page faults); DuckDB reads
 * the rows itself (lib/data/loader.ts). Written here because the checks are the loader's own.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/** Bytes in the head: at least what the binary check looks at (lib/data/csv-checks.ts). */
export const HEAD_BYTES = 65536;
/** Bytes read at a time by the pass over the whole file. */
const CHUNK_BYTES = 262144;
const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD', 'utf8');

/** What one pass over every byte found. */
export interface ByteScan {
  /** Every byte sequence is UTF-8. */
  utf8: boolean;
  /** A CRLF line ending occurs. */
  crlf: boolean;
  /** The replacement character U+FFFD occurs. */
  replacement: boolean;
}

function scanBuffer(bytes: Buffer): ByteScan {
  return {
    utf8: isUtf8(bytes),
    crlf: bytes.indexOf('\r\n') >= 0,
    replacement: bytes.indexOf(REPLACEMENT_CHARACTER) >= 0,
  };
}

/** Where an incomplete UTF-8 sequence at the end of `bytes[0, length)` starts (`length` when none). */
function completeEnd(bytes: Buffer, length: number): number {
  let k = length - 1;
  while (k >= 0 && length - k <= 3 && (bytes[k] & 0xc0) === 0x80) k--;
  if (k < 0 || bytes[k] < 0xc0) return length;
  const needed = bytes[k] >= 0xf0 ? 4 : bytes[k] >= 0xe0 ? 3 : 2;
  return length - k < needed ? k : length;
}

/**
 * A CSV text, from a file (read as needed) or from bytes in memory.
 * @example const file = CsvBytes.fromFile('data/SpotifyFeatures.sample.csv'); file.scan().utf8 // true
 */
export class CsvBytes {
  private all: Buffer | null;
  private scanned: ByteScan | null = null;
  /** The first {@link HEAD_BYTES} bytes (all of them for a smaller file). */
  readonly head: Buffer;

  private constructor(
    private readonly path: string | null,
    bytes: Buffer | null,
    /** The size in bytes. */
    readonly size: number,
  ) {
    this.all = bytes;
    if (bytes) this.head = bytes.subarray(0, HEAD_BYTES);
    else {
      const fd = openSync(path!, 'r');
      try {
        const head = Buffer.allocUnsafe(Math.min(HEAD_BYTES, size));
        let filled = 0;
        for (let n = 1; filled < head.length && n > 0; filled += n)
          n = readSync(fd, head, filled, head.length - filled, filled);
        this.head = head.subarray(0, filled);
      } finally {
        closeSync(fd);
      }
    }
  }

  static fromFile(path: string): CsvBytes {
    return new CsvBytes(path, null, statSync(path).size);
  }

  static fromBuffer(bytes: Buffer): CsvBytes {
    return new CsvBytes(null, bytes, bytes.length);
  }

  /** The head holds every byte. */
  get headIsWhole(): boolean {
    return this.head.length >= this.size;
  }

  /** Every byte (read from the file the first time it is asked for, then kept). */
  whole(): Buffer {
    this.all ??= this.headIsWhole ? this.head : readFileSync(this.path!);
    return this.all;
  }

  /** One pass over every byte (through a 256 kB buffer for a file not yet read whole). */
  scan(): ByteScan {
    if (this.scanned) return this.scanned;
    if (this.all || this.headIsWhole) return (this.scanned = scanBuffer(this.whole()));
    const result: ByteScan = { utf8: true, crlf: false, replacement: false };
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES + 4);
    const fd = openSync(this.path!, 'r');
    try {
      let carried = 0; // the start of a UTF-8 sequence cut by the previous chunk
      let endedWithCr = false;
      for (let position = 0; ;) {
        const read = readSync(fd, buffer, carried, CHUNK_BYTES, position);
        position += read;
        const length = carried + read;
        const end = read === 0 ? length : completeEnd(buffer, length);
        const chunk = buffer.subarray(0, end);
        if (result.utf8 && !isUtf8(chunk)) result.utf8 = false;
        if (!result.crlf && ((endedWithCr && chunk[0] === 10) || chunk.indexOf('\r\n') >= 0)) result.crlf = true;
        if (!result.replacement && chunk.indexOf(REPLACEMENT_CHARACTER) >= 0) result.replacement = true;
        if (read === 0) break;
        endedWithCr = end > 0 && chunk[end - 1] === 13;
        buffer.copy(buffer, 0, end, length);
        carried = length - end;
      }
    } finally {
      closeSync(fd);
    }
    return (this.scanned = result);
  }
}

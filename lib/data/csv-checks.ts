/**
 * What the loader refuses before it parses a byte: an empty file, a compressed file or a
 * spreadsheet, UTF-16, binary data, and text that is not UTF-8 (named with its line, and shown as
 * Windows-1252 reads it). Each refusal is a {@link SpotifyCsvError} with one sentence that says what
 * to do. Written here because Node's `isUtf8` says only yes or no, and no package names the line.
 */
import { isUtf8 } from 'node:buffer';
import { UserError } from '../user-error';

/** An input file the loader refuses, with a sentence that says what is wrong and what to do. */
export class SpotifyCsvError extends UserError {
  override name = 'SpotifyCsvError';
}

/** Refuse an empty file, saying where the real one goes. */
export function refuseEmpty(source: string): never {
  throw new SpotifyCsvError(`${source} is empty. Point SPOTIFY_CSV at a copy of SpotifyFeatures.csv (see the README).`);
}

const isAsciiSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** The 1-based line of byte `offset`: one more than the line feeds before it. */
export function lineOfByte(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(10, 0); at >= 0 && at < offset; at = bytes.indexOf(10, at + 1)) line++;
  return line;
}

/** Where the first byte that breaks UTF-8 is (the text is known not to be valid UTF-8). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    if (!isUtf8(bytes.subarray(i, i + length))) return i; // overlong forms and surrogates
    i += length;
  }
  return bytes.length;
}

/**
 * Windows-1252's characters for the bytes 0x80–0x9F (the rest of its upper half is Latin-1):
 * https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT. Written out because
 * Node 20's TextDecoder decodes 'windows-1252' as Latin-1 (0x92 stays U+0092, not ’).
 */
const WINDOWS_1252_80_9F = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

const ENCODING_HOW_TO =
  'Re-save it as UTF-8 (Excel: Save As, "CSV UTF-8"; LibreOffice: Save As, character set "Unicode (UTF-8)"; or iconv';

/**
 * Refuse what is not UTF-8 CSV text, before parsing: compressed files and spreadsheets by their
 * signature, UTF-16 by its byte-order mark or its zero bytes, other binary data by zero bytes in its
 * first 64 kB, and
 * any byte sequence that is not UTF-8, with its line (Windows-1252, the usual other encoding of a
 * CSV saved on Windows, is named and shown).
 */
export function checkEncoding(bytes: Buffer, source: string): void {
  checkFileKind(bytes, source);
  if (!isUtf8(bytes)) refuseNotUtf8(bytes, source);
}

/**
 * The checks of {@link checkEncoding} that look only at the first 64 kB (its head is enough):
 * compressed files, spreadsheets, UTF-16, binary data.
 */
export function checkFileKind(bytes: Buffer, source: string): void {
  const starts = (...signature: number[]): boolean => signature.every((b, k) => bytes[k] === b);
  if (
    starts(0x1f, 0x8b) ||
    starts(0x50, 0x4b, 0x03, 0x04) ||
    starts(0xd0, 0xcf, 0x11, 0xe0) ||
    starts(0x42, 0x5a, 0x68) ||
    starts(0xfd, 0x37, 0x7a, 0x58, 0x5a)
  ) {
    throw new SpotifyCsvError(
      `${source} is not a CSV text file (it is compressed or a spreadsheet). Export or unzip it to SpotifyFeatures.csv first.`,
    );
  }
  const head = bytes.subarray(0, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < head.length; i++)
    if (head[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff) || Math.max(evenZeros, oddZeros) > head.length / 4) {
    throw new SpotifyCsvError(
      `${source} is UTF-16 text (Excel's "Unicode Text"), not UTF-8. ${ENCODING_HOW_TO} -f UTF-16 -t UTF-8 old.csv > new.csv) and point SPOTIFY_CSV at the new file.`,
    );
  }
  if (bytes.subarray(0, 65536).includes(0)) {
    throw new SpotifyCsvError(
      `${source} is not a CSV text file (it holds binary data: is it compressed or a spreadsheet?). Export or unzip it to SpotifyFeatures.csv first.`,
    );
  }
}

/** Refuse bytes known not to be UTF-8, naming the line of the first bad byte. */
export function refuseNotUtf8(bytes: Buffer, source: string): never {
  const offset = firstInvalidUtf8(bytes);
  const line = lineOfByte(bytes, offset);
  let from = offset;
  while (from > 0 && offset - from < 24 && bytes[from - 1] !== 10 && bytes[from - 1] !== 44) from--;
  let to = offset + 1;
  while (to < bytes.length && to - offset < 24 && bytes[to] !== 10 && bytes[to] !== 13 && bytes[to] !== 44) to++;
  const asWindows1252 = Array.from(bytes.subarray(from, to), (b) =>
    b >= 0x80 && b <= 0x9f ? WINDOWS_1252_80_9F[b - 0x80] : String.fromCharCode(b),
  ).join('');
  const byte = `0x${bytes[offset].toString(16).toUpperCase().padStart(2, '0')}`;
  throw new SpotifyCsvError(
    `${source} is not UTF-8 text: line ${line} holds the byte ${byte}, which in Windows-1252 (the encoding Excel and Windows programs often save CSV in) reads ${JSON.stringify(asWindows1252)}. ` +
      `${ENCODING_HOW_TO} -f WINDOWS-1252 -t UTF-8 old.csv > new.csv) and point SPOTIFY_CSV at the new file.`,
  );
}

/** The offset of the first byte that is neither an ASCII blank nor part of a byte-order mark. */
function firstNonBlank(bytes: Buffer): number {
  let i = 0;
  for (;;) {
    if (i < bytes.length && isAsciiSpace(bytes[i])) {
      i++;
      continue;
    }
    if (i + 2 < bytes.length && bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
      i += 3;
      continue;
    } // U+FEFF, which trim() removes too
    return i;
  }
}

/**
 * Refuse a file that holds nothing but blanks and byte-order marks: decided on `head` when it
 * starts with an ASCII character that is no blank, else on the bytes `whole()` gives.
 */
export function checkNotEmptyFrom(head: Buffer, whole: () => Buffer, source: string): void {
  const i = firstNonBlank(head);
  checkNotEmpty(i < head.length && head[i] < 0x80 ? head : whole(), source);
}

/** Refuse a file that holds nothing but blanks and byte-order marks. */
export function checkNotEmpty(bytes: Buffer, source: string): void {
  const i = firstNonBlank(bytes);
  // all blank, or a character beyond ASCII that may be a Unicode space (trim() removes those): decide on the whole text
  if (i >= bytes.length || (bytes[i] >= 0x80 && bytes.toString('utf8').trim() === '')) refuseEmpty(source);
}

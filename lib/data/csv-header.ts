/**
 * The header of SpotifyFeatures.csv, read and checked before DuckDB reads the rows: every one of
 * the 18 columns present (a misspelt one named with the spelling found), no name twice (DuckDB does
 * not tell case apart), and what each header field becomes in the staging table (unnamed ones, a
 * pandas index or a trailing comma, get a name of their own, to be checked and dropped). Written
 * here because the messages are the project's; the record is read by lib/data/csv-lines.ts.
 */
import { readRecordAt } from './csv-lines';
import { SpotifyCsvError } from './csv-checks';
import { ColumnKind, SPOTIFY_COLUMNS, SPOTIFY_COLUMN_NAMES } from './schema';

/** Levenshtein distance, to suggest the column a misspelt header meant. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** A header field that names no column: empty, or pandas' `Unnamed: 0` of a re-read index. */
const isUnnamed = (name: string): boolean => name === '' || /^Unnamed: \d+$/.test(name);

/** Check the header (the first record) and say what each of its fields becomes. */
export function readHeader(bytes: Buffer, start: number, source: string) {
  const header = readRecordAt(bytes, start, 1).fields.map((name) => name.trim());
  if (header.length < 2) {
    throw new SpotifyCsvError(
      `${source} does not look like a CSV file: its first line has no commas. Expected a header with the 18 columns ${SPOTIFY_COLUMN_NAMES.join(', ')}.`,
    );
  }
  const found = new Set(header);
  const missing = SPOTIFY_COLUMN_NAMES.filter((name) => !found.has(name));
  const extraColumns = header.filter((name) => !SPOTIFY_COLUMN_NAMES.includes(name) && !isUnnamed(name));
  if (missing.length) {
    const hints = missing.map((name) => {
      const guess = extraColumns.find((other) => editDistance(other.toLowerCase(), name) <= 2);
      return guess !== undefined ? `'${name}' (found '${guess}': misspelt?)` : `'${name}'`;
    });
    throw new SpotifyCsvError(
      `${source} is missing the column${missing.length > 1 ? 's' : ''} ${hints.join(', ')}. SpotifyFeatures.csv has the 18 columns ${SPOTIFY_COLUMN_NAMES.join(', ')}; fix the header line.`,
    );
  }
  const named = header.filter((name) => !isUnnamed(name));
  const lower = named.map((name) => name.toLowerCase());
  const twice = lower.findIndex((name, i) => lower.indexOf(name) !== i);
  if (twice >= 0) {
    const first = named[lower.indexOf(lower[twice])];
    const spelling =
      first === named[twice] ? '' : ` (as '${first}' and '${named[twice]}', which the database does not tell apart)`;
    throw new SpotifyCsvError(`${source} names the column '${first}' twice in its header${spelling}; keep one.`);
  }
  // one staging column per header field: unnamed ones get a name of their own, to be checked and dropped
  const columns = header.map((name, f) => {
    const unnamed = isUnnamed(name);
    const kind: ColumnKind = unnamed ? 'text' : (SPOTIFY_COLUMNS.find((c) => c.name === name)?.kind ?? 'text');
    return { name: unnamed ? `__unnamed_${f + 1}` : name, kind, unnamed, position: f + 1 };
  });
  let shortest = columns.length; // trailing unnamed columns may be left out of a row
  while (shortest > 0 && columns[shortest - 1].unnamed) shortest--;
  return { columns, extraColumns, trailingUnnamed: shortest < columns.length };
}

export type HeaderColumn = ReturnType<typeof readHeader>['columns'][number];

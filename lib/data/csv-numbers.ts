/**
 * The loader's rules for numbers (lib/data/loader.ts): the words that mean "missing", the refusal
 * for a value that is not a number, not finite, outside its column's domain or not whole (JavaScript's
 * rules, on the text as written), and the shortcut that lets DuckDB's own column statistics clear a
 * clean file's numbers without aggregating them. Written here because the rules are the project's.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { ColumnKind, NUMERIC_DOMAINS } from './schema';

/** What a numeric field may hold to say "missing" (the row is then skipped, not refused). */
export const MISSING_NUMBERS = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A'];
const NUMBER_PATTERN = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The refusal for a value that is not a number, not finite, out of range or not whole (JS rules, on the text). */
export function numberProblem(raw: string, column: string, kind: ColumnKind): string | 'missing' | null {
  if (MISSING_NUMBERS.includes(raw.trim())) return 'missing';
  const value = NUMBER_PATTERN.test(raw) ? Number(raw) : NaN;
  if (Number.isNaN(value)) return `the column '${column}' holds ${JSON.stringify(raw)}, which is not a number`;
  if (!Number.isFinite(value))
    return `the column '${column}' holds ${raw.trim()}, which is too large to be a number (it would be stored as ${value})`;
  const domain = NUMERIC_DOMAINS[column];
  if (domain && !(value >= domain.min && value <= domain.max)) {
    const range =
      domain.max === Number.MAX_SAFE_INTEGER || domain.max === Number.MAX_VALUE
        ? `${domain.min} or more`
        : `from ${domain.min} to ${domain.max}`;
    return `the column '${column}' holds ${raw.trim()}, outside its range (${range})`;
  }
  if (kind === 'integer' && !Number.isInteger(value))
    return `the column '${column}' holds ${raw}, which is not a whole number`;
  return null;
}

/**
 * True when the statistics DuckDB keeps for the staged numeric columns (`stats()`: bounds no value
 * lies outside, and whether any is NULL) show every value present, finite and within its domain:
 * then the aggregates over those columns would find nothing. False when they do not, or when a
 * statistic is not in the form this reads ("[Min: 0.0, Max: 100.0][Has Null: false, …]").
 */
export async function numbersSettledByStatistics(
  connection: DuckDBConnection,
  table: string,
  numeric: readonly { name: string }[],
): Promise<boolean> {
  const sql = `SELECT ${numeric.map((c) => `stats("${c.name.replace(/"/g, '""')}")`).join(', ')} FROM ${table} LIMIT 1`;
  const rows = (await connection.runAndReadAll(sql)).getRows();
  if (rows.length === 0) return false;
  return numeric.every((c, k) => {
    const match = /^\[Min: ([^,\]]+), Max: ([^,\]]+)\]\[Has Null: (true|false),/.exec(String(rows[0][k]));
    if (!match || match[3] !== 'false') return false;
    const [low, high] = [Number(match[1]), Number(match[2])];
    const domain = NUMERIC_DOMAINS[c.name] ?? { min: -Number.MAX_VALUE, max: Number.MAX_VALUE };
    return Number.isFinite(low) && Number.isFinite(high) && low >= domain.min && high <= domain.max;
  });
}

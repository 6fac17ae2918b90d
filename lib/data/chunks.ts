/**
 * Streaming a DuckDB result chunk by chunk into typed arrays, for the light readers of the `track`
 * table (lib/data/stored-tracks.ts, lib/catalogue/catalogue-columns.ts): no chunk is kept after its
 * turn, and a DOUBLE or INTEGER vector without NULLs is read from the client's own array (no JS value
 * per cell). Written here: DuckDB's node client offers chunks and vectors, not these loops.
 */
import { DuckDBConnection, DuckDBDataChunk, DuckDBType, DuckDBValue, DuckDBVector } from '@duckdb/node-api';

/** Runs `sql` (with `values` of `types` for its $1, $2, …) and hands each chunk to `visit` as it arrives. */
export async function eachChunk(
  connection: DuckDBConnection,
  sql: string,
  visit: (chunk: DuckDBDataChunk, rows: number) => void,
  values?: DuckDBValue[],
  types?: DuckDBType[],
): Promise<void> {
  const result = await connection.stream(sql, values, types);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null) break;
    const rows = chunk.rowCount;
    if (rows === 0) break;
    visit(chunk, rows);
  }
}

/**
 * The values of a DOUBLE vector without NULLs: the vector's own array where the client exposes it
 * (no copy, no check per value), else value by value.
 */
export function doubles(vector: DuckDBVector, rows: number): ArrayLike<number> {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Float64Array && items.length >= rows) return items;
  return Float64Array.from({ length: rows }, (_, i) => Number(vector.getItem(i) ?? NaN));
}

/** The values of an INTEGER vector without NULLs (see {@link doubles}). */
export function integers(vector: DuckDBVector, rows: number): ArrayLike<number> {
  const items = (vector as unknown as { items?: unknown }).items;
  if (items instanceof Int32Array && items.length >= rows) return items;
  return Int32Array.from({ length: rows }, (_, i) => Number(vector.getItem(i) ?? 0));
}

/** The items of a DuckDB LIST value (none for NULL). */
export function listItems(value: unknown): readonly unknown[] {
  return (value as { items?: unknown[] } | null)?.items ?? [];
}

/**
 * The tests' reference reader of the `track` table (it was lib/catalogue/catalogue.ts'
 * `readTrackColumns`): every column in plain arrays, the simplest way DuckDB's node client gives
 * them, so the light reader (lib/data/stored-tracks.ts with `{ text: true }`, the catalogue's
 * columns) can be checked against it value by value.
 */
import { quoteIdentifier, readDatabase } from '../../lib/data/db';
import { SPOTIFY_COLUMNS } from '../../lib/data/schema';
import { checkTrackTable, NUMERIC_TYPE } from '../../lib/data/stored-tracks';
import { TrackColumns } from '../../lib/catalogue/catalogue';

/**
 * Reads the `track` table, ordered by `track_id`, into plain columns (text in arrays). Says
 * what to do when notebook 01 has not stored any tracks yet.
 *
 * Two queries, each sorting once: the text columns come as one string, joined by DuckDB with
 * separator characters (U+001F between values, U+001D for NULL) and split here, which avoids
 * decoding a million short strings one by one; the numbers come as DOUBLE vectors of DuckDB's data
 * chunks. A text holding U+001F is read value by value instead (a text that is exactly U+001D
 * would read as NULL).
 * @example (await readTrackColumns(DB_NAME)).columns.popularity // Float64Array of 145,602 values
 */
export async function readTrackColumns(dbPath: string): Promise<TrackColumns> {
  return readDatabase(dbPath, async (connection) => {
    await checkTrackTable(connection, dbPath);
    const shape = await connection.run('SELECT * FROM track LIMIT 0');
    const names = shape.columnNames();
    const numeric = names.map((name, c) => {
      const kind = SPOTIFY_COLUMNS.find((column) => column.name === name)?.kind;
      if (kind !== undefined) return kind !== 'text';
      return NUMERIC_TYPE.test(String(shape.columnType(c)));
    });
    const textNames = names.filter((_, c) => !numeric[c]);
    const numberNames = names.filter((_, c) => numeric[c]);
    const columns: Record<string, Float64Array | (string | null)[]> = {};

    const numbers = await connection.run(
      `SELECT ${numberNames.map((name) => `${quoteIdentifier(name)}::DOUBLE`).join(', ') || '1'} FROM track ORDER BY track_id`,
    );
    const chunks = await numbers.fetchAllChunks();
    const size = chunks.reduce((total, chunk) => total + chunk.rowCount, 0);
    numberNames.forEach((name, c) => {
      const values = new Float64Array(size);
      let row = 0;
      for (const chunk of chunks) {
        const vector = chunk.getColumnVector(c);
        const count = chunk.rowCount;
        for (let r = 0; r < count; r++) {
          const value = vector.getItem(r) as number | null;
          values[row++] = value === null ? NaN : value;
        }
      }
      columns[name] = values;
    });

    if (textNames.length > 0) {
      const joined = textNames.map((name) => `coalesce(${quoteIdentifier(name)}, chr(29))`).join(' || chr(31) || ');
      const reader = await connection.runAndReadAll(
        `SELECT string_agg(${joined}, chr(31) ORDER BY track_id) FROM track`,
      );
      const text = String(reader.getRows()[0][0] ?? '');
      const fields = text.split(VALUE_SEPARATOR);
      const width = textNames.length;
      if (fields.length === size * width) {
        textNames.forEach((name, t) => {
          const values: (string | null)[] = new Array(size);
          for (let i = 0; i < size; i++) {
            const value = fields[i * width + t];
            values[i] = value === NULL_MARK ? null : value;
          }
          columns[name] = values;
        });
      } else {
        // Some text holds the separator: read the text columns value by value.
        const result = await connection.run(
          `SELECT ${textNames.map(quoteIdentifier).join(', ')} FROM track ORDER BY track_id`,
        );
        const textChunks = await result.fetchAllChunks();
        textNames.forEach((name, t) => {
          const values: (string | null)[] = new Array(size);
          let row = 0;
          for (const chunk of textChunks) {
            const vector = chunk.getColumnVector(t);
            for (let r = 0; r < chunk.rowCount; r++) {
              const value = vector.getItem(r);
              values[row++] = value === null ? null : String(value);
            }
          }
          columns[name] = values;
        });
      }
    }
    return { size, names, columns };
  });
}

const VALUE_SEPARATOR = '\u001f';
const NULL_MARK = '\u001d';

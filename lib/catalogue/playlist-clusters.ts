/**
 * The stored clusterings as a playlist needs them: each k-means cluster's tracks (`track_to_cluster`)
 * and each k-medoids cluster's medoid and tracks (`gower_cluster`, `track_to_gower_cluster`), with
 * the cluster's name where the table has a `name` column (notebooks 02 and 03 write one; an older
 * database has none, and its clusters are called "k-means cluster 3", "k-medoids cluster 2").
 *
 * `readStoredClusters` reads them with two small queries per clustering (one string of track ids
 * per cluster); `loadCatalogue` reads them as each cluster's catalogue rows instead
 * (lib/catalogue/catalogue-columns.ts). A clustering whose tables are missing or empty is simply
 * absent, and a playlist seeded on it is refused with the notebook that makes it.
 */
import { DuckDBConnection } from '@duckdb/node-api';
import { readDatabase } from '../data/db';

/** The two clusterings a playlist can be seeded on. */
export type ClusteringKind = 'kmeans' | 'kmedoids';

/** One stored cluster. */
export interface StoredCluster {
  readonly kind: ClusteringKind;
  readonly id: number;
  /** The stored name, or "k-means cluster N" / "k-medoids cluster N" where none is stored. */
  readonly name: string;
  /** The k-medoids cluster's medoid (null for k-means clusters). */
  readonly medoid: string | null;
  /** The cluster's tracks, by id, in id order. */
  readonly trackIds: readonly string[];
  /** The cluster's tracks as rows of the catalogue that read it (ascending), where it did. */
  readonly rows?: Int32Array;
}

/** Both clusterings, by kind then cluster id; a clustering not stored is an empty map. */
export type StoredClusters = Readonly<Record<ClusteringKind, ReadonlyMap<number, StoredCluster>>>;

/** No clusters at all (a catalogue made from columns only). */
export const NO_CLUSTERS: StoredClusters = Object.freeze({ kmeans: new Map(), kmedoids: new Map() });

const KIND_WORDS: Record<ClusteringKind, string> = { kmeans: 'k-means', kmedoids: 'k-medoids' };

/**
 * The default name of a cluster that has none stored.
 * @example defaultClusterName('kmedoids', 2) // 'k-medoids cluster 2'
 */
export function defaultClusterName(kind: ClusteringKind, id: number): string {
  return `${KIND_WORDS[kind]} cluster ${id}`;
}

/**
 * Reads both clusterings from the database (see the file header).
 * @example (await readStoredClusters(DB_NAME)).kmedoids.get(0)?.medoid // '0UE0RhnRaEYsiYgXpyLoZc'
 */
export async function readStoredClusters(dbPath: string): Promise<StoredClusters> {
  return readDatabase(dbPath, async (connection) => ({
    kmeans: await readClustering(connection, 'kmeans', 'cluster', 'track_to_cluster'),
    kmedoids: await readClustering(connection, 'kmedoids', 'gower_cluster', 'track_to_gower_cluster'),
  }));
}

/**
 * Whether a clustering is stored (its table of clusters and its table of members both there), and
 * which of the optional columns its table of clusters has; null when it is not stored.
 */
export async function clusteringShape(
  connection: DuckDBConnection,
  table: string,
  members: string,
): Promise<{ named: boolean; medoid: boolean } | null> {
  const columns = async (name: string): Promise<string[]> =>
    (
      await connection.runAndReadAll(
        `SELECT column_name FROM information_schema.columns WHERE table_name = '${name}' ORDER BY ordinal_position`,
      )
    )
      .getRows()
      .map((row) => String(row[0]));
  const clusterColumns = await columns(table);
  if (clusterColumns.length === 0 || (await columns(members)).length === 0) return null;
  return { named: clusterColumns.includes('name'), medoid: clusterColumns.includes('medoid_track_id') };
}

async function readClustering(
  connection: DuckDBConnection,
  kind: ClusteringKind,
  table: string,
  members: string,
): Promise<Map<number, StoredCluster>> {
  const out = new Map<number, StoredCluster>();
  const shape = await clusteringShape(connection, table, members);
  if (shape === null) return out;
  const { named, medoid } = shape;
  const rows = (
    await connection.runAndReadAll(
      `SELECT c.id, ${named ? 'c.name' : 'NULL'}, ${medoid ? 'c.medoid_track_id' : 'NULL'},
              (SELECT string_agg(m.track_id, chr(31) ORDER BY m.track_id) FROM ${members} m WHERE m.cluster_id = c.id)
       FROM ${table} c ORDER BY c.id`,
    )
  ).getRows();
  for (const [id, name, medoidId, ids] of rows) {
    const cluster = Number(id);
    const text = typeof name === 'string' && name.trim() !== '' ? name : defaultClusterName(kind, cluster);
    out.set(cluster, {
      kind,
      id: cluster,
      name: text,
      medoid: medoidId === null || medoidId === undefined ? null : String(medoidId),
      trackIds: ids === null || ids === undefined || ids === '' ? [] : String(ids).split('\u001f'),
    });
  }
  return out;
}

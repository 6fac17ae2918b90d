/**
 * Two clusterings of the same tracks side by side, on the measures notebook 02 puts in one table:
 * silhouette (separation, −1..1), the largest cluster's share and the smallest cluster's size
 * (balance), normalised mutual information with a known label such as genre (0..1), and stability
 * (mean Jaccard over refits on subsamples, 0..1; see stability.ts). `methodVerdict` turns two rows of
 * that table into the sentences the notebook prints, so its conclusion follows the numbers on the page.
 */
import { clusterSizeSummary } from './cluster-sizes';

/** One clustering's row of the comparison table. */
export interface ClusteringSummary {
  /** The method's name as the table shows it, e.g. 'k-medoids'. */
  method: string;
  /** Number of clusters. */
  k: number;
  /** Mean silhouette over all rows. */
  silhouette: number;
  /** The largest cluster's share of the rows, 0..1. */
  largestShare: number;
  /** Rows in the smallest cluster. */
  smallest: number;
  /** Normalised mutual information with the reference label (genre). */
  nmi: number;
  /** Mean Jaccard stability over the clusters. */
  stability: number;
  /** Rows clustered. */
  rows: number;
}

/** A split is degenerate when its largest cluster holds more than this share of the rows. */
export const ONE_BLOB_SHARE = 0.9;
/** ... or when a cluster holds less than this share of the rows (issue a warning). */
export const CRUMB_SHARE = 0.01;

/**
 * The comparison row of one clustering.
 * @param method the name shown
 * @param labels the cluster of every row
 * @param measures the silhouette, NMI and stability already computed for these labels
 * @example
 * summariseClustering('k-medoids', [0, 0, 1, 1], { silhouette: 0.5, nmi: 1, stability: 0.9 })
 * // { method: 'k-medoids', k: 2, silhouette: 0.5, largestShare: 0.5, smallest: 2, nmi: 1, stability: 0.9, rows: 4 }
 */
export function summariseClustering(
  method: string,
  labels: ArrayLike<number>,
  measures: { silhouette: number; nmi: number; stability: number },
): ClusteringSummary {
  if (labels.length === 0) throw new Error(`The ${method} clustering has no rows; there is nothing to compare.`);
  const sizes = clusterSizeSummary(labels);
  return {
    method,
    k: sizes.count,
    silhouette: measures.silhouette,
    largestShare: sizes.largestShare,
    smallest: sizes.smallest,
    nmi: measures.nmi,
    stability: measures.stability,
    rows: labels.length,
  };
}

/**
 * What is wrong with a clustering's shape, as a sentence, or null when nothing is: one cluster
 * holding more than 90 % of the rows, or clusters under 1 % of the rows.
 * @example degenerateSplit({ method: 'average linkage', k: 2, largestShare: 0.9996, smallest: 4, rows: 10000 } as ClusteringSummary)
 * // 'average linkage puts 99.96 % of the tracks in one cluster: one blob plus crumbs, not groups of music.'
 */
export function degenerateSplit(
  summary: Pick<ClusteringSummary, 'method' | 'largestShare' | 'smallest' | 'rows'>,
): string | null {
  const share = percent(summary.largestShare);
  if (summary.largestShare > ONE_BLOB_SHARE)
    return `${summary.method} puts ${share} of the tracks in one cluster: one blob plus crumbs, not groups of music.`;
  if (summary.smallest < CRUMB_SHARE * summary.rows) {
    return `${summary.method}'s smallest cluster holds only ${summary.smallest} track${summary.smallest === 1 ? '' : 's'} (under 1 % of ${summary.rows.toLocaleString('en-US')}): a degenerate split.`;
  }
  return null;
}

/**
 * {@link degenerateSplit} of clusters given by their sizes, such as the training clusters a sweep found
 * at its chosen k: the same rule, so a notebook never types the thresholds again.
 * @example degenerateSizes('k-medoids', [990, 6, 4])
 * // "k-medoids's smallest cluster holds only 4 tracks (under 1 % of 1,000): a degenerate split."
 */
export function degenerateSizes(method: string, sizes: ArrayLike<number>): string | null {
  const list = Array.from(sizes);
  const rows = list.reduce((sum, size) => sum + size, 0);
  if (list.length === 0 || rows === 0)
    throw new Error(`The ${method} clustering has no rows; there is nothing to judge.`);
  return degenerateSplit({ method, largestShare: Math.max(...list) / rows, smallest: Math.min(...list), rows });
}

/**
 * Which of two clusterings to trust, from the comparison table: each of the four measures is won by
 * the method with the higher silhouette, the smaller largest cluster, the higher NMI and the higher
 * stability; a clustering that puts over 90 % of the rows in one cluster cannot win whatever its
 * silhouette (its score then measures how far a few outliers lie from the rest).
 * @example methodVerdict(kMedoidsRow, averageLinkageRow)
 * // 'k-medoids wins on 4 of 4 measures: silhouette 0.176 against 0.052, largest cluster 28 % against 99.9 %, … Trust k-medoids here.'
 */
export function methodVerdict(a: ClusteringSummary, b: ClusteringSummary): string {
  const measures: { name: string; a: number; b: number; higherIsBetter: boolean; format: (x: number) => string }[] = [
    { name: 'silhouette', a: a.silhouette, b: b.silhouette, higherIsBetter: true, format: (x) => x.toFixed(3) },
    { name: 'largest cluster', a: a.largestShare, b: b.largestShare, higherIsBetter: false, format: percent },
    { name: 'NMI with genre', a: a.nmi, b: b.nmi, higherIsBetter: true, format: (x) => x.toFixed(2) },
    { name: 'stability', a: a.stability, b: b.stability, higherIsBetter: true, format: (x) => x.toFixed(2) },
  ];
  let winsA = 0;
  let winsB = 0;
  const parts: string[] = [];
  for (const m of measures) {
    if (!Number.isFinite(m.a) || !Number.isFinite(m.b) || m.a === m.b) continue;
    const aBetter = m.higherIsBetter ? m.a > m.b : m.a < m.b;
    if (aBetter) winsA++;
    else winsB++;
    parts.push(`${m.name} ${m.format(m.a)} (${a.method}) against ${m.format(m.b)} (${b.method})`);
  }
  const counted = winsA + winsB;
  const blobA = a.largestShare > ONE_BLOB_SHARE;
  const blobB = b.largestShare > ONE_BLOB_SHARE;
  let winner: ClusteringSummary | null = winsA > winsB ? a : winsB > winsA ? b : null;
  let why = '';
  if (blobA !== blobB) {
    const notBlob = blobA ? b : a;
    const blob = blobA ? a : b;
    if (winner === blob)
      why = `${blob.method} is better on more measures, but with one cluster holding most tracks its scores describe a few outliers, not groups.`;
    winner = notBlob;
  }
  const tally = `${a.method} is better on ${winsA} of ${counted} measures, ${b.method} on ${winsB}: ${parts.join('; ')}.`;
  const problems = [degenerateSplit(a), degenerateSplit(b)].filter((p): p is string => p !== null).join(' ');
  const advice =
    winner === null
      ? 'Neither method is clearly better on these numbers; read the profiles and the map before trusting either.'
      : `Trust ${winner.method} here.`;
  return [tally, problems, why.trim(), advice].filter((s) => s.length > 0).join(' ');
}

function percent(share: number): string {
  const value = 100 * share;
  return `${value >= 99.5 && value < 100 ? value.toFixed(2) : value >= 10 ? value.toFixed(0) : value.toFixed(1)} %`;
}

/**
 * What the two honest sweeps (average linkage, `linkage/silhouette-sweep.ts`; k-medoids,
 * `kmedoids/kmedoids-sweep.ts`) share once each k has labelled the test rows: the silhouette of
 * the test block under every k's labels, the best k, and the table that puts sweeps side by side.
 * Written here because the steps are this project's own shape; the silhouettes come from
 * `silhouette.ts`, one pass over the test block for all k.
 */
import { DistanceMatrix } from '../../matrix/distance-matrix';
import { describeClusterSizes } from './cluster-sizes';
import { silhouetteScores } from './silhouette';

/** One sweep as {@link sweepsTable} reads it: a name and steps with k, a score and training sizes. */
export interface NamedSweep {
  name: string;
  steps: readonly { k: number; score: number; trainSizes: ArrayLike<number> }[];
}

/**
 * Sweeps over the same k side by side, one row per k: each sweep's test silhouette (4 decimals),
 * its largest training cluster as a share of the training rows (%) and its training cluster sizes,
 * which show when a good score comes from one big cluster and a few specks.
 * @example sweepsTable([{ name: 'k-medoids', steps: [{ k: 2, score: 0.31234, trainSizes: [60, 20] }] }])
 * // [{ clusters: 2, 'k-medoids: test silhouette': 0.3123, 'k-medoids: largest cluster (%)': 75, 'k-medoids: training sizes': '60, 20' }]
 */
export function sweepsTable(sweeps: readonly NamedSweep[]): Record<string, string | number>[] {
  if (sweeps.length === 0) return [];
  const ks = sweeps[0].steps.map((step) => step.k);
  for (const sweep of sweeps) {
    if (sweep.steps.length !== ks.length || sweep.steps.some((step, i) => step.k !== ks[i])) {
      throw new Error(
        `The sweeps must cover the same numbers of clusters; ${sweep.name} differs from ${sweeps[0].name}.`,
      );
    }
  }
  return ks.map((k, i) => {
    const row: Record<string, string | number> = { clusters: k };
    for (const { name, steps } of sweeps) {
      const { score, trainSizes } = steps[i];
      let total = 0;
      let largest = 0;
      for (let c = 0; c < trainSizes.length; c++) {
        total += trainSizes[c];
        largest = Math.max(largest, trainSizes[c]);
      }
      row[`${name}: test silhouette`] = Number(score.toFixed(4));
      row[`${name}: largest cluster (%)`] = Number(((100 * largest) / total).toFixed(1));
      row[`${name}: training sizes`] = describeClusterSizes(trainSizes);
    }
    return row;
  });
}

/**
 * Scores the steps of a sweep on the test block (shared by the average-linkage and k-medoids
 * sweeps): every step whose test rows fall into 2..m−1 clusters gets the mean silhouette of the test
 * rows under its labels, all in one pass over the test block cut once; the others keep NaN. Returns
 * the k with the best finite score (the smaller k on a tie), NaN when none is finite.
 * @example scoreSweepSteps(distances, test, steps) // 4, with steps[i].score filled in
 */
export function scoreSweepSteps(
  distances: DistanceMatrix,
  test: ArrayLike<number>,
  steps: { k: number; score: number; testSizes: ArrayLike<number>; testLabels: ArrayLike<number> }[],
): number {
  const scorable = steps.filter((step) => {
    let present = 0;
    for (let c = 0; c < step.testSizes.length; c++) if (step.testSizes[c] > 0) present++;
    return present >= 2 && present <= test.length - 1;
  });
  const scores =
    scorable.length > 0
      ? silhouetteScores(
          distances.subset(test),
          scorable.map((step) => step.testLabels),
        )
      : [];
  scorable.forEach((step, a) => (step.score = scores[a]));
  let bestK = NaN;
  let bestScore = -Infinity;
  for (const step of steps) {
    if (Number.isFinite(step.score) && step.score > bestScore) {
      bestScore = step.score;
      bestK = step.k;
    }
  }
  return bestK;
}

/**
 * Benchmark of the clustering diagnostics notebook 02 runs on the 10,000-track Gower matrix:
 * `clusterStability` with its defaults, `gowerContributions` and `normalizedMutualInfo`.
 *
 *   npm run bench -- stability
 *   node --max-old-space-size=8192 build/test/bench/stability.bench.js [SpotifyFeatures.csv]
 *
 * The tracks are the notebooks' sample (test/bench/inputs.ts). It measures
 * - the stability check's own work per run (drawing the subsample, `distances.subset`, the Jaccard
 *   table), with a refit that costs nothing (the original labels of the rows drawn);
 * - when the library has `kMedoids` (lib/cluster/kmedoids/kmedoids.ts), one k-medoids fit of all the rows
 *   and the whole stability check with k-medoids refits at the defaults, which the defaults are
 *   chosen to keep under ten seconds; without it, the k-medoids rows read "—";
 * - `gowerContributions` at its default sample of pairs, and the NMI of the clustering with genre.
 * There is no Python side: Hennig's clusterboot is R (package fpc), not in the pinned reference
 * set; the NMI's reference values are in test/reference/mutual_information_fixtures.py.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DistanceMatrix } from '../../lib/matrix/distance-matrix';
import { gowerMatrix } from '../../lib/distance/gower';
import { gowerContributions } from '../../lib/distance/gower-contributions';
import { averageLinkage } from '../../lib/cluster/linkage/linkage';
import { clusterStability, STABILITY_DEFAULTS } from '../../lib/cluster/evaluate/stability';
import { normalizedMutualInfo } from '../../lib/cluster/evaluate/mutual-information';
import { clusteringFeatures } from '../../lib/data/sample';
import { CATEGORICAL_FEATURES } from '../../lib/data/schema';
import { benchmarkSample, readBenchmarkSample } from './inputs';

const K = 12;
const SEED = 42;

/** The k-medoids of lib/cluster/kmedoids/kmedoids.ts when the library has it (written alongside this file). */
type KMedoids = (distances: DistanceMatrix, k: number, options?: { seed?: number }) => { labels: ArrayLike<number> };
function libraryKMedoids(): KMedoids | undefined {
  const file = join(__dirname, '..', '..', 'lib', 'cluster', 'kmedoids.js');
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-var-requires -- optional module, looked up at run time
  return (require(file) as { kMedoids?: KMedoids }).kMedoids;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const source = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const { csv, source: from } = benchmarkSample({ source, size: 10_000 });
  const sample = readBenchmarkSample(csv);
  const features = clusteringFeatures(sample);
  const n = features.shape[0];
  console.error(`Tracks from ${from}; ${n} rows, seed ${SEED}. Gower matrix …`);
  const gower = gowerMatrix(features, { categorical: CATEGORICAL_FEATURES });
  const rows: [string, string][] = [];
  const { B, fraction } = STABILITY_DEFAULTS;

  console.error('Stability overhead (a refit that costs nothing) …');
  const linkageLabels = averageLinkage(gower).cut(K);
  let start = process.hrtime.bigint();
  const overhead = clusterStability(
    gower,
    linkageLabels,
    (_, { indices }) => Array.from(indices, (i) => linkageLabels[i]),
    { seed: SEED },
  );
  const overheadSeconds = seconds(start);
  rows.push([
    `stability overhead, B = ${B} runs of ${overhead.subsampleSize} rows (subset + Jaccard), total`,
    overheadSeconds.toFixed(2),
  ]);
  rows.push(['  per run', (overheadSeconds / B).toFixed(3)]);

  const kMedoids = libraryKMedoids();
  if (kMedoids) {
    console.error('k-medoids …');
    start = process.hrtime.bigint();
    const labels = kMedoids(gower, K, { seed: SEED }).labels;
    rows.push([`k-medoids, k = ${K}, all ${n} rows (one fit)`, seconds(start).toFixed(2)]);
    console.error(`Stability with k-medoids refits (B = ${B}, fraction ${fraction}) …`);
    start = process.hrtime.bigint();
    const result = clusterStability(gower, labels, (subset, run) => kMedoids(subset, K, { seed: run.seed }).labels, {
      seed: SEED,
    });
    const total = seconds(start);
    rows.push([`stability with k-medoids refits, defaults (B = ${B}, fraction ${fraction}), total`, total.toFixed(2)]);
    rows.push(['  mean Jaccard over the clusters', result.meanJaccard.toFixed(3)]);
  } else {
    rows.push([`k-medoids, k = ${K}, all ${n} rows (one fit)`, '—']);
    rows.push([
      `stability with k-medoids refits, defaults (B = ${B}, fraction ${fraction}), total`,
      '— (no kMedoids in lib/cluster yet)',
    ]);
  }

  start = process.hrtime.bigint();
  gowerContributions(features, { categorical: CATEGORICAL_FEATURES });
  rows.push(['gowerContributions, default sample of pairs', seconds(start).toFixed(3)]);

  const genres = (features.column('genre').values as string[]).slice();
  start = process.hrtime.bigint();
  const nmi = normalizedMutualInfo(linkageLabels, genres);
  rows.push([`NMI of the ${K} average-linkage clusters with genre (= ${nmi.toFixed(3)})`, seconds(start).toFixed(4)]);

  console.log(`Tracks: ${from}; ${n} rows (seed ${SEED}); node ${process.version}.\n`);
  console.log(
    ['| step | seconds |', '|---|---:|', ...rows.map(([step, value]) => `| ${step} | ${value} |`)].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Recording a notebook's run (the `run` table, lib/data/runs.ts) from the notebook itself: the
 * parameters cell begins the run ({@link beginRun}, called by `notebookParameters`), every long step
 * under `withProgress` notes its seconds ({@link noteStepTime}), a cell may note a figure of merit
 * as it computes it ({@link noteRunMerits}), and one call at the end ({@link recordRun}) writes the
 * run with its input file, the project version and the clustering to compare, keeping at most
 * RUNS_KEPT runs. The run in progress lives in this module, one per kernel: a notebook's cells
 * share it, and re-running the parameters cell begins a new one.
 * Written here: what a run is (a notebook from its parameters cell on) is the project's own.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths';
import { storeRun } from '../data/runs';
import type { RunClustering, RunInput, StoredRun } from '../data/runs';
import type { ClusteringSummary } from '../cluster/evaluate/compare';
import { PARAMETERS } from './parameters';

/** The run in progress in this kernel. */
interface CurrentRun {
  notebook: string;
  started: Date;
  parameters: Record<string, unknown>;
  steps: Record<string, number>;
  merits: Record<string, number | null>;
  /** The id it was recorded under, once recorded. */
  recorded: number | null;
}

let current: CurrentRun | null = null;

/**
 * Begin a run of `notebook` with these parameters in force (the parameters cell does it): the
 * clock starts, and the step times and figures of merit noted from now on belong to it.
 * @example beginRun('03', { K: 8, SEED: 42 })
 */
export function beginRun(notebook: string, parameters: Readonly<Record<string, unknown>>, now = new Date()): void {
  current = { notebook, started: now, parameters: { ...parameters }, steps: {}, merits: {}, recorded: null };
}

/**
 * Note the seconds a long step took, under its title, for the run in progress (`withProgress`
 * does it for every step it shows); a title seen twice gets " (2)". Nothing without a run.
 * @example noteStepTime('Gower matrix', 1.62)
 */
export function noteStepTime(step: string, seconds: number): void {
  if (current === null || current.recorded !== null || !(seconds >= 0)) return;
  let name = step;
  for (let n = 2; name in current.steps; n++) name = `${step} (${n})`;
  current.steps[name] = Math.round(seconds * 1000) / 1000;
}

/**
 * Note figures of merit for the run in progress, where a cell computes them (those given to
 * {@link recordRun} are added to these). Nothing without a run.
 * @example noteRunMerits({ 'placement trustworthiness': 0.91 })
 */
export function noteRunMerits(merits: Readonly<Record<string, number | null>>): void {
  if (current === null || current.recorded !== null) return;
  Object.assign(current.merits, merits);
}

/**
 * The SHA-256 of a file's content (read in 1 MB blocks) with its absolute path and size.
 * @example fileDigest('data/SpotifyFeatures.sample.csv') // { path: '…/data/SpotifyFeatures.sample.csv', size: 2811034, hash: '5e1f…' }
 */
export function fileDigest(path: string): RunInput {
  const hash = createHash('sha256');
  const block = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let read = readSync(fd, block); read > 0; read = readSync(fd, block)) hash.update(block.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return { path: realpathSync(path), size: statSync(path).size, hash: hash.digest('hex') };
}

/** The files whose uncommitted changes make a run's code differ from its commit. */
const CODE_PATHS = ['lib', 'notebooks', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * The version of the project's code: `commit <12 hex digits>` when the project is a git checkout
 * (the commit of HEAD), followed by ` with uncommitted changes` when a tracked file of the code
 * (lib/, notebooks/ — their sources, not their outputs —, scripts/, package.json, package-lock.json,
 * tsconfig.json) differs from that commit; else `version <package.json version>`.
 * @example projectVersion() // 'commit 881827e5c1a2'
 */
export function projectVersion(root = PROJECT_ROOT): string {
  const git = (args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10000 });
  try {
    const [top, commit] = git(['rev-parse', '--show-toplevel', '--short=12', 'HEAD']).trim().split('\n');
    if (realpathSync(top) === realpathSync(root) && /^[0-9a-f]{12}$/.test(commit)) {
      let changed = false;
      try {
        changed = git(['status', '--porcelain', '--untracked-files=no', '--', ...CODE_PATHS]).trim() !== '';
      } catch {
        // status failed (e.g. the notebooks' clean filter is not set up): say only the commit
      }
      return changed ? `commit ${commit} with uncommitted changes` : `commit ${commit}`;
    }
  } catch {
    // no git, or not a checkout: the package version
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return `version ${version}`;
}

/**
 * Notebook 02's figures of merit from its comparison table: each method's k, silhouette, largest
 * cluster's share, NMI with genre and stability, named `<method> · <measure>` (notebook 05 draws
 * one panel per measure, one line per method).
 * @example clusteringMerits([summary])['k-medoids · silhouette'] // 0.21
 */
export function clusteringMerits(summaries: readonly ClusteringSummary[]): Record<string, number> {
  return Object.fromEntries(
    summaries.flatMap((s) => [
      [`${s.method} · k`, s.k],
      [`${s.method} · silhouette`, s.silhouette],
      [`${s.method} · largest share`, s.largestShare],
      [`${s.method} · NMI`, s.nmi],
      [`${s.method} · stability`, s.stability],
    ]),
  );
}

/** What {@link recordRun} writes besides what the run in progress knows. */
export interface RunResults {
  /** Figures of merit (added to those noted with {@link noteRunMerits}). */
  merits?: Readonly<Record<string, number | null>>;
  /** The clustering to keep for comparing runs (the sample's, for notebooks 02 and 03). */
  clustering?: RunClustering;
}

/** How {@link recordRun} prints and tells time. */
export interface RecordRunOptions {
  print?: (text: string) => void;
  now?: Date;
}

const plural = (count: number, thing: string): string => `${count} ${thing}${count === 1 ? '' : 's'}`;

/**
 * Record the run in progress in the database at `path` (see lib/data/runs.ts): the notebook, its
 * start and now, the parameters in force, the input file (notebook 01: SPOTIFY_CSV, hashed now;
 * the others: the file the stored tracks came from), the project version ({@link projectVersion}),
 * the figures of merit, the step times, and the clustering. Keeps at most RUNS_KEPT runs (the
 * parameter in force, default 20), dropping the oldest, and prints one line saying so. Refused with
 * one sentence, the database left as it was: no run begun in this kernel, a run recorded already,
 * or a value that cannot be recorded.
 * @example
 * await recordRun(DB_PATH, { merits: { inertia: km.inertia }, clustering: { method: 'k-means', trackIds: sampleIds, clusterIds: km.labels } })
 * // prints "Recorded this run of notebook 03 as run 7 (41.2 s, 4 long steps timed) in …/spotify.duckdb; 7 runs kept (RUNS_KEPT = 20)."
 */
export async function recordRun(
  path: string,
  results: RunResults = {},
  options: RecordRunOptions = {},
): Promise<StoredRun> {
  const run = current;
  if (run === null)
    throw new Error(
      "No run has begun in this kernel: run the notebook's parameters cell first (it begins the run), then this cell. Nothing was recorded.",
    );
  if (run.recorded !== null)
    throw new Error(
      `This run of notebook ${run.notebook} was recorded already, as run ${run.recorded}; run the notebook again from its parameters cell to record another. Nothing was recorded.`,
    );
  const keep = (run.parameters.RUNS_KEPT as number | undefined) ?? Number(PARAMETERS.RUNS_KEPT.default);
  const csv = run.parameters.SPOTIFY_CSV;
  const stored = await storeRun(
    path,
    {
      notebook: run.notebook,
      started: run.started,
      finished: options.now ?? new Date(),
      parameters: run.parameters,
      input: run.notebook === '01' && typeof csv === 'string' ? fileDigest(csv) : undefined,
      projectVersion: projectVersion(),
      merits: { ...results.merits, ...run.merits, ...results.merits }, // the cell's own first, and winning
      stepSeconds: run.steps,
      clustering: results.clustering ?? null,
    },
    keep,
  );
  run.recorded = stored.id;
  const seconds = ((options.now ?? new Date()).getTime() - run.started.getTime()) / 1000;
  const steps = Object.keys(run.steps).length;
  const dropped =
    stored.dropped.length === 0
      ? ''
      : `; dropped the oldest: ${stored.dropped.length === 1 ? 'run' : 'runs'} ${stored.dropped.join(', ')}`;
  (options.print ?? console.log)(
    `Recorded this run of notebook ${run.notebook} as run ${stored.id} (${seconds.toFixed(1)} s, ` +
      `${plural(steps, 'long step')} timed) in ${path}; ${plural(stored.kept, 'run')} kept (RUNS_KEPT = ${keep})${dropped}.`,
  );
  return stored;
}

/**
 * Benchmark of the foundation issue: on a full-size generated file (232,725 rows), the original notebook's
 * load + drop duplicates + popularity filter here and in pandas, side by side in one run, and the
 * DuckDB write of the cleaned tracks. Run by `npm run bench` (or `npm run bench -- load`).
 * The two sides take turns (one run here, one pandas run, …), so that both meet the same load on
 * a shared machine; the table gives medians.
 *
 *   node build/test/bench/load.bench.js [FILE]   (default: build/bench/SpotifyFeatures.full.csv, made if missing)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readCSV } from 'danfojs-node';
import { BUILD_DIR, PROJECT_ROOT } from '../../lib/paths';
import { loadSpotifyCsv } from '../../lib/data/loader';
import { dropDuplicateTracks, keepPopularTracks } from '../../lib/data/clean';
import { storeTracks, tracksFromFrame } from '../../lib/data/db';
import { fullSizeCsv } from './inputs';

const REPEATS = 7;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (value: number): string => value.toFixed(3);

async function main(): Promise<void> {
  const file = process.argv[2] ?? fullSizeCsv();
  const python = execFileSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], {
    encoding: 'utf8',
  }).trim();

  const load: number[] = [];
  const dedup: number[] = [];
  const keep: number[] = [];
  const write: number[] = [];
  const pandasRuns: { load: number; dedup: number; filter: number; total: number; rows: number; pandas: string }[] = [];
  let rows = 0;
  let cleanFrame = null as ReturnType<typeof keepPopularTracks> | null;
  for (let r = 0; r < REPEATS; r++) {
    pandasRuns.push(
      JSON.parse(
        execFileSync(python, [join(PROJECT_ROOT, 'test', 'reference', 'load_bench.py'), file, '1'], {
          encoding: 'utf8',
        }),
      ),
    );
    const t0 = performance.now();
    const { df } = await loadSpotifyCsv(file);
    const t1 = performance.now();
    const unique = dropDuplicateTracks(df).df;
    const t2 = performance.now();
    cleanFrame = keepPopularTracks(unique, 10);
    const t3 = performance.now();
    load.push((t1 - t0) / 1000);
    dedup.push((t2 - t1) / 1000);
    keep.push((t3 - t2) / 1000);
    rows = cleanFrame.shape[0];
  }
  mkdirSync(join(BUILD_DIR, 'bench'), { recursive: true });
  const dir = mkdtempSync(join(BUILD_DIR, 'bench', 'db-'));
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    await storeTracks(join(dir, `write-${r}.duckdb`), tracksFromFrame(cleanFrame!));
    write.push((performance.now() - t0) / 1000);
  }
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  await readCSV(file);
  const danfoRead = (performance.now() - t0) / 1000;

  const pandas = {
    pandas: pandasRuns[0].pandas,
    rows: pandasRuns[0].rows,
    load: median(pandasRuns.map((p) => p.load)),
    dedup: median(pandasRuns.map((p) => p.dedup)),
    filter: median(pandasRuns.map((p) => p.filter)),
    total: median(pandasRuns.map((p) => p.total)),
  };
  const total = median(load.map((l, i) => l + dedup[i] + keep[i]));
  console.log(`\nLoad benchmark: ${file} (232,725 rows generated), median of ${REPEATS} runs, seconds\n`);
  console.log('| stage | this project | pandas ' + pandas.pandas + ' | ratio |');
  console.log('|---|---|---|---|');
  console.log(
    `| read CSV into a DataFrame | ${seconds(median(load))} | ${seconds(pandas.load)} | ${(median(load) / pandas.load).toFixed(2)}× |`,
  );
  console.log(
    `| drop duplicate track_id | ${seconds(median(dedup))} | ${seconds(pandas.dedup)} | ${(median(dedup) / pandas.dedup).toFixed(2)}× |`,
  );
  console.log(
    `| popularity > 10 | ${seconds(median(keep))} | ${seconds(pandas.filter)} | ${(median(keep) / pandas.filter).toFixed(2)}× |`,
  );
  console.log(
    `| **load + dedup + filter** | **${seconds(total)}** | **${seconds(pandas.total)}** | **${(total / pandas.total).toFixed(2)}×** |`,
  );
  console.log(`| rows kept | ${rows} | ${pandas.rows} | ${rows === pandas.rows ? 'equal' : 'DIFFERENT'} |`);
  console.log(`| DuckDB write of the kept tracks (median of 3) | ${seconds(median(write))} | | goal < 2 s |`);
  console.log(`| for reference: danfojs readCSV alone (1 run) | ${seconds(danfoRead)} | | |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

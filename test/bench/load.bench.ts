/**
 * Benchmark of loading (issue 20): on a full-size generated file (232,725 rows), the original
 * notebook's load + drop duplicates + popularity filter here (DuckDB's CSV reader into the staging
 * table with every check and repair, then the first row of each track id with popularity above 10,
 * in SQL: lib/data/loader.ts, lib/data/load-tracks.ts) and in pandas, side by side in one run, and
 * the write of the kept tracks into a DuckDB file (`StagedTracks.store`, one INSERT … SELECT).
 * Run by `npm run bench -- load`. The two sides take turns (one run here, one pandas run, …), so
 * that both meet the same load on a shared machine; the table gives medians.
 *
 *   node build/test/bench/load.bench.js [FILE]   (default: build/bench/SpotifyFeatures.full.csv, made if missing)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from '../../lib/paths';
import { StagedTracks } from '../../lib/data/load-tracks';
import { fullSizeCsv } from './inputs';

const REPEATS = 7;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (value: number): string => value.toFixed(3);
const ratio = (ours: number, theirs: number): string => `${(ours / theirs).toFixed(2)}×`;

async function main(): Promise<void> {
  const file = process.argv[2] ?? fullSizeCsv();
  const python = execFileSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], {
    encoding: 'utf8',
  }).trim();

  const load: number[] = [];
  const clean: number[] = [];
  const write: number[] = [];
  const pandasRuns: { load: number; dedup: number; filter: number; total: number; rows: number; pandas: string }[] = [];
  let rows = 0;
  mkdirSync(join(BUILD_DIR, 'bench'), { recursive: true });
  const dir = mkdtempSync(join(BUILD_DIR, 'bench', 'db-'));
  for (let r = 0; r < REPEATS; r++) {
    pandasRuns.push(
      JSON.parse(
        execFileSync(python, [join(PROJECT_ROOT, 'test', 'reference', 'load_bench.py'), file, '1'], {
          encoding: 'utf8',
        }),
      ),
    );
    const t0 = performance.now();
    const staged = await StagedTracks.load(file);
    const t1 = performance.now();
    rows = await staged.keptCount(10);
    const t2 = performance.now();
    if (r < 3) {
      await staged.store(join(dir, `write-${r}.duckdb`), 10);
      write.push((performance.now() - t2) / 1000);
    }
    staged.close();
    load.push((t1 - t0) / 1000);
    clean.push((t2 - t1) / 1000);
  }
  rmSync(dir, { recursive: true, force: true });

  const pandas = {
    pandas: pandasRuns[0].pandas,
    rows: pandasRuns[0].rows,
    load: median(pandasRuns.map((p) => p.load)),
    clean: median(pandasRuns.map((p) => p.dedup + p.filter)),
    total: median(pandasRuns.map((p) => p.total)),
  };
  const total = median(load.map((l, i) => l + clean[i]));
  console.log(`\nLoad benchmark: ${file}, median of ${REPEATS} runs, seconds\n`);
  console.log(`| stage | this project (DuckDB) | pandas ${pandas.pandas} | ratio |`);
  console.log('|---|---|---|---|');
  console.log(
    `| read the CSV (here: with every check and repair) | ${seconds(median(load))} | ${seconds(pandas.load)} | ${ratio(median(load), pandas.load)} |`,
  );
  console.log(
    `| drop duplicate track_id + popularity > 10 | ${seconds(median(clean))} | ${seconds(pandas.clean)} | ${ratio(median(clean), pandas.clean)} |`,
  );
  console.log(
    `| **load + dedup + filter** | **${seconds(total)}** | **${seconds(pandas.total)}** | **${ratio(total, pandas.total)}** |`,
  );
  console.log(`| rows kept | ${rows} | ${pandas.rows} | ${rows === pandas.rows ? 'equal' : 'DIFFERENT'} |`);
  console.log(
    `| write of the kept tracks into a DuckDB file (median of 3) | ${seconds(median(write))} | | goal < 2 s |`,
  );
  console.log('\n(ratio: this project ÷ pandas; below 1× is faster than pandas)');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

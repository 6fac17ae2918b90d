/**
 * Benchmark: the whole pipeline. Every notebook runs headless, as `npm run notebooks` runs them
 * (scripts/run-notebooks.js, a fresh kernel per notebook), on the full-size generated file, at
 * THREADS = 1 and 2; beside them, in the same run, the original Python notebook's steps on the same
 * file and the same sample (test/reference/pipeline_bench.py) at n_jobs = 1 and 2.
 *
 *   npm run bench -- pipeline
 *   node --max-old-space-size=8192 build/test/bench/pipeline.bench.js [SpotifyFeatures.csv]
 *        [--sample-size=N] [--threads=1,2] [--no-python] [--keep]
 *
 * The file is the full-size generated one (test/bench/inputs.ts, made when missing) unless one is
 * given; SAMPLE_SIZE is the notebooks' 10,000 unless --sample-size says otherwise (the small check:
 * data/SpotifyFeatures.sample.csv --sample-size=1000). Each thread count gets its own database and
 * report folder in a fresh build/bench/pipeline-XXXX/ (removed at the end unless --keep).
 * Measured, per thread count: each notebook's wall time (run-notebooks' "done in" line, kernel
 * start included), the whole run's, and each long step's seconds as the executed notebook's
 * progress bar recorded it ("Gower matrix … 100% · 12.3 s · done"), plus the slowest cells (from
 * the execution timestamps the notebook runner records). The Python side's steps are the
 * original's cells (pipeline_bench.py says which); it stores nothing in DuckDB (duckdb is not in the
 * pinned reference set). Prints markdown tables. Takes about (2 × a full run + 2 × the original's
 * steps): some 10–15 minutes at full size on a quiet 2-core machine, about 3 minutes for the small check.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { BENCH_DIR, benchmarkSample, fullSizeCsv } from './inputs';

/** One thread count's run of every notebook. */
interface NotebookRun {
  threads: number;
  ok: boolean;
  /** Wall seconds of the whole `run-notebooks.js` (its check, every kernel, the notebooks). */
  total: number;
  /** Wall seconds of each notebook, from its "done in" line. */
  notebooks: Map<string, number>;
  /** Each long step's seconds from its final progress line, keyed "NN · step". */
  steps: Map<string, number>;
  /** The slowest cells: "NN · cell i: first line" → seconds. */
  cells: Map<string, number>;
  log: string[];
}

/** The Python side's report. */
interface PythonRun {
  n_jobs: number;
  rows: number;
  steps: [string, number][];
  peakRssBytes: number;
}

/** The final line of a progress bar (lib/notebook/progress.ts): "<step> <bar> 100% · 12.3 s[ · detail] · done". */
const PROGRESS_DONE = /^(.+?) [█░]+ 100% · ([\d.]+) s(?: · .*)? · done$/;

function runNotebooks(
  threads: number,
  folder: string,
  source: string,
  sampleSize: number | undefined,
): Promise<NotebookRun> {
  const out = join(folder, `notebooks-threads-${threads}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPOTIFY_CSV: source,
    DB_PATH: join(folder, `pipeline-threads-${threads}.duckdb`),
    THREADS: String(threads),
    INIT_CWD: PROJECT_ROOT,
  };
  if (sampleSize !== undefined) env.SAMPLE_SIZE = String(sampleSize);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'scripts', 'run-notebooks.js'), '--out', out, '--no-html'],
    {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    process.stderr.write(chunk);
  });
  return new Promise((resolve) => {
    child.on('close', (status) => {
      const log = text.split('\n');
      const notebooks = new Map<string, number>();
      for (const line of log) {
        const match = /notebooks: (\S+\.ipynb) done in ([\d.]+) s/.exec(line);
        if (match) notebooks.set(match[1], Number(match[2]));
      }
      const { steps, cells } = readExecuted(out);
      resolve({ threads, ok: status === 0, total: (Date.now() - started) / 1000, notebooks, steps, cells, log });
    });
  });
}

/** The step times (final progress lines) and cell times of the executed notebooks in `folder`. */
function readExecuted(folder: string): { steps: Map<string, number>; cells: Map<string, number> } {
  const steps = new Map<string, number>();
  const cells = new Map<string, number>();
  if (!existsSync(folder)) return { steps, cells };
  for (const name of readdirSync(folder)
    .filter((file) => file.endsWith('.ipynb'))
    .sort()) {
    const prefix = name.slice(0, 2);
    const notebook = JSON.parse(readFileSync(join(folder, name), 'utf8')) as {
      cells: {
        cell_type: string;
        source: string | string[];
        outputs?: unknown[];
        metadata?: Record<string, unknown>;
      }[];
    };
    notebook.cells.forEach((cell, index) => {
      if (cell.cell_type !== 'code') return;
      for (const output of (cell.outputs ?? []) as { data?: Record<string, unknown>; text?: string | string[] }[]) {
        const plain = output.data?.['text/plain'] ?? output.text;
        const text = Array.isArray(plain) ? plain.join('') : typeof plain === 'string' ? plain : '';
        for (const line of text.split('\n')) {
          const match = PROGRESS_DONE.exec(line.trim());
          if (match) steps.set(`${prefix} · ${match[1]}`, Number(match[2]));
        }
      }
      const seconds = cellSeconds(cell.metadata ?? {});
      if (seconds !== undefined) {
        const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
        const first = source.split('\n').find((line) => line.trim() !== '' && !line.trim().startsWith('//')) ?? '';
        cells.set(`${prefix} · cell ${index}: \`${first.trim().slice(0, 60).replace(/\|/g, '\\|')}\``, seconds);
      }
    });
  }
  return { steps, cells };
}

/**
 * A cell's execution seconds: nbclient's timestamps (busy to idle: tslab sends its shell reply as
 * soon as the cell starts, so that timestamp says nothing), or papermill's duration.
 */
function cellSeconds(metadata: Record<string, unknown>): number | undefined {
  const execution = metadata.execution as Record<string, string> | undefined;
  const start = execution?.['iopub.status.busy'] ?? execution?.['iopub.execute_input'];
  const end = execution?.['iopub.status.idle'];
  if (start && end) return (Date.parse(end) - Date.parse(start)) / 1000;
  const duration = (metadata.papermill as { duration?: number } | undefined)?.duration;
  return typeof duration === 'number' ? duration : undefined;
}

function runPython(source: string, sampleCsv: string, nJobs: number): Promise<PythonRun | string> {
  const venv = spawnSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], { encoding: 'utf8' });
  if (venv.status !== 0) return Promise.resolve(`could not prepare the reference virtualenv: ${venv.stderr}`);
  const child = spawn(
    venv.stdout.trim(),
    [join(PROJECT_ROOT, 'test', 'reference', 'pipeline_bench.py'), source, sampleCsv, String(nJobs)],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.on('close', (status) => {
      if (status !== 0) return resolve(`the Python side failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines[lines.length - 1]) as PythonRun);
    });
  });
}

const seconds = (value: number | undefined): string => (value === undefined ? '—' : value.toFixed(1));

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, c) => (c === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const given = args.find((a) => !a.startsWith('--'));
  const sizeText = option('sample-size');
  const sampleSize = sizeText === undefined ? undefined : Number(sizeText);
  if (sampleSize !== undefined && !(Number.isInteger(sampleSize) && sampleSize >= 10))
    throw new Error(`--sample-size must be a whole number of at least 10, got ${sizeText}.`);
  const threadList = (option('threads') ?? '1,2').split(',').map(Number);
  if (!threadList.every((t) => Number.isInteger(t) && t >= 1))
    throw new Error(`--threads must list whole numbers of at least 1, e.g. --threads=1,2, got ${option('threads')}.`);
  const python = !args.includes('--no-python');

  const source = given === undefined ? fullSizeCsv() : resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (!existsSync(source)) throw new Error(`There is no file at ${source} to run the pipeline on.`);
  const { csv: sampleCsv } = benchmarkSample({ source: given === undefined ? undefined : source, size: sampleSize });
  const folder = mkdtempSync(join(BENCH_DIR, 'pipeline-'));
  const loadStart = loadavg();

  const runs: NotebookRun[] = [];
  const references: (PythonRun | string)[] = [];
  try {
    for (const threads of threadList) {
      console.error(`pipeline: the notebooks at THREADS=${threads} …`);
      runs.push(await runNotebooks(threads, folder, source, sampleSize));
    }
    if (python) {
      for (const nJobs of threadList) {
        console.error(`pipeline: the original's steps in Python at n_jobs=${nJobs} …`);
        references.push(await runPython(source, sampleCsv, nJobs));
      }
    }
  } finally {
    if (!args.includes('--keep')) rmSync(folder, { recursive: true, force: true });
  }

  const lines: string[] = [];
  lines.push(
    `The pipeline on ${relative(PROJECT_ROOT, source)} (SAMPLE_SIZE ${sampleSize ?? 'default 10,000'}); node ${process.version}, ${availableParallelism()} cores, load average at the start ${loadStart.map((l) => l.toFixed(1)).join(', ')}.`,
  );
  for (const run of runs.filter((r) => !r.ok)) {
    lines.push(
      `**THREADS=${run.threads}: the run failed**: ${run.log
        .filter((l) => l.startsWith('notebooks:'))
        .slice(-3)
        .join(' / ')}`,
    );
  }
  lines.push('');
  lines.push('### The notebooks (wall seconds, `npm run notebooks`)');
  lines.push('');
  const names = [...new Set(runs.flatMap((r) => [...r.notebooks.keys()]))].sort();
  lines.push(
    ...table(
      ['notebook', ...runs.map((r) => `THREADS=${r.threads}`)],
      [
        ...names.map((name) => [name, ...runs.map((r) => seconds(r.notebooks.get(name)))]),
        ['**whole run** (check and kernels included)', ...runs.map((r) => `**${seconds(r.total)}**`)],
      ],
    ),
  );
  lines.push('');
  lines.push('### Long steps (seconds, from the executed notebooks\u2019 progress bars)');
  lines.push('');
  const steps = [...new Set(runs.flatMap((r) => [...r.steps.keys()]))];
  lines.push(
    ...table(
      ['step', ...runs.map((r) => `THREADS=${r.threads}`)],
      steps.map((step) => [step.replace(/\|/g, '\\|'), ...runs.map((r) => seconds(r.steps.get(step)))]),
    ),
  );
  lines.push('');
  lines.push('### Slowest cells (seconds, the first thread count\u2019s ten slowest)');
  lines.push('');
  const slowest = runs.length ? [...runs[0].cells].sort((a, b) => b[1] - a[1]).slice(0, 10) : [];
  lines.push(
    ...table(
      ['cell', ...runs.map((r) => `THREADS=${r.threads}`)],
      slowest.map(([cell]) => [cell, ...runs.map((r) => seconds(r.cells.get(cell)))]),
    ),
  );
  if (python) {
    lines.push('');
    lines.push('### The original notebook\u2019s steps in Python, same file and sample (seconds)');
    lines.push('');
    const ok = references.filter((r): r is PythonRun => typeof r !== 'string');
    for (const failure of references.filter((r): r is string => typeof r === 'string'))
      lines.push(`Python: ${failure}`);
    const pySteps = ok.length ? ok[0].steps.map(([name]) => name) : [];
    const total = (r: PythonRun): number => r.steps.reduce((sum, [, s]) => sum + s, 0);
    lines.push(
      ...table(
        ['step', ...ok.map((r) => `n_jobs=${r.n_jobs}`)],
        [
          ...pySteps.map((step) => [step, ...ok.map((r) => seconds(r.steps.find(([name]) => name === step)?.[1]))]),
          ['**all steps**', ...ok.map((r) => `**${seconds(total(r))}**`)],
          ['peak memory (max RSS)', ...ok.map((r) => `${(r.peakRssBytes / 1e9).toFixed(2)} GB`)],
        ],
      ),
    );
    const goal = runs.find((r) => r.threads === 2) ?? runs[runs.length - 1];
    if (goal) {
      lines.push('');
      lines.push(
        `Goal: all the notebooks in at most 60 s wall (THREADS=${goal.threads}: ${seconds(goal.total)} s, ${goal.ok && goal.total <= 60 ? 'met' : 'NOT met'}).`,
      );
    }
  }
  console.log(lines.join('\n'));
  if (runs.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

/**
 * Benchmark of a large collection (issue 20): the whole headless run (`npm run notebooks`) on a
 * generated 2,000,000-row file, notebook by notebook with its time, its slowest cells and the peak
 * memory of every process it started; the load step (load + drop duplicates + popularity filter)
 * beside pandas on the same file; `similar()` over every stored track; and the size of each executed
 * notebook and report. Each line says whether it meets the issue's goal:
 *
 *   npm run bench -- scale
 *   node build/test/bench/scale.bench.js [--rows N] [--file FILE] [--skip-python] [--skip-run]
 *
 * Goals: the whole run under 5 minutes on a 2-core machine, no process above 2 GB, `similar()`'s
 * median under 50 ms, every executed notebook under 1.5 MB and every report under 5 MB.
 *
 * The file (default 2,000,000 rows, seed 2024) is build/bench/SpotifyFeatures.<rows>.csv, made with
 * `npm run generate-data` when missing. The run writes to build/bench/scale/ (its own database and
 * report folder). Peak memory is each process's high-water mark (VmHWM in /proc, read every 0.2 s
 * while it runs; Linux only), so a process that grows in its last moments may show a little less.
 * The measured steps of this file run in child processes of their own (`--load FILE`,
 * `--similar DB`), so that each peak is that step's.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BUILD_DIR, PROJECT_ROOT } from '../../lib/paths';
import { StagedTracks } from '../../lib/data/load-tracks';
import { loadCatalogue } from '../../lib/catalogue/catalogue';
import { queryRows } from '../../lib/data/db';
import { seededRandom } from '../../lib/random';

const OUT = join(BUILD_DIR, 'bench', 'scale');
const GOALS = { runSeconds: 300, processBytes: 2 * 1024 ** 3, similarMs: 50, notebookBytes: 1.5e6, reportBytes: 5e6 };
const QUERIES = 200;
const MB = 1024 * 1024;

/** A process seen while measuring: its command and its largest high-water mark. */
interface SeenProcess {
  pid: number;
  command: string;
  /** The step running when it was first seen (a notebook's name for the run). */
  step: string;
  peakBytes: number;
}

/** What {@link measure} returns. */
interface Measured {
  seconds: number;
  status: number | null;
  stdout: string;
  stderr: string;
  processes: SeenProcess[];
  /** The time each line of stderr arrived, in seconds from the start. */
  lines: { at: number; text: string }[];
}

/** The children of every process, from /proc/<pid>/stat. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended meanwhile
    }
  }
  return children;
}

function highWaterMark(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const shown = argv.map((a) => a.replace(/^.*\/(node_modules|build|scripts|\.venv)\//, '$1/'));
    return shown.join(' ').slice(0, 90);
  } catch {
    return '?';
  }
}

/**
 * Runs a command, watching its process tree every 0.2 s: wall-clock time, exit status, output, and
 * every process's peak memory. `step(lines)` names the step running (for the processes seen).
 */
function measure(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  step: (lines: Measured['lines']) => string = () => '',
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const seen = new Map<number, SeenProcess>();
    const lines: Measured['lines'] = [];
    let stdout = '';
    let stderr = '';
    const at = () => (performance.now() - start) / 1000;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      for (const text of String(chunk).split('\n').filter(Boolean)) {
        lines.push({ at: at(), text });
        if (process.env.VERBOSE) process.stderr.write(`  ${text}\n`);
      }
    });
    const poll = () => {
      const children = childrenByParent();
      const queue = [child.pid!];
      while (queue.length) {
        const pid = queue.pop()!;
        queue.push(...(children.get(pid) ?? []));
        const peak = highWaterMark(pid);
        const known = seen.get(pid);
        if (known) known.peakBytes = Math.max(known.peakBytes, peak);
        else seen.set(pid, { pid, command: commandOf(pid), step: step(lines), peakBytes: peak });
      }
    };
    const timer = setInterval(poll, 200);
    poll();
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(timer);
      resolve({ seconds: at(), status, stdout, stderr, processes: [...seen.values()], lines });
    });
  });
}

const gb = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(2)} GB`;
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const meets = (ok: boolean): string => (ok ? 'yes' : '**no**');
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** `--load FILE`: the load step in this process, as JSON. */
async function loadStep(file: string): Promise<void> {
  // what notebook 01 does: DuckDB's reader into the staging table, then dedup + filter in SQL
  const t0 = performance.now();
  const staged = await StagedTracks.load(file);
  const t1 = performance.now();
  const kept = await staged.keptCount(10);
  const t2 = performance.now();
  const rows = staged.report.rows;
  staged.close();
  console.log(
    JSON.stringify({
      load: (t1 - t0) / 1000,
      total: (t2 - t0) / 1000,
      rows,
      kept,
      maxRss: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

/** `--similar DB`: loadCatalogue, then `similar(id, 10)` on seeded random stored tracks, as JSON. */
async function similarStep(db: string): Promise<void> {
  // the queried tracks first, by their place in id order (not every id as a row object: the peak is the catalogue's)
  const count = Number((await queryRows(db, 'SELECT count(*) AS n FROM track'))[0].n);
  const random = seededRandom(42);
  const picks = Array.from({ length: QUERIES }, () => Math.floor(random() * count));
  const picked = await queryRows(
    db,
    `SELECT r, track_id FROM (SELECT row_number() OVER (ORDER BY track_id) - 1 AS r, track_id FROM track)
     WHERE r IN (${[...new Set(picks)].join(', ')})`,
  );
  const idAt = new Map(picked.map((row) => [Number(row.r), String(row.track_id)]));
  const t0 = performance.now();
  const catalogue = await loadCatalogue(db);
  const loadSeconds = (performance.now() - t0) / 1000;
  const times: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const id = idAt.get(picks[q])!;
    const s = performance.now();
    catalogue.similar(id, 10);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      tracks: count,
      loadSeconds,
      median: times[Math.floor(times.length / 2)],
      p95: times[Math.floor(0.95 * times.length)],
      maxRss: process.resourceUsage().maxRSS * 1024,
    }),
  );
}

/** The slowest cells of an executed notebook, from nbclient's timing metadata (when recorded). */
function slowestCells(path: string, count: number): string {
  try {
    const cells = JSON.parse(readFileSync(path, 'utf8')).cells as {
      metadata?: { execution?: Record<string, string> };
      source: string[] | string;
    }[];
    const timed = cells.flatMap((cell, i) => {
      const e = cell.metadata?.execution;
      // tslab replies at once and works until the kernel is idle again
      if (!e?.['iopub.execute_input'] || !e['iopub.status.idle']) return [];
      const seconds = (Date.parse(e['iopub.status.idle']) - Date.parse(e['iopub.execute_input'])) / 1000;
      const first = (Array.isArray(cell.source) ? cell.source.join('') : cell.source).split('\n')[0].slice(0, 40);
      return [{ i, seconds, first }];
    });
    return timed
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, count)
      .map((c) => `cell ${c.i} ${c.seconds.toFixed(0)} s (\`${c.first.replace(/[|`]/g, ' ')}\`)`)
      .join('; ');
  } catch {
    return '';
  }
}

async function main(): Promise<void> {
  const rows = Number(option('--rows') ?? 2_000_000);
  const file = option('--file') ?? join(BUILD_DIR, 'bench', `SpotifyFeatures.${rows}.csv`);
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(file)) {
    console.error(`scale: generating ${rows.toLocaleString('en-US')} rows into ${file} ...`);
    execFileSync(
      process.execPath,
      [join(PROJECT_ROOT, 'scripts', 'generate-data.js'), '--rows', String(rows), '--out', file],
      {
        stdio: 'inherit',
      },
    );
  }
  const self = join(PROJECT_ROOT, 'build', 'test', 'bench', 'scale.bench.js');
  const node = (args: string[]): [string, string[]] => [process.execPath, ['--max-old-space-size=8192', self, ...args]];
  const out: string[] = [];
  out.push(
    `Input: ${file} (${mb(statSync(file).size)}); ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}.`,
  );

  // 1. the load step, ours and pandas', each in a process of its own
  const ours = await measure(...node(['--load', file]), process.env);
  if (ours.status !== 0) throw new Error(`The load step failed: ${ours.stderr}`);
  const load = JSON.parse(ours.stdout.trim().split('\n').pop()!);
  out.push(
    '',
    '| load step (load + drop duplicates + popularity > 10) | seconds | peak memory | rows kept |',
    '|---|---|---|---|',
  );
  out.push(
    `| this project (\`StagedTracks.load\` + dedup + filter in SQL) | ${load.total.toFixed(1)} | ${mb(load.maxRss)} | ${load.kept} |`,
  );
  if (!process.argv.includes('--skip-python')) {
    const python = execFileSync('bash', [join(PROJECT_ROOT, 'test', 'reference', 'venv.sh')], {
      encoding: 'utf8',
    }).trim();
    const pandas = await measure(
      python,
      [join(PROJECT_ROOT, 'test', 'reference', 'load_bench.py'), file, '1'],
      process.env,
    );
    if (pandas.status !== 0) throw new Error(`The pandas load failed: ${pandas.stderr}`);
    const p = JSON.parse(pandas.stdout.trim());
    const peak = Math.max(...pandas.processes.map((s) => s.peakBytes));
    out.push(`| pandas ${p.pandas} | ${p.total.toFixed(1)} | ${mb(peak)} | ${p.rows} |`);
    out.push(
      `| ratio (ours / pandas) | ${(load.total / p.total).toFixed(2)}× | | ${p.rows === load.kept ? 'equal' : 'DIFFERENT'} |`,
    );
  }

  // 2. the whole run, notebook by notebook
  const db = join(OUT, 'scale.duckdb');
  const reports = join(OUT, 'notebooks');
  if (!process.argv.includes('--skip-run')) {
    for (const stale of [db, `${db}.wal`]) rmSync(stale, { force: true });
    console.error('scale: running every notebook (npm run notebooks) ...');
    const running = (lines: Measured['lines']): string => {
      const last = [...lines].reverse().find((l) => /executing (\S+)/.test(l.text));
      return last ? /executing (\S+)/.exec(last.text)![1] : 'before 01 (checks)';
    };
    const run = await measure(
      process.execPath,
      [join(PROJECT_ROOT, 'scripts', 'run-notebooks.js'), '--out', reports],
      { ...process.env, SPOTIFY_CSV: file, DB_PATH: db },
      running,
    );
    if (run.status !== 0) throw new Error(`The run failed (status ${run.status}):\n${run.stderr}`);
    const starts = run.lines.filter((l) => /executing (\S+)/.test(l.text));
    out.push(
      '',
      '| step | seconds | peak memory (largest process) | slowest cells | executed notebook | report |',
      '|---|---|---|---|---|---|',
    );
    const steps = [{ at: 0, text: 'executing checks' }, ...starts];
    steps.forEach((s, i) => {
      const name = /executing (\S+)/.exec(s.text)![1];
      const end = i + 1 < steps.length ? steps[i + 1].at : run.seconds;
      const label = name === 'checks' ? 'before 01 (checks)' : name;
      const peak = Math.max(0, ...run.processes.filter((p) => p.step === label).map((p) => p.peakBytes));
      const ipynb = join(reports, name);
      const html = join(reports, name.replace(/\.ipynb$/, '.html'));
      const size = (path: string, goal: number) =>
        existsSync(path) ? `${mb(statSync(path).size)} ${statSync(path).size < goal ? '' : '**over**'}` : '';
      out.push(
        `| ${label} | ${(end - s.at).toFixed(0)} | ${gb(peak)} | ${name.endsWith('.ipynb') ? slowestCells(ipynb, 3) : ''} | ${size(ipynb, GOALS.notebookBytes)} | ${size(html, GOALS.reportBytes)} |`,
      );
    });
    const largest = run.processes.reduce((a, b) => (b.peakBytes > a.peakBytes ? b : a));
    out.push(`| **whole run** | **${run.seconds.toFixed(0)}** | **${gb(largest.peakBytes)}** | | | |`);
    out.push('', '| process (by peak memory) | step | peak |', '|---|---|---|');
    for (const p of [...run.processes].sort((a, b) => b.peakBytes - a.peakBytes).slice(0, 8))
      out.push(`| ${p.command.replace(/\|/g, ' ')} | ${p.step} | ${gb(p.peakBytes)} |`);
    out.push(
      '',
      `Goals: whole run under 5 min: ${meets(run.seconds < GOALS.runSeconds)} (${run.seconds.toFixed(0)} s); ` +
        `no process above 2 GB: ${meets(largest.peakBytes < GOALS.processBytes)} (${gb(largest.peakBytes)}).`,
    );
  }

  // 3. similar() over every stored track
  if (existsSync(db)) {
    const similar = await measure(...node(['--similar', db]), process.env);
    if (similar.status !== 0) throw new Error(`The similar() step failed: ${similar.stderr}`);
    const s = JSON.parse(similar.stdout.trim().split('\n').pop()!);
    out.push(
      `similar(id, 10) over ${s.tracks.toLocaleString('en-US')} tracks: median ${s.median.toFixed(1)} ms, 95th percentile ${s.p95.toFixed(1)} ms ` +
        `(${QUERIES} queries; loadCatalogue ${s.loadSeconds.toFixed(1)} s, peak ${gb(s.maxRss)}); median under 50 ms: ${meets(s.median < GOALS.similarMs)}.`,
    );
  }
  out.push(
    `Load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}.`,
  );
  console.log(out.join('\n'));
}

const loadFile = option('--load');
const similarDb = option('--similar');
if (loadFile)
  loadStep(loadFile).catch((error) => {
    console.error(error);
    process.exit(1);
  });
else if (similarDb)
  similarStep(similarDb).catch((error) => {
    console.error(error);
    process.exit(1);
  });
else
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });

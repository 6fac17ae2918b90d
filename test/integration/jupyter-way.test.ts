/**
 * The notebooks run the Jupyter way, with the venv's own commands and no project script in between:
 * - papermill (`.venv/bin/papermill in.ipynb out.ipynb -p K 8`) through the project's TypeScript
 *   translator (scripts/papermill-tslab/): values of every kind round-trip into the notebook, the
 *   printout says they came from papermill, notebook 03 stores K clusters, an unknown parameter is
 *   refused with one sentence;
 * - plain `jupyter nbconvert --to html` writes the project's report (the venv's default HTML
 *   template), byte for byte what `npm run report` writes; other exporters keep their own templates.
 * That the report's figures are drawn, offline, the browser test checks. Work goes to build/test-jupyter-way/.
 */
import { test } from 'node:test';
import { parametersReadBy } from '../../lib/notebook/parameters';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';
import { queryRows } from '../../lib/data/db';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { writeReport, VENV, BIN, NBCONVERT_CONFIG } = {
  ...require(join(PROJECT_ROOT, 'scripts', 'report.js')),
  ...require(join(PROJECT_ROOT, 'scripts', 'setup.js')),
} as {
  writeReport(notebook: string, options: { out: string }): { ok: boolean; file: string; output: string };
  VENV: string;
  BIN: string;
  NBCONVERT_CONFIG: string;
};

const work = join(PROJECT_ROOT, 'build', 'test-jupyter-way');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const csv = join(work, 'tracks.csv');
writeFileSync(csv, spotifyCsvText(generateSpotifyRows({ rows: 1500, seed: 8 })));
const db = join(work, 'jupyter-way.duckdb');

/** The machine's environment without the project's Jupyter settings: what a user's shell has. */
function plainEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of Object.keys(env)) if (name.startsWith('JUPYTER_') || name === 'INIT_CWD') delete env[name];
  return env;
}

/** A venv command run from the project's root folder, as the README shows it. */
function venv(command: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(join(VENV, BIN, command), args, {
    cwd: PROJECT_ROOT,
    env: plainEnv({ SPOTIFY_CSV: csv, DB_PATH: db, ...extra }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60 * 1000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: { text?: string | string[]; output_type: string; data?: Record<string, unknown> }[];
}
const text = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join('') : (value ?? ''));
const cellsOf = (file: string): Cell[] => JSON.parse(readFileSync(file, 'utf8')).cells;
const printed = (cell: Cell): string => (cell.outputs ?? []).map((output) => text(output.text)).join('');

test('the TypeScript translator writes values of every kind so that the notebook reads them back unchanged', () => {
  const values = {
    TEXT: 'it\'s "quoted", a back\\slash,\na new line, \u2028 and ü',
    WHOLE: 8,
    NEGATIVE: -3,
    FRACTION: 0.125,
    BIG: 1e300,
    YES: true,
    NO: false,
    GOWER_WEIGHTS: { key: 0.5, mode: 0.5, 'odd-name': 2 },
    LIST: [1, 'two', false],
    EMPTY: '',
  };
  const script = [
    'import json, sys',
    'from papermill.translators import translate_parameters',
    "print(translate_parameters('tslab', 'typescript', json.loads(sys.argv[1]), 'Parameters'))",
  ].join('\n');
  const result = spawnSync(join(VENV, BIN, 'python'), ['-c', script, JSON.stringify(values)], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const cell = result.stdout;
  assert.match(cell, /^\/\/ Parameters\nsc\.fromPapermill\(literals, \{\n/);
  // run the injected cell (plain JavaScript too) against a stand-in for the library
  let received: unknown;
  const sc = { fromPapermill: (_literals: object, given: unknown) => (received = given) };
  Function('sc', 'literals', cell)(sc, {});
  assert.deepEqual(received, values);
  const nan = spawnSync(
    join(VENV, BIN, 'python'),
    [
      '-c',
      "from papermill.translators import translate_parameters as t; print(t('tslab', 'typescript', {'A': float('nan'), 'B': float('-inf'), 'C': None}))",
    ],
    { encoding: 'utf8' },
  );
  Function('sc', 'literals', nan.stdout)(sc, {});
  assert.deepEqual(received, { A: NaN, B: -Infinity, C: null });
});

test(
  'papermill runs notebook 03 with -p K 8 -p LAYOUT grid: the printout says so and the stored clustering has 8 clusters',
  { timeout: 15 * 60 * 1000 },
  async () => {
    const out01 = join(work, '01-out.ipynb');
    const first = venv('papermill', ['notebooks/01-cleaning.ipynb', out01, '-p', 'POPULARITY_MIN', '5']);
    assert.equal(first.status, 0, first.output);
    const cells01 = cellsOf(out01);
    const injected = cells01.findIndex((cell) => (cell.metadata.tags ?? []).includes('injected-parameters'));
    assert.ok(injected > 0, 'papermill injected its cell');
    assert.deepEqual(cells01[injected - 1].metadata.tags, ['parameters'], 'right after the literals');
    assert.match(printed(cells01[injected + 1]), /^POPULARITY_MIN = 5 {3}\(from papermill\)$/m);

    const out03 = join(work, '03-out.ipynb');
    const args = ['notebooks/03-kmeans-clustering.ipynb', out03, '-p', 'K', '8', '-p', 'LAYOUT', 'grid'];
    const third = venv('papermill', [...args, '-p', 'SAMPLE_SIZE', '300']);
    assert.equal(third.status, 0, third.output);
    const cells03 = cellsOf(out03);
    const call = cells03.find(
      (cell) => cell.cell_type === 'code' && text(cell.source).includes('sc.notebookParameters('),
    );
    assert.ok(call);
    assert.match(printed(call), /^K {11}= 8 {3}\(from papermill\)$/m);
    assert.match(printed(call), /^LAYOUT {6}= grid {3}\(from papermill\)$/m);
    assert.deepEqual(await queryRows(db, 'SELECT count(*)::INTEGER AS n FROM cluster'), [{ n: 8 }]);
    assert.deepEqual(await queryRows(db, 'SELECT count(DISTINCT cluster_id)::INTEGER AS n FROM track_to_cluster'), [
      { n: 8 },
    ]);

    // a parameter notebook 03 does not read: refused with one sentence, the stored clustering untouched
    const refused = venv('papermill', [
      'notebooks/03-kmeans-clustering.ipynb',
      join(work, 'refused.ipynb'),
      '-p',
      'KK',
      '5',
    ]);
    assert.notEqual(refused.status, 0);
    assert.match(
      refused.output,
      new RegExp(
        `papermill passed KK, which is not a parameter of notebook 03; its parameters are ${parametersReadBy(['03']).join(', ')}\\.`,
      ),
    );
    // tslab reports the error on stderr only; the project's engine makes it the cell's error, so papermill says it
    const failed = cellsOf(join(work, 'refused.ipynb')).find((cell) =>
      (cell.outputs ?? []).some((output) => output.output_type === 'error'),
    );
    assert.ok(failed && text(failed.source).includes('sc.notebookParameters('), 'the call cell failed');
    assert.deepEqual(await queryRows(db, 'SELECT count(*)::INTEGER AS n FROM cluster'), [{ n: 8 }]);
  },
);

test(
  "plain jupyter nbconvert --to html writes the project's report, the same as npm run report; other exporters keep their templates",
  { timeout: 10 * 60 * 1000 },
  () => {
    const executed = join(work, '01-out.ipynb'); // from the papermill test, or made here
    if (!cellsOf(executed).length) throw new Error('run the papermill test first');
    const plain = venv('jupyter', ['nbconvert', '--to', 'html', '--output-dir', join(work, 'plain'), executed]);
    assert.equal(plain.status, 0, plain.output);
    const report = writeReport(executed, { out: join(work, 'report') });
    assert.equal(report.ok, true, report.output);
    const html = readFileSync(join(work, 'plain', '01-out.html'), 'utf8');
    assert.equal(html, readFileSync(report.file, 'utf8'), 'the same file as npm run report');
    assert.equal([...html.matchAll(/window\.SPOTIFY_PLOTLY_GZ = "/g)].length, 1, 'plotly.js embedded once');
    assert.ok(/<script type="application\/vnd\.plotly\.v1\+json">/.test(html), 'figures as their JSON');
    assert.ok(!/<plotly figure:/.test(html), 'no figure left as its text');
    assert.deepEqual(
      [...html.matchAll(/<(?:script|link|img)[^>]+(?:src|href)="(?!data:)([^"]+)"/g)].map((m) => m[1]),
      [],
    );
    assert.doesNotMatch(html, /cdnjs|unpkg|jsdelivr|mathjax/i, 'nothing that loads from a CDN');

    // every other exporter's template is the one nbconvert ships (the settings only name html's)
    const script = [
      'import json, sys',
      'from traitlets.config import Config',
      'from nbconvert.exporters import get_export_names, get_exporter, TemplateExporter',
      'settings = Config(json.load(open(sys.argv[1])))',
      'for name in get_export_names():',
      '    cls = get_exporter(name)',
      '    if issubclass(cls, TemplateExporter):',
      '        print(name, cls().template_name, cls(config=settings).template_name)',
    ].join('\n');
    const compared = spawnSync(join(VENV, BIN, 'python'), ['-c', script, NBCONVERT_CONFIG], { encoding: 'utf8' });
    assert.equal(compared.status, 0, compared.stderr);
    const rows = compared.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' '));
    assert.ok(rows.length >= 8, compared.stdout);
    for (const [name, shipped, ours] of rows) {
      if (name === 'html') assert.equal(ours, 'spotify-clusters');
      else assert.equal(ours, shipped, `${name} keeps its template`);
    }
  },
);

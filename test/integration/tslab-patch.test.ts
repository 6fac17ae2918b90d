/**
 * The tslab patch (scripts/patch-tslab.js): applied to the installed tslab, idempotent, refused for
 * another version; and a live kernel, sent a burst of cells as JupyterLab's "Run All" does
 * (test/integration/kernel-probe.py), reports what runs: busy and idle per cell in order, each
 * reply before the next cell starts, cell numbers in execute_input, and no lost message when a
 * synchronous cell sends many.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const patch = require(join(PROJECT_ROOT, 'scripts', 'patch-tslab.js')) as {
  patchTslab(dir: string): string;
  patchedJupyterJs(text: string): string;
  patchedFile(file: string, text: string): string;
  MARKER: string;
  EXECUTOR_MARKER: string;
  CONVERTER_MARKER: string;
  OLD_MARKERS: Record<string, string[]>;
  EDITS: { file?: string; what: string; before: string; after: string }[];
  TSLAB_VERSION: string;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { jupyterEnv, VENV_PYTHON } = require(join(PROJECT_ROOT, 'scripts', 'setup.js')) as {
  jupyterEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  VENV_PYTHON: string;
};

const installed = join(PROJECT_ROOT, 'node_modules', 'tslab', 'dist', 'jupyter.js');

const installedExecutor = join(PROJECT_ROOT, 'node_modules', 'tslab', 'dist', 'executor.js');

const installedConverter = join(PROJECT_ROOT, 'node_modules', 'tslab', 'dist', 'converter.js');

/** tslab's released file, recovered from the patched one by undoing each edit. */
function unpatched(text: string, marker = patch.MARKER): string {
  let result = text.replace(`${marker}\n`, '');
  for (const { before, after } of [...patch.EDITS].reverse()) result = result.replace(after, before);
  return result;
}

test('the installed tslab is 1.0.22 and patched, and patching again changes nothing', () => {
  const text = readFileSync(installed, 'utf8');
  assert.equal(
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', 'tslab', 'package.json'), 'utf8')).version,
    patch.TSLAB_VERSION,
  );
  assert.ok(text.includes(patch.MARKER));
  assert.equal(patch.patchedJupyterJs(text), text);
  assert.equal(patch.patchTslab(join(PROJECT_ROOT, 'node_modules', 'tslab')), 'already patched');
});

test('the patch is exactly its edits: undoing them and patching again gives the installed file', () => {
  const text = readFileSync(installed, 'utf8');
  const original = unpatched(text);
  assert.ok(!original.includes('sendTimeout') && !original.includes('execute_input'), 'the released file has neither');
  assert.equal(patch.patchedJupyterJs(original), text);
});

test("the patch of tslab's executor is exactly its edits, and the installed one carries it", () => {
  const text = readFileSync(installedExecutor, 'utf8');
  assert.ok(text.includes(patch.EXECUTOR_MARKER));
  assert.equal(patch.patchedFile('executor.js', text), text);
  const original = unpatched(text, patch.EXECUTOR_MARKER);
  assert.ok(!original.includes('reportError') && !original.includes('spotify-clusters'));
  assert.equal(patch.patchedFile('executor.js', original), text);
});

test("the patch of tslab's converter is exactly its edits, and the installed one carries it", () => {
  const text = readFileSync(installedConverter, 'utf8');
  assert.ok(text.includes(patch.CONVERTER_MARKER));
  assert.equal(patch.patchedFile('converter.js', text), text);
  const original = unpatched(text, patch.CONVERTER_MARKER);
  assert.ok(
    original.includes('throw new Error("Unexpected pending rebuildTimer")') && !original.includes('pendingTimers'),
  );
  assert.equal(patch.patchedFile('converter.js', original), text);
});

test('a converter patched by the earlier version of the patch (timers only) is brought up to date', () => {
  const original = unpatched(readFileSync(installedConverter, 'utf8'), patch.CONVERTER_MARKER);
  const timers = patch.EDITS.find((edit) => edit.file === 'converter.js' && edit.what.includes('timer'))!;
  const earlier = original
    .replace('"use strict";\n', `"use strict";\n${patch.OLD_MARKERS['converter.js'][0]}\n`)
    .replace(timers.before, timers.after);
  assert.ok(earlier.includes('pendingTimers') && !earlier.includes('cellFile'));
  assert.equal(patch.patchedFile('converter.js', earlier), readFileSync(installedConverter, 'utf8'));
});

test('another tslab version, or a file without the expected code, is refused with a sentence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tslab-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.0.23' }));
  assert.throws(() => patch.patchTslab(dir), /patches tslab 1\.0\.22, but node_modules has tslab 1\.0\.23/);
  assert.throws(
    () => patch.patchedJupyterJs('"use strict";\nconsole.log(1);\n'),
    /does not contain the code the patch "handle shell requests one at a time, in order" expects exactly once/,
  );
});

/** What kernel-probe.py takes besides a plain list of cells. */
interface ProbeInput {
  cells: string[];
  sequential?: boolean;
  interrupt?: { cell: number; after: number }[];
}

interface KernelEvent {
  t: number;
  channel: 'iopub' | 'shell';
  type: string;
  cell: number;
  state?: string;
  count?: number;
  text?: string;
  status?: string;
  plain?: string;
  display_id?: string | null;
}

function probe(cells: string[] | ProbeInput): KernelEvent[] {
  const result = spawnSync(VENV_PYTHON, [join(PROJECT_ROOT, 'test', 'integration', 'kernel-probe.py')], {
    input: JSON.stringify(cells),
    env: jupyterEnv(),
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as KernelEvent[];
}

test(
  'Run All on the patched kernel: busy and idle follow each cell in order, replies come before the next cell runs, cells are numbered',
  { timeout: 300_000 },
  () => {
    const spin = (seconds: number) =>
      `{ const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {} }\nconsole.log('spun ${seconds} s');`;
    const events = probe([
      'const first = 1;',
      spin(2),
      'await new Promise((resolve) => setTimeout(resolve, 500));\nconsole.log("waited");',
      spin(1),
      'console.log("last");',
    ]);
    // On iopub, statuses come as busy(0) idle(0) busy(1) idle(1) ...: while a cell runs the last status is its busy.
    const statuses = events.filter((e) => e.type === 'status').map((e) => `${e.state}(${e.cell})`);
    assert.deepEqual(
      statuses,
      [0, 1, 2, 3, 4].flatMap((cell) => [`busy(${cell})`, `idle(${cell})`]),
    );
    // Each cell announces its number before it runs: 1, 2, 3, ... as in JupyterLab's prompts.
    assert.deepEqual(
      events.filter((e) => e.type === 'execute_input').map((e) => [e.cell, e.count]),
      [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 5],
      ],
    );
    const replies = events.filter((e) => e.channel === 'shell');
    assert.deepEqual(
      replies.map((e) => [e.cell, e.count, e.status]),
      [
        [0, 1, 'ok'],
        [1, 2, 'ok'],
        [2, 3, 'ok'],
        [3, 4, 'ok'],
        [4, 5, 'ok'],
      ],
    );
    // The first cell's reply does not wait for the 2-second synchronous cell after it.
    const spunAt = events.find((e) => e.text?.includes('spun 2 s'))!.t;
    assert.ok(replies[0].t < spunAt - 1.5, `reply to cell 0 at ${replies[0].t} s, cell 1 ended at ${spunAt} s`);
  },
);

test(
  'one program per cell: top-level names of every kind carry over to later cells, and a type error still fails its cell',
  { timeout: 300_000 },
  () => {
    const events = probe({
      sequential: true,
      cells: [
        "import * as sc from './build/lib';\nconst a = 1;\nfunction twice(x: number) { return 2 * x; }",
        'let { b, c } = { b: 2, c: 3 };\nclass Box { constructor(public v: number) {} }\ntype Pair = [number, number];\ninterface Named { name: string }',
        'const pair: Pair = [a, b];\nconst named: Named = { name: sc.formatCount(1234) };\nconsole.log(twice(a) + c, new Box(pair[1]).v, named.name);',
        'const wrong: number = named.name;',
        'console.log(sc.formatCount(5).length + b);',
        'twice("x");',
        "console.log('after', a);",
      ],
    });
    const replies = events.filter((e) => e.type === 'execute_reply').map((e) => e.status);
    assert.deepEqual(replies, ['ok', 'ok', 'ok', 'error', 'ok', 'error', 'ok'], JSON.stringify(events));
    const textOf = (cell: number) =>
      events
        .filter((e) => e.cell === cell && e.text)
        .map((e) => e.text)
        .join('');
    assert.equal(textOf(2), '5 2 1,234\n');
    assert.match(textOf(3), /Type 'string' is not assignable to type 'number'/);
    assert.equal(textOf(4), '3\n');
    assert.match(textOf(5), /Argument of type 'string' is not assignable to parameter of type 'number'/);
    assert.equal(textOf(6), 'after 1\n');
  },
);

test('a synchronous cell that sends 1,500 display updates loses none and still ends idle', { timeout: 300_000 }, () => {
  const events = probe([
    `const writer = require('tslab/dist/jupyter');
let failures = 0;
for (let i = 0; i < 1500; i++) {
  try { writer.lastWriteDisplayData({ data: { 'text/plain': 'step ' + i }, metadata: {}, transient: { display_id: 'p' } }, i > 0); } catch { failures++; }
}
console.log('failures ' + failures);`,
  ]);
  assert.equal(events.filter((e) => e.type === 'display_data' || e.type === 'update_display_data').length, 1500);
  assert.ok(events.some((e) => e.text === 'failures 0\n'));
  assert.equal(
    events
      .filter((e) => e.type === 'status')
      .map((e) => e.state)
      .join(' '),
    'busy idle',
  );
});

test(
  'a refused parameter shows its sentence and no stack frames (all of it with VERBOSE=1); an interrupt ends the running bar "interrupted" and leaves the earlier outputs',
  { timeout: 300_000 },
  () => {
    const refuse = "await sc.notebookParameters('03', { K: 1 });";
    const table = "sc.showTable([{ track: 'earlier' }], { title: 'earlier table' });\nconsole.log('before');\n";
    const events = probe({
      sequential: true,
      cells: [
        "import * as sc from './build/lib';",
        refuse,
        `process.env.VERBOSE = '1';\n${refuse}`,
        `delete process.env.VERBOSE;\n${table}sc.withProgress('Spin', (p) => {\n  const end = Date.now() + 60000;\n  while (Date.now() < end) p.update(1, 4);\n});`,
        `${table}await sc.withProgress('Wait', async () => {\n  await new Promise((resolve) => setTimeout(resolve, 60000));\n});`,
        "console.log('still works');",
      ],
      interrupt: [
        { cell: 3, after: 2 },
        { cell: 4, after: 3.5 },
      ],
    });
    const textOf = (cell: number) =>
      events
        .filter((e) => e.cell === cell && e.text)
        .map((e) => e.text)
        .join('');
    const sentence = /^ParameterError: K is 1, but it must be a whole number 2 or more; [^\n]*\n/;
    assert.match(textOf(1), new RegExp(`${sentence.source}$`));
    assert.ok(!textOf(1).includes('    at '), textOf(1));
    assert.match(textOf(2), sentence);
    assert.match(textOf(2), /\n\s+at .*parameters\.js/);
    for (const cell of [3, 4]) {
      const outputs = events.filter((e) => e.cell === cell && e.channel === 'iopub' && e.type !== 'status');
      assert.ok(!outputs.some((e) => e.type === 'clear_output'), 'no output of the cell is cleared');
      assert.deepEqual(
        outputs.filter((e) => e.type === 'display_data' && !e.display_id).map((e) => e.plain),
        ['earlier table: 1 rows × 1 columns\ntrack\nearlier'],
      );
      assert.equal(textOf(cell), 'before\nInterrupted.\n');
      const bar = outputs.filter((e) => e.display_id?.startsWith('progress-'));
      assert.match(bar.at(-1)?.plain ?? '', / · interrupted$/, JSON.stringify(bar.at(-1)));
      assert.equal(events.find((e) => e.cell === cell && e.channel === 'shell')?.status, 'error');
    }
    // the awaited step's bar ticked each second with no update from the step
    const waited = events.filter((e) => e.cell === 4 && e.display_id?.startsWith('progress-')).map((e) => e.plain);
    assert.match(waited[0] ?? '', /Wait ░+ 0% · 0\.0 s$/);
    assert.ok(
      waited.some((line) => / 0% · 1\.\d s$/.test(line ?? '')) &&
        waited.some((line) => / 0% · 2\.\d s$/.test(line ?? '')),
      waited.join('\n'),
    );
    assert.equal(textOf(5), 'still works\n');
  },
);

test(
  'a file appearing in build/ while a kernel is open (playlists, a rebuild of the library) does not break its next cell',
  { timeout: 300_000 },
  () => {
    const folder = join(PROJECT_ROOT, 'build', `test-tslab-watch-${process.pid}`);
    try {
      const events = probe({
        sequential: true,
        cells: [
          "import * as sc from './build/lib';\nconsole.log(typeof sc.formatCount);",
          `const fs = require('fs');\nfs.mkdirSync(${JSON.stringify(folder)});\n` +
            `fs.writeFileSync(${JSON.stringify(join(folder, 'list.m3u'))}, '#EXTM3U\\n');\n` +
            "await new Promise((resolve) => setTimeout(resolve, 2000));\nconsole.log('written');",
          "console.log('still works');",
        ],
      });
      const replies = events.filter((e) => e.type === 'execute_reply').map((e) => e.status);
      assert.deepEqual(replies, ['ok', 'ok', 'ok'], JSON.stringify(events.filter((e) => e.type === 'stream')));
      assert.ok(events.some((e) => e.cell === 2 && e.text === 'still works\n'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
);

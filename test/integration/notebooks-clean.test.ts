/**
 * Notebooks are committed clean, checked on what git commits (the index, and the clean filter's
 * output of the working file), so running and saving a notebook never fails the tests; and the
 * filter itself (scripts/clean-notebooks.js) and its set-up in a clone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const cleaner = require(join(PROJECT_ROOT, 'scripts', 'clean-notebooks.js')) as {
  cleanNotebook(text: string): string;
  FILTER_NAME: string;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ensureGitFilter, VENV_PYTHON } = require(join(PROJECT_ROOT, 'scripts', 'setup.js')) as {
  ensureGitFilter(root: string): boolean;
  VENV_PYTHON: string;
};

const folder = join(PROJECT_ROOT, 'notebooks');
const notebooks = readdirSync(folder).filter((name) => name.endsWith('.ipynb'));

/** What the tslab kernel reports as language_info (JupyterLab and nbconvert write it into the notebook). */
const TSLAB_LANGUAGE_INFO = {
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
  version: '3.7.2',
};

function git(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('git', args, { cwd, encoding: 'utf8' });
}

const inGit = git(PROJECT_ROOT, 'rev-parse', '--show-toplevel').status === 0;

/**
 * What git would commit for a notebook: the staged (index) version when git tracks it, and the clean
 * filter's output of the working file (what `git add` stores). Outside a checkout, the filter's output.
 */
function committedVersions(name: string): { what: string; text: string }[] {
  const working = readFileSync(join(folder, name), 'utf8');
  const versions = [{ what: 'the working file through the clean filter', text: cleaner.cleanNotebook(working) }];
  const staged = inGit ? git(PROJECT_ROOT, 'show', `:notebooks/${name}`) : null;
  if (staged && staged.status === 0) versions.push({ what: 'the staged (index) version', text: staged.stdout });
  return versions;
}

test('notebooks are named NN-topic.ipynb', () => {
  assert.ok(notebooks.length > 0);
  for (const name of notebooks) assert.match(name, /^\d\d-[a-z0-9-]+\.ipynb$/);
});

for (const name of notebooks) {
  test(`${name} is committed clean: no outputs, no execution counts, no cell metadata, the tslab kernel's own metadata`, () => {
    for (const { what, text } of committedVersions(name)) {
      const notebook = JSON.parse(text);
      assert.equal(notebook.metadata.kernelspec.name, 'tslab', what);
      // what the kernel writes, so opening and saving the notebook changes nothing
      assert.deepEqual(notebook.metadata.language_info, TSLAB_LANGUAGE_INFO, `${what}: language_info`);
      for (const cell of notebook.cells) {
        assert.deepEqual(
          Object.keys(cell.metadata).filter((key) => key !== 'tags'),
          [],
          `${what}: cell ${cell.id} has metadata`,
        );
        if (cell.cell_type === 'code') {
          assert.deepEqual(cell.outputs, [], `${what}: cell ${cell.id} has outputs`);
          assert.equal(cell.execution_count, null, `${what}: cell ${cell.id} has an execution count`);
        }
      }
      assert.equal(cleaner.cleanNotebook(text), text, `${what} is byte for byte what the clean filter writes`);
    }
  });

  test(`${name} opens with a title and has one parameters cell that reads the environment and checks every parameter`, () => {
    const notebook = JSON.parse(readFileSync(join(folder, name), 'utf8'));
    assert.equal(notebook.cells[0].cell_type, 'markdown');
    assert.match(notebook.cells[0].source.join(''), /^# \d\d · /);
    const codeCells = notebook.cells.filter((cell: { cell_type: string }) => cell.cell_type === 'code');
    const code = codeCells.map((cell: { source: string[] }) => cell.source.join(''));
    // the literals in a cell tagged `parameters` (papermill injects its values after it), then the one call
    const literalCells = code.filter((source: string) => source.includes('const literals = {'));
    const callCells = code.filter((source: string) => source.includes('sc.notebookParameters('));
    assert.equal(literalCells.length, 1);
    assert.equal(callCells.length, 1);
    assert.equal(code.indexOf(literalCells[0]), 1, 'the literals cell comes right after the import');
    assert.equal(code.indexOf(callCells[0]), 2, 'the parameters call comes right after the literals');
    const tagged = codeCells.filter((cell: { metadata: { tags?: string[] } }) =>
      (cell.metadata.tags ?? []).includes('parameters'),
    );
    assert.deepEqual(tagged, [codeCells[1]], 'the literals cell, and only it, is tagged parameters');
    assert.ok(
      !code.some((source: string) => /readParameters\(|integerParameter\(|stringParameter\(/.test(source)),
      'every parameter goes through notebookParameters',
    );
  });
}

/** A small notebook as JupyterLab saves it after a run: outputs, counts, volatile metadata. */
function executedNotebook(): string {
  return `${JSON.stringify(
    {
      cells: [
        {
          cell_type: 'markdown',
          id: 'a1',
          metadata: { jupyter: { source_hidden: true } },
          source: ['# Title\n', 'text'],
        },
        {
          cell_type: 'code',
          execution_count: 7,
          id: 'b2',
          metadata: { scrolled: true, tags: ['parameters'], execution: { 'iopub.status.busy': '2025' } },
          outputs: [{ output_type: 'stream', name: 'stdout', text: ['12\n'] }],
          source: 'const K = 12;\nconsole.log(K);',
        },
      ],
      metadata: {
        kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
        language_info: TSLAB_LANGUAGE_INFO,
        widgets: { state: {} },
        toc: { number: true },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    2,
  )}\n`;
}

test('the clean filter drops outputs, counts and volatile metadata, keeps cells, ids, tags and the kernel metadata', () => {
  const clean = JSON.parse(cleaner.cleanNotebook(executedNotebook()));
  assert.deepEqual(clean.metadata, {
    kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
    language_info: TSLAB_LANGUAGE_INFO,
  });
  assert.deepEqual(clean.cells[0], { cell_type: 'markdown', id: 'a1', metadata: {}, source: ['# Title\n', 'text'] });
  assert.deepEqual(clean.cells[1], {
    cell_type: 'code',
    execution_count: null,
    id: 'b2',
    metadata: { tags: ['parameters'] },
    outputs: [],
    source: ['const K = 12;\n', 'console.log(K);'],
  });
});

test('the clean filter writes as nbformat does (sorted keys, one-space indent, final newline) and is idempotent', () => {
  const clean = cleaner.cleanNotebook(executedNotebook());
  assert.ok(
    clean.startsWith(
      '{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "id": "a1",\n   "metadata": {},\n   "source": [\n    "# Title\\n",\n    "text"\n   ]\n  },',
    ),
  );
  assert.ok(clean.endsWith(' "nbformat": 4,\n "nbformat_minor": 5\n}\n'));
  assert.equal(cleaner.cleanNotebook(clean), clean);
  assert.throws(() => cleaner.cleanNotebook('{"cells": ['), /This notebook is not valid JSON .*git checkout/);
  assert.throws(() => cleaner.cleanNotebook('{"a": 1}'), /not a Jupyter notebook/);
});

test('in a clone, the set-up configures the filter: git add commits a run notebook clean, and after a save git status shows it unchanged', () => {
  const root = mkdtempSync(join(tmpdir(), 'clone-'));
  assert.equal(git(root, 'init', '-q').status, 0);
  mkdirSync(join(root, 'scripts'));
  mkdirSync(join(root, 'notebooks'));
  copyFileSync(join(PROJECT_ROOT, 'scripts', 'clean-notebooks.js'), join(root, 'scripts', 'clean-notebooks.js'));
  copyFileSync(join(PROJECT_ROOT, '.gitattributes'), join(root, '.gitattributes'));
  assert.equal(ensureGitFilter(root), true, 'configured');
  assert.equal(ensureGitFilter(root), false, 'already configured');
  assert.match(
    git(root, 'config', '--local', '--get', `filter.${cleaner.FILTER_NAME}.clean`).stdout,
    /scripts\/clean-notebooks\.js --filter/,
  );
  const notebook = join(root, 'notebooks', '01-x.ipynb');
  writeFileSync(notebook, executedNotebook());
  assert.equal(git(root, 'add', '.').status, 0);
  const staged = git(root, 'show', ':notebooks/01-x.ipynb').stdout;
  assert.equal(staged, cleaner.cleanNotebook(executedNotebook()), 'the index holds the clean notebook');
  assert.equal(git(root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'clean').status, 0);
  // run again and saved with longer outputs: git sees no change in content (git diff is empty), but
  // git status lists a file whose size changed without running the filter, until the index is
  // refreshed: the project's JupyterLab does that after each save (scripts/jupyter-config/)
  writeFileSync(
    notebook,
    executedNotebook()
      .replace('"12\\n"', '"12\\n", "and more lines\\n"')
      .replace('"execution_count": 7', '"execution_count": 19'),
  );
  assert.equal(git(root, 'diff', '--quiet').status, 0, 'git diff: no change');
  assert.equal(git(root, 'status', '--porcelain').stdout, ' M notebooks/01-x.ipynb\n');
  afterSave(notebook);
  assert.equal(git(root, 'status', '--porcelain').stdout, '', 'after the save hook');
  // a real edit stays visible
  writeFileSync(notebook, executedNotebook().replace('const K = 12;', 'const K = 8;'));
  afterSave(notebook);
  assert.equal(git(root, 'status', '--porcelain').stdout, ' M notebooks/01-x.ipynb\n');
  // switching to another commit's notebook works (a required filter without a smudge command fails here)
  assert.equal(git(root, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'K = 8').status, 0);
  const checkout = git(root, 'checkout', '-q', 'HEAD~1', '--', 'notebooks/01-x.ipynb');
  assert.equal(checkout.status, 0, checkout.stderr);
  assert.equal(readFileSync(notebook, 'utf8'), cleaner.cleanNotebook(executedNotebook()));
});

/** Run the project's Jupyter post-save hook (scripts/jupyter-config/jupyter_server_config.py) on a saved notebook. */
function afterSave(file: string): void {
  const hook = join(PROJECT_ROOT, 'scripts', 'jupyter-config', 'jupyter_server_config.py');
  const code =
    'import runpy, sys; runpy.run_path(sys.argv[1])["refresh_git_index"](os_path=sys.argv[2], model={"type": "notebook"}, contents_manager=None)';
  const result = spawnSync(VENV_PYTHON, ['-c', code, hook, file], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
}

test('outside a git checkout the set-up leaves git alone and does not fail', () => {
  const root = mkdtempSync(join(tmpdir(), 'no-git-'));
  assert.equal(ensureGitFilter(root), false);
});

test('before JupyterLab saves, the PNG snapshot the plotly extension adds to a figure is dropped; other images stay', () => {
  const hook = join(PROJECT_ROOT, 'scripts', 'jupyter-config', 'jupyter_server_config.py');
  const model = {
    type: 'notebook',
    content: {
      cells: [
        {
          cell_type: 'code',
          outputs: [
            {
              output_type: 'display_data',
              data: {
                'application/vnd.plotly.v1+json': { data: [], layout: {} },
                'image/png': 'iVBOR',
                'text/plain': 'fig',
              },
            },
          ],
        },
        {
          cell_type: 'code',
          outputs: [
            { output_type: 'display_data', data: { 'image/png': 'iVBOR' } },
            { output_type: 'stream', name: 'stdout', text: 'x' },
          ],
        },
        { cell_type: 'markdown', source: 'text' },
      ],
    },
  };
  const code =
    'import json, runpy, sys; m = json.loads(sys.stdin.read()); runpy.run_path(sys.argv[1])["drop_figure_snapshots"](model=m, path="x.ipynb", contents_manager=None); print(json.dumps(m))';
  const result = spawnSync(VENV_PYTHON, ['-c', code, hook], { input: JSON.stringify(model), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const saved = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(saved.content.cells[0].outputs[0].data), [
    'application/vnd.plotly.v1+json',
    'text/plain',
  ]);
  assert.deepEqual(saved.content.cells[1], model.content.cells[1]);
});

test('notebook cells are formatted to 100 characters, outputs kept, and a line Prettier cannot break is named', async () => {
  const formatter = require(join(PROJECT_ROOT, 'scripts', 'format-notebooks.js')) as {
    formatNotebookText(
      text: string,
      options: unknown,
    ): Promise<{ text: string; changedCells: number[]; longLines: { cell: number; line: number; length: number }[] }>;
    prettierOptions(): Promise<unknown>;
  };
  const options = await formatter.prettierOptions();
  const long = `console.log('${'x'.repeat(120)}');`;
  const notebook = {
    cells: [
      { cell_type: 'markdown', id: 'a', metadata: {}, source: ['# Title'] },
      {
        cell_type: 'code',
        id: 'b',
        metadata: {},
        execution_count: 3,
        outputs: [{ output_type: 'stream', name: 'stdout', text: ['12\n'] }],
        source: ['const  a = { b:1,c:2 }\n', long],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const result = await formatter.formatNotebookText(JSON.stringify(notebook), options);
  const cell = JSON.parse(result.text).cells[1];
  assert.deepEqual(result.changedCells, [2]);
  const quoted = `  '${'x'.repeat(120)}',`;
  assert.deepEqual(cell.source, ['const a = { b: 1, c: 2 };\n', 'console.log(\n', `${quoted}\n`, ');']);
  assert.deepEqual(cell.outputs, notebook.cells[1].outputs, 'outputs kept');
  assert.deepEqual(result.longLines, [{ cell: 2, line: 3, length: quoted.length }]);
  const again = await formatter.formatNotebookText(result.text, options);
  assert.deepEqual(again.changedCells, [], 'formatting twice changes nothing');
});

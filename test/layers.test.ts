/**
 * The layout of lib/: each stage imports only from its own stage or the stages below it, and no
 * file grows past 600 lines. Stages, bottom to top: paths.ts, options.ts, random.ts, user-error.ts and
 * parallel/ (each on its own), data/, matrix/, distance/, cluster/, then catalogue/ and embed/ (siblings that never import
 * each other), notebook/, and index.ts on top.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../lib/paths';

const LIB = join(PROJECT_ROOT, 'lib');
const RANK: Record<string, number> = {
  paths: 0,
  options: 0,
  random: 0,
  'user-error': 0,
  parallel: 0,
  data: 1,
  matrix: 2,
  distance: 3,
  cluster: 4,
  catalogue: 5,
  embed: 5,
  notebook: 6,
  index: 7,
};

/** Every .ts file under lib/, as a path relative to lib/ with forward slashes. */
function libFiles(folder = LIB): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return libFiles(path);
    return entry.name.endsWith('.ts') ? [relative(LIB, path).split('\\').join('/')] : [];
  });
}

/** The stage of a file relative to lib/: its folder, or its own name for a file at the top of lib/. */
function stageOf(file: string): string {
  const [first] = file.split('/');
  return file.includes('/') ? first : first.replace(/\.ts$/, '');
}

/** The relative imports of a file's source: `from '…'`, `import('…')` and `require('…')`. */
function relativeImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)'(\.[^']*)'/gm)].map(
    (match) => match[1],
  );
}

test('every file in lib/ is in a known stage', () => {
  for (const file of libFiles()) assert.ok(stageOf(file) in RANK, `lib/${file} is in no stage of test/layers.test.ts`);
});

test('each stage of lib/ imports only from its own stage or the stages below it', () => {
  const upward: string[] = [];
  for (const file of libFiles()) {
    const from = stageOf(file);
    for (const specifier of relativeImports(readFileSync(join(LIB, file), 'utf8'))) {
      const target = relative(LIB, resolve(dirname(join(LIB, file)), specifier))
        .split('\\')
        .join('/');
      if (target.startsWith('..')) {
        upward.push(`lib/${file} imports '${specifier}', outside lib/`);
        continue;
      }
      const to = stageOf(target.includes('/') ? target : `${target}.ts`);
      if (to !== from && !(RANK[to] < RANK[from])) upward.push(`lib/${file} (${from}) imports '${specifier}' (${to})`);
    }
  }
  assert.deepEqual(upward, [], `imports that point up or sideways:\n${upward.join('\n')}`);
});

test('no file in lib/ is over 600 lines', () => {
  const long = libFiles()
    .map((file) => ({ file, lines: readFileSync(join(LIB, file), 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > 600)
    .map(({ file, lines }) => `lib/${file}: ${lines} lines`);
  assert.deepEqual(long, [], `split these files:\n${long.join('\n')}`);
});

test('the import reader sees the forms lib/ uses', () => {
  const source = [
    "import { a } from '../data/db';",
    "export * from './store';",
    "import type { B } from '../../matrix/memory';",
    "const worker = require('./kmeans-worker');",
    "// import { c } from '../notebook/plot';",
    "/* import { d } from '../embed/tsne'; */",
  ].join('\n');
  assert.deepEqual(relativeImports(source), ['../data/db', './store', '../../matrix/memory', './kmeans-worker']);
});

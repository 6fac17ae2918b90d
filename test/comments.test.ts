/**
 * Comments that stay true: every lib/…, scripts/…, test/… or docs/… path that the code, the tests,
 * docs/ or the README names exists (a file moved to a stage folder leaves no comment behind).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/paths';

const TEXT_FILE = /\.(ts|js|py|sh|md|j2|html|css)$/;

/** The text files under a folder of the project, relative to the root; test/fixtures/ is data. */
function textFiles(folder: string): string[] {
  const path = join(PROJECT_ROOT, folder);
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const inside = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return inside === 'test/fixtures' ? [] : textFiles(inside);
    return TEXT_FILE.test(entry.name) ? [inside] : [];
  });
}

/**
 * The project paths a text names: `lib/…`, `scripts/…`, `test/…`, `docs/…` not inside a longer path
 * (`build/lib/…`, `../lib/…` are compiled or relative), without globs and placeholders.
 */
function namedPaths(text: string): string[] {
  return [...text.matchAll(/(?<![\w./@-])(?:lib|scripts|test|docs)\/[\w./-]*\w/g)].map((match) => match[0]);
}

/** A named path exists as written, or as the source of a module named without its extension. */
function exists(path: string): boolean {
  return ['', '.ts', '.js', '.py'].some((extension) => existsSync(join(PROJECT_ROOT, path + extension)));
}

test('the path reader finds project paths and leaves compiled, relative and glob paths alone', () => {
  const text = 'see lib/data/db.ts, (lib/random.ts) and `scripts/test.js`; not build/lib/x.js, ../lib/y or test/**';
  assert.deepEqual(namedPaths(text), ['lib/data/db.ts', 'lib/random.ts', 'scripts/test.js']);
});

test('every lib/, scripts/, test/ and docs/ path named in the code, the tests, docs/ and the README exists', () => {
  const files = [...textFiles('lib'), ...textFiles('scripts'), ...textFiles('test'), ...textFiles('docs'), 'README.md'];
  assert.ok(files.length > 100, `found only ${files.length} files to read`);
  const missing: string[] = [];
  for (const file of files) {
    const lines = readFileSync(join(PROJECT_ROOT, file), 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const path of namedPaths(line)) if (!exists(path)) missing.push(`${file}:${index + 1} names ${path}`);
    });
  }
  assert.deepEqual(missing, [], `paths that do not exist (moved or renamed?):\n${missing.join('\n')}`);
});

/**
 * The set-up's .pth file in .venv (scripts/setup.js ensureFastPythonImports): every Python of the
 * virtualenv starts without `rfc3987_syntax`, which jsonschema (through nbformat: the notebook runner,
 * the HTML reports) would otherwise import and build a grammar for, 1.5 s of CPU at each start;
 * notebooks still read and validate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const setup = require(join(PROJECT_ROOT, 'scripts', 'setup.js')) as {
  ensureFastPythonImports(): void;
  FAST_IMPORTS_PTH: string;
  VENV: string;
  VENV_PYTHON: string;
};

test('the virtualenv starts without rfc3987_syntax, and nbformat still reads and validates a notebook', () => {
  setup.ensureFastPythonImports();
  const lib = join(setup.VENV, process.platform === 'win32' ? 'Lib' : 'lib');
  const sitePackages =
    process.platform === 'win32'
      ? [join(lib, 'site-packages')]
      : readdirSync(lib)
          .filter((name) => name.startsWith('python3'))
          .map((name) => join(lib, name, 'site-packages'));
  const pth = sitePackages.map((dir) => join(dir, setup.FAST_IMPORTS_PTH)).filter((file) => existsSync(file));
  assert.equal(pth.length, 1);
  assert.match(readFileSync(pth[0], 'utf8'), /^import sys; sys\.modules\.setdefault\('rfc3987_syntax', None\)\n$/);
  const notebook = join(PROJECT_ROOT, 'notebooks', '05-runs.ipynb');
  const result = spawnSync(
    setup.VENV_PYTHON,
    [
      '-c',
      `import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
print(len(nb.cells), 'rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)`,
      notebook,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  const [cells, loaded] = result.stdout.trim().split(' ');
  assert.ok(Number(cells) > 0);
  assert.equal(loaded, 'False');
});

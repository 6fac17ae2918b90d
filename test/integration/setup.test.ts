/**
 * The set-up's sentences for a missing prerequisite (scripts/setup.js): no Python, a Python
 * without its venv module, no network to the registries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const setup = require(join(PROJECT_ROOT, 'scripts', 'setup.js')) as {
  findPython(candidates: string[]): { executable: string; version: string };
  checkVenvModule(python: { executable: string; version: string }): void;
  installFailure(tool: 'npm' | 'pip', output: string): Error;
};

test('no usable Python stops the set-up with a sentence saying how to install one', () => {
  assert.throws(
    () => setup.findPython(['/no/such/python3']),
    /Python 3\.9 or newer was not found .*Install it \(Debian\/Ubuntu: apt-get install python3 python3-venv/,
  );
});

test('a Python without its venv module is named, with the package that provides it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'setup-'));
  const fake = join(dir, 'python3');
  // a Python that starts but cannot import venv/ensurepip, as Debian's python3 without python3-venv
  writeFileSync(fake, '#!/bin/sh\necho "ModuleNotFoundError: No module named ensurepip" >&2\nexit 1\n');
  chmodSync(fake, 0o755);
  assert.throws(
    () => setup.checkVenvModule({ executable: fake, version: '3.11' }),
    /Python 3\.11 at .* has no working venv module.*apt-get install python3-venv, or python3\.11-venv/,
  );
});

test('a registry out of reach is reported as a network problem, with what to check', () => {
  const npm = setup.installFailure(
    'npm',
    'npm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/x failed',
  );
  assert.match(
    npm.message,
    /^npm could not reach its registry, so the Node packages could not be installed\. Check the network connection or proxy settings/,
  );
  const pip = setup.installFailure(
    'pip',
    'WARNING: Retrying ... Failed to establish a new connection: [Errno -3] Temporary failure in name resolution\nERROR: No matching distribution found for jupyterlab==4.6.6',
  );
  assert.match(pip.message, /^pip could not reach the Python package index/);
  const other = setup.installFailure('npm', 'npm error code EBADENGINE');
  assert.match(other.message, /^npm failed, so the Node packages could not be installed/);
});

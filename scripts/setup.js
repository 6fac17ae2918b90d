#!/usr/bin/env node
/*
 * Sets up whatever is missing, and nothing else (a second or two when all is in place):
 *   1. node_modules, by `npm ci` from the committed package-lock.json (again when the lockfile changes);
 *   2. the project-local Python virtualenv .venv with the pinned JupyterLab, nbconvert and plotly
 *      from requirements.txt (again when requirements.txt or the Python changes);
 *   3. the tslab kernel, registered inside .venv (never in the user's home directory) and pointing
 *      at this project's own tslab and the Node running this script;
 *   4. lib/ (and test/) compiled to build/ so notebooks and plain Node scripts can import it;
 *   5. tslab patched (scripts/patch-tslab.js: a kernel status that follows what runs, cell numbers,
 *      an error for the user shown as its sentence, interrupts that reach the progress bars);
 *   6. in a git checkout, the clean filter for notebooks/*.ipynb configured in the clone
 *      (scripts/clean-notebooks.js; .gitattributes names it), so commits never carry outputs;
 *   7. in .venv: the papermill plugin scripts/papermill-tslab/ (a TypeScript translator), and the
 *      report template scripts/report-template/ as nbconvert template `spotify-clusters`, made the
 *      default of `jupyter nbconvert --to html` by .venv/etc/jupyter/jupyter_nbconvert_config.json,
 *      and a .pth file that spares every start of .venv's Python an unused 1.5 s import (see
 *      ensureFastPythonImports).
 * Steps 1 and 2 download side by side when both are needed (npm's registry and PyPI are independent).
 * Plain Node with no dependencies, because it runs before anything is installed.
 * Usage: node scripts/setup.js   (or require('./setup').setup())
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const ROOT = path.resolve(__dirname, '..');
const VENV = path.join(ROOT, '.venv');
const BIN = process.platform === 'win32' ? 'Scripts' : 'bin';
const VENV_PYTHON = path.join(VENV, BIN, process.platform === 'win32' ? 'python.exe' : 'python');
const KERNEL_DIR = path.join(VENV, 'share', 'jupyter', 'kernels', 'tslab');
/** The report template's name among nbconvert's templates, and where it is installed. */
const TEMPLATE_NAME = 'spotify-clusters';
const TEMPLATE_DIR = path.join(VENV, 'share', 'jupyter', 'nbconvert', 'templates', TEMPLATE_NAME);
const NBCONVERT_CONFIG = path.join(VENV, 'etc', 'jupyter', 'jupyter_nbconvert_config.json');
const PAPERMILL_PLUGIN = path.join(ROOT, 'scripts', 'papermill-tslab');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

class SetupError extends Error {}

function log(message) {
  process.stderr.write(`setup: ${message}\n`);
}

function hashOf(...files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const NETWORK =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|Temporary failure in name resolution|Failed to establish a new connection|No matching distribution|Could not fetch URL/i;

function run(command, args, what, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error && result.error.code === 'ENOENT')
    throw new SetupError(`${what} failed: the command '${command}' was not found.`);
  if (result.status !== 0) {
    const output = `${result.stdout || ''}\n${result.stderr || ''}`.trim();
    return { ok: false, output };
  }
  return { ok: true, output: `${result.stdout || ''}${result.stderr || ''}` };
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20)
    throw new SetupError(
      `Node ${process.versions.node} is too old: this project needs Node 20 or newer (https://nodejs.org, or nvm install 20).`,
    );
}

/** What npm ci needs to do: null when node_modules is up to date, else the step and what to do once it worked. */
function nodeModulesStep() {
  const lock = path.join(ROOT, 'package-lock.json');
  const stampFile = path.join(ROOT, 'node_modules', '.project-setup.json');
  const wanted = hashOf(lock);
  const stamp = readJson(stampFile);
  if (stamp && stamp.lock === wanted && fs.existsSync(path.join(ROOT, 'node_modules', 'tslab'))) return null;
  log('installing node_modules with npm ci (first run, or package-lock.json changed) ...');
  return {
    command: NPM,
    args: ['ci', '--no-audit', '--no-fund'],
    what: 'npm ci',
    tool: 'npm',
    done: () => fs.writeFileSync(stampFile, JSON.stringify({ lock: wanted })),
  };
}

function ensureNodeModules() {
  return runInstallSteps([nodeModulesStep()]);
}

/**
 * Runs the install steps ({ command, args, what, tool, done }; nulls are skipped) side by side and
 * returns when all have ended, or throws the first failure's sentence; whether any ran. One step runs
 * directly; several run in a child Node that starts them all and waits (this function is synchronous).
 */
function runInstallSteps(steps) {
  const todo = steps.filter(Boolean);
  if (todo.length === 0) return false;
  let results;
  if (todo.length === 1) results = [run(todo[0].command, todo[0].args, todo[0].what)];
  else {
    const both = spawnSync(process.execPath, ['-e', SIDE_BY_SIDE, JSON.stringify(todo)], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (both.status !== 0) throw new SetupError(`The install steps could not be started: ${both.stderr}`);
    results = JSON.parse(both.stdout);
  }
  todo.forEach((step, i) => {
    if (results[i].missing) throw new SetupError(`${step.what} failed: the command '${step.command}' was not found.`);
    if (!results[i].ok) throw installFailure(step.tool, results[i].output);
  });
  for (const step of todo) step.done();
  return true;
}

/** The child behind runInstallSteps: starts every step at once, prints [{ ok, output, missing }] when all ended. */
const SIDE_BY_SIDE = `
const { spawn } = require('node:child_process');
const steps = JSON.parse(process.argv[1]);
Promise.all(
  steps.map(({ command, args }) => new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ ok: false, output: error.message, missing: error.code === 'ENOENT' }));
    child.on('close', (status) => resolve({ ok: status === 0, output: output.trim() }));
  })),
).then((results) => process.stdout.write(JSON.stringify(results)));
`;

/** The .pth file below, in .venv's site-packages: Python runs its `import` line at every start. */
const FAST_IMPORTS_PTH = 'spotify_clusters_fast_imports.pth';
const FAST_IMPORTS_LINE = "import sys; sys.modules.setdefault('rfc3987_syntax', None)\n";

/**
 * Every Python of .venv starts without `rfc3987_syntax`: jsonschema (which nbformat imports, so every
 * notebook run and HTML report) imports it when installed, for one optional format check no notebook
 * uses, and it builds a grammar on import: 1.5 s of CPU at each start, four fifths of the imports of
 * the notebook runner. Marked missing, jsonschema skips that check (its `suppress(ImportError)`).
 */
function ensureFastPythonImports() {
  const lib = path.join(VENV, process.platform === 'win32' ? 'Lib' : 'lib');
  if (!fs.existsSync(lib)) return;
  const dirs =
    process.platform === 'win32'
      ? [path.join(lib, 'site-packages')]
      : fs
          .readdirSync(lib)
          .filter((name) => name.startsWith('python3'))
          .map((name) => path.join(lib, name, 'site-packages'));
  for (const dir of dirs.filter((d) => fs.existsSync(d)))
    writeIfChanged(path.join(dir, FAST_IMPORTS_PTH), FAST_IMPORTS_LINE);
}

/** Apply scripts/patch-tslab.js to node_modules/tslab (a no-op when already patched). */
function ensureTslabPatch() {
  const { patchTslab, PatchError } = require('./patch-tslab');
  try {
    if (patchTslab(path.join(ROOT, 'node_modules', 'tslab')) === 'patched')
      log('patched tslab (scripts/patch-tslab.js)');
  } catch (error) {
    if (error instanceof PatchError) throw new SetupError(error.message);
    throw error;
  }
}

/**
 * In a git checkout, configure the clean filter that .gitattributes names for notebooks/*.ipynb
 * (`git config --local`, as nbstripout and nbdev do; nothing outside the clone is touched).
 * Outside a checkout, or without git, there is nothing to do. Returns whether it changed the config.
 */
function ensureGitFilter(root = ROOT) {
  const git = (...args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const top = git('rev-parse', '--show-toplevel');
  if (top.error || top.status !== 0) return false;
  const { FILTER_NAME } = require('./clean-notebooks');
  // git runs filters in the top-level folder of the work tree
  const script = path
    .relative(top.stdout.trim(), path.join(root, 'scripts', 'clean-notebooks.js'))
    .split(path.sep)
    .join('/');
  // a required filter needs a smudge command too, or git refuses to check notebooks out (as nbstripout sets it)
  const wanted = { clean: `"${process.execPath}" ${script} --filter`, smudge: 'cat', required: 'true' };
  let changed = false;
  for (const [key, value] of Object.entries(wanted)) {
    const current = git('config', '--local', '--get', `filter.${FILTER_NAME}.${key}`);
    if (current.status === 0 && current.stdout.trim() === value) continue;
    const set = git('config', '--local', `filter.${FILTER_NAME}.${key}`, value);
    if (set.status !== 0) {
      log(
        `could not configure the notebook clean filter (git config said: ${(set.stderr || '').trim()}); commit notebooks after npm run notebooks:clean.`,
      );
      return false;
    }
    changed = true;
  }
  if (changed)
    log(
      `configured the git clean filter for notebooks/*.ipynb (filter.${FILTER_NAME} in .git/config): commits carry no outputs`,
    );
  return changed;
}

function tail(text, lines = 15) {
  return text.split('\n').slice(-lines).join('\n');
}

function findPython(candidates = [process.env.PYTHON, 'python3', 'python']) {
  for (const candidate of candidates.filter(Boolean)) {
    const result = spawnSync(
      candidate,
      ['-c', 'import sys; print(sys.version_info[0]); print(sys.version_info[1]); print(sys.executable)'],
      { encoding: 'utf8' },
    );
    if (result.status === 0) {
      const [major, minor, executable] = result.stdout.trim().split('\n');
      if (Number(major) === 3 && Number(minor) >= 9)
        return { executable: executable.trim(), version: `${major}.${minor}` };
    }
  }
  throw new SetupError(
    'Python 3.9 or newer was not found (tried python3 and python; set PYTHON to choose one). Install it (Debian/Ubuntu: apt-get install python3 python3-venv; macOS: brew install python; Windows: python.org) and run again.',
  );
}

function checkVenvModule(python) {
  const venvCheck = spawnSync(python.executable, ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
  if (venvCheck.status !== 0) {
    throw new SetupError(
      `Python ${python.version} at ${python.executable} has no working venv module, which the project needs for its own virtualenv. Install it (Debian/Ubuntu: apt-get install python3-venv, or python${python.version}-venv) and run again.`,
    );
  }
}

/** The sentence for a failed install: a network problem says so and what to check. */
function installFailure(tool, output) {
  const what = tool === 'npm' ? 'the Node packages' : 'JupyterLab and nbconvert (into .venv)';
  const where = tool === 'npm' ? 'its registry' : 'the Python package index';
  const check = tool === 'npm' ? 'npm config get registry / proxy' : 'pip config list';
  if (NETWORK.test(output)) {
    return new SetupError(
      `${tool} could not reach ${where}, so ${what} could not be installed. Check the network connection or proxy settings (${check}) and run again.\n--- ${tool} said ---\n${tail(output)}`,
    );
  }
  return new SetupError(`${tool} failed, so ${what} could not be installed.\n--- ${tool} said ---\n${tail(output)}`);
}

/** The virtualenv made (when it is missing or out of date), and the pip step that fills it, or null. */
function venvStep() {
  const requirements = path.join(ROOT, 'requirements.txt');
  const stampFile = path.join(VENV, '.project-setup.json');
  const wanted = hashOf(requirements);
  const stamp = readJson(stampFile);
  if (stamp && stamp.requirements === wanted && fs.existsSync(VENV_PYTHON)) return null;
  const python = findPython();
  checkVenvModule(python);
  log(`creating the Python virtualenv .venv with JupyterLab and nbconvert (Python ${python.version}) ...`);
  const created = run(python.executable, ['-m', 'venv', '--clear', VENV], 'creating .venv');
  if (!created.ok)
    throw new SetupError(`Could not create the virtualenv ${VENV}.\n--- python said ---\n${tail(created.output)}`);
  return {
    command: VENV_PYTHON,
    args: ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', requirements],
    what: 'pip install',
    tool: 'pip',
    done: () => fs.writeFileSync(stampFile, JSON.stringify({ requirements: wanted, python: python.executable })),
  };
}

/**
 * The papermill plugin (scripts/papermill-tslab/: the TypeScript translator, loaded through papermill's
 * `papermill.engine` entry points), pip-installed into .venv from a copy in build/ (so the build leaves
 * nothing in scripts/); again when its files change.
 */
function ensurePapermillPlugin() {
  const stampFile = path.join(VENV, '.papermill-tslab.json');
  const files = fs
    .readdirSync(PAPERMILL_PLUGIN)
    .filter((name) => /\.(py|toml)$/.test(name))
    .sort();
  const wanted = hashOf(...files.map((name) => path.join(PAPERMILL_PLUGIN, name)));
  const stamp = readJson(stampFile);
  if (stamp && stamp.plugin === wanted) return false;
  const copy = path.join(ROOT, 'build', 'papermill-tslab');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.mkdirSync(copy, { recursive: true });
  for (const name of files) fs.copyFileSync(path.join(PAPERMILL_PLUGIN, name), path.join(copy, name));
  log('installing the papermill translator for TypeScript (scripts/papermill-tslab) into .venv ...');
  const installed = run(
    VENV_PYTHON,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '--no-deps', '--force-reinstall', copy],
    'pip install',
  );
  if (!installed.ok) throw installFailure('pip', installed.output);
  fs.rmSync(copy, { recursive: true, force: true });
  fs.writeFileSync(stampFile, JSON.stringify({ plugin: wanted }));
  return true;
}

/**
 * nbconvert's settings in .venv: `--to html` uses the project's template; the exporters built on the
 * HTML one (webpdf, slides, qtpdf, qtpng) keep the templates nbconvert ships them with (traitlets
 * settings of a class reach its subclasses; a subclass's own section wins).
 */
const NBCONVERT_SETTINGS = {
  HTMLExporter: { template_name: TEMPLATE_NAME },
  WebPDFExporter: { template_name: 'webpdf' },
  SlidesExporter: { template_name: 'reveal' },
  QtExporter: { template_name: 'lab' },
};

/**
 * The report template (scripts/report-template/) as nbconvert template `spotify-clusters` in .venv,
 * with plotly-bundle.js (the minified plotly.js, gzip + base64; remade only when plotly.js-dist-min
 * changes), and the nbconvert settings that make it the default HTML template. Returns its folder.
 */
function ensureReportTemplate() {
  const source = path.join(__dirname, 'report-template');
  let changed = writeIfChanged(
    path.join(TEMPLATE_DIR, 'index.html.j2'),
    fs.readFileSync(path.join(source, 'report.html.j2'), 'utf8'),
  );
  for (const name of fs.readdirSync(source).filter((file) => file.endsWith('.js')))
    changed =
      writeIfChanged(path.join(TEMPLATE_DIR, name), fs.readFileSync(path.join(source, name), 'utf8')) || changed;
  const conf = { base_template: 'lab', mimetypes: { 'text/html': true } };
  changed = writeIfChanged(path.join(TEMPLATE_DIR, 'conf.json'), `${JSON.stringify(conf, null, 2)}\n`) || changed;
  const plotly = path.join(ROOT, 'node_modules', 'plotly.js-dist-min', 'plotly.min.js');
  const bundle = path.join(TEMPLATE_DIR, 'plotly-bundle.js');
  if (!fs.existsSync(bundle) || fs.statSync(bundle).mtimeMs < fs.statSync(plotly).mtimeMs) {
    const packed = zlib.gzipSync(fs.readFileSync(plotly), { level: 9 }).toString('base64');
    const version = JSON.parse(fs.readFileSync(path.join(path.dirname(plotly), 'package.json'), 'utf8')).version;
    fs.writeFileSync(
      bundle,
      `/* plotly.js ${version} (plotly.js-dist-min, MIT licence), gzip + base64; unpacked by draw-figures.js */\nwindow.SPOTIFY_PLOTLY_GZ = "${packed}";\n`,
    );
    changed = true;
  }
  changed = writeIfChanged(NBCONVERT_CONFIG, `${JSON.stringify(NBCONVERT_SETTINGS, null, 2)}\n`) || changed;
  if (changed)
    log(`installed the report template as nbconvert's default HTML template in ${path.relative(ROOT, TEMPLATE_DIR)}`);
  return TEMPLATE_DIR;
}

/** The text of the tslab kernelspec (kernel.json) that starts the project's tslab with the Node at `node`. */
function kernelSpecText(node = process.execPath) {
  const tslab = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
  const spec = {
    argv: [node, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab, spotify-clusters)',
    language: 'typescript',
  };
  return `${JSON.stringify(spec, null, 2)}\n`;
}

/** Write `text` to `file` unless it holds it already; whether it wrote. */
function writeIfChanged(file, text) {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return true;
}

function ensureKernel() {
  if (!writeIfChanged(path.join(KERNEL_DIR, 'kernel.json'), kernelSpecText())) return false;
  log(`registered the tslab kernel in ${path.relative(ROOT, KERNEL_DIR)}`);
  return true;
}

/**
 * The Jupyter data folders, most specific first, holding a tslab kernelspec for the Node running this
 * script: .venv's when the set-up registered this Node, otherwise also build/kernels/node-VERSION/
 * (written on first use) ahead of it. So a kernel runs on the Node of the command that starts it, as
 * in `npm test`'s pass under Node 24 (scripts/node-runtime.js), and .venv's kernelspec is left alone.
 */
function kernelDataPath() {
  const venvData = path.join(VENV, 'share', 'jupyter');
  const registered = readJson(path.join(KERNEL_DIR, 'kernel.json'));
  if (!registered || !Array.isArray(registered.argv) || registered.argv[0] === process.execPath) return venvData;
  const own = path.join(ROOT, 'build', 'kernels', `node-${process.versions.node}`);
  writeIfChanged(path.join(own, 'kernels', 'tslab', 'kernel.json'), kernelSpecText());
  return [own, venvData].join(path.delimiter);
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Compile lib/ and test/ with the project's TypeScript; returns the compiler's output on failure. */
function compile({ force = false } = {}) {
  const stamp = path.join(ROOT, 'build', '.compiled');
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'lib')),
    newestMtime(path.join(ROOT, 'test')),
    fs.statSync(path.join(ROOT, 'tsconfig.json')).mtimeMs,
  );
  if (
    !force &&
    fs.existsSync(stamp) &&
    fs.statSync(stamp).mtimeMs >= sources &&
    fs.existsSync(path.join(ROOT, 'build', 'lib', 'index.js'))
  )
    return { ok: true, skipped: true };
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = run(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], 'tsc');
  if (result.ok) {
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, new Date().toISOString());
  }
  return { ok: result.ok, output: result.output, skipped: false };
}

/**
 * The browser test (test/integration/browser.test.ts) drives Debian's Chromium with playwright-core; no browser is
 * ever downloaded. Installs it with apt-get when it is missing and we may (root on Debian); otherwise
 * says how, and the test skips itself with the same sentence.
 */
function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (fs.existsSync(chromium)) return false;
  const how = "install Debian's chromium (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary";
  if (
    process.platform !== 'linux' ||
    !fs.existsSync('/usr/bin/apt-get') ||
    typeof process.getuid !== 'function' ||
    process.getuid() !== 0
  ) {
    log(`no browser at ${chromium}: the browser test will be skipped; ${how}.`);
    return false;
  }
  log("installing Debian's chromium for the browser test (apt-get) ...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const updated = run('apt-get', ['update', '-qq'], 'apt-get update', { env });
  const installed = updated.ok
    ? run('apt-get', ['install', '-y', '-qq', 'chromium'], 'apt-get install', { env })
    : updated;
  if (!installed.ok)
    log(`could not install chromium, so the browser test will be skipped; ${how}.\n${tail(installed.output, 8)}`);
  return installed.ok;
}

/**
 * The environment every Jupyter command of the project runs with: our kernel first, no writes to
 * $HOME, and the project's server settings (scripts/jupyter-config/) beside the user's own.
 */
function jupyterEnv(extra = {}) {
  const runtime = path.join(ROOT, 'build', 'jupyter-runtime');
  fs.mkdirSync(runtime, { recursive: true });
  const configPath = [path.join(__dirname, 'jupyter-config'), process.env.JUPYTER_CONFIG_PATH]
    .filter(Boolean)
    .join(path.delimiter);
  return {
    ...process.env,
    JUPYTER_CONFIG_PATH: configPath,
    JUPYTER_PATH: kernelDataPath(),
    JUPYTER_RUNTIME_DIR: runtime,
    PATH: `${path.join(VENV, BIN)}${path.delimiter}${process.env.PATH}`,
    ...extra,
  };
}

function setup({ compileLibrary = true } = {}) {
  const started = Date.now();
  try {
    checkNode();
    // npm ci and pip install side by side
    runInstallSteps([nodeModulesStep(), venvStep()]);
    ensureTslabPatch();
    ensurePapermillPlugin();
    ensureReportTemplate();
    ensureKernel();
    ensureFastPythonImports();
    ensureGitFilter();
    if (compileLibrary) {
      const compiled = compile();
      if (!compiled.ok) throw new SetupError(`The TypeScript in lib/ or test/ does not compile:\n${compiled.output}`);
    }
  } catch (error) {
    if (error instanceof SetupError) {
      process.stderr.write(`\nSet-up stopped: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

module.exports = {
  setup,
  compile,
  ensureChromium,
  ensureGitFilter,
  ensureTslabPatch,
  ensureFastPythonImports,
  FAST_IMPORTS_PTH,
  kernelDataPath,
  ensureReportTemplate,
  TEMPLATE_NAME,
  TEMPLATE_DIR,
  NBCONVERT_CONFIG,
  NBCONVERT_SETTINGS,
  findPython,
  checkVenvModule,
  installFailure,
  SetupError,
  jupyterEnv,
  ROOT,
  VENV,
  VENV_PYTHON,
  BIN,
};

/** `npm run build`: compile lib/ and test/ afresh into build/ (stale files of moved or deleted sources removed first). */
function build() {
  checkNode();
  ensureNodeModules();
  ensureTslabPatch();
  for (const stale of ['lib', 'test', '.tsbuildinfo', '.compiled'])
    fs.rmSync(path.join(ROOT, 'build', stale), { recursive: true, force: true });
  const compiled = compile({ force: true });
  if (!compiled.ok) {
    process.stderr.write(`The TypeScript in lib/ or test/ does not compile:\n${compiled.output}\n`);
    process.exit(1);
  }
  log('compiled lib/ and test/ into build/');
}

if (require.main === module) {
  if (process.argv.includes('--build')) build();
  else setup();
}

/**
 * Figures render for real, in a browser (Debian's Chromium driven by playwright-core), for every
 * notebook in order (01 first: the others read what it stores):
 * 1. live JupyterLab: the notebook opened, all cells run, every figure drawn as an SVG plotly graph,
 *    no error output; while a long step runs (its progress bar not done) the kernel status reads
 *    Busy; then the notebook is saved: under 1.5 MB, with outputs, and `git diff` and `git status` (the
 *    workspace is a git clone with the project's clean filter and JupyterLab settings) show it unchanged;
 * 2. the same notebook as saved by a headless run (nbconvert), opened untrusted: figures still drawn,
 *    cells numbered, under 1.5 MB;
 * 3. its HTML report opened from disk with the network off: figures drawn there too, cells numbered,
 *    under 5 MB;
 * 4. (notebook 01) the HTML file plain `.venv/bin/jupyter nbconvert --to html --execute` writes, with
 *    no project script in between, opened from disk: figures drawn (the venv's default template).
 * No page makes a request that leaves it: JupyterLab's pages ask only their own server, a report or
 * nbconvert's output nothing but its own file; any other request fails the test.
 * The headless run (2, 3) and plain nbconvert (4), each with a database of its own, run while the live
 * notebooks run (1): most of the live time is waiting for a kernel or a page.
 * Screenshots go to build/browser-test/. Every process the test starts is stopped, whatever happens.
 * Chromium comes from Debian (`apt-get install chromium`; `npm test` installs it when it can); set
 * CHROMIUM_PATH to use another build. Without a browser the test is skipped with that sentence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../lib/paths';
import { generateSpotifyRows, spotifyCsvText } from '../../lib/data/synthetic';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runNotebooks } = require(join(PROJECT_ROOT, 'scripts', 'run-notebooks.js')) as {
  runNotebooks(options: {
    out: string;
    html: boolean;
    notebooks: string[];
    env: Record<string, string>;
  }): Promise<boolean>;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { jupyterEnv, ensureGitFilter, VENV, BIN } = require(join(PROJECT_ROOT, 'scripts', 'setup.js')) as {
  jupyterEnv(extra: Record<string, string>): NodeJS.ProcessEnv;
  ensureGitFilter(root: string): boolean;
  VENV: string;
  BIN: string;
};

const MB = 1024 * 1024;

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=browser test', '-c', 'user.email=test@localhost', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** The kernel status JupyterLab's status bar shows ("Idle", "Busy", …), and whether a long step's progress bar is running. */
async function kernelState(page: Page): Promise<{ status: string; longStep: boolean; prompts: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return page.locator('body').evaluate((body: any) => {
    const items = [...body.querySelectorAll('.jp-StatusBar-TextItem')].map((item: any) => item.textContent ?? ''); // eslint-disable-line @typescript-eslint/no-explicit-any
    const status =
      items.map((text: string) => /\|\s*(\w+)\s*$/.exec(text)?.[1]).find((word: string | undefined) => word) ?? '';
    const panel =
      [...body.querySelectorAll('.jp-NotebookPanel')].find((p: any) => !p.classList.contains('lm-mod-hidden')) ?? body; // eslint-disable-line @typescript-eslint/no-explicit-any
    const outputs = [...panel.querySelectorAll('.jp-OutputArea-output')].map((o: any) => o.textContent ?? ''); // eslint-disable-line @typescript-eslint/no-explicit-any
    const longStep = outputs.some((text: string) => /\d+% · \d+\.\d s/.test(text) && !text.includes('· done'));
    const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map((p: any) => p.textContent ?? ''); // eslint-disable-line @typescript-eslint/no-explicit-any
    return { status, longStep, prompts };
  });
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Each notebook and the number of figures it shows (one per `sc.show(` call). */
const NOTEBOOKS = readdirSync(join(PROJECT_ROOT, 'notebooks'))
  .filter((name) => /^\d\d.*\.ipynb$/.test(name))
  .sort()
  .map((name) => ({
    name,
    figures: (readFileSync(join(PROJECT_ROOT, 'notebooks', name), 'utf8').match(/sc\.show\(/g) ?? []).length,
  }));
const out = join(PROJECT_ROOT, 'build', 'browser-test');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForServer(url: string, lab: ChildProcess, seconds = 90): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (lab.exitCode !== null) throw new Error(`jupyter lab exited with code ${lab.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`jupyter lab did not answer at ${url} within ${seconds} s`);
}

/**
 * Number of outputs holding a drawn plotly graph (an SVG inside a plotly div), counted in the
 * notebook on show (JupyterLab may restore other notebooks in hidden tabs) or in the whole page.
 */
async function renderedFigures(page: Page): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return page.locator('body').evaluate((body: any) => {
    const panels = [...body.querySelectorAll('.jp-NotebookPanel')].filter(
      (panel: any) => !panel.classList.contains('lm-mod-hidden'),
    ); // eslint-disable-line @typescript-eslint/no-explicit-any
    const roots = panels.length ? panels : [body];
    const drawn = new Set<unknown>();
    for (const root of roots) {
      for (const svg of root.querySelectorAll('.js-plotly-plot svg.main-svg')) {
        drawn.add(
          svg.closest('.jp-OutputArea-output, .jp-OutputArea-child, .output_area, .jp-RenderedHTMLCommon') ??
            svg.closest('.js-plotly-plot'),
        );
      }
    }
    return drawn.size;
  });
}

async function waitForFigures(page: Page, count: number, seconds: number): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await renderedFigures(page);
    if (seen >= count) return seen;
    await page.waitForTimeout(500);
  }
  return seen;
}

test(
  "every notebook's figures render in live JupyterLab, in a re-opened headless-executed notebook and in the offline HTML report",
  { timeout: 15 * 60 * 1000 },
  async (t) => {
    if (!existsSync(CHROMIUM)) {
      t.skip(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
      return;
    }
    rmSync(out, { recursive: true, force: true });
    // A workspace where notebooks/ sits beside a link to build/, so the notebook's '../build/lib' import works
    // and JupyterLab's autosave never touches the committed notebook.
    const workspace = join(out, 'workspace');
    mkdirSync(join(workspace, 'notebooks'), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, 'build'), join(workspace, 'build'));
    for (const { name } of NOTEBOOKS)
      copyFileSync(join(PROJECT_ROOT, 'notebooks', name), join(workspace, 'notebooks', name));
    // The workspace is a git clone of the notebooks with the project's clean filter, as set-up makes it.
    mkdirSync(join(workspace, 'scripts'));
    copyFileSync(join(PROJECT_ROOT, 'scripts', 'clean-notebooks.js'), join(workspace, 'scripts', 'clean-notebooks.js'));
    copyFileSync(join(PROJECT_ROOT, '.gitattributes'), join(workspace, '.gitattributes'));
    git(workspace, 'init', '-q');
    assert.equal(ensureGitFilter(workspace), true);
    git(workspace, 'add', '.gitattributes', 'scripts', 'notebooks');
    git(workspace, 'commit', '-q', '-m', 'notebooks');
    const csv = join(out, 'tracks.csv');
    writeFileSync(csv, spotifyCsvText(generateSpotifyRows({ rows: 3000, seed: 5 })));
    // big enough that the elbow sweep and t-SNE take a second or more, so the kernel status can be watched
    const env = { SPOTIFY_CSV: csv, DB_PATH: join(out, 'browser.duckdb'), SAMPLE_SIZE: '500', K: '4' };
    // the headless run, with a database of its own, while the live notebooks run: executed copies and HTML
    // reports in workspace/report/; then plain nbconvert (stage 4)
    const headless = runNotebooks({
      out: join(workspace, 'report'),
      html: true,
      notebooks: NOTEBOOKS.map(({ name }) => join(PROJECT_ROOT, 'notebooks', name)),
      env: { ...env, DB_PATH: join(out, 'headless.duckdb') },
    });
    const plainDir = join(out, 'plain-nbconvert');
    let plainProcess: ChildProcess | null = null;
    const plainRun = headless.then(async () => {
      // plain nbconvert from the venv, as a user types it, with no project script in between
      plainProcess = spawn(
        join(VENV, BIN, 'jupyter'),
        [
          'nbconvert',
          '--to',
          'html',
          '--execute',
          '--output-dir',
          plainDir,
          join(workspace, 'notebooks', NOTEBOOKS[0].name),
        ],
        {
          env: {
            ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('JUPYTER_'))),
            SPOTIFY_CSV: csv,
            DB_PATH: join(out, 'plain-nbconvert.duckdb'),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 600_000,
        },
      );
      let said = '';
      plainProcess.stdout!.on('data', (chunk) => (said += chunk));
      plainProcess.stderr!.on('data', (chunk) => (said += chunk));
      const [status] = (await once(plainProcess, 'close')) as [number | null];
      return { status, said };
    });

    // Test-only JupyterLab settings and workspaces (never the user's): render every cell (no windowing),
    // so cells scrolled out of view keep their prompts and outputs in the page.
    const settings = join(out, 'lab-settings');
    mkdirSync(join(settings, '@jupyterlab', 'notebook-extension'), { recursive: true });
    writeFileSync(
      join(settings, '@jupyterlab', 'notebook-extension', 'tracker.jupyterlab-settings'),
      JSON.stringify({ windowingMode: 'none' }),
    );
    mkdirSync(join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
    writeFileSync(
      join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'),
      JSON.stringify({ fetchNews: 'false' }),
    );
    const labEnv = {
      ...env,
      JUPYTERLAB_SETTINGS_DIR: settings,
      JUPYTERLAB_WORKSPACES_DIR: join(out, 'lab-workspaces'),
    };
    const port = await freePort();
    const token = randomBytes(16).toString('hex');
    const lab = spawn(
      join(VENV, BIN, 'jupyter'),
      [
        'lab',
        '--no-browser',
        '--ServerApp.ip=127.0.0.1',
        `--ServerApp.port=${port}`,
        `--IdentityProvider.token=${token}`,
        `--ServerApp.root_dir=${workspace}`,
        '--ServerApp.port_retries=0',
        '--LabApp.news_url=None',
        '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
        ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
      ],
      { env: jupyterEnv(labEnv), detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let labLog = '';
    lab.stderr!.on('data', (chunk) => {
      labLog += chunk;
    });
    let browser: Browser | null = null;
    /** Requests that left a page: none may. */
    const leaving: string[] = [];
    try {
      await waitForServer(`http://127.0.0.1:${port}/api/status?token=${token}`, lab);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const offline = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
      await offline.route(/^(?!file:)/, (route) => route.abort());
      // Offline means offline: every request that leaves the page is noted, and fails the test below.
      const server = `http://127.0.0.1:${port}/`;
      context.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(server) && !/^(data|blob):/.test(url)) leaving.push(`JupyterLab: ${url}`);
      });
      // a report or nbconvert's output is one file: the only request it may make is the one that opens it
      const opened = new Set<string>();
      offline.on('request', (request) => {
        const url = request.url().replace(/#.*$/, '');
        if (!opened.has(url) && !/^(data|blob):/.test(url)) leaving.push(`a page opened from disk: ${url}`);
      });

      for (const [n, { name, figures }] of NOTEBOOKS.entries()) {
        const shot = (stage: string): string => join(out, `${name.replace('.ipynb', '')}-${stage}.png`);
        // 1. live: open, run all cells, wait until every code cell has run
        const page = await context.newPage();
        // a workspace of its own per page, so JupyterLab does not restore the other notebooks' tabs
        await page.goto(`http://127.0.0.1:${port}/lab/workspaces/live-${n}/tree/notebooks/${name}?token=${token}`);
        await page
          .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook')
          .waitFor({ timeout: 120_000 })
          .catch(async (error) => {
            await page.screenshot({ path: shot('0-not-opened') });
            throw error;
          });
        // let the kernel start: Run All is ignored while the status bar still says Starting or Connecting
        const kernelDeadline = Date.now() + 120_000;
        while ((await kernelState(page)).status !== 'Idle') {
          if (Date.now() > kernelDeadline)
            throw new Error(`${name}: the kernel did not become idle: ${(await kernelState(page)).status}`);
          await page.waitForTimeout(250);
        }
        await page.waitForTimeout(500);
        await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
        await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
        const panel = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
        const codeCells = await panel.locator('.jp-CodeCell').count();
        const deadline = Date.now() + 300_000;
        const duringLongSteps: string[] = [];
        for (;;) {
          const { status, longStep, prompts } = await kernelState(page);
          if (longStep) duringLongSteps.push(status);
          const done = prompts.filter((p) => /\[\d+\]/.test(p)).length;
          if (done === codeCells && !prompts.some((p) => p.includes('*'))) break;
          if (Date.now() > deadline)
            throw new Error(`${name}: cells did not finish running: prompts ${prompts.join(' ')}`);
          await page.waitForTimeout(100);
        }
        if (name.startsWith('03')) {
          // the elbow sweep and t-SNE: while their progress bars run, the status bar says so
          assert.ok(
            duringLongSteps.length >= 2,
            `${name}: the long steps were seen running (${duringLongSteps.length} samples)`,
          );
          assert.deepEqual([...new Set(duringLongSteps)], ['Busy'], `${name}: kernel status while a long step runs`);
        }
        const live = await waitForFigures(page, figures, 60);
        const errors = await panel
          .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
          .allInnerTexts();
        await page.screenshot({ path: shot('1-live'), fullPage: true });
        assert.equal(
          live,
          figures,
          `${name}: every figure of the live notebook is an SVG plotly graph (found ${live} of ${figures})`,
        );
        assert.deepEqual(errors, [], `${name}: no error output`);
        if (name.startsWith('03')) {
          // save after Run All: small (figures are data, not plotly.js), and git sees no change (the clean filter)
          const file = join(workspace, 'notebooks', name);
          const before = statSync(file).mtimeMs;
          await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').click({ position: { x: 5, y: 5 } });
          await page.keyboard.press('Control+s');
          const saveDeadline = Date.now() + 30_000;
          while (statSync(file).mtimeMs === before && Date.now() < saveDeadline) await page.waitForTimeout(250);
          await page.waitForTimeout(1000);
          const saved = readFileSync(file, 'utf8');
          const notebook = JSON.parse(saved) as {
            cells: { cell_type: string; execution_count: number | null; outputs?: unknown[] }[];
          };
          const code = notebook.cells.filter((cell) => cell.cell_type === 'code');
          assert.ok(
            code.every((cell) => cell.execution_count !== null) && code.some((cell) => (cell.outputs ?? []).length > 0),
            `${name}: saved with its outputs`,
          );
          assert.ok(saved.length < 1.5 * MB, `${name} saved after Run All: ${(saved.length / MB).toFixed(2)} MB`);
          assert.ok(!/Plotly, Inc/.test(saved), `${name}: no plotly.js inside`);
          // the plotly extension's PNG snapshots are dropped on saving (scripts/jupyter-config/): figures are their JSON only
          const figureOutputs = notebook.cells
            .flatMap((cell) => (cell.outputs ?? []) as { data?: Record<string, unknown> }[])
            .filter((output) => output.data?.['application/vnd.plotly.v1+json']);
          assert.equal(figureOutputs.length, figures, `${name}: every figure saved`);
          assert.deepEqual(
            figureOutputs.filter((output) => output.data!['image/png']),
            [],
            `${name}: no PNG snapshots`,
          );
          // git diff sees no change through the filter; git status agrees once the project's save hook
          // (scripts/jupyter-config/) has refreshed git's index, right after the save
          assert.equal(git(workspace, 'diff', '--', `notebooks/${name}`), '', `${name}: git diff after saving`);
          let status = git(workspace, 'status', '--porcelain', '--', `notebooks/${name}`);
          for (let tries = 0; status !== '' && tries < 20; tries++) {
            await page.waitForTimeout(500);
            status = git(workspace, 'status', '--porcelain', '--', `notebooks/${name}`);
          }
          assert.equal(status, '', `${name}: git status after saving`);
        }
        // shut the kernel down and close the tab, so the next notebook starts clean
        await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Kernel$/ }).click();
        await page.locator('.lm-Menu-itemLabel', { hasText: /^Shut Down Kernel$/ }).click();
        await page
          .locator('.jp-Dialog-button.jp-mod-accept')
          .click({ timeout: 5000 })
          .catch(() => undefined); // "Shut down kernel?"
        await page.waitForTimeout(1000);
        await page.close();
        assert.deepEqual(leaving, [], `${name}: no request leaves the live page`);
      }

      // the headless run has ended by now (it ran beside the live notebooks)
      assert.equal(await headless, true, 'the headless run');
      for (const [n, { name, figures }] of NOTEBOOKS.entries()) {
        const shot = (stage: string): string => join(out, `${name.replace('.ipynb', '')}-${stage}.png`);
        // 2. the headless-executed copy, never trusted by this server
        const saved = await context.newPage();
        await saved.goto(`http://127.0.0.1:${port}/lab/workspaces/saved-${n}/tree/report/${name}?token=${token}`);
        await saved.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook').waitFor({ timeout: 120_000 });
        const reopened = await waitForFigures(saved, figures, 60);
        await saved.screenshot({ path: shot('2-headless-executed-untrusted'), fullPage: true });
        assert.equal(
          reopened,
          figures,
          `${name}: figures of the untrusted headless-executed notebook render (found ${reopened} of ${figures})`,
        );
        const executedFile = join(workspace, 'report', name);
        const executed = JSON.parse(readFileSync(executedFile, 'utf8')) as {
          cells: { cell_type: string; execution_count: number | null }[];
        };
        const counts = executed.cells.filter((cell) => cell.cell_type === 'code').map((cell) => cell.execution_count);
        assert.deepEqual(
          counts,
          counts.map((_, i) => i + 1),
          `${name}: the executed notebook's cells are numbered`,
        );
        assert.ok(
          statSync(executedFile).size < 1.5 * MB,
          `${name}: executed notebook ${(statSync(executedFile).size / MB).toFixed(2)} MB`,
        );
        await saved.close();

        // 3. the HTML report from disk, offline
        const report = await offline.newPage();
        const reportUrl = `file://${join(workspace, 'report', name.replace('.ipynb', '.html'))}`;
        opened.add(reportUrl);
        await report.goto(reportUrl);
        const inReport = await waitForFigures(report, figures, 60);
        await report.screenshot({ path: shot('3-html-report-offline'), fullPage: true });
        assert.equal(
          inReport,
          figures,
          `${name}: figures of the HTML report render offline (found ${inReport} of ${figures})`,
        );
        const reportFile = join(workspace, 'report', name.replace('.ipynb', '.html'));
        assert.match(
          readFileSync(reportFile, 'utf8'),
          /In(&nbsp;|\u00a0)\[1\]:/,
          `${name}: the report numbers its cells`,
        );
        assert.ok(
          statSync(reportFile).size < 5 * MB,
          `${name}: report ${(statSync(reportFile).size / MB).toFixed(2)} MB`,
        );
        await report.close();
        assert.deepEqual(leaving, [], `${name}: no request leaves the page`);
      }

      // 4. plain nbconvert (started when the headless run ended): the venv's default HTML template draws the figures
      const plain = await plainRun;
      assert.equal(plain.status, 0, plain.said);
      const plainPage = await offline.newPage();
      const plainUrl = `file://${join(plainDir, NOTEBOOKS[0].name.replace('.ipynb', '.html'))}`;
      opened.add(plainUrl);
      await plainPage.goto(plainUrl);
      const plainFigures = await waitForFigures(plainPage, NOTEBOOKS[0].figures, 60);
      await plainPage.screenshot({
        path: join(out, `${NOTEBOOKS[0].name.replace('.ipynb', '')}-4-plain-nbconvert.png`),
        fullPage: true,
      });
      assert.equal(
        plainFigures,
        NOTEBOOKS[0].figures,
        `plain jupyter nbconvert --to html --execute: figures drawn (found ${plainFigures} of ${NOTEBOOKS[0].figures})`,
      );
      await plainPage.close();
      assert.deepEqual(leaving, [], 'no request leaves the page');
    } catch (error) {
      writeFileSync(join(out, 'jupyter-lab.log'), labLog);
      throw error;
    } finally {
      await browser?.close().catch(() => undefined);
      // the headless run and plain nbconvert end before the test does, whatever happened
      await headless.catch(() => undefined);
      (plainProcess as ChildProcess | null)?.kill();
      await plainRun.catch(() => undefined);
      try {
        process.kill(-lab.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise((resolve) => {
        if (lab.exitCode !== null) resolve(null);
        else {
          lab.once('exit', resolve);
          setTimeout(resolve, 10_000);
        }
      });
      try {
        process.kill(-lab.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  },
);

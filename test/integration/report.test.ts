/**
 * The HTML report (scripts/report.js): one compressed copy of the minified plotly.js, every figure
 * as its JSON for the page to draw, no plotly.js from a CDN. (That the figures are drawn, offline,
 * the browser test checks.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../lib/paths';
import { figureBundle } from '../../lib/notebook/display';
import { histogram, scatter } from '../../lib/notebook/plot';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { writeReport } = require(join(PROJECT_ROOT, 'scripts', 'report.js')) as {
  writeReport(notebook: string, options: { out: string }): { ok: boolean; file: string; output: string };
};

const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

test('the embedded minified plotly.js is pinned to the same version as plotly.js-dist', () => {
  assert.equal(packageJson.dependencies['plotly.js-dist-min'], packageJson.dependencies['plotly.js-dist']);
  const installed = (name: string) =>
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  assert.equal(installed('plotly.js-dist-min'), packageJson.dependencies['plotly.js-dist-min']);
});

test(
  'a report embeds plotly.js once, compressed, and each figure as its JSON, and loads nothing from a CDN',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const xs = Array.from({ length: 5000 }, (_, i) => Math.sin(i));
    const figures = [
      histogram([1, 2, 2, 3], { title: 'Small' }),
      scatter(
        xs,
        xs.map((x) => x * x),
        { title: 'Large' },
      ),
    ];
    const cells = figures.map((figure, i) => ({
      cell_type: 'code',
      execution_count: i + 1,
      id: `c${i}`,
      metadata: {},
      source: [`sc.show(figure${i});`],
      outputs: [{ output_type: 'display_data', metadata: {}, data: figureBundle(figure) }],
    }));
    const notebook = join(dir, 'figures.ipynb');
    writeFileSync(
      notebook,
      JSON.stringify({
        cells,
        metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const report = writeReport(notebook, { out: dir });
    assert.equal(report.ok, true, report.output);
    const html = readFileSync(report.file, 'utf8');
    const bundles = [...html.matchAll(/window\.SPOTIFY_PLOTLY_GZ = "([A-Za-z0-9+/=]+)"/g)];
    assert.equal(bundles.length, 1, 'one copy of plotly.js');
    const plotly = gunzipSync(Buffer.from(bundles[0][1], 'base64')).toString('utf8');
    assert.equal(
      plotly,
      readFileSync(join(PROJECT_ROOT, 'node_modules', 'plotly.js-dist-min', 'plotly.min.js'), 'utf8'),
    );
    const json = [...html.matchAll(/<script type="application\/vnd\.plotly\.v1\+json">(\{.*?)<\/script>/gs)].map(
      ([, text]) => JSON.parse(text),
    );
    assert.deepEqual(
      json.map((figure) => figure.layout.title.text),
      ['Small', 'Large'],
    );
    assert.equal(json[1].data[0].x.dtype, 'f4', 'the large figure keeps its typed arrays');
    // nothing is loaded from elsewhere: no RequireJS, plotly.js, MathJax (LaTeX in markdown stays as typed) or mermaid
    const external = [...html.matchAll(/<(?:script|link|img)[^>]+(?:src|href)="(?!data:)([^"]+)"/g)].map(
      ([, src]) => src,
    );
    assert.deepEqual(external, [], 'no RequireJS, no plotly.js, no MathJax from a CDN');
    assert.doesNotMatch(html, /https?:\/\/[^"'\s]*(cdn|unpkg|jsdelivr|mathjax|mermaid)/i, 'no CDN address at all');
    assert.ok(html.length < 2.5 * 1024 * 1024, `${html.length} characters`);
  },
);

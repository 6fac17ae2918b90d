#!/usr/bin/env node
/*
 * Notebook cells a reader can take in: formats the code cells of notebooks/*.ipynb with the project's
 * Prettier (its .prettierrc.json, with lines of at most 100 characters, narrower than lib/'s 120
 * because a notebook column is narrower than an editor), and checks that no code line is longer
 * than 100 characters (Prettier does not break long strings: those are shortened by hand).
 * Only cell sources change; outputs and metadata stay as they are.
 * `npm run format` runs it; `npm run format:check` and `npm test` run it with --check.
 * Usage: node scripts/format-notebooks.js [--check] [notebooks/NN-name.ipynb ...]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { nbformatJson, splitLines, projectNotebooks } = require('./clean-notebooks');

const ROOT = path.resolve(__dirname, '..');
/** The longest code line a notebook cell may hold. */
const CELL_LINE_LIMIT = 100;

async function prettierOptions() {
  const prettier = require('prettier');
  const config = (await prettier.resolveConfig(path.join(ROOT, 'lib', 'index.ts'))) ?? {};
  return { prettier, options: { ...config, parser: 'typescript', printWidth: CELL_LINE_LIMIT } };
}

/**
 * The notebook's code cells formatted, and the lines still over the limit.
 * @returns {{ text: string, changedCells: number[], longLines: { cell: number, line: number, length: number }[] }}
 */
async function formatNotebookText(text, { prettier, options }) {
  const notebook = JSON.parse(text);
  const changedCells = [];
  const longLines = [];
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.cell_type !== 'code') continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
    let formatted;
    try {
      formatted = (await prettier.format(source, options)).replace(/\n+$/, '');
    } catch (error) {
      throw new Error(`cell ${index + 1} cannot be formatted: ${error.message.split('\n')[0]}`);
    }
    if (formatted !== source) {
      changedCells.push(index + 1);
      cell.source = splitLines(formatted);
    }
    formatted.split('\n').forEach((line, lineIndex) => {
      if (line.length > CELL_LINE_LIMIT) longLines.push({ cell: index + 1, line: lineIndex + 1, length: line.length });
    });
  }
  return { text: `${nbformatJson(notebook)}\n`, changedCells, longLines };
}

async function main(args) {
  const check = args.includes('--check');
  const files = args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
  const targets = files.length ? files : projectNotebooks();
  const formatter = await prettierOptions();
  let failed = false;
  for (const file of targets) {
    const name = path.relative(process.cwd(), file);
    const text = fs.readFileSync(file, 'utf8');
    let result;
    try {
      result = await formatNotebookText(text, formatter);
    } catch (error) {
      process.stderr.write(`${name}: ${error.message}\n`);
      failed = true;
      continue;
    }
    if (check && result.changedCells.length) {
      process.stderr.write(
        `${name}: cells ${result.changedCells.join(', ')} are not formatted (npm run format fixes them)\n`,
      );
      failed = true;
    }
    if (!check && result.text !== text) {
      fs.writeFileSync(file, result.text);
      process.stderr.write(`formatted ${name} (cells ${result.changedCells.join(', ')})\n`);
    }
    for (const long of result.longLines) {
      process.stderr.write(
        `${name}: cell ${long.cell}, line ${long.line} has ${long.length} characters, more than ${CELL_LINE_LIMIT}; ` +
          'split the string or the expression\n',
      );
      failed = true;
    }
  }
  return failed ? 1 : 0;
}

module.exports = { formatNotebookText, prettierOptions, CELL_LINE_LIMIT };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`format-notebooks: ${error.message}\n`);
      process.exit(1);
    },
  );
}

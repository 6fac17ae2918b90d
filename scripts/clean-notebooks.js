#!/usr/bin/env node
/*
 * Notebooks are committed clean: no outputs, no execution counts, no volatile metadata. This file
 * is both
 * - the git clean filter for notebooks/*.ipynb (`--filter`: the notebook on stdin, the clean one on
 *   stdout), which the set-up configures in the clone (.gitattributes names the filter, and
 *   `git config --local filter.notebook-clean.clean` runs this file, as nbstripout and nbdev do), so
 *   a user can run and save notebooks freely and `git add` still commits them clean; and
 * - `npm run notebooks:clean`, which strips the working files in notebooks/ (or the files named).
 *
 * What stays: the cells with their ids and sources, cell `tags`, attachments of markdown cells, and
 * the notebook's `kernelspec`, `language_info`, `title` and `authors`. What goes: outputs,
 * execution counts and all other metadata (JupyterLab's `collapsed`, `scrolled`, `jupyter`,
 * `execution` timings, widget state, nbconvert's `papermill`-style notes).
 * The text is written as nbformat writes it (keys sorted, one-space indent, sources as lists of
 * lines, a final newline), so a notebook saved by JupyterLab and cleaned gives the same bytes as the
 * committed one. Plain Node, no dependencies: it runs before anything is installed.
 * Usage: node scripts/clean-notebooks.js [--filter | --check] [notebooks/NN-name.ipynb ...]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const FILTER_NAME = 'notebook-clean';
const KEPT_NOTEBOOK_METADATA = ['kernelspec', 'language_info', 'title', 'authors'];
const KEPT_CELL_METADATA = ['tags'];

/**
 * nbformat's split_lines (Python's str.splitlines(keepends=True)): a source as a list of lines, each
 * keeping its line break.
 */
function splitLines(source) {
  const text = Array.isArray(source) ? source.join('') : String(source);
  return text
    .match(/[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]|$)/g)
    .filter((line) => line !== '');
}

function pick(object, keys) {
  const kept = {};
  for (const key of keys) if (object && object[key] !== undefined) kept[key] = object[key];
  return kept;
}

/** The notebook object, cleaned (a new object; the input is not changed). */
function cleanNotebookObject(notebook) {
  if (!notebook || typeof notebook !== 'object' || !Array.isArray(notebook.cells)) {
    throw new Error('This is not a Jupyter notebook (no "cells" list); only .ipynb files can be cleaned.');
  }
  const cells = notebook.cells.map((cell) => {
    const clean = { ...cell, metadata: pick(cell.metadata, KEPT_CELL_METADATA), source: splitLines(cell.source ?? '') };
    if (cell.cell_type === 'code') {
      clean.outputs = [];
      clean.execution_count = null;
    }
    return clean;
  });
  return { ...notebook, metadata: pick(notebook.metadata, KEPT_NOTEBOOK_METADATA), cells };
}

/** JSON as Python's json.dumps(sort_keys=True, indent=1, ensure_ascii=False), nbformat's way of writing. */
function nbformatJson(value, indent = '') {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent} `;
    return `[\n${value.map((item) => inner + nbformatJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    if (keys.length === 0) return '{}';
    const inner = `${indent} `;
    return `{\n${keys.map((key) => `${inner}${JSON.stringify(key)}: ${nbformatJson(value[key], inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The clean text of a notebook's text (what git commits).
 * @example cleanNotebook(fs.readFileSync('notebooks/01-cleaning.ipynb', 'utf8'))
 */
function cleanNotebook(text) {
  let notebook;
  try {
    notebook = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `This notebook is not valid JSON (${error.message}); open it in JupyterLab or restore it with git checkout.`,
    );
  }
  return `${nbformatJson(cleanNotebookObject(notebook))}\n`;
}

/** The committed notebooks: notebooks/NN-*.ipynb. */
function projectNotebooks() {
  const dir = path.join(ROOT, 'notebooks');
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.ipynb'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Clean files in place; returns the ones that changed. */
function cleanFiles(files = projectNotebooks()) {
  const changed = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const clean = cleanNotebook(text);
    if (clean !== text) {
      fs.writeFileSync(file, clean);
      changed.push(file);
    }
  }
  return changed;
}

function readStdin() {
  const chunks = [];
  let chunk;
  const buffer = Buffer.alloc(1 << 16);
  for (;;) {
    try {
      chunk = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') continue;
      if (error.code === 'EOF') break;
      throw error;
    }
    if (chunk === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, chunk)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

module.exports = {
  cleanNotebook,
  cleanNotebookObject,
  cleanFiles,
  nbformatJson,
  splitLines,
  projectNotebooks,
  FILTER_NAME,
};

if (require.main === module) {
  const args = process.argv.slice(2);
  try {
    if (args.includes('--filter')) {
      process.stdout.write(cleanNotebook(readStdin()));
    } else {
      const check = args.includes('--check');
      const files = args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
      const targets = files.length ? files : projectNotebooks();
      if (check) {
        const dirty = targets.filter(
          (file) => cleanNotebook(fs.readFileSync(file, 'utf8')) !== fs.readFileSync(file, 'utf8'),
        );
        for (const file of dirty)
          process.stderr.write(
            `${path.relative(process.cwd(), file)} has outputs, execution counts or volatile metadata (npm run notebooks:clean strips them)\n`,
          );
        process.exit(dirty.length ? 1 : 0);
      }
      const changed = cleanFiles(targets);
      process.stderr.write(
        changed.length
          ? `cleaned ${changed.map((file) => path.relative(process.cwd(), file)).join(', ')}\n`
          : 'notebooks are clean\n',
      );
    }
  } catch (error) {
    process.stderr.write(`clean-notebooks: ${error.message}\n`);
    process.exit(1);
  }
}

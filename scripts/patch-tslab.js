#!/usr/bin/env node
/*
 * A small patch to tslab 1.0.22 (the last release), applied by the set-up after `npm ci`, so the
 * kernel reports what it is doing. It edits node_modules/tslab/dist/jupyter.js in place; each edit
 * is a literal snippet that must occur exactly once in the released file, and the patched file
 * carries a marker comment, so applying twice changes nothing. Another tslab version is refused
 * with a sentence (review the edits below against it and update TSLAB_VERSION).
 *
 * What 1.0.22 does, and what each edit changes (test/integration/tslab-patch.test.ts checks it
 * against a live kernel):
 * 1. Shell requests in order. tslab starts handling every request the moment it arrives and
 *    queues the executions, so "Run All" publishes `busy` for every cell at once, each finished
 *    cell's `idle` arrives while the next cell runs (JupyterLab then shows "Idle" during the
 *    elbow sweep or t-SNE), and a finished cell's reply waits behind the next cell's synchronous
 *    code (its `[*]` stays until a later cell ends). Patched: one request at a time, as ipykernel
 *    does; `busy` when a request starts, its reply and `idle` before the next one starts.
 * 2. Messages leave at once. zeromq 6 sends 512 messages synchronously, then defers one to the
 *    next turn of the event loop and throws "Socket is busy writing" at any send before that turn;
 *    inside a long synchronous cell that broke progress bars and lost the cell's `idle` status
 *    (the cell then stayed busy forever). Patched: `sendTimeout: 0` on the kernel's sockets, which
 *    makes every send immediate (ZMQ_DONTWAIT; a PUB socket never blocks).
 * 3. Cell numbers. tslab never publishes `execute_input`, which is where nbclient/nbconvert read a
 *    cell's execution count, so headless-executed notebooks and their HTML reports had empty
 *    prompts. Patched: `execute_input` with the code and the count, before the cell runs.
 *
 * Usage: node scripts/patch-tslab.js [path/to/node_modules/tslab]   (or require: patchTslab(dir))
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TSLAB_VERSION = '1.0.22';
const MARKER =
  '/* patched by spotify-clusters scripts/patch-tslab.js: shell requests in order, immediate sends, execute_input */';

/** The edits to dist/jupyter.js: each `before` occurs exactly once in tslab 1.0.22. */
const EDITS = [
  {
    what: 'handle shell requests one at a time, in order',
    before: `                        const msgs = _c;
                        this.handleShellMessage(this.shell, ...msgs);`,
    after: `                        const msgs = _c;
                        await this.handleShellMessage(this.shell, ...msgs).catch((e) => console.error("tslab: could not handle a shell message:", e));`,
  },
  {
    what: 'send every message at once (no deferred send, no "Socket is busy writing")',
    before: `        this.iopub = new zmq.Publisher();
        this.shell = new zmq.Router();
        this.control = new zmq.Router();`,
    after: `        this.iopub = new zmq.Publisher({ sendTimeout: 0 });
        this.shell = new zmq.Router({ sendTimeout: 0 });
        this.control = new zmq.Router({ sendTimeout: 0 });`,
  },
  {
    what: 'pass an execute_input writer down to the handler',
    before: `        const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData);`,
    after: `        const writeExecuteInput = (code, count) => {
            const reply = msg.createReply();
            reply.header.msg_type = "execute_input";
            reply.content = { code, execution_count: count };
            reply.signAndSend(this.connInfo.key, this.iopub);
        };
        const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData, writeExecuteInput);`,
  },
  {
    what: 'thread the execute_input writer through handleExecute',
    before: `    async handleExecute(req, writeStream, writeDisplayData) {
        let status = "ok";
        let count = null;
        try {
            count = await this.execQueue.add(() => this.handleExecuteImpl(req, writeStream, writeDisplayData));`,
    after: `    async handleExecute(req, writeStream, writeDisplayData, writeExecuteInput) {
        let status = "ok";
        let count = null;
        try {
            count = await this.execQueue.add(() => this.handleExecuteImpl(req, writeStream, writeDisplayData, writeExecuteInput));`,
  },
  {
    what: 'publish execute_input with the count before the cell runs',
    before: `    async handleExecuteImpl(req, writeStream, writeDisplayData) {`,
    after: `    async handleExecuteImpl(req, writeStream, writeDisplayData, writeExecuteInput) {`,
  },
  {
    what: 'publish execute_input with the count before the cell runs (the call)',
    before: `        let count = new ExecutionCount(++this.execCount);
        let ok = await this.executor.execute(req.code);`,
    after: `        let count = new ExecutionCount(++this.execCount);
        if (writeExecuteInput) writeExecuteInput(req.code, count.count);
        let ok = await this.executor.execute(req.code);`,
  },
];

class PatchError extends Error {}

/**
 * The patched text of tslab's dist/jupyter.js; the text unchanged when it is already patched.
 * Throws a PatchError naming the edit whose snippet is missing or repeated.
 */
function patchedJupyterJs(text) {
  if (text.includes(MARKER)) return text;
  let result = text;
  for (const { what, before, after } of EDITS) {
    const first = result.indexOf(before);
    if (first < 0 || result.indexOf(before, first + 1) >= 0) {
      throw new PatchError(
        `tslab's dist/jupyter.js does not contain the code the patch "${what}" expects exactly once; is node_modules/tslab version ${TSLAB_VERSION}? Run npm ci and the set-up again.`,
      );
    }
    result = result.slice(0, first) + after + result.slice(first + before.length);
  }
  return result.replace('"use strict";\n', `"use strict";\n${MARKER}\n`);
}

/**
 * Patch the tslab installed in `dir` (default node_modules/tslab). Returns 'patched' or
 * 'already patched'; throws a PatchError for another tslab version or a file that does not match.
 */
function patchTslab(dir = path.resolve(__dirname, '..', 'node_modules', 'tslab')) {
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  if (version !== TSLAB_VERSION) {
    throw new PatchError(
      `scripts/patch-tslab.js patches tslab ${TSLAB_VERSION}, but node_modules has tslab ${version}: check its edits against the new version and update TSLAB_VERSION.`,
    );
  }
  const file = path.join(dir, 'dist', 'jupyter.js');
  const text = fs.readFileSync(file, 'utf8');
  const patched = patchedJupyterJs(text);
  if (patched === text) return 'already patched';
  fs.writeFileSync(file, patched);
  return 'patched';
}

module.exports = { patchTslab, patchedJupyterJs, PatchError, MARKER, EDITS, TSLAB_VERSION };

if (require.main === module) {
  try {
    process.stderr.write(`tslab: ${patchTslab(process.argv[2] ? path.resolve(process.argv[2]) : undefined)}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

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
 * 4. Errors for the user (dist/executor.js). tslab prints a failed cell's error with its whole stack,
 *    so a refused parameter showed its sentence under ten lines of frames. Patched: an error the
 *    project raises for the user (lib/user-error.ts: it carries Symbol.for("spotify-clusters.user-error"))
 *    prints `Name: sentence` only, and an interrupted cell prints "Interrupted."; VERBOSE=1 in the
 *    kernel's environment (or `process.env.VERBOSE = '1'` in a cell) prints everything again.
 *    An interrupt also emits "spotify-clusters:interrupted" on `process`, before the cell's reply:
 *    the running progress bars (lib/notebook/progress.ts) then end "interrupted" where they stood.
 * 5. Files appearing beside the project (dist/converter.js). tslab's TypeScript watch host has room for
 *    one pending timer and throws "Unexpected pending rebuildTimer" when TypeScript asks for a second;
 *    TypeScript does so whenever a file appears in a folder it watches for a failed module lookup
 *    (build/, where notebook 04 writes playlists and `npm run build` the library), so the next cell
 *    of every open kernel failed. Patched: every pending timer is kept and all run, in order, when
 *    tslab rebuilds.
 * 6. One program per cell (dist/converter.js). tslab built the TypeScript program twice for every cell:
 *    once to learn the cell's top-level names, then again with `export { those names }` appended, and
 *    each build redoes the builder's work over every file of the program (about 450 once the library
 *    is imported). Patched: the names come from parsing and binding the cell alone (what the program's
 *    binder does to it), and the program is built once, with the export appended; the cell is
 *    type-checked and compiled exactly as before. CPU per cell: a fifth less on short cells, about a
 *    tenth less over the five notebooks' cells.
 *
 * Usage: node scripts/patch-tslab.js [path/to/node_modules/tslab]   (or require: patchTslab(dir))
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TSLAB_VERSION = '1.0.22';
const MARKER =
  '/* patched by spotify-clusters scripts/patch-tslab.js: shell requests in order, immediate sends, execute_input */';

/** The marker of the patched dist/executor.js (edit 4). */
const EXECUTOR_MARKER = `/* patched by spotify-clusters scripts/patch-tslab.js: an error for the user prints its sentence */
function reportError(console, e) {
    const interrupted = !!e && (e.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || e.message === "Interrupted asynchronously");
    if (interrupted) {
        try {
            process.emit("spotify-clusters:interrupted");
        } catch (error) {
            console.error(error);
        }
    }
    if (process.env.VERBOSE === "1" || !e) console.error(e);
    else if (e[Symbol.for("spotify-clusters.user-error")] === true) console.error(\`\${e.name}: \${e.message}\`);
    else console.error(interrupted ? "Interrupted." : e);
}`;

/** The marker of the patched dist/converter.js (edit 5). */
const CONVERTER_MARKER =
  '/* patched by spotify-clusters scripts/patch-tslab.js: every pending TypeScript timer kept, none refused; one program per cell */';

/** Markers of earlier versions of the patch, per file: such a file is taken back to the released text, then patched. */
const OLD_MARKERS = {
  'converter.js': [
    '/* patched by spotify-clusters scripts/patch-tslab.js: every pending TypeScript timer kept, none refused */',
  ],
};

/** The edits to dist/jupyter.js (and, `file` given, to another file of dist/): each `before` occurs exactly once in tslab 1.0.22. */
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
  {
    file: 'executor.js',
    what: 'print the sentence of an error for the user, not its stack (a cell that throws)',
    before: `        catch (e) {
            console.error(e);
            return false;
        }
        if (promise) {`,
    after: `        catch (e) {
            reportError(console, e);
            return false;
        }
        if (promise) {`,
  },
  {
    file: 'executor.js',
    what: 'print the sentence of an error for the user, not its stack (a promise that rejects)',
    before: `            catch (e) {
                console.error(e);
                return false;
            }
        }
        prevDecl`,
    after: `            catch (e) {
                reportError(console, e);
                return false;
            }
        }
        prevDecl`,
  },
  {
    file: 'converter.js',
    what: "keep every timer TypeScript's watch host asks for (a file appearing in a watched folder)",
    before: `    let rebuildTimer = null;
    sys.setTimeout = (callback) => {
        // TypeScript compier implements debouncing using a timer.
        // It clears a timer when a new change is notified before the timer
        // is fired and it starts rebuilding sources.
        //
        // In this converter, it often happens when notifyUpdateSrc and
        // notifyUpdateDecls are called in sequence.
        if (rebuildTimer) {
            throw new Error("Unexpected pending rebuildTimer");
        }
        rebuildTimer = {
            callback: () => {
                callback();
                rebuildTimer = null;
            },
        };
        return rebuildTimer;
    };
    sys.clearTimeout = (timeoutId) => {
        if (rebuildTimer === timeoutId) {
            rebuildTimer = null;
            return;
        }
        throw new Error("clearing unexpected tiemr");
    };`,
    after: `    let rebuildTimer = null;
    // Every timer TypeScript asks for (the program's update, and the invalidation of failed module
    // lookups when a file appears in a watched folder) waits here; tslab's rebuild runs them all, in order.
    const pendingTimers = [];
    sys.setTimeout = (callback) => {
        const timer = { callback };
        pendingTimers.push(timer);
        if (!rebuildTimer) {
            rebuildTimer = {
                callback: () => {
                    while (pendingTimers.length > 0) pendingTimers.shift().callback();
                    rebuildTimer = null;
                },
            };
        }
        return timer;
    };
    sys.clearTimeout = (timeoutId) => {
        const index = pendingTimers.indexOf(timeoutId);
        if (index < 0) return;
        pendingTimers.splice(index, 1);
        if (pendingTimers.length === 0) rebuildTimer = null;
    };`,
  },
  {
    file: 'converter.js',
    what: "build the program once per cell (the cell's top-level names from a parse of the cell alone)",
    before: `    function convert(prevDecl, src) {
        updateContent(prevDecl, src);
        let declsFile = builder.getSourceFile(declFilename);
        let srcFile = builder.getSourceFile(srcFilename);
        const locals = srcFile.locals;
        const keys = new Set();
        if (locals) {
            locals.forEach((_, key) => {
                keys.add(key);
            });
        }
        if (keys.size > 0) {
            // Export all local variables.
            // TODO: Disallow "export" in the input.
            const suffix = "\\nexport {" + Array.from(keys).join(", ") + "}";
            updateContent(prevDecl, src + suffix);
            declsFile = builder.getSourceFile(declFilename);
            srcFile = builder.getSourceFile(srcFilename);
        }`,
    after: `    function convert(prevDecl, src) {
        // The cell's top-level names, from a parse and bind of the cell alone (the binder is what gives
        // the program's copy its locals): the program is then built once per cell, not twice.
        const cellFile = ts.createSourceFile(srcFilename, srcPrefix + src, transpileTarget);
        ts.bindSourceFile(cellFile, builder.getProgram().getCompilerOptions());
        const locals = cellFile.locals;
        const keys = new Set();
        if (locals) {
            locals.forEach((_, key) => {
                keys.add(key);
            });
        }
        // Export all local variables.
        updateContent(prevDecl, keys.size > 0 ? src + "\\nexport {" + Array.from(keys).join(", ") + "}" : src);
        let declsFile = builder.getSourceFile(declFilename);
        let srcFile = builder.getSourceFile(srcFilename);`,
  },
];

class PatchError extends Error {}

/** The files the patch edits, each with the marker its patched copy carries. */
const FILES = { 'jupyter.js': MARKER, 'executor.js': EXECUTOR_MARKER, 'converter.js': CONVERTER_MARKER };

/**
 * The patched text of tslab's dist/<file>; the text unchanged when it is already patched.
 * Throws a PatchError naming the edit whose snippet is missing or repeated.
 */
function patchedFile(file, text) {
  const marker = FILES[file];
  if (text.includes(marker)) return text;
  let result = text;
  // patched by an earlier version of this script: back to the released text first (each edit undone)
  for (const old of OLD_MARKERS[file] || []) {
    if (!result.includes(old)) continue;
    result = result.replace(`${old}\n`, '');
    for (const edit of [...EDITS].reverse())
      if ((edit.file || 'jupyter.js') === file && result.includes(edit.after))
        result = result.replace(edit.after, edit.before);
  }
  for (const { what, before, after } of EDITS.filter((edit) => (edit.file || 'jupyter.js') === file)) {
    const first = result.indexOf(before);
    if (first < 0 || result.indexOf(before, first + 1) >= 0) {
      throw new PatchError(
        `tslab's dist/${file} does not contain the code the patch "${what}" expects exactly once; is node_modules/tslab version ${TSLAB_VERSION}? Run npm ci and the set-up again.`,
      );
    }
    result = result.slice(0, first) + after + result.slice(first + before.length);
  }
  return result.replace('"use strict";\n', `"use strict";\n${marker}\n`);
}

/** The patched text of tslab's dist/jupyter.js (edits 1–3); see patchedFile. */
function patchedJupyterJs(text) {
  return patchedFile('jupyter.js', text);
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
  // every file is checked before any is written, so a mismatch leaves tslab as it was
  const changed = Object.keys(FILES).flatMap((name) => {
    const file = path.join(dir, 'dist', name);
    const text = fs.readFileSync(file, 'utf8');
    const patched = patchedFile(name, text);
    return patched === text ? [] : [[file, patched]];
  });
  for (const [file, patched] of changed) fs.writeFileSync(file, patched);
  return changed.length ? 'patched' : 'already patched';
}

module.exports = {
  patchTslab,
  patchedJupyterJs,
  patchedFile,
  PatchError,
  MARKER,
  EXECUTOR_MARKER,
  CONVERTER_MARKER,
  OLD_MARKERS,
  EDITS,
  TSLAB_VERSION,
};

if (require.main === module) {
  try {
    process.stderr.write(`tslab: ${patchTslab(process.argv[2] ? path.resolve(process.argv[2]) : undefined)}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/*
 * A lock file that holds one process's claim on a resource (for `npm run notebooks`: the database
 * and the report folder): JSON with the holder's PID, host, start time and what it holds. Created
 * with a hard link, so it exists whole or not at all; a lock whose process has died is taken over.
 * Written here because the npm packages for it (proper-lockfile, lockfile) hold locks by mtime
 * refreshes and say nothing about which process holds them.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Whether a process with this PID runs (one of another user's counts). */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The holder recorded in a lock file, or null when there is none or it cannot be read. */
function readLock(file) {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/** Create `file` holding `content` only if it does not exist, never leaving it half written. */
function createExclusive(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if (error.code === 'EEXIST') throw error;
    fs.writeFileSync(file, content, { flag: 'wx' }); // a file system without hard links
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Take the lock `file` for this process: { file } when taken (`tookOverFrom` names a dead holder
 * whose lock was taken over), { busy: holder } when a live process holds it.
 */
function acquireLock(file, what) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const content = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString(), what });
  let tookOverFrom = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      createExclusive(file, content);
      return { file, tookOverFrom };
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const holder = readLock(file);
    if (holder && holder.pid !== process.pid && isAlive(holder.pid)) return { busy: holder };
    // A dead holder's lock (or an unreadable one): move it aside, then check that what was moved is
    // still that dead lock and not one a third run took in the meantime.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch (error) {
      if (error.code === 'ENOENT') continue;
      throw error;
    }
    const moved = readLock(aside);
    if (moved && moved.pid !== process.pid && isAlive(moved.pid)) {
      try {
        fs.linkSync(aside, file);
      } catch {
        /* it took another lock meanwhile: it is busy either way */
      }
      fs.rmSync(aside, { force: true });
      return { busy: moved };
    }
    fs.rmSync(aside, { force: true });
    tookOverFrom = holder;
  }
  return { busy: readLock(file) || { pid: 'unknown' } };
}

/** Remove the lock taken by acquireLock, if this process still holds it. */
function releaseLock(lock) {
  if (lock && lock.file && readLock(lock.file)?.pid === process.pid) fs.rmSync(lock.file, { force: true });
}

module.exports = { acquireLock, releaseLock, readLock };

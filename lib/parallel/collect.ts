/**
 * Collecting this thread's garbage now. Typed arrays on SharedArrayBuffers (the pool's arrays: a
 * sample's Gower matrix is 200 MB at 10,000 rows) are counted by no V8 statistic, so a thread that
 * lets go of them collects them only when its heap fills for other reasons, and they pile up under
 * the next step's arrays. Written here because Node offers `gc()` only behind a flag, which
 * `v8.setFlagsFromString` turns on.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs a full garbage collection on this thread; false when no collector could be called (the
 * memory then goes back at the next collection).
 * @example collectGarbage() // true
 */
export function collectGarbage(): boolean {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    return true;
  } catch {
    return false;
  }
}

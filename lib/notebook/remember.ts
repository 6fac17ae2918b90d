/**
 * Results a notebook kernel keeps between runs of a cell, so that re-running cells after a change
 * of one parameter (notebook 03's `K`) redoes only what depends on it: a step whose inputs are the
 * same, value for value, returns what it returned last time instead of computing it again.
 *
 * The key is a SHA-1 of the inputs' contents (typed arrays byte for byte, arrays and plain objects
 * field by field), never their identity, so a cell re-run above that makes equal inputs still hits,
 * and any change of a value misses. One result is kept per name (the last), so memory stays bounded.
 * Written here because memoising libraries key on identity or on JSON (which a 10,000-row
 * Float64Array makes slow and large).
 */
import { createHash, Hash } from 'node:crypto';

const kept = new Map<string, { key: string; value: unknown }>();

/** Feeds a value's contents into the hash, with its kind, so that [1, 2] and '1,2' differ. */
function feed(hash: Hash, value: unknown, depth = 0): void {
  if (depth > 20) throw new Error('remember: the inputs are nested too deeply (more than 20 levels).');
  if (ArrayBuffer.isView(value)) {
    hash.update(`${value.constructor.name}:${value.byteLength}:`);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (Array.isArray(value)) {
    hash.update(`[${value.length}:`);
    for (const item of value) feed(hash, item, depth + 1);
    hash.update(']');
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    hash.update(`{${keys.length}:`);
    for (const key of keys) {
      hash.update(`${JSON.stringify(key)}=`);
      feed(hash, (value as Record<string, unknown>)[key], depth + 1);
    }
    hash.update('}');
  } else if (typeof value === 'function' || typeof value === 'symbol') {
    throw new Error(`remember: an input is a ${typeof value}; give the values the step depends on.`);
  } else {
    hash.update(`${typeof value}:${String(value)};`);
  }
}

/**
 * The content key of some inputs (hex SHA-1).
 * @example inputsKey([new Float64Array([1, 2]), 42]) === inputsKey([Float64Array.of(1, 2), 42]) // true
 */
export function inputsKey(inputs: readonly unknown[]): string {
  const hash = createHash('sha1');
  feed(hash, inputs);
  return hash.digest('hex');
}

/**
 * `compute()`, or the value it returned the last time `remember` was called with this name and
 * inputs of the same contents. The inputs must be everything the result depends on (values,
 * typed arrays, arrays and plain objects of them: no functions).
 * @param name what is kept (one result per name)
 * @example
 * const map = sc.remember('t-SNE of the tracks', [z.data, SEED], () => sc.tsne(z, { seed: SEED }));
 * // run again with the same z and SEED: the same map at once
 */
export function remember<T>(name: string, inputs: readonly unknown[], compute: () => T): T {
  if (typeof name !== 'string' || name === '') throw new Error('remember needs a name for what it keeps.');
  if (!Array.isArray(inputs)) throw new Error('remember needs its inputs as an array, e.g. [z, SEED].');
  const key = inputsKey(inputs);
  const last = kept.get(name);
  if (last && last.key === key) return last.value as T;
  kept.delete(name); // the old result can go before the new one is made
  const value = compute();
  kept.set(name, { key, value });
  return value;
}

/**
 * Whether `remember` holds a result for this name and inputs (the next call will not compute).
 * @example isRemembered('t-SNE of the tracks', [z.data, SEED]) // true after the first run
 */
export function isRemembered(name: string, inputs: readonly unknown[]): boolean {
  return kept.get(name)?.key === inputsKey(inputs);
}

/** Forgets every kept result (or the one of this name). @example forget() */
export function forget(name?: string): void {
  if (name === undefined) kept.clear();
  else kept.delete(name);
}

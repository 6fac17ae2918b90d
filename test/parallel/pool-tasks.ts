/**
 * Chunk functions for the pool tests (compiled beside them, so the workers can load them).
 */
import { isMainThread, threadId } from 'node:worker_threads';

/** Writes chunk²  and this thread's id to the chunk's slots; counts the calls of each chunk. */
export function squareChunk(
  args: { out: Float64Array; calls: Int32Array; threads: Int32Array; spinMs: number },
  chunk: number,
): void {
  const until = Date.now() + args.spinMs;
  while (Date.now() < until) {
    // busy: keeps the calling thread from taking every chunk before a worker starts
  }
  args.out[chunk] = chunk * chunk;
  args.threads[chunk] = threadId;
  Atomics.add(args.calls, chunk, 1);
}

/** Throws on chunk `failAt`, with a message naming it. */
export function failingChunk(args: { failAt: number }, chunk: number): void {
  if (chunk === args.failAt) throw new Error(`Chunk ${chunk} cannot be computed.`);
}

/**
 * Sums a block of 1/(1 + i) in order and writes it to the chunk's slot: the chunk boundaries depend
 * only on n, so the combined sum is the same whatever the thread count.
 */
export function partialSumChunk(args: { n: number; block: number; sums: Float64Array }, chunk: number): void {
  let sum = 0;
  const end = Math.min(args.n, (chunk + 1) * args.block);
  for (let i = chunk * args.block; i < end; i++) sum += 1 / (1 + i) + Math.sin(i) * 1e-3;
  args.sums[chunk] = sum;
}

/** Spins `spinMs` per chunk on the calling thread; a worker thread that takes a chunk exits with code 7. */
export function exitingChunk(args: { spinMs: number }): void {
  if (!isMainThread) process.exit(7);
  const until = Date.now() + args.spinMs;
  while (Date.now() < until) {
    // busy, so a worker has time to take a chunk
  }
}

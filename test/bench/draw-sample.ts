/**
 * Draws a benchmark sample as test/bench/inputs.ts describes and writes it (run by `benchmarkSample`
 * in a child process, since the loader is asynchronous and the benchmarks call it synchronously).
 *
 *   node build/test/bench/draw-sample.js SOURCE SIZE CSV
 */
import { drawSample, writeSample } from './inputs';

async function main(): Promise<void> {
  const [source, size, csv] = process.argv.slice(2);
  writeSample(csv, await drawSample(source, Number(size)));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

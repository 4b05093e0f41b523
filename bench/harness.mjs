// Shared bench helpers: a tinybench run with settings for quick (CI smoke) or full mode, and a
// table that shows ops/s and the ratio of each task to a named baseline task from the same run.
import { Bench } from 'tinybench';

export const QUICK = process.env.BENCH_QUICK === '1';

export function createBench() {
  return QUICK ? new Bench({ time: 50, warmupTime: 10 }) : new Bench({ time: 1500, warmupTime: 300 });
}

function hz(task) {
  const r = task.result;
  if (!r) return 0;
  // tinybench 4+ reports throughput.mean; older versions hz.
  return r.throughput?.mean ?? r.hz ?? 0;
}

/**
 * Runs the bench and prints one row per task: ops/s and the ratio to `pairs[task] = baseline`.
 * Returns { name: opsPerSecond }.
 */
export async function runAndReport(bench, pairs = {}) {
  await bench.run();
  const byName = Object.fromEntries(bench.tasks.map((t) => [t.name, hz(t)]));
  const rows = bench.tasks.map((t) => {
    const base = pairs[t.name];
    return {
      task: t.name,
      'ops/s': Math.round(byName[t.name]).toLocaleString('en-US'),
      'vs baseline': base ? `${(byName[t.name] / byName[base]).toFixed(2)}x ${base}` : '',
    };
  });
  console.table(rows);
  return byName;
}

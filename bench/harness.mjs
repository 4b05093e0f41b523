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
 * Runs the bench `rounds` times (tasks interleave across rounds, so a burst of noise from the other
 * core does not land on one task only) and prints one row per task: the median ops/s and the ratio
 * to `pairs[task] = baseline`. Returns { name: medianOpsPerSecond }.
 */
export async function runAndReport(bench, pairs = {}, rounds = QUICK ? 1 : 3) {
  const samples = new Map(bench.tasks.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    await bench.run();
    for (const t of bench.tasks) samples.get(t.name).push(hz(t));
  }
  const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const byName = Object.fromEntries([...samples].map(([name, values]) => [name, median(values)]));
  const rows = bench.tasks.map((t) => {
    const base = pairs[t.name];
    return {
      task: t.name,
      'ops/s (median)': Math.round(byName[t.name]).toLocaleString('en-US'),
      'vs baseline': base ? `${(byName[t.name] / byName[base]).toFixed(2)}x ${base}` : '',
    };
  });
  console.table(rows);
  if (QUICK) console.log('(BENCH_QUICK=1: a smoke run without warm-up; the ratios are not meaningful)');
  return byName;
}

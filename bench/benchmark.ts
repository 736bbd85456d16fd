/** One table of results printed by `npm run bench`. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: Array<Array<string | number>>;
  /** Lines printed under the table (what was measured, targets). */
  notes?: string[];
}

/** A named benchmark module: `bench/run.ts` lists them and runs one or all. */
export interface Benchmark {
  name: string;
  /** Runs the measurements, reporting progress through `log`, and returns the tables to print. */
  run(log: (line: string) => void): Promise<BenchTable[]>;
}

/** The value at quantile `q` (0..1) of `samples` (sorted in place). */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
}

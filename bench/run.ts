// `npm run bench [-- <name>]`: runs every benchmark listed here (or only the named one) and
// prints each one's results as a table. Add a benchmark by adding a line to BENCHMARKS.
import { Benchmark, BenchTable } from './benchmark';

const BENCHMARKS: Array<{ name: string; load: () => Promise<Benchmark> }> = [
  { name: 'event-store', load: async () => (await import('./event-store.bench')).eventStoreBenchmark },
  { name: 'http', load: async () => (await import('./http.bench')).httpBenchmark },
  { name: 'read-side', load: async () => (await import('./read-side.bench')).readSideBenchmark },
  { name: 'commands', load: async () => (await import('./commands.bench')).commandsBenchmark },
];

function formatCell(value: string | number): string {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value) || Number.isInteger(value))
    return Math.abs(value) >= 1000 ? value.toLocaleString('en-US') : String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

function printTable(table: BenchTable): void {
  const cells = table.rows.map((row) => row.map(formatCell));
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...cells.map((row) => row[i].length)),
  );
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i])).join('  ');
  console.log(`\n${table.title}`);
  console.log(line(table.columns));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells) console.log(line(row));
  for (const note of table.notes ?? []) console.log(`  ${note}`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const selected = BENCHMARKS.filter((benchmark) => only === undefined || benchmark.name === only);
  if (selected.length === 0) {
    console.error(`Unknown benchmark "${only}"; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  for (const entry of selected) {
    const benchmark = await entry.load();
    console.log(`== ${benchmark.name}`);
    const tables = await benchmark.run((message) => console.log(`   ${message}`));
    tables.forEach(printTable);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

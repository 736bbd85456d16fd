/**
 * Writes the API's schema to schema.graphql at the project root:
 * `node scripts/run-ts.mjs test/schema/print-schema.ts`. The schema test fails until it is rerun after
 * a schema change, so the committed file always shows what the server serves.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiSchema, printSorted } from './schema-sdl';

async function main(): Promise<void> {
  const file = join(__dirname, '..', '..', 'schema.graphql');
  writeFileSync(file, printSorted(await buildApiSchema()));
  process.stdout.write(`wrote ${file}\n`);
}

void main();

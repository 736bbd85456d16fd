/**
 * Building a read model's indexes in MongoDB (mongodb-indexes.ts says which): one `createIndexes` for
 * the collection; an index whose definition changed since it was built (same name or keys, other
 * options) is dropped and built again, since read models are derived data.
 */
import { MongoServerError, type Collection } from 'mongodb';
import type { IndexSpec, ReadDocument } from '../../../application/ports/read-store.port';
import { indexName } from './mongodb-indexes';

const INDEX_OPTIONS_CONFLICT = 85;
const INDEX_KEY_SPECS_CONFLICT = 86;
/** What `listIndexes` shows of an index this engine declares: anything else is an option it never sets. */
const DECLARED_INDEX_FIELDS: ReadonlySet<string> = new Set(['v', 'key', 'name', 'ns', 'unique']);

interface IndexDefinition {
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
}

/** Runs one step against the server (the store's retries around it). */
export type IndexStep = <T>(operation: () => Promise<T>) => Promise<T>;

/** Builds `specs` on `target`, rebuilding those whose definition changed; `run` retries each step. */
export async function buildIndexes(
  target: Collection<ReadDocument>,
  specs: readonly IndexSpec[],
  run: IndexStep,
): Promise<void> {
  if (specs.length === 0) return;
  const definitions: IndexDefinition[] = specs.map((spec) => ({
    key: spec.key,
    name: indexName(spec),
    ...(spec.unique ? { unique: true } : {}),
  }));
  try {
    await run(() => target.createIndexes(definitions));
  } catch (error) {
    const conflict =
      error instanceof MongoServerError &&
      (error.code === INDEX_OPTIONS_CONFLICT || error.code === INDEX_KEY_SPECS_CONFLICT);
    if (!conflict) throw error;
    await rebuildChangedIndexes(target, definitions, run);
  }
}

async function rebuildChangedIndexes(
  target: Collection<ReadDocument>,
  definitions: IndexDefinition[],
  run: IndexStep,
): Promise<void> {
  const existing = await run(() => target.listIndexes().toArray());
  const dropped = new Set<string>();
  for (const definition of definitions) {
    // Same name or same keys, but not the same index: other keys, or other options (unique, sparse, a
    // partial filter, a collation… anything beyond what this engine declares).
    const clashes = existing.filter(
      (index) =>
        index.name !== '_id_' &&
        (index.name === definition.name || JSON.stringify(index.key) === JSON.stringify(definition.key)) &&
        (index.name !== definition.name ||
          JSON.stringify(index.key) !== JSON.stringify(definition.key) ||
          (index.unique === true) !== (definition.unique === true) ||
          Object.keys(index).some((option) => !DECLARED_INDEX_FIELDS.has(option))),
    );
    for (const clash of clashes) {
      const name = String(clash.name);
      if (dropped.has(name)) continue;
      dropped.add(name);
      await run(() => target.dropIndex(name));
    }
  }
  await run(() => target.createIndexes(definitions));
}

/**
 * Rebuilding the read models (domain.md §7: they can be dropped and rebuilt at any time and come out
 * identical): every projector is run over the whole event store into fresh collections, in batches,
 * while the live ones keep serving. Then, with the live projection held, the events appended meanwhile
 * are applied too and the fresh collections replace the live ones. The live projection resumes from its
 * own checkpoint; the events the fresh collections already hold are no-ops there (revision guard).
 */
import type { EventStore, RecordedEvent } from '../application/ports/event-store.port';
import { rebuildCollectionName, type ReadStore } from '../application/ports/read-store.port';
import { ProjectorRoutes } from './apply-now';
import { BatchWriter } from './batch-writer';
import { READ_MODEL_FILTER, type Projector } from './projector';

export interface RebuildPlan {
  events: EventStore;
  store: ReadStore;
  projectors: readonly Projector[];
  /** Makes the fresh collections' names unique. */
  generation: number;
  batchSize: number;
  /** Applies one event with every projector (with the runner's retries): when the plain-code road cannot. */
  apply(event: RecordedEvent, writer: BatchWriter): Promise<void>;
  /** Runs the swap while the live projection is held. */
  switchOver(swap: () => Promise<void>): Promise<void>;
}

export async function rebuildReadModels(plan: RebuildPlan): Promise<void> {
  const { store, projectors, generation } = plan;
  const collections = projectors.flatMap((projector) => Object.entries(projector.collections));
  const fresh = (collection: string): string => rebuildCollectionName(collection, generation);
  for (const [collection, indexes] of collections) {
    await store.dropCollection(fresh(collection));
    await store.ensureIndexes(fresh(collection), indexes);
  }
  // The fresh collections are empty and only this writer fills them, so it answers every read itself.
  const writer = new BatchWriter(store, { rename: fresh, complete: true });
  const routes = new ProjectorRoutes(projectors);
  try {
    let last = await applyFrom(plan, routes, writer, null);
    await plan.switchOver(async () => {
      last = await applyFrom(plan, routes, writer, last);
      for (const [collection] of collections) await store.renameCollection(fresh(collection), collection);
    });
  } catch (error) {
    for (const [collection] of collections) await store.dropCollection(fresh(collection));
    throw error;
  }
}

/** Applies every ticket event after `after` (all of them when null); resolves the last position applied. */
async function applyFrom(
  plan: RebuildPlan,
  routes: ProjectorRoutes,
  writer: BatchWriter,
  after: bigint | null,
): Promise<bigint | null> {
  let last = after;
  let pending = 0;
  const all = plan.events.readAll({ fromPosition: after ?? 'start', filter: READ_MODEL_FILTER });
  for await (const event of all) {
    if (after !== null && event.position <= after) continue;
    if (!routes.applyNow(event, writer)) await plan.apply(event, writer);
    last = event.position;
    if (++pending >= plan.batchSize) {
      await writer.flush();
      pending = 0;
    }
  }
  await writer.flush();
  return last;
}

/**
 * The one place that chooses the store adapters from the configuration (runtime.md "Configuration"):
 * EVENTSTORE_URL set → EventStoreDB, else the embedded event store under DATA_DIR; MONGODB_URL set →
 * MongoDB, else the embedded read store. Adding an adapter is one line in each table below.
 */
import type { EventStore } from '../../application/ports/event-store.port';
import type { ReadStore } from '../../application/ports/read-store.port';
import type { Config } from '../config/config';
import { EmbeddedEventStore } from '../event-store/embedded/embedded-event-store';
import { EmbeddedReadStore } from '../read-store/embedded/embedded-read-store';

/** Opens the event store the configuration names. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreUrl !== null) {
    throw new Error('EVENTSTORE_URL is set, but this build has no EventStoreDB adapter');
  }
  return EmbeddedEventStore.open(config.dataDir);
}

/** Opens the read store the configuration names. */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.mongodbUrl !== null) {
    throw new Error('MONGODB_URL is set, but this build has no MongoDB adapter');
  }
  return new EmbeddedReadStore();
}

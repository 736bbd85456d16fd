/**
 * The one place that chooses the store adapters from the configuration (runtime.md "Configuration"):
 * EVENTSTORE_URL set → EventStoreDB, else the embedded event store under DATA_DIR; MONGODB_URL set →
 * MongoDB, else the embedded read store.
 */
import type { EventStore } from '../../application/ports/event-store.port';
import type { ReadStore } from '../../application/ports/read-store.port';
import type { Config } from '../config/config';
import { EmbeddedEventStore } from '../event-store/embedded/embedded-event-store';
import { EventStoreDbClient } from '../event-store/eventstoredb/eventstoredb-client';
import { EventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store';
import { EmbeddedReadStore } from '../read-store/embedded/embedded-read-store';
import { createMongoReadStore } from '../read-store/mongodb/mongodb-read-store';

/** Opens the event store the configuration names. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreUrl !== null) {
    return new EventStoreDbEventStore(EventStoreDbClient.fromConnectionString(config.eventStoreUrl));
  }
  return EmbeddedEventStore.open(config.dataDir);
}

/** Opens the read store the configuration names. */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.mongodbUrl !== null) return createMongoReadStore(config.mongodbUrl, config.mongodbDb);
  return new EmbeddedReadStore();
}

/** Both stores of the configuration. */
export interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
}

/** Opens both stores; if the read store cannot be opened, the event store is closed again (its lock released). */
export async function openStores(config: Config): Promise<Stores> {
  const eventStore = await openEventStore(config);
  try {
    return { eventStore, readStore: await openReadStore(config) };
  } catch (error) {
    await eventStore.close().catch(() => undefined);
    throw error;
  }
}

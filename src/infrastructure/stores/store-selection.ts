/**
 * The one place that chooses the store adapters from the configuration (runtime.md "Configuration"):
 * EVENTSTORE_URL set → EventStoreDB, else the embedded event store under DATA_DIR; MONGODB_URL set →
 * MongoDB, else the embedded read store.
 */
import { Logger } from '@nestjs/common';
import type { EventStore } from '../../application/ports/event-store.port';
import type { ReadStore } from '../../application/ports/read-store.port';
import { StoreUnavailable } from '../../application/ports/store-unavailable';
import type { Config } from '../config/config';
import { withoutCredentials } from '../config/config-parsers';
import { EmbeddedEventStore } from '../event-store/embedded/embedded-event-store';
import { createEventStoreDbEventStore } from '../event-store/eventstoredb/eventstoredb-event-store';
import { EmbeddedReadStore } from '../read-store/embedded/embedded-read-store';
import { createMongoReadStore } from '../read-store/mongodb/mongodb-read-store';

/** Opens the event store the configuration names. */
export async function openEventStore(config: Config): Promise<EventStore> {
  if (config.eventStoreUrl !== null) {
    // The configuration checked the string with the client's own parser; what remains (a certificate
    // file that cannot be read after all) is reported naming EVENTSTORE_URL.
    return createEventStoreDbEventStore(config.eventStoreUrl);
  }
  return EmbeddedEventStore.open(config.dataDir).catch((error: unknown) => {
    // The lock's refusal names DATA_DIR and says why already; a file-system error does not.
    throw naming('DATA_DIR', `cannot use "${config.dataDir}"`, error);
  });
}

const logger = new Logger('Stores');
/** How long a start waits for MongoDB before it says so. */
const MONGODB_WAIT_NOTICE_MS = 2_000;

/** Opens the read store the configuration names. */
export async function openReadStore(config: Config): Promise<ReadStore> {
  if (config.mongodbUrl !== null) {
    const where = withoutCredentials(config.mongodbUrl);
    // The driver tries for about half a minute before giving up: say what the start is waiting for.
    const waiting = setTimeout(
      () => logger.warn(`Waiting for MongoDB at ${where} (MONGODB_URL); the start gives up after about 30 s`),
      MONGODB_WAIT_NOTICE_MS,
    );
    try {
      return await createMongoReadStore(config.mongodbUrl, config.mongodbDb);
    } catch (error) {
      throw naming('MONGODB_URL', `cannot reach MongoDB at ${where}`, error);
    } finally {
      clearTimeout(waiting);
    }
  }
  return new EmbeddedReadStore();
}

/** The error with the variable it concerns in front (kept as it is when it names it already). */
function naming(variable: string, what: string, error: unknown): Error {
  const message =
    error instanceof StoreUnavailable && error.cause instanceof Error ? error.cause.message : describe(error);
  if (message.startsWith(variable) || message.includes(`${variable} `)) return error as Error;
  return new Error(`${variable}: ${what}: ${message}`, { cause: error });
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Both stores of the configuration. */
export interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
}

/**
 * Opens both stores; if the read store cannot be opened, the event store is closed again (its lock
 * released). `stop` (a signal during start-up) ends the wait for the read store at once — a MongoDB out of
 * reach is otherwise waited for about half a minute — and closes what was opened.
 */
export async function openStores(config: Config, stop?: AbortSignal): Promise<Stores> {
  const eventStore = await openEventStore(config);
  try {
    stop?.throwIfAborted();
    return { eventStore, readStore: await unlessStopped(openReadStore(config), stop) };
  } catch (error) {
    await eventStore.close().catch(() => undefined);
    throw error;
  }
}

/** The store being opened, or a rejection as soon as `stop` fires (the store is closed if it opens later). */
function unlessStopped(opening: Promise<ReadStore>, stop: AbortSignal | undefined): Promise<ReadStore> {
  if (stop === undefined) return opening;
  return new Promise<ReadStore>((resolve, reject) => {
    const onStop = (): void => {
      reject(stop.reason);
      opening.then((store) => store.close()).catch(() => undefined);
    };
    stop.addEventListener('abort', onStop, { once: true });
    opening.then(resolve, reject).finally(() => stop.removeEventListener('abort', onStop));
  });
}

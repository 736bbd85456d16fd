import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { CATALOG } from '../../application/ports/catalog.port';
import { CLOCK, monotonicClock } from '../../application/ports/clock.port';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { IDS, uuidIds } from '../../application/ports/ids.port';
import { READ_STORE, type ReadStore } from '../../application/ports/read-store.port';
import { TICKET_POLICY } from '../../application/ports/ticket-policy.port';
import type { Config } from '../config/config';
import { APP_CONFIG } from './app-config.token';
import { openStores, type Stores } from './store-selection';

const STORES = Symbol('Stores');

/** The ports every layer shares, resolved from the configuration. */
const storeProviders = (config: Config, startUpStop?: AbortSignal): Provider[] => [
  { provide: APP_CONFIG, useValue: config },
  { provide: STORES, useFactory: () => openStores(config, startUpStop) },
  { provide: EVENT_STORE, useFactory: (stores: Stores) => stores.eventStore, inject: [STORES] },
  { provide: READ_STORE, useFactory: (stores: Stores) => stores.readStore, inject: [STORES] },
  {
    provide: CLOCK,
    useFactory: () =>
      monotonicClock(Date.now, (ms) =>
        new Logger('Clock').warn(
          `The system clock stepped back ${Math.round(ms / 1000)} s: times follow it (steps of a minute or less are held)`,
        ),
      ),
  },
  { provide: IDS, useValue: uuidIds },
  { provide: TICKET_POLICY, useValue: config.policy },
  { provide: CATALOG, useValue: config.catalog },
];

const EXPORTED_TOKENS = [APP_CONFIG, EVENT_STORE, READ_STORE, CLOCK, IDS, TICKET_POLICY, CATALOG];

/**
 * The stores and the other ports with one implementation (clock, ids, policy, catalog), global so that the
 * command side, the projections and the queries all get the same instances. The stores are opened
 * while the app is built and closed last, after everything that uses them has stopped.
 */
@Global()
@Module({})
export class StoresModule implements OnApplicationShutdown {
  private readonly logger = new Logger('Stores');

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  /** `startUpStop`: aborted when the process is told to stop while the stores are being opened. */
  static forConfig(config: Config, startUpStop?: AbortSignal): DynamicModule {
    return { module: StoresModule, providers: storeProviders(config, startUpStop), exports: EXPORTED_TOKENS };
  }

  /** Runs after every module's onModuleDestroy/beforeApplicationShutdown: projections have stopped by now. */
  async onApplicationShutdown(): Promise<void> {
    const results = await Promise.allSettled([this.readStore.close(), this.eventStore.close()]);
    for (const result of results) {
      if (result.status === 'rejected') this.logger.error(`Closing a store failed: ${String(result.reason)}`);
    }
  }
}

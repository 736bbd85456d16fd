import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { PROJECTION_STATUS, type ProjectionStatus } from '../../application/ports/projection-status.port';
import { READ_STORE, type ReadStore } from '../../application/ports/read-store.port';

/** How long a store may take to answer the probe before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 2000;
/** A stream no one writes: reading it proves the event store answers. */
const PROBE_STREAM = 'health-probe';

export interface HealthBody {
  status: 'ok' | 'unavailable';
  reason?: string;
  projections: ReturnType<ProjectionStatus['health']>;
  eventStore: 'ok' | 'unreachable';
  readStore: 'ok' | 'unreachable';
}

/**
 * GET /health (runtime.md "Health"), without authentication: 200 once both stores answer and the
 * projections have caught up with the event store after start; 503 with the reason otherwise.
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(PROJECTION_STATUS) private readonly projections: ProjectionStatus,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  @Get('health')
  async health(@Res() reply: FastifyReply): Promise<void> {
    const readStoreConnection = connectionOf(this.readStore);
    const [eventStoreProbe, readStore] = await Promise.all([
      probe(() => this.eventStore.readStream(PROBE_STREAM, { maxCount: 1 })),
      // A store that follows its own connection (MongoDB) says at once that it is away.
      readStoreConnection?.connected === false
        ? ('unreachable' as const)
        : probe((signal) => this.readStore.ping(signal)),
    ]);
    // Read after the probe, which refreshes it: an event store that follows its connection and
    // subscriptions (EventStoreDB) is away while a subscription is down, even if reads answer.
    const eventStoreConnection = connectionOf(this.eventStore);
    const eventStore =
      eventStoreProbe === 'ok' && eventStoreConnection?.connected !== false ? 'ok' : 'unreachable';
    const projections = this.projections.health();
    const reason =
      eventStore !== 'ok'
        ? `event store unreachable${eventStoreConnection?.reason ? `: ${eventStoreConnection.reason}` : ''}`
        : readStore !== 'ok'
          ? `read store unreachable${readStoreConnection?.reason ? `: ${readStoreConnection.reason}` : ''}`
          : projections.status === 'failed'
            ? `projection failed: ${projections.reason ?? 'unknown reason'}`
            : projections.status !== 'ok' || !projections.caughtUp
              ? 'projections are still catching up with the event store'
              : undefined;
    const body: HealthBody = {
      status: reason ? 'unavailable' : 'ok',
      ...(reason ? { reason } : {}),
      projections,
      eventStore,
      readStore,
    };
    await reply
      .code(reason ? 503 : 200)
      .header('cache-control', 'no-store')
      .send(body);
  }
}

/** The connection state of a store adapter that follows one (`health()`), or undefined. */
function connectionOf(store: object): { connected: boolean; reason?: string } | undefined {
  const health = (store as { health?: unknown }).health;
  return typeof health === 'function'
    ? (health.call(store) as { connected: boolean; reason?: string })
    : undefined;
}

/** Runs `call`, 'unreachable' when it fails or takes longer than PROBE_TIMEOUT_MS (its signal then aborts). */
async function probe(call: (signal: AbortSignal) => Promise<unknown>): Promise<'ok' | 'unreachable'> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unreachable'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`));
      resolve('unreachable');
    }, PROBE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([call(controller.signal).then(() => 'ok' as const), timeout]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health's answer for each state of the stores and the projections. */
import type { FastifyReply } from 'fastify';
import type { EventStore } from '../../src/application/ports/event-store.port';
import type { ProjectionHealth, ProjectionStatus } from '../../src/application/ports/projection-status.port';
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { HealthController } from '../../src/infrastructure/http/health.controller';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function healthOf(
  projection: ProjectionHealth,
  stores: {
    eventStore?: () => Promise<unknown>;
    readStore?: () => Promise<unknown>;
    /** An event store that follows its connection and subscriptions (EventStoreDB's `health()`). */
    eventStoreConnection?: () => { connected: boolean; reason?: string };
  } = {},
): Promise<Answer> {
  const projections = { health: () => projection } as unknown as ProjectionStatus;
  const eventStore = {
    readStream: stores.eventStore ?? (async () => []),
    ...(stores.eventStoreConnection ? { health: stores.eventStoreConnection } : {}),
  } as unknown as EventStore;
  const readStore = { ping: stores.readStore ?? (async () => undefined) } as unknown as ReadStore;
  const answer: Answer = { status: 0, body: {} };
  const reply = {
    code(status: number) {
      answer.status = status;
      return reply;
    },
    header: () => reply,
    async send(body: Record<string, unknown>) {
      answer.body = body;
    },
  };
  await new HealthController(projections, eventStore, readStore).health(reply as unknown as FastifyReply);
  return answer;
}

const OK: ProjectionHealth = { status: 'ok', caughtUp: true, checkpoint: '42' };

describe('HealthController', () => {
  it('answers 200 ok when the stores answer and the projections have caught up', async () => {
    const answer = await healthOf(OK);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok', eventStore: 'ok', readStore: 'ok', projections: OK });
  });

  it('answers 503 while the projections are catching up', async () => {
    const answer = await healthOf({ status: 'starting', caughtUp: false, checkpoint: null });
    expect(answer.status).toBe(503);
    expect(answer.body.reason).toMatch(/catching up/);
  });

  it('answers 503 with the reason when a projection failed', async () => {
    const answer = await healthOf({
      status: 'failed',
      caughtUp: true,
      checkpoint: '7',
      reason: 'bad event at 7',
    });
    expect(answer.status).toBe(503);
    expect(answer.body.reason).toBe('projection failed: bad event at 7');
  });

  it('answers 503 when a store does not answer', async () => {
    const down = await healthOf(OK, { eventStore: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ reason: 'event store unreachable', eventStore: 'unreachable' });
    const readDown = await healthOf(OK, { readStore: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(readDown.body).toMatchObject({ reason: 'read store unreachable', readStore: 'unreachable' });
  });

  it("answers 503 with the event store's own reason while its subscription is down, even if reads answer", async () => {
    let connection: { connected: boolean; reason?: string } = {
      connected: false,
      reason: 'EventStoreDB subscription dropped: Connection dropped',
    };
    const down = await healthOf(OK, { eventStoreConnection: () => connection });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      reason: 'event store unreachable: EventStoreDB subscription dropped: Connection dropped',
      eventStore: 'unreachable',
    });
    connection = { connected: true };
    const back = await healthOf(OK, { eventStoreConnection: () => connection });
    expect(back).toMatchObject({ status: 200, body: { status: 'ok', eventStore: 'ok' } });
  });

  it('consults the event store connection after the probe, which refreshes it', async () => {
    let connected = false;
    const answer = await healthOf(OK, {
      eventStore: async () => {
        connected = true;
        return [];
      },
      eventStoreConnection: () => (connected ? { connected } : { connected, reason: 'a failed append' }),
    });
    expect(answer.status).toBe(200);
  });
});

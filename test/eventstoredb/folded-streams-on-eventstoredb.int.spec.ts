import { randomUUID } from 'node:crypto';
import { EventStoreDBClient } from '@eventstore/db-client';
import { NotFound } from '../../src/application/errors';
import { ticketStreamName } from '../../src/domain/ticket.events';
import {
  createEventStoreDbEventStore,
  type EventStoreDbEventStore,
} from '../../src/infrastructure/event-store/eventstoredb/eventstoredb-event-store';
import { AGENT, createTicket, newRunner, REQUESTER } from '../application/support';
import {
  startEventStoreTestServer,
  type EventStoreTestServer,
} from '../support/eventstoredb/event-store-test-server';

/**
 * The command side keeps what it folded (FoldedStreams); an operator deleting a ticket's stream in
 * EventStoreDB must not leave it alive in a running server's memory.
 */
describe('kept folds on EventStoreDB (protocol test server)', () => {
  let server: EventStoreTestServer;
  let store: EventStoreDbEventStore;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await startEventStoreTestServer();
    store = createEventStoreDbEventStore(server.url);
    client = EventStoreDBClient.connectionString(server.url);
  });
  afterAll(async () => {
    await client.dispose();
    await store.close();
    await server.stop();
  });

  const comment = (body: string) => ({ kind: 'AddComment' as const, commentId: randomUUID(), body });

  it.each([
    ['deleted', (name: string) => client.deleteStream(name)],
    ['tombstoned', (name: string) => client.tombstoneStream(name)],
  ])('answers a ticket whose stream was %s as not found, as before it was kept', async (_, remove) => {
    const runner = newRunner(store);
    const ticketId = randomUUID();
    await runner.run({ ticketId, actor: REQUESTER, command: createTicket(ticketId) });
    const kept = await runner.run({ ticketId, actor: AGENT, command: comment('kept in memory') });
    expect(kept.version).toBe(1);

    await remove(ticketStreamName(ticketId));

    await expect(runner.run({ ticketId, actor: AGENT, command: comment('after') })).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(await store.readStream(ticketStreamName(ticketId))).toEqual([]);
  });
});

/**
 * A mutation whose events are stored while the read models cannot show them (here: the projection
 * stopped on an event it cannot apply) still answers with the change, folded from the ticket's events,
 * rather than INTERNAL: the write succeeded, and an error would make the client send it again.
 */
import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EVENT_STORE, type EventStore } from '../../src/application/ports/event-store.port';
import { ReadModelsNotReady } from '../../src/application/ports/projection-status.port';
import { READ_STORE, type ReadStore } from '../../src/application/ports/read-store.port';
import { ticketStreamName } from '../../src/domain/ticket.events';
import { loadConfig } from '../../src/infrastructure/config/config';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { createApp, listen, type CreateAppOptions } from '../../src/infrastructure/http/create-app';
import { GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, callers, milesTicket } from './support/fixtures';
import { makeDataDir, removeDataDir, TEST_JWT_SECRET, tokenFor } from './support/test-app';

/** The app on embedded stores in `dataDir`, with a short read-your-writes bound. */
async function bootOn(
  dataDir: string,
  logger: CreateAppOptions['logger'] = ['fatal'],
): Promise<{ app: NestFastifyApplication; url: string }> {
  const loaded = loadConfig({
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    AUTO_CLOSE_INTERVAL_MS: '0',
    READ_YOUR_WRITES_TIMEOUT_MS: '300',
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const app = await createApp(loaded.config, { logger });
  return { app, url: await listen(app, '127.0.0.1', 0) };
}

describe('mutations while the read models cannot show them', () => {
  const dataDir = makeDataDir();
  const who = callers();
  let app: NestFastifyApplication;
  let url: string;
  let agent: GraphqlClient;

  const warnings: string[] = [];
  const quiet = () => undefined;
  const collecting = {
    log: quiet,
    error: quiet,
    fatal: quiet,
    warn: (message: unknown) => warnings.push(String(message)),
  };

  beforeAll(async () => {
    ({ app, url } = await bootOn(dataDir, collecting));
    agent = new GraphqlClient(url, tokenFor(who.agent));
  });
  afterAll(async () => {
    await app.close();
    removeDataDir(dataDir);
  });

  it('answers each mutation with its change, from the events, once the projection has stopped', async () => {
    const before = await agent.ok(CREATE_TICKET, { input: milesTicket('Before the stop') });
    const ticketId = before.createTicket.ticket.id as string;
    // An event the projection cannot apply (a comment without its fields) stops it, loudly.
    const events = app.get<EventStore>(EVENT_STORE);
    await events.appendToStream(ticketStreamName(ticketId), [
      {
        id: randomUUID(),
        type: 'CommentAdded',
        data: { occurredAt: new Date().toISOString() },
        metadata: {},
      },
    ]);
    for (let i = 0; ; i++) {
      const health = await fetch(`${url}/health`);
      if (health.status === 503 && /failed/.test(await health.text())) break;
      if (i > 200) throw new Error('the projection did not stop');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const created = await agent.send(CREATE_TICKET, { input: milesTicket('After the stop') });
    expect(created.errors).toBeUndefined();
    const ticket = (created.data as { createTicket: { ticket: Record<string, unknown> } }).createTicket
      .ticket;
    expect(ticket).toMatchObject({ subject: 'After the stop', status: 'NEW', version: 0 });
    expect(ticket.number).toBe((before.createTicket.ticket.number as number) + 1);

    const commented = await agent.send(
      'mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id version comments { body } } } }',
      { i: { ticketId: ticket.id, body: 'Still answered' } },
    );
    expect(commented.errors).toBeUndefined();
    expect(commented.data).toEqual({
      addComment: { ticket: { id: ticket.id, version: 1, comments: [{ body: 'Still answered' }] } },
    });

    // Every mutation came this way while the projection was stopped: one warning said so, not one each
    // (a stalled read store wrote 5,425 such lines in a review).
    for (let i = 0; i < 5; i++) {
      const more = await agent.send(CREATE_TICKET, { input: milesTicket(`Also after the stop ${i}`) });
      expect(more.errors).toBeUndefined();
    }
    expect(warnings.filter((line) => /could not show position/.test(line))).toHaveLength(1);
  });
});

describe('a mutation whose read-back the read store refuses', () => {
  const dataDir = makeDataDir();
  const who = callers();
  let app: NestFastifyApplication;
  let agent: GraphqlClient;

  beforeAll(async () => {
    let url: string;
    ({ app, url } = await bootOn(dataDir));
    agent = new GraphqlClient(url, tokenFor(who.agent));
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app.close();
    removeDataDir(dataDir);
  });

  it('answers the change from its events when the store came back without the read models', async () => {
    const created = await agent.ok(CREATE_TICKET, { input: milesTicket('Read back refused') });
    const ticketId = created.createTicket.ticket.id as string;
    // What the MongoDB store answers after a lost connection to a server that came back empty; the
    // projection has applied the event by then, so read-your-writes waited successfully.
    const store = app.get<ReadStore>(READ_STORE);
    const lost = () => Promise.reject(new ReadModelsNotReady('lost'));
    jest.spyOn(store, 'get').mockImplementation(lost);
    jest.spyOn(store, 'find').mockImplementation(lost);
    const commented = await agent.send(
      'mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id version comments { body } } } }',
      { i: { ticketId, body: 'Made, and said so' } },
    );
    expect(commented.errors).toBeUndefined();
    expect(commented.data).toEqual({
      addComment: { ticket: { id: ticketId, version: 1, comments: [{ body: 'Made, and said so' }] } },
    });
    // A query is told to try again, not shown a ticket that is not there.
    const asked = await agent.send('query($id: ID) { ticket(id: $id) { id } }', { id: ticketId });
    expect(asked.errors?.[0]).toMatchObject({
      message: expect.stringContaining('answered without the read models'),
      extensions: { code: 'INTERNAL' },
    });
  });
});

describe('queries before the read models have caught up after a start', () => {
  const dataDir = makeDataDir();
  let app: NestFastifyApplication;
  let url: string;
  let agent: GraphqlClient;

  beforeAll(async () => {
    // A store whose first event the projection cannot apply: the read models never catch up.
    const events = await EmbeddedEventStore.open(dataDir, { warn: () => undefined });
    const ticket = { id: randomUUID(), type: 'CommentAdded', data: { occurredAt: new Date().toISOString() } };
    await events.appendToStream(ticketStreamName(randomUUID()), [{ ...ticket, metadata: {} }]);
    await events.close();
    const booted = await bootOn(dataDir);
    app = booted.app;
    url = booted.url;
    agent = new GraphqlClient(booted.url, tokenFor(callers().agent));
  });
  afterAll(async () => {
    await app.close();
    removeDataDir(dataDir);
  });

  it('answer INTERNAL saying the read models are not restored, instead of a partial list', async () => {
    // They stopped on that event: the answer says so (it said "still being restored", as if waiting helped).
    for (let i = 0; ; i++) {
      const health = await fetch(`${url}/health`);
      if (health.status === 503 && /failed/.test(await health.text())) break;
      if (i > 200) throw new Error('the projection did not stop');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    for (const query of [
      '{ tickets { totalCount } }',
      '{ ticketStats(groupBy: [STATUS]) { count } }',
      '{ couponRequests { totalCount } }',
      `{ ticket(id: "${randomUUID()}") { id } }`,
    ]) {
      const error = await agent.error(query);
      expect(error.extensions?.code).toBe('INTERNAL');
      expect(error.message).toMatch(/read models stopped before they were restored.*GET \/health says why/);
    }
    // What does not read the read models still answers.
    expect(await agent.ok('{ me { id } }')).toEqual({ me: { id: expect.stringMatching(/^agent_/) } });
  });
});

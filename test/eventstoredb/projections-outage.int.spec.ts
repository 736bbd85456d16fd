/**
 * The read models across an EventStoreDB outage: the app runs over the real client against the
 * protocol test server, the server goes away while comments are being written and the projection
 * subscription is live, /health turns red with the event store's reason, and once the server is
 * back the projections resume: every ticket's read model holds every event of its stream once.
 */
import { randomUUID } from 'node:crypto';
import { CREATE_TICKET, TICKET_FIELDS, callers, milesTicket } from '../e2e/support/fixtures';
import { type Data, GraphqlClient } from '../e2e/support/graphql-client';
import { bootApp, makeDataDir, removeDataDir, tokenFor, type RunningApp } from '../e2e/support/test-app';
import {
  startEventStoreTestServer,
  type EventStoreTestServer,
} from '../support/eventstoredb/event-store-test-server';

const TICKETS = 4;
const COMMENTS_BEFORE = 2;
const COMMENTS_IN_FLIGHT = 8;
const COMMENTS_AFTER = 2;

const ADD_COMMENT = `mutation($i: AddCommentInput!) { addComment(input: $i) { commandId ticket { id } } }`;
const READ_MODEL = `query($id: ID) { ticket(id: $id) { ${TICKET_FIELDS} history {
  revision eventType ... on CommentAddedEvent { comment { id body } } } } }`;
const FOLDED = `query($id: ID!, $at: DateTime!) { ticketAsOf(id: $id, at: $at) { ${TICKET_FIELDS} } }`;
const OWN_TICKETS = `query($r: ID) { tickets(filter: { requesterId: $r }, first: 100) { totalCount nodes { id } } }`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` answers a value (the outage and the recovery are asynchronous by nature). */
async function until<T>(what: string, check: () => Promise<T | undefined>, limitMs = 30_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await pause(25);
  }
}

interface Health {
  status: number;
  body: { status: string; reason?: string; eventStore: string };
}

async function healthOf(app: RunningApp): Promise<Health> {
  const response = await fetch(`${app.url}/health`);
  return { status: response.status, body: (await response.json()) as Health['body'] };
}

/** Polls /health until it answers `status`; a timeout names what it answered last. */
async function healthTurns(app: RunningApp, status: number): Promise<Health> {
  let last: Health | undefined;
  try {
    return await until(`/health to answer ${status}`, async () => {
      last = await healthOf(app);
      return last.status === status ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}; it answered ${JSON.stringify(last)}`);
  }
}

describe('Projections across an EventStoreDB outage', () => {
  const who = callers();
  let server: EventStoreTestServer;
  let dataDir: string;
  let app: RunningApp;
  let requester: GraphqlClient;
  let supervisor: GraphqlClient;

  beforeAll(async () => {
    server = await startEventStoreTestServer();
    dataDir = makeDataDir();
    app = await bootApp({ DATA_DIR: dataDir, EVENTSTORE_URL: server.url });
    requester = new GraphqlClient(app.url, tokenFor(who.requester));
    supervisor = requester.as(tokenFor(who.supervisor));
  });

  afterAll(async () => {
    await app?.close();
    await server?.stop();
    if (dataDir) removeDataDir(dataDir);
  });

  /**
   * Writes a comment, repeating it with the same commandId until the engine answers: a try
   * that met the outage may or may not have been stored, and the repeat appends nothing new.
   */
  async function comment(ticketId: string, body: string): Promise<void> {
    const input = { ticketId, body, commandId: randomUUID(), internal: body.endsWith('0') };
    await until(`comment "${body}" to be stored`, async () => {
      const result = await supervisor.send(ADD_COMMENT, { i: input }).catch(() => undefined);
      return result?.data && !result.errors?.length ? true : undefined;
    });
  }

  it('resumes from where they were and applies every event exactly once', async () => {
    const ticketIds: string[] = [];
    const written = new Map<string, string[]>();
    for (let n = 0; n < TICKETS; n++) {
      const created: Data = await requester.ok(CREATE_TICKET, { input: milesTicket(`Outage ${n}`) });
      const id = created.createTicket.ticket.id as string;
      ticketIds.push(id);
      written.set(id, []);
    }
    const write = async (id: string, body: string) => {
      await comment(id, body);
      written.get(id)?.push(body);
    };
    for (const id of ticketIds) {
      for (let n = 0; n < COMMENTS_BEFORE; n++) await write(id, `before ${n}`);
    }

    // Comments keep coming on every ticket while the server goes away under the live subscription.
    const inFlight = Promise.all(
      ticketIds.map(async (id) => {
        for (let n = 0; n < COMMENTS_IN_FLIGHT; n++) await write(id, `in flight ${n}`);
      }),
    );
    const total = () => [...written.values()].reduce((sum, bodies) => sum + bodies.length, 0);
    await until('some in-flight comments', async () =>
      total() >= TICKETS * COMMENTS_BEFORE + TICKETS ? true : undefined,
    );
    await server.stopListening();

    const outage = await healthTurns(app, 503);
    expect(outage.body).toMatchObject({ status: 'unavailable', eventStore: 'unreachable' });
    expect(outage.body.reason).toMatch(/^event store unreachable: EventStoreDB /);

    await server.startListening();
    await inFlight;
    for (const id of ticketIds) {
      for (let n = 0; n < COMMENTS_AFTER; n++) await write(id, `after ${n}`);
    }

    const recovered = await healthTurns(app, 200);
    expect(recovered.body).toMatchObject({ status: 'ok', eventStore: 'ok' });

    const own: Data = await supervisor.ok(OWN_TICKETS, { r: who.requester.sub });
    expect(own.tickets.totalCount).toBe(TICKETS);
    expect((own.tickets.nodes as Data[]).map((node) => node.id).sort()).toEqual([...ticketIds].sort());

    const at = new Date(Date.now() + 60_000).toISOString();
    for (const id of ticketIds) {
      const { ticket }: Data = await supervisor.ok(READ_MODEL, { id });
      const { history, ...readModel } = ticket as Data;
      const events = history as Data[];
      const storedComments = events.filter((event) => event.eventType === 'CommentAdded');
      const expectedBodies = written.get(id) ?? [];

      // The stream: revisions 0..n without gaps, each comment stored once despite the repeats.
      expect(events.map((event) => event.revision)).toEqual(events.map((_, revision) => revision));
      expect(storedComments.map((event) => event.comment.body).sort()).toEqual([...expectedBodies].sort());

      // The read model: every event of the stream, once.
      expect(readModel.version).toBe(events.length - 1);
      expect(readModel.commentCount).toBe(expectedBodies.length);
      expect((readModel.comments as Data[]).map((c) => c.id)).toEqual(
        storedComments.map((e) => e.comment.id),
      );

      // And the same ticket as the domain folds it from its events.
      const { ticketAsOf: folded }: Data = await supervisor.ok(FOLDED, { id, at });
      expect(readModel).toEqual(folded);
    }
  }, 120_000);
});

import { CommandSucceededEvent, Document, Long, MongoClient, MongoServerError } from 'mongodb';
import { MongoTestServer, startMongoTestServer } from '../support/mongodb/server';

interface CursorReply {
  id: unknown;
  firstBatch?: Document[];
  nextBatch?: Document[];
}

/** The `cursor` part of each successful reply to the named command, as the driver received it. */
function cursorsOf(events: CommandSucceededEvent[], commandName: string): CursorReply[] {
  return events
    .filter((event) => event.commandName === commandName)
    .map((event) => (event.reply as { cursor: CursorReply }).cursor);
}

describe('MongoDB test server cursors', () => {
  let server: MongoTestServer;
  let client: MongoClient;
  const replies: CommandSucceededEvent[] = [];

  beforeAll(async () => {
    server = await startMongoTestServer({ port: 0 });
    client = new MongoClient(server.url, { monitorCommands: true, promoteLongs: false });
    client.on('commandSucceeded', (event) => replies.push(event));
    await client.connect();
    await client
      .db('cursors')
      .collection('events')
      .insertMany(Array.from({ length: 25 }, (_, position) => ({ position })));
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  beforeEach(() => {
    replies.length = 0;
  });

  it('serves a result across getMore batches under a 64-bit cursor id', async () => {
    const events = client.db('cursors').collection('events');
    const positions = await events
      .find({}, { batchSize: 4 })
      .sort({ position: -1 })
      .map((event) => event.position)
      .toArray();
    expect(positions).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));

    const [find] = cursorsOf(replies, 'find');
    expect(Long.isLong(find.id) && find.id.high).toBeGreaterThan(0);
    const getMores = cursorsOf(replies, 'getMore');
    expect(getMores.map((cursor) => cursor.nextBatch?.length)).toEqual([4, 4, 4, 4, 4, 1]);
    expect(
      getMores.slice(0, 5).every((cursor) => Long.isLong(cursor.id) && cursor.id.equals(find.id as Long)),
    ).toBe(true);
    expect(Long.isLong(getMores[5].id) && getMores[5].id.isZero()).toBe(true);
  });

  it('closes the cursor after the last batch when a limit is reached', async () => {
    const events = client.db('cursors').collection('events');
    const firstSeven = await events.find({ position: { $lt: 20 } }, { batchSize: 3, limit: 7 }).toArray();
    expect(firstSeven.map((event) => event.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('kills a cursor with killCursors, after which getMore reports CursorNotFound', async () => {
    const db = client.db('cursors');
    const opened = await db.command({ find: 'events', batchSize: 2 });
    const id = opened.cursor.id as Long;
    expect(opened.cursor.firstBatch).toHaveLength(2);

    const killed = await db.command({ killCursors: 'events', cursors: [id] });
    expect(killed.cursorsKilled.map(String)).toEqual([id.toString()]);

    const failure = await db.command({ getMore: id, collection: 'events' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect((failure as MongoServerError).code).toBe(43);
  });

  it('closes a driver cursor that was not drained with killCursors', async () => {
    const cursor = client.db('cursors').collection('events').find({}, { batchSize: 2 });
    await cursor.next();
    await cursor.close();
    const kill = replies.find((event) => event.commandName === 'killCursors');
    expect((kill?.reply as Document | undefined)?.cursorsKilled).toHaveLength(1);
  });

  it('keeps showing an open cursor the documents as they were when it was opened', async () => {
    const tickets = client.db('cursors').collection('snapshot');
    await tickets.insertMany(Array.from({ length: 6 }, (_, n) => ({ n, state: 'open' })));
    const cursor = tickets.find({}, { batchSize: 2 }).sort({ n: 1 });
    const first = await cursor.next();

    await tickets.updateMany({}, { $set: { state: 'closed' } });
    await tickets.deleteMany({ n: { $gte: 4 } });
    await tickets.insertOne({ n: 99, state: 'new' });

    const rest = await cursor.toArray();
    expect([first, ...rest].map((ticket) => `${ticket?.n}:${ticket?.state}`)).toEqual([
      '0:open',
      '1:open',
      '2:open',
      '3:open',
      '4:open',
      '5:open',
    ]);
    expect(
      await tickets
        .find({})
        .sort({ n: 1 })
        .map((ticket) => `${ticket.n}:${ticket.state}`)
        .toArray(),
    ).toEqual(['0:closed', '1:closed', '2:closed', '3:closed', '99:new']);
  });
});

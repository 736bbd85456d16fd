import { Harness, KeyedDocument, serverFailure, startHarness, stopHarness } from './harness';

describe('MongoDB test server indexes and collections', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('indexes');
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it('rejects a duplicate on a unique index with code 11000, keyPattern and keyValue', async () => {
    const agents = harness.db.collection<KeyedDocument>('agents');
    expect(await agents.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
    await agents.insertOne({ _id: 1, email: 'ana@example.com' });
    const failure = await serverFailure(agents.insertOne({ _id: 2, email: 'ana@example.com' }));
    expect(failure.code).toBe(11000);
    expect(failure.message).toBe(
      'E11000 duplicate key error collection: indexes.agents index: email_1 dup key: { email: "ana@example.com" }',
    );
    expect(failure.keyPattern).toEqual({ email: 1 });
    expect(failure.keyValue).toEqual({ email: 'ana@example.com' });
    expect(await agents.countDocuments()).toBe(1);
  });

  it('treats equal numbers of different BSON types as the same key', async () => {
    const sequences = harness.db.collection<{ _id: string; value: number | bigint }>('sequences');
    await sequences.createIndex({ value: 1 }, { unique: true });
    await sequences.insertOne({ _id: 'int64', value: 5n });
    const failure = await serverFailure(sequences.insertOne({ _id: 'int32', value: 5 }));
    expect(failure.code).toBe(11000);
  });

  it('always enforces a unique _id', async () => {
    const agents = harness.db.collection<KeyedDocument>('ids');
    await agents.insertOne({ _id: 'same' });
    const failure = await serverFailure(agents.insertOne({ _id: 'same' }));
    expect(failure.code).toBe(11000);
    expect(failure.keyValue).toEqual({ _id: 'same' });
  });

  it('treats each array element as a key of a multikey unique index', async () => {
    const aliases = harness.db.collection<{ _id: number; names: string[] }>('aliases');
    await aliases.createIndex({ names: 1 }, { unique: true, name: 'unique_names' });
    await aliases.insertOne({ _id: 1, names: ['ana', 'anna'] });
    await aliases.insertOne({ _id: 2, names: ['bob', 'bob'] });
    const failure = await serverFailure(aliases.insertOne({ _id: 3, names: ['carl', 'anna'] }));
    expect(failure.keyValue).toEqual({ names: 'anna' });
    const onUpdate = await serverFailure(aliases.updateOne({ _id: 2 }, { $push: { names: 'ana' } }));
    expect(onUpdate.code).toBe(11000);
    expect((await aliases.findOne({ _id: 2 }))?.names).toEqual(['bob', 'bob']);
  });

  it('enforces compound unique keys on the combination of fields', async () => {
    const seats = harness.db.collection<KeyedDocument>('seats');
    await seats.createIndex({ flight: 1, seat: 1 }, { unique: true });
    await seats.insertMany([
      { flight: 'AF1', seat: '1A' },
      { flight: 'AF1', seat: '1B' },
      { flight: 'AF2', seat: '1A' },
    ]);
    const failure = await serverFailure(seats.insertOne({ flight: 'AF1', seat: '1B' }));
    expect(failure.keyPattern).toEqual({ flight: 1, seat: 1 });
    expect(failure.keyValue).toEqual({ flight: 'AF1', seat: '1B' });
    expect(failure.message).toContain('index: flight_1_seat_1 dup key: { flight: "AF1", seat: "1B" }');
  });

  it('enforces unique indexes on upserts and findOneAndUpdate', async () => {
    const handles = harness.db.collection<KeyedDocument>('handles');
    await handles.createIndex({ handle: 1 }, { unique: true });
    await handles.insertOne({ _id: 1, handle: 'ana' });
    const upsert = await serverFailure(
      handles.updateOne({ _id: 2 }, { $set: { handle: 'ana' } }, { upsert: true }),
    );
    expect(upsert.code).toBe(11000);
    await handles.insertOne({ _id: 3, handle: 'bob' });
    const modify = await serverFailure(handles.findOneAndUpdate({ _id: 3 }, { $set: { handle: 'ana' } }));
    expect(modify.code).toBe(11000);
    expect(modify.keyValue).toEqual({ handle: 'ana' });
  });

  it('lets documents without the field share a sparse unique index, and honours partial filters', async () => {
    const badges = harness.db.collection<KeyedDocument>('badges');
    await badges.createIndex({ badge: 1 }, { unique: true, sparse: true });
    await badges.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, badge: 'x' }]);
    await badges.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await badges.insertMany([
      { _id: 4, code: 'c', active: false },
      { _id: 5, code: 'c', active: true },
    ]);
    const failure = await serverFailure(badges.insertOne({ _id: 6, code: 'c', active: true }));
    expect(failure.code).toBe(11000);
  });

  it('fails to build a unique index over existing duplicates', async () => {
    const dupes = harness.db.collection<KeyedDocument>('dupes');
    await dupes.insertMany([{ v: 1 }, { v: 1 }]);
    const failure = await serverFailure(dupes.createIndex({ v: 1 }, { unique: true }));
    expect(failure.code).toBe(11000);
    expect((await dupes.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
  });

  it('lists and drops indexes', async () => {
    const routes = harness.db.collection<KeyedDocument>('routes');
    await routes.createIndexes([{ key: { from: 1, to: 1 }, name: 'by_route' }, { key: { updatedAt: -1 } }]);
    expect(await routes.listIndexes().toArray()).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { from: 1, to: 1 }, name: 'by_route' },
      { v: 2, key: { updatedAt: -1 }, name: 'updatedAt_-1' },
    ]);
    expect(await routes.indexExists('by_route')).toBe(true);
    await routes.dropIndex('by_route');
    expect((await routes.indexes()).map((index) => index.name)).toEqual(['_id_', 'updatedAt_-1']);
    expect((await serverFailure(routes.dropIndex('nope'))).code).toBe(27);
    await routes.dropIndexes();
    expect((await routes.indexes()).map((index) => index.name)).toEqual(['_id_']);
    expect((await serverFailure(harness.db.collection<KeyedDocument>('never').dropIndex('x'))).code).toBe(26);
  });

  it('creates, lists and drops collections and databases', async () => {
    const db = harness.client.db('lifecycle');
    await db.createCollection('views');
    await db.collection('events').insertOne({ at: 1 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray())
      .map((entry) => entry.name)
      .sort();
    expect(names).toEqual(['events', 'views']);
    const [described] = await db.listCollections({ name: 'events' }).toArray();
    expect(described).toMatchObject({ name: 'events', type: 'collection', idIndex: { name: '_id_' } });

    expect(await db.collection('views').drop()).toBe(true);
    expect((await db.listCollections().toArray()).map((entry) => entry.name)).toEqual(['events']);

    const databases = await harness.client.db('admin').admin().listDatabases();
    expect(databases.databases.map((database) => database.name)).toContain('lifecycle');
    await db.dropDatabase();
    expect(await db.listCollections().toArray()).toEqual([]);
  });

  it('answers an unknown command with CommandNotFound (59)', async () => {
    const failure = await serverFailure(harness.db.command({ nosuch: 1 }));
    expect(failure.code).toBe(59);
    expect(failure.codeName).toBe('CommandNotFound');
    expect(failure.message).toBe("no such command: 'nosuch'");
  });
});

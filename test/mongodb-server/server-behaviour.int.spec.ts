import { MongoClient } from 'mongodb';
import { Harness, KeyedDocument, serverFailure, startHarness, stopHarness } from './harness';

describe('MongoDB test server behaviour beyond plain CRUD', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('behaviour');
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it('performs unacknowledged (w: 0) writes, which the driver sends with moreToCome', async () => {
    const fireAndForget = harness.db.collection<KeyedDocument>('unacknowledged', { writeConcern: { w: 0 } });
    const result = await fireAndForget.insertOne({ _id: 1, note: 'no reply expected' });
    expect(result.acknowledged).toBe(false);
    expect(await harness.db.collection<KeyedDocument>('unacknowledged').findOne({ _id: 1 })).toEqual({
      _id: 1,
      note: 'no reply expected',
    });
  });

  it('renames a collection with its documents and indexes, replacing the target only with dropTarget', async () => {
    const staging = harness.db.collection<KeyedDocument>('staging');
    await staging.createIndex({ code: 1 }, { unique: true });
    await staging.insertMany([
      { _id: 1, code: 'a' },
      { _id: 2, code: 'b' },
    ]);
    await harness.db.collection<KeyedDocument>('live').insertOne({ _id: 9, code: 'old' });

    const refused = await serverFailure(staging.rename('live'));
    expect(refused.code).toBe(48);

    await staging.rename('live', { dropTarget: true });
    const live = harness.db.collection<KeyedDocument>('live');
    expect(await live.find().toArray()).toEqual([
      { _id: 1, code: 'a' },
      { _id: 2, code: 'b' },
    ]);
    expect((await live.indexes()).map((index) => index.name)).toEqual(['_id_', 'code_1']);
    expect((await serverFailure(live.insertOne({ _id: 3, code: 'a' }))).code).toBe(11000);
    expect(await harness.db.listCollections({ name: 'staging' }).toArray()).toEqual([]);
  });

  it('sorts strings with a collation', async () => {
    const names = harness.db.collection<KeyedDocument>('names');
    await names.insertMany([{ name: 'bob' }, { name: 'Ana' }, { name: 'carl' }, { name: 'ana' }]);
    const sorted = await names
      .find({}, { collation: { locale: 'en', strength: 1 }, projection: { _id: 0 } })
      .sort({ name: 1 })
      .toArray();
    expect(sorted.map((entry) => String(entry.name).toLowerCase())).toEqual(['ana', 'ana', 'bob', 'carl']);
  });

  it('refuses $merge rather than dropping its writes, and refuses transactions like a standalone mongod', async () => {
    const source = harness.db.collection<KeyedDocument>('merge-source');
    await source.insertOne({ _id: 1 });
    const merge = await serverFailure(source.aggregate([{ $merge: { into: 'merge-target' } }]).toArray());
    expect(merge.code).toBe(20);

    const session = harness.client.startSession();
    try {
      session.startTransaction();
      // The server answers IllegalOperation (20) as a standalone mongod does; the driver rewords that answer.
      const transaction = await serverFailure(source.insertOne({ _id: 2 }, { session }));
      expect(transaction.message).toMatch(/does not support retryable writes/);
    } finally {
      await session.endSession();
    }
    expect(await source.countDocuments()).toBe(1);
  });

  it('creates a collection on insert or upsert, not on writes that match nothing', async () => {
    const db = harness.client.db('implicit');
    await db.collection<KeyedDocument>('updated').updateOne({ _id: 1 }, { $set: { x: 1 } });
    await db.collection<KeyedDocument>('deleted').deleteMany({});
    await db.collection<KeyedDocument>('modified').findOneAndUpdate({ _id: 1 }, { $set: { x: 1 } });
    expect(await db.listCollections().toArray()).toEqual([]);

    await db
      .collection<KeyedDocument>('upserted')
      .updateOne({ _id: 1 }, { $set: { x: 1 } }, { upsert: true });
    await db.collection<KeyedDocument>('inserted').insertOne({ _id: 1 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((entry) => entry.name);
    expect(names.sort()).toEqual(['inserted', 'upserted']);
  });

  it('serves several clients at once from the same data', async () => {
    const second = new MongoClient(harness.server.url);
    try {
      await second.connect();
      await harness.db.collection<KeyedDocument>('shared').insertOne({ _id: 'from-first' });
      await second.db('behaviour').collection<KeyedDocument>('shared').insertOne({ _id: 'from-second' });
      const seen = await harness.db.collection<KeyedDocument>('shared').find().sort({ _id: 1 }).toArray();
      expect(seen.map((document) => document._id)).toEqual(['from-first', 'from-second']);
    } finally {
      await second.close();
    }
  });
});

import { MongoBulkWriteError } from 'mongodb';
import { Harness, KeyedDocument, startHarness, stopHarness } from './harness';

async function bulkFailure(action: Promise<unknown>): Promise<MongoBulkWriteError> {
  const outcome = await action.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof MongoBulkWriteError))
    throw new Error(`expected a MongoBulkWriteError, got ${String(outcome)}`);
  return outcome;
}

describe('MongoDB test server bulk writes', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('bulk');
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it('stops an ordered bulk write at the duplicate in the middle', async () => {
    const views = harness.db.collection<KeyedDocument>('ordered');
    const failure = await bulkFailure(
      views.bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 2 } } },
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 3 } } },
        ],
        { ordered: true },
      ),
    );
    expect(failure.code).toBe(11000);
    expect(failure.result.insertedCount).toBe(2);
    expect(failure.writeErrors).toMatchObject([{ index: 2, code: 11000 }]);
    expect(
      await views
        .find()
        .map((view) => view._id)
        .toArray(),
    ).toEqual([1, 2]);
  });

  it('carries on past the duplicate in an unordered bulk write', async () => {
    const views = harness.db.collection<KeyedDocument>('unordered');
    const failure = await bulkFailure(
      views.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }], { ordered: false }),
    );
    expect(failure.result.insertedCount).toBe(3);
    expect(failure.writeErrors).toMatchObject([{ index: 2, code: 11000 }]);
    expect(
      await views
        .find()
        .map((view) => view._id)
        .toArray(),
    ).toEqual([1, 2, 3]);
  });

  it('mixes inserts, updates, replacements with upsert and deletes in one bulk write', async () => {
    const projections = harness.db.collection<KeyedDocument>('projections');
    await projections.insertMany([
      { _id: 'a', revision: 1, state: 'open' },
      { _id: 'b', revision: 1, state: 'open' },
    ]);
    const result = await projections.bulkWrite([
      {
        replaceOne: {
          filter: { _id: 'a', revision: 1 },
          replacement: { revision: 2, state: 'pending' },
          upsert: true,
        },
      },
      { replaceOne: { filter: { _id: 'c' }, replacement: { revision: 1, state: 'open' }, upsert: true } },
      { updateMany: { filter: { state: 'open' }, update: { $set: { seen: true } } } },
      { updateOne: { filter: { _id: 'z' }, update: { $set: { state: 'new' } }, upsert: true } },
      { deleteOne: { filter: { _id: 'b' } } },
      { insertOne: { document: { _id: 'd', revision: 1 } } },
    ]);
    expect(result).toMatchObject({
      insertedCount: 1,
      matchedCount: 3,
      modifiedCount: 3,
      deletedCount: 1,
      upsertedCount: 2,
    });
    expect(result.upsertedIds).toEqual({ 1: 'c', 3: 'z' });
    expect(await projections.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'a', revision: 2, state: 'pending' },
      { _id: 'c', revision: 1, state: 'open', seen: true },
      { _id: 'd', revision: 1 },
      { _id: 'z', state: 'new' },
    ]);
  });

  it('reports a stale revision guard as a duplicate key when the upsert collides with the existing _id', async () => {
    const projections = harness.db.collection<KeyedDocument>('guarded');
    await projections.insertOne({ _id: 'a', revision: 3 });
    const failure = await bulkFailure(
      projections.bulkWrite([
        { replaceOne: { filter: { _id: 'a', revision: 2 }, replacement: { revision: 3 }, upsert: true } },
      ]),
    );
    expect(failure.code).toBe(11000);
    expect(failure.writeErrors).toMatchObject([{ index: 0, code: 11000 }]);
    expect(await projections.findOne({ _id: 'a' })).toEqual({ _id: 'a', revision: 3 });
  });
});

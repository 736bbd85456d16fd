import { Collection, MongoServerError } from 'mongodb';
import { Harness, startHarness, stopHarness } from './harness';

interface Ticket {
  _id: string;
  status?: string;
  revision?: number;
  tags?: string[];
  comments?: Array<{ by: string; text: string; hidden?: boolean }>;
  createdAt?: Date;
  counters?: { views: number };
  title?: string;
}

describe('MongoDB test server updates', () => {
  let harness: Harness;
  let tickets: Collection<Ticket>;

  beforeAll(async () => {
    harness = await startHarness('updates');
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  beforeEach(async () => {
    tickets = harness.db.collection<Ticket>('tickets');
    await tickets.deleteMany({});
    await tickets.insertMany([
      { _id: 't1', status: 'open', revision: 1, tags: ['a'], counters: { views: 0 } },
      { _id: 't2', status: 'open', revision: 4, tags: [], counters: { views: 5 } },
      { _id: 't3', status: 'closed', revision: 2 },
    ]);
  });

  it('updates one document with $set, $inc, $push and $unset', async () => {
    const result = await tickets.updateOne(
      { _id: 't1' },
      {
        $set: { status: 'pending' },
        $inc: { 'counters.views': 2, revision: 1 },
        $push: { tags: 'b' },
        $unset: { title: '' },
      },
    );
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await tickets.findOne({ _id: 't1' })).toEqual({
      _id: 't1',
      status: 'pending',
      revision: 2,
      tags: ['a', 'b'],
      counters: { views: 2 },
    });
  });

  it('updates many documents and counts as modified only those that really changed', async () => {
    const result = await tickets.updateMany({}, { $set: { status: 'open' } });
    expect(result).toMatchObject({ matchedCount: 3, modifiedCount: 1 });
    expect(await tickets.distinct('status')).toEqual(['open']);
  });

  it('replaces a document but keeps its _id, and refuses to change the _id', async () => {
    const result = await tickets.replaceOne({ _id: 't2' }, { title: 'replaced', revision: 5 });
    expect(result).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await tickets.findOne({ _id: 't2' })).toEqual({ _id: 't2', title: 'replaced', revision: 5 });

    const failure = await tickets
      .updateOne({ _id: 't3' }, { $set: { _id: 'other' } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect((failure as MongoServerError).code).toBe(66);
  });

  it('guards a replacement with a revision in the filter, upserting only when the document is new', async () => {
    const stale = await tickets.replaceOne({ _id: 't2', revision: 3 }, { revision: 4 }, { upsert: false });
    expect(stale.matchedCount).toBe(0);
    const fresh = await tickets.replaceOne({ _id: 't9' }, { revision: 1, status: 'open' }, { upsert: true });
    expect(fresh).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 't9' });
    expect(await tickets.findOne({ _id: 't9' })).toEqual({ _id: 't9', revision: 1, status: 'open' });
  });

  it('upserts from the filter equality fields and applies $setOnInsert only on insert', async () => {
    const createdAt = new Date('2026-01-02T03:04:05Z');
    const inserted = await tickets.updateOne(
      { _id: 't4', status: 'open' },
      { $inc: { revision: 1 }, $setOnInsert: { createdAt } },
      { upsert: true },
    );
    expect(inserted).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 't4' });
    expect(await tickets.findOne({ _id: 't4' })).toEqual({
      _id: 't4',
      status: 'open',
      revision: 1,
      createdAt,
    });

    const updated = await tickets.updateOne(
      { _id: 't4', status: 'open' },
      { $inc: { revision: 1 }, $setOnInsert: { createdAt: new Date(0) } },
      { upsert: true },
    );
    expect(updated).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await tickets.findOne({ _id: 't4' })).toEqual({
      _id: 't4',
      status: 'open',
      revision: 2,
      createdAt,
    });
  });

  it('generates an ObjectId for an upsert whose filter names no _id', async () => {
    const result = await harness.db
      .collection('counters')
      .updateOne({ name: 'tickets', 'scope.desk': 'north' }, { $inc: { value: 1 } }, { upsert: true });
    expect(result.upsertedId).toBeDefined();
    const counter = await harness.db.collection('counters').findOne({ name: 'tickets' });
    expect(counter).toEqual({ _id: result.upsertedId, name: 'tickets', scope: { desk: 'north' }, value: 1 });
  });

  it('adds each value once with $addToSet and $each', async () => {
    await tickets.updateOne({ _id: 't1' }, { $addToSet: { tags: { $each: ['a', 'b', 'b', 'c'] } } });
    expect((await tickets.findOne({ _id: 't1' }))?.tags).toEqual(['a', 'b', 'c']);
    const again = await tickets.updateOne({ _id: 't1' }, { $addToSet: { tags: 'c' } });
    expect(again.modifiedCount).toBe(0);
  });

  it('updates matching array elements with arrayFilters and the positional operator', async () => {
    await tickets.updateOne(
      { _id: 't3' },
      {
        $set: {
          comments: [
            { by: 'ana', text: 'one' },
            { by: 'bob', text: 'two' },
            { by: 'ana', text: 'three' },
          ],
        },
      },
    );
    await tickets.updateOne(
      { _id: 't3' },
      { $set: { 'comments.$[c].hidden': true } },
      { arrayFilters: [{ 'c.by': 'ana' }] },
    );
    await tickets.updateOne({ _id: 't3', 'comments.by': 'bob' }, { $set: { 'comments.$.text': 'edited' } });
    expect((await tickets.findOne({ _id: 't3' }))?.comments).toEqual([
      { by: 'ana', text: 'one', hidden: true },
      { by: 'bob', text: 'edited' },
      { by: 'ana', text: 'three', hidden: true },
    ]);
  });

  it('runs pipeline-style updates', async () => {
    await tickets.updateMany({ status: 'open' }, [{ $set: { title: { $concat: ['#', '$_id'] } } }]);
    expect(
      await tickets
        .find({ title: { $exists: true } })
        .map((ticket) => ticket.title)
        .toArray(),
    ).toEqual(['#t1', '#t2']);
  });

  it('finds and modifies, returning the document before or after', async () => {
    const before = await tickets.findOneAndUpdate(
      { status: 'open' },
      { $inc: { revision: 10 } },
      { sort: { revision: -1 } },
    );
    expect(before).toMatchObject({ _id: 't2', revision: 4 });
    const after = await tickets.findOneAndUpdate(
      { _id: 't1' },
      { $set: { status: 'closed' } },
      { returnDocument: 'after', projection: { status: 1 } },
    );
    expect(after).toEqual({ _id: 't1', status: 'closed' });
    expect(await tickets.findOneAndUpdate({ _id: 'none' }, { $set: { status: 'x' } })).toBeNull();
  });

  it('upserts with findOneAndUpdate and returns the new document', async () => {
    const created = await tickets.findOneAndUpdate(
      { _id: 't7' },
      { $set: { status: 'open' }, $setOnInsert: { revision: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(created).toEqual({ _id: 't7', status: 'open', revision: 1 });
    const metadata = await tickets.findOneAndUpdate(
      { _id: 't8' },
      { $set: { status: 'open' } },
      { upsert: true, includeResultMetadata: true },
    );
    expect(metadata.value).toBeNull();
    expect(metadata.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 't8' });
  });

  it('rejects an unknown update operator even when nothing matches', async () => {
    const unknownOperator = { $frobnicate: { title: 'x' } } as unknown as { $set: Partial<Ticket> };
    const failure = await tickets
      .updateOne({ _id: 'none' }, unknownOperator)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect((failure as MongoServerError).code).toBe(9);
    expect((failure as MongoServerError).message).toMatch(/^Unknown modifier: \$frobnicate/);
  });

  it('replaces and deletes with findOneAndReplace and findOneAndDelete', async () => {
    const replaced = await tickets.findOneAndReplace(
      { _id: 't3' },
      { status: 'archived' },
      { returnDocument: 'after' },
    );
    expect(replaced).toEqual({ _id: 't3', status: 'archived' });
    const deleted = await tickets.findOneAndDelete({ status: 'open' }, { sort: { revision: 1 } });
    expect(deleted?._id).toBe('t1');
    expect(await tickets.countDocuments()).toBe(2);
  });
});

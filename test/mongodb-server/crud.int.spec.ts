import { Binary, Decimal128, Long, ObjectId } from 'mongodb';
import { Harness, startHarness, stopHarness } from './harness';

interface Flight {
  _id?: ObjectId | number;
  code: string;
  seats: number;
  carrier: { name: string; alliance: string | null };
  tags?: string[];
}

describe('MongoDB test server: documents in and out through the real driver', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('crud');
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it('answers ping and reports a standalone primary to hello', async () => {
    expect(await harness.db.command({ ping: 1 })).toEqual({ ok: 1 });
    const hello = await harness.db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ ok: 1, isWritablePrimary: true, maxBsonObjectSize: 16 * 1024 * 1024 });
    expect(hello.setName).toBeUndefined();
    expect(hello.localTime).toBeInstanceOf(Date);
  });

  it('generates an ObjectId _id when the document has none and finds by it', async () => {
    const flights = harness.db.collection<Flight>('generated-ids');
    await harness.db.command({
      insert: 'generated-ids',
      documents: [{ code: 'AF1', seats: 1, carrier: { name: 'AF', alliance: null } }],
    });
    const stored = await flights.findOne({ code: 'AF1' });
    expect(stored?._id).toBeInstanceOf(ObjectId);
    expect(await flights.findOne({ _id: stored?._id })).toEqual(stored);
  });

  it('finds with filter, sort, skip, limit and projection', async () => {
    const flights = harness.db.collection<Flight>('flights');
    await flights.insertMany([
      {
        _id: 1,
        code: 'AF10',
        seats: 120,
        carrier: { name: 'Air France', alliance: 'SkyTeam' },
        tags: ['eu'],
      },
      {
        _id: 2,
        code: 'LH20',
        seats: 180,
        carrier: { name: 'Lufthansa', alliance: 'Star' },
        tags: ['eu', 'long'],
      },
      { _id: 3, code: 'BA30', seats: 150, carrier: { name: 'British', alliance: 'oneworld' } },
      { _id: 4, code: 'KL40', seats: 90, carrier: { name: 'KLM', alliance: 'SkyTeam' }, tags: ['eu'] },
      { _id: 5, code: 'EK50', seats: 300, carrier: { name: 'Emirates', alliance: null }, tags: ['long'] },
    ]);

    const bySeats = await flights
      .find({ seats: { $gte: 100 } })
      .sort({ seats: -1 })
      .skip(1)
      .limit(2)
      .toArray();
    expect(bySeats.map((flight) => flight.code)).toEqual(['LH20', 'BA30']);

    const compound = await flights
      .find({})
      .sort({ 'carrier.alliance': 1, seats: -1 })
      .project({ code: 1, _id: 0 })
      .toArray();
    // null sorts first; strings compare by bytes, so upper case comes before lower case.
    expect(compound).toEqual([
      { code: 'EK50' },
      { code: 'AF10' },
      { code: 'KL40' },
      { code: 'LH20' },
      { code: 'BA30' },
    ]);

    const nested = await flights.findOne(
      { tags: 'long', 'carrier.alliance': 'Star' },
      { projection: { 'carrier.name': 1 } },
    );
    expect(nested).toEqual({ _id: 2, carrier: { name: 'Lufthansa' } });

    const excluded = await flights.findOne({ _id: 3 }, { projection: { carrier: 0, tags: 0 } });
    expect(excluded).toEqual({ _id: 3, code: 'BA30', seats: 150 });

    expect(
      await flights
        .find({ code: { $in: ['AF10', 'KL40'] } })
        .map((flight) => flight._id)
        .toArray(),
    ).toEqual([1, 4]);
    expect(await flights.findOne({ code: /^ZZ/ })).toBeNull();
  });

  it('sorts mixed types in BSON comparison order and arrays by their smallest or largest element', async () => {
    const mixed = harness.db.collection<{ _id: string; v?: unknown }>('mixed-sort');
    await mixed.insertMany([
      { _id: 'date', v: new Date(0) },
      { _id: 'true', v: true },
      { _id: 'oid', v: new ObjectId('000000000000000000000001') },
      { _id: 'doc', v: { a: 1 } },
      { _id: 'string', v: 'abc' },
      { _id: 'big', v: Long.fromString('9007199254740993') },
      { _id: 'small', v: Long.fromString('9007199254740992') },
      { _id: 'number', v: -1.5 },
      { _id: 'null', v: null },
      { _id: 'missing' },
      { _id: 'array', v: [50, -5] },
    ]);
    const ascending = await mixed
      .find()
      .sort({ v: 1, _id: 1 })
      .map((document) => document._id)
      .toArray();
    expect(ascending).toEqual([
      'missing',
      'null',
      'array',
      'number',
      'small',
      'big',
      'string',
      'doc',
      'oid',
      'true',
      'date',
    ]);
    const descending = await mixed
      .find({ _id: { $in: ['array', 'big', 'number', 'small'] } })
      .sort({ v: -1 })
      .map((document) => document._id)
      .toArray();
    expect(descending).toEqual(['big', 'small', 'array', 'number']);
  });

  it('round-trips BSON types: Date, Long, ObjectId, Decimal128, Binary, nested documents, arrays and null', async () => {
    const values = harness.db.collection('bson-types');
    const document = {
      _id: new ObjectId(),
      at: new Date('2026-03-01T10:15:30.123Z'),
      big: Long.fromString('9223372036854775000'),
      price: Decimal128.fromString('1234.5678'),
      blob: new Binary(Buffer.from([1, 2, 3]), Binary.SUBTYPE_USER_DEFINED),
      nested: { list: [1, 'two', { three: [3] }], nothing: null },
      negative: -42,
      fraction: 0.25,
      flag: false,
    };
    await values.insertOne(document);
    const stored = await values.findOne({ _id: document._id }, { promoteLongs: false });
    expect(stored?.at).toEqual(document.at);
    expect(Long.isLong(stored?.big) && stored?.big.toString()).toBe('9223372036854775000');
    expect(stored?.price).toBeInstanceOf(Decimal128);
    expect(stored?.price.toString()).toBe('1234.5678');
    expect(stored?.blob.sub_type).toBe(Binary.SUBTYPE_USER_DEFINED);
    expect(Buffer.from(stored?.blob.buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(stored?.nested).toEqual(document.nested);
    expect([stored?.negative, stored?.fraction, stored?.flag]).toEqual([-42, 0.25, false]);
    expect(await values.countDocuments({ at: { $gt: new Date('2026-01-01') } })).toBe(1);
  });

  it('keeps int64 values as int64 while matching, sorting and incrementing them as numbers', async () => {
    const checkpoints = harness.db.collection<{ _id: string; position: bigint | number }>('checkpoints');
    await checkpoints.insertMany([
      { _id: 'nine', position: 9n },
      { _id: 'hundred', position: 100n },
      { _id: 'ten', position: 10 },
    ]);
    const asBigInt = { useBigInt64: true } as const;
    expect(await checkpoints.findOne({ _id: 'nine' }, asBigInt)).toEqual({ _id: 'nine', position: 9n });
    expect(await checkpoints.findOne({ position: 9 })).toEqual({ _id: 'nine', position: 9 });
    expect(
      await checkpoints
        .find({ position: { $gt: 9n } })
        .map((checkpoint) => checkpoint._id)
        .toArray(),
    ).toEqual(['hundred', 'ten']);
    const ordered = await checkpoints.find({}, asBigInt).sort({ position: -1 }).toArray();
    expect(ordered.map((checkpoint) => checkpoint._id)).toEqual(['hundred', 'ten', 'nine']);

    await checkpoints.updateOne({ _id: 'nine' }, { $inc: { position: 1 } });
    await checkpoints.updateOne({ _id: 'ten' }, { $max: { position: 11n } });
    expect(await checkpoints.find({}, asBigInt).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'hundred', position: 100n },
      { _id: 'nine', position: 10n },
      { _id: 'ten', position: 11n },
    ]);
  });

  it('stores and returns a document of about 5 MB', async () => {
    const large = harness.db.collection<{ _id: string; text: string; list: number[] }>('large');
    const text = 'x'.repeat(5 * 1024 * 1024);
    await large.insertOne({ _id: 'big', text, list: Array.from({ length: 1000 }, (_, i) => i) });
    const stored = await large.findOne({ _id: 'big' });
    expect(stored?.text.length).toBe(text.length);
    expect(stored?.list).toHaveLength(1000);
  });

  it('deletes one or many documents', async () => {
    const seats = harness.db.collection('seats');
    await seats.insertMany([1, 2, 3, 4, 5, 6].map((n) => ({ n, row: n % 2 === 0 ? 'even' : 'odd' })));
    expect((await seats.deleteOne({ row: 'odd' })).deletedCount).toBe(1);
    expect(
      await seats
        .find({ row: 'odd' })
        .map((seat) => seat.n)
        .toArray(),
    ).toEqual([3, 5]);
    expect((await seats.deleteMany({ row: 'even' })).deletedCount).toBe(3);
    expect((await seats.deleteMany({ row: 'none' })).deletedCount).toBe(0);
    expect(await seats.countDocuments()).toBe(2);
  });

  it('counts with countDocuments and estimatedDocumentCount, and lists distinct values', async () => {
    const bookings = harness.db.collection('bookings');
    await bookings.insertMany([
      { agent: 'ana', status: 'open', tags: ['vip', 'refund'] },
      { agent: 'bob', status: 'open', tags: ['refund'] },
      { agent: 'ana', status: 'closed', tags: [] },
      { agent: 'cy', status: 'open' },
    ]);
    expect(await bookings.estimatedDocumentCount()).toBe(4);
    expect(await bookings.countDocuments({ status: 'open' })).toBe(3);
    expect(await bookings.countDocuments({ status: 'open' }, { skip: 1, limit: 1 })).toBe(1);
    expect((await bookings.distinct('agent')).sort()).toEqual(['ana', 'bob', 'cy']);
    expect((await bookings.distinct('tags', { status: 'open' })).sort()).toEqual(['refund', 'vip']);
    expect(await harness.db.collection('missing').estimatedDocumentCount()).toBe(0);
  });
});

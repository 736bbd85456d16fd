import { Harness, KeyedDocument, startHarness, stopHarness } from './harness';

describe('MongoDB test server aggregation', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('aggregate');
    await harness.db.collection<KeyedDocument>('tickets').insertMany([
      {
        _id: 1,
        desk: 'north',
        status: 'open',
        tags: ['refund', 'vip'],
        openedAt: new Date('2026-05-01T08:00:00Z'),
      },
      {
        _id: 2,
        desk: 'north',
        status: 'closed',
        tags: ['refund'],
        openedAt: new Date('2026-05-01T17:30:00Z'),
      },
      { _id: 3, desk: 'south', status: 'open', tags: [], openedAt: new Date('2026-05-02T09:00:00Z') },
      { _id: 4, desk: 'south', status: 'open', tags: ['vip'], openedAt: new Date('2026-05-03T10:00:00Z') },
      {
        _id: 5,
        desk: 'east',
        status: 'closed',
        tags: ['change'],
        openedAt: new Date('2026-05-03T11:00:00Z'),
      },
    ]);
    await harness.db.collection<KeyedDocument>('desks').insertMany([
      { _id: 'north', lead: 'ana' },
      { _id: 'south', lead: 'bob' },
    ]);
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it('matches, groups, sorts and projects', async () => {
    const perDesk = await harness.db
      .collection('tickets')
      .aggregate([
        { $match: { status: 'open' } },
        { $group: { _id: '$desk', open: { $sum: 1 }, ids: { $push: '$_id' } } },
        { $sort: { open: -1, _id: 1 } },
        { $project: { _id: 0, desk: '$_id', open: 1, ids: 1 } },
      ])
      .toArray();
    expect(perDesk).toEqual([
      { desk: 'south', open: 2, ids: [3, 4] },
      { desk: 'north', open: 1, ids: [1] },
    ]);
  });

  it('unwinds arrays and counts', async () => {
    const tagCounts = await harness.db
      .collection('tickets')
      .aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(tagCounts).toEqual([
      { _id: 'change', n: 1 },
      { _id: 'refund', n: 2 },
      { _id: 'vip', n: 2 },
    ]);
    const [counted] = await harness.db
      .collection('tickets')
      .aggregate([{ $match: { tags: 'vip' } }, { $count: 'vip' }])
      .toArray();
    expect(counted).toEqual({ vip: 2 });
  });

  it('groups by day with $dateToString and runs sub-pipelines with $facet', async () => {
    const [report] = await harness.db
      .collection('tickets')
      .aggregate([
        {
          $facet: {
            perDay: [
              {
                $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$openedAt' } }, n: { $sum: 1 } },
              },
              { $sort: { _id: 1 } },
            ],
            total: [{ $count: 'n' }],
            closed: [{ $match: { status: 'closed' } }, { $project: { _id: 1 } }],
          },
        },
      ])
      .toArray();
    expect(report).toEqual({
      perDay: [
        { _id: '2026-05-01', n: 2 },
        { _id: '2026-05-02', n: 1 },
        { _id: '2026-05-03', n: 2 },
      ],
      total: [{ n: 5 }],
      closed: [{ _id: 2 }, { _id: 5 }],
    });
  });

  it('joins another collection with $lookup', async () => {
    const joined = await harness.db
      .collection('tickets')
      .aggregate([
        { $match: { _id: { $in: [1, 3, 5] } } },
        { $lookup: { from: 'desks', localField: 'desk', foreignField: '_id', as: 'deskInfo' } },
        // $first of an empty array yields no value, so ticket 5 (no such desk) gets no lead field.
        { $project: { lead: { $first: '$deskInfo.lead' } } },
      ])
      .toArray();
    expect(joined).toEqual([{ _id: 1, lead: 'ana' }, { _id: 3, lead: 'bob' }, { _id: 5 }]);
  });

  it('serves a large aggregation result in batches', async () => {
    const rows = await harness.db
      .collection('tickets')
      .aggregate([{ $unwind: '$tags' }, { $project: { tag: '$tags' } }], { batchSize: 2 })
      .toArray();
    expect(rows).toHaveLength(5);
  });

  it('writes the result to another collection with $out', async () => {
    await harness.db
      .collection('tickets')
      .aggregate([{ $group: { _id: '$status', n: { $sum: 1 } } }, { $out: 'status-summary' }])
      .toArray();
    const summary = await harness.db.collection('status-summary').find().sort({ _id: 1 }).toArray();
    expect(summary).toEqual([
      { _id: 'closed', n: 2 },
      { _id: 'open', n: 3 },
    ]);
  });
});

import { equalityFields, upsertedDocument } from '../support/mongodb/update-engine';

describe('upsert documents built from the filter', () => {
  it('takes literal and $eq fields, dotted paths and $and clauses, and skips other operators', () => {
    expect(
      equalityFields({
        a: 1,
        'b.c': 'x',
        d: { $eq: 3 },
        e: { $gt: 4 },
        $and: [{ f: true }, { g: { $in: [1, 2] } }],
        $or: [{ h: 1 }],
        nested: { plain: 'document' },
      }),
    ).toEqual({ a: 1, b: { c: 'x' }, d: 3, f: true, nested: { plain: 'document' } });
  });

  it('applies the update operators and $setOnInsert on top of the filter fields, _id first', () => {
    const inserted = upsertedDocument(
      { _id: 'k', status: 'open', revision: { $lt: 3 } },
      { $set: { title: 't' }, $inc: { revision: 1 }, $setOnInsert: { createdBy: 'ana' } },
    );
    expect(inserted).toEqual({ _id: 'k', status: 'open', title: 't', revision: 1, createdBy: 'ana' });
    expect(Object.keys(inserted)[0]).toBe('_id');
  });

  it('keeps only the _id of the filter for a replacement', () => {
    expect(upsertedDocument({ _id: 'k', revision: 2 }, { revision: 3, state: 'x' })).toEqual({
      _id: 'k',
      revision: 3,
      state: 'x',
    });
  });
});

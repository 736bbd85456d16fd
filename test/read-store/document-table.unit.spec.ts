import { DocumentTable } from '../../src/infrastructure/read-store/embedded/document-table';

const doc = (id: string, revision: number) => ({ _id: id, revision });

describe('the embedded collection document table', () => {
  it('finds a document inserted right after a lookup that missed it (the remembered lookup follows)', () => {
    const table = new DocumentTable();
    expect(table.seqOf('a')).toBe(-1);
    table.put(table.seqOf('a'), doc('a', 0));
    expect(table.get('a')).toEqual(doc('a', 0));
    expect(table.seqOf('b')).toBe(-1);
    table.put(-1, doc('b', 0));
    expect(table.seqOf('b')).toBe(1);
    expect(table.get('a')).toEqual(doc('a', 0));
  });

  it('replaces in place, keeping each document its insertion sequence and order', () => {
    const table = new DocumentTable();
    for (const id of ['x', 'y', 'z']) table.put(table.seqOf(id), doc(id, 0));
    table.put(table.seqOf('y'), doc('y', 1));
    expect(table.size).toBe(3);
    expect([...table.values()]).toEqual([doc('x', 0), doc('y', 1), doc('z', 0)]);
    expect(table.at(1)).toEqual(doc('y', 1));
    expect(table.get('missing')).toBeUndefined();
    expect(table.toArray()).not.toBe(table.toArray());
  });
});

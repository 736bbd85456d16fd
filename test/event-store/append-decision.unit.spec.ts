import {
  AppendDecision,
  decideAppend,
  StreamState,
} from '../../src/infrastructure/event-store/embedded/append-decision';

/** A stream holding events with these ids at revisions 0, 1, ... */
function streamOf(...ids: string[]): StreamState {
  return {
    lastRevision: ids.length - 1,
    hasIdAt: (revision, id) => ids[revision] === id,
    findRecentId: (id) => ids.lastIndexOf(id),
  };
}

const write: AppendDecision = { kind: 'write' };
const wrong: AppendDecision = { kind: 'wrongExpectedVersion' };
const idempotent = (lastRevision: number): AppendDecision => ({ kind: 'idempotent', lastRevision });

describe("decideAppend (EventStoreDB's commit check)", () => {
  describe('with a revision number', () => {
    it('writes when it is the last revision, even for ids already stored', () => {
      expect(decideAppend(1, ['c'], streamOf('a', 'b'))).toEqual(write);
      expect(decideAppend(1, ['a'], streamOf('a', 'b'))).toEqual(write);
    });

    it('is idempotent when the events after it carry the same ids in order', () => {
      expect(decideAppend(0, ['b', 'c'], streamOf('a', 'b', 'c', 'd'))).toEqual(idempotent(2));
      expect(decideAppend('no_stream', ['a'], streamOf('a', 'b'))).toEqual(idempotent(0));
    });

    it('is a wrong expected version when the first id differs, or only some match', () => {
      expect(decideAppend(0, ['x'], streamOf('a', 'b'))).toEqual(wrong);
      expect(decideAppend(0, ['b', 'x'], streamOf('a', 'b', 'c'))).toEqual(wrong);
      expect(decideAppend(0, ['b', 'c'], streamOf('a', 'b'))).toEqual(wrong);
    });

    it('is a wrong expected version above the last revision', () => {
      expect(decideAppend(5, ['x'], streamOf('a'))).toEqual(wrong);
      expect(decideAppend(0, ['x'], streamOf())).toEqual(wrong);
    });

    it('no_stream writes to a missing stream', () => {
      expect(decideAppend('no_stream', ['a'], streamOf())).toEqual(write);
    });
  });

  describe('with any or stream_exists', () => {
    it('writes when the first id is not in the stream', () => {
      expect(decideAppend('any', ['x', 'a'], streamOf('a'))).toEqual(write);
      expect(decideAppend('any', ['a'], streamOf())).toEqual(write);
    });

    it('is idempotent when every id is in the stream, answering the last one', () => {
      expect(decideAppend('any', ['a', 'b'], streamOf('a', 'b', 'c'))).toEqual(idempotent(1));
      expect(decideAppend('stream_exists', ['c'], streamOf('a', 'b', 'c'))).toEqual(idempotent(2));
    });

    it('is a wrong expected version when only the first ids are found', () => {
      expect(decideAppend('any', ['a', 'x'], streamOf('a', 'b'))).toEqual(wrong);
    });

    it('stream_exists is a wrong expected version on a missing stream', () => {
      expect(decideAppend('stream_exists', ['a'], streamOf())).toEqual(wrong);
    });
  });
});

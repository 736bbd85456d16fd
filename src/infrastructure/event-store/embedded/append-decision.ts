import { ExpectedRevision } from '../../../application/ports/event-store.port';

/** What the store knows about the stream being appended to (durable or already queued). */
export interface StreamState {
  /** Last revision, or -1 when the stream does not exist. */
  lastRevision: number;
  /** Whether the event at `revision` has this id. */
  hasIdAt(revision: number, id: string): boolean;
  /** The latest revision holding this id among the stream's recent events, or -1. */
  findRecentId(id: string): number;
}

export type AppendDecision =
  | { kind: 'write' }
  /** Every event is already stored: nothing is written; `lastRevision` is that of the last one. */
  | { kind: 'idempotent'; lastRevision: number }
  | { kind: 'wrongExpectedVersion' };

/**
 * Decides an append as EventStoreDB does (its index committer's commit check):
 *
 * - a number N (`no_stream` is N = -1):
 *   - N equals the last revision: the events are written (no id check, as in EventStoreDB);
 *   - N is below it: if the events at revisions N+1, N+2, ... carry exactly the ids being
 *     appended, in order, the append is idempotent (nothing written, success with the revision
 *     of the last of them); if the first matches but a later one does not, or the first does
 *     not match, it is a wrong expected version;
 *   - N is above it: wrong expected version.
 * - `stream_exists`: wrong expected version when the stream does not exist, else as `any`.
 * - `any`: if the first id is found among the stream's recent events (see `findRecentId`),
 *   every other id must be found too, and the append is idempotent, returning the revision of
 *   the last id's event; if only some are found it is a wrong expected version (EventStoreDB's
 *   "corrupted idempotency"); if the first id is not found the events are written.
 */
export function decideAppend(expected: ExpectedRevision, ids: string[], stream: StreamState): AppendDecision {
  const last = stream.lastRevision;
  if (expected === 'stream_exists' && last < 0) return { kind: 'wrongExpectedVersion' };
  if (expected === 'any' || expected === 'stream_exists') {
    if (ids.length === 0 || last < 0) return { kind: 'write' };
    let lastRevision = -1;
    for (let i = 0; i < ids.length; i++) {
      const revision = stream.findRecentId(ids[i]);
      if (revision < 0) return i === 0 ? { kind: 'write' } : { kind: 'wrongExpectedVersion' };
      lastRevision = revision;
    }
    return { kind: 'idempotent', lastRevision };
  }
  const expectedLast = expected === 'no_stream' ? -1 : expected;
  if (expectedLast === last) return { kind: 'write' };
  if (expectedLast > last || ids.length === 0) return { kind: 'wrongExpectedVersion' };
  for (let i = 0; i < ids.length; i++) {
    const revision = expectedLast + 1 + i;
    if (revision > last || !stream.hasIdAt(revision, ids[i])) return { kind: 'wrongExpectedVersion' };
  }
  return { kind: 'idempotent', lastRevision: expectedLast + ids.length };
}

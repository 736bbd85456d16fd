import { Inject, Injectable } from '@nestjs/common';
import type { AutoCloseCandidates } from '../ports/auto-close-candidates.port';
import { READ_STORE, type ReadStore } from '../ports/read-store.port';
import { TICKETS } from './read-models';

/** The auto-close policy's candidates from the tickets read model (the policy re-checks each on its stream). */
@Injectable()
export class ReadModelAutoCloseCandidates implements AutoCloseCandidates {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async solutionProposedBy(cutoff: Date, limit: number): Promise<string[]> {
    const docs = await this.store.find(
      TICKETS,
      { status: 'SOLUTION_PROPOSED', autoCloseClockStart: { $lte: cutoff.toISOString() } },
      { sort: { autoCloseClockStart: 1 }, limit, projection: { _id: 1 } },
    );
    return docs.map((doc) => doc._id);
  }
}

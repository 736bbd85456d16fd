/** Injection token for the AutoCloseCandidates port (implemented by the read side). */
export const AUTO_CLOSE_CANDIDATES = Symbol('AutoCloseCandidates');

/** Finds tickets the auto-close policy should look at; the runner and the domain decide whether each is due. */
export interface AutoCloseCandidates {
  /**
   * Ids of tickets in SOLUTION_PROPOSED whose auto-close clock (the proposal, or the requester's later
   * comment) started at or before `cutoff` (a ticket exactly at the policy's days is due), oldest first, at
   * most `limit`. A stale read model is harmless:
   * the policy re-checks each ticket against its event stream.
   */
  solutionProposedBy(cutoff: Date, limit: number): Promise<string[]>;
}

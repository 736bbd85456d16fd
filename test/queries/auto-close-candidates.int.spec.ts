import { ReadModelAutoCloseCandidates } from '../../src/application/queries/auto-close-candidates';
import { AGENT, ANNA, ReadSide } from './read-side.fixture';

describe('auto-close candidates from the tickets read model', () => {
  let side: ReadSide;
  afterEach(() => side.close());

  it('names tickets whose proposed solution has waited since the cutoff or earlier, oldest first', async () => {
    side = await ReadSide.open();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { ticketId } = await side.create(ANNA);
      await side.assign(AGENT, { ticketId, assigneeId: AGENT.id });
      await side.propose(AGENT, ticketId);
      ids.push(ticketId);
      side.clock.advanceHours(24);
    }
    const answered = ids[0];
    await side.comment(ANNA, { ticketId: answered, body: 'Проверяю, отвечу завтра' }); // restarts its clock
    const unproposed = (await side.create(ANNA)).ticketId;
    const candidates = new ReadModelAutoCloseCandidates(side.readStore);

    const cutoff = new Date(side.clock.now().getTime() - 30 * 3_600_000);
    expect(await candidates.solutionProposedBy(cutoff, 10)).toEqual([ids[1]]);
    expect(await candidates.solutionProposedBy(new Date(side.clock.now().getTime() - 1), 10)).toEqual([
      ids[1],
      ids[2],
    ]);
    // A clock that started exactly at the cutoff is due (domain: unanswered for ≥ the policy's days).
    expect(await candidates.solutionProposedBy(side.clock.now(), 10)).toEqual([ids[1], ids[2], answered]);
    expect(await candidates.solutionProposedBy(new Date('2100-01-01'), 1)).toEqual([ids[1]]);
    expect(await candidates.solutionProposedBy(new Date('2100-01-01'), 10)).not.toContain(unproposed);
  });
});

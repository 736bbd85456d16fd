import { randomUUID } from 'node:crypto';
import { AutoClosePolicy } from '../../src/application/auto-close';
import type { TicketCommandRunner } from '../../src/application/command-runner';
import type { AutoCloseCandidates } from '../../src/application/ports/auto-close-candidates.port';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import { ticketStreamName } from '../../src/domain/ticket.events';
import { AGENT, createTicket, newRunner, PinnedClock, REQUESTER, TempStore } from './support';

/** The read side's answer, fixed by the test: which tickets to look at (the policy checks each itself). */
const candidates = (...ticketIds: string[]): AutoCloseCandidates & { cutoffs: Date[] } => {
  const cutoffs: Date[] = [];
  return {
    cutoffs,
    solutionProposedBy: async (cutoff) => {
      cutoffs.push(cutoff);
      return ticketIds;
    },
  };
};

describe('AutoClosePolicy on the embedded event store', () => {
  let temp: TempStore;
  let clock: PinnedClock;
  let runner: TicketCommandRunner;

  beforeEach(async () => {
    temp = await TempStore.open();
    clock = new PinnedClock();
    runner = newRunner(temp.store, clock);
  });
  afterEach(() => temp.dispose());

  const stream = (ticketId: string) => temp.store.readStream(ticketStreamName(ticketId));
  const policyWith = (port: AutoCloseCandidates, on = runner) =>
    new AutoClosePolicy(on, port, clock, DEFAULT_POLICY);

  /** A ticket whose solution is proposed now (by the pinned clock). */
  async function ticketWithSolution(): Promise<string> {
    const ticketId = randomUUID();
    await runner.run({ ticketId, actor: REQUESTER, command: createTicket(ticketId) });
    await runner.run({ ticketId, actor: AGENT, command: { kind: 'AssignTicket', assigneeId: AGENT.id } });
    await runner.run({
      ticketId,
      actor: AGENT,
      command: { kind: 'ProposeSolution', solution: 'Мили начислены' },
    });
    return ticketId;
  }

  it('given a solution unanswered for 8 days, closes the ticket as AUTO_CLOSED by the system, naming the policy', async () => {
    const ticketId = await ticketWithSolution();
    clock.advanceDays(8);
    const port = candidates(ticketId);

    const run = await policyWith(port).runOnce(clock.now());

    expect(run).toEqual({ closed: [ticketId], refused: [] });
    expect(port.cutoffs).toEqual([new Date(clock.now().getTime() - 7 * 86_400_000)]);
    const closed = (await stream(ticketId)).at(-1)!;
    expect(closed.type).toBe('TicketClosed');
    expect(closed.data).toMatchObject({ resolution: 'AUTO_CLOSED', actor: { id: 'system', role: 'SYSTEM' } });
    expect(closed.metadata).toEqual({
      actor: { id: 'system', name: 'Auto-close policy', role: 'SYSTEM' },
      commandId: `auto-close:${ticketId}:2`,
      commandFingerprint: expect.any(String),
      policy: 'auto-close-after-7-days',
    });
  });

  it('with the policy configured to 3 days, closes at exactly 3 days and names that policy', async () => {
    const threeDays = { ...DEFAULT_POLICY, autoCloseAfterDays: 3 };
    runner = newRunner(temp.store, clock, threeDays);
    const ticketId = await ticketWithSolution();
    clock.advanceDays(3);
    const port = candidates(ticketId);

    const run = await new AutoClosePolicy(runner, port, clock, threeDays).runOnce(clock.now());

    expect(run).toEqual({ closed: [ticketId], refused: [] });
    expect(port.cutoffs).toEqual([new Date(clock.now().getTime() - 3 * 86_400_000)]);
    const closed = (await stream(ticketId)).at(-1)!;
    expect(closed.metadata).toMatchObject({ policy: 'auto-close-after-3-days' });
  });

  it('never dates the closing before an event written while its batch ran (updatedAt and as-of stay in order)', async () => {
    const ticketId = await ticketWithSolution();
    clock.advanceDays(8);
    const batchStart = clock.now();
    // While the batch runs, an agent adds a note a minute later; the ticket stays SOLUTION_PROPOSED.
    const port: AutoCloseCandidates = {
      solutionProposedBy: async () => {
        clock.current = new Date(clock.current.getTime() + 60_000);
        await runner.run({
          ticketId,
          actor: AGENT,
          command: {
            kind: 'AddComment',
            commentId: randomUUID(),
            body: 'Проверил начисление',
            internal: true,
          },
        });
        return [ticketId];
      },
    };

    const run = await policyWith(port).runOnce(batchStart);

    expect(run.closed).toEqual([ticketId]);
    const [comment, closed] = (await stream(ticketId)).slice(-2);
    expect([comment.type, closed.type]).toEqual(['CommentAdded', 'TicketClosed']);
    const times = [comment, closed].map((e) => (e.data as { occurredAt: string }).occurredAt);
    expect(times[1] >= times[0]).toBe(true);
    expect(times[1]).toBe(clock.now().toISOString());
  });

  it('leaves a ticket that is not due yet, or no longer exists, as it is', async () => {
    const notDue = await ticketWithSolution();
    clock.advanceDays(3);
    const missing = randomUUID();

    const run = await policyWith(candidates(notDue, missing)).runOnce(clock.now());

    expect(run.closed).toEqual([]);
    expect(run.refused.map((r) => r.ticketId)).toEqual([notDue, missing]);
    expect(await stream(notDue)).toHaveLength(3);
  });

  it('closes a ticket once when two instances run the policy at the same moment', async () => {
    const ticketId = await ticketWithSolution();
    clock.advanceDays(8);
    const otherInstance = policyWith(candidates(ticketId), newRunner(temp.store, clock));

    const runs = await Promise.all([
      policyWith(candidates(ticketId)).runOnce(clock.now()),
      otherInstance.runOnce(clock.now()),
    ]);

    // Closed once, and counted once: the other instance's run found it closed by the same decision.
    expect(runs.flatMap((r) => r.closed)).toEqual([ticketId]);
    expect((await stream(ticketId)).filter((e) => e.type === 'TicketClosed')).toHaveLength(1);
  });

  it('does not count again a ticket it closed that the read models still list (they lag)', async () => {
    const ticketId = await ticketWithSolution();
    clock.advanceDays(8);
    const lagging = policyWith(candidates(ticketId));
    expect((await lagging.runOnce(clock.now())).closed).toEqual([ticketId]);
    expect(await lagging.runOnce(clock.now())).toEqual({ closed: [], refused: [] });
    expect((await stream(ticketId)).filter((e) => e.type === 'TicketClosed')).toHaveLength(1);
  });

  it('fires again after a reopen and a new unanswered solution', async () => {
    const ticketId = await ticketWithSolution();
    clock.advanceDays(8);
    await policyWith(candidates(ticketId)).runOnce(clock.now());
    await runner.run({
      ticketId,
      actor: REQUESTER,
      command: { kind: 'ReopenTicket', reason: 'Мили так и не пришли' },
    });
    await runner.run({
      ticketId,
      actor: AGENT,
      command: { kind: 'ProposeSolution', solution: 'Теперь начислены' },
    });
    clock.advanceDays(8);

    const run = await policyWith(candidates(ticketId)).runOnce(clock.now());

    expect(run.closed).toEqual([ticketId]);
    const closings = (await stream(ticketId)).filter((e) => e.type === 'TicketClosed');
    expect(closings).toHaveLength(2);
  });

  it('runs on an interval once started, until stopped', async () => {
    const ticketId = await ticketWithSolution();
    clock.advanceDays(8);
    let asked!: () => void;
    const wasAsked = new Promise<void>((resolve) => (asked = resolve));
    let runs = 0;
    const policy = policyWith({
      solutionProposedBy: async () => {
        runs++;
        asked();
        return [ticketId];
      },
    });

    policy.start(5);
    await wasAsked;
    await policy.stop();

    expect((await stream(ticketId)).at(-1)!.type).toBe('TicketClosed');
    // Stopped: twenty intervals later it has not run again.
    const runsWhenStopped = runs;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toBe(runsWhenStopped);
  });
});

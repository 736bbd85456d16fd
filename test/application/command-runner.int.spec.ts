import { randomUUID } from 'node:crypto';
import { ConcurrencyConflict, NotFound } from '../../src/application/errors';
import type {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
} from '../../src/application/ports/event-store.port';
import { TicketCommandRunner } from '../../src/application/command-runner';
import { SequenceAllocator, TICKET_NUMBER_SEQUENCE } from '../../src/application/sequences';
import { InvalidInput, RuleViolated } from '../../src/domain/domain.errors';
import { ticketStreamName } from '../../src/domain/ticket.events';
import { AGENT, couponForm, createTicket, newRunner, PinnedClock, REQUESTER, TempStore } from './support';

/**
 * The real store, except that before each of the next `times` appends another writer (another
 * "process") gets to append first: the deterministic way to make a conflict happen.
 */
class InterleavingStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private times: number,
    private readonly writeFirst: () => Promise<unknown>,
  ) {}

  async appendToStream(
    streamId: string,
    events: EventData[],
    expected?: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.times > 0) {
      this.times--;
      await this.writeFirst();
    }
    return this.inner.appendToStream(streamId, events, expected);
  }
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  subscribeToAll: EventStore['subscribeToAll'] = (...args) => this.inner.subscribeToAll(...args);
  close = (): Promise<void> => Promise.resolve();
}

const comment = (body: string) => ({ kind: 'AddComment' as const, commentId: randomUUID(), body });

describe('TicketCommandRunner on the embedded event store', () => {
  let temp: TempStore;
  let runner: TicketCommandRunner;
  let ticketId: string;
  const stream = () => temp.store.readStream(ticketStreamName(ticketId));

  beforeEach(async () => {
    temp = await TempStore.open();
    runner = newRunner(temp.store);
    ticketId = randomUUID();
  });
  afterEach(() => temp.dispose());

  const created = () => runner.run({ ticketId, actor: REQUESTER, command: createTicket(ticketId) });

  it('appends the decided events with the actor, commandId and policy in their metadata', async () => {
    const result = await runner.run({
      ticketId,
      actor: REQUESTER,
      commandId: 'cmd-create',
      command: createTicket(ticketId),
    });

    const [event] = await stream();
    expect(event.type).toBe('TicketCreated');
    expect(event.metadata).toEqual({
      actor: REQUESTER,
      commandId: 'cmd-create',
      commandFingerprint: expect.any(String),
      policy: null,
    });
    expect(result).toMatchObject({ ticketId, version: 0, position: event.position, commandId: 'cmd-create' });
    expect(result.state).toMatchObject({ id: ticketId, status: 'NEW', version: 0 });
  });

  it('refuses a command on a ticket that does not exist as NotFound', async () => {
    await expect(runner.run({ ticketId, actor: AGENT, command: comment('hello') })).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(await stream()).toEqual([]);
  });

  it('given the client pinned a version the ticket has moved past, fails as a conflict and appends nothing', async () => {
    await created();
    await runner.run({ ticketId, actor: AGENT, command: comment('first') });

    const pinned = runner.run({ ticketId, actor: AGENT, expectedVersion: 0, command: comment('stale') });

    await expect(pinned).rejects.toEqual(new ConcurrencyConflict(ticketStreamName(ticketId), 0, 1));
    await expect(pinned).rejects.toMatchObject({ expectedVersion: 0, actualVersion: 1 });
    expect((await stream()).map((e) => e.revision)).toEqual([0, 1]);
  });

  it('accepts a command pinned to the current version', async () => {
    await created();
    const result = await runner.run({
      ticketId,
      actor: AGENT,
      expectedVersion: 0,
      command: comment('fresh'),
    });
    expect(result.version).toBe(1);
  });

  it('runs 20 comments sent at once without a version: all succeed with contiguous revisions', async () => {
    await created();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => runner.run({ ticketId, actor: AGENT, command: comment(`c${i}`) })),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const events = await stream();
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(events.filter((e) => e.type === 'CommentAdded')).toHaveLength(20);
  });

  it('runs 20 comments sent at once through two runners (two processes): all succeed', async () => {
    await created();
    const other = newRunner(temp.store);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? runner : other).run({ ticketId, actor: AGENT, command: comment(`c${i}`) }),
      ),
    );
    expect(new Set(results.map((r) => r.version)).size).toBe(20);
    expect((await stream()).map((e) => e.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
  });

  it('when another process appends between read and append, re-reads, decides again and appends after it', async () => {
    await created();
    const other = newRunner(temp.store);
    const interleaved = newRunner(
      new InterleavingStore(temp.store, 1, () =>
        other.run({ ticketId, actor: AGENT, command: comment('from the other process') }),
      ),
    );

    const result = await interleaved.run({ ticketId, actor: AGENT, command: comment('mine') });

    expect(result.version).toBe(2);
    const bodies = (await stream()).slice(1).map((e) => (e.data as { body: string }).body);
    expect(bodies).toEqual(['from the other process', 'mine']);
  });

  it('when the client pinned the version and another process appends in between, fails as a conflict', async () => {
    await created();
    const other = newRunner(temp.store);
    const interleaved = newRunner(
      new InterleavingStore(temp.store, 1, () =>
        other.run({ ticketId, actor: AGENT, command: comment('other') }),
      ),
    );

    const pinned = interleaved.run({ ticketId, actor: AGENT, expectedVersion: 0, command: comment('mine') });

    await expect(pinned).rejects.toMatchObject({
      name: 'ConcurrencyConflict',
      expectedVersion: 0,
      actualVersion: 1,
    });
    expect(await stream()).toHaveLength(2);
  });

  it('gives up after the bounded number of tries when others keep writing, appending nothing of its own', async () => {
    await created();
    const other = newRunner(temp.store);
    const interleaved = newRunner(
      new InterleavingStore(temp.store, 100, () =>
        other.run({ ticketId, actor: AGENT, command: comment('other') }),
      ),
    ).configure({ maxAttempts: 3 });

    await expect(
      interleaved.run({ ticketId, actor: AGENT, command: comment('mine') }),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    const bodies = (await stream()).slice(1).map((e) => (e.data as { body: string }).body);
    expect(bodies).toEqual(['other', 'other', 'other']);
  });

  it('given a commandId the stream already holds, appends nothing and returns the first result', async () => {
    await created();
    const first = await runner.run({ ticketId, actor: AGENT, commandId: 'c-1', command: comment('once') });
    await runner.run({ ticketId, actor: AGENT, command: comment('later') });

    const again = await runner.run({ ticketId, actor: AGENT, commandId: 'c-1', command: comment('once') });

    expect(again).toMatchObject({ version: first.version, position: first.position, commandId: 'c-1' });
    expect(again.state.version).toBe(1);
    expect(await stream()).toHaveLength(3);
  });

  it('a retried command that changed nothing still changes nothing after someone else changed the ticket', async () => {
    await created();
    const assign = (assigneeId: string) => ({
      kind: 'AssignTicket' as const,
      assigneeId,
      line: 'FIRST' as const,
    });
    await runner.run({ ticketId, actor: AGENT, command: assign('agent_1') });
    // Assigning the same person again appends nothing (domain.md); its commandId is remembered anyway.
    const first = await runner.run({
      ticketId,
      actor: AGENT,
      commandId: 'same-again',
      command: assign('agent_1'),
    });
    expect(first.version).toBe(1);
    await runner.run({
      ticketId,
      actor: { id: 'sup_1', name: 'Светлана Старшая', role: 'SUPERVISOR' },
      command: assign('agent_2'),
    });

    // The retry (a lost answer) must not take the ticket back from agent_2.
    const retry = await newRunner(temp.store).run({
      ticketId,
      actor: AGENT,
      commandId: 'same-again',
      command: assign('agent_1'),
    });
    expect(retry).toMatchObject({ version: 1, repeated: true });
    expect(retry.state.assignee?.id).toBe('agent_1');
    const assignees = (await stream())
      .filter((e) => e.type === 'TicketAssigned')
      .map((e) => (e.data as { assignee: { id: string } }).assignee.id);
    expect(assignees).toEqual(['agent_1', 'agent_2']);

    // The same commandId for another command is refused, as for commands that appended events.
    await expect(
      runner.run({ ticketId, actor: AGENT, commandId: 'same-again', command: assign('agent_3') }),
    ).rejects.toBeInstanceOf(InvalidInput);
    // Nothing of this reaches the ticket's stream.
    expect(await stream()).toHaveLength(3);
  });

  it('reads remembered no-ops incrementally: each record once, also those another process adds later', async () => {
    await created();
    let recordsRead = 0;
    const counting = new InterleavingStore(temp.store, 0, async () => undefined);
    counting.readStream = async (...args) => {
      const records = await temp.store.readStream(...args);
      if (args[0].startsWith('unchanged-commands-')) recordsRead += records.length;
      return records;
    };
    const here = newRunner(counting);
    const elsewhere = newRunner(temp.store);
    const assign = { kind: 'AssignTicket' as const, assigneeId: 'agent_1', line: 'FIRST' as const };
    await here.run({ ticketId, actor: AGENT, command: assign });
    for (let i = 0; i < 20; i++) {
      await here.run({ ticketId, actor: AGENT, commandId: `again-${i}`, command: assign });
    }
    // 20 lookups over a stream growing to 19 records read each record once, not 0 + 1 + … + 19.
    expect(recordsRead).toBe(19);
    // Another process remembers one more; this one finds it when that commandId is retried here.
    await elsewhere.run({ ticketId, actor: AGENT, commandId: 'from-elsewhere', command: assign });
    await elsewhere.run({
      ticketId,
      actor: { id: 'sup_1', name: 'Светлана', role: 'SUPERVISOR' },
      command: { ...assign, assigneeId: 'agent_2' },
    });
    const retry = await here.run({ ticketId, actor: AGENT, commandId: 'from-elsewhere', command: assign });
    expect(retry).toMatchObject({ repeated: true, version: 1 });
    expect((await stream()).map((e) => e.type)).toEqual([
      'TicketCreated',
      'TicketAssigned',
      'TicketAssigned',
    ]);
  });

  it('refuses a commandId already used for a different command or by another actor, appending nothing', async () => {
    await created();
    await runner.run({ ticketId, actor: AGENT, commandId: 'c-1', command: comment('once') });
    const before = (await stream()).length;
    const refusal = (run: Promise<unknown>) =>
      run.then(
        () => null,
        (error: unknown) => error,
      );
    for (const attempt of [
      runner.run({ ticketId, actor: AGENT, commandId: 'c-1', command: comment('something else') }),
      runner.run({
        ticketId,
        actor: AGENT,
        commandId: 'c-1',
        command: { kind: 'ProposeSolution', solution: 'x' },
      }),
      runner.run({
        ticketId,
        actor: { ...AGENT, id: 'agent-2' },
        commandId: 'c-1',
        command: comment('once'),
      }),
    ]) {
      const error = await refusal(attempt);
      expect(error).toBeInstanceOf(InvalidInput);
      expect((error as InvalidInput).fields.map((f) => f.path)).toEqual(['commandId']);
    }
    expect(await stream()).toHaveLength(before);
  });

  it('repeating a commandId with a now stale pinned version still returns the first result', async () => {
    await created();
    const first = await runner.run({
      ticketId,
      actor: AGENT,
      expectedVersion: 0,
      commandId: 'c-1',
      command: comment('once'),
    });
    const again = await runner.run({
      ticketId,
      actor: AGENT,
      expectedVersion: 0,
      commandId: 'c-1',
      command: comment('once'),
    });
    expect(again.version).toBe(first.version);
    expect(await stream()).toHaveLength(2);
  });

  it('stores a command once when two processes run it with the same commandId at the same moment', async () => {
    await created();
    const other = newRunner(temp.store);
    const command = comment('only once');
    const results = await Promise.all([
      runner.run({ ticketId, actor: AGENT, commandId: 'dup', command }),
      other.run({ ticketId, actor: AGENT, commandId: 'dup', command }),
    ]);
    expect(results[0].version).toBe(1);
    expect(results[1].version).toBe(1);
    expect(await stream()).toHaveLength(2);
  });

  it('two processes creating with one commandId answer with the one ticket stored (its number, its times)', async () => {
    // Each process has its own clock and its own block of ticket numbers, so each decides other data.
    const here = new PinnedClock();
    const there = new PinnedClock(new Date(here.current.getTime() + 1_000));
    const processes = [here, there].map((clock) => ({
      runner: newRunner(temp.store, clock),
      numbers: new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE),
    }));
    const results = await Promise.all(
      processes.map(({ runner: each, numbers }) =>
        each.run({
          ticketId,
          actor: REQUESTER,
          commandId: 'create-once',
          command: { sequence: numbers, build: (n) => createTicket(ticketId, { number: n }) },
        }),
      ),
    );
    const stored = await stream();
    expect(stored).toHaveLength(1);
    const data = stored[0].data as { number: number; occurredAt: string };
    for (const result of results) {
      expect(result).toMatchObject({ version: 0, position: stored[0].position });
      expect(result.state).toMatchObject({ number: data.number, createdAt: data.occurredAt });
    }
    expect(results.filter((result) => result.repeated)).toHaveLength(1);
  });

  it('two processes running one commandId with a pinned version: the second answers with the first, not a conflict', async () => {
    await created();
    const later = new PinnedClock(new Date(new PinnedClock().current.getTime() + 1_000));
    const other = newRunner(temp.store, later);
    const command = comment('only once');
    const results = await Promise.all([
      runner.run({ ticketId, actor: AGENT, expectedVersion: 0, commandId: 'pinned', command }),
      other.run({ ticketId, actor: AGENT, expectedVersion: 0, commandId: 'pinned', command }),
    ]);
    const stored = await stream();
    expect(stored).toHaveLength(2);
    for (const result of results) {
      expect(result.version).toBe(1);
      expect(result.state.updatedAt).toBe((stored[1].data as { occurredAt: string }).occurredAt);
    }
  });

  it('given a command that changes nothing, appends nothing and returns the current version', async () => {
    await created();
    const assign = { kind: 'AssignTicket' as const, assigneeId: AGENT.id, assigneeName: AGENT.name };
    await runner.run({ ticketId, actor: AGENT, command: assign });
    const again = await runner.run({ ticketId, actor: AGENT, command: assign });
    expect(again.version).toBe(1);
    expect(await stream()).toHaveLength(2);
  });

  it('allocates a sequence number only for a command the domain accepts (the dry run burns none)', async () => {
    const numbers = new SequenceAllocator(temp.store, TICKET_NUMBER_SEQUENCE);
    const create = (id: string, subject: string) =>
      runner.run({
        ticketId: id,
        actor: REQUESTER,
        command: { sequence: numbers, build: (n) => createTicket(id, { number: n, subject }) },
      });

    await expect(create(randomUUID(), '   ')).rejects.toBeInstanceOf(InvalidInput);
    const accepted = await create(ticketId, 'Мили не начислены');

    expect(accepted.state.number).toBe(1);
    expect(await temp.store.readStream(TICKET_NUMBER_SEQUENCE)).toHaveLength(1);
  });

  it('keeps the allocated number across a conflict retry', async () => {
    await created();
    const registrations = new SequenceAllocator(temp.store, 'sequence-coupon-registration');
    const other = newRunner(temp.store);
    const interleaved = newRunner(
      new InterleavingStore(temp.store, 1, () =>
        other.run({ ticketId, actor: AGENT, command: comment('other') }),
      ),
    );

    const result = await interleaved.run({
      ticketId,
      actor: REQUESTER,
      command: {
        sequence: registrations,
        build: (n) => ({ kind: 'RequestCouponStatusChange', registrationSeq: n, form: couponForm() }),
      },
    });

    expect(result.registrationNumber).toBe('N1');
    expect(result.version).toBe(2);
    expect(await temp.store.readStream('sequence-coupon-registration')).toHaveLength(1);
  });

  it('passes the domain refusal through and appends nothing', async () => {
    await created();
    await expect(
      runner.run({ ticketId, actor: AGENT, command: { kind: 'ProposeSolution', solution: 'Готово' } }),
    ).rejects.toBeInstanceOf(RuleViolated);
    expect(await stream()).toHaveLength(1);
  });

  it('decides with the time of the clock', async () => {
    const clock = new PinnedClock(new Date('2026-01-02T03:04:05.000Z'));
    const timed = newRunner(temp.store, clock);
    const result = await timed.run({ ticketId, actor: REQUESTER, command: createTicket(ticketId) });
    expect(result.state.createdAt).toBe('2026-01-02T03:04:05.000Z');
  });
});

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TicketCommandRunner } from '../../src/application/command-runner';
import { emptyStream, FoldedStreams, type FoldedStream } from '../../src/application/folded-streams';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { RuleViolated } from '../../src/domain/domain.errors';
import type { TicketState } from '../../src/domain/ticket';
import { foldEntries } from '../../src/domain/ticket';
import { ticketStreamName } from '../../src/domain/ticket.events';
import { toTicketEntry } from '../../src/application/recorded-events';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { AGENT, createTicket, newRunner, REQUESTER, TempStore } from './support';

/**
 * The real store, counting the events a reader gets back from the ticket streams, and which can be
 * swapped for another store under a running runner (an event store restored from a backup).
 */
class ObservedStore implements EventStore {
  eventsRead = 0;
  constructor(public inner: EventStore) {}
  appendToStream: EventStore['appendToStream'] = (...args) => this.inner.appendToStream(...args);
  readStream: EventStore['readStream'] = async (streamId, options) => {
    const events = await this.inner.readStream(streamId, options);
    if (streamId.startsWith('ticket-')) this.eventsRead += events.length;
    return events;
  };
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  subscribeToAll: EventStore['subscribeToAll'] = (...args) => this.inner.subscribeToAll(...args);
  close = (): Promise<void> => Promise.resolve();
}

const comment = (body: string) => ({ kind: 'AddComment' as const, commentId: randomUUID(), body });

describe('The command side keeps what it folded (FoldedStreams)', () => {
  let temp: TempStore;
  let observed: ObservedStore;
  let runner: TicketCommandRunner;
  /** Another process writing to the same store. */
  let other: TicketCommandRunner;
  let ticketId: string;
  const fromStore = async (): Promise<TicketState | null> =>
    foldEntries((await temp.store.readStream(ticketStreamName(ticketId))).map(toTicketEntry));

  beforeEach(async () => {
    temp = await TempStore.open();
    observed = new ObservedStore(temp.store);
    runner = newRunner(observed);
    other = newRunner(temp.store);
    ticketId = randomUUID();
    await runner.run({ ticketId, actor: REQUESTER, command: createTicket(ticketId) });
  });
  afterEach(() => temp.dispose());

  it("reads the last event it folded (still there?) and those appended since, another process's included", async () => {
    for (let i = 0; i < 30; i++) await runner.run({ ticketId, actor: AGENT, command: comment(`reply ${i}`) });
    observed.eventsRead = 0;

    const next = await runner.run({ ticketId, actor: AGENT, command: comment('one more') });
    expect(observed.eventsRead).toBe(1);
    expect(next.version).toBe(31);

    await other.run({ ticketId, actor: AGENT, command: comment('from the other process') });
    await other.run({ ticketId, actor: REQUESTER, command: comment('and the requester there') });
    const after = await runner.run({ ticketId, actor: AGENT, command: comment('here again') });
    expect(observed.eventsRead).toBe(1 + 3);
    expect(after.version).toBe(34);
    expect(after.state).toEqual(await fromStore());
  });

  it('retries a command another process got ahead of on what it kept, reading only their events', async () => {
    for (let i = 0; i < 30; i++) await runner.run({ ticketId, actor: AGENT, command: comment(`reply ${i}`) });
    // Just before this runner appends, another process appends first (once): a conflict, then a retry.
    const append = observed.appendToStream;
    let getAhead = true;
    observed.appendToStream = async (...args) => {
      if (getAhead) {
        getAhead = false;
        await other.run({ ticketId, actor: AGENT, command: comment('got ahead') });
      }
      return append(...args);
    };
    observed.eventsRead = 0;

    const retried = await runner.run({ ticketId, actor: AGENT, command: comment('after a conflict') });
    expect(retried.version).toBe(32);
    expect(retried.state.comments.slice(-2).map((c) => c.body)).toEqual(['got ahead', 'after a conflict']);
    // The first read (the kept last event) and the retry's (it again, and the other's event).
    expect(observed.eventsRead).toBe(1 + 2);
    expect(retried.state).toEqual(await fromStore());
  });

  it('decides on what another process appended meanwhile: a ticket withdrawn there takes no comment here', async () => {
    await runner.run({ ticketId, actor: AGENT, command: comment('first') });
    const seen = await other.run({ ticketId, actor: AGENT, command: comment('second, elsewhere') });

    const pinned = await runner.run({
      ticketId,
      actor: AGENT,
      expectedVersion: seen.version,
      command: comment('third'),
    });
    expect(pinned.version).toBe(seen.version + 1);
    expect(pinned.state.comments.map((c) => c.body)).toEqual(['first', 'second, elsewhere', 'third']);

    await other.run({
      ticketId,
      actor: REQUESTER,
      command: { kind: 'CloseTicket', resolution: 'WITHDRAWN' },
    });
    const late = runner.run({ ticketId, actor: AGENT, command: comment('too late') });
    await expect(late).rejects.toBeInstanceOf(RuleViolated);
    await expect(late).rejects.toMatchObject({ rule: 'ticket.closed' });
  });

  it('leaves the ticket a result carried as it was when later commands run', async () => {
    const first = await runner.run({ ticketId, actor: AGENT, command: comment('first') });
    const shown = JSON.stringify(first.state);
    // The events another process appends are folded on the very state `first` carries.
    await other.run({ ticketId, actor: AGENT, command: comment('elsewhere') });
    await runner.run({ ticketId, actor: AGENT, command: comment('and here') });
    for (let i = 0; i < 3; i++) await runner.run({ ticketId, actor: AGENT, command: comment(`later ${i}`) });

    expect(JSON.stringify(first.state)).toBe(shown);
    expect(first.state.comments).toHaveLength(1);
  });

  it('answers a repeated commandId as its first run left the ticket, commands later', async () => {
    const firstRun = await runner.run({ ticketId, actor: AGENT, commandId: 'c-1', command: comment('once') });
    for (let i = 0; i < 5; i++) await runner.run({ ticketId, actor: AGENT, command: comment(`later ${i}`) });

    const repeated = await runner.run({ ticketId, actor: AGENT, commandId: 'c-1', command: comment('once') });
    expect(repeated).toMatchObject({ repeated: true, version: firstRun.version });
    expect(repeated.state.comments.map((c) => c.body)).toEqual(['once']);
    expect((await fromStore())?.commentCount).toBe(6);
  });

  describe('with the event store restored from an older backup under the running process', () => {
    let backup: string;
    beforeEach(async () => {
      await runner.run({ ticketId, actor: AGENT, command: comment('kept in the backup') });
      backup = mkdtempSync(join(tmpdir(), 'ticket-backup-'));
      await temp.store.close();
      cpSync(temp.dir, backup, { recursive: true });
      observed.inner = await temp.reopen();
    });
    afterEach(() => rmSync(backup, { recursive: true, force: true }));

    const restore = async (): Promise<void> => {
      await temp.store.close();
      rmSync(temp.dir, { recursive: true, force: true });
      cpSync(backup, temp.dir, { recursive: true });
      observed.inner = await temp.reopen();
      other = newRunner(temp.store);
    };

    it('decides on the stream as restored', async () => {
      for (let i = 0; i < 3; i++) await runner.run({ ticketId, actor: AGENT, command: comment(`lost ${i}`) });
      await restore();

      const after = await runner.run({ ticketId, actor: AGENT, command: comment('after the restore') });
      expect(after.version).toBe(2);
      expect(after.state.comments.map((c) => c.body)).toEqual(['kept in the backup', 'after the restore']);
      expect(after.state).toEqual(await fromStore());
    });

    it('also once the restored stream has grown past what was folded (other events at those revisions)', async () => {
      for (let i = 0; i < 2; i++) await runner.run({ ticketId, actor: AGENT, command: comment(`lost ${i}`) });
      await restore();
      await other.run({ ticketId, actor: AGENT, command: comment('written after the restore') });
      await other.run({
        ticketId,
        actor: REQUESTER,
        command: { kind: 'CloseTicket', resolution: 'WITHDRAWN' },
      });

      const late = runner.run({ ticketId, actor: AGENT, command: comment('on a withdrawn ticket') });
      await expect(late).rejects.toMatchObject({ rule: 'ticket.closed' });
      expect((await fromStore())?.status).toBe('CLOSED');
    });

    it('and does not refuse a command for what the restore undid', async () => {
      await runner.run({
        ticketId,
        actor: REQUESTER,
        command: { kind: 'CloseTicket', resolution: 'WITHDRAWN' },
      });
      await restore();

      const after = await runner.run({
        ticketId,
        actor: AGENT,
        command: comment('the ticket is open again'),
      });
      expect(after.state.status).not.toBe('CLOSED');
      expect(after.state).toEqual(await fromStore());
    });
  });
});

describe('FoldedStreams bounds', () => {
  const entry = (weight: number): FoldedStream => ({
    ...emptyStream(),
    state: { id: 'a ticket' } as TicketState,
    last: { revision: 0, position: 0n, id: randomUUID() },
    weight,
  });

  it('keeps at most maxTickets, letting the least recently used go first', () => {
    const folded = new FoldedStreams({ maxTickets: 2, maxWeight: 1_000 });
    folded.set('a', entry(1));
    folded.set('b', entry(1));
    folded.get('a');
    folded.set('c', entry(1));

    expect(folded.get('a')).toBeDefined();
    expect(folded.get('b')).toBeUndefined();
    expect(folded.get('c')).toBeDefined();
    expect(folded.size).toEqual({ tickets: 2, weight: 2 });
  });

  it('keeps at most maxWeight of text, and no ticket heavier than half of it', () => {
    const folded = new FoldedStreams({ maxTickets: 100, maxWeight: 100 });
    folded.set('a', entry(40));
    folded.set('b', entry(40));
    folded.set('c', entry(40));
    expect(folded.get('a')).toBeUndefined();
    expect(folded.size).toEqual({ tickets: 2, weight: 80 });

    folded.set('heavy', entry(51));
    expect(folded.get('heavy')).toBeUndefined();
    expect(folded.size).toEqual({ tickets: 2, weight: 80 });

    folded.set('b', entry(10));
    expect(folded.size).toEqual({ tickets: 2, weight: 50 });
  });

  it('keeps no entry for a ticket that does not exist (ids a caller made up cost nothing to hold)', () => {
    const folded = new FoldedStreams();
    folded.set('nothing', emptyStream());
    expect(folded.size).toEqual({ tickets: 0, weight: 0 });
  });
});

describe('the embedded store gives a stream from a revision', () => {
  it('is what FoldedStreams relies on: the events from that revision on, [] past the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ticket-from-'));
    const store = await EmbeddedEventStore.open(dir, { warn: () => undefined });
    try {
      const data = (n: number) => ({ id: randomUUID(), type: 'Noted', data: { n }, metadata: null });
      await store.appendToStream('s-1', [data(0), data(1), data(2)], 'no_stream');
      expect((await store.readStream('s-1', { fromRevision: 1 })).map((e) => e.revision)).toEqual([1, 2]);
      expect(await store.readStream('s-1', { fromRevision: 3 })).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

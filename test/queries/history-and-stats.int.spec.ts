import { Forbidden } from '../../src/application/errors';
import { ReadBudget } from '../../src/application/queries/read-budget';
import { TicketAsOfHandler } from '../../src/application/queries/ticket-as-of.handler';
import { type CommentsNeeded, TicketAsOfQuery } from '../../src/application/queries/ticket-queries';
import { InvalidInput } from '../../src/domain/domain.errors';
import type { StatsBucketView } from '../../src/application/views';
import { queriesOf } from './query-handlers';
import { AGENT, ANNA, AUDITOR, OLEG, REPORTER, ReadSide, SUPERVISOR } from './read-side.fixture';

describe('history, as-of states and statistics', () => {
  let side: ReadSide;
  let q: ReturnType<typeof queriesOf>;
  let ticketId: string;
  let other: string;
  const t0 = new Date('2026-11-20T08:00:00.000Z');

  beforeAll(async () => {
    side = await ReadSide.open();
    q = queriesOf(side);
    ticketId = (await side.create(ANNA, { priority: 'HIGH' })).ticketId; // Friday 2026-11-20 (W47)
    side.clock.advanceHours(1);
    await side.assign(AGENT, { ticketId, assigneeId: AGENT.id, assigneeName: AGENT.name });
    side.clock.advanceHours(1);
    await side.comment(AGENT, { ticketId, body: 'Секрет', internal: true });
    await side.comment(AGENT, { ticketId, body: 'Работаем' }); // first response after 2 h
    side.clock.advanceHours(2);
    await side.propose(AGENT, ticketId);
    await side.closeTicket(ANNA, { ticketId, resolution: 'CONFIRMED' }); // resolved after 4 h
    await side.reopen(ANNA, ticketId);
    side.clock.advanceHours(70); // Monday 2026-11-23 (W48)
    other = (
      await side.create(OLEG, { module: 'TECHNOLOGIES', category: 'OTHER', type: 'TECHNOLOGY_QUESTION' })
    ).ticketId;
    await side.closeTicket(OLEG, { ticketId: other, resolution: 'WITHDRAWN' });
  });
  afterAll(() => side.close());

  describe('history', () => {
    it('lists the events from the event store, oldest first, with actor names and positions', async () => {
      const history = await q.history(AUDITOR, ticketId);
      expect(history.map((e) => e.eventType)).toEqual([
        'TicketCreated',
        'TicketAssigned',
        'CommentAdded',
        'CommentAdded',
        'SolutionProposed',
        'TicketClosed',
        'TicketReopened',
      ]);
      expect(history.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(history[1].actor).toEqual({ id: AGENT.id, name: AGENT.name, role: 'AGENT' });
      const positions = history.map((e) => BigInt(e.position));
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
      expect(JSON.parse(history[0].dataJson)).toEqual(history[0].data);
      expect(history[0].data).toMatchObject({ ticketId, priority: 'HIGH' });
    });

    it('shows requesters their own history without internal comments, and refuses reporters', async () => {
      const own = await q.history(ANNA, ticketId);
      expect(own.filter((e) => e.eventType === 'CommentAdded').map((e) => e.data.body)).toEqual(['Работаем']);
      await expect(q.history(OLEG, ticketId)).rejects.toBeInstanceOf(Forbidden);
      await expect(q.history(REPORTER, ticketId)).rejects.toBeInstanceOf(Forbidden);
      expect(await q.history(SUPERVISOR, ticketId)).toHaveLength(7);
    });
  });

  describe('ticketAsOf', () => {
    it('folds the events up to the instant', async () => {
      expect(await q.asOf(AGENT, ticketId, new Date(t0.getTime() - 1))).toBeNull();
      const created = await q.asOf(AGENT, ticketId, t0);
      expect(created).toMatchObject({ status: 'NEW', version: 0, assignee: null });
      const assigned = await q.asOf(AUDITOR, ticketId, new Date(t0.getTime() + 90 * 60_000));
      expect(assigned).toMatchObject({ status: 'ASSIGNED', version: 1, assignee: { id: AGENT.id } });
      const now = await q.asOf(SUPERVISOR, ticketId, side.clock.now());
      expect(now).toMatchObject({ status: 'IN_PROGRESS', reopenCount: 1, version: 6 });
      expect(now!.comments).toHaveLength(2);
    });

    it('refuses an instant in the future, allowing for a client clock a minute ahead', async () => {
      const now = side.clock.now().getTime();
      expect(await q.asOf(AUDITOR, ticketId, new Date(now + 60_000))).toMatchObject({ version: 6 });
      await expect(q.asOf(AUDITOR, ticketId, new Date(now + 60_001))).rejects.toMatchObject({
        fields: [
          {
            path: 'at',
            message: `must not be in the future: a past state is shown (the server's time is ${new Date(now).toISOString()})`,
          },
        ],
      });
    });

    it("counts the comments it shows, and only those, against the request's budget", async () => {
      const asOf = (needs: CommentsNeeded) =>
        new TicketAsOfHandler(side.events, side.clock).execute(
          new TicketAsOfQuery(AUDITOR, ticketId, side.clock.now(), needs),
        );
      const budget = () => new ReadBudget(1, 1_000);
      // Its two comments: not selected, or only the latest, fit a budget of one; both do not.
      expect(await asOf({ comments: false, commentCount: true, budget: budget() })).toMatchObject({
        commentCount: 2,
      });
      const latest = await asOf({ comments: true, commentCount: false, last: 1, budget: budget() });
      expect(latest?.comments.map((c) => c.body)).toEqual(['Работаем']);
      await expect(asOf({ comments: true, commentCount: false, budget: budget() })).rejects.toBeInstanceOf(
        InvalidInput,
      );
    });

    it('is for agents, supervisors and auditors only', async () => {
      await expect(q.asOf(ANNA, ticketId, t0)).rejects.toBeInstanceOf(Forbidden);
      await expect(q.asOf(REPORTER, ticketId, t0)).rejects.toBeInstanceOf(Forbidden);
    });
  });

  describe('ticketStats', () => {
    const keyOf = (b: StatsBucketView) => Object.fromEntries(b.key.map((k) => [k.dimension, k.value]));

    it('counts with no dimension: one bucket over everything', async () => {
      const [all, ...rest] = await q.stats(REPORTER, null, []);
      expect(rest).toEqual([]);
      expect(all).toMatchObject({ key: [], count: 2, open: 1, closed: 1, reopened: 1 });
      // The confirmed close took 4 h (240 min) from creation; the reopened ticket is open again, so
      // only closings that stand count for resolution; first response: 120 min.
      expect(all.avgFirstResponseMinutes).toBe(120);
      expect(all.avgResolutionMinutes).toBeNull();
    });

    it('counts with no dimension over nothing: one bucket of zeros, not an empty list', async () => {
      expect(await q.stats(REPORTER, { module: ['NO_SUCH_MODULE'] }, [])).toEqual([
        {
          key: [],
          count: 0,
          open: 0,
          closed: 0,
          overdue: 0,
          reopened: 0,
          avgFirstResponseMinutes: null,
          avgResolutionMinutes: null,
        },
      ]);
      expect(await q.stats(REPORTER, { module: ['NO_SUCH_MODULE'] }, ['STATUS'])).toEqual([]);
    });

    it('groups by any combination of dimensions, weeks as ISO weeks in UTC', async () => {
      const buckets = await q.stats(AGENT, null, [
        'MODULE',
        'CREATED_WEEK',
        'CREATED_DAY',
        'CREATED_MONTH',
        'STATUS',
        'LINE',
      ]);
      expect(buckets.map(keyOf)).toEqual([
        {
          MODULE: 'BONUS',
          CREATED_WEEK: '2026-W47',
          CREATED_DAY: '2026-11-20',
          CREATED_MONTH: '2026-11',
          STATUS: 'IN_PROGRESS',
          LINE: 'FIRST',
        },
        {
          MODULE: 'TECHNOLOGIES',
          CREATED_WEEK: '2026-W48',
          CREATED_DAY: '2026-11-23',
          CREATED_MONTH: '2026-11',
          STATUS: 'CLOSED',
          LINE: null,
        },
      ]);
      expect(buckets[1]).toMatchObject({ count: 1, open: 0, closed: 1, avgFirstResponseMinutes: null });
    });

    it('orders buckets dimension by dimension, no value first, whatever the next dimension holds', async () => {
      // Keys joined into one text put the unassigned ticket (no line) by its priority: after FIRST/HIGH.
      const buckets = await q.stats(AGENT, null, ['LINE', 'PRIORITY']);
      expect(buckets.map(keyOf)).toEqual([
        { LINE: null, PRIORITY: 'NORMAL' },
        { LINE: 'FIRST', PRIORITY: 'HIGH' },
      ]);
      expect((await q.stats(AGENT, null, ['LINE'])).map(keyOf)).toEqual([{ LINE: null }, { LINE: 'FIRST' }]);
    });

    it('counts overdue tickets at now, and narrows requesters to their own', async () => {
      const [late] = await q.stats(AGENT, null, []);
      // The HIGH ticket (24 h, reopened, in progress) is past its resolution due time by now.
      expect(late.overdue).toBe(1);
      const own = await q.stats(OLEG, null, ['PRIORITY', 'CHANNEL', 'ASSIGNEE', 'TYPE', 'CATEGORY']);
      expect(own).toHaveLength(1);
      expect(keyOf(own[0])).toEqual({
        PRIORITY: 'NORMAL',
        CHANNEL: 'WEB',
        ASSIGNEE: null,
        TYPE: 'TECHNOLOGY_QUESTION',
        CATEGORY: 'OTHER',
      });
    });

    it('averages resolution over CONFIRMED and AUTO_CLOSED closings only', async () => {
      const side2 = await ReadSide.open();
      try {
        const q2 = queriesOf(side2);
        const id = (await side2.create(ANNA)).ticketId;
        await side2.assign(AGENT, { ticketId: id, assigneeId: AGENT.id });
        side2.clock.advanceHours(3);
        await side2.propose(AGENT, id);
        await side2.closeTicket(ANNA, { ticketId: id, resolution: 'CONFIRMED' });
        const withdrawn = (await side2.create(ANNA)).ticketId;
        side2.clock.advanceHours(1);
        await side2.closeTicket(ANNA, { ticketId: withdrawn, resolution: 'WITHDRAWN' });
        const [all] = await q2.stats(AUDITOR, { status: ['CLOSED'] }, []);
        expect(all).toMatchObject({
          count: 2,
          closed: 2,
          avgResolutionMinutes: 180,
          avgFirstResponseMinutes: 180,
        });
      } finally {
        await side2.close();
      }
    });
  });
});

/**
 * domain.md §4: time awaiting the requester does not count, and a ticket is overdue when now is past a
 * deadline it has not met. The `overdue` filter and the statistics' overdue count use an instant the
 * projection stores (queries/overdue.ts); a ticket waiting on the requester takes the other road there,
 * overdue only if its deadline had already passed when the wait began. Both must agree with the flag
 * each ticket shows, at any moment, for waiting tickets too.
 */
import type { TicketView } from '../../src/application/views';
import { queriesOf } from './query-handlers';
import { AGENT, ANNA, REPORTER, ReadSide } from './read-side.fixture';

describe('overdue while awaiting the requester (filter, statistics and flag agree)', () => {
  let side: ReadSide;
  let q: ReturnType<typeof queriesOf>;
  const start = new Date('2026-11-20T08:00:00.000Z');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    side = await ReadSide.open();
    q = queriesOf(side);
    side.clock.current = start;
    const at = (hours: number) => {
      side.clock.current = new Date(start.getTime() + hours * 3_600_000);
    };
    const waitingFrom = async (key: string, priority: 'CRITICAL' | 'HIGH', askAtHours: number) => {
      at(0);
      const { ticketId } = await side.create(ANNA, { priority, subject: `Waiting ${key}` });
      ids[key] = ticketId;
      at(0.5);
      await side.assign(AGENT, { ticketId, assigneeId: AGENT.id, assigneeName: AGENT.name });
      at(1);
      await side.comment(AGENT, { ticketId, body: 'Смотрим' });
      at(askAtHours);
      await side.comment(AGENT, { ticketId, body: 'Пришлите PNR', requestsReply: true });
    };
    // CRITICAL is due in 4 h: asked at 2 h (before the deadline) and at 6 h (after it).
    await waitingFrom('askedInTime', 'CRITICAL', 2);
    await waitingFrom('askedLate', 'CRITICAL', 6);
    // HIGH is due in 24 h; asked at 3 h, then answered at 50 h: the 47 h waited do not count.
    await waitingFrom('answered', 'HIGH', 3);
    at(50);
    await side.comment(ANNA, { ticketId: ids.answered, body: 'Вот PNR' });
    // Not waiting: a CRITICAL ticket answered once, due in 4 h.
    at(0);
    ids.working = (await side.create(ANNA, { priority: 'CRITICAL', subject: 'Working' })).ticketId;
    at(1);
    await side.comment(AGENT, { ticketId: ids.working, body: 'Смотрим' });
  });
  afterAll(() => side.close());

  it.each([1.5, 3, 5, 7, 30, 55, 69, 71, 500])('agrees at %s h after the start', async (hours) => {
    side.clock.current = new Date(start.getTime() + hours * 3_600_000);
    const views: TicketView[] = [];
    for (const id of Object.values(ids)) views.push((await q.get(AGENT, { id }))!);
    const flagged = views
      .filter((view) => view.overdue)
      .map((view) => view.id)
      .sort();
    const listed = (await q.list(AGENT, { overdue: true }, null, 100)).nodes.map((view) => view.id).sort();
    expect(listed).toEqual(flagged);
    const [all] = await q.stats(REPORTER, null, []);
    expect(all.overdue).toBe(flagged.length);
    // What the flag itself says (domain.md §4): of the waiting tickets, only the one asked after its
    // deadline is overdue; the answered one is due 24 h after creation plus the 47 h it waited.
    const expected = [
      ...(hours > 4 ? [ids.askedLate, ids.working] : []),
      ...(hours > 71 ? [ids.answered] : []),
    ].sort();
    expect(flagged).toEqual(expected);
  });
});

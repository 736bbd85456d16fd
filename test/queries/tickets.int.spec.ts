import { InvalidInput } from '../../src/domain/domain.errors';
import { Forbidden } from '../../src/application/errors';
import type { TicketSortField, TicketView } from '../../src/application/views';
import { queriesOf } from './query-handlers';
import { AGENT, ANNA, AUDITOR, NOBODY, OLEG, REPORTER, ReadSide, SUPERVISOR } from './read-side.fixture';

describe('ticket lookups and lists', () => {
  let side: ReadSide;
  let q: ReturnType<typeof queriesOf>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    side = await ReadSide.open();
    q = queriesOf(side);
    const make = async (key: string, by = ANNA, input: Parameters<ReadSide['create']>[1] = {}) => {
      ids[key] = (await side.create(by, input)).ticketId;
      side.clock.advanceHours(1);
    };
    await make('refund', ANNA, {
      module: 'SMART_TICKETING',
      category: 'REFUND',
      type: 'TICKET_REFUND',
      subject: 'Возврат билета невозможен',
      description: 'Купоны в статусе U после переоформления',
      priority: 'HIGH',
      pnr: 'a1b2c3',
      nearestDepartureAt: '2026-12-01T10:00:00.000Z',
      channel: 'EMAIL',
    });
    await make('miles', ANNA, {
      subject: 'Не начислены мили',
      description: 'Полёт SU100 Moscow',
      priority: 'LOW',
    });
    await make('coupon', OLEG, {
      module: 'SMART_TICKETING',
      category: 'FAILURES',
      type: 'COUPON_STATUS_CHANGE',
      subject: 'Статус купона',
      description: 'Купон остался открыт',
      pnr: 'ЖЖ1234',
      eTicketNumber: '4212345678901',
      priority: 'CRITICAL',
    });
    // The refund ticket's number stands in the tech ticket's text as a word, for the `#5` search.
    const refundNumber = (await q.get(AGENT, { id: ids.refund }))!.number;
    await make('tech', OLEG, {
      module: 'TECHNOLOGIES',
      category: 'OTHER',
      type: 'TECHNOLOGY_QUESTION',
      subject: 'Вопрос $where',
      description: `Текст .* {"$gt":""} 航班延误, см. ${refundNumber}`,
    });
    for (let i = 0; i < 8; i++)
      await make(`bulk${i}`, i % 2 ? ANNA : OLEG, {
        priority: (['LOW', 'NORMAL', 'HIGH', 'CRITICAL'] as const)[i % 4],
      });
    await side.assign(AGENT, {
      ticketId: ids.refund,
      assigneeId: AGENT.id,
      assigneeName: AGENT.name,
      line: 'FIRST',
    });
    await side.assign(AGENT, {
      ticketId: ids.coupon,
      assigneeId: 'agent_2',
      line: 'SECOND',
      reason: 'Нужна вторая линия',
    });
    await side.comment(AGENT, { ticketId: ids.refund, body: 'Внутренняя заметка', internal: true });
    await side.comment(AGENT, { ticketId: ids.refund, body: 'Пришлите номер билета', requestsReply: true });
    await side.comment(ANNA, { ticketId: ids.refund, body: '4212345678901' });
    await side.requestCoupon(OLEG, { ticketId: ids.coupon, ...couponFields() });
    // A coupon request whose booking the ticket itself does not name: search finds it by the request's.
    await side.requestCoupon(OLEG, {
      ticketId: ids.tech,
      ...couponFields(),
      pnr: 'йцу12е',
      eTicketNumber: '555-9876543210',
    });
    await side.propose(AGENT, ids.refund);
    await side.closeTicket(ANNA, { ticketId: ids.bulk1, resolution: 'WITHDRAWN' });
    // Asked for a reply before anyone took it: unassigned, yet no longer NEW.
    await side.comment(AGENT, { ticketId: ids.bulk2, body: 'Уточните номер PNR', requestsReply: true });
  });
  afterAll(() => side.close());

  function couponFields() {
    return {
      pnr: 'ЖЖ1234',
      eTicketNumber: '4212345678901',
      couponNumbers: [1],
      passengerName: 'PETROV PETR',
      scenario: 'UNAVAILABLE_REFUND' as const,
      fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY' as const,
      toStatus: 'OPEN_FOR_USE' as const,
      description: 'Купон в статусе U после вынужденной замены рейса',
      agent: { lastName: 'Другой', firstName: 'Олег', middleName: null, referenceNumber: 'R-1' },
      agency: { name: 'Агентство', validatorNumber: '995-4731-7', address: 'Омск', contacts: '+7 000' },
    };
  }

  describe('ticket(id, number)', () => {
    it('finds a ticket by id and by number, with its deadlines and correspondence', async () => {
      const byId = (await q.get(AGENT, { id: ids.refund }))!;
      expect(byId).toMatchObject({
        id: ids.refund,
        status: 'SOLUTION_PROPOSED',
        priority: 'HIGH',
        pnr: 'A1B2C3',
        assignee: { id: AGENT.id, line: 'FIRST' },
        commentCount: 3,
        solution: expect.any(String),
      });
      expect(byId.comments.map((c) => c.body)).toEqual([
        'Внутренняя заметка',
        'Пришлите номер билета',
        '4212345678901',
      ]);
      expect(byId.comments[0].author).toEqual({ id: AGENT.id, name: AGENT.name, role: 'AGENT' });
      expect(await q.get(AGENT, { number: byId.number })).toEqual(byId);
    });

    it('is null when missing, and when the requester is not the ticket’s', async () => {
      expect(await q.get(AGENT, { id: '00000000-0000-4000-8000-000000000000' })).toBeNull();
      expect(await q.get(AGENT, { number: 999_999 })).toBeNull();
      expect(await q.get(OLEG, { id: ids.refund })).toBeNull();
      expect(await q.get(NOBODY, { id: ids.refund })).toBeNull();
    });

    it('never shows a requester internal comments, nor counts them', async () => {
      const own = (await q.get(ANNA, { id: ids.refund }))!;
      expect(own.comments.map((c) => c.body)).toEqual(['Пришлите номер билета', '4212345678901']);
      expect(own.commentCount).toBe(2);
      const auditor = (await q.get(AUDITOR, { id: ids.refund }))!;
      expect(auditor.comments).toHaveLength(3);
    });

    it('computes overdue at query time from the stored due times', async () => {
      const fresh = (await q.get(AGENT, { id: ids.tech }))!;
      expect(fresh.overdue).toBe(false);
      const saved = side.clock.current;
      side.clock.current = new Date(Date.parse(fresh.firstResponseDueAt) + 1000);
      expect((await q.get(AGENT, { id: ids.tech }))!.overdue).toBe(true);
      side.clock.current = saved;
    });
  });

  describe('tickets(filter, sort, first, after)', () => {
    const numbersOf = (views: TicketView[]) => views.map((v) => v.number);
    const all = async () => (await q.list(AGENT, null, { field: 'NUMBER', direction: 'ASC' }, 100)).nodes;

    it('lists everything for staff, newest first by default, with the total count', async () => {
      const page = await q.list(AGENT);
      expect(page.totalCount).toBe(12);
      expect(page.nodes).toHaveLength(12);
      expect(numbersOf(page.nodes)).toEqual([...numbersOf(page.nodes)].sort((a, b) => b - a));
      expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: page.edges[11].cursor });
    });

    it('shows requesters only their own tickets, whatever they filter on', async () => {
      const own = await q.list(ANNA, { requesterId: OLEG.id });
      expect(own.totalCount).toBe(0);
      const mine = await q.list(ANNA);
      expect(mine.nodes.every((t) => t.requester.id === ANNA.id)).toBe(true);
      expect(mine.totalCount).toBe(6);
      expect((await q.list(REPORTER)).totalCount).toBe(12);
      await expect(q.list(NOBODY)).rejects.toBeInstanceOf(Forbidden);
    });

    const filterCases: [string, Parameters<typeof q.list>[1], (t: TicketView) => boolean][] = [
      ['status', { status: ['NEW'] }, (t) => t.status === 'NEW'],
      ['priority', { priority: ['HIGH', 'CRITICAL'] }, (t) => ['HIGH', 'CRITICAL'].includes(t.priority)],
      ['channel', { channel: ['EMAIL'] }, (t) => t.channel === 'EMAIL'],
      ['module', { module: ['SMART_TICKETING'] }, (t) => t.module === 'SMART_TICKETING'],
      ['category', { category: ['FAILURES'] }, (t) => t.category === 'FAILURES'],
      ['type', { type: ['TICKET_REFUND'] }, (t) => t.type === 'TICKET_REFUND'],
      ['requesterId', { requesterId: OLEG.id }, (t) => t.requester.id === OLEG.id],
      [
        'validatorNumber',
        { validatorNumber: '995-4731-7' },
        (t) => t.requester.validatorNumber === '995-4731-7',
      ],
      ['assigneeId', { assigneeId: 'agent_2' }, (t) => t.assignee?.id === 'agent_2'],
      ['line', { line: ['SECOND'] }, (t) => t.assignee?.line === 'SECOND'],
      ['assigned', { assigned: true }, (t) => t.assignee !== null],
      ['unassigned, in any status', { assigned: false }, (t) => t.assignee === null],
      [
        'unassigned and open',
        { assigned: false, status: ['NEW', 'AWAITING_REQUESTER'] },
        (t) => t.assignee === null && ['NEW', 'AWAITING_REQUESTER'].includes(t.status),
      ],
      ['hasCouponRequests', { hasCouponRequests: true }, (t) => t.couponRequests.length > 0],
      ['no coupon requests', { hasCouponRequests: false }, (t) => t.couponRequests.length === 0],
      [
        'createdFrom inclusive, createdTo exclusive',
        {
          createdFrom: new Date('2026-11-20T09:00:00.000Z'),
          createdTo: new Date('2026-11-20T12:00:00.000Z'),
        },
        (t) => t.createdAt >= '2026-11-20T09:00:00.000Z' && t.createdAt < '2026-11-20T12:00:00.000Z',
      ],
      [
        'updated range',
        { updatedFrom: new Date('2026-11-20T19:00:00.000Z') },
        (t) => t.updatedAt >= '2026-11-20T19:00:00.000Z',
      ],
      ['overdue: true', { overdue: true }, (t) => t.overdue],
      ['overdue: false', { overdue: false }, (t) => !t.overdue],
    ];

    it.each(filterCases)('filters by %s', async (_name, filter, predicate) => {
      const expected = numbersOf((await all()).filter(predicate));
      const page = await q.list(AGENT, filter, { field: 'NUMBER', direction: 'ASC' }, 100);
      expect(numbersOf(page.nodes)).toEqual(expected);
      expect(page.totalCount).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
    });

    it('finds no unassigned ticket on a line, nor an assigned one by a filter that asks for none', async () => {
      expect((await q.list(AGENT, { assigned: false, line: ['SECOND'] })).totalCount).toBe(0);
      expect((await q.list(AGENT, { assigned: false, assigneeId: 'agent_2' })).totalCount).toBe(0);
      const waiting = await q.list(AGENT, { assigned: false, status: ['AWAITING_REQUESTER'] });
      expect(waiting.nodes.map((t) => t.id)).toEqual([ids.bulk2]);
    });

    it("filters overdue against now, the filter agreeing with each ticket's overdue flag", async () => {
      const saved = side.clock.current;
      try {
        side.clock.advanceHours(30); // first responses (24 h) are late for tickets nobody answered
        const late = await q.list(AGENT, { overdue: true }, { field: 'NUMBER', direction: 'ASC' }, 100);
        const views = await all();
        const expected = views.filter((t) => t.overdue);
        expect(expected.length).toBeGreaterThan(0);
        expect(numbersOf(late.nodes)).toEqual(numbersOf(expected));
        expect(late.nodes.map((t) => t.id)).not.toContain(ids.refund); // answered, solution proposed
        const onTime = await q.list(AGENT, { overdue: false }, null, 100);
        expect(onTime.totalCount + late.totalCount).toBe(12);
      } finally {
        side.clock.current = saved;
      }
    });

    /** The ids of the tickets a search finds (an agent sees them all). */
    const searchIds = async (text: string) =>
      (await q.list(AGENT, { search: text }, null, 100)).nodes.map((t) => t.id);

    it('searches words in any alphabet and case, or an exact number, PNR or e-ticket number', async () => {
      expect(await searchIds('ВОЗВРАТ билета')).toEqual([ids.refund]);
      expect(await searchIds('su100 moscow')).toEqual([ids.miles]);
      expect(await searchIds('ПОЛЁТ moscow')).toEqual([ids.miles]);
      expect(await searchIds('возврат мили')).toEqual([]);
      expect(await searchIds('a1b2c3')).toEqual([ids.refund]);
      expect(await searchIds('жж1234')).toEqual([ids.coupon]);
      expect(await searchIds('4212345678901')).toEqual([ids.coupon]);
      // as agents type it, with hyphens or spaces: the stored digits are found
      expect(await searchIds('421-2345678901')).toEqual([ids.coupon]);
      expect(await searchIds('421 2345678901')).toEqual([ids.coupon]);
      // the PNR and e-ticket number of a coupon request on a ticket that names neither
      expect(await searchIds('ЙЦУ12Е')).toEqual([ids.tech]);
      expect(await searchIds('и\u0306цу12е')).toEqual([ids.tech]); // й typed as и + combining breve
      expect(await searchIds('555 9876543210')).toEqual([ids.tech]);
      // pasted with the punctuation around it, as a word is found without its comma
      expect(await searchIds('ЙЦУ12Е,')).toEqual([ids.tech]);
      expect(await searchIds('"a1b2c3".')).toEqual([ids.refund]);
      expect(await searchIds('(555-9876543210)')).toEqual([ids.tech]);
      const tech = (await q.get(AGENT, { id: ids.tech }))!;
      expect(await searchIds(String(tech.number))).toEqual([ids.tech]);
      expect(await searchIds(`#${tech.number}`)).toEqual([ids.tech]);
      expect(await searchIds(`№ ${tech.number}`)).toEqual([ids.tech]);
      // A bare number is also a word of the texts; `#` and `№` mean the ticket number only.
      const refund = (await q.get(AGENT, { id: ids.refund }))!;
      expect((await searchIds(String(refund.number))).sort()).toEqual([ids.refund, ids.tech].sort());
      expect(await searchIds(`#${refund.number}`)).toEqual([ids.refund]);
      expect(await searchIds(`№${refund.number}`)).toEqual([ids.refund]);
    });

    it('finds Chinese, Japanese or Thai text by any part of it, though it has no spaces', async () => {
      expect(await searchIds('航班')).toEqual([ids.tech]);
      expect(await searchIds('班延误')).toEqual([ids.tech]);
      expect(await searchIds('误')).toEqual([ids.tech]);
      expect(await searchIds('航班 Вопрос')).toEqual([ids.tech]);
      expect(await searchIds('延误航班')).toEqual([]);
      expect(await searchIds('航空')).toEqual([]);
    });

    it('takes a blank text or an empty list in a filter as no filter on that field (a form left empty)', async () => {
      const all = (await q.list(AGENT, null, null, 100)).totalCount;
      for (const filter of [{ search: '' }, { search: '   ' }, { requesterId: '' }, { status: [] }]) {
        expect((await q.list(AGENT, filter, null, 100)).totalCount).toBe(all);
      }
    });

    it('treats operator-looking search text as text', async () => {
      const searchCount = async (text: string) =>
        (await q.list(AGENT, { search: text }, null, 100)).totalCount;
      expect(await searchCount('.*')).toBe(0);
      expect(await searchCount('{"$gt":""}')).toBe(1); // the word "gt" in the tech ticket's description
      expect(await searchCount('$where')).toBe(1); // the word "where" in its subject
      expect(await searchCount('$ne')).toBe(0);
    });

    const sorts: TicketSortField[] = [
      'CREATED_AT',
      'UPDATED_AT',
      'NUMBER',
      'PRIORITY',
      'STATUS',
      'RESOLUTION_DUE_AT',
    ];
    const MET_OR_PAUSED: Record<string, string> = {
      AWAITING_REQUESTER: '~',
      SOLUTION_PROPOSED: '~~',
      CLOSED: '~~',
    };
    const rank = (field: TicketSortField, t: TicketView): string | number =>
      ({
        CREATED_AT: t.createdAt,
        UPDATED_AT: t.updatedAt,
        NUMBER: t.number,
        PRIORITY: ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'].indexOf(t.priority),
        STATUS: [
          'NEW',
          'ASSIGNED',
          'IN_PROGRESS',
          'AWAITING_REQUESTER',
          'SOLUTION_PROPOSED',
          'CLOSED',
        ].indexOf(t.status),
        // A paused deadline (waiting on the requester) sorts after every running one, and a met one
        // (solution proposed, closed) after both: see resolutionSortKey.
        RESOLUTION_DUE_AT: (MET_OR_PAUSED[t.status] ?? '') + t.resolutionDueAt,
      })[field];

    it.each(
      sorts.flatMap((field) => (['ASC', 'DESC'] as const).map((direction) => [field, direction] as const)),
    )('sorts by %s %s, ties by number, and pages by keyset', async (field, direction) => {
      const sign = direction === 'ASC' ? 1 : -1;
      const expected = (await all())
        .sort((a, b) => {
          const [x, y] = [rank(field, a), rank(field, b)];
          return (x < y ? -1 : x > y ? 1 : a.number - b.number) * sign;
        })
        .map((t) => t.number);
      const seen: number[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page = await q.list(AGENT, null, { field, direction }, 5, after);
        expect(page.totalCount).toBe(12);
        seen.push(...numbersOf(page.nodes));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toEqual(expected);
    });

    it('refuses more than 100 a page, negative sizes and foreign cursors', async () => {
      await expect(q.list(AGENT, null, null, 101)).rejects.toMatchObject({
        fields: [{ path: 'first', message: expect.any(String) }],
      });
      await expect(q.list(AGENT, null, null, -1)).rejects.toBeInstanceOf(InvalidInput);
      const page = await q.list(AGENT, null, { field: 'NUMBER', direction: 'ASC' }, 2);
      await expect(
        q.list(AGENT, null, { field: 'PRIORITY', direction: 'ASC' }, 2, page.pageInfo.endCursor),
      ).rejects.toMatchObject({
        fields: [{ path: 'after', message: expect.any(String) }],
      });
      await expect(q.list(AGENT, null, null, 2, 'not a cursor')).rejects.toBeInstanceOf(InvalidInput);
      expect((await q.list(AGENT, null, null, 0)).nodes).toEqual([]);
    });
  });

  it('sorts a ticket waiting on the requester after every running deadline, and by time left among such', async () => {
    const own = await ReadSide.open();
    const ownQ = queriesOf(own);
    try {
      const urgent = (await own.create(ANNA, { priority: 'CRITICAL', subject: 'Срочно' })).ticketId;
      const waiting = (await own.create(ANNA, { priority: 'CRITICAL', subject: 'Ждёт ответа' })).ticketId;
      const slow = (await own.create(ANNA, { priority: 'LOW', subject: 'Не срочно' })).ticketId;
      await own.comment(AGENT, { ticketId: waiting, body: 'Пришлите билет', requestsReply: true });
      own.clock.advanceHours(5);
      const order = async (direction: 'ASC' | 'DESC') => {
        const page = await ownQ.list(AGENT, null, { field: 'RESOLUTION_DUE_AT', direction }, 10);
        return page.nodes.map((t) => t.id);
      };
      // The waiting ticket shows a deadline 5 hours later than it had, still before the LOW one's; its
      // clock is stopped, so the desk's most urgent-first list puts it last.
      const shown = (id: string) => ownQ.get(AGENT, { id }).then((t) => t!.resolutionDueAt);
      expect((await shown(urgent)) < (await shown(waiting))).toBe(true);
      expect((await shown(waiting)) < (await shown(slow))).toBe(true);
      expect(await order('ASC')).toEqual([urgent, slow, waiting]);
      expect(await order('DESC')).toEqual([waiting, slow, urgent]);
      // Answered, its clock runs again and it sorts by its (moved) deadline.
      await own.comment(ANNA, { ticketId: waiting, body: '4212345678901' });
      expect(await order('ASC')).toEqual([urgent, waiting, slow]);
    } finally {
      await own.close();
    }
  });

  it('counts what a long pasted Chinese passage finds (each of its hundreds of pairs a condition)', async () => {
    const own = await ReadSide.open();
    const ownQ = queriesOf(own);
    try {
      const passage = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7)).join('');
      const { ticketId } = await own.create(ANNA, { subject: 'Ошибка', description: `Текст: ${passage}` });
      // Another ticket with the passage's first half only: found by a short quote, not by the whole one.
      await own.create(ANNA, { subject: 'Ошибка', description: passage.slice(0, 150) });
      for (const by of [AGENT, ANNA]) {
        const page = await ownQ.list(by, { search: passage }, null, 100);
        expect(page.nodes.map((t) => t.id)).toEqual([ticketId]);
        expect(page.totalCount).toBe(1);
        expect((await ownQ.list(by, { search: passage.slice(0, 100) }, null, 100)).totalCount).toBe(2);
      }
    } finally {
      await own.close();
    }
  });

  it('works for supervisors too', async () => {
    expect((await q.list(SUPERVISOR)).totalCount).toBe(12);
  });
});

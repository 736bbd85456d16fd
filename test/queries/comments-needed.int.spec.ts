/**
 * A ticket's comments are read from the read store only when the caller's selection needs them: its
 * comments (only the latest, when that is all it shows), or a requester's comment count (counted from
 * what they may see). Staff's count is the ticket document's own. What is read is reserved from the
 * request's budget first.
 */
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { GetTicketHandler } from '../../src/application/queries/get-ticket.handler';
import { ListTicketsHandler } from '../../src/application/queries/list-tickets.handler';
import { TICKET_COMMENTS } from '../../src/application/queries/read-models';
import {
  type CommentsNeeded,
  GetTicketQuery,
  ListTicketsQuery,
} from '../../src/application/queries/ticket-queries';
import { ReadBudget } from '../../src/application/queries/read-budget';
import { InvalidInput } from '../../src/domain/domain.errors';
import { AGENT, ANNA, ReadSide } from './read-side.fixture';

describe('reading comments only when they are selected', () => {
  let side: ReadSide;
  let ticketId: string;
  let commentReads = 0;
  let commentCounts = 0;
  let counting: ReadStore;

  beforeAll(async () => {
    side = await ReadSide.open();
    ticketId = (await side.create(ANNA)).ticketId;
    await side.comment(AGENT, { ticketId, body: 'Смотрим', internal: true });
    await side.comment(AGENT, { ticketId, body: 'Пришлите PNR' });
    const store = side.readStore;
    counting = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'find' && property !== 'aggregate') {
          return Reflect.get(target, property, receiver) as unknown;
        }
        return (collection: string, ...rest: unknown[]) => {
          if (collection === TICKET_COMMENTS && property === 'find') commentReads++;
          if (collection === TICKET_COMMENTS && property === 'aggregate') commentCounts++;
          return (store[property] as (...args: unknown[]) => unknown)(collection, ...rest);
        };
      },
    });
  });
  afterAll(() => side.close());

  const get = (
    principal: typeof AGENT,
    comments: boolean,
    commentCount: boolean,
    more: Partial<CommentsNeeded> = {},
    id = ticketId,
  ) =>
    new GetTicketHandler(counting, side.clock).execute(
      new GetTicketQuery(principal, { id }, { comments, commentCount, ...more }),
    );
  const list = (principal: typeof AGENT, comments: boolean, commentCount: boolean) =>
    new ListTicketsHandler(counting, side.clock).execute(
      new ListTicketsQuery(principal, null, null, 20, null, { comments, commentCount }),
    );

  it('staff asking for neither, or for the count only, read no comment', async () => {
    commentReads = 0;
    expect((await get(AGENT, false, true))?.commentCount).toBe(2);
    expect((await list(AGENT, false, false)).nodes[0].commentCount).toBe(2);
    expect(commentReads).toBe(0);
  });

  it("a requester's count is counted by the store from the comments they may see, none read", async () => {
    commentReads = 0;
    commentCounts = 0;
    expect((await get(ANNA, false, true))?.commentCount).toBe(1);
    expect([commentReads, commentCounts]).toEqual([0, 1]);
    expect((await get(ANNA, false, false))?.id).toBe(ticketId);
    expect([commentReads, commentCounts]).toEqual([0, 1]);
    // Nothing read, nothing taken from the request's budget.
    const budget = new ReadBudget(0, 0);
    expect((await get(ANNA, false, true, { budget }))?.commentCount).toBe(1);
  });

  it('reads only the latest comments of a ticket holding many more than the selection shows (comments(last:))', async () => {
    const long = (await side.create(ANNA)).ticketId;
    // 30 comments, every fifth internal: the requester may see 24 of them.
    for (let i = 1; i <= 30; i++) {
      await side.comment(AGENT, { ticketId: long, body: `c${i}`, internal: i % 5 === 0 });
    }
    const bodies = (view: Awaited<ReturnType<typeof get>>) => view?.comments.map((c) => c.body);
    commentReads = 0;
    commentCounts = 0;
    const staff = await get(AGENT, true, true, { last: 2 }, long);
    expect([bodies(staff), staff?.commentCount]).toEqual([['c29', 'c30'], 30]);
    // The requester's latest two are the latest two they may see; their count is counted apart.
    const requester = await get(ANNA, true, true, { last: 2 }, long);
    expect([bodies(requester), requester?.commentCount]).toEqual([['c28', 'c29'], 24]);
    // A requester's count alone, on such a ticket, is counted without reading the comments.
    expect((await get(ANNA, false, true, {}, long))?.commentCount).toBe(24);
    expect([commentReads, commentCounts]).toEqual([2, 2]);
    // A ticket holding few more than shown is read whole, with the others (the resolver shows the latest).
    const all = await get(ANNA, true, true, { last: 10 }, long);
    expect([bodies(all)?.length, all?.commentCount]).toEqual([24, 24]);
    expect([commentReads, commentCounts]).toEqual([3, 2]);
    const none = await get(AGENT, true, true, { last: 0 }, long);
    expect([bodies(none), none?.commentCount]).toEqual([[], 30]);
  });

  it("refuses, before reading them, comments past the request's budget, counting every read of it", async () => {
    const budget = new ReadBudget(3, 1_000);
    commentReads = 0;
    expect((await get(AGENT, true, false, { budget }))?.comments).toHaveLength(2);
    await expect(get(AGENT, true, false, { budget })).rejects.toThrow(InvalidInput);
    expect(commentReads).toBe(1);
    // No body shown, no text counted.
    expect(
      (await get(AGENT, true, false, { bodies: false, budget: new ReadBudget(100, 0) }))?.comments,
    ).toHaveLength(2);
    // The text counted is the text shown: the latest of a ticket read whole counts alone.
    const latestOnly = await get(AGENT, true, false, { last: 1, budget: new ReadBudget(100, 12) });
    expect(latestOnly?.comments.map((c) => c.body).at(-1)).toBe('Пришлите PNR');
    // The text is counted too, after reading.
    const short = new ReadBudget(100, 10);
    await expect(get(AGENT, true, false, { budget: short })).rejects.toMatchObject({
      fields: [
        {
          path: '',
          message: expect.stringMatching(/more than 10 characters of comments and history \(at comments\)/),
        },
      ],
    });
  });

  it('comments selected are read and served as before', async () => {
    commentReads = 0;
    expect((await get(AGENT, true, false))?.comments.map((c) => c.body)).toEqual(['Смотрим', 'Пришлите PNR']);
    const node = (await list(ANNA, true, true)).nodes.find((ticket) => ticket.id === ticketId);
    expect(node?.comments.map((c) => c.body)).toEqual(['Пришлите PNR']);
    expect(commentReads).toBe(2);
  });
});

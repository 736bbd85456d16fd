/**
 * A ticket's comments are read from the read store only when the caller's selection needs them: its
 * comments, or a requester's comment count (counted from what they may see). Staff's count is the
 * ticket document's own.
 */
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { GetTicketHandler } from '../../src/application/queries/get-ticket.handler';
import { ListTicketsHandler } from '../../src/application/queries/list-tickets.handler';
import { TICKET_COMMENTS } from '../../src/application/queries/read-models';
import { GetTicketQuery, ListTicketsQuery } from '../../src/application/queries/ticket-queries';
import { AGENT, ANNA, ReadSide } from './read-side.fixture';

describe('reading comments only when they are selected', () => {
  let side: ReadSide;
  let ticketId: string;
  let commentReads = 0;
  let counting: ReadStore;

  beforeAll(async () => {
    side = await ReadSide.open();
    ticketId = (await side.create(ANNA)).ticketId;
    await side.comment(AGENT, { ticketId, body: 'Смотрим', internal: true });
    await side.comment(AGENT, { ticketId, body: 'Пришлите PNR' });
    const store = side.readStore;
    counting = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'find') return Reflect.get(target, property, receiver) as unknown;
        return (collection: string, ...rest: unknown[]) => {
          if (collection === TICKET_COMMENTS) commentReads++;
          return (store.find as (...args: unknown[]) => unknown)(collection, ...rest);
        };
      },
    });
  });
  afterAll(() => side.close());

  const get = (principal: typeof AGENT, comments: boolean, commentCount: boolean) =>
    new GetTicketHandler(counting, side.clock).execute(
      new GetTicketQuery(principal, { id: ticketId }, { comments, commentCount }),
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

  it("a requester's count is counted from the comments they may see, so those are read", async () => {
    commentReads = 0;
    expect((await get(ANNA, false, true))?.commentCount).toBe(1);
    expect(commentReads).toBe(1);
    expect((await get(ANNA, false, false))?.id).toBe(ticketId);
    expect(commentReads).toBe(1);
  });

  it('comments selected are read and served as before', async () => {
    commentReads = 0;
    expect((await get(AGENT, true, false))?.comments.map((c) => c.body)).toEqual(['Смотрим', 'Пришлите PNR']);
    expect((await list(ANNA, true, true)).nodes[0].comments.map((c) => c.body)).toEqual(['Пришлите PNR']);
    expect(commentReads).toBe(2);
  });
});

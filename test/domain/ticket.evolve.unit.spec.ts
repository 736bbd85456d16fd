import {
  evolve,
  fold,
  foldEntries,
  foldEntriesOnto,
  initialState,
  type TicketState,
} from '../../src/domain/ticket';
import type { TicketEvent } from '../../src/domain/ticket.events';
import {
  AGENT,
  REQUESTER,
  SUPERVISOR,
  T0,
  TICKET_ID,
  commentAdded,
  isoAfter,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
  ticketCreated,
  ticketReopened,
} from './fixtures';

const story = [
  ticketCreated(),
  ticketAssigned(1, AGENT, 'FIRST', null, SUPERVISOR),
  commentAdded(2, AGENT, { id: 'c1', body: 'Смотрим' }),
  commentAdded(3, AGENT, { id: 'c2', body: 'Только для своих', internal: true }),
  solutionProposed(4, AGENT, 'Начислили'),
  ticketClosed(5, 'CONFIRMED', REQUESTER),
  ticketReopened(6, REQUESTER, 'Снова пропали'),
];

describe('§1/§2/§7 the ticket folded from its events', () => {
  it('§7 no events: no ticket', () => {
    expect(fold([])).toBeNull();
    expect(initialState).toBeNull();
  });

  it('§1 version is the stream revision of the last event (0 after creation)', () => {
    expect(fold(story.slice(0, 1))?.version).toBe(0);
    expect(fold(story)?.version).toBe(story.length - 1);
  });

  it('§2 a whole story: every field as the events left it', () => {
    expect(fold(story)).toEqual({
      id: TICKET_ID,
      number: 1001,
      version: 6,
      status: 'IN_PROGRESS',
      priority: 'NORMAL',
      channel: 'WEB',
      module: 'BONUS',
      category: 'MILES',
      type: 'MILES_ACCRUAL',
      subject: 'Не начислены мили',
      description: 'Мили за перелёт не начислены',
      pnr: null,
      nearestDepartureAt: null,
      eTicketNumber: null,
      requester: { id: REQUESTER.id, name: REQUESTER.name, validatorNumber: '995-4731-7' },
      assignee: { id: AGENT.id, name: AGENT.name, line: 'FIRST' },
      createdAt: T0,
      updatedAt: isoAfter(6),
      firstResponseDueAt: isoAfter(24),
      firstRespondedAt: isoAfter(2),
      resolutionDueAt: isoAfter(72),
      awaitingRequesterSince: null,
      closedAt: null,
      resolution: null,
      reopenCount: 1,
      commentCount: 2,
      comments: [
        {
          id: 'c1',
          author: { id: AGENT.id, role: 'AGENT', name: null },
          body: 'Смотрим',
          internal: false,
          requestsReply: false,
          createdAt: isoAfter(2),
        },
        {
          id: 'c2',
          author: { id: AGENT.id, role: 'AGENT', name: null },
          body: 'Только для своих',
          internal: true,
          requestsReply: false,
          createdAt: isoAfter(3),
        },
      ],
      solution: 'Начислили',
      solutionProposedAt: isoAfter(4),
      lastRequesterCommentAt: null,
      couponRequests: [],
    });
  });

  it('§7 folding with metadata names the comment authors as they were then', () => {
    const state = foldEntries(
      story.map((event) => ({
        event,
        meta: { actorName: event.data.actor.id === AGENT.id ? 'Ирина' : null },
      })),
    );
    expect(state?.comments.map((c) => c.author.name)).toEqual(['Ирина', 'Ирина']);
  });

  it('§7 as-of: folding a prefix of the events gives the ticket as it stood then', () => {
    const asOf = story.filter((e) => Date.parse(e.data.occurredAt) <= Date.parse(isoAfter(5)));
    expect(fold(asOf)).toMatchObject({
      status: 'CLOSED',
      resolution: 'CONFIRMED',
      closedAt: isoAfter(5),
      version: 5,
    });
  });

  it('§7 evolve is pure: the previous state is left as it was and replays give equal states', () => {
    const before = fold(story.slice(0, 2));
    const snapshot = JSON.parse(JSON.stringify(before));
    evolve(before, story[2]);
    expect(before).toEqual(snapshot);
    expect(fold(story)).toEqual(fold(story));
  });

  it('§7 a fold appends to the lists it made itself, and comes out as the pure evolve would (long history)', () => {
    const long: TicketEvent[] = [ticketCreated()];
    for (let i = 1; i <= 2_000; i++) {
      long.push(commentAdded(i, i % 2 ? AGENT : REQUESTER, { id: `c${i}`, body: `Комментарий ${i}` }));
    }
    const pure = long.reduce<ReturnType<typeof evolve> | null>((state, event) => evolve(state, event), null);
    const folded = fold(long);
    expect(folded).toEqual(pure);
    expect(folded?.comments).toHaveLength(2_000);
    // The pure evolve still copies: a state given to it is never changed.
    const before = fold(long.slice(0, 10));
    const comments = before?.comments.length;
    evolve(before, commentAdded(10, AGENT, { id: 'extra', body: 'Ещё' }));
    expect(before?.comments).toHaveLength(comments as number);
  });

  it('§7 folding on a state someone holds leaves it as it was and comes out as the whole fold', () => {
    const held = fold(story.slice(0, 3)) as TicketState;
    const snapshot = JSON.parse(JSON.stringify(held));
    const rest = story.slice(3).map((event) => ({ event }));

    const onto = foldEntriesOnto(held, rest);
    expect(onto).toEqual(fold(story));
    expect(held).toEqual(snapshot);
    // Folding on the result again does not reach back into it either.
    foldEntriesOnto(onto, [{ event: commentAdded(7, AGENT, { id: 'c3', body: 'Ещё' }) }]);
    expect(onto).toEqual(fold(story));
  });

  it('§2 a stream must start with TicketCreated, and only once', () => {
    expect(() => fold([commentAdded(1, AGENT)])).toThrow(/before TicketCreated/);
    expect(() => fold([ticketCreated(), ticketCreated()])).toThrow(/existing ticket/);
  });
});

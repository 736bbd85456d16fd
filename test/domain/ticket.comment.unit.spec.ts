import {
  AGENT,
  AUDITOR,
  OTHER_AGENT,
  OTHER_REQUESTER,
  REPORTER,
  REQUESTER,
  SUPERVISOR,
  SYSTEM,
  comment,
  commentAdded,
  hoursAfter,
  isoAfter,
  solutionProposed,
  ticketAssigned,
  ticketClosed,
  ticketCreated,
} from './fixtures';
import { given } from './given-when-then';

const now = hoursAfter(2);
const created = ticketCreated();
const assigned = ticketAssigned(1, AGENT);
const awaiting = commentAdded(1.5, AGENT, { requestsReply: true });

describe('§2 CommentAdded', () => {
  it("§2 CommentAdded: an agent's public comment is recorded with its author and time", () => {
    given(created)
      .when(comment('  Проверяем начисление  '), { now, actor: AGENT })
      .then([
        {
          type: 'CommentAdded',
          data: {
            occurredAt: isoAfter(2),
            actor: { id: AGENT.id, role: 'AGENT' },
            commentId: 'comment-1',
            body: 'Проверяем начисление',
            internal: false,
            requestsReply: false,
          },
        },
      ]);
  });

  it('§2 CommentAdded: body is 1–10,000 characters', () => {
    given(created).when(comment('   '), { now, actor: AGENT }).thenInvalidInput(['body']);
    given(created).when(comment('\u200b\u200b'), { now, actor: AGENT }).thenInvalidInput(['body']);
    given(created)
      .when(comment('б'.repeat(10_001)), { now, actor: AGENT })
      .thenInvalidInput(['body']);
    given(created)
      .when(comment('б'.repeat(10_000)), { now, actor: AGENT })
      .thenEvents();
  });

  it('§2 CommentAdded: body holds no control characters, but tabs and line breaks are fine', () => {
    given(created).when(comment('a\u0001b'), { now, actor: AGENT }).thenInvalidInput(['body']);
    given(created).when(comment('a\u007fb'), { now, actor: AGENT }).thenInvalidInput(['body']);
    given(created).when(comment('a\u0085b'), { now, actor: AGENT }).thenInvalidInput(['body']);
    given(created).when(comment('Строка 1\r\n\tСтрока 2'), { now, actor: AGENT }).thenEvents();
    // A vertical tab or a form feed (Word's manual line break, a PDF's page break) is kept as a line break.
    const [pasted] = given(created)
      .when(comment('Строка 1\vСтрока 2\fСтрока 3'), { now, actor: AGENT })
      .thenEvents();
    expect((pasted.data as { body: string }).body).toBe('Строка 1\nСтрока 2\nСтрока 3');
    // Not in an id, which is taken exactly or refused.
    given(created)
      .when({ ...comment('Текст'), commentId: 'c\v1' }, { now, actor: AGENT })
      .thenInvalidInput(['commentId']);
  });

  it('§2 CommentAdded: a requester writes at most 1,000 comments on one ticket (comment.too-many-on-ticket), staff go on', () => {
    const thousand = Array.from({ length: 1_000 }, (_, i) =>
      commentAdded(1 + i / 10_000, REQUESTER, { id: `c-${i}` }),
    );
    given(created, ...thousand.slice(1))
      .when(comment('Ещё один'), { now, actor: REQUESTER })
      .thenEvents();
    const refused = given(created, ...thousand)
      .when(comment('Ещё один'), { now, actor: REQUESTER })
      .thenRuleViolated('comment.too-many-on-ticket');
    expect(refused.guidance).toMatch(/^open a new ticket that refers to this one \(number \d+\) to go on$/);
    // The desk still replies and notes on such a ticket.
    given(created, ...thousand)
      .when(comment('Отвечаем'), { now, actor: AGENT })
      .thenEvents();
    given(created, ...thousand)
      .when({ ...comment('Заметка'), internal: true }, { now, actor: AGENT })
      .thenEvents();
  });

  it('§2 CommentAdded is refused on a CLOSED ticket (ticket.closed)', () => {
    given(created, ticketClosed(1, 'WITHDRAWN'))
      .when(comment(), { now, actor: REQUESTER })
      .thenRuleViolated('ticket.closed');
    given(created, ticketClosed(1, 'WITHDRAWN'))
      .when(comment(), { now, actor: AGENT })
      .thenRuleViolated('ticket.closed');
  });

  it.each([AUDITOR, REPORTER, SYSTEM].map((actor) => ({ role: actor.role, actor })))(
    '§6 CommentAdded: a $role cannot comment (comment.role)',
    ({ actor }) => {
      given(created).when(comment(), { now, actor }).thenRuleViolated('comment.role');
    },
  );

  it('§2/§6 CommentAdded: a requester comments only on their own ticket (ticket.not-owner)', () => {
    given(created).when(comment(), { now, actor: OTHER_REQUESTER }).thenRuleViolated('ticket.not-owner');
    given(created).when(comment(), { now, actor: REQUESTER }).thenEvents();
  });

  it('§2 CommentAdded: a requester never writes internal comments (comment.internal-staff-only)', () => {
    given(created)
      .when(comment('x', { internal: true }), { now, actor: REQUESTER })
      .thenRuleViolated('comment.internal-staff-only');
  });

  it('§2 CommentAdded: requestsReply is for agents only (comment.requests-reply-staff-only)', () => {
    given(created)
      .when(comment('x', { requestsReply: true }), { now, actor: REQUESTER })
      .thenRuleViolated('comment.requests-reply-staff-only');
  });

  it('§2 CommentAdded: an internal comment cannot ask the requester for a reply they cannot see', () => {
    given(created)
      .when(comment('x', { internal: true, requestsReply: true }), { now, actor: AGENT })
      .thenRuleViolated('comment.internal-cannot-request-reply');
  });

  it('§2 CommentAdded: agents and supervisors write internal comments, status unchanged', () => {
    for (const actor of [AGENT, SUPERVISOR]) {
      const state = given(created, assigned)
        .when(comment('Только для своих', { internal: true }), { now, actor })
        .thenState();
      expect(state.status).toBe('ASSIGNED');
      expect(state.comments[0]).toMatchObject({ internal: true, author: { id: actor.id, role: actor.role } });
    }
  });

  describe('§2 how CommentAdded moves the status', () => {
    it.each([
      { status: 'NEW', history: [] },
      { status: 'ASSIGNED', history: [assigned] },
      { status: 'IN_PROGRESS', history: [assigned, commentAdded(1.2, AGENT)] },
      { status: 'SOLUTION_PROPOSED', history: [assigned, solutionProposed(1.2)] },
    ])("§2 an agent's comment with requestsReply while $status → AWAITING_REQUESTER", ({ history }) => {
      const state = given(created, ...history)
        .when(comment('Пришлите PNR', { requestsReply: true }), { now, actor: AGENT })
        .thenState();
      expect(state.status).toBe('AWAITING_REQUESTER');
      expect(state.awaitingRequesterSince).toBe(isoAfter(2));
    });

    it("§2 the assignee's public comment while ASSIGNED → IN_PROGRESS (taken into work)", () => {
      expect(given(created, assigned).when(comment(), { now, actor: AGENT }).thenState().status).toBe(
        'IN_PROGRESS',
      );
    });

    it("§2 the assignee's internal comment while ASSIGNED leaves it ASSIGNED", () => {
      expect(
        given(created, assigned)
          .when(comment('x', { internal: true }), { now, actor: AGENT })
          .thenState().status,
      ).toBe('ASSIGNED');
    });

    it("§2 another agent's public comment while ASSIGNED leaves it ASSIGNED", () => {
      expect(given(created, assigned).when(comment(), { now, actor: OTHER_AGENT }).thenState().status).toBe(
        'ASSIGNED',
      );
    });

    it("§2 a requester's comment while AWAITING_REQUESTER → IN_PROGRESS when assigned", () => {
      expect(
        given(created, assigned, awaiting).when(comment('Вот PNR'), { now, actor: REQUESTER }).thenState()
          .status,
      ).toBe('IN_PROGRESS');
    });

    it("§2 a requester's comment while AWAITING_REQUESTER → NEW when nobody is assigned", () => {
      const asked = commentAdded(1.5, AGENT, { requestsReply: true });
      expect(
        given(created, asked).when(comment('Вот PNR'), { now, actor: REQUESTER }).thenState().status,
      ).toBe('NEW');
    });

    it.each([
      { status: 'NEW', history: [] },
      { status: 'ASSIGNED', history: [assigned] },
      { status: 'IN_PROGRESS', history: [assigned, commentAdded(1.2, AGENT)] },
      { status: 'SOLUTION_PROPOSED', history: [assigned, solutionProposed(1.2)] },
    ])("§2 a requester's comment while $status leaves the status unchanged", ({ status, history }) => {
      expect(
        given(created, ...history)
          .when(comment(), { now, actor: REQUESTER })
          .thenState().status,
      ).toBe(status);
    });

    it.each([
      { status: 'AWAITING_REQUESTER', history: [assigned, awaiting] },
      { status: 'SOLUTION_PROPOSED', history: [assigned, solutionProposed(1.5)] },
    ])(
      "§2 an agent's comment without requestsReply while $status leaves the status unchanged",
      ({ status, history }) => {
        for (const actor of [AGENT, OTHER_AGENT, SUPERVISOR]) {
          for (const internal of [false, true]) {
            expect(
              given(created, ...history)
                .when(comment('Смотрим', { internal }), { now, actor })
                .thenState().status,
            ).toBe(status);
          }
        }
      },
    );

    it("§2 an agent's public comment while IN_PROGRESS leaves it IN_PROGRESS", () => {
      const inProgress = commentAdded(1.2, AGENT);
      expect(
        given(created, assigned, inProgress).when(comment(), { now, actor: OTHER_AGENT }).thenState().status,
      ).toBe('IN_PROGRESS');
    });
  });

  describe('§2 first response', () => {
    it('§2 the first public agent comment is the first response (firstRespondedAt)', () => {
      const state = given(created).when(comment(), { now, actor: AGENT }).thenState();
      expect(state.firstRespondedAt).toBe(isoAfter(2));
    });

    it("§2 an internal comment or a requester's comment is no first response", () => {
      expect(
        given(created)
          .when(comment('x', { internal: true }), { now, actor: AGENT })
          .thenState().firstRespondedAt,
      ).toBeNull();
      expect(
        given(created).when(comment(), { now, actor: REQUESTER }).thenState().firstRespondedAt,
      ).toBeNull();
    });

    it('§2 a later public comment does not move the first response', () => {
      const state = given(created, commentAdded(1, SUPERVISOR))
        .when(comment(), { now, actor: AGENT })
        .thenState();
      expect(state.firstRespondedAt).toBe(isoAfter(1));
    });
  });

  it("§7 the comment's author carries the name recorded in the event metadata when folded with it", () => {
    const state = given(created).when(comment(), { now, actor: AGENT }).thenState();
    expect(state.comments).toEqual([
      {
        id: 'comment-1',
        author: { id: AGENT.id, role: 'AGENT', name: null },
        body: 'Проверяем',
        internal: false,
        requestsReply: false,
        createdAt: isoAfter(2),
      },
    ]);
    expect(state.commentCount).toBe(1);
  });
});

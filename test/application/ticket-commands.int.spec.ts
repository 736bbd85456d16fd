import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { ApplicationModule } from '../../src/application/application.module';
import {
  AddCommentCommand,
  AssignTicketCommand,
  CloseTicketCommand,
  CreateTicketCommand,
  ProposeSolutionCommand,
  ReopenTicketCommand,
  RequestCouponStatusChangeCommand,
  type CreateTicketInput,
} from '../../src/application/commands/ticket-commands';
import { ConcurrencyConflict, Forbidden, NotFound } from '../../src/application/errors';
import { AUTO_CLOSE_CANDIDATES } from '../../src/application/ports/auto-close-candidates.port';
import { CATALOG } from '../../src/application/ports/catalog.port';
import { CLOCK } from '../../src/application/ports/clock.port';
import { EVENT_STORE } from '../../src/application/ports/event-store.port';
import { IDS, uuidIds } from '../../src/application/ports/ids.port';
import { TICKET_POLICY } from '../../src/application/ports/ticket-policy.port';
import type { Principal } from '../../src/application/principal';
import type { CommandResult } from '../../src/application/views';
import { InvalidInput, RuleViolated } from '../../src/domain/domain.errors';
import { DEFAULT_CATALOG } from '../../src/domain/catalog';
import { DEFAULT_POLICY } from '../../src/domain/ticket.commands';
import { ticketStreamName } from '../../src/domain/ticket.events';
import {
  AGENT_PRINCIPAL,
  allEvents,
  AUDITOR_PRINCIPAL,
  couponForm,
  OTHER_REQUESTER_PRINCIPAL,
  PinnedClock,
  principal,
  REQUESTER_PRINCIPAL,
  SUPERVISOR_PRINCIPAL,
  TempStore,
} from './support';

const ticketInput = (overrides: Partial<CreateTicketInput> = {}): CreateTicketInput => ({
  module: 'BONUS',
  category: 'MILES',
  type: 'MILES_ACCRUAL',
  subject: 'Не начислены мили',
  description: 'Мили за перелёт SU100 3 сентября не начислены',
  ...overrides,
});

describe('ticket commands through the CommandBus (ApplicationModule on the embedded store)', () => {
  let temp: TempStore;
  let app: INestApplicationContext;
  let bus: CommandBus;
  const clock = new PinnedClock();

  beforeEach(async () => {
    temp = await TempStore.open();
    const store = temp.store;

    @Global()
    @Module({
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: CLOCK, useValue: clock },
        { provide: IDS, useValue: uuidIds },
        { provide: TICKET_POLICY, useValue: DEFAULT_POLICY },
        { provide: CATALOG, useValue: DEFAULT_CATALOG },
        { provide: AUTO_CLOSE_CANDIDATES, useValue: { solutionProposedBy: async () => [] } },
      ],
      exports: [EVENT_STORE, CLOCK, IDS, TICKET_POLICY, CATALOG, AUTO_CLOSE_CANDIDATES],
    })
    class TestPortsModule {}

    app = await NestFactory.createApplicationContext(
      ApplicationModule.register({ imports: [TestPortsModule] }),
      {
        logger: false,
      },
    );
    bus = app.get(CommandBus);
  });
  afterEach(async () => {
    await app.close();
    await temp.dispose();
  });

  const stream = (ticketId: string) => temp.store.readStream(ticketStreamName(ticketId));
  const create = (who: Principal = REQUESTER_PRINCIPAL, input: CreateTicketInput = ticketInput()) =>
    bus.execute(new CreateTicketCommand(who, input));

  it("creates a requester's ticket with the requester and the actor taken from the token", async () => {
    const result = await create();

    const [created] = await stream(result.ticketId);
    expect(result.version).toBe(0);
    expect(created.data).toMatchObject({
      number: 1,
      requester: { id: 'kassir_5LE', name: 'Анна Кассирова', validatorNumber: '995-4731-7' },
      actor: { id: 'kassir_5LE', role: 'REQUESTER' },
    });
    expect(created.metadata).toMatchObject({
      actor: { id: 'kassir_5LE', name: 'Анна Кассирова', role: 'REQUESTER' },
    });
  });

  it('gives concurrently created tickets different, increasing numbers', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create()));
    const numbers = await Promise.all(
      results.map(async (r) => ((await stream(r.ticketId))[0].data as { number: number }).number),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Increasing in the order the tickets were stored: a later ticket never has a smaller number.
    const inStoredOrder = results
      .map((r, i) => ({ position: r.position, number: numbers[i] }))
      .sort((a, b) => (a.position < b.position ? -1 : 1))
      .map((r) => r.number);
    expect(inStoredOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('given the same commandId twice, creates one ticket and answers the same both times', async () => {
    const first = await create(REQUESTER_PRINCIPAL, ticketInput({ commandId: 'create-1' }));
    const again = await create(REQUESTER_PRINCIPAL, ticketInput({ commandId: 'create-1' }));

    expect(again).toEqual({ ...first, repeated: true });
    expect((await allEvents(temp.store)).filter((e) => e.type === 'TicketCreated')).toHaveLength(1);
    // The retry did not burn a ticket number either.
    const next = await create();
    expect(((await stream(next.ticketId))[0].data as { number: number }).number).toBe(2);
  });

  it('a refused create leaves no gap in the numbers, also when numbers are reserved ahead', async () => {
    // A steady stream of creates makes the allocator reserve ahead, so the refused one takes a number.
    for (let i = 0; i < 4; i++) await create();
    await expect(create(REQUESTER_PRINCIPAL, ticketInput({ subject: '' }))).rejects.toThrow();
    const next = await create();
    expect(((await stream(next.ticketId))[0].data as { number: number }).number).toBe(5);
  });

  it('given two callers who pick the same commandId, creates two tickets', async () => {
    const mine = await create(REQUESTER_PRINCIPAL, ticketInput({ commandId: 'same' }));
    const theirs = await create(OTHER_REQUESTER_PRINCIPAL, ticketInput({ commandId: 'same' }));
    expect(theirs.ticketId).not.toBe(mine.ticketId);
  });

  it('lets an agent create a ticket on behalf of a requester', async () => {
    const requester = { id: 'kassir_77', name: 'Звонивший', validatorNumber: '995-1111-1' };
    const result = await create(AGENT_PRINCIPAL, ticketInput({ requester, channel: 'PHONE' }));
    const [created] = await stream(result.ticketId);
    expect(created.data).toMatchObject({
      requester,
      channel: 'PHONE',
      actor: { id: 'agent_1', role: 'AGENT' },
    });
  });

  it('refuses a requester creating a ticket for someone else (create.requester-not-self)', async () => {
    await expect(
      create(REQUESTER_PRINCIPAL, ticketInput({ requester: { id: 'kassir_9XZ' } })),
    ).rejects.toMatchObject({ rule: 'create.requester-not-self' });
    expect(await allEvents(temp.store)).toEqual([]);
  });

  it('refuses auditors and reporters any change, before anything is written', async () => {
    const ticket = await create();
    const reporter = principal('rep_1', ['REPORTER']);
    await expect(create(AUDITOR_PRINCIPAL)).rejects.toBeInstanceOf(Forbidden);
    await expect(
      bus.execute(new AddCommentCommand(reporter, { ticketId: ticket.ticketId, body: 'hi' })),
    ).rejects.toBeInstanceOf(Forbidden);
    expect(await allEvents(temp.store)).toHaveLength(2); // the ticket and its number reservation
  });

  it("answers NotFound to a requester acting on someone else's ticket, and to a ticket that does not exist", async () => {
    const ticket = await create();
    await expect(
      bus.execute(
        new AddCommentCommand(OTHER_REQUESTER_PRINCIPAL, { ticketId: ticket.ticketId, body: 'мой?' }),
      ),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      bus.execute(
        new AddCommentCommand(AGENT_PRINCIPAL, {
          ticketId: '00000000-0000-4000-8000-000000000000',
          body: 'x',
        }),
      ),
    ).rejects.toBeInstanceOf(NotFound);
    expect(await stream(ticket.ticketId)).toHaveLength(1);
  });

  describe('a caller with several roles (REQUESTER and AGENT in one token)', () => {
    const both = principal('kassir_5LE', ['REQUESTER', 'AGENT'], 'Анна Кассирова');
    const actorsOf = async (ticketId: string) =>
      (await stream(ticketId)).map(
        (e) => `${e.type}:${(e.metadata as { actor: { role: string } }).actor.role}`,
      );

    it("acts as an agent on someone else's ticket, and on their own as its requester wherever a requester may", async () => {
      const other = (await create(OTHER_REQUESTER_PRINCIPAL)).ticketId;
      await bus.execute(new AddCommentCommand(both, { ticketId: other, body: 'Смотрим' }));
      expect(await actorsOf(other)).toEqual(['TicketCreated:REQUESTER', 'CommentAdded:AGENT']);

      const { ticketId } = await create(REQUESTER_PRINCIPAL);
      await bus.execute(new AddCommentCommand(both, { ticketId, body: 'Уточняю' }));
      // What only staff may do on it (an internal note) is done as an agent.
      await bus.execute(new AddCommentCommand(both, { ticketId, body: 'Заметка', internal: true }));
      await bus.execute(
        new CloseTicketCommand(both, { ticketId, resolution: 'WITHDRAWN', commandId: 'withdraw-1' }),
      );
      expect(await actorsOf(ticketId)).toEqual([
        'TicketCreated:REQUESTER',
        'CommentAdded:REQUESTER',
        'CommentAdded:AGENT',
        'TicketClosed:REQUESTER',
      ]);
      // The retry answers the first result, although no role could withdraw the closed ticket now.
      const again = await bus.execute(
        new CloseTicketCommand(both, { ticketId, resolution: 'WITHDRAWN', commandId: 'withdraw-1' }),
      );
      expect(again.version).toBe(3);
      expect(await stream(ticketId)).toHaveLength(4);
    });

    it('answering the desk on their own ticket moves it on from AWAITING_REQUESTER, and is no first response', async () => {
      const { ticketId } = await create(REQUESTER_PRINCIPAL);
      await bus.execute(new AddCommentCommand(both, { ticketId, body: 'Дополняю' }));
      await bus.execute(new AssignTicketCommand(AGENT_PRINCIPAL, { ticketId, assigneeId: 'agent_1' }));
      await bus.execute(
        new AddCommentCommand(AGENT_PRINCIPAL, { ticketId, body: 'Пришлите PNR', requestsReply: true }),
      );
      const answered = await bus.execute(new AddCommentCommand(both, { ticketId, body: 'ABC123' }));
      expect(answered.state.status).toBe('IN_PROGRESS');
      expect(answered.state.firstRespondedAt).toBe(answered.state.comments[2].createdAt); // the agent's
    });

    it('as the assignee of their own ticket, works it: a public reply takes it into work', async () => {
      const { ticketId } = await create(REQUESTER_PRINCIPAL);
      await bus.execute(new AssignTicketCommand(both, { ticketId, assigneeId: both.id }));
      const replied = await bus.execute(new AddCommentCommand(both, { ticketId, body: 'Беру в работу' }));
      expect(replied.state.status).toBe('IN_PROGRESS');
      expect(replied.state.firstRespondedAt).not.toBeNull();
      expect(await actorsOf(ticketId)).toEqual([
        'TicketCreated:REQUESTER',
        'TicketAssigned:AGENT',
        'CommentAdded:AGENT',
      ]);
    });

    it("lists the edge's findings beside those of the role that would act (the requester, on their own ticket)", async () => {
      const { ticketId } = await create(REQUESTER_PRINCIPAL);
      await bus.execute(new AssignTicketCommand(AGENT_PRINCIPAL, { ticketId, assigneeId: 'agent_1' }));
      await bus.execute(new ProposeSolutionCommand(AGENT_PRINCIPAL, { ticketId, solution: 'Начислили' }));
      const refused = await bus
        .execute(
          new ReopenTicketCommand(both, {
            ticketId,
            reason: 'р'.repeat(20_001),
            edgeFindings: [{ path: 'reason', message: 'must be shorter than or equal to 20000 characters' }],
          }),
        )
        .catch((error: unknown) => error);
      // The requester's decision is what finds the reason too long (an agent may not reopen it at all).
      expect((refused as InvalidInput).fields).toEqual([
        { path: 'reason', message: expect.stringMatching(/at most 10000 characters \(20001 given\)/) },
      ]);
    });

    it("is refused with the strongest role's rule where none of the roles may (someone else's ticket)", async () => {
      const { ticketId } = await create(OTHER_REQUESTER_PRINCIPAL);
      await expect(
        bus.execute(new CloseTicketCommand(both, { ticketId, resolution: 'WITHDRAWN' })),
      ).rejects.toMatchObject({ rule: 'close.withdraw-requester-only' });
      expect(await stream(ticketId)).toHaveLength(1);
    });

    it('a requester who is also a reporter is told Forbidden, not NotFound, for a ticket they can read', async () => {
      const { ticketId } = await create(OTHER_REQUESTER_PRINCIPAL);
      const readsAll = principal('kassir_5LE', ['REQUESTER', 'REPORTER']);
      await expect(
        bus.execute(new AddCommentCommand(readsAll, { ticketId, body: 'x' })),
      ).rejects.toBeInstanceOf(Forbidden);
      expect(await stream(ticketId)).toHaveLength(1);
    });
  });

  it('an agent taking a ticket without giving a name is recorded under their own name; others as given', async () => {
    const { ticketId } = await create();
    await bus.execute(new AssignTicketCommand(AGENT_PRINCIPAL, { ticketId, assigneeId: 'agent_1' }));
    await bus.execute(
      new AssignTicketCommand(SUPERVISOR_PRINCIPAL, {
        ticketId,
        assigneeId: 'agent_2',
        line: 'SECOND',
        reason: 'GDS',
      }),
    );
    const assigned = (await stream(ticketId)).filter((e) => e.type === 'TicketAssigned');
    expect(assigned.map((e) => (e.data as { assignee: unknown }).assignee)).toEqual([
      { id: 'agent_1', name: 'Ирина Агентова', line: 'FIRST' },
      { id: 'agent_2', name: null, line: 'SECOND' },
    ]);
  });

  it('takes a ticket through assignment, comments, a solution, confirmation and a reopen', async () => {
    const { ticketId } = await create();
    const step = (result: Promise<CommandResult>) => result.then((r) => r.version);

    expect(
      await step(
        bus.execute(new AssignTicketCommand(SUPERVISOR_PRINCIPAL, { ticketId, assigneeId: 'agent_1' })),
      ),
    ).toBe(1);
    expect(
      await step(
        bus.execute(
          new AddCommentCommand(AGENT_PRINCIPAL, { ticketId, body: 'Проверяю', expectedVersion: 1 }),
        ),
      ),
    ).toBe(2);
    expect(
      await step(
        bus.execute(new ProposeSolutionCommand(AGENT_PRINCIPAL, { ticketId, solution: 'Начислили' })),
      ),
    ).toBe(3);
    expect(
      await step(
        bus.execute(new CloseTicketCommand(REQUESTER_PRINCIPAL, { ticketId, resolution: 'CONFIRMED' })),
      ),
    ).toBe(4);
    expect(
      await step(
        bus.execute(new ReopenTicketCommand(REQUESTER_PRINCIPAL, { ticketId, reason: 'Снова нет' })),
      ),
    ).toBe(5);

    const events = await stream(ticketId);
    expect(events.map((e) => e.type)).toEqual([
      'TicketCreated',
      'TicketAssigned',
      'CommentAdded',
      'SolutionProposed',
      'TicketClosed',
      'TicketReopened',
    ]);
    // The supervisor holds AGENT too, and acts as SUPERVISOR, the stronger role.
    expect(events[1].metadata).toMatchObject({ actor: { id: 'sup_1', role: 'SUPERVISOR' } });
  });

  it('reports a stale expectedVersion as a conflict', async () => {
    const { ticketId } = await create();
    await bus.execute(new AddCommentCommand(AGENT_PRINCIPAL, { ticketId, body: 'one' }));
    await expect(
      bus.execute(new AddCommentCommand(AGENT_PRINCIPAL, { ticketId, body: 'two', expectedVersion: 0 })),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
  });

  it('gives a repeated comment (same commandId) the same comment and the same result', async () => {
    const { ticketId } = await create();
    const input = { ticketId, body: 'Один раз', commandId: 'comment-1' };
    const first = await bus.execute(new AddCommentCommand(AGENT_PRINCIPAL, input));
    const again = await bus.execute(new AddCommentCommand(AGENT_PRINCIPAL, input));
    expect(again).toEqual({ ...first, repeated: true });
    expect(await stream(ticketId)).toHaveLength(2);
  });

  it('registers a coupon request with a registration number; a refused one takes no number', async () => {
    const { ticketId } = await create();
    await expect(
      bus.execute(
        new RequestCouponStatusChangeCommand(REQUESTER_PRINCIPAL, {
          ticketId,
          ...couponForm({
            scenario: 'CHECKED_IN_OR_BOARDED',
            fromStatus: 'CHECKED_IN',
            toStatus: 'OPEN_FOR_USE',
          }),
        }),
      ),
    ).rejects.toBeInstanceOf(RuleViolated);

    const accepted = await bus.execute(
      new RequestCouponStatusChangeCommand(REQUESTER_PRINCIPAL, {
        ticketId,
        commandId: 'coupon-1',
        ...couponForm(),
      }),
    );
    const repeated = await bus.execute(
      new RequestCouponStatusChangeCommand(REQUESTER_PRINCIPAL, {
        ticketId,
        commandId: 'coupon-1',
        ...couponForm(),
      }),
    );
    const onBehalf = await bus.execute(
      new RequestCouponStatusChangeCommand(AGENT_PRINCIPAL, { ticketId, ...couponForm() }),
    );

    expect(accepted.registrationNumber).toBe('N1');
    expect(repeated).toEqual({ ...accepted, repeated: true });
    expect(onBehalf.registrationNumber).toBe('N2');
  });

  it('registers concurrent coupon requests in number order: a later N is never registered earlier', async () => {
    const tickets: string[] = [];
    for (let i = 0; i < 12; i++) tickets.push((await create()).ticketId);
    // Every reading of the clock is a millisecond later than the one before.
    let reading = clock.current.getTime();
    const stepping = jest.spyOn(clock, 'now').mockImplementation(() => new Date(++reading));
    try {
      await Promise.all(
        Array.from({ length: 4 }, async (_, round) =>
          Promise.all(
            tickets.map((ticketId, i) =>
              bus.execute(
                new RequestCouponStatusChangeCommand(REQUESTER_PRINCIPAL, {
                  ticketId,
                  // With a commandId the runner first looks for an earlier run (it waits on the store).
                  commandId: i % 2 === 0 ? `coupon-${round}-${i}` : null,
                  ...couponForm(),
                }),
              ),
            ),
          ),
        ),
      );
    } finally {
      stepping.mockRestore();
    }
    const registered = (await allEvents(temp.store))
      .filter((e) => e.type === 'CouponStatusChangeRequested')
      .map((e) => e.data as { registrationSeq: number; occurredAt: string })
      .sort((a, b) => a.registrationSeq - b.registrationSeq);
    expect(registered).toHaveLength(48);
    for (let i = 1; i < registered.length; i++) {
      expect(registered[i].occurredAt >= registered[i - 1].occurredAt).toBe(true);
    }
  });
});

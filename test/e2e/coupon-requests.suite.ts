/** Coupon status change requests (domain.md §3): registration, remarks, refusals with guidance, retention. */
import { type Data, GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, REQUEST_COUPON, callers, couponForm, refundTicket } from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

const AUDIT = `query($asOf: DateTime, $verify: Boolean, $state: RetentionState!) {
  couponRequestRetentionAudit(asOf: $asOf, verify: $verify) {
    asOf windowStart retainedCount expiredCount verified eventCount
    discrepancies { kind ticketId registrationNumber detail }
    requests(state: $state, first: 100) { totalCount nodes { registrationNumber } pageInfo { hasNextPage } }
  }
}`;

export function describeCouponRequests(bootEnv: BootEnv): void {
  describe('coupon status change requests', () => {
    const who = callers();
    let app: RunningApp;
    let requester: GraphqlClient;
    let agent: GraphqlClient;
    let auditor: GraphqlClient;
    let ticket: Data;
    const registered: Data[] = [];

    beforeAll(async () => {
      app = await bootApp(await bootEnv());
      requester = new GraphqlClient(app.url, tokenFor(who.requester));
      agent = requester.as(tokenFor(who.agent));
      auditor = requester.as(tokenFor(who.auditor));
      ticket = (await requester.ok(CREATE_TICKET, { input: refundTicket() })).createTicket.ticket;
    });
    afterAll(() => app?.close());

    it('registers a complete request with its number, remark and retention', async () => {
      const result = (await requester.ok(REQUEST_COUPON, { input: couponForm(ticket.id) }))
        .requestCouponStatusChange;
      const request = result.request;
      registered.push(request);
      expect(request.registrationNumber).toMatch(/^N\d+$/);
      const registeredAt = new Date(request.registeredAt);
      const day = registeredAt.getUTCDate();
      const month = String(registeredAt.getUTCMonth() + 1).padStart(2, '0');
      const year = String(registeredAt.getUTCFullYear() % 100).padStart(2, '0');
      expect(request.remark).toBe(`RQST ${request.registrationNumber} FR ${day}/${month}/${year}`);
      const retainUntil = new Date(registeredAt);
      retainUntil.setUTCFullYear(retainUntil.getUTCFullYear() + 1);
      expect(request.retainUntil).toBe(retainUntil.toISOString());
      expect(request).toMatchObject({
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        pnr: 'AB12CD',
        couponNumbers: [1, 2],
        scenario: 'UNAVAILABLE_REFUND',
        fromStatus: 'UNAVAILABLE_EXCHANGE_ONLY',
        toStatus: 'OPEN_FOR_USE',
        salesControlViolation: false,
        deferredUntilFlown: false,
        agent: {
          lastName: 'Petrova',
          firstName: 'Anna',
          middleName: 'Sergeevna',
          referenceNumber: 'REF-5LE',
        },
        agency: { name: 'Sky Travel', validatorNumber: '995-4731-7' },
        mcoNumber: null,
        fareClasses: null,
        boardingPass: null,
        requestedBy: { id: who.requester.sub, role: 'REQUESTER' },
      });
      expect(result.ticket.couponRequests.map((r: Data) => r.registrationNumber)).toEqual([
        request.registrationNumber,
      ]);
    });

    it('lists every missing field of an empty form in one BAD_USER_INPUT', async () => {
      const error = await requester.error(REQUEST_COUPON, { input: { ticketId: ticket.id } });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      const paths = error.extensions?.fields?.map((f) => f.path) ?? [];
      expect(paths).toEqual(
        expect.arrayContaining([
          'pnr',
          'eTicketNumber',
          'couponNumbers',
          'passengerName',
          'scenario',
          'fromStatus',
          'toStatus',
          'description',
        ]),
      );
      expect(paths.some((p) => p.startsWith('agent'))).toBe(true);
      expect(paths.some((p) => p.startsWith('agency'))).toBe(true);
      const after = await agent.ok(
        'query($id: ID) { ticket(id: $id) { version couponRequests { registrationNumber } } }',
        {
          id: ticket.id,
        },
      );
      expect(after.ticket.couponRequests).toHaveLength(1);
    });

    it('refuses a mere "system failure" description and bad formats, listing each', async () => {
      const error = await requester.error(REQUEST_COUPON, {
        input: {
          ...couponForm(ticket.id),
          description: 'Сбой в системе!',
          eTicketNumber: '123',
          couponNumbers: [1, 1, 5],
        },
      });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      const paths = error.extensions?.fields?.map((f) => f.path) ?? [];
      expect(paths).toEqual(
        expect.arrayContaining(['description', 'eTicketNumber', 'couponNumbers[1]', 'couponNumbers[2]']),
      );
    });

    it.each([
      [
        'CHECKED_IN_OR_BOARDED',
        'CHECKED_IN',
        'OPEN_FOR_USE',
        'coupon.checked-in-or-boarded',
        /representative/i,
      ],
      ['FLOWN_NOT_USED_CLAIM', 'FLOWN', 'OPEN_FOR_USE', 'coupon.flown-not-used-claim', /legal/i],
    ])('refuses %s with guidance', async (scenario, fromStatus, toStatus, rule, guidance) => {
      const error = await requester.error(REQUEST_COUPON, {
        input: { ...couponForm(ticket.id), scenario, fromStatus, toStatus },
      });
      expect(error.extensions).toMatchObject({ code: 'RULE_VIOLATED', rule });
      expect(String(error.extensions?.guidance)).toMatch(guidance);
      // A client showing only the message shows the guidance too.
      expect(error.message).toMatch(guidance);
    });

    it('refuses a change the scenario does not allow', async () => {
      const error = await requester.error(REQUEST_COUPON, {
        input: { ...couponForm(ticket.id), fromStatus: 'FLOWN', toStatus: 'REFUNDED' },
      });
      expect(error.extensions).toMatchObject({ code: 'RULE_VIOLATED', rule: 'coupon.scenario-not-allowed' });
    });

    it('flags an erroneous refund as a sales-control violation and accepts it', async () => {
      const request = (
        await agent.ok(REQUEST_COUPON, {
          input: {
            ...couponForm(ticket.id),
            scenario: 'ERRONEOUS_REFUND',
            fromStatus: 'REFUNDED',
            toStatus: 'OPEN_FOR_USE',
          },
        })
      ).requestCouponStatusChange.request;
      registered.push(request);
      expect(request).toMatchObject({
        salesControlViolation: true,
        requestedBy: { id: who.agent.sub, role: 'AGENT' },
      });
    });

    it('records a downgrade with its MCO and fare classes in the remark', async () => {
      const request = (
        await requester.ok(REQUEST_COUPON, {
          input: {
            ...couponForm(ticket.id),
            couponNumbers: [1],
            scenario: 'DOWNGRADE_FARE_DIFFERENCE',
            fromStatus: 'BOARDED',
            toStatus: 'CLOSED',
            mcoNumber: '4219876543210',
            fareClasses: { from: 'C', to: 'Y' },
          },
        })
      ).requestCouponStatusChange.request;
      registered.push(request);
      expect(request.remark).toBe(`RQST ${request.registrationNumber} REF C TO Y`);
      expect(request).toMatchObject({
        mcoNumber: '4219876543210',
        fareClasses: { from: 'C', to: 'Y' },
        deferredUntilFlown: true,
      });
      const numbers = registered.map((r) => Number(r.registrationNumber.slice(1)));
      expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    });

    it('lists requests with filters, newest first', async () => {
      const LIST = `query($f: CouponRequestFilter, $first: Int, $after: String) { couponRequests(filter: $f, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { registrationNumber salesControlViolation } } } }`;
      const all = (await agent.ok(LIST, { f: { ticketId: ticket.id } })).couponRequests;
      expect(all.totalCount).toBe(3);
      expect(all.edges.map((e: Data) => e.node.registrationNumber)).toEqual(
        [...registered].reverse().map((r) => r.registrationNumber),
      );
      const flagged = (await agent.ok(LIST, { f: { ticketId: ticket.id, salesControlViolation: true } }))
        .couponRequests;
      expect(flagged.totalCount).toBe(1);
      const downgrade = (
        await agent.ok(LIST, { f: { ticketId: ticket.id, scenario: ['DOWNGRADE_FARE_DIFFERENCE'] } })
      ).couponRequests;
      expect(downgrade.totalCount).toBe(1);
      const page1 = (
        await agent.ok(LIST, {
          f: { eTicketNumber: '4212345678901', pnr: 'AB12CD', ticketId: ticket.id },
          first: 2,
        })
      ).couponRequests;
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const page2 = (
        await agent.ok(LIST, { f: { ticketId: ticket.id }, first: 2, after: page1.pageInfo.endCursor })
      ).couponRequests;
      expect(page2.edges).toHaveLength(1);
      expect(page2.pageInfo.hasNextPage).toBe(false);
    });

    it('audits retention now and a year on, verified against the event store', async () => {
      const now = (await auditor.ok(AUDIT, { state: 'RETAINED', verify: true })).couponRequestRetentionAudit;
      expect(now.verified).toBe(true);
      expect(now.discrepancies).toEqual([]);
      expect(now.eventCount).toBe(now.retainedCount + now.expiredCount);
      const retained = now.requests.nodes.map((n: Data) => n.registrationNumber);
      expect(retained).toEqual(expect.arrayContaining(registered.map((r) => r.registrationNumber)));
      const asOf = new Date(now.asOf);
      const windowStart = new Date(asOf);
      windowStart.setUTCFullYear(windowStart.getUTCFullYear() - 1);
      expect(now.windowStart).toBe(windowStart.toISOString());

      const later = new Date(Date.now() + 400 * 86_400_000).toISOString();
      const afterAYear = (await auditor.ok(AUDIT, { asOf: later, state: 'EXPIRED' }))
        .couponRequestRetentionAudit;
      expect(afterAYear.verified).toBe(false);
      expect(afterAYear.eventCount).toBeNull();
      expect(afterAYear.expiredCount).toBeGreaterThanOrEqual(registered.length);
      expect(afterAYear.requests.nodes.map((n: Data) => n.registrationNumber)).toEqual(
        expect.arrayContaining(registered.map((r) => r.registrationNumber)),
      );
    });
  });
}

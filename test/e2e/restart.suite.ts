/** Data written before a restart is all there after it (runtime.md "Consistency"). */
import { type Data, GraphqlClient } from './support/graphql-client';
import {
  CREATE_TICKET,
  REQUEST_COUPON,
  TICKET_FIELDS,
  callers,
  couponForm,
  milesTicket,
  refundTicket,
} from './support/fixtures';
import { bootApp, type RunningApp, tokenFor } from './support/test-app';
import type { BootEnv } from './graphql-api.suite';

const EVERYTHING = `query($r: ID) {
  tickets(filter: { requesterId: $r }, sort: { field: NUMBER, direction: ASC }, first: 100) {
    totalCount
    nodes { ${TICKET_FIELDS} history { revision eventType occurredAt position dataJson actor { id name role } } }
  }
  ticketStats(filter: { requesterId: $r }, groupBy: [STATUS]) { key { value } count }
}`;

/** As the requester: their own requests only, so other suites sharing the stores do not matter. */
const OWN_REQUESTS = `{ couponRequests(first: 100) { totalCount nodes { registrationNumber remark ticketId registeredAt retainUntil } } }`;

export function describeRestart(bootEnv: BootEnv): void {
  describe('restart', () => {
    const who = callers();
    let app: RunningApp | undefined;

    afterAll(() => app?.close());

    it('finds every ticket, comment, request and number as they were', async () => {
      app = await bootApp(await bootEnv());
      let requester = new GraphqlClient(app.url, tokenFor(who.requester));
      let supervisor = requester.as(tokenFor(who.supervisor));
      const created: Data[] = [];
      for (const input of [
        milesTicket('Before restart 1'),
        refundTicket(),
        milesTicket('Before restart 3'),
      ]) {
        created.push((await requester.ok(CREATE_TICKET, { input })).createTicket.ticket);
      }
      await supervisor.ok('mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: created[1].id, assigneeId: who.agent.sub, line: 'SECOND', reason: 'Needs fares team' },
      });
      await supervisor.ok('mutation($i: AddCommentInput!) { addComment(input: $i) { ticket { id } } }', {
        i: { ticketId: created[1].id, body: 'Internal note', internal: true },
      });
      const firstRequest = (await requester.ok(REQUEST_COUPON, { input: couponForm(created[1].id) }))
        .requestCouponStatusChange.request;
      await supervisor.ok('mutation($i: CloseTicketInput!) { closeTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: created[2].id, resolution: 'CANCELLED', reason: 'Duplicate' },
      });
      const before = await supervisor.ok(EVERYTHING, { r: who.requester.sub });
      const requestsBefore = await requester.ok(OWN_REQUESTS);

      const env = app.env;
      await app.close();
      app = undefined;
      app = await bootApp(env);
      requester = new GraphqlClient(app.url, tokenFor(who.requester));
      supervisor = requester.as(tokenFor(who.supervisor));

      const after = await supervisor.ok(EVERYTHING, { r: who.requester.sub });
      expect(after).toEqual(before);
      expect(after.tickets.totalCount).toBe(3);
      expect(await requester.ok(OWN_REQUESTS)).toEqual(requestsBefore);
      const audit = await supervisor.ok(
        '{ couponRequestRetentionAudit(verify: true) { verified discrepancies { kind } } }',
      );
      expect(audit.couponRequestRetentionAudit).toEqual({ verified: true, discrepancies: [] });

      // Numbers and registration numbers continue after the restart, never reused.
      const next = (await requester.ok(CREATE_TICKET, { input: milesTicket('After restart') })).createTicket
        .ticket;
      expect(next.number).toBeGreaterThan(created[2].number);
      const nextRequest = (await requester.ok(REQUEST_COUPON, { input: couponForm(created[1].id) }))
        .requestCouponStatusChange.request;
      expect(Number(nextRequest.registrationNumber.slice(1))).toBeGreaterThan(
        Number(firstRequest.registrationNumber.slice(1)),
      );
    });
  });
}

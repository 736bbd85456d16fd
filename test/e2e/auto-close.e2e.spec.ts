/**
 * The auto-close policy as `npm start` runs it: on its interval, finding due tickets through the real
 * read-model query, closing them by the system. The policy's days are set to a couple of seconds here
 * (AUTO_CLOSE_AFTER_DAYS takes fractions), so no clock is faked.
 */
import { GraphqlClient } from './support/graphql-client';
import { callers, CREATE_TICKET, GET_TICKET, milesTicket } from './support/fixtures';
import { bootApp, makeDataDir, removeDataDir, type RunningApp, tokenFor } from './support/test-app';

describe('auto-close on its interval (embedded stores)', () => {
  const dir = makeDataDir();
  const who = callers();
  let app: RunningApp;

  beforeAll(async () => {
    // 0.00002 days: about 1.7 s of an unanswered solution; looked for every 100 ms.
    app = await bootApp({ DATA_DIR: dir, AUTO_CLOSE_AFTER_DAYS: '0.00002', AUTO_CLOSE_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await app?.close();
    removeDataDir(dir);
  });

  it('closes a solution left unanswered as AUTO_CLOSED by the system, and leaves one the requester confirmed as it was', async () => {
    const requester = new GraphqlClient(app.url, tokenFor(who.requester));
    const agent = requester.as(tokenFor(who.agent));
    const proposed = async (subject: string): Promise<string> => {
      const { ticket } = (await requester.ok(CREATE_TICKET, { input: milesTicket(subject) })).createTicket;
      await agent.ok('mutation($i: AssignTicketInput!) { assignTicket(input: $i) { ticket { id } } }', {
        i: { ticketId: ticket.id, assigneeId: who.agent.sub },
      });
      await agent.ok('mutation($i: ProposeSolutionInput!) { proposeSolution(input: $i) { ticket { id } } }', {
        i: { ticketId: ticket.id, solution: 'Miles credited' },
      });
      return ticket.id as string;
    };
    const unanswered = await proposed('Left unanswered');
    const confirmed = await proposed('Confirmed at once');
    await requester.ok('mutation($i: CloseTicketInput!) { closeTicket(input: $i) { ticket { id } } }', {
      i: { ticketId: confirmed, resolution: 'CONFIRMED' },
    });

    const deadline = Date.now() + 20_000;
    let ticket = (await agent.ok(GET_TICKET, { id: unanswered })).ticket;
    while (ticket.status !== 'CLOSED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ticket = (await agent.ok(GET_TICKET, { id: unanswered })).ticket;
    }
    expect(ticket).toMatchObject({ status: 'CLOSED', resolution: 'AUTO_CLOSED' });
    const history = (
      await agent.ok(
        'query($id: ID) { ticket(id: $id) { history { eventType actor { id role } policy commandId } } }',
        { id: unanswered },
      )
    ).ticket.history;
    // History names the policy that fired, as it was configured then (a later setting does not rewrite it).
    expect(history.at(-1)).toEqual({
      eventType: 'TicketClosed',
      actor: { id: 'system', role: 'SYSTEM' },
      policy: 'auto-close-after-0.00002-days',
      commandId: `auto-close:${unanswered}:2`,
    });
    // The one the requester confirmed keeps its own resolution.
    expect((await agent.ok(GET_TICKET, { id: confirmed })).ticket.resolution).toBe('CONFIRMED');
  });
});

/**
 * A mutation's payload is "the ticket after the change" (schema.graphql): when another writer changes
 * the ticket between this command's append and its read-back, the read models already show both, and
 * the payload must still be the ticket as this command left it.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PROJECTION_STATUS, type ProjectionStatus } from '../../src/application/ports/projection-status.port';
import { GraphqlClient } from './support/graphql-client';
import { CREATE_TICKET, callers, milesTicket } from './support/fixtures';
import { bootApp, makeDataDir, removeDataDir, tokenFor } from './support/test-app';

const ASSIGN = `mutation($i: AssignTicketInput!) {
  assignTicket(input: $i) { ticket { version status assignee { id line } } }
}`;

describe('a mutation payload when another change lands right after it', () => {
  const dataDir = makeDataDir();
  const who = callers();
  let app: NestFastifyApplication;
  let agent: GraphqlClient;
  let supervisor: GraphqlClient;

  beforeAll(async () => {
    const running = await bootApp({ DATA_DIR: dataDir });
    app = running.app;
    agent = new GraphqlClient(running.url, tokenFor(who.agent));
    supervisor = agent.as(tokenFor(who.supervisor));
  });
  afterAll(async () => {
    await app.close();
    removeDataDir(dataDir);
  });

  it('answers with the ticket as this command left it, not with the later change', async () => {
    const ticketId = (await agent.ok(CREATE_TICKET, { input: milesTicket('Raced') })).createTicket.ticket.id;
    const projections = app.get<ProjectionStatus>(PROJECTION_STATUS);
    const wait = projections.waitForPosition.bind(projections);
    // Between the agent's append and its read-back, a supervisor escalates the ticket (as a writer in
    // another process could): the read models then show both changes.
    let raced: Record<string, unknown> | undefined;
    projections.waitForPosition = async (position, timeoutMs) => {
      projections.waitForPosition = wait;
      raced = (
        await supervisor.ok(ASSIGN, {
          i: { ticketId, assigneeId: who.secondLine.sub, line: 'SECOND', reason: 'Needs the second line' },
        })
      ).assignTicket.ticket;
      return wait(position, timeoutMs);
    };

    const answered = (await agent.ok(ASSIGN, { i: { ticketId, assigneeId: who.agent.sub } })).assignTicket
      .ticket;

    expect(raced).toMatchObject({ version: 2, assignee: { id: who.secondLine.sub, line: 'SECOND' } });
    expect(answered).toEqual({
      version: 1,
      status: 'ASSIGNED',
      assignee: { id: who.agent.sub, line: 'FIRST' },
    });
  });

  it('a repeated commandId also lets the read models take in the first run before it answers', async () => {
    const ticketId = (await agent.ok(CREATE_TICKET, { input: milesTicket('Retried') })).createTicket.ticket
      .id;
    const projections = app.get<ProjectionStatus>(PROJECTION_STATUS);
    const wait = projections.waitForPosition.bind(projections);
    const waitedFor: bigint[] = [];
    projections.waitForPosition = (position, timeoutMs) => {
      waitedFor.push(position);
      return wait(position, timeoutMs);
    };
    try {
      const input = { i: { ticketId, assigneeId: who.agent.sub, commandId: `assign-${ticketId}` } };
      const first = (await agent.ok(ASSIGN, input)).assignTicket.ticket;
      const again = (await agent.ok(ASSIGN, input)).assignTicket.ticket;
      expect(again).toEqual(first);
      // The retry waits for the position the first run's events have, so a query sent after it sees them
      // even when that first run was another process's and the read models here lag behind.
      expect(waitedFor).toHaveLength(2);
      expect(waitedFor[1]).toBe(waitedFor[0]);
    } finally {
      projections.waitForPosition = wait;
    }
  });
});

/**
 * The answer-size bound on a real Apollo Server (a small schema, a low bound): a query's answer over it
 * is refused whole, a mutation's says the change was made and what each mutation did.
 */
import { ApolloServer } from '@apollo/server';
import { responseSizePlugin } from '../../src/infrastructure/graphql/limits/response-size.plugin';
import type { WithMutationsDone } from '../../src/infrastructure/graphql/resolvers/mutations-done';

const typeDefs = `
  type Ticket { id: ID!, version: Int!, body: String! }
  type Payload { ticket: Ticket!, commandId: String }
  type Query { ticket(size: Int!): Ticket! }
  type Mutation { touch(size: Int!): Payload!, fail: Payload! }
`;
let writes = 0;
const ticketOf = (size: number, text = 'x') => ({ id: 't1', version: 3, body: text.repeat(size) });
const resolvers = {
  Query: { ticket: (_: unknown, { size }: { size: number }) => ticketOf(size) },
  Mutation: {
    // As the mutation resolvers do (mutations-done.ts): each change made is recorded in the context.
    touch: (
      _: unknown,
      { size }: { size: number },
      context: WithMutationsDone,
      info: { path: { key: string | number } },
    ) => {
      writes++;
      (context.mutationsDone ??= []).push({
        field: String(info.path.key),
        ticketId: 't1',
        number: 7,
        version: writes,
        commandId: 'c-1',
      });
      return { ticket: ticketOf(size), commandId: 'c-1' };
    },
    fail: () => {
      throw new Error('refused');
    },
  },
};

describe('the answer-size bound', () => {
  const server = new ApolloServer({ typeDefs, resolvers, plugins: [responseSizePlugin(1_000)] });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('answers a query within the bound, and refuses one past it whole, without data (HTTP 400)', async () => {
    const small = await server.executeOperation({ query: '{ ticket(size: 500) { body } }' });
    expect(small.body.kind === 'single' && small.body.singleResult.data).toEqual({
      ticket: { body: 'x'.repeat(500) },
    });
    const large = await server.executeOperation({
      query: '{ a: ticket(size: 600) { body } b: ticket(size: 600) { body } }',
    });
    expect(large.http.status).toBe(400);
    expect(large.body.kind === 'single' && large.body.singleResult).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^Invalid input: the answer would be larger than 1000 characters/),
          extensions: { code: 'BAD_USER_INPUT', fields: [{ path: '', message: expect.any(String) }] },
        },
      ],
    });
  });

  it('says a mutation past the bound was made, with what each did', async () => {
    writes = 0;
    const large = await server.executeOperation(
      {
        query:
          'mutation { a: touch(size: 600) { commandId ticket { id version body } } b: touch(size: 600) { ticket { id body } } }',
      },
      { contextValue: {} },
    );
    expect(writes).toBe(2);
    expect(large.http.status).toBeUndefined(); // 200
    const result = large.body.kind === 'single' ? large.body.singleResult : null;
    expect(result?.data).toBeUndefined();
    expect(result?.errors?.[0].message).toMatch(
      /^The changes were made, but their answer would be larger than 1000 characters/,
    );
    expect(result?.errors?.[0].extensions?.done).toEqual([
      { field: 'a', ticketId: 't1', number: 7, version: 1, commandId: 'c-1' },
      { field: 'b', ticketId: 't1', number: 7, version: 2, commandId: 'c-1' },
    ]);
  });

  it('says which mutations were made when a later one failed and emptied the answer', async () => {
    writes = 0;
    const stopped = await server.executeOperation(
      {
        query:
          'mutation { a: touch(size: 1) { commandId } b: fail { commandId } c: touch(size: 1) { commandId } }',
      },
      { contextValue: {} },
    );
    const result = stopped.body.kind === 'single' ? stopped.body.singleResult : null;
    expect(result?.data).toBeNull();
    expect(writes).toBe(1); // GraphQL stops at the failure: c never ran
    expect(result?.errors?.map((error) => [error.path, error.extensions?.done])).toEqual([
      [['b'], [{ field: 'a', ticketId: 't1', number: 7, version: 1, commandId: 'c-1' }]],
    ]);
  });

  it('counts what JSON adds to escape a text (a control character is six characters)', async () => {
    const plain = await server.executeOperation({ query: '{ ticket(size: 170) { body } }' });
    expect(plain.body.kind === 'single' && plain.body.singleResult.errors).toBeUndefined();
    const resolversOf = { ...resolvers, Query: { ticket: () => ticketOf(170, '\u0001') } };
    const escaped = new ApolloServer({
      typeDefs,
      resolvers: resolversOf,
      plugins: [responseSizePlugin(1_000)],
    });
    await escaped.start();
    try {
      const answer = await escaped.executeOperation({ query: '{ ticket(size: 170) { body } }' });
      expect(answer.http.status).toBe(400);
    } finally {
      await escaped.stop();
    }
  });
});

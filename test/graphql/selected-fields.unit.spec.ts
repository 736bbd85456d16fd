/**
 * What a resolver learns of its selection (selected-fields.ts), on a small schema shaped like the API's
 * tickets: which of the correspondence to read, and the largest `last` asked for.
 */
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import type { CommentsNeeded } from '../../src/application/queries/ticket-queries';
import { commentsNeeded } from '../../src/infrastructure/graphql/resolvers/selected-fields';

const schema = buildSchema(`
  type Comment { body: String }
  type Ticket { id: ID, commentCount: Int, comments(last: Int): [Comment] }
  type Query { ticket: Ticket, tickets: [Ticket] }
`);

async function needsOf(query: string, variables: Record<string, unknown> = {}): Promise<CommentsNeeded> {
  let needs: CommentsNeeded | undefined;
  const capture = (_: unknown, __: unknown, ___: unknown, info: GraphQLResolveInfo) => {
    needs = commentsNeeded(info, undefined);
    return { id: '1', commentCount: 0, comments: [] };
  };
  const result = await graphql({
    schema,
    source: query,
    variableValues: variables,
    rootValue: { ticket: capture, tickets: (...args: Parameters<typeof capture>) => [capture(...args)] },
    fieldResolver: (source, args, context, info) =>
      info.parentType.name === 'Query'
        ? capture(source, args, context, info)
        : (source as Record<string, unknown>)[info.fieldName],
  });
  expect(result.errors).toBeUndefined();
  return needs!;
}

describe('what a selection needs of the correspondence', () => {
  it('reads comments only when selected, the count alone otherwise', async () => {
    expect(await needsOf('{ ticket { id } }')).toMatchObject({ comments: false, commentCount: false });
    expect(await needsOf('{ ticket { commentCount } }')).toMatchObject({
      comments: false,
      commentCount: true,
    });
    expect(await needsOf('{ ticket { comments { body } } }')).toMatchObject({ comments: true, last: null });
  });

  it('takes the largest last of every selection, and all when one has none', async () => {
    const both = '{ ticket { a: comments(last: 2) { body } b: comments(last: $n) { body } } }';
    expect((await needsOf(both.replace('{ ticket', 'query($n: Int) { ticket'), { n: 5 })).last).toBe(5);
    expect(
      (await needsOf('{ ticket { a: comments(last: 2) { body } b: comments { body } } }')).last,
    ).toBeNull();
    expect(
      (await needsOf('{ ticket { ...F } } fragment F on Ticket { comments(last: 3) { body } }')).last,
    ).toBe(3);
    // A value the field will refuse reads everything rather than guess.
    expect(
      (await needsOf('query($n: Int) { ticket { comments(last: $n) { body } } }', { n: -1 })).last,
    ).toBeNull();
  });

  it('leaves out what @skip or @include leave out, literal or variable, on fields and fragments', async () => {
    const toggled = 'query($show: Boolean!) { ticket { id comments @include(if: $show) { body } } }';
    expect((await needsOf(toggled, { show: false })).comments).toBe(false);
    expect((await needsOf(toggled, { show: true })).comments).toBe(true);
    expect((await needsOf('{ ticket { comments @skip(if: true) { body } } }')).comments).toBe(false);
    expect((await needsOf('{ ticket { ... @include(if: false) { comments { body } } } }')).comments).toBe(
      false,
    );
    const spread =
      '{ ticket { ...F @skip(if: true) commentCount } } fragment F on Ticket { comments { body } }';
    expect(await needsOf(spread)).toMatchObject({ comments: false, commentCount: true });
    // What is left out does not lower the largest `last` of what stays.
    const mixed = '{ ticket { a: comments(last: 1) { body } b: comments @skip(if: true) { body } } }';
    expect((await needsOf(mixed)).last).toBe(1);
  });
});

/** The depth and complexity rules, on a small schema shaped like the API's paged lists. */
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { complexityLimitRule } from '../../src/infrastructure/graphql/limits/complexity-limit.rule';
import { depthLimitRule } from '../../src/infrastructure/graphql/limits/depth-limit.rule';
import { MAX_EXPANDED_SELECTIONS } from '../../src/infrastructure/graphql/limits/selection-walk';

const schema = buildSchema(`
  type Node { id: ID! child: Node children: [Node!]! }
  type Page { nodes: [Node!]! total: Int! }
  type Query { page(first: Int = 20): Page! node: Node }
`);

const errors = (query: string, rule: ReturnType<typeof depthLimitRule>) =>
  validate(schema, parse(query), [rule]).map((e) => e.message);

describe('depthLimitRule', () => {
  const nested = (levels: number) =>
    `{ node ${'{ child '.repeat(levels - 2)}{ id }${' }'.repeat(levels - 2)} }`;

  it('accepts an operation at the limit and refuses one past it', () => {
    expect(errors(nested(4), depthLimitRule(4))).toEqual([]);
    expect(errors(nested(5), depthLimitRule(4))).toEqual(['Query is nested deeper than 4 levels']);
  });

  it('counts fields inside fragments and inline fragments', () => {
    const query = `{ node { ...F } } fragment F on Node { child { ... on Node { child { id } } } }`;
    expect(errors(query, depthLimitRule(3))).toEqual(['Query is nested deeper than 3 levels']);
    expect(errors(query, depthLimitRule(4))).toEqual([]);
  });

  it('stops on a fragment cycle instead of looping', () => {
    const query = `{ node { ...A } } fragment A on Node { child { ...A } }`;
    expect(errors(query, depthLimitRule(5))).toEqual(['Query is nested deeper than 5 levels']);
  });

  it('leaves a fragment that spreads itself at the same level to graphql-js (no stack overflow)', () => {
    for (const query of [
      '{ ...A } fragment A on Query { node { id } ...A }',
      '{ ...A } fragment A on Query { ...B } fragment B on Query { node { id } ...A }',
    ]) {
      const messages = validate(schema, parse(query), [depthLimitRule(5), complexityLimitRule(100)]).map(
        (e) => e.message,
      );
      expect(messages).toEqual([]);
      expect(validate(schema, parse(query)).map((e) => e.message)[0]).toMatch(/Cannot spread fragment "A"/);
    }
  });
});

describe('complexityLimitRule', () => {
  it('multiplies a paged field by its first argument, or the schema default', () => {
    // page(first: 10): 1 + 10 × (nodes: 1 + 1 × id 1) = 21
    expect(errors('{ page(first: 10) { nodes { id } } }', complexityLimitRule(21))).toEqual([]);
    expect(errors('{ page(first: 10) { nodes { id } } }', complexityLimitRule(20))).toHaveLength(1);
    // default 20: 1 + 20 × 2 = 41
    expect(errors('{ page { nodes { id } } }', complexityLimitRule(41))).toEqual([]);
    expect(errors('{ page { nodes { id } } }', complexityLimitRule(40))).toHaveLength(1);
  });

  it('counts a literal first over the page size as a full page (the field refuses it, saying why)', () => {
    expect(errors('{ page(first: 1000000) { total } }', complexityLimitRule(101))).toEqual([]);
    expect(errors('{ page(first: 1000000) { total } }', complexityLimitRule(100))).toHaveLength(1);
  });

  it('assumes 100 items when first comes from a variable and 10 for other lists', () => {
    expect(errors('query($n: Int) { page(first: $n) { total } }', complexityLimitRule(101))).toEqual([]);
    expect(errors('query($n: Int) { page(first: $n) { total } }', complexityLimitRule(100))).toHaveLength(1);
    // node 1 + (children: 1 + 10 × id 1) = 12
    expect(errors('{ node { children { id } } }', complexityLimitRule(12))).toEqual([]);
    expect(errors('{ node { children { id } } }', complexityLimitRule(11))).toHaveLength(1);
  });

  it('adds up aliases', () => {
    const one = 'page(first: 100) { nodes { id } }';
    expect(errors(`{ a: ${one} }`, complexityLimitRule(300))).toEqual([]);
    expect(errors(`{ a: ${one} b: ${one} }`, complexityLimitRule(300))).toHaveLength(1);
  });

  it('counts introspection like data, so aliases cannot ask for the whole schema many times over', () => {
    const introspection = getIntrospectionQuery();
    expect(errors(introspection, complexityLimitRule())).toEqual([]);
    const schemaFields = introspection.slice(
      introspection.indexOf('__schema'),
      introspection.indexOf('fragment'),
    );
    const body = schemaFields.slice(0, schemaFields.lastIndexOf('}'));
    const aliased = (n: number) =>
      `query { ${Array.from({ length: n }, (_, i) => `a${i}: ${body}`).join(' ')} }` +
      introspection.slice(introspection.indexOf('fragment'));
    expect(errors(aliased(2), complexityLimitRule())).toEqual([]);
    // Each copy costs about 4,500: ten of them are past a budget of 20,000.
    expect(errors(aliased(10), complexityLimitRule(20_000))).toEqual([
      'Query is too complex: estimated cost exceeds the budget of 20000',
    ]);
    // Past the default budget, or the selections one walk may look at, whichever comes first.
    expect(errors(aliased(100), complexityLimitRule())).toHaveLength(1);
    // Without fragments too: `__schema` and `__type` are no type's listed fields, yet their lists count.
    // __schema 1 + (types 1 + 10 × (name 1 + fields (1 + 10 × name 1))) = 122
    expect(errors('{ __schema { types { name fields { name } } } }', complexityLimitRule(122))).toEqual([]);
    expect(errors('{ __schema { types { name fields { name } } } }', complexityLimitRule(121))).toHaveLength(
      1,
    );
    const copies = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `s${i}: __schema { types { name fields { name args { name } } } }`).join(' ')} }`;
    expect(errors(copies(100), complexityLimitRule())).toEqual([
      'Query is too complex: estimated cost exceeds the budget of 100000',
    ]);
    // `__typename` names a type; it is no introspection of the schema.
    expect(errors('{ __typename }', complexityLimitRule(1))).toEqual([]);
  });
});

describe('fragments that spread others more than once', () => {
  // Each level spreads the next twice: 2^levels selections once expanded, in a request of a few hundred bytes.
  const doubling = (levels: number, leaf: string) =>
    'query { ...F0 } ' +
    Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(
      ' ',
    ) +
    ` fragment F${levels} on Query { ${leaf} }`;

  it('are refused as too large once expanded past the limit, by a walk that stops there', () => {
    // 2^40 selections: without the stop this would not finish.
    const messages = validate(schema, parse(doubling(40, 'node { id }')), [
      depthLimitRule(),
      complexityLimitRule(),
    ]).map((e) => e.message);
    expect(messages).toEqual([
      `Query is too large: it selects more than ${MAX_EXPANDED_SELECTIONS} fields once its fragments are expanded`,
    ]);
  });

  it('are accepted while they stay within it', () => {
    // 2^5 = 32 copies of `node { id }`: cost 64.
    expect(errors(doubling(5, 'node { id }'), complexityLimitRule(64))).toEqual([]);
    expect(errors(doubling(5, 'node { id }'), complexityLimitRule(63))).toHaveLength(1);
  });
});

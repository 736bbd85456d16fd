/** The depth and complexity rules, on a small schema shaped like the API's paged lists. */
import { buildSchema, parse, validate } from 'graphql';
import { complexityLimitRule } from '../../src/infrastructure/graphql/limits/complexity-limit.rule';
import { depthLimitRule } from '../../src/infrastructure/graphql/limits/depth-limit.rule';

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
});

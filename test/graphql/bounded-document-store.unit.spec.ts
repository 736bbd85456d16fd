/** Apollo's parsed-query store is bounded by count, forgetting the least recently used. */
import { parse } from 'graphql';
import { apolloConfig } from '../../src/infrastructure/graphql/graphql-api.module';
import {
  BoundedDocumentStore,
  MAX_DOCUMENT_TEXT,
  MAX_DOCUMENTS,
} from '../../src/infrastructure/graphql/bounded-document-store';

describe('BoundedDocumentStore', () => {
  it('keeps at most its capacity, forgetting the least recently used', async () => {
    const store = new BoundedDocumentStore(3);
    for (const key of ['a', 'b', 'c']) await store.set(key, parse(`{ ${key} }`));
    await store.get('a'); // used again: now the most recent
    await store.set('d', parse('{ d }'));
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('d')).toBeDefined();
    expect(await store.delete('a')).toBe(true);
    expect(await store.get('a')).toBeUndefined();
  });

  it('keeps the text of its operations under a total, and never keeps a very long one', async () => {
    const store = new BoundedDocumentStore(100, 1_000);
    const query = (name: string, padding: number) => parse(`{ ${name} } # ${'x'.repeat(padding)}`);
    for (let i = 0; i < 5; i++) await store.set(`q${i}`, query(`f${i}`, 290));
    expect(store.totalText).toBeLessThanOrEqual(1_000);
    expect(store.size).toBe(3);
    expect(await store.get('q0')).toBeUndefined();
    expect(await store.get('q4')).toBeDefined();
    // Padded past MAX_DOCUMENT_TEXT (a 1 MB comment is a valid query): parsed every time, never kept.
    const big = new BoundedDocumentStore();
    await big.set('padded', query('g', MAX_DOCUMENT_TEXT));
    expect(big.size).toBe(0);
    expect(big.totalText).toBe(0);
  });

  it("is the API's document store, with automatic persisted queries off", () => {
    const config = apolloConfig({
      jwtSecret: 'x'.repeat(32),
      readYourWritesTimeoutMs: 1000,
      landingPage: false,
    });
    expect(config.documentStore).toBeInstanceOf(BoundedDocumentStore);
    expect(config.persistedQueries).toBe(false);
    expect(MAX_DOCUMENTS).toBeLessThanOrEqual(1_000);
  });
});

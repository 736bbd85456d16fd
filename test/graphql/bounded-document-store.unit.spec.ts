/** Apollo's parsed-query store is bounded by count, forgetting the least recently used. */
import { parse } from 'graphql';
import { apolloConfig } from '../../src/infrastructure/graphql/graphql-api.module';
import { BoundedDocumentStore, MAX_DOCUMENTS } from '../../src/infrastructure/graphql/bounded-document-store';

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

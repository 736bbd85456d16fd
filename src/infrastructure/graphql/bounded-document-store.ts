/**
 * Apollo's store of parsed and validated queries, bounded by how many it holds. Apollo's default counts
 * only the query text against 30 MiB, while a parsed document keeps every token of the query (about
 * 4.6 times the text): distinct queries from any client with a token took it to about 140 MB. Clients
 * send a few dozen distinct operations; the least recently used beyond the limit is forgotten (and
 * parsed again when it comes back).
 */
import type { DocumentNode } from 'graphql';

/** How many parsed operations are kept. */
export const MAX_DOCUMENTS = 1_000;

/** Apollo's KeyValueCache, for parsed documents. */
export class BoundedDocumentStore {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly capacity: number = MAX_DOCUMENTS) {}

  get size(): number {
    return this.documents.size;
  }

  async get(key: string): Promise<DocumentNode | undefined> {
    const document = this.documents.get(key);
    if (document !== undefined) {
      // Most recently used last: the first entry is the one to forget.
      this.documents.delete(key);
      this.documents.set(key, document);
    }
    return document;
  }

  async set(key: string, document: DocumentNode): Promise<void> {
    this.documents.delete(key);
    this.documents.set(key, document);
    if (this.documents.size > this.capacity) {
      this.documents.delete(this.documents.keys().next().value as string);
    }
  }

  async delete(key: string): Promise<boolean> {
    return this.documents.delete(key);
  }
}

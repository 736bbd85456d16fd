/**
 * Apollo's store of parsed and validated queries, bounded by how many it holds and by the size of their
 * text. Apollo's default counts only the query text against 30 MiB, while a parsed document keeps every
 * token of the query (about 4.6 times the text): distinct queries from any client with a token took it
 * to about 140 MB. A parsed document also keeps its whole source, so a count alone is no bound either
 * (a query padded with a 1 MB comment is valid). Clients send a few dozen distinct operations of a few
 * KB; the least recently used beyond the limits is forgotten (and parsed again when it comes back), and
 * a query over MAX_DOCUMENT_TEXT is never kept.
 */
import type { DocumentNode } from 'graphql';

/** How many parsed operations are kept. */
export const MAX_DOCUMENTS = 1_000;
/** The query text all kept operations may add up to (their parsed form is about five times as large). */
export const MAX_TOTAL_TEXT = 4 * 1024 * 1024;
/** A query longer than this is parsed every time it is sent, never kept. */
export const MAX_DOCUMENT_TEXT = 64 * 1024;

const textLength = (document: DocumentNode): number => document.loc?.source.body.length ?? 0;

/** Apollo's KeyValueCache, for parsed documents. */
export class BoundedDocumentStore {
  private readonly documents = new Map<string, DocumentNode>();
  private text = 0;

  constructor(
    private readonly capacity: number = MAX_DOCUMENTS,
    private readonly maxTotalText: number = MAX_TOTAL_TEXT,
  ) {}

  get size(): number {
    return this.documents.size;
  }

  /** The query text of the kept operations, in characters. */
  get totalText(): number {
    return this.text;
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
    await this.delete(key);
    const length = textLength(document);
    if (length > MAX_DOCUMENT_TEXT) return;
    this.documents.set(key, document);
    this.text += length;
    while (this.documents.size > this.capacity || this.text > this.maxTotalText) {
      await this.delete(this.documents.keys().next().value as string);
    }
  }

  async delete(key: string): Promise<boolean> {
    const document = this.documents.get(key);
    if (document === undefined) return false;
    this.documents.delete(key);
    this.text -= textLength(document);
    return true;
  }
}

import { Document } from 'bson';
import { Aggregator, find, Query } from 'mingo';
import type { AnyObject, CollationSpec, CollectionResolver, Options } from 'mingo/types/types';
import { sortDocuments } from './bson-order';
import { numericView } from './numeric-view';
import { cloneValue, isDocument } from './values';

/** How `find`, `count` and `findAndModify` pick documents, in MongoDB's terms. */
export interface FindSpec {
  readonly filter?: Document;
  readonly sort?: Document;
  readonly projection?: Document;
  readonly skip?: number;
  readonly limit?: number;
  /** Locale-aware string comparison for filter and sort, e.g. `{ locale: 'en', strength: 2 }`. */
  readonly collation?: Document;
}

function asFilter(filter: unknown): AnyObject {
  return isDocument(filter) ? filter : {};
}

/** A predicate for one filter document, compiled once and reused for every document. */
export function documentMatcher(filter: Document | undefined): (document: Document) => boolean {
  const criteria = numericView(asFilter(filter));
  if (Object.keys(criteria).length === 0) return () => true;
  const query = new Query(criteria);
  return (document) => query.test(numericView(document));
}

/** `$natural` asks for storage order, which is the order documents are already in. */
function naturalOrder(sort: Document): 1 | -1 | undefined {
  const keys = Object.keys(sort);
  return keys.length === 1 && keys[0] === '$natural' ? (sort.$natural < 0 ? -1 : 1) : undefined;
}

/**
 * Filters, sorts, skips, limits and projects like the `find` command. The input is a snapshot of stored
 * documents, which are never mutated in place, so the result is isolated from later writes. Sorting
 * follows MongoDB's BSON comparison order, or mingo's collation support when a collation is given.
 */
export function findDocuments(documents: Document[], spec: FindSpec): Document[] {
  const sort =
    isDocument(spec.sort) && Object.keys(spec.sort).length > 0 ? numericView(spec.sort) : undefined;
  const natural = sort ? naturalOrder(sort) : undefined;
  const source = natural === -1 ? [...documents].reverse() : documents;
  // Filter on the numeric views, then hand back (and project) the stored documents themselves.
  const originals = new Map<Document, Document>();
  const views = source.map((document) => {
    const view = numericView(document);
    originals.set(view, document);
    return view;
  });
  let cursor = find<Document>(views, numericView(asFilter(spec.filter)), {});
  const collation = isDocument(spec.collation) && typeof spec.collation.locale === 'string';
  if (collation) cursor = cursor.collation(spec.collation as CollationSpec);
  if (collation && sort && natural === undefined) cursor = cursor.sort(sort);
  let selected = cursor.all().map((view) => originals.get(view) ?? view);
  if (!collation && sort && natural === undefined) selected = sortDocuments(selected, sort);
  const skip = spec.skip && spec.skip > 0 ? spec.skip : 0;
  const limit = spec.limit && spec.limit > 0 ? spec.limit : undefined;
  selected = selected.slice(skip, limit === undefined ? undefined : skip + limit);
  const projection = isDocument(spec.projection) ? numericView(spec.projection) : {};
  return Object.keys(projection).length > 0 ? find<Document>(selected, {}, projection).all() : selected;
}

/** Runs an aggregation pipeline; `$lookup` and friends see the other collections through `resolve`. */
export function runPipeline(
  documents: Document[],
  pipeline: Document[],
  resolve: (collection: string) => Document[],
  collation?: Document,
): Document[] {
  const collectionResolver: CollectionResolver = (name) =>
    resolve(name).map((document) => numericView(document));
  const options: Partial<Options> = {
    collectionResolver,
    ...(isDocument(collation) && typeof collation.locale === 'string'
      ? { collation: collation as CollationSpec }
      : {}),
  };
  // Stages such as $addFields may write into their input, so they get copies of the stored documents.
  return new Aggregator(pipeline, options).run(
    documents.map((document) => cloneValue(document)),
  ) as Document[];
}

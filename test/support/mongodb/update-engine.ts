import { Document } from 'bson';
import { update as applyOperators } from 'mingo';
import { MongoCommandError } from './errors';
import { prepareInt64Arithmetic, restoreInt64 } from './int64-arithmetic';
import { runPipeline } from './query-engine';
import { withId } from './stored-collection';
import { cloneValue, isDocument, setPath } from './values';

/** The `u` of an update statement: update operators, a replacement document, or an update pipeline. */
export type UpdateSpec = Document | Document[];

/** What an update may need besides the document: array filters and the filter (for positional `$`). */
export interface UpdateOptions {
  readonly arrayFilters?: Document[];
  readonly filter?: Document;
}

const POSITIONAL_PATH = /(^|\.)\$(\.|$)/;

function isOperatorUpdate(spec: Document): boolean {
  const keys = Object.keys(spec);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$rename',
  '$setOnInsert',
  '$min',
  '$max',
  '$currentDate',
  '$addToSet',
  '$pop',
  '$pull',
  '$push',
  '$pullAll',
  '$bit',
]);

/**
 * Rejects malformed update specifications up front, like mongod does while parsing the command, so the
 * error shows even when the filter matches nothing.
 */
export function assertUpdateShape(spec: unknown): asserts spec is UpdateSpec {
  if (Array.isArray(spec)) return;
  if (!isDocument(spec))
    throw new MongoCommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(spec);
  if (keys.some((key) => key.startsWith('$')) && !isOperatorUpdate(spec)) {
    throw new MongoCommandError('FailedToParse', 'Update document mixes update operators and plain fields');
  }
  const unknown = keys.find((key) => key.startsWith('$') && !UPDATE_OPERATORS.has(key));
  if (unknown) {
    throw new MongoCommandError(
      'FailedToParse',
      `Unknown modifier: ${unknown}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
}

/** Runs update operators on a copy; `$setOnInsert` only matters for upserts and is dropped here. */
function withOperators(document: Document, spec: Document, options: UpdateOptions): Document {
  const { $setOnInsert: _ignored, ...requested } = spec;
  const next = cloneValue(document);
  const { operators, targets } = prepareInt64Arithmetic(next, requested);
  const paths = Object.values(operators).flatMap((fields) => (isDocument(fields) ? Object.keys(fields) : []));
  const condition = paths.some((path) => POSITIONAL_PATH.test(path)) ? options.filter : undefined;
  try {
    applyOperators(next, operators, options.arrayFilters, condition, { cloneMode: 'deep' });
  } catch (error) {
    // mingo guards `_id` itself; answer with the code mongod uses for it.
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes('immutable field')) throw new MongoCommandError('ImmutableField', message);
    throw error;
  }
  restoreInt64(next, targets);
  return next;
}

function withPipeline(document: Document, pipeline: Document[]): Document {
  const [result] = runPipeline([document], pipeline, () => []);
  if (!isDocument(result)) throw new MongoCommandError('BadValue', 'update pipeline must produce a document');
  return result;
}

/**
 * The new version of a stored document; never mutates `document`. A replacement keeps the stored `_id`
 * (a different `_id` in it is rejected later as an immutable-field change).
 */
export function updatedDocument(document: Document, spec: unknown, options: UpdateOptions = {}): Document {
  assertUpdateShape(spec);
  if (Array.isArray(spec)) return withPipeline(document, spec);
  if (isOperatorUpdate(spec)) return withOperators(document, spec, options);
  return withId({ _id: document._id, ...cloneValue(spec) });
}

/**
 * The equality fields of a filter, which MongoDB copies into the document an upsert inserts:
 * `{ a: 1, 'b.c': 2, d: { $eq: 3 }, $and: [{ e: 4 }] }` gives `{ a: 1, b: { c: 2 }, d: 3, e: 4 }`.
 */
export function equalityFields(filter: Document | undefined, into: Document = {}): Document {
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isDocument(clause)) equalityFields(clause, into);
    } else if (!key.startsWith('$')) {
      const operators = isDocument(value) && Object.keys(value).some((field) => field.startsWith('$'));
      if (!operators) setPath(into, key, cloneValue(value));
      else if (isDocument(value) && '$eq' in value) setPath(into, key, cloneValue(value.$eq));
    }
  }
  return into;
}

/**
 * The document an upsert inserts: the filter's equality fields, then the update, with `$setOnInsert`
 * applied only here. A replacement upsert takes just the `_id` from the filter.
 */
export function upsertedDocument(
  filter: Document | undefined,
  spec: unknown,
  options: UpdateOptions = {},
): Document {
  assertUpdateShape(spec);
  const seed = equalityFields(filter);
  if (Array.isArray(spec)) return withId(withPipeline(seed, spec));
  if (!isOperatorUpdate(spec)) {
    const fromFilter = seed._id === undefined ? {} : { _id: seed._id };
    return withId({ ...fromFilter, ...cloneValue(spec) });
  }
  const updated = withOperators(seed, spec, { arrayFilters: options.arrayFilters });
  const onInsert = spec.$setOnInsert;
  if (isDocument(onInsert) && Object.keys(onInsert).length > 0) {
    applyOperators(updated, { $set: onInsert }, undefined, undefined, { cloneMode: 'deep' });
  }
  return withId(updated);
}

import { Document } from 'bson';
import { CommandHandler, collectionName } from '../command-context';
import { MongoCommandError } from '../errors';
import { findDocuments } from '../query-engine';
import { assertUpdateShape, updatedDocument, upsertedDocument } from '../update-engine';
import { isDocument } from '../values';

function project(document: Document | null, fields: unknown): Document | null {
  if (!document || !isDocument(fields) || Object.keys(fields).length === 0) return document;
  return findDocuments([document], { projection: fields })[0] ?? null;
}

/**
 * `findAndModify` (behind `findOneAndUpdate`, `findOneAndReplace` and `findOneAndDelete`): acts on the first
 * match in `sort` order and returns it as it was before, or after when `new` is true. Errors such as a
 * duplicate key fail the whole command.
 */
const findAndModify: CommandHandler = (body, context) => {
  const name = collectionName(body, Object.keys(body)[0]);
  const filter = isDocument(body.query) ? body.query : {};
  const remove = body.remove === true;
  if (remove && (body.update !== undefined || body.upsert === true || body.new === true)) {
    throw new MongoCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  }
  if (!remove && body.update === undefined) {
    throw new MongoCommandError('FailedToParse', 'Either an update or remove=true must be specified');
  }
  if (!remove) assertUpdateShape(body.update);
  const existing = context.catalog.find(context.database, name);
  const [found] = existing
    ? findDocuments(existing.candidates(filter), { filter, sort: body.sort, limit: 1 })
    : [];
  const options = { arrayFilters: body.arrayFilters as Document[] | undefined, filter };

  if (remove) {
    if (found) existing?.remove(found);
    return { lastErrorObject: { n: found ? 1 : 0 }, value: project(found ?? null, body.fields) };
  }
  if (!found) {
    if (body.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
    // Only an upsert creates the collection, as with mongod.
    const target = existing ?? context.catalog.obtain(context.database, name);
    const inserted = target.insert(upsertedDocument(filter, body.update, options));
    const value = body.new === true ? project(inserted, body.fields) : null;
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id }, value };
  }
  const next = updatedDocument(found, body.update, options);
  existing?.replace(found, next);
  const value = project(body.new === true ? next : found, body.fields);
  return { lastErrorObject: { n: 1, updatedExisting: true }, value };
};

/** Both spellings reach the same handler; drivers send `findAndModify`. */
export const findAndModifyCommands: Record<string, CommandHandler> = {
  findAndModify,
  findandmodify: findAndModify,
};

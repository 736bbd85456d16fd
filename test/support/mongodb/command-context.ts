import { Document, Long } from 'bson';
import { Catalog } from './catalog';
import { CursorRegistry } from './cursor-registry';
import { MongoCommandError } from './errors';

/** What a command handler may use: the server's storage and cursors, and where the command was sent. */
export interface CommandContext {
  readonly catalog: Catalog;
  readonly cursors: CursorRegistry;
  /** The database the command runs against (`$db`). */
  readonly database: string;
  readonly connectionId: number;
}

/** Runs one command and returns its reply (without `ok`, which the dispatcher adds when missing). */
export type CommandHandler = (body: Document, context: CommandContext) => Document;

/** The collection name a command names in its first field, e.g. `{ find: 'tickets' }`. */
export function collectionName(body: Document, command: string): string {
  const name = body[command];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

/** Reads an optional non-negative integer option, accepting any numeric BSON type. */
export function optionalCount(body: Document, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const number = Long.isLong(value) ? value.toNumber() : Number(value);
  if (!Number.isFinite(number)) throw new MongoCommandError('BadValue', `${field} must be a number`);
  return Math.trunc(number);
}

/** Fields drivers add to every command (sessions, read/write concerns, API version); they change nothing here. */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  'comment',
  'maxTimeMS',
]);

/** The command's own options: the body without its name and without the generic fields. */
export function commandOptions(body: Document, command: string): Document {
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => key !== command && !GENERIC_FIELDS.has(key)),
  );
}

import { Db, MongoClient, MongoServerError } from 'mongodb';
import { MongoTestServer, startMongoTestServer } from '../support/mongodb/server';

/** A document whose `_id` is chosen by the test (a number or a string) rather than an ObjectId. */
export interface KeyedDocument {
  _id?: number | string;
  [field: string]: unknown;
}

/** A test server on an OS-chosen port with a connected real driver client. */
export interface Harness {
  readonly server: MongoTestServer;
  readonly client: MongoClient;
  /** A database of its own for each test file, so files never see each other's data. */
  readonly db: Db;
}

/** Starts the server and connects a `mongodb` driver client (the connect runs the real handshake). */
export async function startHarness(database: string): Promise<Harness> {
  const server = await startMongoTestServer({ port: 0 });
  const client = new MongoClient(server.url, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return { server, client, db: client.db(database) };
}

/** Closes the client first (it sends endSessions), then the server, so jest exits on its own. */
export async function stopHarness(harness: Harness | undefined): Promise<void> {
  await harness?.client.close();
  await harness?.server.stop();
}

/** The MongoServerError an action fails with (the test fails if it succeeds or fails otherwise). */
export async function serverFailure(action: Promise<unknown>): Promise<MongoServerError> {
  const outcome = await action.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof MongoServerError))
    throw new Error(`expected a MongoServerError, got ${String(outcome)}`);
  return outcome;
}

/**
 * The read store contract against the MongoDB adapter and the real `mongodb` driver: always through
 * the wire-protocol test server, and also against a real MongoDB when MONGODB_TEST_URL is set. Every
 * store the contract opens gets a database of its own, dropped when the file is done.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  createMongoReadStore,
  type MongoReadStore,
} from '../../src/infrastructure/read-store/mongodb/mongodb-read-store';
import { startMongoTestServer, type MongoTestServer } from '../support/mongodb/server';
import { describeReadStoreContract } from './read-store.contract';

/** Opens stores on one server, each in a fresh database, and drops those databases at the end. */
function storesOn(url: () => string): () => Promise<MongoReadStore> {
  const databases: string[] = [];
  afterAll(async () => {
    const client = new MongoClient(url(), { serverSelectionTimeoutMS: 5000 });
    try {
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });
  return async () => {
    const name = `contract_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    databases.push(name);
    return createMongoReadStore(url(), name);
  };
}

describe('MongoDB adapter through the wire-protocol test server', () => {
  let server: MongoTestServer;
  const open = storesOn(() => server.url);
  beforeAll(async () => {
    server = await startMongoTestServer();
  });
  // Declared after storesOn's cleanup: hooks run in declaration order, the server must outlive it.
  afterAll(() => server.stop());

  describeReadStoreContract('MongoDB, real driver, protocol test server', () => open());
});

const realServerUrl = process.env.MONGODB_TEST_URL;
if (realServerUrl) {
  describe('MongoDB adapter against a real MongoDB', () => {
    const open = storesOn(() => realServerUrl);
    describeReadStoreContract(`MongoDB, real driver, real server at ${realServerUrl}`, () => open());
  });
} else {
  console.log(
    'MONGODB_TEST_URL is not set: the ReadStore contract ran against the MongoDB wire-protocol test server ' +
      'only; set MONGODB_TEST_URL=mongodb://localhost:27017 to also run it against a real MongoDB.',
  );
}

/**
 * The GraphQL API suite with both production adapters and their real clients: EVENTSTORE_URL points at
 * the EventStoreDB protocol test server, MONGODB_URL at the MongoDB wire-protocol test server. Each app
 * (each `bootEnv` call) gets a fresh pair of servers, so suites never see each other's data; a restart
 * within a suite keeps its servers, so the data is there after it.
 */
import {
  startEventStoreTestServer,
  type EventStoreTestServer,
} from '../support/eventstoredb/event-store-test-server';
import { startMongoTestServer, type MongoTestServer } from '../support/mongodb/server';
import { describeGraphqlApi } from './graphql-api.suite';
import { makeDataDir, removeDataDir } from './support/test-app';

const eventStores: EventStoreTestServer[] = [];
const mongoServers: MongoTestServer[] = [];
const dataDirs: string[] = [];

afterAll(async () => {
  for (const server of mongoServers) await server.stop();
  for (const server of eventStores) await server.stop();
  for (const dir of dataDirs) removeDataDir(dir);
});

describeGraphqlApi('EventStoreDB and MongoDB protocol test servers', async () => {
  const eventStore = await startEventStoreTestServer();
  eventStores.push(eventStore);
  const mongo = await startMongoTestServer();
  mongoServers.push(mongo);
  const dir = makeDataDir();
  dataDirs.push(dir);
  return { DATA_DIR: dir, EVENTSTORE_URL: eventStore.url, MONGODB_URL: mongo.url, MONGODB_DB: 'tickets_e2e' };
});

import { rm } from 'node:fs/promises';
import { createEventStoreDbEventStore } from '../../src/infrastructure/event-store/eventstoredb/eventstoredb-event-store';
import { describeEventStoreContract } from '../event-store/event-store.contract';
import { startEventStoreTestServer } from '../support/eventstoredb/event-store-test-server';

describeEventStoreContract('EventStoreDB adapter, real client, protocol test server', async () => {
  const server = await startEventStoreTestServer();
  const store = createEventStoreDbEventStore(server.url);
  return {
    store,
    async close() {
      await store.close();
      await server.stop();
      await rm(server.dataDir, { recursive: true, force: true });
    },
  };
});

const realServerUrl = process.env.EVENTSTORE_TEST_URL;
if (realServerUrl) {
  describeEventStoreContract(`EventStoreDB adapter, real EventStoreDB at ${realServerUrl}`, async () => {
    const store = createEventStoreDbEventStore(realServerUrl);
    return { store, close: () => store.close() };
  });
} else {
  console.log(
    'EVENTSTORE_TEST_URL is not set: the EventStore contract ran against the protocol test server only; ' +
      'set EVENTSTORE_TEST_URL=esdb://localhost:2113?tls=false to also run it against a real EventStoreDB.',
  );
}

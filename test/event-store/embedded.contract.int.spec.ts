import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmbeddedEventStore } from '../../src/infrastructure/event-store/embedded/embedded-event-store';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('embedded', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-contract-'));
  const store = await EmbeddedEventStore.open(dir);
  return {
    store,
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

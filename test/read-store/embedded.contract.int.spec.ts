import { EmbeddedReadStore } from '../../src/infrastructure/read-store/embedded/embedded-read-store';
import { describeReadStoreContract } from './read-store.contract';

describeReadStoreContract('embedded', async () => new EmbeddedReadStore());

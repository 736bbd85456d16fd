// Child process for the lock test: opens the store in argv[2], says so, and keeps it open until killed.
import { EmbeddedEventStore } from '../../../src/infrastructure/event-store/embedded/embedded-event-store';

EmbeddedEventStore.open(process.argv[2]).then(
  () => {
    process.stdout.write('open\n');
    setInterval(() => undefined, 60_000);
  },
  (error: Error) => {
    process.stdout.write(`refused ${error.message}\n`);
    process.exit(3);
  },
);

// Child process for the lock race test. Arguments: the data directory, the epoch ms of the first round,
// the round count and the round length. At the start of each round every child tries to take the lock
// at the same instant; the one that gets it says `held <round>`, keeps it for a while, then leaves it
// behind as a dead process would (a lock naming a pid that does not run), so every round starts from a
// stale lock that all children try to take over at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataDirLock } from '../../../src/infrastructure/event-store/embedded/data-dir-lock';

const [dir, firstAt, rounds, roundMs] = process.argv.slice(2);
const lockPath = path.join(dir, 'events.lock');
const DEAD_PID = 2 ** 22 + 12345; // above Linux's pid_max default: never a running process

async function main(): Promise<void> {
  for (let round = 0; round < Number(rounds); round++) {
    const at = Number(firstAt) + round * Number(roundMs);
    while (Date.now() < at - 2) await new Promise((resolve) => setTimeout(resolve, 1));
    while (Date.now() < at); // spin the last moments, so all children start together
    let lock: DataDirLock | null = null;
    try {
      lock = DataDirLock.acquire(dir, 'events.lock');
    } catch {
      // refused: someone else holds it
    }
    if (lock === null) continue;
    process.stdout.write(`held ${round}\n`);
    await new Promise((resolve) => setTimeout(resolve, Number(roundMs) / 2));
    // Die without releasing, as far as the lock file can tell.
    fs.writeFileSync(`${lockPath}.dead`, `${DEAD_PID} dead\n`);
    fs.renameSync(`${lockPath}.dead`, lockPath);
  }
}

void main().then(() => process.stdout.write('done\n'));

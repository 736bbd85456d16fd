// Child process for the lock race test. Arguments: the data directory, the epoch ms of the first round,
// the round count and the round length. At the start of each round every child still alive tries to
// take the lock at the same instant; the one that gets it says `held <round>`, keeps it for a while,
// then dies without releasing it (the lock file stays behind, naming a process that no longer runs), so
// every round starts from a dead owner's lock that all the others try to take over at once. While it
// holds the lock it also holds a marker file created exclusively: finding the marker there means two
// children held the lock at once, and it says `overlap <round>`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataDirLock } from '../../../src/infrastructure/event-store/embedded/data-dir-lock';

const [dir, firstAt, rounds, roundMs] = process.argv.slice(2);

async function main(): Promise<void> {
  for (let round = 0; round < Number(rounds); round++) {
    const at = Number(firstAt) + round * Number(roundMs);
    while (Date.now() < at - 2) await new Promise((resolve) => setTimeout(resolve, 1));
    while (Date.now() < at); // spin the last moments, so all children start together
    let lock: DataDirLock | null = null;
    try {
      lock = await DataDirLock.acquire(dir, 'events.lock');
    } catch {
      // refused: someone else holds it
    }
    if (lock === null) continue;
    const marker = path.join(dir, 'holder');
    try {
      fs.writeFileSync(marker, String(process.pid), { flag: 'wx' });
      process.stdout.write(`held ${round}\n`);
    } catch {
      process.stdout.write(`overlap ${round}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, Number(roundMs) / 3));
    fs.rmSync(marker, { force: true });
    process.exit(0); // dies holding the lock, as far as the lock file can tell
  }
}

void main().then(() => process.stdout.write('done\n'));

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import NODE_FLAGS from '../../scripts/node-flags.json';

describe('runtime flags (README: Runtime flags)', () => {
  it('npm start runs the server in place of its shell, with the V8 flags the tools and benchmarks use', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const start = manifest.scripts.start.split(/\s+/);
    // `exec`: the server takes the place of npm's shell, so a SIGTERM sent to `npm start` reaches it
    // (the shell died and left the server running).
    expect(start.slice(0, 2)).toEqual(['exec', 'node']);
    expect(start.slice(2, -1)).toEqual(NODE_FLAGS);
  });
});

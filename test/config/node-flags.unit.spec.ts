import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import NODE_FLAGS from '../../scripts/node-flags.json';

describe('runtime flags (README: Runtime flags)', () => {
  it('npm start runs the server with the V8 flags the tools and benchmarks use', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const start = manifest.scripts.start.split(/\s+/);
    expect(start[0]).toBe('node');
    expect(start.slice(1, -1)).toEqual(NODE_FLAGS);
  });
});

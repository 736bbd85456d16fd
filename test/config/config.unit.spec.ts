import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_CATALOG } from '../../src/domain/catalog';
import {
  DEVELOPMENT_JWT_SECRET,
  describeStores,
  loadConfig,
  type Config,
  type ConfigResult,
  type Env,
} from '../../src/infrastructure/config/config';

const SECRET = 'a-production-secret-of-32-chars!';

function ok(env: Env): Config {
  const result = loadConfig(env);
  if (!result.ok) throw new Error(`expected a valid configuration, got: ${result.problems.join(' | ')}`);
  return result.config;
}
function problems(env: Env): string[] {
  const result: ConfigResult = loadConfig(env);
  if (result.ok) throw new Error('expected configuration problems');
  return result.problems;
}

describe('loadConfig', () => {
  it('given nothing, uses the defaults of runtime.md and warns about the development secret', () => {
    const result = loadConfig({});
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      eventStoreUrl: null,
      mongodbUrl: null,
      mongodbDb: 'tickets',
      jwtSecret: DEVELOPMENT_JWT_SECRET,
      usingDevelopmentSecret: true,
      readYourWritesTimeoutMs: 5000,
      autoCloseIntervalMs: 60000,
      policy: {
        firstResponseHours: 24,
        resolutionHours: { CRITICAL: 4, HIGH: 24, NORMAL: 72, LOW: 120 },
        autoCloseAfterDays: 7,
        reopenWindowDays: 30,
      },
    });
    expect(result.warnings).toEqual([expect.stringContaining('AUTH_JWT_SECRET')]);
  });

  describe('PORT', () => {
    it.each(['1', '8080', '65535', ' 3001 '])('accepts %j', (port) => {
      expect(ok({ PORT: port }).port).toBe(Number(port.trim()));
    });
    it.each(['abc', '0', '65536', '-1', '80.5', '1e3', '3000x'])('refuses %j naming the variable', (port) => {
      expect(problems({ PORT: port })).toEqual([`PORT: "${port}" is not a port number (1–65535)`]);
    });
    it('treats an empty value as unset', () => {
      expect(ok({ PORT: '' }).port).toBe(3000);
    });
  });

  describe('HOST', () => {
    it.each(['0.0.0.0', 'localhost', '::', '::1', 'api.example.com', 'event_store'])('accepts %j', (host) => {
      expect(ok({ HOST: host }).host).toBe(host);
    });
    it.each(['not a host', 'http://localhost', 'a..b', '-bad.example'])('refuses %j', (host) => {
      expect(problems({ HOST: host })).toEqual([`HOST: "${host}" is not a host name or IP address`]);
    });
  });

  describe('DATA_DIR', () => {
    it('resolves the directory to an absolute path', () => {
      expect(ok({ DATA_DIR: 'var/tickets' }).dataDir).toBe(resolve('var/tickets'));
      expect(ok({ DATA_DIR: '/srv/data' }).dataDir).toBe('/srv/data');
    });
    it('refuses a path with a NUL character', () => {
      expect(problems({ DATA_DIR: 'a\0b' })).toEqual(['DATA_DIR: contains a NUL character']);
    });
  });

  describe('EVENTSTORE_URL', () => {
    it.each([
      'esdb://localhost:2113?tls=false',
      'esdb://admin:changeit@localhost:2113?tls=false&keepAliveInterval=10000',
      'esdb://node1:2113,node2:2113,node3:2113?tls=true',
      'esdb+discover://cluster.example.com:2113',
      'esdb://127.0.0.1',
      'esdb://localhost:2113?tls=false&nodePreference=leader&throwOnAppendFailure=true',
    ])('accepts %j', (url) => {
      expect(ok({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
    });
    it.each([
      // The client's own parser refuses these when it connects; refused here, before anything starts.
      ['esdb://localhost:2113?tls=yes', /Unexpected "yes"/],
      ['esdb://localhost:2113?nodePreference=primary', /primary/],
      ['esdb://[::1]:2113/?tls=false', /Unexpected "\["/],
      ['esdb://admin@localhost:2113?tls=false', /credentials must be user:password/],
      ['esdb://localhost:2113?throwOnAppendFailure=false', /throwOnAppendFailure=false is not supported/],
      [
        'esdb://localhost:2113?tlsCAFile=/nonexistent/ca.pem',
        /tlsCAFile "\/nonexistent\/ca.pem" is not a readable file/,
      ],
      ['esdb://localhost:2113?userCertFile=/etc/hostname', /userCertFile and userKeyFile go together/],
    ])('refuses %j with one line naming the problem', (url, reason) => {
      const found = problems({ EVENTSTORE_URL: url });
      expect(found).toEqual([expect.stringMatching(/^EVENTSTORE_URL: "esdb:/)]);
      expect(found[0]).toMatch(reason);
    });
    it.each([
      'http://localhost:2113',
      'localhost:2113',
      'esdb://',
      'esdb://localhost:99999',
      'esdb://localhost:port',
      'esdb://host one:2113',
      'esdb://localhost:2113?tls',
    ])('refuses %j', (url) => {
      const [problem] = problems({ EVENTSTORE_URL: url });
      expect(problem).toMatch(/^EVENTSTORE_URL: ".*" is not an EventStoreDB connection string/);
    });
  });

  describe('MONGODB_URL', () => {
    it.each([
      'mongodb://localhost:27017',
      'mongodb://user:p%40ss@db1:27017,db2:27017/tickets?replicaSet=rs0',
      'mongodb+srv://cluster0.example.net/?retryWrites=true',
      'mongodb://127.0.0.1',
    ])('accepts %j', (url) => {
      expect(ok({ MONGODB_URL: url }).mongodbUrl).toBe(url);
    });
    it.each([
      'postgres://localhost',
      'mongodb://',
      'mongodb://localhost:0',
      'localhost:27017',
      'mongodb+srv://host:27017',
    ])('refuses %j', (url) => {
      const [problem] = problems({ MONGODB_URL: url });
      expect(problem).toMatch(/^MONGODB_URL: ".*"/);
    });
    it.each([
      ['mongodb://localhost:27017/?directConnection=maybe', /directConnection/],
      ['mongodb://localhost:27017/?foo=bar', /foo/],
    ])("refuses %j with the driver's reason, before anything starts", (url, reason) => {
      const found = problems({ MONGODB_URL: url });
      expect(found).toEqual([expect.stringMatching(/^MONGODB_URL: "mongodb:/)]);
      expect(found[0]).toMatch(reason);
    });
    it('never repeats a password when it refuses a connection string', () => {
      expect(problems({ MONGODB_URL: 'mongodb://admin:TopSecretPw@db.internal:27017x' })).toEqual([
        expect.stringMatching(/^MONGODB_URL: "mongodb:\/\/admin:\*\*\*@db\.internal:27017x" is not/),
      ]);
      const [esdb] = problems({ EVENTSTORE_URL: 'esdb://admin:TopSecretPw@es.internal:2113?tls=false&x' });
      expect(esdb).toMatch(/^EVENTSTORE_URL: "esdb:\/\/admin:\*\*\*@es\.internal/);
      expect(esdb).not.toMatch(/TopSecretPw/);
      // A user without a password is shown as given: no password was sent to hide.
      const [userOnly] = problems({ EVENTSTORE_URL: 'esdb://admin@es.internal:2113?tls=false' });
      expect(userOnly).toMatch(/^EVENTSTORE_URL: "esdb:\/\/admin@es\.internal:2113\?tls=false"/);
    });
    it('refuses a store address set but blank in production, rather than running on the embedded stores unnoticed', () => {
      expect(
        problems({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET, EVENTSTORE_URL: '', MONGODB_URL: '  ' }),
      ).toEqual([
        'EVENTSTORE_URL: is set but empty (NODE_ENV=production); leave it unset for the embedded store, or give a connection string',
        'MONGODB_URL: is set but empty (NODE_ENV=production); leave it unset for the embedded store, or give a connection string',
      ]);
      // Elsewhere it means the embedded store, as unset does, and says so.
      const result = loadConfig({ AUTH_JWT_SECRET: SECRET, MONGODB_URL: '' });
      expect(result).toMatchObject({
        ok: true,
        config: { mongodbUrl: null },
        warnings: ['MONGODB_URL is set but empty: using the embedded store'],
      });
    });
    it('names the stores for the start-up line, without passwords', () => {
      expect(describeStores(ok({ DATA_DIR: '/tmp' }))).toBe(
        'event store: embedded, in /tmp; read store: embedded, in memory',
      );
      expect(
        describeStores(
          ok({
            EVENTSTORE_URL: 'esdb://admin:TopSecretPw@es.internal:2113?tls=false',
            MONGODB_URL:
              'mongodb://app:Pw@db1.internal:27017,db2.internal:27017/?proxyHost=px&proxyUsername=u&proxyPassword=S3cret',
            MONGODB_DB: 'desk',
          }),
        ),
      ).toBe(
        'event store: EventStoreDB esdb://admin@es.internal:2113; ' +
          'read store: MongoDB mongodb://app@db1.internal:27017,db2.internal:27017, database desk',
      );
    });
    it('refuses a mongodb+srv URL with several hosts', () => {
      expect(problems({ MONGODB_URL: 'mongodb+srv://a.example,b.example' })).toEqual([
        'MONGODB_URL: "mongodb+srv://a.example,b.example": mongodb+srv:// takes exactly one host',
      ]);
    });
  });

  describe('MONGODB_DB', () => {
    it.each(['tickets', 'tickets_test', 'Tickets-2026'])('accepts %j', (db) => {
      expect(ok({ MONGODB_DB: db }).mongodbDb).toBe(db);
    });
    it.each(['my.db', 'a/b', 'with space', 'dollar$', 'x'.repeat(64)])('refuses %j', (db) => {
      expect(problems({ MONGODB_DB: db })[0]).toMatch(/^MONGODB_DB: ".*" is not a valid database name/);
    });
  });

  describe('AUTH_JWT_SECRET', () => {
    it('takes a secret of 32 or more characters', () => {
      expect(ok({ AUTH_JWT_SECRET: SECRET })).toMatchObject({
        jwtSecret: SECRET,
        usingDevelopmentSecret: false,
      });
      expect(loadConfig({ AUTH_JWT_SECRET: SECRET })).toMatchObject({ warnings: [] });
    });
    it('refuses a shorter one, also in development', () => {
      expect(problems({ AUTH_JWT_SECRET: 'x' })).toEqual([
        'AUTH_JWT_SECRET: is 1 character long; at least 32 are required',
      ]);
      expect(problems({ AUTH_JWT_SECRET: 'short' })).toEqual([
        'AUTH_JWT_SECRET: is 5 characters long; at least 32 are required',
      ]);
    });
    it('is required when NODE_ENV=production', () => {
      expect(problems({ NODE_ENV: 'production' })).toEqual([
        'AUTH_JWT_SECRET: required when NODE_ENV=production (at least 32 characters)',
      ]);
      expect(ok({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET }).nodeEnv).toBe('production');
    });
  });

  describe('SLA and policy durations', () => {
    it('reads every duration', () => {
      const config = ok({
        SLA_FIRST_RESPONSE_HOURS: '12',
        SLA_RESOLUTION_HOURS_CRITICAL: '2',
        SLA_RESOLUTION_HOURS_HIGH: '8',
        SLA_RESOLUTION_HOURS_NORMAL: '48',
        SLA_RESOLUTION_HOURS_LOW: '96.5',
        AUTO_CLOSE_AFTER_DAYS: '3',
        REOPEN_WINDOW_DAYS: '14',
      });
      expect(config.policy).toEqual({
        firstResponseHours: 12,
        resolutionHours: { CRITICAL: 2, HIGH: 8, NORMAL: 48, LOW: 96.5 },
        autoCloseAfterDays: 3,
        reopenWindowDays: 14,
      });
    });
    it.each([
      'SLA_FIRST_RESPONSE_HOURS',
      'SLA_RESOLUTION_HOURS_CRITICAL',
      'SLA_RESOLUTION_HOURS_HIGH',
      'SLA_RESOLUTION_HOURS_NORMAL',
      'SLA_RESOLUTION_HOURS_LOW',
      'AUTO_CLOSE_AFTER_DAYS',
      'REOPEN_WINDOW_DAYS',
    ])('refuses a %s that is not a positive number, or past ten years', (name) => {
      const [unit, max] = name.endsWith('_DAYS') ? ['days', '3650'] : ['hours', '87600'];
      const refusal = (raw: string) => `${name}: "${raw}" is not a positive number of ${unit} up to ${max}`;
      expect(problems({ [name]: '0' })).toEqual([refusal('0')]);
      expect(problems({ [name]: 'soon' })).toEqual([refusal('soon')]);
      // A deadline this far off is no date: every ticket created would fail.
      expect(problems({ [name]: '100000000000' })).toEqual([refusal('100000000000')]);
      expect(() => ok({ [name]: max })).not.toThrow();
    });
  });

  describe('READ_YOUR_WRITES_TIMEOUT_MS and AUTO_CLOSE_INTERVAL_MS', () => {
    it('read whole milliseconds, 0 included', () => {
      expect(ok({ READ_YOUR_WRITES_TIMEOUT_MS: '250', AUTO_CLOSE_INTERVAL_MS: '0' })).toMatchObject({
        readYourWritesTimeoutMs: 250,
        autoCloseIntervalMs: 0,
      });
    });
    it.each(['READ_YOUR_WRITES_TIMEOUT_MS', 'AUTO_CLOSE_INTERVAL_MS'])(
      'refuses a %s that is not one',
      (name) => {
        const refusal = (raw: string) =>
          `${name}: "${raw}" is not a whole number of milliseconds from 0 to 2147483647 (~24.8 days)`;
        expect(problems({ [name]: '-5' })).toEqual([refusal('-5')]);
        // Node's timers go no further: a longer one fires after 1 ms (auto-close would spin).
        expect(problems({ [name]: '2592000000' })).toEqual([refusal('2592000000')]);
        expect(ok({ [name]: '2147483647' })).toBeDefined();
      },
    );
  });

  it('reports every bad variable at once, one line each', () => {
    expect(
      problems({
        PORT: 'abc',
        EVENTSTORE_URL: 'nope',
        MONGODB_DB: 'a.b',
        AUTH_JWT_SECRET: 'short',
        REOPEN_WINDOW_DAYS: 'x',
      }),
    ).toEqual([
      'PORT: "abc" is not a port number (1–65535)',
      expect.stringMatching(/^EVENTSTORE_URL: "nope"/),
      expect.stringMatching(/^MONGODB_DB: "a.b"/),
      'AUTH_JWT_SECRET: is 5 characters long; at least 32 are required',
      'REOPEN_WINDOW_DAYS: "x" is not a positive number of days up to 3650',
    ]);
  });

  it('refuses a HOST of digits and dots that is no IPv4 address, naming it (it failed at listen before)', () => {
    expect(problems({ HOST: '300.1.1.1.1' })).toEqual([
      'HOST: "300.1.1.1.1" is not a host name or IP address',
    ]);
    expect(ok({ HOST: '10.0.0.1' }).host).toBe('10.0.0.1');
  });

  it('refuses a DATA_DIR that exists and is not a directory, naming it', () => {
    expect(problems({ DATA_DIR: __filename })).toEqual([
      `DATA_DIR: "${__filename}" exists and is not a directory`,
    ]);
  });

  it('treats a blank AUTH_JWT_SECRET as unset: refused in production', () => {
    expect(problems({ NODE_ENV: 'production', AUTH_JWT_SECRET: ' '.repeat(34) })).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET: required when NODE_ENV=production/),
    ]);
  });
  describe('CATALOG_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const cargo = {
      modules: [
        {
          code: 'CARGO',
          name: { ru: 'Грузы', en: 'Cargo' },
          typeRequired: false,
          categories: [{ code: 'AWB', name: { ru: 'Накладные', en: 'Waybills' }, types: [] }],
        },
      ],
    };

    it("is domain.md's default catalog when unset or blank", () => {
      expect(ok({}).catalog).toBe(DEFAULT_CATALOG);
      expect(ok({ CATALOG_FILE: ' ' }).catalog).toBe(DEFAULT_CATALOG);
    });

    it('reads a catalog of its own (a byte order mark is allowed)', () => {
      expect(ok({ CATALOG_FILE: file('cargo.json', JSON.stringify(cargo)) }).catalog).toEqual(cargo);
      expect(ok({ CATALOG_FILE: file('bom.json', `\uFEFF${JSON.stringify(cargo)}`) }).catalog).toEqual(cargo);
    });

    it('names the file and each place in it that is wrong, beside the other bad variables', () => {
      const bad = { modules: [{ ...cargo.modules[0], typeRequired: 1, categories: [] }] };
      const path = file('bad.json', JSON.stringify(bad));
      expect(problems({ PORT: '0', CATALOG_FILE: path })).toEqual([
        'PORT: "0" is not a port number (1–65535)',
        `CATALOG_FILE: ${path}: modules[0].typeRequired: must be true or false`,
        `CATALOG_FILE: ${path}: modules[0].categories: must not be empty`,
      ]);
    });

    it('refuses a file over 1 MiB (clients fetch the whole catalog in one answer)', () => {
      const padded = JSON.stringify(cargo).replace('"Cargo"', `"Cargo${' '.repeat(1024 * 1024)}"`);
      const path = file('big.json', padded);
      expect(problems({ CATALOG_FILE: path })).toEqual([
        `CATALOG_FILE: ${path} is ${Buffer.byteLength(padded)} bytes; a catalog may have at most 1048576 (1 MiB)`,
      ]);
    });

    it('reports a huge number of problems as the first ones and a count, beside the other variables', () => {
      const path = file('many.json', JSON.stringify({ modules: Array.from({ length: 30_000 }, () => ({})) }));
      const reported = problems({ PORT: '0', CATALOG_FILE: path });
      expect(reported).toHaveLength(102);
      expect(reported[0]).toBe('PORT: "0" is not a port number (1–65535)');
      expect(reported[101]).toBe(`CATALOG_FILE: ${path}: ... and 119900 more problems`);
    });

    it('says so in one line when the file cannot be read or is not JSON', () => {
      const missing = join(dir, 'missing.json');
      expect(problems({ CATALOG_FILE: missing })).toEqual([`CATALOG_FILE: cannot read ${missing} (ENOENT)`]);
      expect(problems({ CATALOG_FILE: dir })).toEqual([`CATALOG_FILE: ${dir} is not a regular file`]);
      // A pipe nobody writes to held the start without a word.
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      expect(problems({ CATALOG_FILE: fifo })).toEqual([`CATALOG_FILE: ${fifo} is not a regular file`]);
      const broken = file('broken.json', '{ "modules": [ }');
      expect(problems({ CATALOG_FILE: broken })).toEqual([
        expect.stringMatching(new RegExp(`^CATALOG_FILE: ${broken} is not JSON \\(.+\\)$`)),
      ]);
    });
  });
});

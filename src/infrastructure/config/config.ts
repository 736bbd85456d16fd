/**
 * The engine's configuration, from environment variables (shared/contract/runtime.md). Every variable
 * is checked before anything starts; a bad value is reported as one line naming it, all bad ones at once.
 *
 * Beyond runtime.md (all optional; durations are calendar hours/days, domain.md §4):
 * | variable | default | meaning |
 * | `SLA_FIRST_RESPONSE_HOURS` | 24 | first response due after creation |
 * | `SLA_RESOLUTION_HOURS_CRITICAL` / `_HIGH` / `_NORMAL` / `_LOW` | 4 / 24 / 72 / 120 | resolution due by priority |
 * | `AUTO_CLOSE_AFTER_DAYS` | 7 | a proposed solution unanswered this long closes the ticket |
 * | `REOPEN_WINDOW_DAYS` | 30 | a closed ticket may be reopened this long |
 * | `AUTO_CLOSE_INTERVAL_MS` | 60000 | how often the auto-close policy runs; 0 turns it off |
 * | `READ_YOUR_WRITES_TIMEOUT_MS` | 5000 | how long a mutation waits for the read models to include it |
 * | `CATALOG_FILE` | unset: domain.md §5's default | the catalog of modules, categories and types, as JSON |
 */
import { resolve } from 'node:path';
import { DEFAULT_CATALOG, type Catalog } from '../../domain/catalog';
import { DEFAULT_POLICY, type TicketPolicy } from '../../domain/ticket.commands';
import { PRIORITIES, type Priority } from '../../domain/ticket.types';
import {
  addressOf,
  parseDatabaseName,
  parseDirectory,
  parseEventStoreUrl,
  parseHost,
  parseMilliseconds,
  parseMongoUrl,
  parsePort,
  positiveUpTo,
  type Parsed,
} from './config-parsers';
import { loadCatalogFile } from './catalog-file';

/** SLA durations stop at ten years: beyond that they are typing mistakes, and far beyond, no dates. */
const parseHours = positiveUpTo(87_600, 'hours');
const parseDays = positiveUpTo(3_650, 'days');

export type Env = Record<string, string | undefined>;

export interface Config {
  nodeEnv: string;
  port: number;
  host: string;
  /** Absolute. */
  dataDir: string;
  /** null: the embedded event store under dataDir. */
  eventStoreUrl: string | null;
  /** null: the embedded read store. */
  mongodbUrl: string | null;
  mongodbDb: string;
  jwtSecret: string;
  /** True when AUTH_JWT_SECRET was unset and the fixed development secret is used. */
  usingDevelopmentSecret: boolean;
  policy: TicketPolicy;
  /** CATALOG_FILE's catalog, or DEFAULT_CATALOG. */
  catalog: Catalog;
  autoCloseIntervalMs: number;
  readYourWritesTimeoutMs: number;
}

export type ConfigResult =
  { ok: true; config: Config; warnings: string[] } | { ok: false; problems: string[] };

/**
 * Which stores the engine runs on, for the start-up line (scheme, user and hosts only): a production deployment
 * on the embedded stores by mistake should be visible at once.
 */
export function describeStores(
  config: Pick<Config, 'eventStoreUrl' | 'mongodbUrl' | 'mongodbDb' | 'dataDir'>,
): string {
  const events = config.eventStoreUrl
    ? `EventStoreDB ${addressOf(config.eventStoreUrl)}`
    : `embedded, in ${config.dataDir}`;
  const reads = config.mongodbUrl
    ? `MongoDB ${addressOf(config.mongodbUrl)}, database ${config.mongodbDb}`
    : 'embedded, in memory';
  return `event store: ${events}; read store: ${reads}`;
}

/** Used only outside production when AUTH_JWT_SECRET is unset; public, so never trust it. */
export const DEVELOPMENT_JWT_SECRET = 'ticket-engine-development-secret-do-not-use-in-production';
export const MIN_SECRET_LENGTH = 32;

/** A variable set to an empty string counts as unset. */
function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

/** The HS256 secret: AUTH_JWT_SECRET, or (outside production) the development secret with a warning. */
export function parseJwtSecret(env: Env): Parsed<{ secret: string; development: boolean }> {
  const secret = env.AUTH_JWT_SECRET;
  // Blank counts as unset, as for every variable (a secret of spaces is no secret).
  if (secret === undefined || secret.trim() === '') {
    if (env.NODE_ENV === 'production') {
      return { error: 'AUTH_JWT_SECRET: required when NODE_ENV=production (at least 32 characters)' };
    }
    return { value: { secret: DEVELOPMENT_JWT_SECRET, development: true } };
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return {
      error: `AUTH_JWT_SECRET: is ${secret.length} character${secret.length === 1 ? '' : 's'} long; at least ${MIN_SECRET_LENGTH} are required`,
    };
  }
  return { value: { secret, development: false } };
}

export const DEVELOPMENT_SECRET_WARNING =
  'AUTH_JWT_SECRET is not set: using the fixed development secret. Anyone can sign tokens; set it outside development.';

/** Parses and validates the whole configuration (reads `env`, and whether DATA_DIR is a directory). */
export function loadConfig(env: Env): ConfigResult {
  const problems: string[] = [];
  const take = <T>(parsed: Parsed<T>, fallback: T): T => {
    if ('error' in parsed) {
      problems.push(parsed.error);
      return fallback;
    }
    return parsed.value;
  };
  const optional = <T>(name: string, parse: (raw: string, name: string) => Parsed<T>, fallback: T): T => {
    const raw = value(env, name);
    return raw === undefined ? fallback : take(parse(raw, name), fallback);
  };

  const port = optional('PORT', parsePort, 3000);
  const host = optional('HOST', parseHost, '127.0.0.1');
  const dataDir = resolve(optional('DATA_DIR', parseDirectory, './data'));
  // A store's address set but blank: in production a deployment whose `$MONGODB_URL` expanded to
  // nothing ran on the embedded stores and nothing said so, so it stops the start there; elsewhere
  // (a CI matrix, a compose file passing an unset variable on) it means the embedded store, said once.
  const warnings: string[] = [];
  for (const name of ['EVENTSTORE_URL', 'MONGODB_URL']) {
    if (env[name] === undefined || env[name].trim() !== '') continue;
    if (env.NODE_ENV === 'production') {
      problems.push(
        `${name}: is set but empty (NODE_ENV=production); leave it unset for the embedded store, or give a connection string`,
      );
    } else {
      warnings.push(`${name} is set but empty: using the embedded store`);
    }
  }
  const eventStoreUrl = optional<string | null>('EVENTSTORE_URL', parseEventStoreUrl, null);
  const mongodbUrl = optional<string | null>('MONGODB_URL', parseMongoUrl, null);
  const mongodbDb = optional('MONGODB_DB', parseDatabaseName, 'tickets');
  const jwt = take(parseJwtSecret(env), { secret: '', development: false });

  const resolutionHours = {} as Record<Priority, number>;
  for (const priority of PRIORITIES) {
    resolutionHours[priority] = optional(
      `SLA_RESOLUTION_HOURS_${priority}`,
      parseHours,
      DEFAULT_POLICY.resolutionHours[priority],
    );
  }
  const policy: TicketPolicy = {
    firstResponseHours: optional('SLA_FIRST_RESPONSE_HOURS', parseHours, DEFAULT_POLICY.firstResponseHours),
    resolutionHours,
    autoCloseAfterDays: optional('AUTO_CLOSE_AFTER_DAYS', parseDays, DEFAULT_POLICY.autoCloseAfterDays),
    reopenWindowDays: optional('REOPEN_WINDOW_DAYS', parseDays, DEFAULT_POLICY.reopenWindowDays),
  };
  const autoCloseIntervalMs = optional('AUTO_CLOSE_INTERVAL_MS', parseMilliseconds, 60_000);
  const readYourWritesTimeoutMs = optional('READ_YOUR_WRITES_TIMEOUT_MS', parseMilliseconds, 5000);
  let catalog = DEFAULT_CATALOG;
  const catalogFile = value(env, 'CATALOG_FILE');
  if (catalogFile !== undefined) {
    const loaded = loadCatalogFile(catalogFile, 'CATALOG_FILE');
    if ('errors' in loaded) for (const error of loaded.errors) problems.push(error);
    else catalog = loaded.value;
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    warnings: [...(jwt.development ? [DEVELOPMENT_SECRET_WARNING] : []), ...warnings],
    config: {
      nodeEnv: env.NODE_ENV ?? 'development',
      port,
      host,
      dataDir,
      eventStoreUrl,
      mongodbUrl,
      mongodbDb,
      jwtSecret: jwt.secret,
      usingDevelopmentSecret: jwt.development,
      policy,
      catalog,
      autoCloseIntervalMs,
      readYourWritesTimeoutMs,
    },
  };
}

/**
 * The configuration, or — if any variable is bad — each problem on its own line on stderr and exit
 * code 1, before anything has started. Warnings (the development secret) go to stderr too.
 */
export function configOrExit(env: Env = process.env): Config {
  const result = loadConfig(env);
  if (!result.ok) {
    for (const problem of result.problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  for (const warning of result.warnings) process.stderr.write(`WARNING: ${warning}\n`);
  return result.config;
}

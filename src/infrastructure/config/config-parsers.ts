/** Checks of single configuration values; each error is the one line the operator sees, naming the variable. */
import { accessSync, constants, statSync } from 'node:fs';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { MongoClient } from 'mongodb';
import { isIP } from 'node:net';

/** A parsed value, or the one-line problem with it. */
export type Parsed<T> = { value: T } | { error: string };

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function isPort(text: string): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const n = Number(text);
  return n >= 1 && n <= 65535;
}

export function parsePort(raw: string, name: string): Parsed<number> {
  const text = raw.trim();
  return isPort(text)
    ? { value: Number(text) }
    : { error: `${name}: "${raw}" is not a port number (1–65535)` };
}

/**
 * An address to listen on: a host name, an IPv4 or an IPv6 address. Digits and dots alone must make an
 * IPv4 address (`300.1.1.1.1` would pass as a host name, then fail at listen without naming HOST).
 */
export function parseHost(raw: string, name: string): Parsed<string> {
  const text = raw.trim();
  const numeric = /^[\d.]+$/.test(text);
  return isIP(text) !== 0 || (!numeric && HOSTNAME.test(text))
    ? { value: text }
    : { error: `${name}: "${raw}" is not a host name or IP address` };
}

/** `host`, `host:port`, `1.2.3.4:port` or `[ipv6]:port`, as in connection strings. */
function isHostAndPort(text: string, portAllowed = true): boolean {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1], bracketed[2]]
    : ((): [string, string | undefined] => {
        const at = text.lastIndexOf(':');
        return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
      })();
  if (bracketed ? isIP(host) !== 6 : isIP(host) !== 4 && !HOSTNAME.test(host)) return false;
  if (port === undefined) return true;
  return portAllowed && isPort(port);
}

function isQuery(query: string | undefined): boolean {
  return query === undefined || query === '' || query.split('&').every((pair) => /^[^=&]+=[^&]*$/.test(pair));
}

/**
 * A connection string as an error message may show it: the credentials before `@` masked, so a
 * password never reaches a log (`mongodb://admin:***@db:27017`).
 */
export function withoutCredentials(raw: string): string {
  return raw.replace(/^([^:/?#]*:\/\/)([^@/?#]*)@/, (_, scheme: string, credentials: string) => {
    // Only a password is masked: `admin@` stays as given (`admin:***@` suggested one was sent).
    const colon = credentials.indexOf(':');
    return colon < 0 ? `${scheme}${credentials}@` : `${scheme}${credentials.slice(0, colon)}:***@`;
  });
}

/**
 * Where a connection string points, for a log line: its scheme, user and hosts, without the password
 * or the options (`?proxyPassword=…`, `tlsCertificateKeyFilePassword=…` are secrets too).
 */
export function addressOf(raw: string): string {
  const match = /^([^:/?#]*:\/\/)(?:([^@/?#]*)@)?([^/?#]*)/.exec(raw);
  if (match === null) return '(an address that is not a URL)';
  const [, scheme, credentials, hosts] = match;
  const user = credentials === undefined ? '' : `${credentials.split(':')[0]}@`;
  return `${scheme}${user}${hosts}`;
}

/** An EventStoreDB connection string: `esdb://` or `esdb+discover://`, hosts with optional ports, options. */
export function parseEventStoreUrl(raw: string, name: string): Parsed<string> {
  const text = raw.trim();
  const problem = `${name}: "${withoutCredentials(raw)}" is not an EventStoreDB connection string (esdb://host:2113?tls=false or esdb+discover://…)`;
  const match = /^(esdb|esdb\+discover):\/\/(?:([^@/?]+)@)?([^/?]+)\/?(?:\?(.*))?$/i.exec(text);
  if (!match) return { error: problem };
  const [, , credentials, hosts, query] = match;
  if (!hosts.split(',').every((h) => isHostAndPort(h)) || !isQuery(query)) return { error: problem };
  const shown = `${name}: "${withoutCredentials(raw)}"`;
  // The client reads `user@host` as a host named "user@host": credentials are a user and a password.
  if (credentials !== undefined && !/^[^:]+:.+$/.test(credentials)) {
    return { error: `${shown}: credentials must be user:password` };
  }
  // The client's own parser checks every option's value (tls=yes, nodePreference=primary are refused there).
  let options: ReturnType<typeof parseConnectionString>;
  try {
    options = parseConnectionString(text);
  } catch (error) {
    return { error: `${shown}: ${error instanceof Error ? error.message : String(error)}` };
  }
  // A failed append must be an error: with this option the client reports a broken expected revision
  // as a result, and the engine would take it for a success.
  if (options.throwOnAppendFailure === false) {
    return { error: `${shown}: throwOnAppendFailure=false is not supported (a failed append must fail)` };
  }
  if ((options.userCertFile === undefined) !== (options.userKeyFile === undefined)) {
    return { error: `${shown}: userCertFile and userKeyFile go together` };
  }
  for (const [option, file] of [
    ['tlsCAFile', options.tlsCAFile],
    ['userCertFile', options.userCertFile],
    ['userKeyFile', options.userKeyFile],
  ] as const) {
    if (file !== undefined && !isReadableFile(file))
      return { error: `${shown}: ${option} "${file}" is not a readable file` };
  }
  return { value: text };
}

function isReadableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A MongoDB connection string: `mongodb://` (hosts with ports) or `mongodb+srv://` (one host, no port). */
export function parseMongoUrl(raw: string, name: string): Parsed<string> {
  const text = raw.trim();
  const problem = `${name}: "${withoutCredentials(raw)}" is not a MongoDB connection string (mongodb://host:27017 or mongodb+srv://host)`;
  const match = /^(mongodb|mongodb\+srv):\/\/(?:([^@/?]+)@)?([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/i.exec(text);
  if (!match) return { error: problem };
  const [, scheme, , hosts, , query] = match;
  const list = hosts.split(',');
  const srv = scheme.toLowerCase() === 'mongodb+srv';
  if (srv && list.length !== 1) {
    return { error: `${name}: "${withoutCredentials(raw)}": mongodb+srv:// takes exactly one host` };
  }
  if (!list.every((h) => isHostAndPort(h, !srv)) || !isQuery(query)) return { error: problem };
  // The driver's own parser checks every option (`directConnection=maybe`, an unknown option), without
  // connecting: refused here, before anything starts, rather than when the store connects.
  try {
    new MongoClient(text);
  } catch (error) {
    return {
      error: `${name}: "${withoutCredentials(raw)}": ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return { value: text };
}

/** A MongoDB database name: 1–63 characters, none of `/\. "$*<>:|?` and no NUL. */
export function parseDatabaseName(raw: string, name: string): Parsed<string> {
  const ok = raw.length > 0 && Buffer.byteLength(raw) < 64 && !/[/\\. "$*<>:|?\0]/.test(raw);
  return ok
    ? { value: raw }
    : {
        error: `${name}: "${raw}" is not a valid database name (1–63 bytes, none of / \\ . space " $ * < > : | ?)`,
      };
}

/**
 * A positive number of `unit` up to `max` (SLA hours, days): a deadline past the year 275,760 is no
 * date at all, and every ticket created would fail.
 */
export function positiveUpTo(max: number, unit: string): (raw: string, name: string) => Parsed<number> {
  return (raw, name) => {
    const text = raw.trim();
    const n = Number(text);
    return /^\d+(\.\d+)?$/.test(text) && n > 0 && n <= max
      ? { value: n }
      : { error: `${name}: "${raw}" is not a positive number of ${unit} up to ${max}` };
  };
}

/** Node's timers take at most 2^31 − 1 ms (~24.8 days); a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseMilliseconds(raw: string, name: string): Parsed<number> {
  const text = raw.trim();
  return /^\d{1,10}$/.test(text) && Number(text) <= MAX_TIMER_MS
    ? { value: Number(text) }
    : {
        error: `${name}: "${raw}" is not a whole number of milliseconds from 0 to ${MAX_TIMER_MS} (~24.8 days)`,
      };
}

/**
 * A directory path: anything but text with a NUL character, which no file system accepts, or a path
 * to something that exists and is not a directory (it would fail later, naming no variable).
 */
export function parseDirectory(raw: string, name: string): Parsed<string> {
  if (raw.includes('\0')) return { error: `${name}: contains a NUL character` };
  try {
    if (!statSync(raw).isDirectory()) return { error: `${name}: "${raw}" exists and is not a directory` };
  } catch {
    // Absent (it is created at start) or unreadable (start-up says so).
  }
  return { value: raw };
}

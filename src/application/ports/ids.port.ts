import { createHash, randomUUID } from 'node:crypto';

/** Injection token for the Ids port. */
export const IDS = Symbol('Ids');

/** Where new ids come from: random for fresh things, derived for things a retried command must find again. */
export interface Ids {
  /** A fresh random UUID. */
  newId(): string;
  /**
   * A UUID derived from a client's commandId (and an optional salt such as `event:3`): the same input
   * always gives the same id, so a retried command finds the ticket or comment it made before.
   */
  fromCommandId(commandId: string, salt?: string): string;
}

/** Fixed namespace of this engine's derived ids (a random v4 UUID, chosen once, never to change). */
export const COMMAND_ID_NAMESPACE = '6c1f5c9e-2d3b-4f0a-9a8e-5b7d2e4c1a90';

/**
 * RFC 4122 version-5 (SHA-1, name-based) UUID. Written with node:crypto rather than the `uuid`
 * package because the application layer may depend on node built-ins only (.dependency-cruiser.cjs).
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`Not a UUID namespace: ${namespace}`);
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Ids as UUIDs: v4 for fresh ones, v5 under COMMAND_ID_NAMESPACE for derived ones. */
export const uuidIds: Ids = {
  newId: () => randomUUID(),
  fromCommandId: (commandId, salt) =>
    uuidV5(salt === undefined ? commandId : `${commandId}:${salt}`, COMMAND_ID_NAMESPACE),
};

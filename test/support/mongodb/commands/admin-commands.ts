import { Document } from 'bson';
import { CommandHandler } from '../command-context';
import { MAX_MESSAGE_SIZE_BYTES } from '../message-framer';

/** The server version reported to clients; wire version 21 is what MongoDB 7.0 announces. */
export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;
const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
const MAX_WRITE_BATCH_SIZE = 100_000;

/**
 * The handshake and monitoring reply of a standalone server (no `setName`, no `topologyVersion`, so the
 * driver polls instead of streaming) that accepts sessions but no compression or authentication.
 */
function helloReply(legacy: boolean, connectionId: number): Document {
  return {
    helloOk: true,
    ...(legacy ? { ismaster: true } : {}),
    isWritablePrimary: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
}

const hello: CommandHandler = (_body, context) => helloReply(false, context.connectionId);
const isMaster: CommandHandler = (_body, context) => helloReply(true, context.connectionId);
const acknowledge: CommandHandler = () => ({});

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'test-server',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['inMemory'],
  modules: [],
});

/** Answers only the parameters it knows; anything else is simply absent, as for an unset parameter. */
const getParameter: CommandHandler = (body) => {
  const known: Document = { featureCompatibilityVersion: { version: '7.0' }, authenticationMechanisms: [] };
  const wantsAll =
    body.getParameter === '*' || (typeof body.getParameter === 'object' && body.getParameter?.allParameters);
  if (wantsAll) return known;
  return Object.fromEntries(Object.entries(known).filter(([name]) => name in body));
};

const getLog: CommandHandler = (body) =>
  body.getLog === '*' ? { names: ['global', 'startupWarnings'] } : { totalLinesWritten: 0, log: [] };

const whatsmyuri: CommandHandler = (_body, context) => ({ you: `127.0.0.1:${context.connectionId}` });

/** Handshake, liveness and session bookkeeping commands; sessions are accepted and forgotten. */
export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster,
  ismaster: isMaster,
  ping: acknowledge,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  getLog,
  whatsmyuri,
  endSessions: acknowledge,
  killSessions: acknowledge,
  killAllSessions: acknowledge,
  refreshSessions: acknowledge,
};

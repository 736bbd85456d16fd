import { AddressInfo, createServer, Socket } from 'node:net';
import { Document } from 'bson';
import { CommandDispatcher } from './command-dispatcher';
import { MessageFramer } from './message-framer';
import { decodeMessage, encodeOpMsgReply, encodeOpReply, IncomingCommand } from './wire-protocol';

/** A running test server. */
export interface MongoTestServer {
  /** Connection string for the `mongodb` driver, e.g. `mongodb://127.0.0.1:40123/?directConnection=true`. */
  readonly url: string;
  readonly port: number;
  /** Closes every client connection and the listening socket; data is discarded. */
  stop(): Promise<void>;
}

export interface MongoTestServerOptions {
  /** TCP port on 127.0.0.1; 0 (the default) lets the OS choose a free one. */
  readonly port?: number;
}

/**
 * Reads wire messages from a socket and answers each in arrival order. Commands run synchronously
 * against in-memory data, so one connection never has two commands in flight.
 */
function serveConnection(socket: Socket, dispatcher: CommandDispatcher, connectionId: number): void {
  const framer = new MessageFramer();
  let nextRequestId = 1;
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    framer.push(chunk);
    try {
      for (let message = framer.next(); message; message = framer.next()) {
        const command = decodeMessage(message);
        const reply = dispatcher.dispatch(command.body, command.database, connectionId);
        if (command.moreToCome) continue;
        socket.write(encodeReply(command, reply, nextRequestId));
        // Request ids are int32; wrap around instead of overflowing on very long-lived connections.
        nextRequestId = nextRequestId === 0x7fffffff ? 1 : nextRequestId + 1;
      }
    } catch {
      // A message that cannot even be decoded leaves the stream in an unknown state: hang up like mongod.
      socket.destroy();
    }
  });
  socket.on('error', () => socket.destroy());
}

/** Encodes the reply with the opcode matching the request; a reply that cannot be encoded becomes an error. */
function encodeReply(command: IncomingCommand, reply: Document, requestId: number): Buffer {
  const encode = command.legacy ? encodeOpReply : encodeOpMsgReply;
  try {
    return encode(reply, requestId, command.header.requestId);
  } catch (error) {
    const errmsg = `reply could not be encoded: ${error instanceof Error ? error.message : String(error)}`;
    return encode({ ok: 0, errmsg, code: 1, codeName: 'InternalError' }, requestId, command.header.requestId);
  }
}

/** Starts a MongoDB wire-protocol server on 127.0.0.1 that keeps all data in memory. */
export async function startMongoTestServer(options: MongoTestServerOptions = {}): Promise<MongoTestServer> {
  const dispatcher = new CommandDispatcher();
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    connections += 1;
    serveConnection(socket, dispatcher, connections);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        dispatcher.cursors.clear();
        server.close(() => resolve());
      }),
  };
}

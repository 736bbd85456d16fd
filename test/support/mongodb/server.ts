import { AddressInfo, createServer, Socket } from 'node:net';
import { CommandDispatcher } from './command-dispatcher';
import { decodeMessage, encodeOpMsgReply, encodeOpReply } from './wire-protocol';

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

const HEADER_SIZE = 16;

/**
 * Reads length-prefixed wire messages from a socket and answers each in arrival order. Commands run
 * synchronously against in-memory data, so one connection never has two commands in flight.
 */
function serveConnection(socket: Socket, dispatcher: CommandDispatcher, connectionId: number): void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let nextRequestId = 1;
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= HEADER_SIZE) {
      const buffered = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
      pending = [buffered];
      const length = buffered.readInt32LE(0);
      if (length < HEADER_SIZE) {
        socket.destroy();
        return;
      }
      if (buffered.length < length) return;
      const message = buffered.subarray(0, length);
      pending = length < buffered.length ? [buffered.subarray(length)] : [];
      pendingBytes = buffered.length - length;
      try {
        const command = decodeMessage(message);
        const reply = dispatcher.dispatch(command.body, command.database, connectionId);
        if (command.moreToCome) continue;
        const encode = command.legacy ? encodeOpReply : encodeOpMsgReply;
        socket.write(encode(reply, nextRequestId++, command.header.requestId));
      } catch {
        // A message this server cannot even decode leaves the stream in an unknown state: hang up like mongod.
        socket.destroy();
        return;
      }
    }
  });
  socket.on('error', () => socket.destroy());
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

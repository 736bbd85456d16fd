import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendSignal } from './append-signal';
import { openBackingStore } from './open-backing-store';
import { StreamLifecycle } from './stream-lifecycle';
import { createStreamsService } from './streams-service';

/** Room for events of several MB (the client itself accepts up to 17 MB). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface EventStoreTestServerOptions {
  /** 0 or absent: a port chosen by the OS. */
  port?: number;
  /** Where the backing store keeps its files; absent: a temporary directory removed by stop(). */
  dataDir?: string;
}

export interface EventStoreTestServer {
  /** Connection string for the client, e.g. `esdb://127.0.0.1:41234?tls=false`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Simulates an outage: drops every connection and stops listening; the data stays. */
  stopListening(): Promise<void>;
  /** Ends the outage: listens again on the same port with the same data. */
  startListening(): Promise<void>;
  /** Stops listening and closes the backing store. */
  stop(): Promise<void>;
}

/**
 * Starts a server that speaks EventStoreDB's gRPC protocol (Streams service, insecure, plain
 * HTTP/2 on 127.0.0.1) so that the real `@eventstore/db-client` can be tested without
 * EventStoreDB. See README.md next to this file for what it does not do.
 */
export async function startEventStoreTestServer(
  options: EventStoreTestServerOptions = {},
): Promise<EventStoreTestServer> {
  const { store, dataDir } = await openBackingStore(options.dataDir);
  const openCalls = new Set<AbortController>();
  const handlers = createStreamsService(
    { store, lifecycle: new StreamLifecycle(store), signal: new AppendSignal() },
    openCalls,
  );
  let server: Server | null = null;
  let port = options.port ?? 0;

  const listen = async () => {
    const next = new Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    next.addService(StreamsService, handlers as unknown as UntypedServiceImplementation);
    port = await new Promise<number>((resolve, reject) =>
      next.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    server = next;
  };

  const unlisten = async () => {
    const current = server;
    server = null;
    for (const call of openCalls) call.abort();
    openCalls.clear();
    current?.forceShutdown();
  };

  await listen();
  return {
    get url() {
      return `esdb://127.0.0.1:${port}?tls=false`;
    },
    get port() {
      return port;
    },
    dataDir,
    stopListening: unlisten,
    async startListening() {
      if (!server) await listen();
    },
    async stop() {
      await unlisten();
      await store.close();
    },
  };
}

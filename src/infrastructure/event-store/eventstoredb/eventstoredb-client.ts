import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  EventStoreDBClient,
  type AllStreamResolvedEvent,
  type ChannelCredentialOptions,
} from '@eventstore/db-client';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';

/** A server-side `$all` filter as the gRPC protocol expresses it. */
export interface ProtocolFilter {
  on: 'eventType' | 'streamName';
  regex?: string;
  prefixes?: string[];
}

export interface FilteredReadAllOptions {
  direction: 'forwards' | 'backwards';
  fromPosition: bigint | 'start' | 'end';
  maxCount?: number;
  filter: ProtocolFilter;
}

/**
 * The official client plus two things its 6.2.1 API lacks: a FILTERED read of `$all`
 * (EventStoreDB supports it on `Streams.Read`; the client only filters subscriptions), sent
 * through the client's own channel, call options and event conversion; and closing the
 * channel on shutdown (`dispose()` only cancels calls).
 */
export class EventStoreDbClient extends EventStoreDBClient {
  /**
   * Builds a client from a connection string exactly as `EventStoreDBClient.connectionString`
   * does (that factory always returns the base class). Throws on a malformed string.
   */
  static fromConnectionString(url: string): EventStoreDbClient {
    const options = parseConnectionString(url);
    const channel: ChannelCredentialOptions = { insecure: options.tls === false };
    if (!channel.insecure && options.tlsCAFile)
      channel.rootCertificate = readFileSync(resolve(options.tlsCAFile));
    if (options.userCertFile && options.userKeyFile) {
      channel.userCertFile = readFileSync(resolve(options.userCertFile));
      channel.userKeyFile = readFileSync(resolve(options.userKeyFile));
    }
    const client = {
      throwOnAppendFailure: options.throwOnAppendFailure,
      keepAliveInterval: options.keepAliveInterval,
      keepAliveTimeout: options.keepAliveTimeout,
      defaultDeadline: options.defaultDeadline,
      connectionName: options.connectionName,
    };
    const discovery = {
      nodePreference: options.nodePreference,
      discoveryInterval: options.discoveryInterval,
      gossipTimeout: options.gossipTimeout,
      maxDiscoverAttempts: options.maxDiscoverAttempts,
    };
    const [first] = options.hosts;
    if (options.dnsDiscover) {
      return new EventStoreDbClient(
        { discover: first, ...discovery, ...client },
        channel,
        options.defaultCredentials,
      );
    }
    if (options.hosts.length > 1) {
      return new EventStoreDbClient(
        { endpoints: options.hosts, ...discovery, ...client },
        channel,
        options.defaultCredentials,
      );
    }
    return new EventStoreDbClient({ endpoint: first, ...client }, channel, options.defaultCredentials);
  }

  /** Reads `$all` with a server-side filter; iterate it, and `cancel()` it when stopping early. */
  readAllFiltered(options: FilteredReadAllOptions): ReadStream<AllStreamResolvedEvent> {
    const all = new ReadReq.Options.AllOptions();
    if (options.fromPosition === 'start') all.setStart(new Empty());
    else if (options.fromPosition === 'end') all.setEnd(new Empty());
    else {
      const at = options.fromPosition.toString();
      all.setPosition(new ReadReq.Options.Position().setCommitPosition(at).setPreparePosition(at));
    }
    const expression = new ReadReq.Options.FilterOptions.Expression();
    if (options.filter.regex !== undefined) expression.setRegex(options.filter.regex);
    if (options.filter.prefixes !== undefined) expression.setPrefixList(options.filter.prefixes);
    const filter = new ReadReq.Options.FilterOptions()
      .setCount(new Empty())
      .setCheckpointintervalmultiplier(1);
    if (options.filter.on === 'eventType') filter.setEventType(expression);
    else filter.setStreamIdentifier(expression);
    const request = new ReadReq().setOptions(
      new ReadReq.Options()
        .setAll(all)
        .setResolveLinks(false)
        .setCount(String(options.maxCount ?? Number.MAX_SAFE_INTEGER))
        .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()))
        .setReadDirection(
          options.direction === 'forwards'
            ? ReadReq.Options.ReadDirection.FORWARDS
            : ReadReq.Options.ReadDirection.BACKWARDS,
        )
        .setFilter(filter),
    );
    const createStream = this.GRPCStreamCreator(StreamsClient, 'readAllFiltered', (grpc) =>
      grpc.read(request, ...this.callArguments({}, { deadline: Infinity })),
    );
    return new ReadStream<AllStreamResolvedEvent>(createStream, convertGrpcEvent, {});
  }

  /** Cancels open calls, then closes the channel so no socket outlives the client. */
  async shutdown(): Promise<void> {
    await this.dispose();
    try {
      (await this.getChannel()).close();
    } catch {
      // The channel never came up (e.g. discovery failed): nothing to close.
    }
  }
}

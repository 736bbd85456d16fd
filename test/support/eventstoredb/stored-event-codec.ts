import { randomUUID } from 'node:crypto';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventData, RecordedEvent } from '../../../src/application/ports/event-store.port';

/**
 * How a gRPC event is kept in the backing store. The store holds JSON, while EventStoreDB
 * keeps bytes plus a content type, so the bytes travel in an envelope: JSON data is stored
 * parsed (readable in the store), anything else as base64; the custom metadata as base64.
 */
interface StoredEnvelope {
  contentType: string;
  dataEncoding: 'json' | 'base64';
  customMetadata?: string;
}

/** .NET ticks (100 ns) per millisecond: EventStoreDB sends `created` in ticks since the Unix epoch. */
const TICKS_PER_MILLISECOND = 10_000n;

export function streamIdentifier(streamName: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

/** Turns a proposed message of an append into the event the store keeps. */
export function toStoredEvent(message: AppendReq.ProposedMessage): EventData {
  const meta = message.getMetadataMap();
  const contentType = meta.get('content-type') ?? 'application/octet-stream';
  const bytes = Buffer.from(message.getData_asU8());
  const custom = message.getCustomMetadata_asU8();
  const envelope: StoredEnvelope = { contentType, dataEncoding: 'base64' };
  if (custom.length > 0) envelope.customMetadata = Buffer.from(custom).toString('base64');
  let data: unknown = bytes.toString('base64');
  if (contentType === 'application/json') {
    try {
      data = JSON.parse(bytes.toString('utf8'));
      envelope.dataEncoding = 'json';
    } catch {
      // Malformed JSON is stored byte for byte, as EventStoreDB does.
    }
  }
  return { id: uuidString(message.getId()), type: meta.get('type') ?? '', data, metadata: envelope };
}

/** An event the server writes itself (stream metadata, tombstones), stored like a client's JSON event. */
export function serverJsonEvent(type: string, data: unknown): EventData {
  const envelope: StoredEnvelope = { contentType: 'application/json', dataEncoding: 'json' };
  return { id: randomUUID(), type, data, metadata: envelope };
}

/** The JSON data of a stored event written with content type application/json, or undefined. */
export function jsonDataOf(event: RecordedEvent): unknown {
  const envelope = event.metadata as StoredEnvelope | undefined;
  return envelope?.dataEncoding === 'json' ? event.data : undefined;
}

/** Builds the wire form of a stored event, with the position the client sees. */
export function toReadEvent(event: RecordedEvent, position: bigint): ReadResp.ReadEvent {
  const envelope = (event.metadata ?? {}) as Partial<StoredEnvelope>;
  const data =
    envelope.dataEncoding === 'json'
      ? Buffer.from(JSON.stringify(event.data), 'utf8')
      : Buffer.from(typeof event.data === 'string' ? event.data : '', 'base64');
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(String(event.revision))
    .setPreparePosition(position.toString())
    .setCommitPosition(position.toString())
    .setData(data)
    .setCustomMetadata(Buffer.from(envelope.customMetadata ?? '', 'base64'));
  const map = recorded.getMetadataMap();
  map.set('type', event.type);
  map.set('content-type', envelope.contentType ?? 'application/octet-stream');
  map.set('created', (BigInt(event.created.getTime()) * TICKS_PER_MILLISECOND).toString());
  return new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position.toString());
}

function uuidString(id: UUID | undefined): string {
  if (!id) return randomUUID();
  if (id.hasString()) return id.getString();
  const structured = id.getStructured();
  const hex =
    BigInt.asUintN(64, BigInt(structured?.getMostSignificantBits() ?? '0'))
      .toString(16)
      .padStart(16, '0') +
    BigInt.asUintN(64, BigInt(structured?.getLeastSignificantBits() ?? '0'))
      .toString(16)
      .padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

import { calculateObjectSize, deserialize, Document, serializeWithBufferAndIndex } from 'bson';

/** Operation codes of the MongoDB wire protocol that this server reads or writes. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

/** OP_MSG flag bits (see the OP_MSG section of the MongoDB wire protocol specification). */
export const FLAG_CHECKSUM_PRESENT = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;
export const FLAG_EXHAUST_ALLOWED = 1 << 16;

const HEADER_SIZE = 16;

/** The 16-byte header that starts every wire message. */
export interface MessageHeader {
  readonly messageLength: number;
  readonly requestId: number;
  readonly responseTo: number;
  readonly opCode: number;
}

/** A command as the server sees it, whichever opcode carried it. */
export interface IncomingCommand {
  readonly header: MessageHeader;
  /** The command document with kind-1 document sequences merged in under their identifiers. */
  readonly body: Document;
  /** Database named by `$db` (OP_MSG) or by the `<db>.$cmd` namespace (OP_QUERY). */
  readonly database: string;
  /** True when the client set moreToCome and expects no reply. */
  readonly moreToCome: boolean;
  readonly legacy: boolean;
}

/**
 * int32 and double become JS numbers; int64 stays `Long` so it is written back as int64. Buffers stay
 * `Binary` so their subtype survives the round trip.
 */
const DESERIALIZE_OPTIONS = { promoteLongs: false, promoteValues: true, promoteBuffers: false } as const;

/** Reads the four little-endian int32 fields of the standard message header. */
export function readHeader(buffer: Buffer): MessageHeader {
  return {
    messageLength: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

function readDocument(buffer: Buffer, offset: number): { document: Document; next: number } {
  const size = buffer.readInt32LE(offset);
  const document = deserialize(buffer.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
  return { document, next: offset + size };
}

function readCString(buffer: Buffer, offset: number): { text: string; next: number } {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new Error('unterminated cstring in wire message');
  return { text: buffer.toString('utf8', offset, end), next: end + 1 };
}

/** Decodes an OP_MSG: one kind-0 body plus any kind-1 document sequences, which become arrays on the body. */
function decodeOpMsg(header: MessageHeader, message: Buffer): IncomingCommand {
  const flagBits = message.readUInt32LE(HEADER_SIZE);
  const end = flagBits & FLAG_CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const read = readDocument(message, offset);
      body = read.document;
      offset = read.next;
    } else if (kind === 1) {
      const sectionEnd = offset + message.readInt32LE(offset);
      const id = readCString(message, offset + 4);
      const documents: Document[] = [];
      let cursor = id.next;
      while (cursor < sectionEnd) {
        const read = readDocument(message, cursor);
        documents.push(read.document);
        cursor = read.next;
      }
      sequences.push([id.text, documents]);
      offset = sectionEnd;
    } else {
      throw new Error(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new Error('OP_MSG without a kind-0 body section');
  for (const [identifier, documents] of sequences) body[identifier] = documents;
  const database = typeof body.$db === 'string' ? body.$db : 'admin';
  return { header, body, database, moreToCome: (flagBits & FLAG_MORE_TO_COME) !== 0, legacy: false };
}

/** Decodes the legacy OP_QUERY, which drivers still use for the first handshake `hello`/`isMaster`. */
function decodeOpQuery(header: MessageHeader, message: Buffer): IncomingCommand {
  const namespace = readCString(message, HEADER_SIZE + 4);
  // numberToSkip and numberToReturn (8 bytes) mean nothing for a command.
  const query = readDocument(message, namespace.next + 8).document;
  const body: Document = query.$query && typeof query.$query === 'object' ? query.$query : query;
  const database = namespace.text.split('.')[0] ?? 'admin';
  return { header, body, database, moreToCome: false, legacy: true };
}

/** Decodes one complete message; the caller has already framed it by its length. */
export function decodeMessage(message: Buffer): IncomingCommand {
  const header = readHeader(message);
  if (header.opCode === OP_MSG) return decodeOpMsg(header, message);
  if (header.opCode === OP_QUERY) return decodeOpQuery(header, message);
  throw new Error(`unsupported opCode ${header.opCode}`);
}

function serializeDocument(document: Document): Buffer {
  const buffer = Buffer.alloc(calculateObjectSize(document));
  serializeWithBufferAndIndex(document, buffer);
  return buffer;
}

function writeHeader(buffer: Buffer, requestId: number, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(buffer.length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

/** Encodes a reply as OP_MSG with a single kind-0 section and no flags. */
export function encodeOpMsgReply(reply: Document, requestId: number, responseTo: number): Buffer {
  const body = serializeDocument(reply);
  const buffer = Buffer.alloc(HEADER_SIZE + 4 + 1 + body.length);
  writeHeader(buffer, requestId, responseTo, OP_MSG);
  buffer.writeUInt32LE(0, HEADER_SIZE);
  buffer.writeUInt8(0, HEADER_SIZE + 4);
  body.copy(buffer, HEADER_SIZE + 5);
  return buffer;
}

/** Encodes a reply to an OP_QUERY command as OP_REPLY carrying exactly one document. */
export function encodeOpReply(reply: Document, requestId: number, responseTo: number): Buffer {
  const body = serializeDocument(reply);
  const buffer = Buffer.alloc(HEADER_SIZE + 20 + body.length);
  writeHeader(buffer, requestId, responseTo, OP_REPLY);
  buffer.writeInt32LE(0, HEADER_SIZE); // responseFlags
  buffer.writeBigInt64LE(0n, HEADER_SIZE + 4); // cursorID
  buffer.writeInt32LE(0, HEADER_SIZE + 12); // startingFrom
  buffer.writeInt32LE(1, HEADER_SIZE + 16); // numberReturned
  body.copy(buffer, HEADER_SIZE + 20);
  return buffer;
}

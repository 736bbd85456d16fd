import { connect, Socket } from 'node:net';
import { deserialize, Document, serialize } from 'bson';

/** Byte-level client for protocol tests: builds OP_MSG / OP_QUERY frames itself, independent of the server. */
export interface RawReply {
  readonly requestId: number;
  readonly responseTo: number;
  readonly opCode: number;
  readonly document: Document;
}

export interface OpMsgOptions {
  readonly flags?: number;
  readonly sequences?: Record<string, Document[]>;
  readonly checksum?: boolean;
}

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32C (Castagnoli), the checksum OP_MSG appends when flag bit 0 is set. */
function crc32c(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function frame(requestId: number, opCode: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + payload.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, payload]);
}

export function opMsg(requestId: number, body: Document, options: OpMsgOptions = {}): Buffer {
  const flags = (options.flags ?? 0) | (options.checksum ? 1 : 0);
  const flagBits = Buffer.alloc(4);
  flagBits.writeUInt32LE(flags >>> 0, 0);
  const parts: Uint8Array[] = [flagBits, Buffer.from([0]), serialize(body)];
  for (const [identifier, documents] of Object.entries(options.sequences ?? {})) {
    const content = Buffer.concat([
      Buffer.from(`${identifier}\0`, 'utf8'),
      ...documents.map((d) => serialize(d)),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(content.length + 4, 0);
    parts.push(Buffer.from([1]), size, content);
  }
  if (!options.checksum) return frame(requestId, 2013, Buffer.concat(parts));
  const withRoom = frame(requestId, 2013, Buffer.concat([...parts, Buffer.alloc(4)]));
  withRoom.writeUInt32LE(crc32c(withRoom.subarray(0, withRoom.length - 4)), withRoom.length - 4);
  return withRoom;
}

export function opQuery(requestId: number, namespace: string, query: Document): Buffer {
  const flagsAndName = Buffer.concat([Buffer.alloc(4), Buffer.from(`${namespace}\0`, 'utf8')]);
  const skipAndReturn = Buffer.alloc(8);
  skipAndReturn.writeInt32LE(-1, 4);
  return frame(requestId, 2004, Buffer.concat([flagsAndName, skipAndReturn, serialize(query)]));
}

/** A connected socket that collects every reply frame the server sends. */
export class RawWireClient {
  private buffered = Buffer.alloc(0);
  private readonly replies: RawReply[] = [];
  private waiting: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= this.buffered.readInt32LE(0)) {
        const length = this.buffered.readInt32LE(0);
        this.replies.push(parseReply(this.buffered.subarray(0, length)));
        this.buffered = this.buffered.subarray(length);
      }
      this.waiting?.();
    });
  }

  static connect(port: number): Promise<RawWireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawWireClient(socket)));
      socket.once('error', reject);
    });
  }

  send(message: Buffer): void {
    this.socket.write(message);
  }

  /** Waits for the next reply frame (in arrival order). */
  async nextReply(): Promise<RawReply> {
    while (this.replies.length === 0) {
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
    return this.replies.shift() as RawReply;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.end(resolve));
  }
}

function parseReply(frameBytes: Buffer): RawReply {
  const opCode = frameBytes.readInt32LE(12);
  // OP_REPLY: flags(4) cursorId(8) startingFrom(4) numberReturned(4); OP_MSG: flagBits(4) kind(1).
  const bodyOffset = opCode === 1 ? 36 : 21;
  return {
    requestId: frameBytes.readInt32LE(4),
    responseTo: frameBytes.readInt32LE(8),
    opCode,
    // Longs stay Long so tests can see that cursor ids travel as 64-bit integers.
    document: deserialize(frameBytes.subarray(bodyOffset), { promoteLongs: false }),
  };
}

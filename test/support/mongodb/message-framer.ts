/** Smallest possible wire message: the 16-byte header. */
const HEADER_SIZE = 16;
/** The largest message this server accepts, as announced in `hello` (`maxMessageSizeBytes`). */
export const MAX_MESSAGE_SIZE_BYTES = 48_000_000;

/**
 * Cuts a TCP byte stream into wire messages using the length that starts each message. Chunks are only
 * joined once a whole message has arrived, so a large message is copied once, not once per chunk.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  /** The next complete message, or undefined until more bytes arrive. Throws on an impossible length. */
  next(): Buffer | undefined {
    if (this.size < 4) return undefined;
    const length = this.joined(4).readInt32LE(0);
    if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE_BYTES) {
      throw new Error(`invalid wire message length ${length}`);
    }
    if (this.size < length) return undefined;
    const all = this.joined(length);
    const rest = all.subarray(length);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return all.subarray(0, length);
  }

  /** Makes the first chunk hold at least `bytes` bytes (the caller checked that they have arrived). */
  private joined(bytes: number): Buffer {
    if (this.chunks[0].length < bytes) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }
}

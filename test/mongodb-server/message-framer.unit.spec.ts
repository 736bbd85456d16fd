import { MessageFramer } from '../support/mongodb/message-framer';

function message(id: number, payloadBytes: number): Buffer {
  const bytes = Buffer.alloc(16 + payloadBytes, id);
  bytes.writeInt32LE(bytes.length, 0);
  return bytes;
}

function drain(framer: MessageFramer): Buffer[] {
  const messages: Buffer[] = [];
  for (let next = framer.next(); next; next = framer.next()) messages.push(next);
  return messages;
}

describe('MessageFramer', () => {
  it('waits until a whole message has arrived, even when it comes one byte at a time', () => {
    const framer = new MessageFramer();
    const whole = message(7, 40);
    const seen: Buffer[] = [];
    for (const byte of whole) {
      framer.push(Buffer.from([byte]));
      seen.push(...drain(framer));
    }
    expect(seen).toEqual([whole]);
  });

  it('splits several messages that arrive in one chunk, with a partial one at the end', () => {
    const framer = new MessageFramer();
    const [first, second, third] = [message(1, 3), message(2, 0), message(3, 10)];
    framer.push(Buffer.concat([first, second, third.subarray(0, 5)]));
    expect(drain(framer)).toEqual([first, second]);
    framer.push(third.subarray(5));
    expect(drain(framer)).toEqual([third]);
  });

  it('refuses a length shorter than the header', () => {
    const framer = new MessageFramer();
    const broken = Buffer.alloc(16);
    broken.writeInt32LE(8, 0);
    framer.push(broken);
    expect(() => framer.next()).toThrow('invalid wire message length 8');
  });
});

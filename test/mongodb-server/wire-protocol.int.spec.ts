import { Long } from 'bson';
import { MongoTestServer, startMongoTestServer } from '../support/mongodb/server';
import { opMsg, opQuery, RawWireClient } from './raw-wire-client';

const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;

describe('MongoDB test server wire protocol (raw frames)', () => {
  let server: MongoTestServer;
  let wire: RawWireClient;

  beforeAll(async () => {
    server = await startMongoTestServer({ port: 0 });
    wire = await RawWireClient.connect(server.port);
  });

  afterAll(async () => {
    await wire?.close();
    await server?.stop();
  });

  it('answers the legacy OP_QUERY isMaster handshake on admin.$cmd with an OP_REPLY', async () => {
    wire.send(opQuery(7, 'admin.$cmd', { isMaster: 1, helloOk: true, client: { driver: { name: 'raw' } } }));
    const reply = await wire.nextReply();
    expect(reply.opCode).toBe(1);
    expect(reply.responseTo).toBe(7);
    expect(reply.document).toMatchObject({ ok: 1, ismaster: true, isWritablePrimary: true, helloOk: true });
    expect(reply.document.maxWireVersion).toBeGreaterThanOrEqual(8);
    expect(reply.document.setName).toBeUndefined();
  });

  it('answers OP_MSG with OP_MSG and merges kind-1 document sequences into the command', async () => {
    wire.send(
      opMsg(8, { insert: 'frames', $db: 'wire' }, { sequences: { documents: [{ _id: 1 }, { _id: 2 }] } }),
    );
    const reply = await wire.nextReply();
    expect(reply.opCode).toBe(2013);
    expect(reply.responseTo).toBe(8);
    expect(reply.document).toEqual({ n: 2, ok: 1 });
  });

  it('sends no reply when the client sets moreToCome, but still performs the write', async () => {
    wire.send(opMsg(9, { insert: 'frames', $db: 'wire', documents: [{ _id: 3 }] }, { flags: MORE_TO_COME }));
    wire.send(opMsg(10, { count: 'frames', $db: 'wire' }));
    const reply = await wire.nextReply();
    expect(reply.responseTo).toBe(10);
    expect(reply.document).toEqual({ n: 3, ok: 1 });
  });

  it('reads messages that carry a CRC-32C checksum and replies normally to exhaustAllowed', async () => {
    wire.send(
      opMsg(
        11,
        { find: 'frames', $db: 'wire', sort: { _id: -1 } },
        { checksum: true, flags: EXHAUST_ALLOWED },
      ),
    );
    const reply = await wire.nextReply();
    expect(reply.responseTo).toBe(11);
    expect(reply.document.cursor.firstBatch).toEqual([{ _id: 3 }, { _id: 2 }, { _id: 1 }]);
    const cursorId: unknown = reply.document.cursor.id;
    expect(Long.isLong(cursorId) && cursorId.isZero()).toBe(true);
  });

  it('handles several messages arriving in one TCP write, in order', async () => {
    wire.send(Buffer.concat([opMsg(12, { ping: 1, $db: 'admin' }), opMsg(13, { nosuch: 1, $db: 'admin' })]));
    const first = await wire.nextReply();
    const second = await wire.nextReply();
    expect([first.responseTo, second.responseTo]).toEqual([12, 13]);
    expect(first.document).toEqual({ ok: 1 });
    expect(second.document).toEqual({
      ok: 0,
      errmsg: "no such command: 'nosuch'",
      code: 59,
      codeName: 'CommandNotFound',
    });
  });
});

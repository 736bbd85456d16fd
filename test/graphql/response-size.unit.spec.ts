import { answerSize } from '../../src/infrastructure/graphql/limits/response-size.plugin';

describe("an answer's size, counted before it is serialised", () => {
  it('counts texts, keys and a little per value, about as JSON would', () => {
    const data = {
      ticket: { id: 'abc', comments: [{ body: 'x'.repeat(1_000) }, { body: null }], number: 5 },
    };
    const size = answerSize(data, Infinity);
    const json = JSON.stringify(data).length;
    expect(size).toBeGreaterThanOrEqual(json * 0.9);
    expect(size).toBeLessThanOrEqual(json * 1.5);
  });

  it('counts a text each time the answer repeats it (aliases share it until it is serialised)', () => {
    const body = 'y'.repeat(10_000);
    const once = answerSize({ a: body }, Infinity);
    const many = answerSize(
      Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`a${i}`, body])),
      Infinity,
    );
    expect(many).toBeGreaterThan(once * 99);
  });

  it('stops counting once past the limit', () => {
    const huge = { list: Array.from({ length: 100_000 }, () => ({ body: 'z'.repeat(100) })) };
    const size = answerSize(huge, 10_000);
    expect(size).toBeGreaterThan(10_000);
    expect(size).toBeLessThan(20_000);
  });
});

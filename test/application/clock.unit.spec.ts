import { HELD_STEP_BACK_MS, monotonicClock } from '../../src/application/ports/clock.port';

describe('the system clock as the engine reads it', () => {
  it('holds a small step back of the system clock, and follows a large one, saying so', () => {
    let reading = Date.parse('2028-05-01T12:00:00.000Z');
    const stepsBack: number[] = [];
    const clock = monotonicClock(
      () => reading,
      (ms) => stepsBack.push(ms),
    );
    expect(clock.now().toISOString()).toBe('2028-05-01T12:00:00.000Z');
    reading -= 5_000; // an NTP step back
    expect(clock.now().toISOString()).toBe('2028-05-01T12:00:00.000Z');
    reading += 5_001;
    expect(clock.now().toISOString()).toBe('2028-05-01T12:00:00.001Z');
    reading -= HELD_STEP_BACK_MS + 1; // set back an hour, say: followed
    expect(clock.now().toISOString()).toBe('2028-05-01T11:59:00.000Z');
    expect(stepsBack).toEqual([HELD_STEP_BACK_MS + 1]);
  });
});

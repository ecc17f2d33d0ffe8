import { clockWith, poll, realClock, type Backoff } from '../../src/platform/clock.js';
import { fakeClock } from '../support/fake-clock.js';

describe('poll: one loop for every wait', () => {
  // Each row is one of the action's waits, with its backoff; `ready` is the look that succeeds.
  const rows: { name: string; backoff: Backoff; ready: number; sleeps: number[] }[] = [
    {
      name: 'a deploy going live (deploy/wait)',
      backoff: { firstMs: 250, maxMs: 1000, factor: 1.5 },
      ready: 6,
      sleeps: [250, 375, 563, 845, 1000],
    },
    {
      name: 'a Deployment waking (deploy/wake)',
      backoff: { firstMs: 250, maxMs: 2000, factor: 1.5 },
      ready: 7,
      sleeps: [250, 375, 563, 845, 1268, 1902],
    },
    {
      name: 'a new preview getting ready',
      backoff: { firstMs: 1000, maxMs: 15_000, factor: 1.6, whole: 'ceil' },
      ready: 4,
      sleeps: [1000, 1600, 2560],
    },
    {
      name: "a new preview's Airflow API answering",
      backoff: { firstMs: 500, maxMs: 10_000, factor: 1.5, whole: 'ceil' },
      ready: 4,
      sleeps: [500, 750, 1125],
    },
  ];

  it.each(rows)('$name', async ({ backoff, ready, sleeps }) => {
    const clock = fakeClock();
    let looks = 0;
    const value = await poll({
      clock,
      timeoutMs: 600_000,
      backoff,
      look: async () => (++looks === ready ? 'done' : undefined),
      timedOut: () => new Error('timed out'),
    });
    expect(value).toBe('done');
    expect(looks).toBe(ready);
    expect(clock.sleeps).toEqual(sleeps);
  });

  it('cuts the last sleep to the deadline, looks once more, then throws the timeout error', async () => {
    const clock = fakeClock();
    const waited: number[] = [];
    let looks = 0;
    await expect(
      poll({
        clock,
        timeoutMs: 1000,
        backoff: { firstMs: 400, maxMs: 400, factor: 1 },
        look: async () => {
          looks++;
          return undefined;
        },
        waiting: (ms) => waited.push(ms),
        timedOut: (elapsed) => new Error(`still not after ${elapsed} ms`),
      }),
    ).rejects.toThrow('still not after 1000 ms');
    expect(clock.sleeps).toEqual([400, 400, 200]);
    expect(waited).toEqual(clock.sleeps);
    expect(looks).toBe(4);
  });

  it('passes a failure of a look straight through, without waiting it out', async () => {
    const clock = fakeClock();
    await expect(
      poll({
        clock,
        timeoutMs: 1000,
        backoff: { firstMs: 100, maxMs: 100, factor: 1 },
        look: async () => {
          throw new Error('FAILED');
        },
        timedOut: () => new Error('timed out'),
      }),
    ).rejects.toThrow('FAILED');
    expect(clock.sleeps).toEqual([]);
  });

  it('gives the look the time since the poll began, on the clock it was given', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    await poll({
      clock,
      timeoutMs: 10_000,
      backoff: { firstMs: 100, maxMs: 1000, factor: 2 },
      look: async (elapsed) => (seen.push(elapsed()) === 3 ? true : undefined),
      timedOut: () => new Error('timed out'),
    });
    expect(seen).toEqual([0, 100, 300]);
  });
});

describe('clockWith', () => {
  it('replaces only the parts given', () => {
    const now = () => 42;
    const c = clockWith({ now, sleep: undefined });
    expect(c.now()).toBe(42);
    expect(c.sleep).toBe(realClock.sleep);
    expect(c.random).toBe(realClock.random);
  });
});

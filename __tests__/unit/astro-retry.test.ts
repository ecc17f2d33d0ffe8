import { silentLog, recordingLog } from '../../src/platform/log.js';
import { delayFor, isRetryable, parseRetryAfter, withRetry } from '../../src/astro/retry.js';
import type { Clock } from '../../src/platform/clock.js';

function fakeClock(random = 0.5): Clock & { slept: number[]; t: number } {
  const c = {
    slept: [] as number[],
    t: 0,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
    random: () => random,
    now: () => c.t,
  };
  return c;
}

const policy = { attempts: 4, maxElapsedMs: 60_000, baseDelayMs: 1000, maxDelayMs: 5000 };
const fail = (status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`status ${status}`), { status, ...extra });

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('0.5', 0)).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('isRetryable', () => {
  it('retries resets, timeouts, 429 and 502-504 for every kind but once; 500 only for safe requests', () => {
    for (const status of [0, 429, 502, 503, 504]) {
      expect(isRetryable(fail(status), 'safe')).toBe(true);
      expect(isRetryable(fail(status), 'idempotent')).toBe(true);
      expect(isRetryable(fail(status), 'once')).toBe(false);
    }
    expect(isRetryable(fail(500), 'safe')).toBe(true);
    expect(isRetryable(fail(500), 'idempotent')).toBe(false);
    for (const status of [400, 401, 403, 404, 409])
      expect(isRetryable(fail(status), 'safe')).toBe(false);
    expect(isRetryable(new Error('bug'), 'safe')).toBe(false);
  });
});

describe('delayFor', () => {
  it('uses full jitter under an exponential cap, or Retry-After when given', () => {
    const c = fakeClock(1);
    expect(delayFor(fail(503), 1, policy, c)).toBe(1000);
    expect(delayFor(fail(503), 2, policy, c)).toBe(2000);
    expect(delayFor(fail(503), 5, policy, c)).toBe(5000);
    expect(delayFor(fail(503), 3, policy, fakeClock(0.25))).toBe(1000);
    expect(delayFor(fail(429, { retryAfterMs: 7000 }), 1, policy, c)).toBe(7000);
  });
});

describe('withRetry', () => {
  it('retries until success and logs each retry', async () => {
    const clock = fakeClock();
    const log = recordingLog();
    let n = 0;
    const value = await withRetry({
      label: 'GET /x',
      kind: 'safe',
      policy,
      clock,
      log,
      attempt: async () => {
        if (++n < 3) throw fail(503);
        return 'ok';
      },
    });
    expect(value).toBe('ok');
    expect(clock.slept).toEqual([500, 1000]);
    expect(log.lines).toEqual([
      'info: retrying GET /x after 503 (attempt 2 of 4, in 500 ms)',
      'info: retrying GET /x after 503 (attempt 3 of 4, in 1.0 s)',
    ]);
  });

  it('stops after the attempt budget and throws what exhausted() makes of the last error', async () => {
    const clock = fakeClock();
    let n = 0;
    const err = await withRetry({
      label: 'GET /x',
      kind: 'safe',
      policy,
      clock,
      log: silentLog,
      attempt: async () => {
        n++;
        throw fail(502);
      },
      exhausted: (e, tries) => new Error(`gave up after ${tries}: ${(e as Error).message}`),
    }).catch((e: Error) => e);
    expect(n).toBe(4);
    expect((err as Error).message).toBe('gave up after 4: status 502');
  });

  it('stops when the next wait would pass the time budget', async () => {
    const clock = fakeClock();
    let n = 0;
    await expect(
      withRetry({
        label: 'GET /x',
        kind: 'safe',
        policy: { ...policy, attempts: 10, maxElapsedMs: 10_000 },
        clock,
        log: silentLog,
        attempt: async () => {
          n++;
          throw fail(429, { retryAfterMs: 4000 });
        },
      }),
    ).rejects.toThrow('status 429');
    // 0 → 4 s → 8 s; a third wait would end at 12 s > 10 s.
    expect(n).toBe(3);
    expect(clock.slept).toEqual([4000, 4000]);
  });

  it('does not retry what its kind forbids', async () => {
    let n = 0;
    await expect(
      withRetry({
        label: 'POST /x',
        kind: 'idempotent',
        policy,
        clock: fakeClock(),
        log: silentLog,
        attempt: async () => {
          n++;
          throw fail(500);
        },
      }),
    ).rejects.toThrow('status 500');
    expect(n).toBe(1);
  });
});

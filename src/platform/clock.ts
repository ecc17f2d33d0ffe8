// Time, passed in so tests record delays instead of waiting: one Clock for every part that
// sleeps, retries or polls, and one poll loop (quick looks first, backing off to a cap,
// bounded by a deadline) for everything that waits for Astro to reach a state.

/** Time and chance. */
export interface Clock {
  sleep(ms: number): Promise<void>;
  now(): number;
  random(): number;
}

export const realClock: Clock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random(),
};

/** The real clock with the parts a caller (a test) gives replaced (undefined parts are not given). */
export function clockWith(parts: Partial<Clock> = {}): Clock {
  const given = Object.entries(parts).filter(([, v]) => v !== undefined);
  return { ...realClock, ...Object.fromEntries(given) } as Clock;
}

/** How a poll spaces its looks: `firstMs`, then times `factor`, at most `maxMs`. */
export interface Backoff {
  firstMs: number;
  maxMs: number;
  factor: number;
  /** How a grown delay is made whole (default: rounded). */
  whole?: 'round' | 'ceil';
}

export interface PollOptions<T> {
  clock?: Partial<Clock>;
  /** How long to keep looking, from the first look. */
  timeoutMs: number;
  backoff: Backoff;
  /**
   * One look, given a reader of the time since the poll began: a value ends the poll;
   * undefined looks again. It may throw (a failure the poll must not wait out).
   */
  look: (elapsed: () => number) => Promise<T | undefined>;
  /** The time is up after a look that did not end the poll: the error to throw. */
  timedOut: (elapsedMs: number) => Error;
  /** Before each sleep, with the coming delay (for a log line). */
  waiting?: (delayMs: number) => void;
}

/**
 * Look until `look` gives a value or the time is up. Never sleeps past the deadline: the last
 * sleep is cut to what is left, and a look comes after it.
 */
export async function poll<T>(o: PollOptions<T>): Promise<T> {
  const clock = clockWith(o.clock);
  const start = clock.now();
  const { firstMs, maxMs, factor } = o.backoff;
  const whole = o.backoff.whole === 'ceil' ? Math.ceil : Math.round;
  const elapsed = () => clock.now() - start;
  let delay = firstMs;
  for (;;) {
    const value = await o.look(elapsed);
    if (value !== undefined) return value;
    const left = o.timeoutMs - elapsed();
    if (left <= 0) throw o.timedOut(o.timeoutMs - left);
    const next = Math.min(delay, left);
    o.waiting?.(next);
    await clock.sleep(next);
    delay = Math.min(maxMs, whole(delay * factor));
  }
}

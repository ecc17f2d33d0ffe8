// A bounded retry: exponential backoff with full jitter, capped in attempts and in total
// time, honouring Retry-After. What may be retried is decided per request kind, because only
// requests that cannot do harm twice are safe to repeat.
import type { Log } from '../platform/log.js';
import { clockWith, type Clock } from '../platform/clock.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** No retry is started once this much time has passed since the first attempt. */
  maxElapsedMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// The budget of one call: 6 tries, backoff caps 0.5, 1, 2, 4, 8 s (at most 15.5 s of waiting
// without Retry-After), and no new try once 60 s have passed, so an outage fails a step in
// well under a minute when the server answers, and within about 90 s when it hangs (60 s
// plus one request timeout).
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  maxElapsedMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** How a client retries and keeps time; tests give the clock parts to record delays. */
export interface RetryTiming {
  retry?: Partial<RetryPolicy>;
  sleep?: Clock['sleep'];
  random?: Clock['random'];
  now?: Clock['now'];
}

/** The retry policy a client runs with: the default, with the parts its options give. */
export function policyOf(o: RetryTiming): RetryPolicy {
  return { ...DEFAULT_RETRY, ...o.retry };
}

/** The clock a client runs on: the real one, with the parts its options give. */
export function clockOf(o: RetryTiming): Clock {
  return clockWith({ sleep: o.sleep, random: o.random, now: o.now });
}

/**
 * - `safe`: reads and blob PUTs (repeating them changes nothing): network errors, timeouts,
 *   429, 500, 502, 503, 504.
 * - `idempotent`: updates, deletes and creates whose duplicates are harmless or checked
 *   for: the same, except 500 (the server may have acted and failed later).
 * - `once`: never retried.
 */
export type RequestKind = 'safe' | 'idempotent' | 'once';

/** What the retry loop needs to know about a failure. status 0 = no HTTP reply. */
export interface Failed {
  status: number;
  retryAfterMs?: number;
}

export function isRetryable(err: unknown, kind: RequestKind): boolean {
  if (kind === 'once') return false;
  const status = statusOf(err);
  if (status === undefined) return false;
  if (status === 0 || status === 429 || status === 502 || status === 503 || status === 504)
    return true;
  return status === 500 && kind === 'safe';
}

/** True when the server may have acted although we saw no success (a lost or broken reply). */
export function mayHaveActed(err: unknown): boolean {
  const status = statusOf(err);
  return status === 0 || status === 500 || status === 502 || status === 504;
}

export function statusOf(err: unknown): number | undefined {
  const status = (err as Partial<Failed> | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

export interface RetryRun<T> {
  /** For the log: "GET /organizations/x/deployments" (never a query string). */
  label: string;
  kind: RequestKind;
  policy: RetryPolicy;
  clock: Clock;
  log: Log;
  /** One try; `n` counts from 1. */
  attempt(n: number): Promise<T>;
  /** The error to throw after the last try (e.g. one that says how many tries were made). */
  exhausted?(err: unknown, attempts: number): unknown;
}

export async function withRetry<T>(run: RetryRun<T>): Promise<T> {
  const { policy, clock } = run;
  const start = clock.now();
  for (let n = 1; ; n++) {
    try {
      return await run.attempt(n);
    } catch (err) {
      const last = n >= policy.attempts || !isRetryable(err, run.kind);
      const delay = last ? 0 : delayFor(err, n, policy, clock);
      if (last || clock.now() - start + delay > policy.maxElapsedMs) {
        throw n > 1 && run.exhausted ? run.exhausted(err, n) : err;
      }
      run.log.info(
        `retrying ${run.label} after ${reasonOf(err)} (attempt ${n + 1} of ${policy.attempts}, in ${formatDelay(delay)})`,
      );
      await clock.sleep(delay);
    }
  }
}

/** Retry-After when the server gave one, else full jitter over an exponential cap. */
export function delayFor(
  err: unknown,
  failedAttempt: number,
  policy: RetryPolicy,
  clock: Clock,
): number {
  const after = (err as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof after === 'number' && after >= 0) return after;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(clock.random() * cap);
}

/** Retry-After is either delta-seconds or an HTTP-date. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function reasonOf(err: unknown): string {
  const status = statusOf(err);
  if (status && status > 0) return String(status);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code ? code : 'a network error';
}

export function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

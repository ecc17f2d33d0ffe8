// The one way to the GitHub API: @actions/github's Octokit (its REST methods and pagination)
// with our rules on top: a timeout per try, and bounded retries only for what is safe to
// repeat (GETs on network errors, timeouts, 429 and 5xx; PATCH, which is idempotent, the
// same except a plain 500; POSTs never, since a second POST makes a second comment or
// deployment). Errors come out as `GitHubApiError`: a status (0 = no reply) and a message.
//
// @actions/github is imported lazily: on import it reads and parses GITHUB_EVENT_PATH, and a
// malformed event file would then crash the action before it could say so in one sentence.

import type { getOctokit } from '@actions/github';
import type { Log } from '../platform/log.js';
import { CLIENT_IDENTIFIER, ACTION_VERSION } from '../version.js';
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  withRetry,
  type RequestKind,
  type RetryPolicy,
} from '../astro/retry.js';
import { realClock, type Clock } from '../platform/clock.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** A failed GitHub API call. `status` 0: no HTTP reply (network error or timeout). */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
    readonly timedOut = false,
    /** For the retry log when there was no reply: a network error code, or "a timeout". */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

export interface GitHubClientOptions {
  token: string;
  /** GITHUB_API_URL (the public API or a GitHub Enterprise `/api/v3` URL). */
  apiUrl?: string;
  /** Per try; default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  log: Log;
}

/** GitHub's retries are few and short: a comment or a deployment status is a courtesy. */
const GITHUB_RETRY: RetryPolicy = {
  ...DEFAULT_RETRY,
  attempts: 3,
  maxElapsedMs: 20_000,
  baseDelayMs: 500,
  maxDelayMs: 5_000,
};

export function kindOf(method: string): RequestKind {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD') return 'safe';
  if (m === 'PATCH' || m === 'PUT' || m === 'DELETE') return 'idempotent';
  return 'once';
}

/** Turn whatever Octokit threw into a GitHubApiError. */
export function toGitHubApiError(err: unknown, timeoutMs: number, nowMs: number): GitHubApiError {
  if (err instanceof GitHubApiError) return err;
  const e = err as {
    status?: number;
    message?: string;
    name?: string;
    cause?: { name?: string; message?: string; code?: string; cause?: { code?: string } };
    response?: { status: number; data?: unknown; headers?: Record<string, string | undefined> };
  };
  const timedOut =
    e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.cause?.name === 'TimeoutError';
  if (timedOut)
    return new GitHubApiError(
      0,
      `no reply within ${timeoutMs / 1000} s`,
      undefined,
      true,
      'a timeout',
    );
  if (!e?.response) {
    const code = e?.cause?.cause?.code ?? e?.cause?.code;
    const msg = e?.message || String(err);
    return new GitHubApiError(
      0,
      code && !msg.includes(code) ? `${msg} (${code})` : msg,
      undefined,
      false,
      code,
    );
  }
  const data = e.response.data as { message?: unknown } | string | undefined;
  const text =
    typeof data === 'string'
      ? data.slice(0, 200)
      : typeof data?.message === 'string'
        ? data.message
        : '';
  const status = e.response.status;
  const headers = e.response.headers ?? {};
  let retryAfterMs = parseRetryAfter(headers['retry-after'], nowMs);
  // GitHub's rate limits answer 403 (or 429) with Retry-After, or with no requests left until
  // x-ratelimit-reset: that is "try later" (status 429 for the retry rules), not a missing
  // permission.
  const exhausted = headers['x-ratelimit-remaining'] === '0';
  const rateLimited =
    (status === 403 || status === 429) &&
    (retryAfterMs !== undefined || exhausted || /rate limit/i.test(text));
  if (rateLimited && retryAfterMs === undefined && exhausted) {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset) && reset > 0) retryAfterMs = Math.max(0, reset * 1000 - nowMs);
  }
  return new GitHubApiError(
    rateLimited ? 429 : status,
    `HTTP ${status}${text ? `: ${text}` : ''}`,
    retryAfterMs,
  );
}

/** An Octokit for the GitHub API with our timeout and retry rules. */
export async function githubClient(opts: GitHubClientOptions): Promise<GitHubClient> {
  const { getOctokit: make } = await import('@actions/github');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const policy: RetryPolicy = { ...GITHUB_RETRY, ...opts.retry };
  const clock = opts.clock ?? realClock;
  const debug = (m: string) => opts.log.debug(m);
  const octokit = make(opts.token, {
    ...(opts.apiUrl ? { baseUrl: opts.apiUrl.replace(/\/+$/, '') } : {}),
    userAgent: `${CLIENT_IDENTIFIER}/${ACTION_VERSION}`,
    log: { debug, info: debug, warn: debug, error: debug },
  });
  octokit.hook.wrap('request', async (request, options) => {
    const method = String(options.method ?? 'GET');
    const path = String(options.url ?? '').split('?')[0];
    return withRetry({
      label: `GitHub ${method} ${path}`,
      kind: kindOf(method),
      policy,
      clock,
      log: opts.log,
      attempt: async () => {
        try {
          // In place: the hooks inside (the token's) call on with the options they were
          // given, not with what is passed to `request`.
          options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
          return await request(options);
        } catch (err) {
          throw toGitHubApiError(err, timeoutMs, clock.now());
        }
      },
    });
  });
  return octokit;
}

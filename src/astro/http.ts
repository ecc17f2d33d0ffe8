// One HTTP exchange with a deadline. Every failure without an HTTP reply becomes a
// NetworkError (status 0) so the retry rules can treat resets and timeouts alike.
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string | Buffer | Readable;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export class NetworkError extends Error {
  readonly status = 0;
  constructor(
    message: string,
    /** e.g. ECONNRESET, UND_ERR_SOCKET, TIMEOUT */
    readonly code: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export async function send(req: HttpRequest): Promise<HttpReply> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  try {
    const res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      dispatcher: req.dispatcher,
    });
    const text = await res.body.text();
    return { status: res.statusCode, headers: res.headers, text };
  } catch (err) {
    if (signal.aborted)
      throw new NetworkError(
        `no reply within ${Math.round(req.timeoutMs / 100) / 10} s`,
        'TIMEOUT',
      );
    const e = err as { code?: string; message?: string; cause?: { code?: string } };
    if (e.code === 'UND_ERR_INVALID_ARG') throw err;
    const code = e.cause?.code ?? e.code ?? 'ENETWORK';
    throw new NetworkError(`${code}: ${e.message ?? String(err)}`, code);
  }
}

/** `a=1&names=x&names=y`: arrays as repeated keys, undefined left out. */
export function queryString(
  query: Record<string, string | number | boolean | string[] | undefined> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A URL fit for logs and messages: no query (upload URLs carry a SAS signature there). */
export function withoutQuery(url: string): string {
  const i = url.search(/[?#]/);
  return i < 0 ? url : url.slice(0, i);
}

/** A reply's JSON body, or undefined when it has none or it is not JSON. */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// A Deployment's Airflow REST API: connections, variables and pools. Airflow 2 serves
// /api/v1 and Airflow 3 /api/v2; they differ in small ways (create status, list contents,
// duplicate handling) that stay inside this module.
import type { Dispatcher } from 'undici';
import type { Log } from '../platform/log.js';
import { AirflowApiError } from './errors.js';
import { DEFAULT_TIMEOUT_MS, NetworkError, queryString, send } from './http.js';
import {
  clockOf,
  parseRetryAfter,
  policyOf,
  withRetry,
  type RequestKind,
  type RetryTiming,
} from './retry.js';
import { poll } from '../platform/clock.js';
import { stripBearer } from './token.js';
import type {
  AirflowApi,
  AirflowConnection,
  AirflowPool,
  AirflowVariable,
  ListedConnection,
  Upserted,
} from './types.js';

export interface AirflowClientOptions extends RetryTiming {
  /** The Deployment's webServerAirflowApiUrl; without a scheme (as Astro gives it) https:// is meant. */
  apiUrl: string;
  token: string;
  log: Log;
  timeoutMs?: number;
  /** Items per page; Airflow caps it (100 by default), the client follows what it gets. */
  pageSize?: number;
  dispatcher?: Dispatcher;
}

/**
 * `host/d123/api/v2` → `https://host/d123/api/v2`; a given scheme is kept, anything after
 * `?` is cut (Astro may append a query; the Astro CLI cuts it too).
 */
export function airflowBaseUrl(apiUrl: string): string {
  const trimmed = apiUrl.trim().split('?')[0].replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export function airflowApiVersion(apiUrl: string): 1 | 2 {
  const path = new URL(airflowBaseUrl(apiUrl)).pathname;
  if (/\/api\/v1$/.test(path)) return 1;
  if (/\/api\/v2$/.test(path)) return 2;
  throw new Error(
    `The Airflow API URL ${withoutScheme(apiUrl)} ends neither in /api/v1 (Airflow 2) nor in /api/v2 (Airflow 3).`,
  );
}

export interface AirflowClient extends AirflowApi {
  /**
   * Wait until the API answers anything but 404, for at most `timeoutMs`: a new
   * Deployment's Airflow API answers 404 for a while after it turns HEALTHY (deploy-action
   * PR #124). Only for a Deployment just created: on any other a 404 is an error at once.
   */
  waitUntilServing(args: { timeoutMs: number; name: string }): Promise<void>;
}

/** A key with `/` cannot be put in a path behind Astro's proxy. */
export const hasSlash = (key: string): boolean => key.includes('/');

export function createAirflowClient(options: AirflowClientOptions): AirflowClient {
  const base = airflowBaseUrl(options.apiUrl);
  const apiVersion = airflowApiVersion(base);
  const clock = clockOf(options);
  const policy = policyOf(options);
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const headers = {
    authorization: `Bearer ${stripBearer(options.token)}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };

  async function once(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    query?: Query,
    body?: unknown,
  ): Promise<{ status: number; data: unknown }> {
    const url = `${base}${path}`;
    let reply;
    try {
      reply = await send({
        url: `${url}${queryString(query)}`,
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        dispatcher: options.dispatcher,
      });
    } catch (err) {
      if (err instanceof NetworkError) throw new AirflowApiError(0, method, url, err.message);
      throw err;
    }
    let data: unknown;
    try {
      data = reply.text ? JSON.parse(reply.text) : undefined;
    } catch {
      data = reply.text;
    }
    if (reply.status >= 200 && reply.status < 300) return { status: reply.status, data };
    // Never followed: Astro's proxy redirects an encoded `/` to the decoded path, which is
    // another resource.
    if (reply.status >= 300 && reply.status < 400) {
      const location = reply.headers.location;
      throw new AirflowApiError(
        reply.status,
        method,
        url,
        `redirected to ${String(location ?? 'nowhere')}, not followed (it may be another object)`,
      );
    }
    throw new AirflowApiError(
      reply.status,
      method,
      url,
      detailOf(data),
      1,
      parseRetryAfter(reply.headers['retry-after'], clock.now()),
    );
  }

  function call(
    kind: RequestKind,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    query?: Query,
    body?: unknown,
  ) {
    return withRetry({
      label: `${method} ${withoutScheme(base)}${path}`,
      kind,
      policy,
      clock,
      log: options.log,
      attempt: () => once(method, path, query, body),
      exhausted: (err, n) =>
        err instanceof AirflowApiError
          ? new AirflowApiError(err.status, err.method, err.url, err.detail, n)
          : err,
    });
  }

  async function listAll<T>(path: string, key: string): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ;) {
      const { data } = await call('safe', 'GET', path, { limit: pageSize, offset });
      const page = (data ?? {}) as Record<string, unknown>;
      const got = Array.isArray(page[key]) ? (page[key] as T[]) : [];
      items.push(...got);
      offset += got.length;
      const total = typeof page.total_entries === 'number' ? page.total_entries : 0;
      if (got.length === 0 || offset >= total) return items;
    }
  }

  /**
   * Create, or update what exists. A retried POST whose first try landed meets the
   * duplicate and becomes an update, and a PATCH repeats to the same result, so both are
   * retried like reads (a 500 too: the server may have acted, which is harmless here).
   */
  async function upsert(
    collection: string,
    id: string,
    body: Record<string, unknown>,
    mask?: string[],
  ): Promise<Upserted> {
    try {
      await call('safe', 'POST', `/${collection}`, undefined, body);
      return 'created';
    } catch (err) {
      if (!(err instanceof AirflowApiError) || !isDuplicate(err)) throw err;
    }
    // It exists, and a path cannot name it: leave it as it is.
    if (hasSlash(id)) return 'exists';
    // Airflow 2 takes one comma-separated update_mask, Airflow 3 the parameter repeated.
    const query = mask && { update_mask: apiVersion === 2 ? mask : mask.join(',') };
    await call('safe', 'PATCH', `/${collection}/${encodeURIComponent(id)}`, query, body);
    return 'updated';
  }

  return {
    apiVersion,
    async waitUntilServing({ timeoutMs, name }) {
      await poll<true>({
        clock,
        timeoutMs,
        backoff: { firstMs: 500, maxMs: 10_000, factor: 1.5, whole: 'ceil' },
        look: async () => {
          try {
            await call('safe', 'GET', '/version');
            return true;
          } catch (err) {
            if (!(err instanceof AirflowApiError) || err.status !== 404) throw err;
            return undefined;
          }
        },
        waiting: (delay) =>
          options.log.info(
            `The Airflow API of ${name} does not answer yet (404, usual for a new Deployment); trying again in ${delay} ms.`,
          ),
        timedOut: () =>
          new Error(
            `The Airflow API of ${name} (${withoutScheme(base)}) still answered 404 after ${Math.round(timeoutMs / 1000)} s, ` +
              `so its Airflow objects were not copied; run again (the preview is reused and the objects copied) or raise wait-time.`,
          ),
      });
    },
    async listConnections() {
      const listed = await listAll<AirflowConnection>('/connections', 'connections');
      if (apiVersion === 2) return listed;
      // Airflow 2 lists connections without `extra`; read each one for it. One that cannot
      // be read is copied without it (the copy says so), never read by a path holding a `/`.
      const full: ListedConnection[] = [];
      for (const c of listed) {
        if (hasSlash(c.connection_id)) {
          full.push({
            ...c,
            extraUnread: "its id has a '/', which Astro's proxy cannot take in a path",
          });
          continue;
        }
        const path = `/connections/${encodeURIComponent(c.connection_id)}`;
        try {
          const { data } = await call('safe', 'GET', path);
          full.push(data as AirflowConnection);
        } catch (err) {
          if (!(err instanceof AirflowApiError)) throw err;
          full.push({ ...c, extraUnread: err.message });
        }
      }
      return full;
    },
    upsertConnection: (c) =>
      upsert(
        'connections',
        c.connection_id,
        pick(c, [
          'connection_id',
          'conn_type',
          'description',
          'host',
          'login',
          'schema',
          'port',
          'password',
          'extra',
        ]),
      ),
    // Both versions list values: no variable is read by its key.
    listVariables: () => listAll<AirflowVariable>('/variables', 'variables'),
    upsertVariable: (v) => upsert('variables', v.key, pick(v, ['key', 'value', 'description'])),
    listPools: () => listAll<AirflowPool>('/pools', 'pools'),
    upsertPool: (p) =>
      p.name === DEFAULT_POOL
        ? // Every Deployment has it, and Airflow 3 lets only these two fields of it change
          // (an update without this mask is refused).
          upsert(
            'pools',
            p.name,
            pick(p, ['name', 'slots', 'include_deferred']),
            p.include_deferred === undefined ? ['slots'] : ['slots', 'include_deferred'],
          )
        : upsert('pools', p.name, pick(p, ['name', 'slots', 'description', 'include_deferred'])),
  };
}

const DEFAULT_POOL = 'default_pool';

type Query = Record<string, number | string | string[]>;

/** 409 in both versions; some Airflow 2 endpoints say "already exist" in a 400. */
function isDuplicate(err: AirflowApiError): boolean {
  return err.status === 409 || (err.status === 400 && /already exist/i.test(err.detail));
}

/** Only the fields a body may carry: Airflow 3 rejects unknown ones, lists add read-only ones. */
function pick<T extends object>(obj: T, keys: (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k as string] = obj[k];
  return out;
}

/** Airflow 2: RFC 7807 {title, detail}; Airflow 3: {detail: string | object | list}. */
function detailOf(data: unknown): string {
  if (typeof data === 'string') return data.slice(0, 200);
  const d = (data ?? {}) as { title?: unknown; detail?: unknown };
  const parts = [d.title, d.detail].map((x) =>
    x === undefined || x === null ? '' : typeof x === 'string' ? x : JSON.stringify(x),
  );
  return parts.filter(Boolean).join(': ').slice(0, 300);
}

function withoutScheme(url: string): string {
  return url.replace(/^https?:\/\//i, '');
}

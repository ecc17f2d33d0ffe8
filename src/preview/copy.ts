// Copy connections, Airflow variables and pools from the base Deployment's Airflow into a
// preview's, through each Deployment's Airflow REST API. The clients list
// every page and upsert (create; conflict → update).
//
// What the API will not give back is never written as if it were the value:
// - connection passwords: Airflow 2 never returns them, Airflow 3 returns them masked; the
//   copy goes without a password and the connection is listed so the user can set it;
// - masked values (`***`) in a connection's `extra` (Airflow 3 redacts sensitive keys): those
//   keys are dropped from the copy and the connection listed;
// - masked variable values (Airflow 3 redacts variables with sensitive names): not copied,
//   listed.
// - connection extras Airflow 2 would not give (its lists omit `extra`, so each connection is
//   read; a read that fails, or an id with `/` that no path can name): copied without it,
//   listed.
// An object whose key has a `/` is only ever created (POST, key in the body): Astro's proxy
// cannot address it by path, so one the preview already has is left as it
// is, and listed.
// `default_pool` exists in every Airflow and cannot be created or deleted: its slots (and
// description) are updated in place through the same upsert (create conflicts → update).

import type {
  AirflowApi,
  AirflowConnection,
  AirflowPool,
  AirflowVariable,
  Upserted,
} from '../astro/types.js';
import type { Log } from '../platform/log.js';

export interface Counts {
  created: number;
  updated: number;
}

export interface CopyResult {
  connections: Counts;
  variables: Counts;
  pools: Counts;
  /** Connections copied without their password (the API did not return it): set it on the preview. */
  connectionsWithoutPassword: string[];
  /** Connections whose `extra` had masked values; those keys were left out. */
  connectionsWithMaskedExtra: string[];
  /** Variables whose values came back masked and were not copied. */
  variablesMasked: string[];
  /** Connections copied without `extra`: Airflow 2 would not give it (the log says why). */
  connectionsWithoutExtra: string[];
  /** Objects with `/` in their key that the preview already had, left as they are. */
  leftAsIs: string[];
  /** Connections whose id Airflow 3's API refuses (`^[\w.-]+$`), so they were not copied. */
  connectionIdsRefused: string[];
  /** One line per object that could not be copied (the rest are still copied). */
  failures: string[];
}

/** The connection ids Airflow 3's API accepts: its ConnectionBody pattern `^[\w.-]+$` (Unicode `\w`), max 200. */
const AIRFLOW3_CONNECTION_ID = /^[\p{L}\p{M}\p{N}\p{Pc}.-]{1,200}$/u;

/** Airflow's secrets masker writes `***`. */
export const isMasked = (v: unknown): boolean => typeof v === 'string' && /^\*{3,}$/.test(v);

/** A connection as it can be written to the preview, and what was left out. */
export function connectionCopy(
  c: AirflowConnection,
  sourceApiVersion: 1 | 2,
): { connection: AirflowConnection; passwordUnknown: boolean; maskedExtra: boolean } {
  const copy: AirflowConnection = { connection_id: c.connection_id, conn_type: c.conn_type };
  for (const k of ['description', 'host', 'login', 'schema', 'port'] as const) {
    if (c[k] !== undefined && c[k] !== null) (copy as unknown as Record<string, unknown>)[k] = c[k];
  }
  // Airflow 2 never returns a password, so whether there is one is unknown; Airflow 3
  // returns a masked one when there is one (null/"" when there is none).
  const passwordUnknown =
    sourceApiVersion === 1
      ? true
      : c.password !== undefined && c.password !== null && c.password !== '';
  if (
    !passwordUnknown &&
    typeof c.password === 'string' &&
    c.password !== '' &&
    !isMasked(c.password)
  ) {
    copy.password = c.password;
  }
  let maskedExtra = false;
  if (typeof c.extra === 'string' && c.extra !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(c.extra);
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const clean = stripMasked(parsed as Record<string, unknown>);
      maskedExtra = clean.masked;
      copy.extra = JSON.stringify(clean.value);
    } else if (isMasked(c.extra)) {
      maskedExtra = true;
    } else {
      copy.extra = c.extra;
    }
  }
  return { connection: copy, passwordUnknown, maskedExtra };
}

function stripMasked(o: Record<string, unknown>): {
  value: Record<string, unknown>;
  masked: boolean;
} {
  let masked = false;
  const value: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (isMasked(v)) {
      masked = true;
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const inner = stripMasked(v as Record<string, unknown>);
      masked ||= inner.masked;
      value[k] = inner.value;
    } else {
      value[k] = v;
    }
  }
  return { value, masked };
}

const poolCopy = (p: AirflowPool): AirflowPool => {
  const copy: AirflowPool = { name: p.name, slots: p.slots };
  if (p.description !== undefined && p.description !== null) copy.description = p.description;
  if (p.include_deferred !== undefined) copy.include_deferred = p.include_deferred;
  return copy;
};

const variableCopy = (v: AirflowVariable): AirflowVariable => {
  const copy: AirflowVariable = { key: v.key, value: v.value };
  if (v.description !== undefined && v.description !== null) copy.description = v.description;
  return copy;
};

/** Run `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function copyAirflowObjects(args: {
  from: AirflowApi;
  to: AirflowApi;
  connections: boolean;
  variables: boolean;
  pools: boolean;
  log: Log;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
}): Promise<CopyResult> {
  const { from, to, log } = args;
  const limit = args.concurrency ?? 4;
  const result: CopyResult = {
    connections: { created: 0, updated: 0 },
    variables: { created: 0, updated: 0 },
    pools: { created: 0, updated: 0 },
    connectionsWithoutPassword: [],
    connectionsWithMaskedExtra: [],
    variablesMasked: [],
    connectionsWithoutExtra: [],
    leftAsIs: [],
    connectionIdsRefused: [],
    failures: [],
  };
  const count = (c: Counts, r: Upserted) =>
    r === 'created' ? (c.created += 1) : r === 'updated' ? (c.updated += 1) : 0;

  const copyKind = async <T>(
    kind: string,
    list: () => Promise<T[]>,
    id: (x: T) => string,
    one: (x: T) => Promise<Upserted | undefined>,
    counts: Counts,
  ) => {
    let items: T[];
    try {
      items = await list();
    } catch (e) {
      result.failures.push(`Could not list the ${kind} of the base Deployment: ${message(e)}`);
      return;
    }
    await eachLimited(items, limit, async (x) => {
      try {
        const r = await one(x);
        if (r) count(counts, r);
        if (r === 'exists') result.leftAsIs.push(`${kind.replace(/s$/, '')} "${id(x)}"`);
      } catch (e) {
        result.failures.push(`Could not copy ${kind.replace(/s$/, '')} "${id(x)}": ${message(e)}`);
      }
    });
    log.info(
      `Copied ${kind}: ${counts.created} created, ${counts.updated} updated (of ${items.length}).`,
    );
  };

  if (args.connections) {
    await copyKind(
      'connections',
      () => from.listConnections(),
      (c) => c.connection_id,
      async (c) => {
        // Airflow 3 takes only these ids (an older Airflow or its CLI may have made others):
        // no run could ever copy such a connection, so it is named, not a failure.
        if (to.apiVersion === 2 && !AIRFLOW3_CONNECTION_ID.test(c.connection_id)) {
          result.connectionIdsRefused.push(c.connection_id);
          return undefined;
        }
        const { connection, passwordUnknown, maskedExtra } = connectionCopy(c, from.apiVersion);
        const r = await to.upsertConnection(connection);
        if (passwordUnknown) result.connectionsWithoutPassword.push(c.connection_id);
        if (maskedExtra) result.connectionsWithMaskedExtra.push(c.connection_id);
        if (c.extraUnread) {
          result.connectionsWithoutExtra.push(c.connection_id);
          log.info(`Connection "${c.connection_id}" is copied without its extra: ${c.extraUnread}`);
        }
        return r;
      },
      result.connections,
    );
  }

  if (args.variables) {
    await copyKind(
      'variables',
      () => from.listVariables(),
      (v) => v.key,
      async (v) => {
        if (isMasked(v.value)) {
          result.variablesMasked.push(v.key);
          return undefined;
        }
        if (v.value === undefined || v.value === null)
          throw new Error('the Airflow API listed it without a value');
        return to.upsertVariable(variableCopy(v));
      },
      result.variables,
    );
  }

  if (args.pools) {
    await copyKind(
      'pools',
      () => from.listPools(),
      (p) => p.name,
      (p) => to.upsertPool(poolCopy(p)),
      result.pools,
    );
  }

  warnLeftOut(result, log);
  for (const f of result.failures) log.warning(f);
  return result;
}

/** Sorts what was left out or changed on the way, and warns once per kind of it. */
function warnLeftOut(result: CopyResult, log: Log): void {
  for (const list of [
    result.connectionsWithoutPassword,
    result.connectionsWithMaskedExtra,
    result.variablesMasked,
    result.connectionsWithoutExtra,
    result.leftAsIs,
    result.connectionIdsRefused,
  ]) {
    list.sort();
  }
  if (result.connectionsWithoutPassword.length) {
    log.warning(
      `The Airflow API does not return connection passwords, so these connections were copied without one; set them ` +
        `on the preview if its DAGs need them: ${result.connectionsWithoutPassword.join(', ')}.`,
    );
  }
  if (result.connectionsWithMaskedExtra.length) {
    log.warning(
      `These connections' extra fields came back masked and those fields were not copied: ${result.connectionsWithMaskedExtra.join(', ')}.`,
    );
  }
  if (result.variablesMasked.length) {
    log.warning(
      `These Airflow variables came back masked and were not copied: ${result.variablesMasked.join(', ')}.`,
    );
  }
  if (result.connectionsWithoutExtra.length) {
    log.warning(
      `These connections were copied without their extra field, which the Airflow API of the base would not give; ` +
        `set it on the preview if its DAGs need it: ${result.connectionsWithoutExtra.join(', ')}.`,
    );
  }
  if (result.leftAsIs.length) {
    log.warning(
      `The preview already has these, and a '/' in the name keeps Astro's proxy from updating them, ` +
        `so they were left as they are (change them in the Airflow UI if they should match the base): ${result.leftAsIs.join(', ')}.`,
    );
  }
  if (result.connectionIdsRefused.length) {
    log.warning(
      `Airflow 3's API takes only letters, digits, '_', '.' and '-' in a connection id, so these connections were not copied; ` +
        `create them on the preview another way (e.g. the Airflow CLI or an environment variable): ${result.connectionIdsRefused.join(', ')}.`,
    );
  }
}

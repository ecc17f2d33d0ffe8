// The Astro API client: auth, pagination, typed errors and the retry rules of each call.
// Reads are retried freely; updates and deletes because they are idempotent; creates only
// where a duplicate is harmless (deploys) or checked for first (Deployments); a finalize is
// never sent twice for a deploy that already went through.
import type { Dispatcher } from 'undici';
import type { Log } from '../platform/log.js';
import { AstroApiError, type ErrorContext, type FieldError, type Operation } from './errors.js';
import { DEFAULT_TIMEOUT_MS, NetworkError, parseJson, queryString, send } from './http.js';
import {
  clockOf,
  mayHaveActed,
  parseRetryAfter,
  policyOf,
  statusOf,
  withRetry,
  type RequestKind,
  type RetryTiming,
} from './retry.js';
import { finalizeOnce } from './finalize.js';
import { dagBundleCalls } from './dag-bundles.js';
import { checkToken, stripBearer } from './token.js';
import type {
  AstroApi,
  CreateDeployRequest,
  Deploy,
  Deployment,
  DeploymentFilter,
  DeploymentOptions,
  DeploymentRequest,
  FinalizeDeployRequest,
  HibernationOverride,
  Organization,
  Workspace,
} from './types.js';
import { ACTION_VERSION, CLIENT_IDENTIFIER } from '../version.js';

export interface AstroClientOptions extends RetryTiming {
  /** e.g. https://api.astronomer.io/v1 (see resolveApiUrl). */
  baseUrl: string;
  token: string;
  log: Log;
  /** Workspace to act in; default: the token's workspace claim. */
  workspaceId?: string;
  /** Organization to act in; default: the token's claim, else the only one GET /organizations shows. */
  organizationId?: string;
  /** Per request, including reading the reply. Default 30 s. */
  timeoutMs?: number;
  /** Items per page of list calls (the API allows up to 1000). */
  pageSize?: number;
  /** Sent as X-Astro-Client-Version (default: this action's version). */
  version?: string;
  dispatcher?: Dispatcher;
}

/** AstroApi plus what the client knows about its own calls. */
export interface AstroClient extends AstroApi {
  readonly baseUrl: string;
  listOrganizations(): Promise<Organization[]>;
}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface Call {
  op: Operation;
  /** The API version's base URL when not v1 (named DAG bundles live on v1alpha1). */
  base?: string;
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  context?: ErrorContext;
  kind: RequestKind;
}

export async function createAstroClient(options: AstroClientOptions): Promise<AstroClient> {
  const clock = clockOf(options);
  // An expired token fails here, before any request, with the date it expired.
  const claims = checkToken(options.token, new Date(clock.now()));
  const token = stripBearer(options.token);
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const policy = policyOf(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pageSize = Math.min(Math.max(options.pageSize ?? 1000, 1), 1000);
  const { log } = options;
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json',
    'x-astro-client-identifier': CLIENT_IDENTIFIER,
    'x-astro-client-version': options.version ?? ACTION_VERSION,
    // Pin the minor version of the API we were written against.
    'x-api-version': '1.0',
    'user-agent': `${CLIENT_IDENTIFIER}/${options.version ?? ACTION_VERSION}`,
  };

  async function once<T>(c: Call): Promise<T> {
    const url = `${c.base ?? baseUrl}${c.path}${queryString(c.query)}`;
    let reply;
    try {
      reply = await send({
        url,
        method: c.method,
        headers,
        body: c.body === undefined ? undefined : JSON.stringify(c.body),
        timeoutMs,
        dispatcher: options.dispatcher,
      });
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      throw new AstroApiError({
        status: 0,
        serverMessage: err.message,
        code: err.code,
        method: c.method,
        path: c.path,
        operation: c.op,
        context: c.context,
      });
    }
    const body = parseJson(reply.text);
    if (reply.status >= 200 && reply.status < 300) return body as T;
    const e = (body ?? {}) as { message?: unknown; requestId?: unknown; fieldErrors?: unknown };
    throw new AstroApiError({
      status: reply.status,
      serverMessage: typeof e.message === 'string' ? e.message : reply.text.slice(0, 200),
      requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
      fieldErrors: Array.isArray(e.fieldErrors) ? (e.fieldErrors as FieldError[]) : undefined,
      retryAfterMs: parseRetryAfter(reply.headers['retry-after'], clock.now()),
      method: c.method,
      path: c.path,
      operation: c.op,
      context: c.context,
    });
  }

  /** A call with the retry rule of its kind; `attempt` may replace the plain request. */
  function call<T>(c: Call, attempt?: (n: number) => Promise<T>): Promise<T> {
    return withRetry<T>({
      label: `${c.method} ${c.path}`,
      kind: c.kind,
      policy,
      clock,
      log,
      attempt: attempt ?? (() => once<T>(c)),
      exhausted: (err, n) => (err instanceof AstroApiError ? err.withAttempts(n) : err),
    });
  }

  async function listAll<T>(c: Omit<Call, 'kind' | 'method'>, key: string): Promise<T[]> {
    const items: T[] = [];
    for (let offset = 0; ;) {
      const page = await call<Record<string, unknown>>({
        ...c,
        method: 'GET',
        kind: 'safe',
        query: { ...c.query, offset, limit: pageSize },
      });
      const got = Array.isArray(page?.[key]) ? (page[key] as T[]) : [];
      items.push(...got);
      offset += got.length;
      const total = typeof page?.totalCount === 'number' ? page.totalCount : 0;
      if (got.length === 0 || offset >= total) return items;
    }
  }

  async function listOrganizations(): Promise<Organization[]> {
    return listAll<Organization>(
      { op: 'listOrganizations', path: '/organizations' },
      'organizations',
    );
  }

  const organizationId =
    options.organizationId ??
    claims.organizationId ??
    (await onlyOrganization(await listOrganizations()));
  const workspaceId = options.workspaceId ?? claims.workspaceId;
  const org = `/organizations/${enc(organizationId)}`;
  const dep = (id: string) => `${org}/deployments/${enc(id)}`;
  const ctx = (c: Omit<ErrorContext, 'organizationId'> = {}): ErrorContext => ({
    organizationId,
    ...c,
  });

  const getDeploy = (deploymentId: string, deployId: string) =>
    call<Deploy>({
      op: 'getDeploy',
      method: 'GET',
      path: `${dep(deploymentId)}/deploys/${enc(deployId)}`,
      kind: 'safe',
      context: ctx({ deploymentId, deployId }),
    });

  const listDeployments = (filter: DeploymentFilter = {}) =>
    listAll<Deployment>(
      {
        op: 'listDeployments',
        path: `${org}/deployments`,
        query: {
          names: filter.names,
          deploymentIds: filter.deploymentIds,
          workspaceIds: filter.workspaceIds,
        },
        context: ctx(),
      },
      'deployments',
    );

  /** A DELETE: after a reply that may have been lost, a 404 means our earlier try did it. */
  function deleteOnce(c: Call): Promise<void> {
    let acted = false;
    return call<void>(c, async () => {
      try {
        await once(c);
      } catch (err) {
        if (acted && statusOf(err) === 404) return;
        if (mayHaveActed(err)) acted = true;
        throw err;
      }
    });
  }

  return {
    baseUrl,
    organizationId,
    workspaceId,
    listOrganizations,

    listWorkspaces: (names) =>
      listAll<Workspace>(
        { op: 'listWorkspaces', path: `${org}/workspaces`, query: { names }, context: ctx() },
        'workspaces',
      ),

    listDeployments,

    getDeployment: (deploymentId) =>
      call<Deployment>({
        op: 'getDeployment',
        method: 'GET',
        path: dep(deploymentId),
        kind: 'safe',
        context: ctx({ deploymentId }),
      }),

    createDeployment(body) {
      const c: Call = {
        op: 'createDeployment',
        method: 'POST',
        path: `${org}/deployments`,
        body,
        kind: 'idempotent',
        context: ctx({ workspaceId: body.workspaceId }),
      };
      // Creating twice would leave two Deployments. Before a retry, look for the one the
      // failed try may have made (callers create only names that did not exist).
      return call<Deployment>(c, async (n) => {
        if (n > 1) {
          const found = await listDeployments({
            names: [body.name],
            workspaceIds: [body.workspaceId],
          });
          const newest = found
            .filter((d) => d.name === body.name)
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
          if (newest) {
            log.info(
              `Deployment ${body.name} was created by the earlier attempt (${newest.id}); not creating it again`,
            );
            return newest;
          }
        }
        return once<Deployment>(c);
      });
    },

    updateDeployment: (deploymentId, body: DeploymentRequest) =>
      call<Deployment>({
        op: 'updateDeployment',
        method: 'POST',
        path: dep(deploymentId),
        body,
        kind: 'idempotent',
        context: ctx({ deploymentId }),
      }),

    deleteDeployment: (deploymentId) =>
      deleteOnce({
        op: 'deleteDeployment',
        method: 'DELETE',
        path: dep(deploymentId),
        kind: 'idempotent',
        context: ctx({ deploymentId }),
      }),

    listDeploys: (deploymentId) =>
      listAll<Deploy>(
        { op: 'listDeploys', path: `${dep(deploymentId)}/deploys`, context: ctx({ deploymentId }) },
        'deploys',
      ),

    getDeploy,
    ...dagBundleCalls({ baseUrl, dep, ctx, call, listAll }),

    // A repeated create leaves an extra INITIALIZED deploy that is never finalized: harmless.
    createDeploy: (deploymentId, body: CreateDeployRequest) =>
      call<Deploy>({
        op: 'createDeploy',
        method: 'POST',
        path: `${dep(deploymentId)}/deploys`,
        body,
        kind: 'idempotent',
        context: ctx({ deploymentId }),
      }),

    finalizeDeploy(deploymentId, deployId, body: FinalizeDeployRequest) {
      const c: Call = {
        op: 'finalizeDeploy',
        method: 'POST',
        path: `${dep(deploymentId)}/deploys/${enc(deployId)}/finalize`,
        body,
        kind: 'idempotent',
        context: ctx({ deploymentId, deployId }),
      };
      return finalizeOnce({
        deploymentId,
        deployId,
        body,
        log,
        getDeploy,
        send: () => once<Deploy>(c),
        retrying: (attempt) => call<Deploy>(c, attempt),
      });
    },

    // Not repeated: a second rollback would be a second deploy in the history.
    rollbackDeploy: (deploymentId, deployId, body) =>
      call<Deploy>({
        op: 'rollbackDeploy',
        method: 'POST',
        path: `${dep(deploymentId)}/deploys/${enc(deployId)}/rollback`,
        body,
        kind: 'once',
        context: ctx({ deploymentId, deployId }),
      }),

    setHibernationOverride: (deploymentId, body: HibernationOverride) =>
      call<HibernationOverride>({
        op: 'setHibernationOverride',
        method: 'POST',
        path: `${dep(deploymentId)}/hibernation-override`,
        body,
        kind: 'idempotent',
        context: ctx({ deploymentId }),
      }),

    deleteHibernationOverride: (deploymentId) =>
      deleteOnce({
        op: 'deleteHibernationOverride',
        method: 'DELETE',
        path: `${dep(deploymentId)}/hibernation-override`,
        kind: 'idempotent',
        context: ctx({ deploymentId }),
      }),

    getDeploymentOptions: (deploymentId) =>
      call<DeploymentOptions>({
        op: 'getDeploymentOptions',
        method: 'GET',
        path: `${org}/deployment-options`,
        query: { deploymentId },
        kind: 'safe',
        context: ctx({ deploymentId }),
      }),

    getOrganization: () =>
      call<Organization>({
        op: 'getOrganization',
        method: 'GET',
        path: org,
        kind: 'safe',
        context: ctx(),
      }),
  };
}

function onlyOrganization(orgs: Organization[]): string {
  if (orgs.length === 1) return orgs[0].id;
  if (orgs.length === 0) {
    throw new Error(
      'ASTRO_API_TOKEN names no organization and can see none; use an Organization, Workspace or Deployment API token.',
    );
  }
  const names = orgs.map((o) => `${o.name} (${o.id})`).join(', ');
  throw new Error(
    `ASTRO_API_TOKEN can see several organizations (${names}); use an API token of the one organization to deploy to.`,
  );
}

const enc = encodeURIComponent;

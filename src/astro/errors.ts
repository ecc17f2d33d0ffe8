// Errors from the Astro API, each turned into one sentence a user can act on. The action
// prints `.message` only, so the message carries everything: what failed, why, what to do.

export type Operation =
  | 'listOrganizations'
  | 'listWorkspaces'
  | 'listDeployments'
  | 'getDeployment'
  | 'createDeployment'
  | 'updateDeployment'
  | 'deleteDeployment'
  | 'listDeploys'
  | 'getDeploy'
  | 'createDeploy'
  | 'createDagBundleDeploy'
  | 'listDagBundles'
  | 'finalizeDeploy'
  | 'rollbackDeploy'
  | 'setHibernationOverride'
  | 'deleteHibernationOverride'
  | 'getDeploymentOptions'
  | 'getOrganization';

/** The objects a request was about, so a 403/404 can name them. */
export interface ErrorContext {
  organizationId?: string;
  workspaceId?: string;
  deploymentId?: string;
  deployId?: string;
}

export interface FieldError {
  field: string;
  code?: string;
  message: string;
}

export interface AstroApiErrorInit {
  /** HTTP status; 0 when no reply came (network error or timeout). */
  status: number;
  /** The server's `message`, or the network error's text. */
  serverMessage: string;
  requestId?: string;
  method: string;
  /** Path below the base URL, without query string. */
  path: string;
  operation?: Operation;
  context?: ErrorContext;
  fieldErrors?: FieldError[];
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** From Retry-After, for the retry loop. */
  retryAfterMs?: number;
  /** Network error code when status is 0 (for the retry log). */
  code?: string;
}

export class AstroApiError extends Error {
  readonly status: number;
  readonly serverMessage: string;
  readonly requestId?: string;
  readonly method: string;
  readonly path: string;
  readonly operation?: Operation;
  readonly context: ErrorContext;
  readonly fieldErrors?: FieldError[];
  readonly attempts: number;
  readonly retryAfterMs?: number;
  readonly code?: string;

  constructor(init: AstroApiErrorInit) {
    super(explainAstroError(init));
    this.name = 'AstroApiError';
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.operation = init.operation;
    this.context = init.context ?? {};
    this.fieldErrors = init.fieldErrors;
    this.attempts = init.attempts ?? 1;
    this.retryAfterMs = init.retryAfterMs;
    this.code = init.code;
  }

  /** The same error after `attempts` tries (the message says so). */
  withAttempts(attempts: number): AstroApiError {
    return new AstroApiError({ ...this.init(), attempts });
  }

  private init(): AstroApiErrorInit {
    return {
      status: this.status,
      serverMessage: this.serverMessage,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      operation: this.operation,
      context: this.context,
      fieldErrors: this.fieldErrors,
      code: this.code,
    };
  }
}

// What each operation does, in words that fit "the token may not …".
const VERBS: Record<Operation, (c: ErrorContext) => string> = {
  listOrganizations: () => 'list organizations',
  listWorkspaces: () => 'list Workspaces',
  listDeployments: () => 'list Deployments',
  getDeployment: (c) => `read Deployment ${c.deploymentId}`,
  createDeployment: (c) => `create Deployments in Workspace ${c.workspaceId ?? '(unknown)'}`,
  updateDeployment: (c) => `update Deployment ${c.deploymentId}`,
  deleteDeployment: (c) => `delete Deployment ${c.deploymentId}`,
  listDeploys: (c) => `read the deploys of Deployment ${c.deploymentId}`,
  getDeploy: (c) => `read the deploys of Deployment ${c.deploymentId}`,
  createDeploy: (c) => `deploy to Deployment ${c.deploymentId}`,
  createDagBundleDeploy: (c) => `deploy to Deployment ${c.deploymentId}`,
  listDagBundles: (c) => `read the DAG bundles of Deployment ${c.deploymentId}`,
  finalizeDeploy: (c) => `deploy to Deployment ${c.deploymentId}`,
  rollbackDeploy: (c) => `roll back Deployment ${c.deploymentId}`,
  setHibernationOverride: (c) => `change the hibernation of Deployment ${c.deploymentId}`,
  deleteHibernationOverride: (c) => `change the hibernation of Deployment ${c.deploymentId}`,
  getDeploymentOptions: () => 'read deployment options',
  getOrganization: (c) => `read organization ${c.organizationId ?? '(unknown)'}`,
};

function advice403(op: Operation | undefined): string {
  switch (op) {
    case 'createDeployment':
    case 'deleteDeployment':
      return 'give it the Workspace Operator role (or higher) in that Workspace; a Deployment token cannot create or delete Deployments';
    case 'listOrganizations':
      return 'use an Organization token, or a Workspace or Deployment token whose organization is in its claims';
    case 'listWorkspaces':
    case 'listDeployments':
    case 'getDeploymentOptions':
    case undefined:
      return 'use a Workspace or Organization token with access to them';
    default:
      return "give it the Workspace Operator role in the Deployment's Workspace or use a Deployment token for that Deployment";
  }
}

/** One sentence for an Astro API failure. */
export function explainAstroError(e: AstroApiErrorInit): string {
  const c = e.context ?? {};
  const org = c.organizationId ? ` in organization ${c.organizationId}` : '';
  const rid = e.requestId ? ` (request id ${e.requestId})` : '';
  const tries = e.attempts && e.attempts > 1 ? `, after ${e.attempts} attempts` : '';
  if (e.status === 0) {
    return `The Astro API did not answer ${e.method} ${e.path} (${e.serverMessage}${tries}); check api-url / ASTRO_DOMAIN and the network, or retry later.`;
  }
  if (e.status === 401) {
    return `ASTRO_API_TOKEN was rejected by the Astro API (401: invalid, revoked or expired${e.requestId ? `, request id ${e.requestId}` : ''}); create a new API token and store it in the ASTRO_API_TOKEN secret.`;
  }
  if (e.status === 403) {
    const verb = e.operation ? VERBS[e.operation](c) : `${e.method} ${e.path}`;
    return `ASTRO_API_TOKEN may not ${verb}${org}: ${advice403(e.operation)}${rid}.`;
  }
  if (e.status === 404 && e.operation === 'deleteHibernationOverride') {
    return `Deployment ${c.deploymentId} has no hibernation override to remove${org} (or does not exist there)${rid}.`;
  }
  if (e.status === 404 && c.deployId) {
    return `Deploy ${c.deployId} of Deployment ${c.deploymentId} was not found${org}; it may have been deleted${rid}.`;
  }
  if (e.status === 404 && c.deploymentId) {
    return `Deployment ${c.deploymentId} was not found${org}: check deployment-id and that ASTRO_API_TOKEN belongs to that organization${rid}.`;
  }
  if (e.status === 404 && c.organizationId) {
    return `Organization ${c.organizationId} was not found (${e.method} ${e.path}): check that ASTRO_API_TOKEN belongs to it${rid}.`;
  }
  const fields = e.fieldErrors?.length
    ? ` (${e.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ')})`
    : '';
  const text = e.serverMessage.replace(/[.\s]+$/, '') || 'no message';
  return `The Astro API refused ${e.method} ${e.path} with ${e.status}: ${text}${fields}${rid}${tries}.`;
}

/** A failure of a Deployment's Airflow REST API. */
export class AirflowApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** The URL without query string. */
    readonly url: string,
    readonly detail: string,
    readonly attempts = 1,
    /** From Retry-After, for the retry loop. */
    readonly retryAfterMs?: number,
  ) {
    super(explainAirflowError(status, method, url, detail, attempts));
    this.name = 'AirflowApiError';
  }
}

function explainAirflowError(
  status: number,
  method: string,
  url: string,
  detail: string,
  attempts: number,
): string {
  const tries = attempts > 1 ? `, after ${attempts} attempts` : '';
  const text = detail.replace(/[.\s]+$/, '') || 'no detail';
  if (status === 0)
    return `The Airflow API did not answer ${method} ${url} (${text}${tries}); check that the Deployment is awake and reachable.`;
  if (status === 401 || status === 403) {
    return `ASTRO_API_TOKEN may not ${method === 'GET' ? 'read' : 'change'} ${url} (${status}: ${text}): use a Workspace or Deployment token with access to that Deployment.`;
  }
  return `The Airflow API refused ${method} ${url} with ${status}: ${text}${tries}.`;
}

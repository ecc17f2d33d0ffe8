// The Astro API v1 as the emulator serves it: the routes the action uses, the same status
// codes (200 for creates, 204 for deletes), error bodies {message, requestId, statusCode}
// and strict validation of every body and paging parameter.
import type { Deploy, GitInfo, SubjectProfile } from '../src/astro/types.js';
import type { EmuReply, EmuRequest } from './http-types.js';
import { RUNTIME_RELEASES, type DeploymentRecord, type Model } from './model.js';
import { rollback, rollbackRefusal } from './rollback.js';
import type { Principal } from './tokens.js';
import { arr, bool, check, int, obj, str, type FieldError, type Schema } from './validate.js';

const DEPLOYMENT_TYPES = ['DEDICATED', 'HYBRID', 'STANDARD'] as const;
const EXECUTORS = ['ASTRO', 'CELERY', 'KUBERNETES'] as const;
const CLOUDS = ['AWS', 'AZURE', 'GCP'] as const;
const SIZES = ['SMALL', 'MEDIUM', 'LARGE', 'EXTRA_LARGE'] as const;
const MACHINES = ['A5', 'A10', 'A20', 'A40', 'A60', 'A120', 'A160'] as const;

const workerQueue = obj(
  {
    id: str(),
    name: str({ max: 63 }),
    isDefault: bool,
    maxWorkerCount: int(1),
    minWorkerCount: int(0),
    workerConcurrency: int(1),
    astroMachine: str({ enum: MACHINES }),
    nodePoolId: str(),
    podEphemeralStorage: str(),
  },
  ['name', 'isDefault', 'maxWorkerCount', 'minWorkerCount', 'workerConcurrency'],
);
const envVar = obj({ key: str(), isSecret: bool, value: str() }, ['key', 'isSecret']);
const scalingSpec = obj({
  hibernationSpec: obj({
    schedules: arr(
      obj({ hibernateAtCron: str(), wakeAtCron: str(), isEnabled: bool, description: str() }, [
        'hibernateAtCron',
        'wakeAtCron',
        'isEnabled',
      ]),
    ),
    override: obj({ isHibernating: bool, overrideUntil: str({ format: 'date-time' }) }),
  }),
});
const commonDeploymentFields: Record<string, Schema> = {
  name: str({ max: 500 }),
  workspaceId: str(),
  type: str({ enum: DEPLOYMENT_TYPES }),
  description: str({ max: 1000 }),
  executor: str({ enum: EXECUTORS }),
  isCicdEnforced: bool,
  isDagDeployEnabled: bool,
  isHighAvailability: bool,
  isDevelopmentMode: bool,
  schedulerSize: str({ enum: SIZES }),
  defaultTaskPodCpu: str(),
  defaultTaskPodMemory: str(),
  resourceQuotaCpu: str(),
  resourceQuotaMemory: str(),
  contactEmails: arr(str()),
  environmentVariables: arr(envVar),
  workerQueues: arr(workerQueue),
  workloadIdentity: str(),
  drWorkloadIdentity: str(),
  taskPodNodePoolId: str(),
  scheduler: obj({ au: int(5, 24), replicas: int(1, 4) }, ['au', 'replicas']),
  scalingSpec,
  // v1 DeploymentRemoteExecutionRequest (remoteApiUrl is only in responses).
  remoteExecution: obj(
    {
      enabled: bool,
      allowedIpAddressRanges: arr(str()),
      taskLogBucket: str(),
      taskLogUrlPattern: str(),
    },
    ['enabled'],
  ),
};
const createDeploymentSchema = obj(
  {
    ...commonDeploymentFields,
    astroRuntimeVersion: str(),
    cloudProvider: str({ enum: CLOUDS }),
    region: str(),
    clusterId: str(),
  },
  ['name', 'workspaceId'],
);
// Updates replace the Deployment's settings, so most fields are required.
const updateDeploymentSchema = obj(commonDeploymentFields, [
  'type',
  'name',
  'workspaceId',
  'executor',
  'isCicdEnforced',
  'isDagDeployEnabled',
  'environmentVariables',
]);
export const gitSchema = obj(
  {
    provider: str({ enum: ['GITHUB', 'GENERIC'] }),
    commitSha: str(),
    account: str(),
    repo: str(),
    remoteUrl: str(),
    branch: str(),
    path: str(),
    commitUrl: str(),
    authorName: str(),
    authorUsername: str(),
    authorUrl: str(),
    beforeCommitSha: str(),
  },
  ['provider', 'commitSha'],
);
const createDeploySchema = obj(
  {
    type: str({ enum: ['IMAGE_AND_DAG', 'IMAGE_ONLY', 'DAG_ONLY', 'BUNDLE'] }),
    description: str({ max: 500 }),
    bundleType: str(),
    bundleMountPath: str(),
    git: gitSchema,
  },
  ['type'],
);
const rollbackSchema = obj({ description: str({ max: 500 }) });
const finalizeSchema = obj({ dagTarballVersion: str(), bundleTarballVersion: str() });
const overrideSchema = obj({ isHibernating: bool, overrideUntil: str({ format: 'date-time' }) });

export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
  }
}

export function astroError(
  req: EmuRequest,
  status: number,
  message: string,
  fieldErrors?: FieldError[],
): EmuReply {
  return {
    status,
    json: {
      message,
      requestId: req.requestId,
      statusCode: status,
      ...(fieldErrors?.length ? { fieldErrors } : {}),
    },
  };
}

/** Serves one request below /v1 (path given without the /v1 prefix). */
export function handleAstro(model: Model, who: Principal, req: EmuRequest, path: string): EmuReply {
  return serve(model, req, () => route(model, who, req, path));
}

/**
 * One request of any API version: Deployments deleted longer ago than they linger are gone
 * first, and a Refusal becomes Astro's error reply.
 */
export function serve(model: Model, req: EmuRequest, handle: () => EmuReply): EmuReply {
  model.purgeDeleted(req.now);
  try {
    return handle();
  } catch (err) {
    if (err instanceof Refusal) return astroError(req, err.status, err.message, err.fieldErrors);
    throw err;
  }
}

/** The organization a request names, if the token may use it, and who acts. */
export function orgScope(model: Model, who: Principal, orgId: string) {
  if (who.organizationId && who.organizationId !== orgId) {
    throw new Refusal(403, `the API token has no access to organization ${orgId}`);
  }
  const org = model.organizations.find((o) => o.id === orgId);
  if (!org) throw new Refusal(404, `organization ${orgId} not found`);
  const by: SubjectProfile = { id: who.tokenId, subjectType: 'SERVICEKEY', apiTokenName: who.name };
  return { org, by };
}

function route(model: Model, who: Principal, req: EmuRequest, path: string): EmuReply {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const m = req.method;
  if (parts[0] !== 'organizations') throw new Refusal(404, `no route ${m} /v1${path}`);
  if (parts.length === 1) {
    allow(m, ['GET']);
    const orgs = model.organizations.filter(
      (o) => !who.organizationId || o.id === who.organizationId,
    );
    return ok(page(req, orgs, 'organizations'));
  }
  const orgId = parts[1];
  const { org, by } = orgScope(model, who, orgId);

  if (parts.length === 2) {
    allow(m, ['GET']);
    return ok(org);
  }
  const area = parts[2];

  if (area === 'workspaces') {
    if (parts.length === 3) {
      allow(m, ['GET']);
      const names = req.query.getAll('names');
      const ids = req.query.getAll('workspaceIds');
      const scopeWs =
        who.workspaceId ??
        (who.deploymentId ? model.deployments.get(who.deploymentId)?.dep.workspaceId : undefined);
      const list = model.workspaces.filter(
        (w) =>
          w.organizationId === orgId &&
          (!names.length || names.includes(w.name)) &&
          (!ids.length || ids.includes(w.id)) &&
          (!scopeWs || w.id === scopeWs),
      );
      return ok(page(req, list, 'workspaces'));
    }
    allow(m, ['GET']);
    const ws = model.workspaces.find((w) => w.id === parts[3] && w.organizationId === orgId);
    if (!ws) throw new Refusal(404, `workspace ${parts[3]} not found`);
    if (who.workspaceId && who.workspaceId !== ws.id)
      throw new Refusal(403, `the API token has no access to workspace ${ws.id}`);
    return ok(ws);
  }

  if (area === 'deployment-options' && parts.length === 3) {
    allow(m, ['GET']);
    return ok(deploymentOptions(model, who, req, orgId));
  }

  if (area !== 'deployments') throw new Refusal(404, `no route ${m} /v1${path}`);

  if (parts.length === 3) {
    allow(m, ['GET', 'POST']);
    if (m === 'GET') {
      const names = req.query.getAll('names');
      const ids = req.query.getAll('deploymentIds');
      const wss = req.query.getAll('workspaceIds');
      const list = [...model.deployments.values()]
        .filter((r) => r.dep.organizationId === orgId)
        .filter(
          (r) =>
            (!who.workspaceId || r.dep.workspaceId === who.workspaceId) &&
            (!who.deploymentId || r.dep.id === who.deploymentId),
        )
        .filter(
          (r) =>
            (!names.length || names.includes(r.dep.name)) &&
            (!ids.length || ids.includes(r.dep.id)) &&
            (!wss.length || wss.includes(r.dep.workspaceId)),
        );
      const p = page(req, list, 'deployments');
      p.deployments = (p.deployments as DeploymentRecord[]).map((r) => model.view(r, req.now));
      return ok(p);
    }
    const body = validBody(req, createDeploymentSchema);
    if (who.deploymentId)
      throw new Refusal(403, 'a Deployment API token cannot create Deployments');
    const ws = model.workspaces.find(
      (w) => w.id === body.workspaceId && w.organizationId === orgId,
    );
    if (!ws)
      throw new Refusal(400, `workspace ${String(body.workspaceId)} not found`, [
        { field: 'workspaceId', code: 'exists', message: 'workspace not found' },
      ]);
    if (who.workspaceId && who.workspaceId !== ws.id)
      throw new Refusal(403, `the API token has no access to workspace ${ws.id}`);
    checkDeploymentRules(body, 'create');
    checkNameFree(model, ws.id, String(body.name));
    // C3: the v1 create takes these fields but does not apply them ("the public v1
    // CreateDeployment API doesn't accept env vars or alert emails"): an update sets them.
    const { environmentVariables: _env, contactEmails: _emails, ...applied } = body;
    const rec = model.createDeployment(applied, by, req.now);
    return ok(model.view(rec, req.now));
  }

  const rec = deploymentFor(model, who, orgId, parts[3], m);
  const dep = rec.dep;

  if (parts.length === 4) {
    allow(m, ['GET', 'POST', 'DELETE']);
    if (m === 'GET') return ok(model.view(rec, req.now));
    if (m === 'DELETE') {
      if (who.deploymentId)
        throw new Refusal(403, 'a Deployment API token cannot delete Deployments');
      model.deleteDeployment(dep.id, req.now);
      return { status: 204 };
    }
    const body = validBody(req, updateDeploymentSchema);
    if (body.workspaceId !== dep.workspaceId) {
      throw new Refusal(400, 'a Deployment cannot move to another workspace', [
        {
          field: 'workspaceId',
          code: 'immutable',
          message: "workspaceId must be the Deployment's workspace",
        },
      ]);
    }
    if (body.type !== (dep.type ?? 'STANDARD')) {
      throw new Refusal(400, `type cannot change (the Deployment is ${dep.type})`, [
        { field: 'type', code: 'immutable', message: 'type cannot change' },
      ]);
    }
    if (model.options.refuseUpdatesWhileCreating && rec.creatingUntil > req.now)
      throw new Refusal(
        400,
        `Deployment ${dep.id} is still being created; update it once it is HEALTHY`,
      );
    checkDeploymentRules(body, 'update', dep.isDevelopmentMode);
    checkRemoteExecutionKept(body, dep);
    if (body.name !== dep.name) checkNameFree(model, dep.workspaceId, String(body.name));
    model.settle(rec, req.now);
    model.clearOmitted(rec, body);
    model.applyFields(rec, body, req.now);
    dep.updatedBy = by;
    return ok(model.view(rec, req.now));
  }

  const sub = parts[4];
  if (sub === 'hibernation-override' && parts.length === 5) {
    allow(m, ['POST', 'DELETE']);
    if (!dep.isDevelopmentMode)
      throw new Refusal(
        400,
        `Deployment ${dep.id} is not a development Deployment; only development Deployments can hibernate`,
      );
    if (m === 'DELETE') {
      if (!rec.override) throw new Refusal(404, `Deployment ${dep.id} has no hibernation override`);
      const wasHibernating = model.isHibernating(rec);
      rec.override = undefined;
      if (wasHibernating && !model.isHibernating(rec))
        rec.wakingUntil = req.now + model.options.wakeDelayMs;
      return { status: 204 };
    }
    const body = validBody(req, overrideSchema);
    if (body.overrideUntil !== undefined && Date.parse(String(body.overrideUntil)) <= req.now) {
      throw new Refusal(400, 'overrideUntil must be in the future', [
        { field: 'overrideUntil', code: 'future', message: 'overrideUntil must be in the future' },
      ]);
    }
    const wasHibernating = model.isHibernating(rec);
    const isHibernating = body.isHibernating === undefined ? true : Boolean(body.isHibernating);
    rec.override = {
      isActive: true,
      isHibernating,
      ...(body.overrideUntil ? { overrideUntil: String(body.overrideUntil) } : {}),
    };
    if (wasHibernating && !isHibernating) rec.wakingUntil = req.now + model.options.wakeDelayMs;
    return ok({ ...rec.override });
  }

  if (sub !== 'deploys') throw new Refusal(404, `no route ${m} /v1${path}`);

  if (parts.length === 5) {
    allow(m, ['GET', 'POST']);
    if (m === 'GET') {
      model.settle(rec, req.now); // deployStatusAt rollout-end: statuses settle on read
      const p = page(req, model.deploysOf(dep.id), 'deploys');
      p.deploys = (p.deploys as { deploy: Deploy }[]).map((r) => deployView(r.deploy));
      return ok(p);
    }
    const blocked = model.deployBlocked(rec, req.now, 'create');
    if (blocked) throw new Refusal(400, blocked);
    const body = validBody(req, createDeploySchema) as {
      type: string;
      description?: string;
      bundleType?: string;
      bundleMountPath?: string;
      git?: GitInfo;
    };
    const errors: FieldError[] = [];
    if (body.type === 'BUNDLE') {
      if (!body.bundleType)
        errors.push({
          field: 'bundleType',
          code: 'required_if',
          message: 'bundleType is required for BUNDLE deploys',
        });
      if (!body.bundleMountPath)
        errors.push({
          field: 'bundleMountPath',
          code: 'required_if',
          message: 'bundleMountPath is required for BUNDLE deploys',
        });
    } else {
      if (body.bundleType !== undefined)
        errors.push({
          field: 'bundleType',
          code: 'excluded_unless',
          message: 'bundleType is only for BUNDLE deploys',
        });
      if (body.bundleMountPath !== undefined)
        errors.push({
          field: 'bundleMountPath',
          code: 'excluded_unless',
          message: 'bundleMountPath is only for BUNDLE deploys',
        });
    }
    if (body.git) errors.push(...gitRules(body.git));
    if (errors.length) throw new Refusal(400, 'invalid request body', errors);
    // C12: a Remote Execution Deployment's DAGs come from its agents' DAG bundles.
    if ((body.type === 'DAG_ONLY' || body.type === 'BUNDLE') && dep.remoteExecution?.enabled) {
      throw new Refusal(
        400,
        `${body.type} deploys are not supported on Remote Execution Deployment ${dep.id}: DAG deploys are disabled; its DAGs come from the Remote Execution agents' DAG bundles`,
      );
    }
    if ((body.type === 'DAG_ONLY' || body.type === 'BUNDLE') && !dep.isDagDeployEnabled) {
      throw new Refusal(
        400,
        `${body.type} deploys need DAG deploys, which are not enabled on Deployment ${dep.id}`,
      );
    }
    // Astro's docs: with DAG deploys disabled "Image-only and DAG-only deploys do not work"
    // (the DAGs must ride in the image). The exact refusal is undocumented; a 400 like the
    // DAG_ONLY one is the plausible shape. Remote Execution is the exception (the CLI
    // allows image-only there: the image never carries the DAGs).
    const remoteImageOnly = dep.remoteExecution?.enabled && !model.options.refuseRemoteImageOnly;
    if (body.type === 'IMAGE_ONLY' && !dep.isDagDeployEnabled && !remoteImageOnly) {
      throw new Refusal(
        400,
        `IMAGE_ONLY deploys need DAG deploys, which are not enabled on Deployment ${dep.id}; deploy IMAGE_AND_DAG with the DAGs in the image`,
      );
    }
    const made = model.createDeploy(rec, body, by, req.now);
    return ok(deployView(made.deploy));
  }

  const record = model.deploys.get(parts[5]);
  if (!record || record.deploy.deploymentId !== dep.id)
    throw new Refusal(404, `deploy ${parts[5]} not found`);
  if (parts.length === 6) {
    allow(m, ['GET']);
    model.settle(rec, req.now);
    return ok(deployView(record.deploy));
  }
  if (parts[6] === 'rollback' && parts.length === 7) {
    allow(m, ['POST']);
    const body = validBody(req, rollbackSchema) as { description?: string };
    model.settle(rec, req.now); // the target's status as of now (deployStatusAt rollout-end)
    const refusal = rollbackRefusal(model, org, rec, record, req.now);
    if (refusal) throw new Refusal(refusal.status, refusal.message);
    return ok(deployView(rollback(model, rec, record, body.description, by, req.now)));
  }
  if (parts[6] !== 'finalize' || parts.length !== 7)
    throw new Refusal(404, `no route ${m} /v1${path}`);
  allow(m, ['POST']);
  const body = validBody(req, finalizeSchema) as {
    dagTarballVersion?: string;
    bundleTarballVersion?: string;
  };
  const deploy = record.deploy;
  // Finalized already: DEPLOYED, or (deployStatusAt rollout-end) INITIALIZED while it rolls out.
  if (deploy.status !== 'INITIALIZED' || record.finalizeCount > 0) {
    record.repeatedFinalizes++;
    throw new Refusal(400, `deploy ${deploy.id} is already finalized (status ${deploy.status})`);
  }
  const blocked = model.deployBlocked(rec, req.now);
  if (blocked) throw new Refusal(400, blocked);
  const isBundle = Boolean(deploy.bundleUploadUrl);
  const needsDags =
    !isBundle &&
    deploy.isDagDeployEnabled &&
    (deploy.type === 'IMAGE_AND_DAG' || deploy.type === 'DAG_ONLY');
  const dags = body.dagTarballVersion || undefined;
  const bundle = body.bundleTarballVersion || undefined;
  // C12: the CLI finalizes a Remote Execution deploy with {} (there is no DAG upload).
  if (body.dagTarballVersion !== undefined && dep.remoteExecution?.enabled) {
    throw new Refusal(
      400,
      `dagTarballVersion is not accepted for a deploy to Remote Execution Deployment ${dep.id}: DAG deploys are disabled; finalize with {}`,
      [
        {
          field: 'dagTarballVersion',
          code: 'excluded_if',
          message: 'dagTarballVersion cannot be set with Remote Execution',
        },
      ],
    );
  }
  if (needsDags && !dags) {
    throw new Refusal(400, `dagTarballVersion is required to finalize a ${deploy.type} deploy`, [
      { field: 'dagTarballVersion', code: 'required', message: 'dagTarballVersion is required' },
    ]);
  }
  if (dags && !record.uploads.dags.has(dags)) {
    throw new Refusal(
      400,
      `dagTarballVersion ${dags} was not uploaded to this deploy's dagsUploadUrl`,
      [{ field: 'dagTarballVersion', code: 'unknown', message: 'no such upload' }],
    );
  }
  if (isBundle && !bundle) {
    throw new Refusal(400, 'bundleTarballVersion is required to finalize a BUNDLE deploy', [
      {
        field: 'bundleTarballVersion',
        code: 'required',
        message: 'bundleTarballVersion is required',
      },
    ]);
  }
  if (bundle && !record.uploads.bundle.has(bundle)) {
    throw new Refusal(
      400,
      `bundleTarballVersion ${bundle} was not uploaded to this deploy's bundleUploadUrl`,
      [{ field: 'bundleTarballVersion', code: 'unknown', message: 'no such upload' }],
    );
  }
  model.finalize(rec, record, { dags, bundle }, req.now);
  return ok(deployView(deploy));
}

/** The Deployment of a path id, after the token's scope is checked. */
export function deploymentFor(
  model: Model,
  who: Principal,
  orgId: string,
  id: string,
  method = 'GET',
): DeploymentRecord {
  if (who.deploymentId && who.deploymentId !== id)
    throw new Refusal(403, `the API token has no access to Deployment ${id}`);
  const rec = model.deployments.get(id);
  if (!rec || rec.dep.organizationId !== orgId)
    throw new Refusal(404, `Deployment ${id} not found`);
  if (who.workspaceId && who.workspaceId !== rec.dep.workspaceId)
    throw new Refusal(403, `the API token has no access to Deployment ${id}`);
  // [inferred] A deleted Deployment may still be listed and read while it lingers, but takes
  // nothing more: no update, deploy, finalize, override, rollback or second DELETE.
  if (rec.deletedAt !== undefined && method !== 'GET')
    throw new Refusal(404, `Deployment ${id} not found`);
  return rec;
}

/** [inferred] Names are unique in a workspace; a second one is refused (status: a flag). */
function checkNameFree(model: Model, workspaceId: string, name: string): void {
  for (const r of model.deployments.values()) {
    if (r.dep.workspaceId === workspaceId && r.dep.name === name) {
      throw new Refusal(
        model.options.duplicateNameStatus ?? 400,
        `a Deployment named ${name} already exists in workspace ${workspaceId}`,
        [{ field: 'name', code: 'unique', message: 'a Deployment with this name already exists' }],
      );
    }
  }
}

/**
 * [inferred] A name starts and ends with a letter or a digit (`_x_prod` and `.x_prod` are
 * refused). No Astro source states this rule; it is the strict guess the product's names are
 * built to satisfy (src/preview/names.ts), so a name that breaks it fails here, not on Astro.
 */
const NAME_EDGES = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su;

/**
 * [inferred] Remote Execution is chosen when a Deployment is created: an update must send it
 * as it is (the CLI's update always does), so an update cannot turn it on or off.
 */
function checkRemoteExecutionKept(body: Record<string, unknown>, dep: DeploymentRecord['dep']) {
  const wanted = (body.remoteExecution as { enabled?: boolean } | undefined)?.enabled === true;
  if (wanted !== (dep.remoteExecution?.enabled === true)) {
    throw new Refusal(400, `remoteExecution.enabled cannot change on Deployment ${dep.id}`, [
      { field: 'remoteExecution.enabled', code: 'immutable', message: 'cannot change' },
    ]);
  }
}

/** C12: Remote Execution needs a Dedicated Deployment with the ASTRO executor on Airflow 3. */
function remoteExecutionRules(body: Record<string, unknown>, type: string): FieldError[] {
  if ((body.remoteExecution as { enabled?: boolean } | undefined)?.enabled !== true) return [];
  const errors: FieldError[] = [];
  const rule = (field: string, message: string) =>
    errors.push({ field, code: 'excluded_if', message });
  if (type !== 'DEDICATED') rule('type', 'Remote Execution needs a DEDICATED Deployment');
  if ((body.executor ?? 'ASTRO') !== 'ASTRO')
    rule('executor', 'Remote Execution needs the ASTRO executor');
  if (body.isDagDeployEnabled === true)
    rule('isDagDeployEnabled', 'DAG deploys cannot be enabled with Remote Execution');
  const release = RUNTIME_RELEASES.find((r) => r.version === body.astroRuntimeVersion);
  if (release && !release.airflowVersion.startsWith('3.'))
    rule('astroRuntimeVersion', 'Remote Execution needs Airflow 3');
  return errors;
}

function checkDeploymentRules(
  body: Record<string, unknown>,
  mode: 'create' | 'update',
  /** update: the Deployment's mode, when the body does not say. */
  wasDevelopmentMode?: boolean,
): void {
  const type = (body.type as string | undefined) ?? 'STANDARD';
  const errors: FieldError[] = remoteExecutionRules(body, type);
  if (typeof body.name === 'string' && !NAME_EDGES.test(body.name)) {
    errors.push({
      field: 'name',
      code: 'format',
      message: 'name must start and end with a letter or a digit',
    });
  }
  // The CLI and the API apply worker queues only to CELERY and ASTRO executors.
  if (body.executor === 'KUBERNETES' && body.workerQueues !== undefined) {
    errors.push({
      field: 'workerQueues',
      code: 'excluded_if',
      message: 'workerQueues cannot be set with the KUBERNETES executor',
    });
  }
  // Only development Deployments hibernate, so only they take hibernation schedules.
  const spec = body.scalingSpec as { hibernationSpec?: { schedules?: unknown[] } } | undefined;
  const dev = (body.isDevelopmentMode as boolean | undefined) ?? wasDevelopmentMode ?? false;
  if (spec?.hibernationSpec?.schedules?.length && !dev) {
    errors.push({
      field: 'scalingSpec.hibernationSpec.schedules',
      code: 'excluded_unless',
      message: 'hibernation schedules are only for development Deployments (isDevelopmentMode)',
    });
  }
  if (
    mode === 'create' &&
    body.astroRuntimeVersion !== undefined &&
    !RUNTIME_RELEASES.some((r) => r.version === body.astroRuntimeVersion)
  ) {
    errors.push({
      field: 'astroRuntimeVersion',
      code: 'oneof',
      message: `unknown Astro Runtime version ${String(body.astroRuntimeVersion)}`,
    });
  }
  if (
    (body.cloudProvider === undefined) !== (body.region === undefined) &&
    body.clusterId === undefined &&
    type === 'STANDARD'
  ) {
    errors.push({
      field: 'region',
      code: 'required_with',
      message: 'cloudProvider and region go together',
    });
  }
  if (type === 'HYBRID') {
    for (const f of [
      'schedulerSize',
      'isHighAvailability',
      'isDevelopmentMode',
      'scalingSpec',
      'cloudProvider',
      'region',
    ]) {
      if (body[f] !== undefined)
        errors.push({ field: f, code: 'excluded', message: `${f} is not for HYBRID Deployments` });
    }
    if (body.executor === 'ASTRO')
      errors.push({
        field: 'executor',
        code: 'oneof',
        message: 'HYBRID Deployments use CELERY or KUBERNETES',
      });
    if (mode === 'update' && body.scheduler === undefined)
      errors.push({ field: 'scheduler', code: 'required', message: 'scheduler is required' });
  } else {
    if (body.scheduler !== undefined)
      errors.push({
        field: 'scheduler',
        code: 'excluded',
        message: 'scheduler is only for HYBRID Deployments',
      });
    if (mode === 'update') {
      for (const f of ['isHighAvailability', 'schedulerSize'])
        if (body[f] === undefined)
          errors.push({ field: f, code: 'required', message: `${f} is required` });
    }
  }
  const queues = (body.workerQueues as Record<string, unknown>[] | undefined) ?? [];
  queues.forEach((q, i) => {
    if (type === 'HYBRID' ? !q.nodePoolId : !q.astroMachine) {
      const f = type === 'HYBRID' ? 'nodePoolId' : 'astroMachine';
      errors.push({
        field: `workerQueues[${i}].${f}`,
        code: 'required',
        message: `${f} is required`,
      });
    }
  });
  if (body.executor === 'CELERY' && queues.length && !queues.some((q) => q.name === 'default')) {
    errors.push({
      field: 'workerQueues',
      code: 'default',
      message: 'a worker queue named default is required',
    });
  }
  if (errors.length) throw new Refusal(400, 'invalid request body', errors);
}

export function gitRules(git: GitInfo): FieldError[] {
  const errors: FieldError[] = [];
  const need = (f: keyof GitInfo, why: string) =>
    !git[f] &&
    errors.push({ field: `git.${f}`, code: 'required_if', message: `git.${f} is required ${why}` });
  const forbid = (f: keyof GitInfo, why: string) =>
    git[f] &&
    errors.push({
      field: `git.${f}`,
      code: 'excluded_if',
      message: `git.${f} must be empty ${why}`,
    });
  if (git.provider === 'GITHUB') {
    need('account', 'for GITHUB');
    need('repo', 'for GITHUB');
    forbid('remoteUrl', 'for GITHUB');
  } else {
    need('remoteUrl', 'for GENERIC');
    forbid('account', 'for GENERIC');
    forbid('repo', 'for GENERIC');
  }
  return errors;
}

export function deployView(deploy: Deploy): Deploy {
  return structuredClone(deploy);
}

function deploymentOptions(model: Model, who: Principal, req: EmuRequest, orgId: string) {
  const errors: FieldError[] = [];
  const enumParam = (name: string, values: readonly string[]) => {
    const v = req.query.get(name);
    if (v !== null && !values.includes(v))
      errors.push({
        field: name,
        code: 'oneof',
        message: `${name} must be one of ${values.join(', ')}`,
      });
  };
  enumParam('deploymentType', DEPLOYMENT_TYPES);
  enumParam('executor', EXECUTORS);
  enumParam('cloudProvider', CLOUDS);
  if (errors.length) throw new Refusal(400, 'invalid query parameters', errors);
  const deploymentId = req.query.get('deploymentId');
  if (deploymentId) deploymentFor(model, who, orgId, deploymentId);
  const range = (floor: number, ceiling: number, def: number) => ({ floor, ceiling, default: def });
  return {
    executors: [...EXECUTORS],
    runtimeReleases: RUNTIME_RELEASES.map((r) => ({
      ...r,
      airflowDatabaseMigration: false,
      stellarDatabaseMigration: false,
    })),
    schedulerMachines: SIZES.map((name, i) => ({
      name,
      spec: { cpu: String(2 ** i), memory: `${2 ** (i + 1)}Gi` },
    })),
    workerMachines: MACHINES.map((name) => ({
      name,
      spec: {
        cpu: String(Number(name.slice(1)) / 5),
        memory: `${(Number(name.slice(1)) / 5) * 2}Gi`,
      },
      concurrency: range(1, Number(name.slice(1)) * 2, Number(name.slice(1))),
    })),
    workerQueues: {
      maxWorkers: range(1, 100, 10),
      minWorkers: range(0, 100, 0),
      workerConcurrency: range(1, 320, 5),
    },
    resourceQuotas: {
      defaultPodSize: {
        cpu: { floor: '0.25', ceiling: '8', default: '0.25' },
        memory: { floor: '0.5Gi', ceiling: '16Gi', default: '0.5Gi' },
      },
      resourceQuota: {
        cpu: { floor: '1', ceiling: '1000', default: '10' },
        memory: { floor: '2Gi', ceiling: '2000Gi', default: '20Gi' },
      },
    },
  };
}

// ---- helpers ----

export function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) throw new Refusal(405, `method ${method} not allowed here`);
}

export function ok(json: unknown): EmuReply {
  return { status: 200, json };
}

export function validBody(req: EmuRequest, schema: Schema): Record<string, unknown> {
  let body: unknown;
  try {
    body = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
  } catch {
    throw new Refusal(400, 'request body is not valid JSON');
  }
  const errors = check(schema, body);
  if (errors.length)
    throw new Refusal(
      400,
      `invalid request body: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    );
  return body as Record<string, unknown>;
}

/** One page of a list, with paging parameters checked like the API does. */
export function page<T>(req: EmuRequest, items: T[], key: string): Record<string, unknown> {
  const errors: FieldError[] = [];
  const num = (name: string, def: number, max?: number) => {
    const raw = req.query.get(name);
    if (raw === null) return def;
    if (!/^\d+$/.test(raw)) {
      errors.push({ field: name, code: 'type', message: `${name} must be a non-negative integer` });
      return def;
    }
    const n = Number(raw);
    if (max !== undefined && n > max)
      errors.push({ field: name, code: 'max', message: `${name} must be at most ${max}` });
    return n;
  };
  const offset = num('offset', 0);
  const limit = num('limit', 20, 1000);
  if (errors.length)
    throw new Refusal(400, `invalid paging: ${errors.map((e) => e.message).join('; ')}`, errors);
  return { [key]: items.slice(offset, offset + limit), limit, offset, totalCount: items.length };
}

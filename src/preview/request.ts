// The requests that make a preview a copy of its base (pure): the create body, the update
// that follows it, and what Astro did not keep.
import type { Deployment, DeploymentRequest } from '../astro/types.js';
import { previewDescription } from './names.js';
import { PreviewError } from './lookup.js';
import type { PreviewOverrides } from './overrides.js';

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** What the v1 create does not apply (Astronomer's CLI: the v1 create ignores them): set by an update right after it. */
export interface PreviewFollowUp {
  environmentVariables: { key: string; isSecret: boolean; value?: string }[];
  contactEmails: string[];
}

/** Worker queues apply only to CELERY and ASTRO executors (the API refuses them otherwise). */
const takesQueues = (executor: string | undefined) => executor !== 'KUBERNETES';

/** Where the preview is created: the base's region (Astro Hosted) or cluster. */
function locationOf(base: Deployment, standard: boolean) {
  return standard && base.cloudProvider && base.region
    ? { cloudProvider: base.cloudProvider, region: base.region }
    : base.clusterId
      ? { clusterId: base.clusterId }
      : {};
}

/** The hibernation schedules of a development base. */
function copiedSchedules(base: Deployment) {
  return base.isDevelopmentMode
    ? base.scalingSpec?.hibernationSpec?.schedules?.map((x) =>
        defined({
          hibernateAtCron: x.hibernateAtCron,
          wakeAtCron: x.wakeAtCron,
          isEnabled: x.isEnabled,
          description: x.description,
        }),
      )
    : undefined;
}

/** A Deployment's worker queues (machines on Hosted, node pools on Hybrid); ids for an update. */
function copiedQueues(base: Deployment, hybrid: boolean, withIds = false) {
  return base.workerQueues?.map((q) =>
    defined({
      id: withIds ? q.id : undefined,
      name: q.name,
      isDefault: q.isDefault,
      maxWorkerCount: q.maxWorkerCount,
      minWorkerCount: q.minWorkerCount,
      workerConcurrency: q.workerConcurrency,
      astroMachine: hybrid ? undefined : q.astroMachine,
      nodePoolId: hybrid ? q.nodePoolId : undefined,
      podEphemeralStorage: q.podEphemeralStorage,
    }),
  );
}

/**
 * A Remote Execution Deployment's settings, as the Astro CLI's template copies them (its
 * remoteApiUrl is Astro's, not a setting). A preview of one is Remote Execution too, and like
 * the template it sends no task pod sizes or quotas (the agents run the tasks).
 */
function copiedRemoteExecution(d: Deployment): DeploymentRequest['remoteExecution'] {
  const re = d.remoteExecution;
  if (!re?.enabled) return undefined;
  return defined({
    enabled: true,
    allowedIpAddressRanges: re.allowedIpAddressRanges,
    taskLogBucket: re.taskLogBucket,
    taskLogUrlPattern: re.taskLogUrlPattern,
  });
}

/** The overrides replace the copied fields whole (a location replaces the other kind). */
function applyOverrides(body: DeploymentRequest, rest: Partial<DeploymentRequest>): void {
  Object.assign(body, rest);
  if (rest.clusterId !== undefined) {
    delete body.cloudProvider;
    delete body.region;
  } else if (rest.cloudProvider !== undefined || rest.region !== undefined) {
    delete body.clusterId;
  }
  // `scalingSpec: {}` (or no schedules) in preview-overrides drops the copied schedules.
  const spec = body.scalingSpec?.hibernationSpec;
  if (body.scalingSpec && !spec?.schedules?.length && !spec?.override) delete body.scalingSpec;
}

/**
 * The create body of a preview: a copy of the base with `overrides` applied last (pure).
 * Secret environment variables cannot be read back, so they are left out and their keys
 * returned (unless an override supplies them). Overrides replace fields whole, except
 * `environmentVariables` (merged by key, the override winning) and `description` (kept
 * after the marker sentence, which always comes first).
 * Like Astronomer's own template (Astronomer's CLI: the v1 create ignores them): never the base's workload identity (only
 * one set in `overrides`); worker queues only for executors that take them; the hibernation
 * schedules of a development base. Environment variables and contact emails are not in the
 * body, since the v1 create ignores them: they come back in `followUp`, for an update.
 */
export function previewRequest(
  base: Deployment,
  args: { name: string; branch: string; overrides?: PreviewOverrides },
): { body: DeploymentRequest; omittedSecrets: string[]; followUp: PreviewFollowUp } {
  const overrides = args.overrides ?? {};
  const hybrid = base.type === 'HYBRID';
  const executor = overrides.executor ?? base.executor;
  const development = !hybrid && (overrides.isDevelopmentMode ?? base.isDevelopmentMode) === true;
  const standard = base.type === 'STANDARD' || (base.type === undefined && !base.clusterId);

  const location = locationOf(base, standard);
  const remoteExecution = copiedRemoteExecution(base);
  const podSizes = !hybrid && !remoteExecution;

  const { env, omittedSecrets } = copiedEnv(base);
  const schedules = copiedSchedules(base);
  const queues = copiedQueues(base, hybrid);

  const body: DeploymentRequest = defined({
    name: args.name,
    workspaceId: base.workspaceId,
    type: base.type,
    description: previewDescription(base.id, base.name, args.branch),
    astroRuntimeVersion: base.astroRuntimeVersion || base.runtimeVersion,
    executor: base.executor,
    ...location,
    schedulerSize: hybrid ? undefined : base.schedulerSize,
    isHighAvailability: hybrid ? undefined : base.isHighAvailability,
    isDevelopmentMode: hybrid ? undefined : base.isDevelopmentMode,
    isDagDeployEnabled: base.isDagDeployEnabled,
    isCicdEnforced: base.isCicdEnforced,
    defaultTaskPodCpu: podSizes ? base.defaultTaskPodCpu : undefined,
    defaultTaskPodMemory: podSizes ? base.defaultTaskPodMemory : undefined,
    resourceQuotaCpu: podSizes ? base.resourceQuotaCpu : undefined,
    resourceQuotaMemory: podSizes ? base.resourceQuotaMemory : undefined,
    remoteExecution,
    scheduler:
      hybrid && base.schedulerAu !== undefined
        ? { au: base.schedulerAu, replicas: base.schedulerReplicas }
        : undefined,
    taskPodNodePoolId: hybrid ? base.taskPodNodePoolId : undefined,
    workerQueues: takesQueues(executor) ? queues : undefined,
    scalingSpec: development && schedules?.length ? { hibernationSpec: { schedules } } : undefined,
  });

  // Overrides, last.
  const {
    environmentVariables: envOverride,
    contactEmails: emailsOverride,
    description: note,
    ...rest
  } = overrides;
  if (!takesQueues(executor) && rest.workerQueues !== undefined) {
    throw new PreviewError(
      'overrides',
      `preview-overrides sets workerQueues, but the preview's executor is ${executor}, which takes no worker queues ` +
        `(they apply to CELERY and ASTRO): remove workerQueues from preview-overrides or set executor: CELERY.`,
    );
  }
  applyOverrides(body, rest);
  if (note !== undefined)
    body.description = previewDescription(base.id, base.name, args.branch, note);
  let environmentVariables = env;
  if (envOverride) {
    const merged = new Map(env.map((e) => [e.key, e]));
    for (const e of envOverride) merged.set(e.key, e);
    environmentVariables = [...merged.values()];
  }
  const supplied = new Set((envOverride ?? []).map((e) => e.key));
  return {
    body,
    omittedSecrets: omittedSecrets.filter((k) => !supplied.has(k)),
    followUp: {
      environmentVariables,
      contactEmails: [...(emailsOverride ?? base.contactEmails ?? [])],
    },
  };
}

/** The base's plain environment variables, and the keys of its secret ones (never readable). */
function copiedEnv(base: Deployment) {
  const omittedSecrets: string[] = [];
  const env: { key: string; isSecret: boolean; value?: string }[] = [];
  for (const v of base.environmentVariables ?? []) {
    if (v.isSecret) omittedSecrets.push(v.key);
    else env.push({ key: v.key, isSecret: false, value: v.value ?? '' });
  }
  return { env, omittedSecrets };
}

/**
 * The update that gives a new preview what its create could not (pure). An update replaces
 * the Deployment's settings, so it carries every field of the
 * Update…Request for the Deployment's type, taken from the Deployment as read, plus `set`.
 * The workload identity only when preview-overrides chose one (never the effective one).
 */
export function previewUpdateRequest(
  preview: Deployment,
  set: PreviewFollowUp,
  workloadIdentity?: string,
): DeploymentRequest {
  const hybrid = preview.type === 'HYBRID';
  const schedules = preview.scalingSpec?.hibernationSpec?.schedules;
  const queues = takesQueues(preview.executor) ? copiedQueues(preview, hybrid, true) : undefined;
  return defined({
    type: preview.type ?? 'STANDARD',
    name: preview.name,
    workspaceId: preview.workspaceId,
    description: preview.description,
    executor: preview.executor,
    isCicdEnforced: preview.isCicdEnforced,
    isDagDeployEnabled: preview.isDagDeployEnabled,
    ...(hybrid
      ? {
          scheduler:
            preview.schedulerAu !== undefined
              ? { au: preview.schedulerAu, replicas: preview.schedulerReplicas }
              : undefined,
          taskPodNodePoolId: preview.taskPodNodePoolId,
        }
      : {
          isHighAvailability: preview.isHighAvailability ?? false,
          schedulerSize: preview.schedulerSize,
          isDevelopmentMode: preview.isDevelopmentMode,
          defaultTaskPodCpu: preview.defaultTaskPodCpu,
          defaultTaskPodMemory: preview.defaultTaskPodMemory,
          resourceQuotaCpu: preview.resourceQuotaCpu,
          resourceQuotaMemory: preview.resourceQuotaMemory,
          scalingSpec:
            preview.isDevelopmentMode && schedules?.length
              ? { hibernationSpec: { schedules } }
              : undefined,
        }),
    workerQueues: queues?.length ? queues : undefined,
    environmentVariables: set.environmentVariables,
    contactEmails: set.contactEmails,
    workloadIdentity,
    // An update carries Remote Execution as it is (it cannot be turned on or off by one).
    remoteExecution: copiedRemoteExecution(preview),
  }) as DeploymentRequest;
}

/**
 * What of `set` the Deployment lacks, as one phrase per kind (empty: everything arrived).
 * Secret values are never returned, so a secret counts as there when its key is.
 */
export function missingFollowUp(preview: Deployment, set: PreviewFollowUp): string[] {
  const have = new Map((preview.environmentVariables ?? []).map((v) => [v.key, v]));
  const vars = set.environmentVariables
    .filter((e) => {
      const got = have.get(e.key);
      return !got || (!e.isSecret && (got.value ?? '') !== (e.value ?? ''));
    })
    .map((e) => e.key);
  const emails = new Set(preview.contactEmails ?? []);
  const lost = set.contactEmails.filter((m) => !emails.has(m));
  return [
    ...(vars.length ? [`environment variables ${vars.join(', ')}`] : []),
    ...(lost.length ? [`contact emails ${lost.join(', ')}`] : []),
  ];
}

/**
 * The base's secret variables the preview still lacks: on a reused preview, what its
 * creation could not copy and nobody has set since (so later comments keep saying so).
 */
export function missingSecrets(base: Deployment, preview: Deployment): string[] {
  const have = new Set((preview.environmentVariables ?? []).map((v) => v.key));
  return (base.environmentVariables ?? [])
    .filter((v) => v.isSecret && !have.has(v.key))
    .map((v) => v.key);
}

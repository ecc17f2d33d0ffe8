// Preview Deployments: find, create (a copy of the base) and delete, guarded by the marker
// sentence (see names.ts).
//
// The guard: nothing but a preview of this base for this branch is ever deleted or deployed
// to, and the base itself never is.
// - A Deployment with our name counts only when its description carries the marker for
//   (base id, branch). With our name but without the marker it is "foreign": we refuse to
//   touch it and say how to get out of the way.
// - Previews made by Astronomer's deploy-action carry no marker: it named them
//   `<last branch segment>_<base name>` and copied the base's description. A Deployment with
//   that legacy name is accepted only when ALL of these hold:
//     * the legacy name differs from our name (when they are equal, e.g. branch `main`, the
//       marker rule above wins: the computed name without the sentence is foreign, as the
//       interface says; the error tells the owner of a deploy-action preview how to adopt it);
//     * it is in the base's workspace, is not the base (by id and by name);
//     * its description carries no marker sentence at all (a marked Deployment is one of
//       ours for another base or branch);
//     * it sits where deploy-action's copy of the base would: same type and same cluster /
//       cloud provider / region as the base (fixed at creation on Astro, so a copy made from
//       the base's template keeps them);
//     * exactly one Deployment qualifies (several → none is taken, with a warning).
//   Why that is safe enough: a Deployment named `<branch segment>_<base name>` next to the
//   base, on the base's cluster, carrying no marker, is what deploy-action left for this branch
//   name; deploy-action itself deleted by exactly this name with no check at all. What remains is
//   deploy-action's own ambiguity (`a/fix` and `b/fix` share `fix_<base>`), which we cannot undo
//   for previews it made; ours never share names.

import type { AstroApi, Deployment, DeploymentRequest } from '../astro/types.js';
import type { Log } from '../platform/log.js';
import { poll, type Clock } from '../platform/clock.js';
import {
  hasAnyMarker,
  hasMarker,
  legacyPreviewName,
  previewDescription,
  previewMarker,
  previewName,
} from './names.js';
import type { PreviewOverrides } from './overrides.js';
import { pending } from '../cancel.js';

export type PreviewErrorKind =
  'foreign' | 'base-name' | 'not-found' | 'not-ready' | 'overrides' | 'settings-lost';

/** A preview problem a user can act on; the message says what, why and what to do. */
export class PreviewError extends Error {
  override name = 'PreviewError';
  constructor(
    readonly kind: PreviewErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface FindResult {
  /** The preview of this base for this branch. */
  preview?: Deployment;
  /** True when `preview` was recognised by deploy-action's (legacy) name. */
  legacy?: boolean;
  /** A Deployment with our name that is not a preview of this base for this branch. */
  foreign?: Deployment;
}

export interface PreviewArgs {
  api: AstroApi;
  /** The base Deployment (as read from the API). */
  base: Deployment;
  /** The branch (a `refs/heads/` prefix is ignored by the names module). */
  branch: string;
  /** The preview's name: `previewName(...)` (the `preview-name` input when given). */
  name: string;
  /**
   * Also look for a preview deploy-action made under `<last segment>_<base name>`. Default: when
   * `name` is the default name for this branch and base (with `preview-name` given,
   * deploy-action used that name as it was, so the legacy name does not apply).
   */
  legacy?: boolean;
  log: Log;
}

const where = (base: Deployment) =>
  base.workspaceName ? `${base.workspaceName} (${base.workspaceId})` : base.workspaceId;

/** The error for a Deployment that has our name but is not our preview. */
export function foreignMessage(foreign: Deployment, base: Deployment, branch: string): string {
  const marker = previewMarker(base.id, branch);
  return (
    `A Deployment named "${foreign.name}" (${foreign.id}) exists in workspace ${where(base)} but is not a preview of ` +
    `${base.name} (${base.id}) for branch ${branch} (its description lacks the marker sentence "${marker}"); ` +
    `refusing to touch it. Set preview-name to another name or rename that Deployment. ` +
    `If it is this branch's preview made by Astronomer's deploy-action, add that sentence to its description and run again.`
  );
}

/**
 * The error for deploy-deployment-preview when the branch has no preview yet. Give `base`
 * (the Deployment) when at hand, else at least `baseName`.
 */
export function noPreviewMessage(args: {
  base?: Deployment;
  baseName?: string;
  branch: string;
  name: string;
  legacyName?: string;
}): string {
  const { base, branch, name, legacyName } = args;
  const baseName = base?.name ?? args.baseName ?? 'the base Deployment';
  const names =
    legacyName && legacyName !== name
      ? `"${name}" (or the deploy-action name "${legacyName}")`
      : `"${name}"`;
  const what = base
    ? `no Deployment named ${names} in workspace ${where(base)} is marked "${previewMarker(base.id, branch)}"`
    : `no Deployment named ${names} is marked as its preview`;
  return (
    `No preview of ${baseName}${base ? ` (${base.id})` : ''} for branch ${branch} was found: ${what}. Create it first: ` +
    `run this action with action: create-deployment-preview (or action: preview) for this branch, then deploy to it.`
  );
}

function baseNameMessage(base: Deployment): string {
  return (
    `The preview name "${base.name}" is the name of the base Deployment (${base.id}); a preview must have a name of ` +
    `its own, and the base is never created, replaced or deleted as a preview. Set preview-name to another name or leave it empty.`
  );
}

/**
 * Whether to look for deploy-action's name too: as asked, else only when `name` is the default
 * name (with preview-name given, deploy-action used that name as it was).
 */
function usesLegacy(args: PreviewArgs): boolean {
  if (args.legacy !== undefined) return args.legacy;
  try {
    return args.name === previewName({ branch: args.branch, baseName: args.base.name });
  } catch {
    return false;
  }
}

/** Oldest first, ties by id: every job that looks picks the same one. */
const byAge = (a: Deployment, b: Deployment) =>
  a.createdAt < b.createdAt
    ? -1
    : a.createdAt > b.createdAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;

/** Where deploy-action's copy of `base` would be: same type and location (fixed at creation). */
function placedLikeBase(d: Deployment, base: Deployment): boolean {
  const same = (x: unknown, y: unknown) => x === undefined || y === undefined || x === y;
  return (
    same(d.type, base.type) &&
    same(d.clusterId, base.clusterId) &&
    same(d.cloudProvider, base.cloudProvider) &&
    same(d.region, base.region)
  );
}

/**
 * Find the preview of `base` for `branch`: by our name (marker required) and, unless
 * `legacy: false`, by deploy-action's name (see the top of this file). Never returns the base.
 */
export async function findPreview(args: PreviewArgs): Promise<FindResult> {
  const { api, base, branch, name, log } = args;
  if (name === base.name) throw new PreviewError('base-name', baseNameMessage(base));
  const legacyName = usesLegacy(args)
    ? legacyPreviewName({ branch, baseName: base.name })
    : undefined;
  const useLegacy = legacyName !== undefined && legacyName !== name && legacyName !== base.name;
  const names = useLegacy ? [name, legacyName] : [name];

  const found = await api.listDeployments({ workspaceIds: [base.workspaceId], names });
  // Filter again here: the guard must not depend on the server honouring the filters.
  const candidates = found
    .filter((d) => d.workspaceId === base.workspaceId && d.id !== base.id && d.name !== base.name)
    .sort(byAge);

  const named = candidates.filter((d) => d.name === name);
  const marked = named.filter((d) => hasMarker(d.description, base.id, branch));
  const foreign = named.find((d) => !hasMarker(d.description, base.id, branch));
  if (marked.length > 1) {
    log.warning(
      `Several Deployments named "${name}" are marked as the preview of ${base.id} for branch ${branch} ` +
        `(${marked.map((d) => d.id).join(', ')}); using the oldest, ${marked[0].id}.`,
    );
  }
  if (marked.length) {
    if (foreign)
      log.warning(
        `Ignoring Deployment ${foreign.id}: it is also named "${name}" but is not marked as this preview.`,
      );
    log.debug(`Preview of ${base.id} for branch ${branch}: ${marked[0].name} (${marked[0].id}).`);
    return { preview: marked[0] };
  }

  if (useLegacy) {
    const legacyNamed = candidates.filter((d) => d.name === legacyName);
    const ours = legacyNamed.filter((d) => hasMarker(d.description, base.id, branch));
    const anchors = legacyNamed.filter(
      (d) => !hasAnyMarker(d.description) && placedLikeBase(d, base),
    );
    const accepted = ours.length ? ours : anchors;
    for (const d of legacyNamed.filter((x) => !accepted.includes(x))) {
      log.debug(
        `Not taking ${d.name} (${d.id}) as a deploy-action preview: marked for something else or placed unlike the base.`,
      );
    }
    if (accepted.length === 1 || ours.length > 1) {
      const preview = accepted[0];
      log.info(
        `Found the preview made by Astronomer's deploy-action by its name: ${preview.name} (${preview.id}).`,
      );
      return { preview, legacy: true, foreign };
    }
    if (accepted.length > 1) {
      log.warning(
        `Several Deployments are named "${legacyName}" (${accepted.map((d) => d.id).join(', ')}), the name ` +
          `Astronomer's deploy-action gave this branch's preview; not guessing which one is the preview.`,
      );
    }
  }
  return foreign ? { foreign } : {};
}

/**
 * The preview, or undefined when there is none; a Deployment that only has our name fails as
 * it would in create and delete (dry runs predict what the real run does).
 */
export async function existingPreview(args: PreviewArgs): Promise<Deployment | undefined> {
  const { preview, foreign } = await findPreview(args);
  if (!preview && foreign)
    throw new PreviewError('foreign', foreignMessage(foreign, args.base, args.branch));
  return preview;
}

/** Find the preview or fail clearly (deploy-deployment-preview). */
export async function requirePreview(args: PreviewArgs): Promise<Deployment> {
  const { preview, foreign } = await findPreview(args);
  if (preview) return preview;
  if (foreign) throw new PreviewError('foreign', foreignMessage(foreign, args.base, args.branch));
  const legacyName = usesLegacy(args)
    ? legacyPreviewName({ branch: args.branch, baseName: args.base.name })
    : undefined;
  throw new PreviewError(
    'not-found',
    noPreviewMessage({ base: args.base, branch: args.branch, name: args.name, legacyName }),
  );
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** What the v1 create does not apply: set by an update right after it. */
export interface PreviewFollowUp {
  environmentVariables: { key: string; isSecret: boolean; value?: string }[];
  contactEmails: string[];
}

/** Worker queues apply only to CELERY and ASTRO executors (the API refuses them otherwise). */
const takesQueues = (executor: string | undefined) => executor !== 'KUBERNETES';

/**
 * The create body of a preview: a copy of the base with `overrides` applied last (pure).
 * Secret environment variables cannot be read back, so they are left out and their keys
 * returned (unless an override supplies them). Overrides replace fields whole, except
 * `environmentVariables` (merged by key, the override winning) and `description` (kept
 * after the marker sentence, which always comes first).
 * Like Astronomer's own template: never the base's workload identity (only
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

  const location =
    standard && base.cloudProvider && base.region
      ? { cloudProvider: base.cloudProvider, region: base.region }
      : base.clusterId
        ? { clusterId: base.clusterId }
        : {};

  const omittedSecrets: string[] = [];
  const env: { key: string; isSecret: boolean; value?: string }[] = [];
  for (const v of base.environmentVariables ?? []) {
    if (v.isSecret) omittedSecrets.push(v.key);
    else env.push({ key: v.key, isSecret: false, value: v.value ?? '' });
  }

  const schedules = base.isDevelopmentMode
    ? base.scalingSpec?.hibernationSpec?.schedules?.map((x) =>
        defined({
          hibernateAtCron: x.hibernateAtCron,
          wakeAtCron: x.wakeAtCron,
          isEnabled: x.isEnabled,
          description: x.description,
        }),
      )
    : undefined;

  const queues = base.workerQueues?.map((q) =>
    defined({
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
    defaultTaskPodCpu: hybrid ? undefined : base.defaultTaskPodCpu,
    defaultTaskPodMemory: hybrid ? undefined : base.defaultTaskPodMemory,
    resourceQuotaCpu: hybrid ? undefined : base.resourceQuotaCpu,
    resourceQuotaMemory: hybrid ? undefined : base.resourceQuotaMemory,
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
  const queues = takesQueues(preview.executor)
    ? preview.workerQueues?.map((q) =>
        defined({
          id: q.id,
          name: q.name,
          isDefault: q.isDefault,
          maxWorkerCount: q.maxWorkerCount,
          minWorkerCount: q.minWorkerCount,
          workerConcurrency: q.workerConcurrency,
          astroMachine: hybrid ? undefined : q.astroMachine,
          nodePoolId: hybrid ? q.nodePoolId : undefined,
          podEphemeralStorage: q.podEphemeralStorage,
        }),
      )
    : undefined;
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
 * Poll until the Deployment can take a deploy: HEALTHY (or HIBERNATING: a deploy reaches it
 * and the caller may wake it). Quick polls that back off; bounded by `timeoutMs`.
 */
export async function waitUntilReady(args: {
  api: AstroApi;
  deploymentId: string;
  log: Log;
  timeoutMs?: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  clock?: Partial<Clock>;
}): Promise<Deployment> {
  const { api, deploymentId, log } = args;
  const timeoutMs = args.timeoutMs ?? 20 * 60_000;
  const why = (d: Deployment) => `${d.status}${d.statusReason ? ` (${d.statusReason})` : ''}`;
  let last: Deployment | undefined;
  return poll<Deployment>({
    clock: args.clock,
    timeoutMs,
    backoff: {
      firstMs: args.firstDelayMs ?? 1_000,
      maxMs: args.maxDelayMs ?? 15_000,
      factor: 1.6,
      whole: 'ceil',
    },
    look: async () => {
      last = await api.getDeployment(deploymentId);
      if (last.status === 'HEALTHY') return last;
      if (last.status === 'HIBERNATING') {
        log.info(`Preview ${last.name} (${last.id}) is hibernating; it can take a deploy.`);
        return last;
      }
      return undefined;
    },
    waiting: (delay) =>
      log.debug(`Preview ${last!.name} is ${why(last!)}; checking again in ${delay} ms.`),
    timedOut: () =>
      new PreviewError(
        'not-ready',
        `The preview Deployment ${last!.name} (${last!.id}) was not ready within ${Math.round(timeoutMs / 1000)} s: ` +
          `it is ${why(last!)}. Check it in the Astro UI, then run again ` +
          `(the preview is reused).`,
      ),
  });
}

/** Set on an error thrown after the preview was created: it exists and was left. */
export interface CreatedPreview {
  createdPreview?: { id: string; name: string };
}

export interface CreateResult {
  preview: Deployment;
  /** False when an existing preview was reused. */
  created: boolean;
  /**
   * Keys of the base's secret environment variables the preview lacks: not copied (values
   * cannot be read), or on a reused preview, still not set.
   */
  omittedSecrets: string[];
  /** True when the reused preview was found by deploy-action's name. */
  legacy?: boolean;
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

/**
 * Reuse the preview of this base and branch, or create it as a copy of the base (with
 * `overrides` applied last) and wait until it can take a deploy.
 */
export async function createPreview(
  args: PreviewArgs & {
    overrides?: PreviewOverrides | Record<string, unknown>;
    timeoutMs?: number;
    firstDelayMs?: number;
    maxDelayMs?: number;
  },
): Promise<CreateResult> {
  const { api, base, branch, name, log } = args;
  const reuse = async (found: Deployment, legacy?: boolean): Promise<CreateResult> => {
    let preview = found;
    // Still being created (an earlier run stopped waiting, or another job made it just now):
    // wait for it as for a new one. Any other state is left to the deploy (an unhealthy
    // preview may need exactly this deploy).
    if (preview.status === 'CREATING') {
      preview = await waitUntilReady({
        api,
        deploymentId: preview.id,
        log,
        timeoutMs: args.timeoutMs,
        firstDelayMs: args.firstDelayMs,
        maxDelayMs: args.maxDelayMs,
      });
    }
    return { preview, created: false, omittedSecrets: missingSecrets(base, preview), legacy };
  };
  const found = await findPreview(args);
  if (found.preview) {
    log.info(
      `Reusing the preview ${found.preview.name} (${found.preview.id}) of ${base.name} for branch ${branch}.`,
    );
    return reuse(found.preview, found.legacy);
  }
  if (found.foreign) throw new PreviewError('foreign', foreignMessage(found.foreign, base, branch));

  const overrides = args.overrides as PreviewOverrides | undefined;
  const { body, omittedSecrets, followUp } = previewRequest(base, { name, branch, overrides });
  log.info(`Creating the preview ${name} of ${base.name} (${base.id}) for branch ${branch}.`);
  if (omittedSecrets.length) {
    log.warning(
      `Secret environment variables of ${base.name} cannot be read back and were not copied to the preview: ` +
        `${omittedSecrets.join(', ')}. Set them on ${name} (or with preview-overrides) if its DAGs need them.`,
    );
  }
  let created: Deployment;
  try {
    created = await api.createDeployment(body);
  } catch (e) {
    // Another job creating this preview at the same moment won: the API refuses a second
    // Deployment of that name (400 or 409). Carry on with that preview; a Deployment of that
    // name without our marker is someone else's.
    const status = (e as { status?: number }).status;
    if (status !== 400 && status !== 409) throw e;
    const again = await findPreview({ ...args, legacy: false });
    if (again.preview) {
      log.info(
        `Another run created the preview ${again.preview.name} (${again.preview.id}) for branch ${branch} at the same time; using it.`,
      );
      return reuse(again.preview);
    }
    if (again.foreign)
      throw new PreviewError('foreign', foreignMessage(again.foreign, base, branch));
    throw e;
  }
  const made = { id: created.id, name: created.name };
  // A cancel from here on must still name the preview it leaves (the post step reads this).
  pending('preview', made);
  try {
    // Two jobs racing for the same branch (on a server that takes duplicate names) converge
    // on the oldest marked preview.
    const again = await findPreview({ ...args, legacy: false });
    if (again.preview && again.preview.id !== created.id) {
      log.warning(
        `Another run created ${again.preview.id} for this branch at the same time; using it and removing ${created.id}.`,
      );
      await api.deleteDeployment(created.id);
      return { preview: again.preview, created: false, omittedSecrets: [] };
    }

    created = await waitUntilReady({
      api,
      deploymentId: created.id,
      log,
      timeoutMs: args.timeoutMs,
      firstDelayMs: args.firstDelayMs,
      maxDelayMs: args.maxDelayMs,
    });
    // The v1 create ignores environment variables and contact emails: an
    // update sets them, once the Deployment is ready (whether Astro takes updates while it is
    // still being created is not documented), and a read checks that they arrived.
    const wanted = followUp.environmentVariables.length || followUp.contactEmails.length;
    if (wanted) {
      log.info(`Setting the environment variables and contact emails of ${name}.`);
      await api.updateDeployment(
        created.id,
        previewUpdateRequest(created, followUp, overrides?.workloadIdentity),
      );
      created = await api.getDeployment(created.id);
    }
    const lost = wanted ? missingFollowUp(created, followUp) : [];
    if (lost.length) {
      throw new PreviewError(
        'settings-lost',
        `The preview ${created.name} (${created.id}) was created, but Astro did not keep its ${lost.join(' and ')} ` +
          `after the update that sets them; set them on ${created.name} in the Astro UI, or delete the preview and run again.`,
      );
    }
  } catch (e) {
    // The preview exists: whoever reports the failure must say so (see CreatedPreview).
    if (e && typeof e === 'object') (e as CreatedPreview).createdPreview = made;
    throw e;
  }
  log.info(`Preview ${created.name} (${created.id}) is ${created.status}.`);
  return { preview: created, created: true, omittedSecrets };
}

export interface DeleteResult {
  deleted?: Deployment;
  /** True when there was no preview to delete (a success). */
  nothing: boolean;
  legacy?: boolean;
}

/** Delete the preview of this base and branch; never the base, never a foreign Deployment. */
export async function deletePreview(args: PreviewArgs): Promise<DeleteResult> {
  const { api, base, branch, name, log } = args;
  const found = await findPreview(args);
  const preview = found.preview;
  if (!preview) {
    if (found.foreign)
      throw new PreviewError('foreign', foreignMessage(found.foreign, base, branch));
    log.info(
      `No preview of ${base.name} for branch ${branch} (looked for "${name}"); nothing to delete.`,
    );
    return { nothing: true };
  }
  // The last line of defence, whatever findPreview returned.
  if (
    preview.id === base.id ||
    preview.name === base.name ||
    preview.workspaceId !== base.workspaceId
  ) {
    throw new PreviewError('base-name', baseNameMessage(base));
  }
  log.info(
    `Deleting the preview ${preview.name} (${preview.id}) of ${base.name} for branch ${branch}.`,
  );
  try {
    await api.deleteDeployment(preview.id);
  } catch (e) {
    if ((e as { status?: number }).status === 404) {
      log.info(`The preview ${preview.id} was already gone.`);
      return { nothing: true };
    }
    throw e;
  }
  return { deleted: preview, nothing: false, legacy: found.legacy };
}

// Preview Deployments: find, create (a copy of the base) and delete, guarded by the marker
// sentence (the preview-name rules).
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
import type { AstroApi, Deployment } from '../astro/types.js';
import { Journal } from '../journal.js';
import type { Log } from '../platform/log.js';
import { poll, type Clock } from '../platform/clock.js';
import type { PreviewOverrides } from './overrides.js';
import {
  PreviewError,
  findPreview,
  foreignMessage,
  baseNameMessage,
  type FindResult,
  type PreviewArgs,
} from './lookup.js';
import {
  missingFollowUp,
  missingSecrets,
  previewRequest,
  previewUpdateRequest,
  type PreviewFollowUp,
} from './request.js';

export * from './lookup.js';
export * from './request.js';

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
 * The v1 create ignores environment variables and contact emails (as Astronomer's CLI notes): an
 * update sets them, once the Deployment is ready (whether Astro takes updates while it is
 * still being created is not documented), and a read checks that they arrived.
 */
async function applyFollowUp(
  api: AstroApi,
  ready: Deployment,
  followUp: PreviewFollowUp,
  overrides: PreviewOverrides | undefined,
  journal: Journal,
  log: Log,
): Promise<Deployment> {
  let created = ready;
  const name = ready.name;
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
    journal.previewTold(created.id);
    throw new PreviewError(
      'settings-lost',
      `The preview ${created.name} (${created.id}) was created, but Astro did not keep its ${lost.join(' and ')} ` +
        `after the update that sets them; set them on ${created.name} in the Astro UI, or delete the preview and run again.`,
    );
  }
  return created;
}

/**
 * Our create was refused. When another job creating this preview at the same moment won, the
 * API refuses a second Deployment of that name (400 or 409): carry on with that preview. A
 * Deployment of that name without our marker is someone else's; anything else is rethrown.
 */
async function afterRefusedCreate(
  args: PreviewArgs,
  e: unknown,
  reuse: (found: Deployment) => Promise<CreateResult>,
): Promise<CreateResult> {
  const { base, branch, log } = args;
  const status = (e as { status?: number }).status;
  if (status !== 400 && status !== 409) throw e;
  const again = await findPreview({ ...args, legacy: false });
  if (again.preview) {
    log.info(
      `Another run created the preview ${again.preview.name} (${again.preview.id}) for branch ${branch} at the same time; using it.`,
    );
    return reuse(again.preview);
  }
  if (again.foreign) throw new PreviewError('foreign', foreignMessage(again.foreign, base, branch));
  throw e;
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
    /** Records the preview the moment it exists; a journal of its own by default. */
    journal?: Journal;
    /**
     * The caller's findPreview answer for these args, read this run with nothing created or
     * deleted since: not looked up again. (A job racing ours is caught after the create.)
     */
    found?: FindResult;
  },
): Promise<CreateResult> {
  const { api, base, branch, name, log } = args;
  const journal = args.journal ?? new Journal();
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
  const found = args.found ?? (await findPreview(args));
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
    return afterRefusedCreate(args, e, reuse);
  }
  // A failure or a cancel from here on must name the preview it leaves (the post step too).
  journal.previewCreated({ id: created.id, name: created.name });
  // Two jobs racing for the same branch (on a server that takes duplicate names) converge
  // on the oldest marked preview. (Looked up again on purpose: the list changed, by our create
  // and maybe another job's.)
  const again = await findPreview({ ...args, legacy: false });
  if (again.preview && again.preview.id !== created.id) {
    log.warning(
      `Another run created ${again.preview.id} for this branch at the same time; using it and removing ${created.id}.`,
    );
    await api.deleteDeployment(created.id);
    journal.previewDeleted(created.id);
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
  created = await applyFollowUp(api, created, followUp, overrides, journal, log);
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

// Wait until a Deployment runs what we shipped: poll quickly at first, back off, never a
// fixed sleep. The backoff is capped at POLL_MAX_MS so that the time from the rollout
// finishing to this returning stays around a second.
import { formatDuration } from '../platform/duration.js';
import type { AstroApi, DagBundle, Deploy, Deployment } from '../astro/types.js';
import type { Log } from '../platform/log.js';
import { poll, type Clock } from '../platform/clock.js';

export const POLL_FIRST_MS = 250;
export const POLL_MAX_MS = 1000;
export const POLL_FACTOR = 1.5;
/**
 * Image deploys: Astro's docs say neither when Deployment.imageTag changes (at finalize or
 * when the rollout ends) nor how soon the Deployment turns DEPLOYING after a finalize. So
 * "our tag + HEALTHY" counts only once the rollout was seen (DEPLOYING, or the tag or
 * imageVersion changing while we poll), or after this long without either.
 */
export const ROLLOUT_START_GRACE_MS = 15_000;

/** What must be live for the deploy to count as done. */
export interface LiveTarget {
  deployId: string;
  /** DAG deploys: the Deployment's dagTarballVersion must equal it. */
  dagTarballVersion?: string;
  /** Image deploys: the Deployment's imageTag must equal it. */
  imageTag?: string;
  /**
   * Image deploys: tags of deploys that may have been finalized before ours. Astro rolls deploys
   * out one after another, in order (C5), so one of these may show before ours: not a newer
   * deploy. Once our tag has shown, though, a tag that replaces it is newer, listed or not.
   */
  earlierImageTags?: string[];
  /** Bundle deploys: the deploy's bundle at this mount path must have this currentVersion. */
  bundle?: { version: string; mountPath: string };
  /**
   * Named DAG bundles: that bundle's currentVersion must equal it (the Deployment's own DAG
   * versions do not change). `earlier`: the versions the bundle named before our finalize; a
   * desiredVersion among them is an older deploy still rolling out, not a newer one.
   */
  dagBundle?: { name: string; version: string; earlier?: string[] };
}

export interface WaitOptions {
  api: AstroApi;
  deploymentId: string;
  target: LiveTarget;
  /** The Deployment as it was before our deploy (tells "a newer deploy replaced ours" from "not yet"). */
  before?: Deployment;
  waitMs: number;
  log: Log;
  clock?: Partial<Clock>;
}

export interface WaitResult {
  deployment: Deployment;
  elapsedMs: number;
  /** A later deploy replaced ours before it went live: we stopped waiting. */
  supersededBy?: string;
}

export class DeployWaitError extends Error {
  override name = 'DeployWaitError';
}

interface Check {
  versionsLive: boolean;
  /** What is still pending, for messages: "dagTarballVersion is X, waiting for Y". */
  pending: string[];
  supersededBy?: string;
}

/**
 * A named DAG bundle is live when its currentVersion is ours; a desiredVersion that is neither
 * ours nor one it named before our finalize means a newer deploy (the rule the Deployment's
 * own DAG versions follow below).
 */
function checkDagBundle(t: NonNullable<LiveTarget['dagBundle']>, bundles: DagBundle[] = []) {
  const b = bundles.find((x) => x.name === t.name);
  if (b?.currentVersion === t.version) return {};
  const pending = `DAG bundle '${t.name}' runs ${b?.currentVersion || '(no version)'}, waiting for ${t.version}`;
  const desired = b?.desiredVersion;
  const newer =
    desired && desired !== t.version && !t.earlier?.includes(desired) ? desired : undefined;
  return { pending, supersededBy: newer && `DAG bundle '${t.name}' version ${newer}` };
}

function check(
  d: Deployment,
  deploy: Deploy | undefined,
  t: LiveTarget,
  before?: Deployment,
  bundles?: DagBundle[],
  ownTagSeen = false,
): Check {
  const pending: string[] = [];
  let supersededBy: string | undefined;
  if (t.dagBundle) {
    const c = checkDagBundle(t.dagBundle, bundles);
    if (c.pending) pending.push(c.pending);
    supersededBy = c.supersededBy;
  }
  if (t.dagTarballVersion !== undefined) {
    const desired = d.desiredDagTarballVersion;
    if (d.dagTarballVersion !== t.dagTarballVersion)
      pending.push(
        `dagTarballVersion is ${d.dagTarballVersion || '(none)'}, waiting for ${t.dagTarballVersion}`,
      );
    // Live means both: the DAG deploy is processed (desired = current) and it is ours.
    else if (desired && desired !== t.dagTarballVersion)
      pending.push(`desiredDagTarballVersion is ${desired}, not ${t.dagTarballVersion}`);
    if (
      before &&
      desired &&
      desired !== t.dagTarballVersion &&
      desired !== before.desiredDagTarballVersion &&
      desired !== before.dagTarballVersion
    ) {
      supersededBy = `dagTarballVersion ${desired}`;
    }
  }
  if (t.imageTag !== undefined && d.imageTag !== t.imageTag) {
    pending.push(`imageTag is ${d.imageTag || '(none)'}, waiting for ${t.imageTag}`);
    if (
      before &&
      d.imageTag &&
      d.imageTag !== before.imageTag &&
      (ownTagSeen || !t.earlierImageTags?.includes(d.imageTag))
    )
      supersededBy = `imageTag ${d.imageTag}`;
  }
  if (t.bundle) {
    const b =
      deploy?.bundles?.find((x) => x.mountPath === t.bundle!.mountPath) ?? deploy?.bundles?.[0];
    if (b?.currentVersion !== undefined || b?.desiredVersion !== undefined) {
      if (b.currentVersion !== t.bundle.version) {
        pending.push(
          `bundle version is ${b.currentVersion || '(none)'}, waiting for ${t.bundle.version}`,
        );
      }
    } else if (deploy && deploy.status !== 'DEPLOYED') {
      // No per-bundle versions reported: the deploy's own status is the signal (DEPLOYED at
      // the finalize or, later, at the rollout's end: waiting for it is right either way).
      pending.push(`deploy ${deploy.id} is ${deploy.status}, waiting for DEPLOYED`);
    }
  }
  return { versionsLive: pending.length === 0, pending, supersededBy };
}

/**
 * Tags that may show before ours, from the deploy list read just before our finalize: every
 * image deploy there but ours (a deploy created after ours may still be finalized before it),
 * except those finalized before the one whose tag the Deployment showed when the run read it
 * (they ran already). A deploy not finalized yet (INITIALIZED) counts however old it is: it
 * may finalize in the moment before ours. One finalized after ours shows after our tag did,
 * and then counts as newer (`check`).
 */
export function imagesBefore(deploys: Deploy[], ours: string, shown?: string): string[] {
  // Date.parse, not string order: Astro's times may carry fractions of a second or not.
  const newestFirst = deploys
    .map((d, i) => ({ d, i, at: Date.parse(d.createdAt) }))
    .sort((x, y) => y.at - x.at || x.i - y.i)
    .map((x) => x.d);
  const tags: string[] = [];
  let pastShown = false;
  for (const x of newestFirst) {
    if (x.id === ours || x.status === 'FAILED' || !x.imageTag) continue;
    if (x.type !== 'IMAGE_AND_DAG' && x.type !== 'IMAGE_ONLY') continue;
    if (x.imageTag === shown) pastShown = true;
    if (pastShown && x.status !== 'INITIALIZED') continue;
    tags.push(x.imageTag);
  }
  return tags;
}

/** Says in the log what the wait waits for, where that is more than the Deployment's own fields. */
function announce(target: LiveTarget, waitMs: number, log: Log): void {
  if (target.dagBundle)
    log.info(
      `Waiting up to ${formatDuration(waitMs)} for DAG bundle '${target.dagBundle.name}' of the Deployment to run version ${target.dagBundle.version}.`,
    );
  if (target.imageTag !== undefined)
    log.info(
      `Waiting up to ${formatDuration(Math.min(ROLLOUT_START_GRACE_MS, waitMs))} for the rollout of image ${target.imageTag} to start.`,
    );
}

/**
 * Poll until the Deployment runs `target` and is HEALTHY (or hibernating with our version).
 * Throws DeployWaitError on timeout (naming the last status and what was pending), when the
 * deploy FAILED, or when our version is live but the Deployment is UNHEALTHY.
 */
export async function waitUntilLive(opts: WaitOptions): Promise<WaitResult> {
  const { api, deploymentId, target, log } = opts;
  const needDeploy = target.bundle !== undefined;
  let polls = 0;
  let lastLogged = '';
  let last: { d: Deployment; pending: string[] } | undefined;
  // Image deploys: has this rollout been seen (see ROLLOUT_START_GRACE_MS)?
  const image = target.imageTag !== undefined;
  let rolloutSeen = !image;
  let first: Deployment | undefined;
  /** Our tag has shown on the Deployment (see LiveTarget.earlierImageTags). */
  let ownTagSeen = false;
  /** DEPLOYING counts only when it is not a rollout that was already under way before ours. */
  let sawNotDeploying = opts.before?.status !== 'DEPLOYING';
  announce(target, opts.waitMs, log);

  return poll<WaitResult>({
    clock: opts.clock,
    timeoutMs: opts.waitMs,
    backoff: { firstMs: POLL_FIRST_MS, maxMs: POLL_MAX_MS, factor: POLL_FACTOR },
    look: async (since) => {
      polls++;
      const [d, deploy, bundles] = await Promise.all([
        api.getDeployment(deploymentId),
        needDeploy || polls % 4 === 0
          ? api.getDeploy(deploymentId, target.deployId)
          : Promise.resolve(undefined),
        target.dagBundle ? api.listDagBundles(deploymentId) : Promise.resolve(undefined),
      ]);
      const elapsed = since();
      if (deploy?.status === 'FAILED') {
        throw new DeployWaitError(
          `Deploy ${target.deployId} to ${d.name} FAILED on Astro (the Deployment is ${d.status}` +
            `${d.statusReason ? `: ${d.statusReason}` : ''}); check the Deployment in the Astro UI.`,
        );
      }
      const c = check(d, deploy, target, opts.before, bundles, ownTagSeen);
      if (image && d.imageTag === target.imageTag) ownTagSeen = true;
      if (!rolloutSeen) {
        first ??= d;
        if (d.status !== 'DEPLOYING') sawNotDeploying = true;
        const how =
          d.status === 'DEPLOYING' && sawNotDeploying
            ? `The rollout of image ${target.imageTag} has started (the Deployment is DEPLOYING).`
            : d.imageTag !== first.imageTag || d.imageVersion !== first.imageVersion
              ? `The rollout of image ${target.imageTag} has started (the Deployment's image tag changed).`
              : elapsed >= ROLLOUT_START_GRACE_MS
                ? `No rollout of image ${target.imageTag} was seen in ${formatDuration(ROLLOUT_START_GRACE_MS)}; from now on the Deployment's status is trusted.`
                : undefined;
        if (how) {
          rolloutSeen = true;
          log.info(how);
        } else if (c.versionsLive) {
          c.versionsLive = false;
          c.pending.push(`the rollout of image ${target.imageTag} has not been seen to start`);
        }
      }
      if (c.versionsLive && (d.status === 'HEALTHY' || d.status === 'HIBERNATING')) {
        if (d.status === 'HIBERNATING')
          log.info(`${d.name} runs the new version and is hibernating.`);
        log.info(`Live on ${d.name} after ${formatDuration(elapsed)} (${polls} polls).`);
        return { deployment: d, elapsedMs: elapsed };
      }
      if (c.versionsLive && d.status === 'UNHEALTHY') {
        throw new DeployWaitError(
          `The new version is live on ${d.name} but the Deployment is UNHEALTHY` +
            `${d.statusReason ? ` (${d.statusReason})` : ''}; check its scheduler and DAG processor logs in the Astro UI.`,
        );
      }
      if (c.supersededBy) {
        log.info(
          `A newer deploy (${c.supersededBy}) replaced deploy ${target.deployId} on ${d.name} before it went live; not waiting for it.`,
        );
        return { deployment: d, elapsedMs: elapsed, supersededBy: c.supersededBy };
      }
      last = { d, pending: c.pending };
      return undefined;
    },
    timedOut: () =>
      new DeployWaitError(
        `${last!.d.name} is still ${last!.d.status} after ${formatDuration(opts.waitMs)}: ` +
          `${last!.pending.length ? last!.pending.join('; ') : `waiting for HEALTHY`}; ` +
          'raise wait-time or check the Deployment in the Astro UI.',
      ),
    waiting: () => {
      const { d, pending } = last!;
      const state = `${d.status}${pending.length ? `: ${pending.join('; ')}` : ''}`;
      if (state !== lastLogged) {
        log.info(`Waiting for ${d.name}: ${state}`);
        lastLogged = state;
      }
    },
  });
}

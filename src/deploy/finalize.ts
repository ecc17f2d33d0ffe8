// Stage 5 of a deploy: finalize it (unless a newer commit went live meanwhile), then wait
// until what we shipped is live. The journal follows the deploy through its stages.
import type { AstroApi, DagBundle, Deploy, Deployment } from '../astro/types.js';
import type { Journal } from '../journal.js';
import type { Log } from '../platform/log.js';
import type { Preflight } from './preflight.js';
import type { DeployRequest, DeployResult } from './request.js';
import type { Shipped } from './ship.js';
import type { TarballResult } from './tarball.js';
import type { Clock } from '../platform/clock.js';
import { imagesBefore, waitUntilLive, type LiveTarget } from './wait.js';

interface FinalizeOptions {
  api: AstroApi;
  log: Log;
  clock: Clock;
  journal: Journal;
  /** The Deployment as read before the deploy (once awake). */
  before: Deployment;
  /** Time spent blocked on the wake: wait-time bounds all waiting on Astro, wake included. */
  wakeWaitMs: number;
  tarball?: TarballResult;
  warnings: string[];
}

/** Finalize the shipped deploy and wait until it is live (or say why it was not finalized). */
export async function finalizeAndWait(
  req: DeployRequest,
  pre: Preflight,
  s: Shipped,
  o: FinalizeOptions,
): Promise<DeployResult> {
  const { api, log, clock } = o;
  const d = req.deployment;
  const id = s.deploy.id;
  const guard = req.beforeFinalize ? await req.beforeFinalize() : {};
  const stale = guard.stale;
  if (stale) {
    log.info(`Not finalizing deploy ${id}: ${stale}.`);
    return {
      deployId: id,
      kind: req.kind,
      liveAfterMs: 0,
      notFinalized: stale,
      warnings: o.warnings,
    };
  }
  const finalizeBody = s.dagTarballVersion
    ? { dagTarballVersion: s.dagTarballVersion }
    : s.bundleVersion
      ? { bundleTarballVersion: s.bundleVersion }
      : {};
  const earlier = req.waitMs > 0 ? await earlierOf(api, req, s, o.before, guard.history) : {};
  o.journal.deployStage(id, 'finalizing');
  await api.finalizeDeploy(d.id, id, finalizeBody);
  o.journal.deployStage(id, 'finalized');
  const finalizedAt = clock.now();
  log.info(`Finalized deploy ${id}.`);

  const target = liveTargetOf(req, pre, s, earlier);
  const tarball = o.tarball;
  const result: DeployResult = {
    deployId: id,
    kind: req.kind,
    imageTag: s.imageTag,
    imageRef: s.imageRef,
    dagTarballVersion: s.dagTarballVersion,
    dagBundleName: s.dagTarballVersion ? req.dagBundleName : undefined,
    bundleVersion: s.bundleVersion,
    bundleMountPath: pre.mountPath,
    tarball: tarball && { bytes: tarball.bytes, files: tarball.files, sha256: tarball.sha256 },
    liveAfterMs: 0,
    warnings: o.warnings,
  };
  if (req.waitMs <= 0) {
    log.info('Not waiting for the deploy to go live (wait-time is 0).');
    return result;
  }
  const w = await waitUntilLive({
    api,
    deploymentId: d.id,
    target,
    before: o.before,
    waitMs: Math.max(1000, req.waitMs - o.wakeWaitMs),
    log,
    clock,
  });
  result.deployment = w.deployment;
  result.liveAfterMs = clock.now() - finalizedAt;
  if (w.supersededBy) {
    result.supersededBy = w.supersededBy;
    o.warnings.push(
      `A newer deploy (${w.supersededBy}) replaced deploy ${id} on ${d.name} before it went live; ` +
        `what runs now is that newer deploy.`,
    );
  }
  return result;
}

/** Versions a deploy before ours may still put live: Astro rolls deploys out in order (C5). */
interface Earlier {
  /** What the named bundle named before our finalize. */
  bundle?: string[];
  /** Image deploys: see imagesBefore. */
  imageTags?: string[];
}

async function earlierOf(
  api: AstroApi,
  req: DeployRequest,
  s: Shipped,
  before: Deployment,
  /** The deploy list the stale guard read just now, if it did. */
  history?: Deploy[],
): Promise<Earlier> {
  const named = s.dagTarballVersion && req.dagBundleName;
  return {
    bundle: named ? bundleVersions(await api.listDagBundles(req.deployment.id), named) : undefined,
    imageTags: s.imageTag
      ? imagesBefore(
          history ?? (await api.listDeploys(req.deployment.id)),
          s.deploy.id,
          before.imageTag,
        )
      : undefined,
  };
}

function bundleVersions(bundles: DagBundle[], name: string): string[] {
  const b = bundles.find((x) => x.name === name);
  return [b?.desiredVersion, b?.currentVersion].filter((v): v is string => Boolean(v));
}

/** What the wait waits for: the versions this deploy puts live, where they show. */
function liveTargetOf(
  req: DeployRequest,
  pre: Preflight,
  s: Shipped,
  earlier: Earlier,
): LiveTarget {
  const target: LiveTarget = { deployId: s.deploy.id };
  // A named bundle's DAGs show in that bundle's versions, not in the Deployment's own.
  if (s.dagTarballVersion && req.dagBundleName)
    target.dagBundle = {
      name: req.dagBundleName,
      version: s.dagTarballVersion,
      earlier: earlier.bundle,
    };
  else if (s.dagTarballVersion) target.dagTarballVersion = s.dagTarballVersion;
  if (s.imageTag) target.imageTag = s.imageTag;
  if (earlier.imageTags?.length) target.earlierImageTags = earlier.imageTags;
  if (s.bundleVersion && pre.mountPath)
    target.bundle = { version: s.bundleVersion, mountPath: pre.mountPath };
  return target;
}

// Rollouts: how a finalized deploy's versions reach the Deployment over time. Each finalize
// makes a rollout; the Deployment is DEPLOYING while one is under way and takes the deploy's
// versions when it ends. Computed lazily from timestamps on every read (Model.settle).
//
// Several deploys at once: Astro's docs say they "are processed one after another, in order"
// (ASTRO-API.md C5). `concurrentRollouts`:
// - `queue` (default, the documented behaviour): each finalize's rollout runs after the one
//   before it ends, and each applies its own deploy's versions when it ends, so an older
//   deploy's versions are live for a moment before the newer one's. [inference] No lag
//   between queued rollouts, and each showing its own versions in turn, are our reading of
//   "one after another"; the docs say no more;
// - `replace`: a finalize replaces a rollout still pending or under way at once (the new one
//   starts with no lag when one was under way, and carries over the replaced one's image tag,
//   DAG versions and named bundles' versions where it has none), so the older deploy's
//   versions never show.
// With `deployStatusAt: rollout-end` a finalized deploy shows INITIALIZED until the rollout
// that carries it ends (a replaced one's: until the rollout that replaced it ends).
// Under both, desiredDagTarballVersion and a named bundle's desiredVersion are the newest
// finalized at once, and with `imageTagAt: finalize` so is imageTag (set by Model.finalize).
import type { DagBundleRecord, DeployRecord, DeploymentRecord, Model, Rollout } from './model.js';

/** What a finalized deploy puts live: its image, DAG versions and bundle version. */
export interface RolloutVersions {
  isImage: boolean;
  /** The DAG tarball version; to `bundle` when the deploy went to a named DAG bundle. */
  dags?: string;
  bundleVersion?: string;
  /** The named DAG bundle the deploy went to, if any. */
  bundle?: DagBundleRecord;
}

/** Is a rollout under way (the Deployment DEPLOYING)? Call after settleRollouts. */
export function rolloutUnderWay(rec: DeploymentRecord, now: number): boolean {
  const head = rec.rollouts[0];
  return head !== undefined && now >= head.startedAt;
}

/** Starts (or queues) the rollout of a deploy just finalized. Call after settleRollouts. */
export function startRollout(
  model: Model,
  rec: DeploymentRecord,
  record: DeployRecord,
  v: RolloutVersions,
  now: number,
): Rollout {
  const mode = model.options.concurrentRollouts;
  const last = rec.rollouts.at(-1);
  const rolling = rolloutUnderWay(rec, now);
  // A rollout under way (or, queued, one pending): ours follows with no lag of its own.
  const start =
    mode === 'queue' && last
      ? last.finishedAt
      : Math.max(now, rec.creatingUntil, rec.wakingUntil) +
        (rolling ? 0 : model.options.rolloutLagMs);
  const own = {
    imageTag: v.isImage ? record.deploy.imageTag : undefined,
    dagTarballVersion: v.bundle ? undefined : v.dags,
    dagBundles: v.bundle && v.dags ? { [v.bundle.name]: v.dags } : {},
  };
  // Replaced: the older deploy's versions never show, so ours carries them where it has none.
  const replaced = mode === 'replace' ? last : undefined;
  if (replaced) replaced.superseded = true;
  const rollout: Rollout = {
    deploymentId: rec.dep.id,
    deployId: record.deploy.id,
    finalizedAt: now,
    startedAt: start,
    finishedAt: start + model.options.rolloutDelayMs,
    imageTag: own.imageTag ?? replaced?.imageTag,
    dagTarballVersion: own.dagTarballVersion ?? replaced?.dagTarballVersion,
    bundleVersion: v.bundleVersion,
    dagBundles: { ...replaced?.dagBundles, ...own.dagBundles },
    carries: [record.deploy.id, ...(replaced?.carries ?? [])],
  };
  rec.rollouts = mode === 'queue' ? [...rec.rollouts, rollout] : [rollout];
  model.rollouts.push(rollout);
  return rollout;
}

/** Applies the rollouts that have ended by `now`, oldest first. */
export function settleRollouts(model: Model, rec: DeploymentRecord, now: number): void {
  while (rec.rollouts.length && now >= rec.rollouts[0].finishedAt) {
    applyRollout(model, rec, rec.rollouts.shift()!);
  }
}

function applyRollout(model: Model, rec: DeploymentRecord, r: Rollout): void {
  // Queued under imageTagAt finalize, imageTag already shows the newest finalized image:
  // an older rollout ending must not put its tag back.
  const tagShown =
    model.options.imageTagAt === 'finalize' && model.options.concurrentRollouts === 'queue';
  if (r.imageTag && !tagShown) {
    rec.dep.imageTag = r.imageTag;
    rec.dep.imageVersion = r.imageTag;
  }
  if (r.dagTarballVersion) rec.dep.dagTarballVersion = r.dagTarballVersion;
  for (const [name, version] of Object.entries(r.dagBundles ?? {})) {
    const b = rec.dagBundles.find((x) => x.name === name);
    if (b) b.currentVersion = version;
  }
  if (r.bundleVersion) {
    const d = model.deploys.get(r.deployId);
    for (const b of d?.deploy.bundles ?? []) b.currentVersion = r.bundleVersion;
  }
  // deployStatusAt rollout-end: the deploys it carries turn DEPLOYED now (a no-op otherwise).
  for (const id of r.carries) {
    const d = model.deploys.get(id)?.deploy;
    if (d?.status === 'INITIALIZED') d.status = 'DEPLOYED';
  }
  rec.dep.statusReason = 'Successfully Deployed';
}

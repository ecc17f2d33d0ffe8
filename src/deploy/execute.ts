// Carry out one decided deploy: DAG-only, image (+ DAGs), or a bundle (dbt / non-DAG), wake
// a hibernating Deployment around it, and wait until what we shipped is live.
//
// Order (nothing is created on Astro until every local step has passed):
//   check hibernation (fail fast, or start waking it in the background)
//   → image deploys: build under a local tag (or take image-name), check the Astro Runtime
//     label → beforeCreate(image) (the DAG checks)
//   → DAG/bundle tarball (so a bad folder never leaves an empty deploy behind)
//   → wait for the wake → create the deploy → registry login, tag, push → upload the tarball
//   → finalize → wait until live → (finally) put the hibernation override back, drop the
//     registry credentials, the tarball and our local image tags.
//
// executeDeploy never calls log.warning: whatever deserves a warning is in result.warnings
// for the caller to report once (on a failure: in the journal's warnings). Errors stay plain:
// the journal records the deploy created and how far it got, for the failure to say so.
//
// The stages, one file each: preflight.ts, image.ts, pack.ts, ship.ts (create and ship),
// finalize.ts (finalize and wait).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { uploadBlob } from '../astro/upload.js';
import { Journal } from '../journal.js';
import { finalizeAndWait } from './finalize.js';
import { prepareImage } from './image.js';
import { pack } from './pack.js';
import { preflight } from './preflight.js';
import type { DeployDeps, DeployRequest, DeployResult, UploadFn } from './request.js';
import { createAndShip } from './ship.js';
import { clockWith, type Clock } from '../platform/clock.js';
import { isHibernating, wakeDeployment, type Woken } from './wake.js';

export * from './request.js';
export { assertDagFolder, plannedRuntimeRefusal, shipsDagFolder } from './preflight.js';
export { liveImageForCache } from './image.js';

/** Start waking a hibernating Deployment now, so it comes up while we build and check. */
function startWaking(
  req: DeployRequest,
  o: { deps: DeployDeps; clock: Clock; journal: Journal; signal: AbortSignal },
): Promise<Woken> | undefined {
  if (!isHibernating(req.deployment)) return undefined;
  const waking = wakeDeployment({
    api: o.deps.api,
    deployment: req.deployment,
    waitMs: req.waitMs,
    log: o.deps.log,
    clock: o.clock,
    signal: o.signal,
    journal: o.journal,
  });
  waking.catch(() => undefined); // awaited later; never an unhandled rejection
  return waking;
}

/** Put the hibernation override back: a problem is a warning, or on a failure a note. */
async function stopWaking(
  waking: Promise<Woken>,
  failed: boolean,
  o: { journal: Journal; warnings: string[] },
): Promise<void> {
  const w = await waking.catch(() => undefined); // a failed wake restored itself
  if (!w) return;
  const problem = await w.restore();
  if (problem && failed) o.journal.note(` (${problem})`);
  else if (problem) o.warnings.push(problem);
}

/** Carry out one decided deploy (see the order at the top of this file). */
export async function executeDeploy(req: DeployRequest, deps: DeployDeps): Promise<DeployResult> {
  const { api, log, docker } = deps;
  const clock: Clock = clockWith({ sleep: deps.sleep, now: deps.now });
  const upload: UploadFn = deps.upload ?? ((o) => uploadBlob(o));
  const journal = deps.journal ?? new Journal();
  const warnings: string[] = [];
  const pre = await preflight(req, !!docker, warnings);
  const abort = new AbortController();
  const waking = startWaking(req, { deps, clock, journal, signal: abort.signal });
  const work = await fs.mkdtemp(path.join(deps.tmpDir, 'astro-deploy-'));
  /** Local images and pushed references of ours, removed at the end. */
  const images: string[] = [];
  const createdBefore = journal.deploys.length;
  let failed = false;
  try {
    const built =
      pre.isImage && docker
        ? await prepareImage(req, { api, docker, log, built: images })
        : undefined;
    if (req.beforeCreate) await req.beforeCreate(built?.image);
    const tarball = await pack(req, pre, { api, log, work, runtime: built?.runtime, warnings });
    // The Deployment must be awake before the deploy is created.
    let before = req.deployment;
    let wakeWaitMs = 0;
    if (waking) {
      const t = clock.now();
      before = (await waking).deployment;
      wakeWaitMs = clock.now() - t;
    }
    const shipped = await createAndShip(req, pre, {
      api,
      docker,
      log,
      upload,
      journal,
      image: built?.image,
      tarball,
      onPushed: (ref) => images.unshift(ref),
    });
    const result = await finalizeAndWait(req, pre, shipped, {
      api,
      log,
      clock,
      journal,
      before,
      wakeWaitMs,
      tarball,
      warnings,
    });
    journal.deployDone(shipped.deploy.id);
    return result;
  } catch (e) {
    failed = true;
    for (const w of warnings) journal.warn(w);
    throw e;
  } finally {
    for (const d of journal.deploys.slice(createdBefore)) journal.deploySettled(d.id);
    if (waking) {
      if (failed) abort.abort(); // no deploy follows: stop waiting for it to wake
      await stopWaking(waking, failed, { journal, warnings });
    }
    if (docker) {
      await docker.dispose().catch(() => undefined);
      for (const img of images) await docker.remove(img).catch(() => undefined);
    }
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}

// POST /organizations/{org}/deployments/{id}/deploys/{deployId}/rollback: put an earlier deploy
// live again (Astro Hosted only). Astro's docs: it restores the image, the DAGs, the Runtime
// and the DAG-deploy setting, and shows in the history as a new deploy; "You can roll back to
// any deploy within the last three months. If your last deploy was more than three months ago,
// you can only roll back to that deploy" (90 days, as Astro stores them). The new deploy rolls
// out like any finalized deploy (imageTagAt, rolloutLagMs, concurrentRollouts apply).
//
// Chosen where Astro's behaviour is unknown (the product does not depend on any of it):
// - outside Hosted the call is refused with 400 (the feature does not exist there);
// - the new deploy is IMAGE_AND_DAG (DAG_ONLY when no image deploy precedes the target) with
//   `rollbackFromId` = the deploy whose code it restores; what else it shows is the option
//   rollbackRecord: the restored imageTag and dagTarballVersion (default), those and the
//   target's git record, or neither;
// - the target must be DEPLOYED; a hibernating or still-creating Deployment refuses it as it
//   refuses a finalize.
import type { Deploy, Organization, SubjectProfile } from '../src/astro/types.js';
import type { DeployRecord, DeploymentRecord, Model } from './model.js';

const WINDOW_MS = 90 * 86_400_000;
const ships = (d: Deploy, what: 'image' | 'dags') =>
  what === 'image'
    ? d.type === 'IMAGE_AND_DAG' || d.type === 'IMAGE_ONLY'
    : d.type === 'IMAGE_AND_DAG' || d.type === 'DAG_ONLY';

/** Why Astro would refuse this rollback (status and message), or undefined. */
export function rollbackRefusal(
  model: Model,
  org: Organization,
  rec: DeploymentRecord,
  target: DeployRecord,
  now: number,
): { status: number; message: string } | undefined {
  const t = target.deploy;
  if (org.product !== 'HOSTED')
    return { status: 400, message: 'deploy rollbacks are only available on Astro Hosted' };
  if (t.status !== 'DEPLOYED')
    return {
      status: 400,
      message: `deploy ${t.id} is ${t.status}; only a DEPLOYED deploy can be rolled back to`,
    };
  if (Date.parse(t.createdAt) < now - WINDOW_MS && model.deploysOf(rec.dep.id)[0] !== target)
    return {
      status: 400,
      message: `deploy ${t.id} is older than 90 days and is not the Deployment's last deploy, so its code is no longer kept`,
    };
  const blocked = model.deployBlocked(rec, now);
  return blocked ? { status: 400, message: blocked } : undefined;
}

/** The rollback: a new deploy with the target's code, rolled out like a finalized deploy. */
export function rollback(
  model: Model,
  rec: DeploymentRecord,
  target: DeployRecord,
  description: string | undefined,
  by: SubjectProfile,
  now: number,
): Deploy {
  const t = target.deploy;
  // What ran right after the target: its versions, else those of the deploys before it.
  const upToTarget = model.deploysOf(rec.dep.id).filter((r) => r.seq <= target.seq);
  const restored = (what: 'image' | 'dags') =>
    upToTarget.find(
      (r) =>
        r.deploy.status === 'DEPLOYED' &&
        ships(r.deploy, what) &&
        (what === 'image' ? r.deploy.imageTag : r.deploy.dagTarballVersion),
    )?.deploy;
  const image = restored('image')?.imageTag;
  const dags = t.isDagDeployEnabled ? restored('dags')?.dagTarballVersion : undefined;
  const made = model.createDeploy(
    rec,
    { type: image ? 'IMAGE_AND_DAG' : 'DAG_ONLY', description },
    by,
    now,
  );
  const d = made.deploy;
  delete d.dagsUploadUrl;
  d.imageTag = image ?? rec.dep.imageTag;
  if (dags) d.dagTarballVersion = dags;
  d.isDagDeployEnabled = t.isDagDeployEnabled;
  d.rollbackFromId = t.id;
  if (t.airflowVersion) d.airflowVersion = t.airflowVersion;
  if (t.astroRuntimeVersion) d.astroRuntimeVersion = t.astroRuntimeVersion;
  // The Deployment's settings go back at once; its image and DAGs with the rollout.
  rec.dep.isDagDeployEnabled = t.isDagDeployEnabled;
  if (t.airflowVersion) rec.dep.airflowVersion = t.airflowVersion;
  if (t.astroRuntimeVersion)
    rec.dep.astroRuntimeVersion = rec.dep.runtimeVersion = t.astroRuntimeVersion;
  model.finalize(rec, made, { dags }, now);
  // The rollout has its versions; what the deploy itself shows is the option's.
  const shows = model.options.rollbackRecord;
  if (shows === 'versions-and-git' && t.git) d.git = structuredClone(t.git);
  if (shows === 'bare') {
    d.imageTag = '';
    delete d.dagTarballVersion;
  }
  return structuredClone(d);
}

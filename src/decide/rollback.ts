// Which earlier deploy `action: rollback` puts live again, from the Deployment's deploy history
// (pure). The live deploy is the one whose versions the Deployment runs (as for every
// decision, baselines.ts); the target is the newest successful deploy before it, the newest
// successful deploy of a commit, or a deploy named by id. Astro's docs: "You can roll back to
// any deploy within the last three months. If your last deploy was more than three months ago,
// you can only roll back to that deploy." (90 days, as Astro stores them.)
import type { Deploy, Deployment } from '../astro/types.js';
import type { RollbackTo } from '../inputs/settings-types.js';
import { isBundleDeploy, liveDeploys, type Running } from './baselines.js';
import { apiTypeShipsDags, apiTypeShipsImage } from './kinds.js';

export const ROLLBACK_WINDOW_DAYS = 90;
const WINDOW_MS = ROLLBACK_WINDOW_DAYS * 86_400_000;

export interface RollbackChoice {
  /** The deploy live now (rolled back from). */
  live: Deploy;
  /** The deploy put live again. */
  target: Deploy;
  /** What the Deployment ran once the target was live (what the rollback restores). */
  restores: Running;
}

const time = (d: Deploy) => Date.parse(d.createdAt);
const newestFirst = (list: Deploy[]) => [...list].sort((a, b) => time(b) - time(a));
// DEPLOYED only: where Astro marks a deploy DEPLOYED only when its rollout ends, one still
// rolling out is neither live nor a target yet (a rollback to it is refused, as the emulator
// does), and the live one is the DEPLOYED deploy the Deployment runs: right under both.
const successful = (d: Deploy) => d.status === 'DEPLOYED';
const short = (sha: string) => sha.slice(0, 12);

/** The deploy's commit and date, for sentences: "deploy X (commit abc, made 2026-11-30 12:00 UTC)". */
export function describeDeploy(d: Deploy): string {
  const commit = d.git?.commitSha ? `commit ${short(d.git.commitSha)}, ` : '';
  return `deploy ${d.id} (${commit}made ${d.createdAt.slice(0, 16).replace('T', ' ')} UTC)`;
}

/**
 * What the Deployment ran once `target` was live: a rollback restores the whole code, so a
 * DAG-only target brings back the image of the deploys before it, and an image-only one their
 * DAGs. `code` is newest first.
 */
function stateAt(code: Deploy[], target: Deploy): Running {
  const upTo = code.filter((d) => d === target || (successful(d) && time(d) < time(target)));
  const image = upTo.find((d) => apiTypeShipsImage(d.type) && d.imageTag)?.imageTag;
  const dags = target.isDagDeployEnabled
    ? upTo.find((d) => apiTypeShipsDags(d.type) && d.dagTarballVersion)?.dagTarballVersion
    : undefined;
  return { imageTag: image, dagTarballVersion: dags };
}

/** Does the Deployment run that state already? */
function runs(state: Running, now: Running): boolean {
  if (!state.imageTag && !state.dagTarballVersion) return false;
  return (
    (!state.imageTag || state.imageTag === now.imageTag) &&
    (!state.dagTarballVersion || state.dagTarballVersion === now.dagTarballVersion)
  );
}

/**
 * The deploy live on `deployment` and the one to put live again. Throws one sentence when
 * there is none, it is live already, or Astro keeps it no longer.
 */
export function chooseRollback(
  history: Deploy[],
  deployment: Pick<Deployment, 'name' | 'imageTag' | 'dagTarballVersion'>,
  to: RollbackTo,
  now: number,
): RollbackChoice {
  const name = deployment.name;
  const code = newestFirst(history.filter((d) => !isBundleDeploy(d)));
  const found = liveDeploys(code, {}, deployment);
  const live = newestFirst([found.image, found.dags].filter((d): d is Deploy => !!d))[0];
  if (!live) {
    throw new Error(
      `${name} has no successful deploy in its deploy history, so there is nothing to roll back from; deploy it first.`,
    );
  }
  const target = pick(code, history, live, to, name);
  const restores = stateAt(code, target);
  if (target.id === live.id || runs(restores, deployment)) {
    throw new Error(
      `${describeDeploy(target)} is what ${name} runs already, so a rollback to it would change nothing; pick an earlier deploy with rollback-to.`,
    );
  }
  const last = newestFirst(history)[0];
  if (time(target) < now - WINDOW_MS && last.id !== target.id) {
    throw new Error(
      `${describeDeploy(target)} is older than ${ROLLBACK_WINDOW_DAYS} days, and Astro keeps older deploys for rollbacks only when one is the Deployment's last deploy; pick a deploy of the last ${ROLLBACK_WINDOW_DAYS} days.`,
    );
  }
  return { live, target, restores };
}

function pick(
  code: Deploy[],
  history: Deploy[],
  live: Deploy,
  to: RollbackTo,
  name: string,
): Deploy {
  if (to.kind === 'previous') {
    const before = code.find((d) => successful(d) && d.id !== live.id && time(d) < time(live));
    if (!before) {
      throw new Error(
        `${name} has no successful deploy before the live ${describeDeploy(live)}, so there is nothing to roll back to.`,
      );
    }
    return before;
  }
  if (to.kind === 'commit') {
    const of = code.filter(
      (d) => successful(d) && d.git?.commitSha?.toLowerCase().startsWith(to.sha),
    );
    const shas = [...new Set(of.map((d) => d.git!.commitSha.toLowerCase()))];
    if (shas.length > 1) {
      throw new Error(
        `rollback-to '${to.sha}' matches the deployed commits ${shas.map(short).join(' and ')}; give more characters of the SHA.`,
      );
    }
    if (!of.length) {
      throw new Error(
        `No successful deploy of commit ${to.sha} is in ${name}'s deploy history; give a commit that was deployed to it, a deploy id, or 'previous'.`,
      );
    }
    return of[0];
  }
  const byId = history.find((d) => d.id === to.id);
  if (!byId) {
    throw new Error(
      `Deploy ${to.id} is not in ${name}'s deploy history; give the id of one of its deploys (the Astro UI lists them on the Deployment's Overview tab).`,
    );
  }
  if (!successful(byId)) {
    throw new Error(
      `Deploy ${to.id} of ${name} is ${byId.status}, not a successful deploy, so there is nothing of it to put live again; pick a deploy whose status is DEPLOYED.`,
    );
  }
  return byId;
}

// action: rollback. Put an earlier deploy live again through Astro's rollback API (Astro
// Hosted only): choose the target from the deploy history (decide/rollback.ts), then (unless a
// dry run) ask Astro to roll back and wait until the Deployment runs the restored versions.
// A rollback restores the image, the DAGs, the Runtime and the DAG-deploy setting, and shows in
// the history as a new deploy; the journal records it like any deploy this run made.
import type { AstroApi, Deploy, Deployment } from '../astro/types.js';
import type { Running } from '../decide/baselines.js';
import { airflowMajorOf } from '../decide/runtime.js';
import { chooseRollback, describeDeploy, type RollbackChoice } from '../decide/rollback.js';
import { cutDescription } from '../deploy/preflight.js';
import { imagesBefore, waitUntilLive, type LiveTarget } from '../deploy/wait.js';
import { assertDeployable, isHibernating, wakeDeployment } from '../deploy/wake.js';
import { onHybrid } from '../astro/product.js';
import { runUrl } from '../github/deployments.js';
import { realClock } from '../platform/clock.js';
import type { Log } from '../platform/log.js';
import { cell, escapeMarkdown, table } from '../report/markdown.js';
import { deploymentUrl, type Outcome } from '../report/report.js';
import { startOnGitHub } from './github-record.js';
import { step, type Parts } from './parts.js';

/** action: rollback on the Deployment `base`. */
export async function rollbackFlow(p: Parts, base: Deployment): Promise<Outcome> {
  const { api, settings, log, journal } = p;
  const url = deploymentUrl(settings.apiUrl, base.workspaceId, base.id);
  journal.known = {
    ...journal.known,
    deploymentId: base.id,
    deployType: 'rollback',
    deploymentUrl: url,
  };
  const outcome = { deploymentId: base.id, deployType: 'rollback' as const, deploymentUrl: url };
  const choice = await step(p, 'Choose the deploy to roll back to', async () => {
    await requireHosted(api, base, log);
    assertDeployable(base, settings.wakeOnDeploy);
    const c = chooseRollback(
      await api.listDeploys(base.id),
      base,
      settings.rollbackTo,
      realClock.now(),
    );
    log.info(`Live: ${describeDeploy(c.live)}; rolling back to ${describeDeploy(c.target)}.`);
    const back = airflow3To2(base, c.target);
    if (back) log.warning(back);
    return c;
  });
  const what = `${base.name} from ${describeDeploy(choice.live)} to ${describeDeploy(choice.target)}`;
  if (settings.dryRun) {
    journal.sections.push(rollbackSection(base.name, choice, undefined, true));
    return { ...outcome, skipped: true, reason: `dry run: would roll back ${what}` };
  }
  // What is live where, on GitHub too: the rollback is a deployment in the Deployment's
  // environment, of the commit it puts back (the failure path closes it on an error).
  const reason = `roll back ${what}`;
  const decided = { target: base, preview: false, url, kind: 'rollback', reason };
  const ref = choice.target.git?.commitSha;
  const github = await startOnGitHub(p, { ...decided, ref }, { base }, '');
  const { made, live, supersededBy } = await rollBack(p, base, choice);
  journal.sections.push(rollbackSection(base.name, choice, { made, live }, false));
  const replaced = supersededBy
    ? `; a newer deploy (${supersededBy}) replaced it before it went live`
    : '';
  return github.success({
    ...outcome,
    skipped: false,
    reason: `rolled back ${what}${replaced}`,
    deployId: made.id,
    imageTag: live.imageTag || undefined,
    dagTarballVersion: live.dagTarballVersion || undefined,
  });
}

/**
 * Ask Astro to roll back to `target` and wait until the Deployment runs it. A hibernating
 * Deployment takes no deploy (Astro's docs): with wake-on-deploy it is woken first and its hibernation
 * override put back afterwards, as for any deploy.
 */
async function rollBack(p: Parts, base: Deployment, { target, restores }: RollbackChoice) {
  const { api, settings, log, journal } = p;
  const woken = isHibernating(base)
    ? await step(p, 'Wake the Deployment', () =>
        wakeDeployment({ api, deployment: base, waitMs: settings.waitMs, log, journal }),
      )
    : undefined;
  let failed = true;
  let madeId: string | undefined;
  try {
    const made = await step(p, 'Roll back', async () => {
      const d = await api.rollbackDeploy(base.id, target.id, {
        description: description(p.env, settings.description, target),
      });
      journal.deployCreated({ id: d.id, deploymentId: base.id, name: base.name });
      journal.deployStage(d.id, 'finalized');
      log.info(`Rollback deploy ${d.id} created on ${base.name}.`);
      return d;
    });
    madeId = made.id;
    journal.known = { ...journal.known, deployId: made.id };
    const before = woken?.deployment ?? base;
    const wanted = liveTarget(made, restores, before);
    // A deploy before the rollback may still be rolling out: Astro rolls them out in order (C5).
    if (wanted.imageTag)
      wanted.earlierImageTags = imagesBefore(
        await api.listDeploys(base.id),
        made.id,
        before.imageTag,
      );
    const waited = await step(p, 'Wait until live', () =>
      waitUntilLive({
        api,
        deploymentId: base.id,
        target: wanted,
        before,
        waitMs: settings.waitMs,
        log,
      }),
    );
    journal.deployDone(made.id);
    failed = false;
    return { made, live: waited.deployment, supersededBy: waited.supersededBy };
  } finally {
    // This run reports the rollback deploy, live or failed (as executeDeploy settles its own):
    // nothing of it is left for the post step.
    if (madeId) journal.deploySettled(madeId);
    const problem = await woken?.restore();
    if (problem && failed) journal.note(` (${problem})`);
    else if (problem) log.warning(problem);
  }
}

/**
 * Rollbacks are an Astro Hosted feature. Outside Hosted (the organization's product, or, when
 * the token may not read the organization, a HYBRID Deployment) say so in one sentence.
 */
async function requireHosted(api: AstroApi, d: Deployment, log: Log): Promise<void> {
  const { hybrid, product } = await onHybrid(api, d, log);
  if (hybrid) {
    throw new Error(
      `Rollbacks are available only on Astro Hosted, and ${d.name} is ${product ? `in an organization whose product is ${product}` : 'an Astro Hybrid Deployment'}; to go back, revert the change in git and deploy that commit.`,
    );
  }
}

/**
 * Astro's docs: it rolls back from Airflow 3 to Airflow 2, "but not all Airflow 3.x
 * Deployments can be reverted to all Airflow 2.x versions". Say so before asking.
 */
export function airflow3To2(d: Deployment, target: Deploy): string | undefined {
  if (airflowMajorOf(d) !== 3 || airflowMajorOf(target) !== 2) return undefined;
  return `${d.name} runs Airflow ${d.airflowVersion} and ${describeDeploy(target)} ran Airflow ${target.airflowVersion}: Astro rolls Airflow 3 Deployments back to Airflow 2 only for some versions (see its Airflow 3 to Airflow 2 rollback requirements), so it may refuse this rollback.`;
}

/**
 * What the wait waits for: the versions the new deploy names (or, when the API leaves them out
 * of it, the ones the target ran with), where they differ from what the Deployment ran before.
 */
export function liveTarget(made: Deploy, restores: Running, before: Deployment): LiveTarget {
  const imageTag = made.imageTag || restores.imageTag;
  const dags = made.dagTarballVersion || restores.dagTarballVersion;
  return {
    deployId: made.id,
    ...(imageTag && imageTag !== before.imageTag ? { imageTag } : {}),
    ...(dags && dags !== before.dagTarballVersion ? { dagTarballVersion: dags } : {}),
  };
}

/** The rollback's description: the user's, else one naming the target and this run. */
export function description(env: NodeJS.ProcessEnv, given: string | undefined, target: Deploy) {
  const run = runUrl(env);
  const text = given ?? `Rollback to ${describeDeploy(target)}${run ? ` by ${run}` : ''}`;
  return cutDescription(text);
}

function rollbackSection(
  name: string,
  c: RollbackChoice,
  done: { made: Deploy; live: Deployment } | undefined,
  dryRun: boolean,
): string {
  const rows: [string, string][] = [
    ['Rollback', `**${dryRun ? 'dry run: nothing changed' : 'done'}**`],
    ['From', cell(describeDeploy(c.live))],
    ['To', cell(describeDeploy(c.target))],
  ];
  if (c.target.description) rows.push(['Its description', cell(c.target.description)]);
  if (done) {
    rows.push(['New deploy', `\`${done.made.id}\``]);
    if (done.live.imageTag) rows.push(['Image tag', `\`${done.live.imageTag}\``]);
    if (done.live.dagTarballVersion)
      rows.push(['DAG tarball version', `\`${done.live.dagTarballVersion}\``]);
  }
  return `### ${escapeMarkdown(name)}\n\n${table(rows)}`;
}

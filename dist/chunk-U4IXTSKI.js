import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  airflowMajorOf,
  cutDescription,
  deploymentUrl,
  isBundleDeploy,
  liveDeploys,
  onHybrid
} from "./chunk-GUW7CTVJ.js";
import {
  apiTypeShipsDags,
  apiTypeShipsImage,
  assertDeployable,
  imagesBefore,
  isHibernating,
  waitUntilLive,
  wakeDeployment
} from "./chunk-U5E27BD7.js";
import {
  startOnGitHub,
  step
} from "./chunk-FVFCPJAK.js";
import {
  cell,
  escapeMarkdown,
  realClock,
  runUrl,
  table
} from "./chunk-YBDEDHWX.js";
import "./chunk-NV5WPINZ.js";

// src/decide/rollback.ts
var ROLLBACK_WINDOW_DAYS = 90;
var WINDOW_MS = ROLLBACK_WINDOW_DAYS * 864e5;
var time = (d) => Date.parse(d.createdAt);
var newestFirst = (list) => [...list].sort((a, b) => time(b) - time(a));
var successful = (d) => d.status === "DEPLOYED";
var short = (sha) => sha.slice(0, 12);
function describeDeploy(d) {
  const commit = d.git?.commitSha ? `commit ${short(d.git.commitSha)}, ` : "";
  return `deploy ${d.id} (${commit}made ${d.createdAt.slice(0, 16).replace("T", " ")} UTC)`;
}
function stateAt(code, target) {
  const upTo = code.filter((d) => d === target || successful(d) && time(d) < time(target));
  const image = upTo.find((d) => apiTypeShipsImage(d.type) && d.imageTag)?.imageTag;
  const dags = target.isDagDeployEnabled ? upTo.find((d) => apiTypeShipsDags(d.type) && d.dagTarballVersion)?.dagTarballVersion : void 0;
  return { imageTag: image, dagTarballVersion: dags };
}
function runs(state, now) {
  if (!state.imageTag && !state.dagTarballVersion) return false;
  return (!state.imageTag || state.imageTag === now.imageTag) && (!state.dagTarballVersion || state.dagTarballVersion === now.dagTarballVersion);
}
function chooseRollback(history, deployment, to, now) {
  const name = deployment.name;
  const code = newestFirst(history.filter((d) => !isBundleDeploy(d)));
  const found = liveDeploys(code, {}, deployment);
  const live = newestFirst([found.image, found.dags].filter((d) => !!d))[0];
  if (!live) {
    throw new Error(
      `${name} has no successful deploy in its deploy history, so there is nothing to roll back from; deploy it first.`
    );
  }
  const target = pick(code, history, live, to, name);
  const restores = stateAt(code, target);
  if (target.id === live.id || runs(restores, deployment)) {
    throw new Error(
      `${describeDeploy(target)} is what ${name} runs already, so a rollback to it would change nothing; pick an earlier deploy with rollback-to.`
    );
  }
  const last = newestFirst(history)[0];
  if (time(target) < now - WINDOW_MS && last.id !== target.id) {
    throw new Error(
      `${describeDeploy(target)} is older than ${ROLLBACK_WINDOW_DAYS} days, and Astro keeps older deploys for rollbacks only when one is the Deployment's last deploy; pick a deploy of the last ${ROLLBACK_WINDOW_DAYS} days.`
    );
  }
  return { live, target, restores };
}
function pick(code, history, live, to, name) {
  if (to.kind === "previous") {
    const before = code.find((d) => successful(d) && d.id !== live.id && time(d) < time(live));
    if (!before) {
      throw new Error(
        `${name} has no successful deploy before the live ${describeDeploy(live)}, so there is nothing to roll back to.`
      );
    }
    return before;
  }
  if (to.kind === "commit") {
    const of = code.filter(
      (d) => successful(d) && d.git?.commitSha?.toLowerCase().startsWith(to.sha)
    );
    const shas = [...new Set(of.map((d) => d.git.commitSha.toLowerCase()))];
    if (shas.length > 1) {
      throw new Error(
        `rollback-to '${to.sha}' matches the deployed commits ${shas.map(short).join(" and ")}; give more characters of the SHA.`
      );
    }
    if (!of.length) {
      throw new Error(
        `No successful deploy of commit ${to.sha} is in ${name}'s deploy history; give a commit that was deployed to it, a deploy id, or 'previous'.`
      );
    }
    return of[0];
  }
  const byId = history.find((d) => d.id === to.id);
  if (!byId) {
    throw new Error(
      `Deploy ${to.id} is not in ${name}'s deploy history; give the id of one of its deploys (the Astro UI lists them on the Deployment's Overview tab).`
    );
  }
  if (!successful(byId)) {
    throw new Error(
      `Deploy ${to.id} of ${name} is ${byId.status}, not a successful deploy, so there is nothing of it to put live again; pick a deploy whose status is DEPLOYED.`
    );
  }
  return byId;
}

// src/flows/rollback.ts
async function rollbackFlow(p, base) {
  const { api, settings, log, journal } = p;
  const url = deploymentUrl(settings.apiUrl, base.workspaceId, base.id);
  journal.known = {
    ...journal.known,
    deploymentId: base.id,
    deployType: "rollback",
    deploymentUrl: url
  };
  const outcome = { deploymentId: base.id, deployType: "rollback", deploymentUrl: url };
  const choice = await step(p, "Choose the deploy to roll back to", async () => {
    await requireHosted(api, base, log);
    assertDeployable(base, settings.wakeOnDeploy);
    const c = chooseRollback(
      await api.listDeploys(base.id),
      base,
      settings.rollbackTo,
      realClock.now()
    );
    log.info(`Live: ${describeDeploy(c.live)}; rolling back to ${describeDeploy(c.target)}.`);
    const back = airflow3To2(base, c.target);
    if (back) log.warning(back);
    return c;
  });
  const what = `${base.name} from ${describeDeploy(choice.live)} to ${describeDeploy(choice.target)}`;
  if (settings.dryRun) {
    journal.sections.push(rollbackSection(base.name, choice, void 0, true));
    return { ...outcome, skipped: true, reason: `dry run: would roll back ${what}` };
  }
  const reason = `roll back ${what}`;
  const decided = { target: base, preview: false, url, kind: "rollback", reason };
  const ref = choice.target.git?.commitSha;
  const github = await startOnGitHub(p, { ...decided, ref }, { base }, "");
  const { made, live, supersededBy } = await rollBack(p, base, choice);
  journal.sections.push(rollbackSection(base.name, choice, { made, live }, false));
  const replaced = supersededBy ? `; a newer deploy (${supersededBy}) replaced it before it went live` : "";
  return github.success({
    ...outcome,
    skipped: false,
    reason: `rolled back ${what}${replaced}`,
    deployId: made.id,
    imageTag: live.imageTag || void 0,
    dagTarballVersion: live.dagTarballVersion || void 0
  });
}
async function rollBack(p, base, { target, restores }) {
  const { api, settings, log, journal } = p;
  const woken = isHibernating(base) ? await step(
    p,
    "Wake the Deployment",
    () => wakeDeployment({ api, deployment: base, waitMs: settings.waitMs, log, journal })
  ) : void 0;
  let failed = true;
  let madeId;
  try {
    const made = await step(p, "Roll back", async () => {
      const d = await api.rollbackDeploy(base.id, target.id, {
        description: description(p.env, settings.description, target)
      });
      journal.deployCreated({ id: d.id, deploymentId: base.id, name: base.name });
      journal.deployStage(d.id, "finalized");
      log.info(`Rollback deploy ${d.id} created on ${base.name}.`);
      return d;
    });
    madeId = made.id;
    journal.known = { ...journal.known, deployId: made.id };
    const before = woken?.deployment ?? base;
    const wanted = liveTarget(made, restores, before);
    if (wanted.imageTag)
      wanted.earlierImageTags = imagesBefore(
        await api.listDeploys(base.id),
        made.id,
        before.imageTag
      );
    const waited = await step(
      p,
      "Wait until live",
      () => waitUntilLive({
        api,
        deploymentId: base.id,
        target: wanted,
        before,
        waitMs: settings.waitMs,
        log
      })
    );
    journal.deployDone(made.id);
    failed = false;
    return { made, live: waited.deployment, supersededBy: waited.supersededBy };
  } finally {
    if (madeId) journal.deploySettled(madeId);
    const problem = await woken?.restore();
    if (problem && failed) journal.note(` (${problem})`);
    else if (problem) log.warning(problem);
  }
}
async function requireHosted(api, d, log) {
  const { hybrid, product } = await onHybrid(api, d, log);
  if (hybrid) {
    throw new Error(
      `Rollbacks are available only on Astro Hosted, and ${d.name} is ${product ? `in an organization whose product is ${product}` : "an Astro Hybrid Deployment"}; to go back, revert the change in git and deploy that commit.`
    );
  }
}
function airflow3To2(d, target) {
  if (airflowMajorOf(d) !== 3 || airflowMajorOf(target) !== 2) return void 0;
  return `${d.name} runs Airflow ${d.airflowVersion} and ${describeDeploy(target)} ran Airflow ${target.airflowVersion}: Astro rolls Airflow 3 Deployments back to Airflow 2 only for some versions (see its Airflow 3 to Airflow 2 rollback requirements), so it may refuse this rollback.`;
}
function liveTarget(made, restores, before) {
  const imageTag = made.imageTag || restores.imageTag;
  const dags = made.dagTarballVersion || restores.dagTarballVersion;
  return {
    deployId: made.id,
    ...imageTag && imageTag !== before.imageTag ? { imageTag } : {},
    ...dags && dags !== before.dagTarballVersion ? { dagTarballVersion: dags } : {}
  };
}
function description(env, given, target) {
  const run = runUrl(env);
  const text = given ?? `Rollback to ${describeDeploy(target)}${run ? ` by ${run}` : ""}`;
  return cutDescription(text);
}
function rollbackSection(name, c, done, dryRun) {
  const rows = [
    ["Rollback", `**${dryRun ? "dry run: nothing changed" : "done"}**`],
    ["From", cell(describeDeploy(c.live))],
    ["To", cell(describeDeploy(c.target))]
  ];
  if (c.target.description) rows.push(["Its description", cell(c.target.description)]);
  if (done) {
    rows.push(["New deploy", `\`${done.made.id}\``]);
    if (done.live.imageTag) rows.push(["Image tag", `\`${done.live.imageTag}\``]);
    if (done.live.dagTarballVersion)
      rows.push(["DAG tarball version", `\`${done.live.dagTarballVersion}\``]);
  }
  return `### ${escapeMarkdown(name)}

${table(rows)}`;
}
export {
  airflow3To2,
  description,
  liveTarget,
  rollbackFlow
};

import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  previewEnvironment
} from "./chunk-YBDEDHWX.js";

// src/flows/parts.ts
async function step(p, title, fn) {
  const outer = p.journal.step;
  p.journal.step = title;
  let result;
  if (outer === void 0) {
    result = await p.reporter.group(title, fn);
  } else {
    p.log.info(`${title}:`);
    result = await fn();
  }
  p.journal.step = outer;
  return result;
}

// src/flows/github-record.ts
var DEPLOYMENT = "github-deployment";
var COMMENT = "pr-comment";
var nothing = { success: async (o) => o, superseded: async () => {
} };
function deployedRef(p, head) {
  const t = p.trigger;
  return (t.kind === "pull_request" ? t.headSha : void 0) || t.sha || head;
}
function commentFacts(p, d, g, ref) {
  return {
    base: { id: g.base.id, name: g.base.name },
    target: { id: d.target.id, name: d.target.name, url: d.url },
    preview: d.preview,
    branch: p.trigger.branch,
    commitSha: ref,
    deployType: d.kind,
    reason: d.reason,
    omittedSecrets: g.omittedSecrets,
    connectionsWithoutPassword: g.connectionsWithoutPassword,
    runUrl: p.github?.runUrl
  };
}
async function startOnGitHub(p, d, g, head) {
  const gh = p.github;
  if (!gh || p.settings.dryRun || !gh.deployments && !gh.comment) return nothing;
  const { target, preview, url } = d;
  const branch = p.trigger.branch;
  const ref = d.ref || deployedRef(p, head);
  const facts = commentFacts(p, d, g, ref);
  const environment = preview && branch ? previewEnvironment(branch) : target.name;
  const handle = await gh.deployments?.start({
    environment,
    ref,
    description: `${d.kind} deploy to ${target.name}`,
    transient: preview,
    logUrl: gh.runUrl,
    environmentUrl: url
  });
  if (handle?.id) {
    const fail = (sentence) => handle.failure({ description: sentence });
    p.journal.githubStarted(DEPLOYMENT, fail, { id: handle.id, environment });
  }
  await gh.comment?.write({ ...facts, state: "deploying" });
  const comment = gh.comment;
  if (comment)
    p.journal.githubStarted(
      COMMENT,
      (error) => comment.write({ ...facts, state: "failure", error })
    );
  const closed = () => [DEPLOYMENT, COMMENT].forEach((k) => p.journal.githubClosed(k));
  return {
    async success(o) {
      closed();
      await handle?.success({ environmentUrl: url, description: `Live: ${o.reason}` });
      await gh.comment?.write({
        ...facts,
        state: "success",
        deployType: o.deployType,
        reason: o.reason,
        deployId: o.deployId,
        imageTag: o.imageTag,
        dagTarballVersion: o.dagTarballVersion
      });
      return o;
    },
    async superseded(o) {
      closed();
      await handle?.inactive({ description: o.reason });
    }
  };
}
async function creatingOnGitHub(p, base, name, branch) {
  const comment = p.github?.comment;
  if (!comment || p.settings.dryRun) return;
  const facts = {
    base: { id: base.id, name: base.name },
    target: { name },
    preview: true,
    branch,
    commitSha: deployedRef(p, ""),
    runUrl: p.github?.runUrl
  };
  await comment.write({ ...facts, state: "deploying" });
  p.journal.githubStarted(COMMENT, (error) => comment.write({ ...facts, state: "failure", error }));
}
async function unchangedOnGitHub(p, d, g, head) {
  const gh = p.github;
  if (!gh?.comment || p.settings.dryRun || d.stale) return;
  await gh.comment.write({ ...commentFacts(p, d, g, deployedRef(p, head)), state: "unchanged" });
}
async function deletedOnGitHub(p, base, branch, deleted, reason) {
  const gh = p.github;
  if (!gh || p.settings.dryRun) return;
  await gh.deployments?.deactivate(previewEnvironment(branch), {
    description: reason,
    logUrl: gh.runUrl
  });
  if (!deleted) return;
  await gh.comment?.write({
    state: "deleted",
    base: { id: base.id, name: base.name },
    target: { id: deleted.id, name: deleted.name },
    preview: true,
    branch,
    runUrl: gh.runUrl
  });
}

export {
  step,
  startOnGitHub,
  creatingOnGitHub,
  unchangedOnGitHub,
  deletedOnGitHub
};

import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  GitHubApiError,
  cell,
  codeCell,
  createGitHubDeployments,
  githubClient,
  mdCode,
  mdUrl,
  runUrl,
  toGitHubApiError
} from "./chunk-YBDEDHWX.js";

// src/github/comment.ts
async function writePrComment(args) {
  const { log } = args;
  const timeoutMs = args.timeoutMs ?? 3e4;
  const body = args.body.startsWith(args.marker) ? args.body : `${args.marker}
${args.body}`;
  let step = "read the comments of";
  try {
    if (!/^[^/\s]+\/[^/\s]+$/.test(args.repo))
      throw new GitHubApiError(0, `"${args.repo}" is not an owner/name repository`);
    if (!Number.isInteger(args.prNumber) || args.prNumber <= 0)
      throw new GitHubApiError(0, `${args.prNumber} is not a pull request number`);
    if (!args.token && !args.client) throw new GitHubApiError(0, "no github-token");
    const [owner, repo] = args.repo.split("/");
    const gh = args.client ?? await githubClient({
      token: args.token,
      apiUrl: args.apiUrl,
      timeoutMs,
      retry: args.retry,
      log
    });
    const where = { owner, repo, issue_number: args.prNumber };
    let ours;
    let pages = 0;
    for await (const page of gh.paginate.iterator(gh.rest.issues.listComments, {
      ...where,
      per_page: 100
    })) {
      if (!Array.isArray(page.data)) throw new GitHubApiError(0, "the comments list is not a list");
      ours = page.data.find(
        (c2) => typeof c2.body === "string" && c2.body.startsWith(args.marker)
      );
      if (ours || ++pages >= 100) break;
    }
    if (ours) {
      if (ours.body === body) {
        log.info(`The pull request comment is up to date (${ours.html_url ?? ours.id}).`);
        return { commentId: ours.id, action: "unchanged", url: ours.html_url };
      }
      step = "update";
      const { data: c2 } = await gh.rest.issues.updateComment({
        owner,
        repo,
        comment_id: ours.id,
        body
      });
      log.info(`Updated the pull request comment ${c2?.html_url ?? ours.id}.`);
      return { commentId: ours.id, action: "updated", url: c2?.html_url };
    }
    step = "post";
    const { data: c } = await gh.rest.issues.createComment({ ...where, body });
    log.info(`Commented on pull request #${args.prNumber}: ${c?.html_url ?? c?.id}.`);
    return { commentId: c?.id, action: "created", url: c?.html_url };
  } catch (e) {
    const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, timeoutMs, Date.now());
    const target = step === "read the comments of" ? `${step} pull request #${args.prNumber}` : `${step} the comment on pull request #${args.prNumber}`;
    const hint = err.status === 401 ? " The github-token is not valid." : err.status === 403 || err.status === 404 ? " Give the job `permissions: pull-requests: write` (or pass a github-token that can comment)." : "";
    return {
      warning: `Could not ${target} (${err.message}); ${args.unaffected ?? "the preview itself is fine"}.${hint}`,
      status: err.status
    };
  }
}

// src/github/live-comment.ts
function liveCommentMarker(baseId) {
  return `<!-- astro-deploy-action pr-comment base=${encodeURIComponent(baseId)} -->`;
}
var HEADLINE = {
  deploying: "Deploying to Astro",
  success: "Deployed to Astro",
  failure: "Astro deploy failed",
  deleted: "Astro preview deleted",
  unchanged: "Up to date on Astro"
};
function liveCommentBody(f) {
  const url = f.state === "deleted" ? void 0 : mdUrl(f.target.url);
  const name = url ? `[${cell(f.target.name)}](${url})` : mdCode(f.target.name);
  const lines = [liveCommentMarker(f.base.id), `### ${HEADLINE[f.state]}: ${name}`, ""];
  const what = f.preview ? `Preview of ${mdCode(f.base.name)} (${mdCode(f.base.id)})` : `Deployment ${mdCode(f.base.name)} (${mdCode(f.base.id)})`;
  const from = [
    f.commitSha ? `commit ${mdCode(f.commitSha.slice(0, 12))}` : void 0,
    f.branch ? `branch ${mdCode(f.branch)}` : void 0
  ].filter(Boolean);
  const sentence = {
    deploying: `${what}: deploying${from.length ? ` ${from.join(" of ")}` : ""} \u2026`,
    success: `${what}: deployed${from.length ? ` ${from.join(" of ")}` : ""}.`,
    failure: `${what}: the deploy${from.length ? ` of ${from.join(" of ")}` : ""} failed.`,
    deleted: `${what}: the preview was deleted with the pull request.`,
    unchanged: `${what}: nothing to deploy${from.length ? ` for ${from.join(" of ")}` : ""}.`
  };
  lines.push(sentence[f.state], "");
  if (f.state === "failure" && f.error) lines.push(`> ${cell(f.error)}`, "");
  if (f.state === "success" || f.state === "failure" || f.state === "unchanged") {
    const rows = [
      ["Deployment", f.target.id ? codeCell(f.target.id) : void 0],
      ["Deployed", f.deployType ? codeCell(f.deployType) : void 0],
      ["Why", f.reason ? cell(f.reason) : void 0],
      ["Deploy", f.deployId ? codeCell(f.deployId) : void 0],
      ["Image tag", f.imageTag ? codeCell(f.imageTag) : void 0],
      ["DAG tarball", f.dagTarballVersion ? codeCell(f.dagTarballVersion) : void 0]
    ];
    const shown = rows.filter(([, v]) => v);
    if (shown.length) {
      lines.push("| | |", "|---|---|");
      for (const [k, v] of shown) lines.push(`| ${k} | ${v} |`);
      lines.push("");
    }
  }
  if (f.state !== "deleted") {
    if (f.omittedSecrets?.length)
      lines.push(
        `Secret environment variables not copied from the base (set them on the preview): ${f.omittedSecrets.map(mdCode).join(", ")}.`,
        ""
      );
    if (f.connectionsWithoutPassword?.length)
      lines.push(
        `Connections copied without a password: ${f.connectionsWithoutPassword.map(mdCode).join(", ")}.`,
        ""
      );
  }
  const run = mdUrl(f.runUrl);
  if (run) lines.push(`[Workflow run](${run})`, "");
  return lines.join("\n").trimEnd() + "\n";
}
function createLiveComment(o) {
  const { octokit, owner, repo, prNumber, log } = o;
  let enabled = true;
  const ids = /* @__PURE__ */ new Map();
  let last;
  const warn = (warning, status) => {
    if (status === 401 || status === 403) {
      enabled = false;
      log.warning(`${warning} No more pull request comments on this run.`);
    } else log.warning(warning);
  };
  return {
    get enabled() {
      return enabled;
    },
    get commentId() {
      return last;
    },
    async write(facts) {
      if (!enabled) return;
      const body = liveCommentBody(facts);
      const commentId = ids.get(facts.base.id);
      if (commentId !== void 0) {
        try {
          await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
          last = commentId;
          log.info(`Updated the pull request comment (${facts.state}).`);
          return;
        } catch (e) {
          const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, 3e4, Date.now());
          if (err.status !== 404) {
            return warn(
              `Could not update the comment on pull request #${prNumber} (${err.message}); the deploy itself is not affected.${err.status === 403 ? " Give the job `permissions: pull-requests: write`." : ""}`,
              err.status
            );
          }
          ids.delete(facts.base.id);
        }
      }
      const r = await writePrComment({
        client: octokit,
        apiUrl: "",
        token: "",
        repo: `${owner}/${repo}`,
        prNumber,
        body,
        marker: liveCommentMarker(facts.base.id),
        log,
        unaffected: "the deploy itself is not affected"
      });
      if (r.warning) return warn(r.warning, r.status);
      if (r.commentId !== void 0) ids.set(facts.base.id, r.commentId);
      last = r.commentId;
    }
  };
}

// src/github/parts.ts
async function createGitHubParts(o) {
  const { log, env } = o;
  const link = runUrl(env);
  const wanted = [
    o.deployments ? "github-deployments" : void 0,
    o.prComment && o.prNumber ? "pr-comment" : void 0
  ].filter((x) => Boolean(x));
  if (o.prComment && !o.prNumber)
    log.info("pr-comment is true but this run is not for a pull request, so no comment.");
  if (wanted.length === 0) return { runUrl: link };
  const what = wanted.join(" and ");
  if (o.dryRun) {
    log.info(`Dry run: nothing is written to GitHub (${what}).`);
    return { runUrl: link };
  }
  if (!o.token) {
    log.warning(
      `${what} ${wanted.length > 1 ? "are" : "is"} on but 'github-token' is empty, so nothing is recorded on GitHub; pass github-token: \${{ github.token }} (or set ${what}: false).`
    );
    return { runUrl: link };
  }
  const client = await repositoryClient(o);
  if ("without" in client) {
    log.warning(
      `${what} ${wanted.length > 1 ? "are" : "is"} on but ${client.without}, so nothing is recorded on GitHub; run the action in a GitHub Actions job.`
    );
    return { runUrl: link };
  }
  const { octokit, owner, repo } = client;
  return {
    runUrl: link,
    deployments: o.deployments ? createGitHubDeployments({ octokit, owner, repo, log }) : void 0,
    comment: o.prComment && o.prNumber ? createLiveComment({ octokit, owner, repo, prNumber: o.prNumber, log }) : void 0
  };
}
function githubPartsFor(settings, trigger, env, log) {
  return createGitHubParts({
    token: settings.githubToken ?? "",
    deployments: settings.githubDeployments,
    prComment: settings.prComment,
    prNumber: trigger.kind === "pull_request" ? trigger.number : void 0,
    dryRun: settings.dryRun,
    env,
    log
  });
}
async function repositoryClient(o) {
  if (!o.token) return { without: "'github-token' is empty" };
  const full = o.env.GITHUB_REPOSITORY ?? "";
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full);
  if (!m)
    return { without: `GITHUB_REPOSITORY is ${full ? `"${full}", not owner/name` : "not set"}` };
  const octokit = await githubClient({
    token: o.token,
    apiUrl: o.env.GITHUB_API_URL || void 0,
    timeoutMs: o.timeoutMs,
    retry: o.retry,
    log: o.log
  });
  return { octokit, owner: m[1], repo: m[2] };
}

export {
  githubPartsFor,
  repositoryClient
};

import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  repositoryClient
} from "./chunk-F7O7LQI2.js";
import {
  markedBranch
} from "./chunk-LRPC5GZK.js";
import {
  parseToken
} from "./chunk-YLPVOD4M.js";
import {
  deletedOnGitHub,
  step
} from "./chunk-FVFCPJAK.js";
import {
  cell,
  codeCell
} from "./chunk-YBDEDHWX.js";
import "./chunk-NV5WPINZ.js";

// src/github/pulls.ts
function pullLookup(octokit, owner, repo) {
  return async (branch) => {
    const found = {};
    try {
      let pages = 0;
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.list, {
        owner,
        repo,
        head: `${owner}:${branch}`,
        state: "all",
        per_page: 100
      })) {
        for (const pr of page.data) {
          if (pr.head?.ref !== void 0 && pr.head.ref !== branch) continue;
          if (pr.state === "open") return { open: pr.number };
          found.closed ??= pr.number;
        }
        if (++pages >= 20) break;
      }
    } catch (e) {
      const err = e;
      const hint = err.status === 401 ? " The github-token is not valid." : err.status === 403 || err.status === 404 ? " Give the job `permissions: pull-requests: read` (or pass a github-token that can read pull requests)." : "";
      throw new Error(
        `Could not read the pull requests of branch ${branch} (${err.message ?? String(e)}), so its preview is kept.${hint}`
      );
    }
    return found;
  };
}
async function createPullLookup(args) {
  const client = await repositoryClient(args);
  if ("without" in client) return { without: client.without };
  return { lookup: pullLookup(client.octokit, client.owner, client.repo) };
}

// src/flows/cleanup.ts
async function markedPreviews(p, base) {
  const all = await p.api.listDeployments({ workspaceIds: [base.workspaceId] });
  const out = [];
  for (const d of all) {
    if (d.workspaceId !== base.workspaceId || d.id === base.id || d.name === base.name) continue;
    const branch = markedBranch(d.description, base.id);
    if (branch) out.push({ preview: d, branch });
  }
  return out.sort(
    (a, b) => a.preview.name === b.preview.name ? a.preview.id.localeCompare(b.preview.id) : a.preview.name.localeCompare(b.preview.name)
  );
}
async function originBranches(p) {
  const ws = await p.checkout();
  let heads;
  try {
    heads = await ws.git.remoteBranches();
  } catch (e) {
    throw new Error(
      `Could not list the branches on origin (${e.message}), so no preview was deleted; check that the job can read the repository (github-token, or the checkout's credentials).`
    );
  }
  if (heads.size === 0) {
    throw new Error(
      "origin lists no branches at all, so no preview was deleted (every preview would look orphaned); check the repository the job checks out."
    );
  }
  return heads;
}
async function judge(m, heads, pulls) {
  if (heads.has(m.branch))
    return { ...m, result: "kept", why: `branch ${m.branch} still exists on origin` };
  const gone = `branch ${m.branch} is gone from origin`;
  if (!pulls.lookup) return { ...m, result: "would delete", why: gone };
  let found;
  try {
    found = await pulls.lookup(m.branch);
  } catch (e) {
    return { ...m, result: "not deleted", why: e.message };
  }
  if (found.open !== void 0)
    return { ...m, result: "kept", why: `${gone}, but pull request #${found.open} is open` };
  const prs = found.closed !== void 0 ? `pull request #${found.closed} is closed` : "no pull request was opened from it";
  return { ...m, result: "would delete", why: `${gone} and ${prs}` };
}
async function remove(p, base, row) {
  const { preview, branch } = row;
  try {
    const done = await p.previews.deletePreview({
      api: p.api,
      base,
      branch,
      name: preview.name,
      legacy: false,
      log: p.log
    });
    await deletedOnGitHub(p, base, branch, void 0, `preview deleted: ${row.why}`);
    if (done.nothing) return { ...row, result: "deleted", why: `${row.why}; it was already gone` };
    return { ...row, result: "deleted" };
  } catch (e) {
    return {
      ...row,
      result: "not deleted",
      why: `${row.why}, but deleting it failed: ${e.message}`
    };
  }
}
async function cleanupFlow(p, base, given) {
  const { log, settings } = p;
  p.journal.known = { ...p.journal.known, deploymentId: base.id };
  if (parseToken(settings.token).deploymentId) {
    throw new Error(
      "action cleanup-previews needs a Workspace or Organization API token, but ASTRO_API_TOKEN is a Deployment API token, which sees only its own Deployment and can neither find nor delete previews; set it to a Workspace API token (Workspace Operator) of the base's workspace."
    );
  }
  const marked = await step(p, "Find the previews", async () => {
    const found = await markedPreviews(p, base);
    log.info(`${found.length} marked preview(s) of ${base.name} (${base.id}).`);
    return found;
  });
  const heads = marked.length ? await originBranches(p) : /* @__PURE__ */ new Set();
  const title = settings.dryRun ? "Judge the previews" : "Delete orphaned previews";
  const rows = await step(p, title, async () => {
    const pulls = await pullsFor(p, marked, heads, given);
    const out = [];
    for (const m of marked) out.push(await handle(p, base, await judge(m, heads, pulls)));
    return out;
  });
  p.journal.sections.push(cleanupSection(base, rows, settings.dryRun));
  return finish(base, rows, settings.dryRun);
}
async function pullsFor(p, marked, heads, given) {
  if (!marked.some((m) => !heads.has(m.branch))) return {};
  const pulls = given ?? await createPullLookup({ token: p.settings.githubToken, env: p.env, log: p.log });
  if (pulls.without)
    p.log.info(
      `Pull requests are not checked (${pulls.without}), so the branches alone decide: a preview whose branch is gone from origin is deleted even if a pull request from it is still open.`
    );
  return pulls;
}
async function handle(p, base, judged) {
  const what = `${judged.preview.name} (${judged.preview.id}), branch ${judged.branch}`;
  let row = judged;
  if (row.result === "would delete" && !p.settings.dryRun) {
    p.log.info(`Deleting ${what}: ${row.why}.`);
    row = await remove(p, base, row);
  } else if (row.result === "kept") p.log.info(`Keeping ${what}: ${row.why}.`);
  else if (row.result === "would delete") p.log.info(`Dry run: would delete ${what}: ${row.why}.`);
  if (row.result === "not deleted") p.log.warning(`Not deleted: ${what}: ${row.why}`);
  return row;
}
function finish(base, rows, dryRun) {
  const count = (r) => rows.filter((x) => x.result === r).length;
  const kept = count("kept");
  const did = dryRun ? `dry run: would delete ${count("would delete")} and keep ${kept}` : `deleted ${count("deleted")} and kept ${kept}`;
  const reason = `${did} of the ${rows.length} preview(s) of ${base.name}`;
  const failed = rows.filter((x) => x.result === "not deleted");
  if (failed.length) {
    const each = failed.map((x) => `${x.preview.name} (${x.preview.id}): ${x.why}`).join("; ");
    throw new Error(
      `${reason[0].toUpperCase()}${reason.slice(1)}, but ${failed.length} orphaned preview(s) could not be judged or deleted and stay \u2014 ${each}. Fix what each says and run again.`
    );
  }
  return { deployType: "none", skipped: true, reason, deploymentId: base.id };
}
function cleanupSection(base, rows, dryRun) {
  const title = `### Preview cleanup of ${cell(base.name)}${dryRun ? " (dry run: nothing deleted)" : ""}

`;
  if (!rows.length) return `${title}No marked previews of this Deployment.
`;
  const lines = rows.map(
    (r) => `| ${cell(r.preview.name)} | ${codeCell(r.preview.id)} | ${codeCell(r.branch)} | ${r.result} | ${cell(r.why)} |`
  );
  return `${title}| Preview | Id | Branch | Result | Why |
|---|---|---|---|---|
${lines.join("\n")}
`;
}
export {
  cleanupFlow
};

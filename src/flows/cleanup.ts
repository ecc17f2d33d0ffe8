// action: cleanup-previews — delete the previews of the base whose branch is gone from origin
// (for a scheduled job: deploy-action leaks previews when a branch goes without a `delete`
// event, or when the delete job fails). Only Deployments whose description carries the
// marker sentence for this base are looked at; the branch comes from that sentence. A preview
// whose branch still exists is kept; one whose branch is gone is kept while a pull request
// from the branch is open (when a github-token can ask). Dry runs list what would go.
import { parseToken } from '../astro/token.js';
import type { Deployment } from '../astro/types.js';
import { createPullLookup, type PullLookup } from '../github/pulls.js';
import { markedBranch } from '../preview/names.js';
import type { Outcome } from '../report/report.js';
import { cell, codeCell } from '../report/markdown.js';
import { deletedOnGitHub } from './github-record.js';
import { step, type Parts } from './parts.js';

/** A marked preview of the base and the branch its marker names. */
interface Marked {
  preview: Deployment;
  branch: string;
}

export type CleanupResult = 'kept' | 'deleted' | 'would delete' | 'not deleted';

/** One preview's line in the summary. */
export interface CleanupRow extends Marked {
  result: CleanupResult;
  why: string;
}

/** How the flow asks about pull requests: a lookup, or why there is none (tests pass one). */
export interface Pulls {
  lookup?: PullLookup;
  without?: string;
}

/** The marked previews of `base` in its workspace (never the base, never an unmarked one). */
async function markedPreviews(p: Parts, base: Deployment): Promise<Marked[]> {
  const all = await p.api.listDeployments({ workspaceIds: [base.workspaceId] });
  const out: Marked[] = [];
  // Filter again here: the guard must not depend on the server honouring the filters.
  for (const d of all) {
    if (d.workspaceId !== base.workspaceId || d.id === base.id || d.name === base.name) continue;
    const branch = markedBranch(d.description, base.id);
    if (branch) out.push({ preview: d, branch });
  }
  return out.sort((a, b) =>
    a.preview.name === b.preview.name
      ? a.preview.id.localeCompare(b.preview.id)
      : a.preview.name.localeCompare(b.preview.name),
  );
}

/** The branches on origin, through the checkout (refs only: a shallow checkout is enough). */
async function originBranches(p: Parts): Promise<Set<string>> {
  const ws = await p.checkout();
  let heads: Set<string>;
  try {
    heads = await ws.git.remoteBranches();
  } catch (e) {
    throw new Error(
      `Could not list the branches on origin (${(e as Error).message}), so no preview was deleted; check that the job can read the repository (github-token, or the checkout's credentials).`,
    );
  }
  // Every repository has its default branch: an empty list is a wrong answer, not a fact.
  if (heads.size === 0) {
    throw new Error(
      'origin lists no branches at all, so no preview was deleted (every preview would look orphaned); check the repository the job checks out.',
    );
  }
  return heads;
}

/** Whether one preview goes, and why (before anything is deleted). */
async function judge(m: Marked, heads: Set<string>, pulls: Pulls): Promise<CleanupRow> {
  if (heads.has(m.branch))
    return { ...m, result: 'kept', why: `branch ${m.branch} still exists on origin` };
  const gone = `branch ${m.branch} is gone from origin`;
  if (!pulls.lookup) return { ...m, result: 'would delete', why: gone };
  let found;
  try {
    found = await pulls.lookup(m.branch);
  } catch (e) {
    return { ...m, result: 'not deleted', why: (e as Error).message };
  }
  if (found.open !== undefined)
    return { ...m, result: 'kept', why: `${gone}, but pull request #${found.open} is open` };
  const prs =
    found.closed !== undefined
      ? `pull request #${found.closed} is closed`
      : 'no pull request was opened from it';
  return { ...m, result: 'would delete', why: `${gone} and ${prs}` };
}

/** Delete one preview judged orphaned (the guard in deletePreview applies). */
async function remove(p: Parts, base: Deployment, row: CleanupRow): Promise<CleanupRow> {
  const { preview, branch } = row;
  try {
    const done = await p.previews.deletePreview({
      api: p.api,
      base,
      branch,
      name: preview.name,
      legacy: false,
      log: p.log,
    });
    // Its GitHub environment's deployments go inactive, as on a preview delete.
    await deletedOnGitHub(p, base, branch, undefined, `preview deleted: ${row.why}`);
    if (done.nothing) return { ...row, result: 'deleted', why: `${row.why}; it was already gone` };
    return { ...row, result: 'deleted' };
  } catch (e) {
    return {
      ...row,
      result: 'not deleted',
      why: `${row.why}, but deleting it failed: ${(e as Error).message}`,
    };
  }
}

export async function cleanupFlow(p: Parts, base: Deployment, given?: Pulls): Promise<Outcome> {
  const { log, settings } = p;
  p.journal.known = { ...p.journal.known, deploymentId: base.id };
  // It would list no previews and report "nothing to do": say what is wrong instead.
  if (parseToken(settings.token).deploymentId) {
    throw new Error(
      "action cleanup-previews needs a Workspace or Organization API token, but ASTRO_API_TOKEN is a Deployment API token, which sees only its own Deployment and can neither find nor delete previews; set it to a Workspace API token (Workspace Operator) of the base's workspace.",
    );
  }
  // Previews first, branches second: a preview made after the listing is never looked at.
  const marked = await step(p, 'Find the previews', async () => {
    const found = await markedPreviews(p, base);
    log.info(`${found.length} marked preview(s) of ${base.name} (${base.id}).`);
    return found;
  });
  const heads = marked.length ? await originBranches(p) : new Set<string>();
  const title = settings.dryRun ? 'Judge the previews' : 'Delete orphaned previews';
  const rows = await step(p, title, async () => {
    const pulls = await pullsFor(p, marked, heads, given);
    const out: CleanupRow[] = [];
    // One at a time: a failure with one preview does not stop the others.
    for (const m of marked) out.push(await handle(p, base, await judge(m, heads, pulls)));
    return out;
  });
  p.journal.sections.push(cleanupSection(base, rows, settings.dryRun));
  return finish(base, rows, settings.dryRun);
}

/** The pull-request lookup, asked for only when some branch is gone; says once when there is none. */
async function pullsFor(p: Parts, marked: Marked[], heads: Set<string>, given?: Pulls) {
  if (!marked.some((m) => !heads.has(m.branch))) return {};
  const pulls =
    given ?? (await createPullLookup({ token: p.settings.githubToken, env: p.env, log: p.log }));
  if (pulls.without)
    p.log.info(
      `Pull requests are not checked (${pulls.without}), so the branches alone decide: a preview whose branch is gone from origin is deleted even if a pull request from it is still open.`,
    );
  return pulls;
}

/** One log line for the preview with why; deletes it unless kept or a dry run. */
async function handle(p: Parts, base: Deployment, judged: CleanupRow): Promise<CleanupRow> {
  const what = `${judged.preview.name} (${judged.preview.id}), branch ${judged.branch}`;
  let row = judged;
  if (row.result === 'would delete' && !p.settings.dryRun) {
    p.log.info(`Deleting ${what}: ${row.why}.`);
    row = await remove(p, base, row);
  } else if (row.result === 'kept') p.log.info(`Keeping ${what}: ${row.why}.`);
  else if (row.result === 'would delete') p.log.info(`Dry run: would delete ${what}: ${row.why}.`);
  if (row.result === 'not deleted') p.log.warning(`Not deleted: ${what}: ${row.why}`);
  return row;
}

/** The outcome; a run that could not judge or delete a preview fails, naming each one. */
function finish(base: Deployment, rows: CleanupRow[], dryRun: boolean): Outcome {
  const count = (r: CleanupResult) => rows.filter((x) => x.result === r).length;
  const kept = count('kept');
  const did = dryRun
    ? `dry run: would delete ${count('would delete')} and keep ${kept}`
    : `deleted ${count('deleted')} and kept ${kept}`;
  const reason = `${did} of the ${rows.length} preview(s) of ${base.name}`;
  const failed = rows.filter((x) => x.result === 'not deleted');
  if (failed.length) {
    const each = failed.map((x) => `${x.preview.name} (${x.preview.id}): ${x.why}`).join('; ');
    throw new Error(
      `${reason[0].toUpperCase()}${reason.slice(1)}, but ${failed.length} orphaned preview(s) could not be judged or deleted and stay — ${each}. Fix what each says and run again.`,
    );
  }
  return { deployType: 'none', skipped: true, reason, deploymentId: base.id };
}

/** The summary: each preview with its branch, what happened and why. */
function cleanupSection(base: Deployment, rows: CleanupRow[], dryRun: boolean): string {
  const title = `### Preview cleanup of ${cell(base.name)}${dryRun ? ' (dry run: nothing deleted)' : ''}\n\n`;
  if (!rows.length) return `${title}No marked previews of this Deployment.\n`;
  const lines = rows.map(
    (r) =>
      `| ${cell(r.preview.name)} | ${codeCell(r.preview.id)} | ${codeCell(r.branch)} | ${r.result} | ${cell(r.why)} |`,
  );
  return `${title}| Preview | Id | Branch | Result | Why |\n|---|---|---|---|---|\n${lines.join('\n')}\n`;
}

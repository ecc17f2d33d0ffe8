// What GitHub shows of a deploy (`github-deployments`, `pr-comment`): a GitHub deployment
// whose status follows the deploy, and the live pull-request comment. Both start once the
// deploy is decided and about to act — never for a skip or a dry run, so the repository's
// environments only list what really went out — and close here on success; a failure or a
// cancellation closes them through the run journal (main.ts `failed` / `cancelled`).
import type { Deployment } from '../astro/types.js';
import { previewEnvironment } from '../github/deployments.js';
import type { LiveCommentFacts } from '../github/live-comment.js';
import type { Outcome } from '../report/report.js';
import type { Parts } from './parts.js';

/** What the flow knows of the deploy's target for GitHub. */
export interface GitHubTarget {
  /** The base Deployment (the target itself for a plain deploy). */
  base: Deployment;
  /** What a new preview lacks (said in the comment). */
  omittedSecrets?: string[];
  connectionsWithoutPassword?: string[];
}

export interface GitHubRecord {
  /** The deploy went live: status `success`, the comment to success. */
  success(o: Outcome): Promise<void>;
  /** The deploy will never go live (left unfinalized: a newer commit is live): `inactive`. */
  superseded(o: Outcome): Promise<void>;
}

const nothing: GitHubRecord = { success: async () => {}, superseded: async () => {} };

/** The commit GitHub shows the deployment on: a pull request's head, else the run's commit. */
function deployedRef(p: Parts, head: string): string {
  const t = p.trigger;
  return (t.kind === 'pull_request' ? t.headSha : undefined) || t.sha || head;
}

/** Start the GitHub deployment (`in_progress`) and the comment (`deploying`) of a deploy. */
export async function startOnGitHub(
  p: Parts,
  d: { target: Deployment; preview: boolean; url: string; kind: string; reason: string },
  g: GitHubTarget,
  head: string,
): Promise<GitHubRecord> {
  const gh = p.github;
  if (!gh || p.settings.dryRun || (!gh.deployments && !gh.comment)) return nothing;
  const { target, preview, url } = d;
  const branch = p.trigger.branch;
  const ref = deployedRef(p, head);
  const facts: Omit<LiveCommentFacts, 'state'> = {
    base: { id: g.base.id, name: g.base.name },
    target: { id: target.id, name: target.name, url },
    preview,
    branch,
    commitSha: ref,
    deployType: d.kind,
    reason: d.reason,
    omittedSecrets: g.omittedSecrets,
    connectionsWithoutPassword: g.connectionsWithoutPassword,
    runUrl: gh.runUrl,
  };
  const handle = await gh.deployments?.start({
    environment: preview && branch ? previewEnvironment(branch) : target.name,
    ref,
    description: `${d.kind} deploy to ${target.name}`,
    transient: preview,
    logUrl: gh.runUrl,
    environmentUrl: url,
  });
  await gh.comment?.write({ ...facts, state: 'deploying' });
  const key = `github:${target.id}`;
  p.journal.githubStarted(key, async (sentence) => {
    await handle?.failure({ description: sentence });
    await gh.comment?.write({ ...facts, state: 'failure', error: sentence });
  });
  return {
    async success(o) {
      p.journal.githubClosed(key);
      await handle?.success({ environmentUrl: url, description: `Live: ${o.reason}` });
      await gh.comment?.write({
        ...facts,
        state: 'success',
        deployType: o.deployType,
        reason: o.reason,
        deployId: o.deployId,
        imageTag: o.imageTag,
        dagTarballVersion: o.dagTarballVersion,
      });
    },
    async superseded(o) {
      // The comment is the newer run's to write (same pull request and base): left as is.
      p.journal.githubClosed(key);
      await handle?.inactive({ description: o.reason });
    },
  };
}

/** A preview was deleted (or was not there): its environment's deployments → `inactive`, the comment → deleted. */
export async function deletedOnGitHub(
  p: Parts,
  base: Deployment,
  branch: string,
  deleted: { id: string; name: string } | undefined,
  reason: string,
): Promise<void> {
  const gh = p.github;
  if (!gh || p.settings.dryRun) return;
  await gh.deployments?.deactivate(previewEnvironment(branch), {
    description: reason,
    logUrl: gh.runUrl,
  });
  if (!deleted) return;
  await gh.comment?.write({
    state: 'deleted',
    base: { id: base.id, name: base.name },
    target: { id: deleted.id, name: deleted.name },
    preview: true,
    branch,
    runUrl: gh.runUrl,
  });
}

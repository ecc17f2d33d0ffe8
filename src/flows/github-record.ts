// What GitHub shows of a deploy (`github-deployments`, `pr-comment`): a GitHub deployment
// whose status follows the deploy, and the live pull-request comment. Both start once the
// deploy is decided and about to act and close here on success; a failure or a cancellation
// closes them through the run journal (main.ts `failed` / `cancelled`). A skip gets no GitHub
// deployment (the environments list only what really went out), only the comment's "up to
// date"; a dry run writes nothing.
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
  /** The deploy went live: status `success`, the comment to success. Returns `o`. */
  success(o: Outcome): Promise<Outcome>;
  /** The deploy will never go live (left unfinalized: a newer commit is live): `inactive`. */
  superseded(o: Outcome): Promise<void>;
}

/** The deploy as decided: its target, and what and why. */
export interface Decided {
  target: Deployment;
  preview: boolean;
  /** The target's Astro page. */
  url: string;
  kind: string;
  reason: string;
  /** A newer commit is live (this run is behind it). */
  stale?: boolean;
  /** The commit GitHub shows, when not the run's (a rollback: the commit it puts back). */
  ref?: string;
}

/** The journal's keys of what is open on GitHub (one deploy per run). */
const DEPLOYMENT = 'github-deployment';
const COMMENT = 'pr-comment';

const nothing: GitHubRecord = { success: async (o) => o, superseded: async () => {} };

/** The commit GitHub shows the deployment on: a pull request's head, else the run's commit. */
function deployedRef(p: Parts, head: string): string {
  const t = p.trigger;
  return (t.kind === 'pull_request' ? t.headSha : undefined) || t.sha || head;
}

/** What the comment says of this deploy, whatever its state. */
function commentFacts(
  p: Parts,
  d: Decided,
  g: GitHubTarget,
  ref: string,
): Omit<LiveCommentFacts, 'state'> {
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
    runUrl: p.github?.runUrl,
  };
}

/** Start the GitHub deployment (`in_progress`) and the comment (`deploying`) of a deploy. */
export async function startOnGitHub(
  p: Parts,
  d: Decided,
  g: GitHubTarget,
  head: string,
): Promise<GitHubRecord> {
  const gh = p.github;
  if (!gh || p.settings.dryRun || (!gh.deployments && !gh.comment)) return nothing;
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
    environmentUrl: url,
  });
  // Recorded before anything else is awaited: a cancel from here on closes it as failed (and a
  // killed run's post step marks it failed from the saved record).
  if (handle?.id) {
    const fail = (sentence: string) => handle.failure({ description: sentence });
    p.journal.githubStarted(DEPLOYMENT, fail, { id: handle.id, environment });
  }
  await gh.comment?.write({ ...facts, state: 'deploying' });
  const comment = gh.comment;
  if (comment)
    p.journal.githubStarted(COMMENT, (error) =>
      comment.write({ ...facts, state: 'failure', error }),
    );
  const closed = () => [DEPLOYMENT, COMMENT].forEach((k) => p.journal.githubClosed(k));
  return {
    async success(o) {
      closed();
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
      return o;
    },
    async superseded(o) {
      // The comment is the newer run's to write (same pull request and base): left as is.
      closed();
      await handle?.inactive({ description: o.reason });
    },
  };
}

/**
 * A fresh preview is about to be created (minutes on Astro): the comment says deploying from
 * the start, and a failure before its deploy starts still reaches it.
 */
export async function creatingOnGitHub(
  p: Parts,
  base: Deployment,
  name: string,
  branch: string,
): Promise<void> {
  const comment = p.github?.comment;
  if (!comment || p.settings.dryRun) return;
  const facts = {
    base: { id: base.id, name: base.name },
    target: { name },
    preview: true,
    branch,
    commitSha: deployedRef(p, ''),
    runUrl: p.github?.runUrl,
  };
  await comment.write({ ...facts, state: 'deploying' });
  p.journal.githubStarted(COMMENT, (error) => comment.write({ ...facts, state: 'failure', error }));
}

/**
 * Nothing to deploy: no GitHub deployment (the environments list only what really went out),
 * but the comment says this commit is up to date, so a pull request never shows an older one
 * as its latest word.
 */
export async function unchangedOnGitHub(
  p: Parts,
  d: Decided,
  g: GitHubTarget,
  head: string,
): Promise<void> {
  const gh = p.github;
  // A stale run's commit is older than what is live: "up to date" would be wrong.
  if (!gh?.comment || p.settings.dryRun || d.stale) return;
  await gh.comment.write({ ...commentFacts(p, d, g, deployedRef(p, head)), state: 'unchanged' });
}

/**
 * A preview was deleted (or was not there): its environment's deployments → `inactive`, the
 * comment → deleted.
 */
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

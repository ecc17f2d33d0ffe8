// The GitHub parts of one run, made from the inputs and the runner's environment: one client
// (GITHUB_API_URL, the github-token), the deployments part when `github-deployments` is on,
// the live comment when `pr-comment` is on and the run is for a pull request, and the run's
// link. What is off says why (once), and a dry run writes nothing to GitHub either.

import type { Log } from '../platform/log.js';
import type { RetryPolicy } from '../astro/retry.js';
import { createGitHubDeployments, runUrl, type GitHubDeployments } from './deployments.js';
import { createLiveComment, type LiveComment } from './live-comment.js';
import { githubClient, type GitHubClient } from './octokit.js';

export interface GitHubPartsOptions {
  /** The `github-token` input. */
  token: string;
  /** The `github-deployments` input. */
  deployments: boolean;
  /** The `pr-comment` input. */
  prComment: boolean;
  /** The pull request's number when the run is for one. */
  prNumber?: number;
  dryRun?: boolean;
  env: NodeJS.ProcessEnv;
  log: Log;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface GitHubParts {
  deployments?: GitHubDeployments;
  comment?: LiveComment;
  /** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`, when known. */
  runUrl?: string;
}

export async function createGitHubParts(o: GitHubPartsOptions): Promise<GitHubParts> {
  const { log, env } = o;
  const link = runUrl(env);
  const wanted = [
    o.deployments ? 'github-deployments' : undefined,
    o.prComment && o.prNumber ? 'pr-comment' : undefined,
  ].filter((x): x is string => Boolean(x));
  if (o.prComment && !o.prNumber)
    log.info('pr-comment is true but this run is not for a pull request, so no comment.');
  if (wanted.length === 0) return { runUrl: link };
  const what = wanted.join(' and ');
  if (o.dryRun) {
    log.info(`Dry run: nothing is written to GitHub (${what}).`);
    return { runUrl: link };
  }
  if (!o.token) {
    log.warning(
      `${what} ${wanted.length > 1 ? 'are' : 'is'} on but 'github-token' is empty, so nothing is recorded on GitHub; pass github-token: \${{ github.token }} (or set ${what}: false).`,
    );
    return { runUrl: link };
  }
  const client = await repositoryClient(o);
  if ('without' in client) {
    log.warning(
      `${what} ${wanted.length > 1 ? 'are' : 'is'} on but ${client.without}, so nothing is recorded on GitHub; run the action in a GitHub Actions job.`,
    );
    return { runUrl: link };
  }
  const { octokit, owner, repo } = client;
  return {
    runUrl: link,
    deployments: o.deployments ? createGitHubDeployments({ octokit, owner, repo, log }) : undefined,
    comment:
      o.prComment && o.prNumber
        ? createLiveComment({ octokit, owner, repo, prNumber: o.prNumber, log })
        : undefined,
  };
}

/** The run's GitHub parts from its settings and trigger (the comment only on pull requests). */
export function githubPartsFor(
  settings: {
    githubToken?: string;
    githubDeployments: boolean;
    prComment: boolean;
    dryRun: boolean;
  },
  trigger: { kind: string; number?: number },
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<GitHubParts> {
  return createGitHubParts({
    token: settings.githubToken ?? '',
    deployments: settings.githubDeployments,
    prComment: settings.prComment,
    prNumber: trigger.kind === 'pull_request' ? trigger.number : undefined,
    dryRun: settings.dryRun,
    env,
    log,
  });
}

/**
 * A client for the run's repository (GITHUB_REPOSITORY, GITHUB_API_URL, the github-token,
 * our retry and timeout rules), or why there is none.
 */
export async function repositoryClient(o: {
  token?: string;
  env: NodeJS.ProcessEnv;
  log: Log;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}): Promise<{ octokit: GitHubClient; owner: string; repo: string } | { without: string }> {
  if (!o.token) return { without: "'github-token' is empty" };
  const full = o.env.GITHUB_REPOSITORY ?? '';
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(full);
  if (!m)
    return { without: `GITHUB_REPOSITORY is ${full ? `"${full}", not owner/name` : 'not set'}` };
  const octokit = await githubClient({
    token: o.token,
    apiUrl: o.env.GITHUB_API_URL || undefined,
    timeoutMs: o.timeoutMs,
    retry: o.retry,
    log: o.log,
  });
  return { octokit, owner: m[1], repo: m[2] };
}

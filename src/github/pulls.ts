// The pull requests of a branch, for the preview cleanup: a preview whose branch is gone is
// still kept while a pull request from that branch is open. One query per branch
// (GET /repos/{o}/{r}/pulls?head=owner:branch&state=all), through the one GitHub client (its
// pagination, timeout and retries).

import type { Log } from '../platform/log.js';
import { GitHubApiError, type GitHubClient } from './octokit.js';
import { repositoryClient } from './parts.js';

/** What GitHub says about a branch's pull requests. */
export interface BranchPulls {
  /** An open pull request from the branch, when there is one. */
  open?: number;
  /** The newest closed (or merged) one, when none is open. */
  closed?: number;
}

/** Looks up a branch's pull requests; throws a one-sentence error when GitHub cannot tell. */
export type PullLookup = (branch: string) => Promise<BranchPulls>;

interface PullItem {
  number: number;
  state: string;
  head?: { ref?: string };
}

/** The lookup over a client (tests pass one made for the GitHub stand-in). */
export function pullLookup(octokit: GitHubClient, owner: string, repo: string): PullLookup {
  return async (branch) => {
    const found: BranchPulls = {};
    try {
      let pages = 0;
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.list, {
        owner,
        repo,
        head: `${owner}:${branch}`,
        state: 'all',
        per_page: 100,
      })) {
        // GitHub filters by head; filter again so a loose server cannot keep a preview alive.
        for (const pr of page.data as PullItem[]) {
          if (pr.head?.ref !== undefined && pr.head.ref !== branch) continue;
          if (pr.state === 'open') return { open: pr.number };
          found.closed ??= pr.number;
        }
        // A bound, whatever the Link headers say.
        if (++pages >= 20) break;
      }
    } catch (e) {
      const err = e as GitHubApiError;
      const hint =
        err.status === 401
          ? ' The github-token is not valid.'
          : err.status === 403 || err.status === 404
            ? ' Give the job `permissions: pull-requests: read` (or pass a github-token that can read pull requests).'
            : '';
      throw new Error(
        `Could not read the pull requests of branch ${branch} (${err.message ?? String(e)}), so its preview is kept.${hint}`,
      );
    }
    return found;
  };
}

/**
 * The lookup for this run, or why there is none: no github-token, or no GITHUB_REPOSITORY to
 * ask about.
 */
export async function createPullLookup(args: {
  token?: string;
  env: NodeJS.ProcessEnv;
  log: Log;
}): Promise<{ lookup?: PullLookup; without?: string }> {
  const client = await repositoryClient(args);
  if ('without' in client) return { without: client.without };
  return { lookup: pullLookup(client.octokit, client.owner, client.repo) };
}

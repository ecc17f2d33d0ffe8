// Writing a pull-request comment found again by a hidden marker: create it, or edit it in
// place (live-comment.ts says what it holds). Commenting is a courtesy: every failure comes
// back as a warning, never as an exception.

import type { Log } from '../platform/log.js';
import type { RetryPolicy } from '../astro/retry.js';
import { githubClient, GitHubApiError, toGitHubApiError, type GitHubClient } from './octokit.js';

export interface CommentResult {
  /** Set when the comment could not be written: show it as a warning. */
  warning?: string;
  /** With `warning`: the HTTP status of the failed call (0: no reply or not sent). */
  status?: number;
  commentId?: number;
  action?: 'created' | 'updated' | 'unchanged';
  url?: string;
}

interface GitHubComment {
  id: number;
  body?: string | null;
  html_url?: string;
}

export interface UpsertCommentArgs {
  /** GITHUB_API_URL, e.g. the public API or a GitHub Enterprise `/api/v3` URL. */
  apiUrl: string;
  token: string;
  /** owner/name */
  repo: string;
  prNumber: number;
  body: string;
  marker: string;
  log: Log;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Ends the warning; default "the preview itself is fine". */
  unaffected?: string;
  /** A client made once for the run (then `apiUrl`, `token` and `timeoutMs` are not used). */
  client?: GitHubClient;
}

/**
 * Create or update our comment on a pull request. `marker` (see `liveCommentMarker`) is put at
 * the top of `body` when `body` lacks it. Never throws: a failure returns `{ warning }`.
 */
export async function writePrComment(args: UpsertCommentArgs): Promise<CommentResult> {
  const { log } = args;
  const timeoutMs = args.timeoutMs ?? 30_000;
  const body = args.body.startsWith(args.marker) ? args.body : `${args.marker}\n${args.body}`;
  let step = 'read the comments of';

  try {
    if (!/^[^/\s]+\/[^/\s]+$/.test(args.repo))
      throw new GitHubApiError(0, `"${args.repo}" is not an owner/name repository`);
    if (!Number.isInteger(args.prNumber) || args.prNumber <= 0)
      throw new GitHubApiError(0, `${args.prNumber} is not a pull request number`);
    if (!args.token && !args.client) throw new GitHubApiError(0, 'no github-token');
    const [owner, repo] = args.repo.split('/');
    const gh =
      args.client ??
      (await githubClient({
        token: args.token,
        apiUrl: args.apiUrl,
        timeoutMs,
        retry: args.retry,
        log,
      }));
    const where = { owner, repo, issue_number: args.prNumber };

    let ours: GitHubComment | undefined;
    let pages = 0;
    for await (const page of gh.paginate.iterator(gh.rest.issues.listComments, {
      ...where,
      per_page: 100,
    })) {
      if (!Array.isArray(page.data)) throw new GitHubApiError(0, 'the comments list is not a list');
      // Ours begins with the marker; a comment that merely quotes it is somebody else's.
      ours = (page.data as GitHubComment[]).find(
        (c) => typeof c.body === 'string' && c.body.startsWith(args.marker),
      );
      // At most 100 pages of 100: a bound, whatever the Link headers say.
      if (ours || ++pages >= 100) break;
    }

    if (ours) {
      if (ours.body === body) {
        log.info(`The pull request comment is up to date (${ours.html_url ?? ours.id}).`);
        return { commentId: ours.id, action: 'unchanged', url: ours.html_url };
      }
      step = 'update';
      const { data: c } = await gh.rest.issues.updateComment({
        owner,
        repo,
        comment_id: ours.id,
        body,
      });
      log.info(`Updated the pull request comment ${c?.html_url ?? ours.id}.`);
      return { commentId: ours.id, action: 'updated', url: c?.html_url };
    }
    step = 'post';
    const { data: c } = await gh.rest.issues.createComment({ ...where, body });
    log.info(`Commented on pull request #${args.prNumber}: ${c?.html_url ?? c?.id}.`);
    return { commentId: c?.id, action: 'created', url: c?.html_url };
  } catch (e) {
    const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, timeoutMs, Date.now());
    const target =
      step === 'read the comments of'
        ? `${step} pull request #${args.prNumber}`
        : `${step} the comment on pull request #${args.prNumber}`;
    const hint =
      err.status === 401
        ? ' The github-token is not valid.'
        : err.status === 403 || err.status === 404
          ? ' Give the job `permissions: pull-requests: write` (or pass a github-token that can comment).'
          : '';
    return {
      warning: `Could not ${target} (${err.message}); ${args.unaffected ?? 'the preview itself is fine'}.${hint}`,
      status: err.status,
    };
  }
}

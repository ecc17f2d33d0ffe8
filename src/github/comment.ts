// The pull-request comment (`pr-comment: true`): one comment per base + preview, found again
// by a hidden marker and edited in place on later runs. Commenting is a courtesy: every
// failure comes back as a warning, never as an exception.

import type { Log } from '../platform/log.js';
import type { RetryPolicy } from '../astro/retry.js';
import { cell, codeCell, mdCode as code } from '../report/markdown.js';
import { githubClient, GitHubApiError, toGitHubApiError, type GitHubClient } from './octokit.js';

/** The hidden HTML comment that identifies our comment for this base and preview. */
export function commentMarker(baseId: string, previewName: string): string {
  // encodeURIComponent turns '>' into %3E, so a name cannot end the HTML comment early.
  return `<!-- astro-deploy-action preview base=${encodeURIComponent(baseId)} name=${encodeURIComponent(previewName)} -->`;
}

export interface CommentFacts {
  marker: string;
  base: { id: string; name: string };
  preview: { id: string; name: string; url?: string };
  branch: string;
  /** What happened to the preview on this run. */
  state: 'deployed' | 'unchanged' | 'deleted' | 'failed';
  /** The `deploy-type` output: dags-only, image-and-dags, ..., none. */
  deployType?: string;
  reason?: string;
  commitSha?: string;
  deployId?: string;
  imageTag?: string;
  dagTarballVersion?: string;
  /** Secret environment variables of the base that the preview does not have. */
  omittedSecrets?: string[];
  connectionsWithoutPassword?: string[];
  /** A link to the workflow run. */
  runUrl?: string;
}

/** The comment's markdown (the marker first, so it is found again). */
export function previewCommentBody(f: CommentFacts): string {
  const title = f.preview.url
    ? `[${cell(f.preview.name)}](${f.preview.url})`
    : code(f.preview.name);
  const lines = [f.marker];
  const headline: Record<CommentFacts['state'], string> = {
    deployed: `### Astro preview ${title}`,
    unchanged: `### Astro preview ${title}`,
    deleted: `### Astro preview ${code(f.preview.name)} was deleted`,
    failed: `### Astro preview ${title}: the last deploy failed`,
  };
  lines.push(headline[f.state], '');
  lines.push(
    `Preview of ${code(f.base.name)} (${code(f.base.id)}) for branch ${code(f.branch)}.`,
    '',
  );
  if (f.state !== 'deleted') {
    const rows: [string, string | undefined][] = [
      ['Deployment', codeCell(f.preview.id)],
      ['Deployed', f.deployType ? codeCell(f.deployType) : undefined],
      ['Why', f.reason ? cell(f.reason) : undefined],
      ['Commit', f.commitSha ? codeCell(f.commitSha) : undefined],
      ['Deploy', f.deployId ? codeCell(f.deployId) : undefined],
      ['Image tag', f.imageTag ? codeCell(f.imageTag) : undefined],
      ['DAG tarball', f.dagTarballVersion ? codeCell(f.dagTarballVersion) : undefined],
    ];
    lines.push('| | |', '|---|---|');
    for (const [k, v] of rows) if (v) lines.push(`| ${k} | ${v} |`);
    lines.push('');
    if (f.omittedSecrets?.length) {
      lines.push(
        `Secret environment variables not copied from the base (set them on the preview): ${f.omittedSecrets.map(code).join(', ')}.`,
        '',
      );
    }
    if (f.connectionsWithoutPassword?.length) {
      lines.push(
        `Connections copied without a password: ${f.connectionsWithoutPassword.map(code).join(', ')}.`,
        '',
      );
    }
  }
  if (f.runUrl) lines.push(`[Workflow run](${f.runUrl})`, '');
  return lines.join('\n').trimEnd() + '\n';
}

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
 * Create or update our comment on a pull request. Returns a warning to show when it could
 * not (never throws), else undefined. See `writePrComment` for the details of what was done.
 */
export async function upsertPrComment(args: UpsertCommentArgs): Promise<string | undefined> {
  return (await writePrComment(args)).warning;
}

/**
 * Create or update our comment on a pull request. `marker` (see `commentMarker`) is put at
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

// The live pull-request comment (`pr-comment: true`): ONE comment per pull request and base
// Deployment, found again by a hidden marker that carries the base Deployment's id, posted
// when the run starts ("deploying …"), edited in place to success or failure (with the
// failure's one sentence and the run link), and on close to "deleted". The bodies are pure
// functions of the facts; the writer never throws (a failure is a warning, and a token that
// cannot comment gives one warning and turns the part off for the rest of the run).

import type { Log } from '../platform/log.js';
import { cell, codeCell, mdCode, mdUrl } from '../report/markdown.js';
import { writePrComment } from './comment.js';
import { GitHubApiError, toGitHubApiError, type GitHubClient } from './octokit.js';

/** The hidden marker of our comment for `baseId` (percent-encoded: it cannot close the HTML comment). */
export function liveCommentMarker(baseId: string): string {
  return `<!-- astro-deploy-action pr-comment base=${encodeURIComponent(baseId)} -->`;
}

/** `unchanged`: the run had nothing to deploy (what is live already has this commit's contents). */
export type LiveState = 'deploying' | 'success' | 'failure' | 'deleted' | 'unchanged';

export interface LiveCommentFacts {
  state: LiveState;
  base: { id: string; name: string };
  /** The Deployment this pull request deploys to: its preview, or the base itself. */
  target: { id?: string; name: string; url?: string };
  /** True when `target` is a preview of `base`. */
  preview?: boolean;
  branch?: string;
  commitSha?: string;
  /** The `deploy-type` output. */
  deployType?: string;
  /** The `reason` output: why this deploy type. */
  reason?: string;
  /** The failure's one sentence. */
  error?: string;
  deployId?: string;
  imageTag?: string;
  dagTarballVersion?: string;
  /** Secret environment variables of the base that a new preview does not have. */
  omittedSecrets?: string[];
  /** Connections copied to the preview without their password. */
  connectionsWithoutPassword?: string[];
  /** The run's page. */
  runUrl?: string;
}

const HEADLINE: Record<LiveState, string> = {
  deploying: 'Deploying to Astro',
  success: 'Deployed to Astro',
  failure: 'Astro deploy failed',
  deleted: 'Astro preview deleted',
  unchanged: 'Up to date on Astro',
};

/** The comment's Markdown for one state (the marker first, so it is found again). */
export function liveCommentBody(f: LiveCommentFacts): string {
  const url = f.state === 'deleted' ? undefined : mdUrl(f.target.url);
  const name = url ? `[${cell(f.target.name)}](${url})` : mdCode(f.target.name);
  const lines = [liveCommentMarker(f.base.id), `### ${HEADLINE[f.state]}: ${name}`, ''];
  const what = f.preview
    ? `Preview of ${mdCode(f.base.name)} (${mdCode(f.base.id)})`
    : `Deployment ${mdCode(f.base.name)} (${mdCode(f.base.id)})`;
  const from = [
    f.commitSha ? `commit ${mdCode(f.commitSha.slice(0, 12))}` : undefined,
    f.branch ? `branch ${mdCode(f.branch)}` : undefined,
  ].filter(Boolean);
  const sentence: Record<LiveState, string> = {
    deploying: `${what}: deploying${from.length ? ` ${from.join(' of ')}` : ''} …`,
    success: `${what}: deployed${from.length ? ` ${from.join(' of ')}` : ''}.`,
    failure: `${what}: the deploy${from.length ? ` of ${from.join(' of ')}` : ''} failed.`,
    deleted: `${what}: the preview was deleted with the pull request.`,
    unchanged: `${what}: nothing to deploy${from.length ? ` for ${from.join(' of ')}` : ''}.`,
  };
  lines.push(sentence[f.state], '');
  if (f.state === 'failure' && f.error) lines.push(`> ${cell(f.error)}`, '');
  if (f.state === 'success' || f.state === 'failure' || f.state === 'unchanged') {
    const rows: [string, string | undefined][] = [
      ['Deployment', f.target.id ? codeCell(f.target.id) : undefined],
      ['Deployed', f.deployType ? codeCell(f.deployType) : undefined],
      ['Why', f.reason ? cell(f.reason) : undefined],
      ['Deploy', f.deployId ? codeCell(f.deployId) : undefined],
      ['Image tag', f.imageTag ? codeCell(f.imageTag) : undefined],
      ['DAG tarball', f.dagTarballVersion ? codeCell(f.dagTarballVersion) : undefined],
    ];
    const shown = rows.filter(([, v]) => v);
    if (shown.length) {
      lines.push('| | |', '|---|---|');
      for (const [k, v] of shown) lines.push(`| ${k} | ${v} |`);
      lines.push('');
    }
  }
  if (f.state !== 'deleted') {
    // What the preview lacks stays said on every state, so nobody wonders why a DAG fails.
    if (f.omittedSecrets?.length)
      lines.push(
        `Secret environment variables not copied from the base (set them on the preview): ${f.omittedSecrets.map(mdCode).join(', ')}.`,
        '',
      );
    if (f.connectionsWithoutPassword?.length)
      lines.push(
        `Connections copied without a password: ${f.connectionsWithoutPassword.map(mdCode).join(', ')}.`,
        '',
      );
  }
  const run = mdUrl(f.runUrl);
  if (run) lines.push(`[Workflow run](${run})`, '');
  return lines.join('\n').trimEnd() + '\n';
}

export interface LiveCommentOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  prNumber: number;
  log: Log;
}

export interface LiveComment {
  /** False once a permission problem turned the part off. */
  readonly enabled: boolean;
  /** The comment's id once written. */
  readonly commentId?: number;
  /** Write (create or edit in place) the comment for `facts`. Never throws. */
  write(facts: LiveCommentFacts): Promise<void>;
}

export function createLiveComment(o: LiveCommentOptions): LiveComment {
  const { octokit, owner, repo, prNumber, log } = o;
  let enabled = true;
  /** Our comment's id by base Deployment id, once written or found. */
  const ids = new Map<string, number>();
  let last: number | undefined;

  const warn = (warning: string, status?: number) => {
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
      if (commentId !== undefined) {
        try {
          await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
          last = commentId;
          log.info(`Updated the pull request comment (${facts.state}).`);
          return;
        } catch (e) {
          const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, 30_000, Date.now());
          if (err.status !== 404) {
            return warn(
              `Could not update the comment on pull request #${prNumber} (${err.message}); the deploy itself is not affected.${err.status === 403 ? ' Give the job `permissions: pull-requests: write`.' : ''}`,
              err.status,
            );
          }
          ids.delete(facts.base.id); // deleted by someone: find or post it again
        }
      }
      const r = await writePrComment({
        client: octokit,
        apiUrl: '',
        token: '',
        repo: `${owner}/${repo}`,
        prNumber,
        body,
        marker: liveCommentMarker(facts.base.id),
        log,
        unaffected: 'the deploy itself is not affected',
      });
      if (r.warning) return warn(r.warning, r.status);
      if (r.commentId !== undefined) ids.set(facts.base.id, r.commentId);
      last = r.commentId;
    },
  };
}

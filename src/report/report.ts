// Outputs, the job summary and the one-line reasons: how a run explains itself.
import { cell, codeCell, table } from './markdown.js';
import type { Decision } from '../decide/facts.js';
import type { Baseline } from '../decide/plan.js';
import type { DeployOutcome } from '../decide/kinds.js';

export interface Outcome {
  deploymentId?: string;
  previewId?: string;
  /** `rollback` for action: rollback. */
  deployType: DeployOutcome | 'rollback';
  skipped: boolean;
  reason: string;
  deployId?: string;
  imageTag?: string;
  dagTarballVersion?: string;
  deploymentUrl?: string;
}

/** The outputs of action.yml, in its names; unset values are written as ''. */
export function outputs(o: Outcome): Record<string, string> {
  return {
    'preview-id': o.previewId ?? '',
    'deployment-id': o.deploymentId ?? '',
    'deploy-type': o.deployType,
    skipped: String(o.skipped),
    reason: o.reason,
    'deploy-id': o.deployId ?? '',
    'image-tag': o.imageTag ?? '',
    'dag-tarball-version': o.dagTarballVersion ?? '',
    'deployment-url': o.deploymentUrl ?? '',
  };
}

/** Link to a Deployment in the Astro UI, derived from the API's host. */
export function deploymentUrl(apiUrl: string, workspaceId: string, deploymentId: string): string {
  const u = new URL(apiUrl);
  const m = /^api\.(.+)$/.exec(u.hostname) ?? /^(pr\d+)\.api\.(.+)$/.exec(u.hostname);
  const host = m ? (m.length === 3 ? `${m[1]}.cloud.${m[2]}` : `cloud.${m[1]}`) : u.host;
  const scheme = m ? 'https:' : u.protocol;
  return `${scheme}//${host}/${workspaceId}/deployments/${deploymentId}/overview`;
}

const sourceText: Record<Baseline['source'], string> = {
  history: "the Deployment's deploy history",
  none: 'none',
};

/** Markdown: the commit as code, the note escaped. */
function describeBaseline(b: Baseline): string {
  const text = b.commit
    ? `\`${b.commit.slice(0, 12)}\` from ${sourceText[b.source]}`
    : 'none (deploy everything)';
  return b.note ? `${text} — ${cell(b.note)}` : text;
}

function firstFew(paths: string[], n = 5): string {
  if (!paths.length) return '—';
  const shown = paths
    .slice(0, n)
    .map((p) => codeCell(p))
    .join(', ');
  return paths.length > n ? `${shown} and ${paths.length - n} more` : shown;
}

/** Markdown rows describing a decision (baselines, changed paths per class, verdict). */
export function decisionMarkdown(d: Decision, dryRun: boolean): string {
  const rows: [string, string][] = [
    ['Decision', `**${d.plan.kind}**${dryRun ? ' (dry run: nothing changed)' : ''}`],
    ['Why', cell(d.plan.reason)],
    ['Commit', `\`${d.head.slice(0, 12)}\``],
    ['Image baseline', describeBaseline(d.baselines.image)],
    ['DAG baseline', describeBaseline(d.baselines.dags)],
  ];
  if (d.changes.bundle || d.baselines.bundle.source !== 'none' || d.baselines.bundle.note) {
    rows.push(['Bundle baseline', describeBaseline(d.baselines.bundle)]);
  }
  if (d.changes.image) {
    rows.push([
      `Image paths changed (${d.changes.image.image.length})`,
      firstFew(d.changes.image.image),
    ]);
  }
  if (d.changes.dags) {
    rows.push([`DAG paths changed (${d.changes.dags.dags.length})`, firstFew(d.changes.dags.dags)]);
  }
  if (d.changes.bundle) {
    rows.push([
      `Bundle paths changed (${d.changes.bundle.bundle.length})`,
      firstFew(d.changes.bundle.bundle),
    ]);
  }
  const ignored = (d.changes.image ?? d.changes.dags ?? d.changes.bundle)?.ignored ?? [];
  if (ignored.length) rows.push([`Ignored paths (${ignored.length})`, firstFew(ignored)]);
  return table(rows);
}

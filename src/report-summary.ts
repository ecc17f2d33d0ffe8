// The job summary: the sections a run's journal collected, written once at the end.
import type { DeployResult } from './deploy/execute.js';
import type { Journal } from './journal.js';
import type { Log } from './platform/log.js';
import type { Decision } from './decide/facts.js';
import { decisionMarkdown } from './report/report.js';
import { cell, escapeMarkdown, table } from './report/markdown.js';

/** The section of a deploy that went live; its warnings go to the log too. */
export function liveMarkdown(r: DeployResult, log: Log): string {
  const rows: [string, string][] = [['Deploy', `\`${r.deployId}\``]];
  if (r.imageTag) rows.push(['Image tag', `\`${r.imageTag}\``]);
  if (r.dagTarballVersion) rows.push(['DAG tarball version', `\`${r.dagTarballVersion}\``]);
  if (r.dagBundleName) rows.push(['DAG bundle', cell(r.dagBundleName)]);
  if (r.bundleVersion) rows.push(['Bundle version', `\`${r.bundleVersion}\``]);
  rows.push(['Live after', `${(r.liveAfterMs / 1000).toFixed(1)} s`]);
  for (const w of r.warnings) {
    log.warning(w);
    rows.push(['Warning', cell(w)]);
  }
  return `#### Live\n\n${table(rows)}`;
}

/** The decision about one Deployment. */
export function decisionSection(name: string, decision: Decision, dryRun: boolean): string {
  return `### ${escapeMarkdown(name)}\n\n${decisionMarkdown(decision, dryRun)}`;
}

/** A deploy left unfinalized by the guard before the finalize. */
export function notFinalizedLine(reason: string): string {
  return `Not finalized: ${escapeMarkdown(reason)}.\n`;
}

/** The preview created or reused, with its rows. */
export function previewSection(rows: [string, string][]): string {
  return `### Preview Deployment\n\n${table(rows)}`;
}

/** One paragraph of text (a note under the decision). */
export function paragraph(text: string): string {
  return `${escapeMarkdown(text)}\n`;
}

/** A section with a title and one paragraph. */
export function section(title: string, text: string): string {
  return `### ${title}\n\n${escapeMarkdown(text)}\n`;
}

/** The warnings a failed deploy found before it failed (an empty DAG folder, a cut description…). */
export function warningsSection(warnings: string[]): string {
  return `### Warnings\n\n${warnings.map((w) => `- ${escapeMarkdown(w)}`).join('\n')}\n`;
}

/** Write the summary, when there is one and the runner takes it. */
export async function writeSummary(
  journal: Journal,
  env: NodeJS.ProcessEnv,
  write: (markdown: string) => Promise<unknown>,
  log: Log,
): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY || journal.sections.length === 0) return;
  try {
    await write(`## Astro deploy\n\n${journal.sections.join('\n')}`);
  } catch (err) {
    log.warning(`Could not write the job summary: ${(err as Error).message}`);
  }
}

// What a failed or cancelled run says: its own error, then what the run journal says it left
// behind (a deploy created or finalized, an override not put back, a preview it created),
// and the outputs as far as they were known. Errors stay plain; this reads the journal.
import { deployNote, previewNote, type DeployEntry, type Journal } from './journal.js';
import type { Outcome } from './report/report.js';
import { section, warningsSection } from './report-summary.js';
import { SettingsError } from './inputs/settings.js';

export interface Failure {
  message: string;
  outcome: Outcome;
}

/**
 * The outputs of a run that stopped (failed or cancelled): what was known, the deploy it left
 * (if any), and the preview it created, which stays.
 */
function stopped(journal: Journal, reason: string, deploy?: DeployEntry): Outcome {
  const o: Outcome = {
    deployType: 'none',
    ...journal.known,
    skipped: deploy?.stage !== 'finalized',
    reason,
  };
  if (deploy) o.deployId = deploy.id;
  const created = journal.previews[journal.previews.length - 1];
  if (created) o.previewId = created.id;
  return o;
}

function messageOf(err: unknown): string {
  if (err instanceof SettingsError) return err.problems.join('\n');
  return err instanceof Error ? err.message : String(err);
}

/** The message and outputs of a failed run; adds its summary sections to the journal. */
export function failure(err: unknown, journal: Journal): Failure {
  if (journal.warnings.length) journal.sections.push(warningsSection(journal.warnings));
  const status = (err as { status?: unknown } | undefined)?.status;
  const fromApi = typeof status === 'number';
  const deploy = journal.failedDeploy;
  let message = messageOf(err);
  // The wait's own errors (no status) already say where a finalized deploy stands.
  message += deployNote(deploy, message, !fromApi) + journal.notes.join('');
  // An API that still failed after the retries: say in which step.
  if (journal.step && fromApi && (status === 0 || status === 429 || status >= 500))
    message = `${journal.step} failed: ${message}`;
  // A preview this run created stays: say so, and output its id.
  const created = journal.previews[journal.previews.length - 1];
  if (created && !created.told) message += previewNote(created);
  journal.sections.push(section('Failed', message));
  return { message, outcome: stopped(journal, message, deploy) };
}

/** The message and outputs of a cancelled run, once its undo ran (`problems`: what it could not). */
export function cancellation(
  signal: NodeJS.Signals,
  journal: Journal,
  problems: string[],
): Failure {
  const where = journal.step ? ` during '${journal.step}'` : '';
  let message = problems.length
    ? `The run was cancelled (${signal})${where}. ${problems.join(' ')}`
    : `The run was cancelled (${signal})${where}; any hibernation override it changed was put back, and running again continues from what is live.`;
  const deploy = journal.openDeploy;
  if (deploy?.stage === 'finalized')
    message += ` Deploy ${deploy.id} had been finalized on ${deploy.name} and may still go live; check the Deployment's deploy history.`;
  else if (deploy)
    message += ` Deploy ${deploy.id} was created on ${deploy.name} but not finalized, so nothing of it goes live; the next run deploys again.`;
  const created = journal.previews[journal.previews.length - 1];
  if (created) message += previewNote(created);
  journal.sections.push(section('Cancelled', message));
  return { message, outcome: stopped(journal, message, deploy) };
}

// The run journal: what this run did, as it does it. Deploys it created (and how far each
// got), previews it created, hibernation overrides it set (with their undo), the step under
// way, warnings, the job summary's sections and what the outputs knew so far. Errors stay
// plain: the failure path, the cancel path and the post step read the journal instead.
//
// What a stopped run leaves behind is saved for the post step (action.yml `post:`, run even
// for cancelled jobs) through `save` (core.saveState in the action; nowhere in tests).

import type { Outcome } from './report/report.js';

/** The names of the saved state (the runner gives them to the post step as STATE_<name>). */
export type PendingName = 'wake' | 'preview' | 'deploy' | 'github';

export type Saver = (name: PendingName, value: string) => void;

export type DeployStage = 'created' | 'finalizing' | 'finalized';

export interface DeployEntry {
  id: string;
  deploymentId: string;
  /** The Deployment's name. */
  name: string;
  stage: DeployStage;
  /** Still to be reported by the post step should the run stop (not yet settled). */
  open: boolean;
  /** The deploy's stages ended normally (live, superseded or deliberately not finalized). */
  done: boolean;
}

export interface PreviewEntry {
  id: string;
  name: string;
  /** A failure's own message already names it (no second sentence). */
  told?: boolean;
}

type Undo = () => Promise<string | undefined>;

export class Journal {
  /** The step under way (the innermost), so a failure can name it. */
  step?: string;
  readonly deploys: DeployEntry[] = [];
  /** Previews this run created (never the ones it reused). */
  readonly previews: PreviewEntry[] = [];
  readonly warnings: string[] = [];
  /** Sentences a failure adds after its own (e.g. an override that could not be put back). */
  readonly notes: string[] = [];
  /** Sections of the job summary, in order. */
  readonly sections: string[] = [];
  /** What the outputs knew so far (a failure's outputs). */
  known: Partial<Outcome> = {};
  private readonly undos = new Map<string, Undo>();
  /** What this run started on GitHub and has not closed, by key: each closes it as failed. */
  private readonly onGitHub = new Map<string, (sentence: string) => Promise<void>>();

  constructor(private readonly save: Saver = () => undefined) {}

  deployCreated(d: { id: string; deploymentId: string; name: string }): void {
    this.deploys.push({ ...d, stage: 'created', open: true, done: false });
    this.save(
      'deploy',
      JSON.stringify({ deployId: d.id, deploymentId: d.deploymentId, name: d.name }),
    );
  }

  deployStage(id: string, stage: DeployStage): void {
    const d = this.deploys.find((x) => x.id === id);
    if (!d) return;
    d.stage = stage;
    if (stage === 'finalized') {
      this.save(
        'deploy',
        JSON.stringify({
          deployId: d.id,
          deploymentId: d.deploymentId,
          name: d.name,
          finalized: true,
        }),
      );
    }
  }

  /** The deploy's outcome is known to this run (live, or failed and reported): nothing for the post step. */
  deploySettled(id: string): void {
    const d = this.deploys.find((x) => x.id === id);
    if (d) d.open = false;
    this.save('deploy', '');
  }

  /** The deploy's stages ended normally. */
  deployDone(id: string): void {
    const d = this.deploys.find((x) => x.id === id);
    if (d) d.done = true;
  }

  /** The deploy a failure stopped (created, its stages not ended), if any. */
  get failedDeploy(): DeployEntry | undefined {
    return this.deploys.find((d) => !d.done);
  }

  /** The deploy the post step would report (created, not settled). */
  get openDeploy(): DeployEntry | undefined {
    return this.deploys.find((d) => d.open);
  }

  previewCreated(p: PreviewEntry): void {
    if (!this.previews.some((x) => x.id === p.id)) this.previews.push({ ...p });
    this.save('preview', JSON.stringify({ id: p.id, name: p.name }));
  }

  /** A preview it created was deleted again (another run's won the race). */
  previewDeleted(id: string): void {
    const i = this.previews.findIndex((x) => x.id === id);
    if (i >= 0) this.previews.splice(i, 1);
    this.save('preview', '');
  }

  /** A failure's message names this preview already. */
  previewTold(id: string): void {
    const p = this.previews.find((x) => x.id === id);
    if (p) p.told = true;
  }

  /** The run reported its preview itself: nothing is left for the post step. */
  previewsSettled(): void {
    this.save('preview', '');
  }

  /** A hibernation override was set: `record` is saved for the post step, `undo` runs on a signal. */
  overrideSet(record: unknown, undo: Undo): void {
    this.save('wake', JSON.stringify(record));
    this.undos.set('wake', undo);
  }

  /** The override was put back. */
  overrideRestored(): void {
    this.save('wake', '');
    this.undos.delete('wake');
  }

  /**
   * A GitHub deployment or the live comment was started; `fail` marks it failed with a
   * sentence. `record` (the GitHub deployment) is saved for the post step of a killed run.
   */
  githubStarted(key: string, fail: (sentence: string) => Promise<void>, record?: unknown): void {
    this.onGitHub.set(key, fail);
    if (record !== undefined) this.save('github', JSON.stringify(record));
  }

  /** It was closed (success, or never going live). */
  githubClosed(key: string): void {
    this.onGitHub.delete(key);
    this.save('github', '');
  }

  /** The failure and cancel paths: mark what is still open on GitHub failed. Never throws. */
  async closeGitHub(sentence: string): Promise<void> {
    const all = [...this.onGitHub.values()];
    this.onGitHub.clear();
    await Promise.all(all.map((fail) => fail(sentence).catch(() => undefined)));
    this.save('github', '');
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  note(sentence: string): void {
    this.notes.push(sentence);
  }

  /** Run every pending undo once (on a signal); never throws. Returns the problems they report. */
  async undoAll(): Promise<string[]> {
    const all = [...this.undos.values()];
    this.undos.clear();
    const results = await Promise.all(all.map((u) => u().catch((e: Error) => e.message)));
    return results.filter((r): r is string => typeof r === 'string' && r.length > 0);
  }
}

/**
 * What a failure says about the deploy it leaves behind (never left unsaid), or ''. `told`:
 * the failure is the wait's own, which already says where the finalized deploy stands.
 */
export function deployNote(d: DeployEntry | undefined, message: string, told = false): string {
  if (!d || (told && d.stage === 'finalized')) return '';
  const sep = /[.!?)]$/.test(message) ? ' ' : '. ';
  if (d.stage === 'created')
    return `${sep}Deploy ${d.id} was created on ${d.name} but not finalized, so nothing of it went live; the next run deploys again.`;
  if (d.stage === 'finalizing')
    return `${sep}Deploy ${d.id} was created on ${d.name}, but its finalize was not confirmed, so it may be finalized or not finalized; check the Deployment's deploy history before running again.`;
  return message.includes(d.id)
    ? ''
    : `${sep}Deploy ${d.id} had been finalized on ${d.name} before this failure.`;
}

/** The sentence naming a preview this run created and left. */
export function previewNote(p: PreviewEntry): string {
  return ` The preview ${p.name} (${p.id}) was created by this run and is kept; running again reuses it.`;
}

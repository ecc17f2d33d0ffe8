// Cancellation. A cancelled job gets SIGINT, SIGTERM about 7.5 s later, then is killed. What a
// run must undo if it stops half-way (our hibernation override) or report (a preview or a
// deploy it created) is registered here while it is pending: the state is saved for the post
// step (action.yml `post:`, run even for cancelled jobs), and an undo function is kept. A
// signal runs the undo functions once and exits non-zero; the post step reads the saved state
// and undoes, through the same functions, whatever is still pending.

/** The names of the saved state (the runner gives them to the post step as STATE_<name>). */
export type PendingName = 'wake' | 'preview' | 'deploy';

type Undo = () => Promise<unknown>;

let save: (name: string, value: string) => void = () => undefined;
const undos = new Map<PendingName, Undo>();
const states = new Map<PendingName, unknown>();

/** Where pending state goes (core.saveState in the action; nowhere by default, e.g. in tests). */
export function setStateSaver(fn: (name: string, value: string) => void): void {
  save = fn;
}

/** `state` is pending until settled: saved for the post step, and `undo` runs on a signal. */
export function pending(name: PendingName, state: unknown, undo?: Undo): void {
  save(name, JSON.stringify(state));
  states.set(name, state);
  if (undo) undos.set(name, undo);
  else undos.delete(name);
}

/** Nothing of `name` is left to undo or report. */
export function settled(name: PendingName): void {
  save(name, '');
  undos.delete(name);
  states.delete(name);
}

/** What is pending under `name` in this process, if anything. */
export function pendingState(name: PendingName): unknown {
  return states.get(name);
}

/** Run every pending undo once (on a signal); never throws. Returns the problems (sentences) they report. */
export async function undoPending(): Promise<string[]> {
  const all = [...undos.values()];
  undos.clear();
  const results = await Promise.all(all.map((u) => u().catch((e: Error) => e.message)));
  return results.filter((r): r is string => typeof r === 'string' && r.length > 0);
}

/**
 * On SIGINT or SIGTERM: `onSignal` once (undo, report), then exit 1. A second signal while it
 * runs changes nothing: the undo goes on until the runner kills the process.
 */
export function handleSignals(onSignal: (signal: NodeJS.Signals) => Promise<void>): void {
  let started = false;
  const handler = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    void onSignal(signal)
      .catch(() => undefined)
      .finally(() => process.exit(1));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

// Cancellation. A cancelled job gets SIGINT, SIGTERM about 7.5 s later, then is killed. What a
// run must undo if it stops half-way (our hibernation override) or report (a preview or a
// deploy it created) is in the run journal (journal.ts), which saves it for the post step
// (action.yml `post:`, run even for cancelled jobs) and keeps the undo functions. A signal
// runs the undo functions once and exits non-zero; the post step reads the saved state and
// undoes, through the same functions, whatever is still pending.

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

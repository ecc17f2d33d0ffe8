// Waiting in-process for a condition a test cannot await directly (an emulator state, a request
// seen): polled every 10 ms, bounded by the test's own timeout.

/** Resolves once `check` holds. */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

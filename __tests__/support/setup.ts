// After every test: a bundled-action run still going means the test timed out while it ran.
// End it (it would go on talking to emulators of later tests) and show where it stalled, which
// jest's own "Exceeded timeout" does not.
import { endAbandonedRuns } from './action.js';

afterEach(() => {
  const left = endAbandonedRuns();
  if (left.length)
    throw new Error(
      `${left.length} action run(s) still going when the test ended; what each printed:\n\n` +
        left.join('\n\n'),
    );
});

// Entry point of the bundled action: everything happens in run(). A cancelled job's signals
// put back what the run changed (cancelled()); what is still pending is saved for the post
// step (post.ts).
import * as core from '@actions/core';
import { handleSignals, setStateSaver } from './cancel.js';
import { cancelled, run } from './main.js';

setStateSaver((name, value) => core.saveState(name, value));
handleSignals(cancelled);
await run();

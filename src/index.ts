// Entry point of the bundled action: everything happens in run(). The run journal saves what
// the post step (post.ts) needs; a cancelled job's signals put back what the run changed
// (cancelled()).
import * as core from '@actions/core';
import { handleSignals } from './cancel.js';
import { Journal } from './journal.js';
import { cancelled, run } from './main.js';

const journal = new Journal((name, value) => core.saveState(name, value));
handleSignals((signal) => cancelled(signal, journal));
await run(process.env, journal);

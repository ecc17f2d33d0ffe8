// Entry point of the bundled action: everything happens in run().
import { run } from './main.js';

await run();

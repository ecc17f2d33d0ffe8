// The action's bundle built into a folder of the test's own (dist/ is left alone), with the
// project's build script, as `npm run build` builds it.
import { spawnSync } from 'node:child_process';

/** Builds dist's files (index.js, post.js, chunks, emulator.js) into `dir`; throws on failure. */
export function buildInto(dir: string): void {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const { buildAll } = await import('./scripts/build.mjs'); await buildAll(process.argv[1]);",
      dir,
    ],
    { cwd: process.cwd(), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

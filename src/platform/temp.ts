// Temporary folders (tarballs, build contexts, check scripts, registry credentials) live under
// RUNNER_TEMP, which the runner empties after each job (self-hosted runners keep /tmp), and
// fall back to the system's temp folder. Each one is removed when its work is done, and any
// still there when the process exits (a failure, a cancellation) goes then.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const live = new Set<string>();
let hooked = false;

export function tempRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNNER_TEMP || os.tmpdir();
}

/** A new folder `<prefix>XXXXXX` under tempRoot(), removed at exit at the latest. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tempRoot(), prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeTempDirs);
  }
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}

/** Every folder of ours still there. */
export function removeTempDirs(): void {
  for (const dir of [...live]) removeTempDir(dir);
}

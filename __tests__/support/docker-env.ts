// The Docker tier's gate: a Docker wrapper when an engine answers (DOCKER_HOST, as the test
// runner exports it after scripts/docker-engine.mjs), else a loud skip — or, under CI, a
// failure, so the tier can never silently stop running there.
import { createDocker, type Docker } from '../../src/platform/docker.js';
import { silentLog, type Log } from '../../src/platform/log.js';

export async function dockerForTests(log: Log = silentLog): Promise<Docker | undefined> {
  const docker = createDocker({ log });
  if (await docker.available()) return docker;
  const where = process.env.DOCKER_HOST
    ? `DOCKER_HOST=${process.env.DOCKER_HOST}`
    : 'the default socket';
  if (process.env.CI === 'true') {
    throw new Error(
      `CI=true but no Docker engine answers at ${where}: the Docker-tier tests must run in CI (run them through node scripts/test.mjs).`,
    );
  }
  console.warn(
    `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
      `!!! SKIPPING Docker-tier tests: no Docker engine answers at ${where}.\n` +
      `!!! Run them with \`node scripts/test.mjs\` (starts a private dockerd as root).\n` +
      `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
  );
  return undefined;
}

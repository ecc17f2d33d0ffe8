// A one-deploy program for bench/deploy.mjs, bundled there with esbuild: runs executeDeploy
// against an Astro API (the emulator) in its own process, so its peak memory is the deploy's
// alone, and prints one JSON line. Settings come from the environment (the token too, never
// argv): ASTRO_API_URL, ASTRO_API_TOKEN, BENCH_DEPLOY = {"deployment", "dagsDir", "waitMs"}.
import { createAstroClient } from '../src/astro/client.js';
import { silentLog } from '../src/platform/log.js';
import { executeDeploy } from '../src/deploy/execute.js';
import * as os from 'node:os';
import * as path from 'node:path';

const { deployment, dagsDir, waitMs } = JSON.parse(process.env.BENCH_DEPLOY ?? '{}') as {
  deployment: string;
  dagsDir: string;
  waitMs: number;
};
const api = await createAstroClient({
  baseUrl: process.env.ASTRO_API_URL ?? '',
  token: process.env.ASTRO_API_TOKEN ?? '',
  log: silentLog,
});
const target = (await api.listDeployments()).find(
  (d) => d.name === deployment || d.id === deployment,
);
if (!target) throw new Error(`no Deployment ${deployment}`);
const t0 = performance.now();
const r = await executeDeploy(
  {
    kind: 'dags-only',
    deployment: target,
    projectDir: path.dirname(dagsDir),
    dagsDir,
    noDagsBaseDir: false,
    description: 'benchmark',
    buildSecrets: [],
    waitMs,
    wakeOnDeploy: false,
    token: '',
  },
  { api, log: silentLog, tmpDir: os.tmpdir() },
);
const ms = performance.now() - t0;
process.stdout.write(
  JSON.stringify({
    ms,
    returnedAt: Date.now(),
    maxRssKiB: process.resourceUsage().maxRSS,
    deployId: r.deployId,
    dagTarballVersion: r.dagTarballVersion,
    tarballBytes: r.tarball?.bytes,
    files: r.tarball?.files,
  }) + '\n',
);

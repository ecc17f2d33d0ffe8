// Serves the Astro emulator until SIGINT/SIGTERM. Prints one JSON line on stdout:
// {"url", "token", "organizationId", "workspaceId", "deployments": [{"id", "name"}]}.
// Usage: npm run emulator -- [--port 0] [--seed 1] [--fault-rate 0] [--registry host:port]
//        [--rollout-ms 300] [--create-ms 300] [--wake-ms 300] [--log]
import { parseArgs } from 'node:util';
import { startEmulator } from '../dist/emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '1' },
    'fault-rate': { type: 'string', default: '0' },
    registry: { type: 'string' },
    'rollout-ms': { type: 'string' },
    'create-ms': { type: 'string' },
    'wake-ms': { type: 'string' },
    log: { type: 'boolean', default: false },
  },
});

const number = (name) => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative number, got ${raw}\n`);
    process.exit(2);
  }
  return n;
};

const seed = number('seed');
const rate = number('fault-rate');
const emulator = await startEmulator({
  port: number('port'),
  host: values.host,
  seed,
  registry: values.registry,
  rolloutDelayMs: number('rollout-ms'),
  createDelayMs: number('create-ms'),
  wakeDelayMs: number('wake-ms'),
  faults: rate ? { rate, seed } : undefined,
  log: values.log,
});

const { url, token, organizationId, workspaceId, deployments } = emulator;
process.stdout.write(
  `${JSON.stringify({ url, token, organizationId, workspaceId, deployments })}\n`,
);

const stop = () => {
  emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Serves the Astro emulator until SIGINT/SIGTERM. Prints one JSON line on stdout:
// {"url", "token", "organizationId", "workspaceId", "deployments": [{"id", "name"}]}.
// Usage: npm run emulator -- [--port 0] [--seed 1] [--registry host:port] [--log]
//        [--rollout-ms 300] [--create-ms 300] [--wake-ms 300] [--airflow-api-delay-ms 0]
//        [--image-tag-at rollout-end|finalize] [--rollout-lag-ms 0] [--delete-linger-ms 0]
//        [--concurrent-rollouts queue|replace] [--deploy-status-at finalize|rollout-end]
//        [--fault-rate 0] [--fault-kinds 429,500,502,503,504,reset,reset-after,slow]
//        [--slow-ms 2000] [--retry-after 1] [--outage] [--airflow-url-query orgId=o1]
//        [--duplicate-name-status 400|409] [--refuse-updates-while-creating]
//        [--refuse-remote-image-only]
//        [--org-product HOSTED|HYBRID] [--dag-bundle <deployment>=<bundle name>]...
//        [--rollback-record versions|versions-and-git|bare] [--updates replace|merge]
//        [--deploys-refused-at create|finalize]
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
    'airflow-api-delay-ms': { type: 'string' },
    'image-tag-at': { type: 'string' },
    'rollout-lag-ms': { type: 'string' },
    'concurrent-rollouts': { type: 'string' },
    'deploy-status-at': { type: 'string' },
    'delete-linger-ms': { type: 'string' },
    'fault-kinds': { type: 'string' },
    'slow-ms': { type: 'string' },
    'retry-after': { type: 'string' },
    outage: { type: 'boolean', default: false },
    'airflow-url-query': { type: 'string' },
    'duplicate-name-status': { type: 'string' },
    'refuse-updates-while-creating': { type: 'boolean', default: false },
    updates: { type: 'string' },
    'deploys-refused-at': { type: 'string' },
    'refuse-remote-image-only': { type: 'boolean', default: false },
    'org-product': { type: 'string', default: 'HOSTED' },
    'dag-bundle': { type: 'string', multiple: true },
    'rollback-record': { type: 'string' },
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

const KINDS = ['429', '500', '502', '503', '504', 'reset', 'reset-after', 'slow'];
const kinds = values['fault-kinds']?.split(',').map((k) => k.trim());
const unknown = kinds?.find((k) => !KINDS.includes(k));
if (unknown !== undefined) {
  process.stderr.write(`--fault-kinds: unknown kind "${unknown}"; use ${KINDS.join(', ')}\n`);
  process.exit(2);
}
const duplicateNameStatus = number('duplicate-name-status');
if (
  duplicateNameStatus !== undefined &&
  duplicateNameStatus !== 400 &&
  duplicateNameStatus !== 409
) {
  process.stderr.write(`--duplicate-name-status must be 400 or 409, got ${duplicateNameStatus}\n`);
  process.exit(2);
}
const product = values['org-product'];
if (product !== 'HOSTED' && product !== 'HYBRID') {
  process.stderr.write(`--org-product must be HOSTED or HYBRID, got ${product}\n`);
  process.exit(2);
}
const imageTagAt = values['image-tag-at'];
if (imageTagAt !== undefined && !['rollout-end', 'finalize'].includes(imageTagAt)) {
  process.stderr.write(`--image-tag-at must be rollout-end or finalize, got ${imageTagAt}\n`);
  process.exit(2);
}
const rolloutLagMs = number('rollout-lag-ms');
if (rolloutLagMs !== undefined && rolloutLagMs > 10_000) {
  process.stderr.write(`--rollout-lag-ms must be at most 10000, got ${rolloutLagMs}\n`);
  process.exit(2);
}
const concurrentRollouts = values['concurrent-rollouts'];
if (concurrentRollouts !== undefined && !['queue', 'replace'].includes(concurrentRollouts)) {
  process.stderr.write(
    `--concurrent-rollouts must be queue or replace, got ${concurrentRollouts}\n`,
  );
  process.exit(2);
}
const deployStatusAt = values['deploy-status-at'];
if (deployStatusAt !== undefined && !['finalize', 'rollout-end'].includes(deployStatusAt)) {
  process.stderr.write(
    `--deploy-status-at must be finalize or rollout-end, got ${deployStatusAt}\n`,
  );
  process.exit(2);
}
const dagBundles = {};
for (const given of values['dag-bundle'] ?? []) {
  const [deployment, bundle] = given.split('=');
  if (!deployment || !bundle) {
    process.stderr.write(`--dag-bundle must be <deployment>=<bundle name>, got ${given}\n`);
    process.exit(2);
  }
  (dagBundles[deployment] ??= []).push(bundle);
}

if (values.updates !== undefined && !['replace', 'merge'].includes(values.updates)) {
  process.stderr.write(`--updates must be replace or merge, got ${values.updates}\n`);
  process.exit(2);
}
const refusedAt = values['deploys-refused-at'];
if (refusedAt !== undefined && !['create', 'finalize'].includes(refusedAt)) {
  process.stderr.write(`--deploys-refused-at must be create or finalize, got ${refusedAt}\n`);
  process.exit(2);
}
const rollbackRecord = values['rollback-record'];
if (
  rollbackRecord !== undefined &&
  !['versions', 'versions-and-git', 'bare'].includes(rollbackRecord)
) {
  process.stderr.write(
    `--rollback-record must be versions, versions-and-git or bare, got ${rollbackRecord}\n`,
  );
  process.exit(2);
}
const seed = number('seed');
const rate = number('fault-rate');
const faults =
  rate || values.outage
    ? {
        rate: rate ?? 0,
        seed,
        kinds,
        slowMs: number('slow-ms'),
        retryAfterSeconds: number('retry-after'),
        permanent: values.outage,
      }
    : undefined;
const emulator = await startEmulator({
  port: number('port'),
  host: values.host,
  seed,
  registry: values.registry,
  rolloutDelayMs: number('rollout-ms'),
  createDelayMs: number('create-ms'),
  wakeDelayMs: number('wake-ms'),
  airflowApiDelayMs: number('airflow-api-delay-ms'),
  imageTagAt,
  rolloutLagMs,
  concurrentRollouts,
  deployStatusAt,
  deleteLingerMs: number('delete-linger-ms'),
  faults,
  airflowUrlQuery: values['airflow-url-query'],
  duplicateNameStatus,
  refuseUpdatesWhileCreating: values['refuse-updates-while-creating'],
  updates: values.updates,
  deploysRefusedAt: refusedAt,
  refuseRemoteImageOnly: values['refuse-remote-image-only'],
  organizationProduct: product,
  dagBundles,
  rollbackRecord,
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

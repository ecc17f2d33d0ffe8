// Which deploy `action: rollback` puts live again (decide/rollback.ts), from a deploy history:
// previous, by commit, by id; and the refusals (none, live already, too old, not successful).
import type { Deploy } from '../../src/astro/types.js';
import { chooseRollback } from '../../src/decide/rollback.js';
import type { RollbackTo } from '../../src/inputs/settings-types.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const SHA = (c: string) => c.repeat(40);

/** A deploy made `days` ago. */
function deploy(
  id: string,
  days: number,
  o: {
    type?: Deploy['type'];
    tag?: string;
    dags?: string;
    sha?: string;
    status?: Deploy['status'];
  } = {},
): Deploy {
  return {
    id,
    deploymentId: 'd1',
    type: o.type ?? 'IMAGE_AND_DAG',
    status: o.status ?? 'DEPLOYED',
    imageRepository: 'repo',
    imageTag: o.tag ?? `tag-${id}`,
    isDagDeployEnabled: true,
    createdAt: new Date(NOW - days * DAY).toISOString(),
    ...(o.type === 'IMAGE_ONLY' ? {} : { dagTarballVersion: o.dags ?? `v-${id}` }),
    ...(o.sha ? { git: { provider: 'GENERIC', commitSha: o.sha } } : {}),
  };
}

const a = deploy('a', 3, { sha: SHA('a') });
const b = deploy('b', 2, { sha: SHA('b') });
const c = deploy('c', 1, { sha: SHA('c') });
const failed = deploy('f', 1.5, { status: 'FAILED', sha: SHA('f') });
const runsC = { name: 'prod', imageTag: 'tag-c', dagTarballVersion: 'v-c' };

test.each<{
  name: string;
  history: Deploy[];
  running?: { imageTag: string; dagTarballVersion?: string };
  to: RollbackTo;
  live?: string;
  target?: string;
  restores?: { imageTag?: string; dagTarballVersion?: string };
  error?: string;
}>([
  {
    name: 'previous: the deploy before the live one',
    history: [a, b, c],
    to: { kind: 'previous' },
    live: 'c',
    target: 'b',
  },
  {
    name: 'previous skips a failed deploy',
    history: [a, b, failed, c],
    to: { kind: 'previous' },
    live: 'c',
    target: 'b',
  },
  {
    name: 'previous is before the live one, not before the newest (a newer deploy is not live)',
    history: [a, b, c],
    running: { imageTag: 'tag-b', dagTarballVersion: 'v-b' },
    to: { kind: 'previous' },
    live: 'b',
    target: 'a',
  },
  {
    name: 'live = the newest of the live image and the live DAGs',
    history: [a, b, deploy('dags', 0.5, { type: 'DAG_ONLY', dags: 'v-dags' })],
    running: { imageTag: 'tag-b', dagTarballVersion: 'v-dags' },
    to: { kind: 'previous' },
    live: 'dags',
    target: 'b',
  },
  {
    name: 'previous is image-only, its image still runs: the rollback brings back the DAGs of its time',
    history: [a, deploy('i', 2, { type: 'IMAGE_ONLY' }), deploy('d', 1, { type: 'DAG_ONLY' })],
    running: { imageTag: 'tag-i', dagTarballVersion: 'v-d' },
    to: { kind: 'previous' },
    live: 'd',
    target: 'i',
    restores: { imageTag: 'tag-i', dagTarballVersion: 'v-a' },
  },
  {
    name: 'a DAG-only target brings back the image of its time',
    history: [a, deploy('d', 2, { type: 'DAG_ONLY' }), b],
    running: { imageTag: 'tag-b', dagTarballVersion: 'v-b' },
    to: { kind: 'deploy', id: 'd' },
    live: 'b',
    target: 'd',
    restores: { imageTag: 'tag-a', dagTarballVersion: 'v-d' },
  },
  {
    name: 'by commit, abbreviated',
    history: [a, b, c],
    to: { kind: 'commit', sha: 'aaaaaaa' },
    live: 'c',
    target: 'a',
  },
  {
    name: 'by commit: the newest successful deploy of it',
    history: [
      deploy('a1', 4, { sha: SHA('a') }),
      a,
      deploy('a3', 2.5, { sha: SHA('a'), status: 'FAILED' }),
      c,
    ],
    to: { kind: 'commit', sha: SHA('a') },
    live: 'c',
    target: 'a',
  },
  { name: 'by id', history: [a, b, c], to: { kind: 'deploy', id: 'a' }, live: 'c', target: 'a' },
  {
    name: 'nothing deployed yet',
    history: [],
    to: { kind: 'previous' },
    error:
      'prod has no successful deploy in its deploy history, so there is nothing to roll back from; deploy it first.',
  },
  {
    name: 'nothing before the live one',
    history: [c],
    to: { kind: 'previous' },
    error:
      'prod has no successful deploy before the live deploy c (commit cccccccccccc, made 2026-11-30 00:00 UTC), so there is nothing to roll back to.',
  },
  {
    name: 'a commit never deployed',
    history: [a, b, c],
    to: { kind: 'commit', sha: 'abcdef1' },
    error:
      "No successful deploy of commit abcdef1 is in prod's deploy history; give a commit that was deployed to it, a deploy id, or 'previous'.",
  },
  {
    name: 'a commit only deployed in a failed deploy',
    history: [a, failed, c],
    to: { kind: 'commit', sha: 'fffffff' },
    error: 'No successful deploy of commit fffffff',
  },
  {
    name: 'an abbreviation of two deployed commits',
    history: [a, deploy('a2', 2, { sha: `aaaaaaab${'0'.repeat(32)}` }), c],
    to: { kind: 'commit', sha: 'aaaaaaa' },
    error:
      "rollback-to 'aaaaaaa' matches the deployed commits aaaaaaab0000 and aaaaaaaaaaaa; give more characters of the SHA.",
  },
  {
    name: 'an unknown deploy id',
    history: [a, c],
    to: { kind: 'deploy', id: 'zzz' },
    error: "Deploy zzz is not in prod's deploy history",
  },
  {
    name: 'a failed deploy by id',
    history: [a, failed, c],
    to: { kind: 'deploy', id: 'f' },
    error:
      'Deploy f of prod is FAILED, not a successful deploy, so there is nothing of it to put live again; pick a deploy whose status is DEPLOYED.',
  },
  {
    name: 'the live deploy itself',
    history: [a, c],
    to: { kind: 'deploy', id: 'c' },
    error:
      'deploy c (commit cccccccccccc, made 2026-11-30 00:00 UTC) is what prod runs already, so a rollback to it would change nothing; pick an earlier deploy with rollback-to.',
  },
  {
    name: 'a deploy whose versions run already (live through an earlier rollback)',
    history: [a, c, deploy('r', 0.5, { tag: 'tag-a', dags: 'v-a' })],
    running: { imageTag: 'tag-a', dagTarballVersion: 'v-a' },
    to: { kind: 'commit', sha: SHA('a') },
    error: 'is what prod runs already',
  },
  {
    name: 'older than 90 days',
    history: [deploy('old1', 120), deploy('old2', 100), c],
    to: { kind: 'deploy', id: 'old2' },
    error:
      "deploy old2 (made 2026-08-23 00:00 UTC) is older than 90 days, and Astro keeps older deploys for rollbacks only when one is the Deployment's last deploy; pick a deploy of the last 90 days.",
  },
  {
    name: 'previous older than 90 days',
    history: [deploy('old', 100), c],
    to: { kind: 'previous' },
    error: 'deploy old (made 2026-08-23 00:00 UTC) is older than 90 days',
  },
  {
    name: "older than 90 days, but the Deployment's last deploy (not live: it runs an older one)",
    history: [deploy('old1', 120), deploy('old2', 100)],
    running: { imageTag: 'tag-old1', dagTarballVersion: 'v-old1' },
    to: { kind: 'deploy', id: 'old2' },
    live: 'old1',
    target: 'old2',
  },
  {
    name: 'within 90 days',
    history: [deploy('old', 89), c],
    to: { kind: 'previous' },
    live: 'c',
    target: 'old',
  },
])('$name', ({ history, running, to, live, target, restores, error }) => {
  const d = { ...runsC, ...running };
  const choose = () => chooseRollback(history, d, to, NOW);
  if (error) {
    expect(choose).toThrow(error);
    return;
  }
  const got = choose();
  expect([got.live.id, got.target.id]).toEqual([live, target]);
  if (restores) expect(got.restores).toEqual(restores);
});

// Pure and in-memory tests of the preview operations: the create body, and the guard rules of
// findPreview / deletePreview against a tiny fake AstroApi (the integration tests run the same
// operations against the emulator).

import { parse } from 'yaml';
import type { AstroApi, Deployment, DeploymentRequest } from '../../src/astro/types.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { Journal } from '../../src/journal.js';
import { previewMarker } from '../../src/preview/names.js';
import {
  createPreview,
  deletePreview,
  existingPreview,
  findPreview,
  lookUpPreview,
  foreignMessage,
  noPreviewMessage,
  PreviewError,
  previewRequest,
  previewUpdateRequest,
  missingFollowUp,
  missingSecrets,
  requirePreview,
  waitUntilReady,
} from '../../src/preview/ops.js';
import { fakeClock } from '../support/fake-clock.js';
import { checkOverrides } from '../../src/preview/overrides.js';
import { deploymentFixture } from '../support/fixtures.js';

let seq = 0;
function dep(over: Partial<Deployment>): Deployment {
  seq += 1;
  return deploymentFixture({
    id: `d${seq}`,
    name: `dep${seq}`,
    organizationId: 'o1',
    workspaceId: 'w1',
    type: 'STANDARD',
    cloudProvider: 'AWS',
    region: 'us-east-1',
    airflowVersion: '3.0.1',
    astroRuntimeVersion: '3.0-1',
    runtimeVersion: '3.0-1',
    imageRepository: 'r',
    imageTag: 't',
    webServerAirflowApiUrl: 'x/api/v2',
    createdAt: `2024-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`,
    ...over,
  });
}

/** Just enough of AstroApi: list (honouring filters), get, create, update, delete. */
function fakeApi(
  initial: Deployment[],
  opts: {
    statuses?: Deployment['status'][];
    /** Refuse a create (after doing whatever the refusal models, e.g. another job's create). */
    refuseCreate?: (body: DeploymentRequest) => Error | undefined;
    /** An update that answers 200 but keeps nothing. */
    updateKeepsNothing?: boolean;
  } = {},
) {
  const deployments = [...initial];
  const deleted: string[] = [];
  const created: DeploymentRequest[] = [];
  const updated: [string, DeploymentRequest][] = [];
  const statuses = [...(opts.statuses ?? [])];
  const api = {
    organizationId: 'o1',
    async listDeployments(f?: { names?: string[]; workspaceIds?: string[] }) {
      return deployments.filter(
        (d) =>
          (!f?.names || f.names.includes(d.name)) &&
          (!f?.workspaceIds || f.workspaceIds.includes(d.workspaceId)),
      );
    },
    async getDeployment(id: string) {
      const d = deployments.find((x) => x.id === id);
      if (!d) throw Object.assign(new Error('not found'), { status: 404 });
      if (statuses.length) d.status = statuses.shift()!;
      return d;
    },
    async createDeployment(body: DeploymentRequest) {
      const refusal = opts.refuseCreate?.(body);
      if (refusal) throw refusal;
      created.push(body);
      // As the v1 create does: environment variables and contact emails are not applied.
      const { environmentVariables: _e, contactEmails: _c, ...applied } = body;
      const d = dep({
        ...(applied as Partial<Deployment>),
        environmentVariables: [],
        contactEmails: [],
        status: 'CREATING',
        createdAt: '2030-01-01T00:00:00Z',
      });
      deployments.push(d);
      return d;
    },
    async updateDeployment(id: string, body: DeploymentRequest) {
      updated.push([id, body]);
      const d = deployments.find((x) => x.id === id)!;
      if (!opts.updateKeepsNothing) {
        d.environmentVariables = body.environmentVariables?.map((e) => ({
          key: e.key,
          isSecret: e.isSecret,
          ...(e.isSecret ? {} : { value: e.value }),
        }));
        d.contactEmails = body.contactEmails;
      }
      return d;
    },
    async deleteDeployment(id: string) {
      deleted.push(id);
      const i = deployments.findIndex((x) => x.id === id);
      if (i >= 0) deployments.splice(i, 1);
    },
  } as unknown as AstroApi;
  return { api, deployments, deleted, created, updated };
}

const base = dep({ id: 'base1', name: 'prod', description: 'Production' });
const marked = (branch: string, over: Partial<Deployment> = {}) =>
  dep({ description: `${previewMarker(base.id, branch)} — copy`, ...over });

describe('findPreview / deletePreview guard', () => {
  type Case = {
    title: string;
    branch: string;
    name: string;
    others: Deployment[];
    legacy?: boolean;
    want: 'preview' | 'foreign' | 'none';
    wantId?: string;
  };
  const cases: Case[] = [
    {
      title: 'marked preview by our name',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [marked('a/fix', { id: 'p1', name: 'a-fix_prod' })],
      want: 'preview',
      wantId: 'p1',
    },
    {
      title: 'our name without the marker is foreign',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [dep({ id: 'f1', name: 'a-fix_prod', description: 'mine' })],
      want: 'foreign',
      wantId: 'f1',
    },
    {
      title: 'marker for another branch is foreign',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [marked('a/fix-2', { id: 'f2', name: 'a-fix_prod' })],
      want: 'foreign',
      wantId: 'f2',
    },
    {
      title: 'marker for another base is foreign',
      branch: 'fix',
      name: 'fix_prod',
      others: [dep({ id: 'f3', name: 'fix_prod', description: previewMarker('base2', 'fix') })],
      want: 'foreign',
      wantId: 'f3',
    },
    {
      title: 'our name in another workspace is ignored',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [marked('a/fix', { id: 'x', name: 'a-fix_prod', workspaceId: 'w2' })],
      want: 'none',
    },
    { title: 'nothing there', branch: 'a/fix', name: 'a-fix_prod', others: [], want: 'none' },
    {
      title: 'anchor preview by legacy name',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [dep({ id: 'l1', name: 'fix_prod', description: 'Production' })],
      want: 'preview',
      wantId: 'l1',
    },
    {
      title: 'legacy not used with an explicit name',
      branch: 'a/fix',
      name: 'custom',
      legacy: false,
      others: [dep({ id: 'l3', name: 'fix_prod' })],
      want: 'none',
    },
    {
      title: 'legacy not used when the name is not the default one',
      branch: 'a/fix',
      name: 'custom',
      others: [dep({ id: 'l3b', name: 'fix_prod' })],
      want: 'none',
    },
    {
      title: 'legacy name on another cluster is not taken',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [dep({ id: 'l4', name: 'fix_prod', region: 'eu-west-1' })],
      want: 'none',
    },
    {
      title: 'legacy name carrying another marker is not taken',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [marked('b/fix', { id: 'l5', name: 'fix_prod' })],
      want: 'none',
    },
    {
      title: 'two legacy candidates: none taken',
      branch: 'a/fix',
      name: 'a-fix_prod',
      others: [dep({ id: 'l6', name: 'fix_prod' }), dep({ id: 'l7', name: 'fix_prod' })],
      want: 'none',
    },
    {
      title: 'legacy name equal to ours: the marker rule wins',
      branch: 'main',
      name: 'main_prod',
      others: [dep({ id: 'l8', name: 'main_prod' })],
      want: 'foreign',
      wantId: 'l8',
    },
    {
      title: 'marked beats foreign with the same name',
      branch: 'x',
      name: 'x_prod',
      others: [dep({ id: 'f9', name: 'x_prod' }), marked('x', { id: 'p9', name: 'x_prod' })],
      want: 'preview',
      wantId: 'p9',
    },
    {
      title: 'several marked: the oldest',
      branch: 'x',
      name: 'x_prod',
      others: [
        marked('x', { id: 'new', name: 'x_prod', createdAt: '2025-01-01T00:00:00Z' }),
        marked('x', { id: 'old', name: 'x_prod', createdAt: '2024-01-01T00:00:00Z' }),
      ],
      want: 'preview',
      wantId: 'old',
    },
  ];

  test.each(cases)('find: $title', async ({ branch, name, others, legacy, want, wantId }) => {
    const { api } = fakeApi([base, ...others]);
    const r = await findPreview({ api, base, branch, name, legacy, log: silentLog });
    if (want === 'preview') expect(r.preview?.id).toBe(wantId);
    else expect(r.preview).toBeUndefined();
    if (want === 'foreign') expect(r.foreign?.id).toBe(wantId);
    if (want === 'none') expect(r.foreign).toBeUndefined();
  });

  test.each(cases)('delete: $title', async ({ branch, name, others, legacy, want, wantId }) => {
    const { api, deleted } = fakeApi([base, ...others]);
    const run = deletePreview({ api, base, branch, name, legacy, log: silentLog });
    if (want === 'foreign') {
      await expect(run).rejects.toThrow(/refusing to touch it/);
      expect(deleted).toEqual([]);
    } else if (want === 'none') {
      await expect(run).resolves.toEqual({ nothing: true });
      expect(deleted).toEqual([]);
    } else {
      const r = await run;
      expect(r.deleted?.id).toBe(wantId);
      expect(deleted).toEqual([wantId]);
    }
    expect(deleted).not.toContain(base.id);
  });

  test('the base is never returned or deleted, even with preview-name = base name', async () => {
    const { api, deleted } = fakeApi([base]);
    await expect(
      findPreview({ api, base, branch: 'x', name: 'prod', log: silentLog }),
    ).rejects.toThrow(PreviewError);
    await expect(
      deletePreview({ api, base, branch: 'x', name: 'prod', log: silentLog }),
    ).rejects.toThrow(/name of the base Deployment/);
    await expect(
      createPreview({ api, base, branch: 'x', name: 'prod', log: silentLog }),
    ).rejects.toThrow(/name of the base Deployment/);
    expect(deleted).toEqual([]);
  });

  test('the base is not taken even when its description carries the marker', async () => {
    const sneaky = { ...base, description: previewMarker(base.id, 'x') };
    const { api, deleted } = fakeApi([sneaky]);
    await expect(
      deletePreview({ api, base: sneaky, branch: 'x', name: 'x_prod', log: silentLog }),
    ).resolves.toEqual({ nothing: true });
    expect(deleted).toEqual([]);
  });

  test('a server that ignores the filters changes nothing', async () => {
    const sneaky = { ...base, description: previewMarker(base.id, 'x') };
    const all = [
      sneaky,
      dep({ id: 'other', name: 'unrelated', description: previewMarker(base.id, 'x') }),
      dep({ id: 'w2', name: 'x_prod', workspaceId: 'w2' }),
    ];
    const { api, deleted } = fakeApi(all);
    (api as { listDeployments: unknown }).listDeployments = async () => all;
    await expect(
      deletePreview({ api, base: sneaky, branch: 'x', name: 'x_prod', log: silentLog }),
    ).resolves.toEqual({ nothing: true });
    expect(deleted).toEqual([]);
  });

  test('legacy name keeps spaces as underscores', async () => {
    const spaced = dep({ id: 'bs', name: 'My Prod' });
    const anchorMade = dep({ id: 'l2', name: 'x_My_Prod' });
    const { api, deleted } = fakeApi([spaced, anchorMade]);
    const r = await deletePreview({
      api,
      base: spaced,
      branch: 'team/x',
      name: 'team-x_My Prod',
      log: silentLog,
    });
    expect(r).toEqual({ deleted: anchorMade, nothing: false, legacy: true });
    expect(deleted).toEqual(['l2']);
  });
});

describe('messages', () => {
  test('foreign message names the Deployment, the workspace, the base, the branch and the way out', () => {
    const f = dep({ id: 'f1', name: 'x_prod' });
    const m = foreignMessage(f, { ...base, workspaceName: 'Data' }, 'x');
    expect(m).toContain(
      'A Deployment named "x_prod" (f1) exists in workspace Data (w1) but is not a preview of prod (base1) for branch x',
    );
    expect(m).toContain(`lacks the marker sentence "Preview of base1 for branch x"`);
    expect(m).toContain(
      'refusing to touch it. Set preview-name to another name or rename that Deployment.',
    );
  });

  test('no-preview message says how to create one', async () => {
    const m = noPreviewMessage({
      base,
      branch: 'a/fix',
      name: 'a-fix_prod',
      legacyName: 'fix_prod',
    });
    expect(m).toContain('No preview of prod (base1) for branch a/fix');
    expect(m).toContain('"a-fix_prod" (or the deploy-action name "fix_prod")');
    expect(m).toContain('action: create-deployment-preview');
    const { api } = fakeApi([base]);
    await expect(
      requirePreview({ api, base, branch: 'a/fix', name: 'a-fix_prod', log: silentLog }),
    ).rejects.toThrow(m);
  });
});

describe('previewRequest', () => {
  const full = dep({
    id: 'b9',
    name: 'analytics',
    description: 'Analytics production',
    workspaceId: 'w9',
    type: 'STANDARD',
    executor: 'CELERY',
    cloudProvider: 'GCP',
    region: 'us-central1',
    clusterId: 'shared-cluster',
    astroRuntimeVersion: '12.1.0',
    schedulerSize: 'LARGE',
    isHighAvailability: true,
    isDevelopmentMode: false,
    isDagDeployEnabled: true,
    isCicdEnforced: true,
    defaultTaskPodCpu: '0.5',
    defaultTaskPodMemory: '1Gi',
    resourceQuotaCpu: '10',
    resourceQuotaMemory: '20Gi',
    workerQueues: [
      {
        id: 'q1',
        name: 'default',
        isDefault: true,
        maxWorkerCount: 10,
        minWorkerCount: 1,
        workerConcurrency: 5,
        podCpu: '1',
        podMemory: '2Gi',
        astroMachine: 'A5',
      },
      {
        id: 'q2',
        name: 'heavy',
        isDefault: false,
        maxWorkerCount: 2,
        minWorkerCount: 0,
        workerConcurrency: 1,
        podCpu: '4',
        podMemory: '8Gi',
        astroMachine: 'A20',
        podEphemeralStorage: '10Gi',
      },
    ],
    environmentVariables: [
      { key: 'PLAIN', isSecret: false, value: 'v' },
      { key: 'EMPTY', isSecret: false },
      { key: 'TOKEN', isSecret: true },
      { key: 'DB_PASS', isSecret: true },
    ],
    contactEmails: ['team@example.com'],
    effectiveWorkloadIdentity: 'arn:aws:iam::1:role/x',
  });

  test('copies every field a create body takes, drops queue ids and secrets; env vars and emails follow in an update', () => {
    const { body, omittedSecrets, followUp } = previewRequest(full, {
      name: 'b_analytics',
      branch: 'b',
    });
    expect(body).toEqual({
      name: 'b_analytics',
      workspaceId: 'w9',
      type: 'STANDARD',
      description: `${previewMarker('b9', 'b')} — copy of analytics, made for CI by the Astro deploy action`,
      astroRuntimeVersion: '12.1.0',
      executor: 'CELERY',
      cloudProvider: 'GCP',
      region: 'us-central1',
      schedulerSize: 'LARGE',
      isHighAvailability: true,
      isDevelopmentMode: false,
      isDagDeployEnabled: true,
      isCicdEnforced: true,
      defaultTaskPodCpu: '0.5',
      defaultTaskPodMemory: '1Gi',
      resourceQuotaCpu: '10',
      resourceQuotaMemory: '20Gi',
      workerQueues: [
        {
          name: 'default',
          isDefault: true,
          maxWorkerCount: 10,
          minWorkerCount: 1,
          workerConcurrency: 5,
          astroMachine: 'A5',
        },
        {
          name: 'heavy',
          isDefault: false,
          maxWorkerCount: 2,
          minWorkerCount: 0,
          workerConcurrency: 1,
          astroMachine: 'A20',
          podEphemeralStorage: '10Gi',
        },
      ],
    });
    // Never the base's workload identity (ASTRO-API.md C3).
    expect(body).not.toHaveProperty('workloadIdentity');
    // The v1 create ignores these: they follow in an update.
    expect(followUp).toEqual({
      environmentVariables: [
        { key: 'PLAIN', isSecret: false, value: 'v' },
        { key: 'EMPTY', isSecret: false, value: '' },
      ],
      contactEmails: ['team@example.com'],
    });
    expect(omittedSecrets).toEqual(['TOKEN', 'DB_PASS']);
  });

  test('overrides apply last; env vars merge by key; description stays behind the marker', () => {
    const { body, omittedSecrets, followUp } = previewRequest(full, {
      name: 'b_analytics',
      branch: 'b',
      overrides: {
        isHighAvailability: false,
        isDevelopmentMode: true,
        schedulerSize: 'SMALL',
        description: 'for review',
        environmentVariables: [
          { key: 'PLAIN', isSecret: false, value: 'preview' },
          { key: 'TOKEN', isSecret: true, value: 'dummy' },
        ],
        workerQueues: [
          {
            name: 'default',
            isDefault: true,
            maxWorkerCount: 1,
            minWorkerCount: 0,
            workerConcurrency: 5,
            astroMachine: 'A5',
          },
        ],
      },
    });
    expect(body.isHighAvailability).toBe(false);
    expect(body.isDevelopmentMode).toBe(true);
    expect(body.schedulerSize).toBe('SMALL');
    expect(body.description).toBe(`${previewMarker('b9', 'b')} — for review`);
    expect(followUp.environmentVariables).toEqual([
      { key: 'PLAIN', isSecret: false, value: 'preview' },
      { key: 'EMPTY', isSecret: false, value: '' },
      { key: 'TOKEN', isSecret: true, value: 'dummy' },
    ]);
    expect(body.environmentVariables).toBeUndefined();
    expect(body.workerQueues).toHaveLength(1);
    expect(omittedSecrets).toEqual(['DB_PASS']);
  });

  test.each([
    {
      title: 'dedicated keeps the cluster',
      base: dep({
        type: 'DEDICATED',
        clusterId: 'c1',
        cloudProvider: undefined,
        region: undefined,
      }),
      overrides: {},
      want: 'c1',
    },
    {
      title: 'override clusterId drops provider+region',
      base: dep({ type: 'STANDARD' }),
      overrides: { clusterId: 'c2' },
      want: 'c2',
    },
  ])('$title', ({ base: b, overrides, want }) => {
    const { body } = previewRequest(b, { name: 'n', branch: 'b', overrides });
    expect(body.clusterId).toBe(want);
    expect(body.cloudProvider).toBeUndefined();
    expect(body.region).toBeUndefined();
  });

  test('standard: provider+region rather than the shared cluster id', () => {
    const { body } = previewRequest(dep({ type: 'STANDARD', clusterId: 'shared' }), {
      name: 'n',
      branch: 'b',
    });
    expect(body).toMatchObject({ cloudProvider: 'AWS', region: 'us-east-1' });
    expect(body.clusterId).toBeUndefined();
  });

  test('hybrid: scheduler au/replicas and node pools, no hosted-only fields', () => {
    const h = dep({
      type: 'HYBRID',
      clusterId: 'hc',
      cloudProvider: undefined,
      region: undefined,
      executor: 'CELERY',
      schedulerAu: 10,
      schedulerReplicas: 2,
      schedulerSize: 'SMALL',
      taskPodNodePoolId: 'np1',
      workerQueues: [
        {
          id: 'q',
          name: 'default',
          isDefault: true,
          maxWorkerCount: 1,
          minWorkerCount: 0,
          workerConcurrency: 1,
          nodePoolId: 'np1',
          astroMachine: 'A5',
        },
      ],
    });
    const { body } = previewRequest(h, { name: 'n', branch: 'b' });
    expect(body.scheduler).toEqual({ au: 10, replicas: 2 });
    expect(body.taskPodNodePoolId).toBe('np1');
    expect(body.clusterId).toBe('hc');
    expect(body.schedulerSize).toBeUndefined();
    expect(body.workerQueues).toEqual([
      {
        name: 'default',
        isDefault: true,
        maxWorkerCount: 1,
        minWorkerCount: 0,
        workerConcurrency: 1,
        nodePoolId: 'np1',
      },
    ]);
  });
});

describe('previewRequest / previewUpdateRequest: a Remote Execution base', () => {
  const remote = () =>
    dep({
      type: 'DEDICATED',
      clusterId: 'dc',
      executor: 'ASTRO',
      isDagDeployEnabled: false,
      defaultTaskPodCpu: '0.25',
      resourceQuotaCpu: '10',
      remoteExecution: {
        enabled: true,
        remoteApiUrl: 'https://remote.example/api',
        allowedIpAddressRanges: ['10.0.0.0/8'],
        taskLogBucket: 's3://logs',
      },
    });
  const copied = {
    enabled: true,
    allowedIpAddressRanges: ['10.0.0.0/8'],
    taskLogBucket: 's3://logs',
  };

  test('the preview is Remote Execution too, without remoteApiUrl or task pod sizes (as the CLI template)', () => {
    const { body } = previewRequest(remote(), { name: 'n', branch: 'b' });
    expect(body.remoteExecution).toEqual(copied);
    expect(body).toMatchObject({ type: 'DEDICATED', executor: 'ASTRO', isDagDeployEnabled: false });
    for (const f of [
      'defaultTaskPodCpu',
      'defaultTaskPodMemory',
      'resourceQuotaCpu',
      'resourceQuotaMemory',
    ])
      expect(body).not.toHaveProperty(f);
  });

  test('the follow-up update keeps it (an update cannot turn it off)', () => {
    const set = { environmentVariables: [], contactEmails: [] };
    expect(previewUpdateRequest(remote(), set).remoteExecution).toEqual(copied);
    expect(previewUpdateRequest(dep({}), set)).not.toHaveProperty('remoteExecution');
  });

  test('preview-overrides cannot set it', () => {
    expect(checkOverrides('remoteExecution: {enabled: false}', parse).errors).toEqual([
      'preview-overrides cannot set "remoteExecution": a preview is a Remote Execution Deployment exactly when its base is',
    ]);
  });
});

test('missingSecrets: base secrets the preview does not have, by key', () => {
  const env = (keys: [string, boolean][]) =>
    keys.map(([key, isSecret]) => ({ key, isSecret, value: isSecret ? undefined : 'v' }));
  const b = dep({
    environmentVariables: env([
      ['S1', true],
      ['S2', true],
      ['PLAIN', false],
    ]),
  });
  const p = dep({
    environmentVariables: env([
      ['S2', true],
      ['PLAIN', false],
    ]),
  });
  expect(missingSecrets(b, p)).toEqual(['S1']);
  expect(missingSecrets(b, dep({}))).toEqual(['S1', 'S2']);
  expect(missingSecrets(dep({}), p)).toEqual([]);
});

describe('createPreview (fake API)', () => {
  test('creates, waits through CREATING/DEPLOYING, then reuses', async () => {
    const { api, created } = fakeApi([base], { statuses: ['CREATING', 'DEPLOYING', 'HEALTHY'] });
    const log = recordingLog();
    const first = await createPreview({
      api,
      base,
      branch: 'a/b',
      name: 'a-b_prod',
      log,
      firstDelayMs: 1,
      maxDelayMs: 5,
    });
    expect(first.created).toBe(true);
    expect(first.preview.status).toBe('HEALTHY');
    const again = await createPreview({
      api,
      base,
      branch: 'a/b',
      name: 'a-b_prod',
      log,
      firstDelayMs: 1,
    });
    expect(again).toEqual({
      preview: first.preview,
      created: false,
      omittedSecrets: [],
      legacy: undefined,
    });
    expect(created).toHaveLength(1);
  });

  test('a reused preview still CREATING is waited for; an UNHEALTHY one is not', async () => {
    const creating = marked('c', { name: 'c_prod', status: 'CREATING' });
    const { api } = fakeApi([base, creating], { statuses: ['CREATING', 'HEALTHY'] });
    const r = await createPreview({
      api,
      base,
      branch: 'c',
      name: 'c_prod',
      log: silentLog,
      firstDelayMs: 1,
    });
    expect(r).toMatchObject({ created: false, preview: { id: creating.id, status: 'HEALTHY' } });

    const sick = marked('u', { name: 'u_prod', status: 'UNHEALTHY' });
    const two = fakeApi([base, sick], { statuses: ['HEALTHY'] });
    const r2 = await createPreview({
      api: two.api,
      base,
      branch: 'u',
      name: 'u_prod',
      log: silentLog,
      timeoutMs: 1,
    });
    expect(r2.preview.status).toBe('UNHEALTHY');
  });

  test('takes the lookup it is given (`found`): not looked up again before the create, but after it', async () => {
    const { api, created } = fakeApi([base], { statuses: ['HEALTHY'] });
    const lists: string[] = [];
    const list = api.listDeployments.bind(api);
    api.listDeployments = async (f) => {
      lists.push(created.length ? 'after the create' : 'before the create');
      return list(f);
    };
    const args = { api, base, branch: 'f/g', name: 'f-g_prod', log: silentLog, firstDelayMs: 1 };
    const found = await lookUpPreview(args);
    expect(lists).toEqual(['before the create']);
    const first = await createPreview({ ...args, found });
    expect(first.created).toBe(true);
    // The check for a job racing ours reads the list again on purpose: it changed.
    expect(lists).toEqual(['before the create', 'after the create']);
    // Given a lookup that found the preview, it is reused without another read.
    lists.length = 0;
    const again = await createPreview({ ...args, found: { preview: first.preview } });
    expect(again).toMatchObject({ created: false, preview: { id: first.preview.id } });
    expect(lists).toEqual([]);
    expect(created).toHaveLength(1);
  });

  test('lookUpPreview refuses a Deployment that only has our name, as existingPreview does', async () => {
    const { api } = fakeApi([base, dep({ name: 'a-b_prod', description: 'someone else' })]);
    const args = { api, base, branch: 'a/b', name: 'a-b_prod', log: silentLog };
    await expect(lookUpPreview(args)).rejects.toThrow(/refusing to touch it/);
    await expect(existingPreview(args)).rejects.toThrow(/refusing to touch it/);
  });

  test('refuses a foreign Deployment with our name', async () => {
    const { api, created } = fakeApi([
      base,
      dep({ name: 'a-b_prod', description: 'someone else' }),
    ]);
    await expect(
      createPreview({ api, base, branch: 'a/b', name: 'a-b_prod', log: silentLog }),
    ).rejects.toThrow(/not a preview of prod/);
    expect(created).toHaveLength(0);
  });

  test('a preview that never becomes ready times out with its status', async () => {
    const { api } = fakeApi([base], { statuses: Array(1000).fill('UNHEALTHY') });
    await expect(
      createPreview({
        api,
        base,
        branch: 'z',
        name: 'z_prod',
        log: silentLog,
        timeoutMs: 30,
        firstDelayMs: 5,
        maxDelayMs: 10,
      }),
    ).rejects.toThrow(/was not ready within .* it is UNHEALTHY/);
  });

  test('waitUntilReady backs off between polls', async () => {
    const d = dep({ status: 'CREATING' });
    const { api } = fakeApi([d], {
      statuses: ['CREATING', 'CREATING', 'CREATING', 'CREATING', 'HEALTHY'],
    });
    const log = recordingLog();
    const started = Date.now();
    const r = await waitUntilReady({
      api,
      deploymentId: d.id,
      log,
      firstDelayMs: 10,
      maxDelayMs: 1000,
    });
    expect(r.status).toBe('HEALTHY');
    const waits = log.lines
      .filter((l) => l.includes('checking again'))
      .map((l) => Number(/in (\d+) ms/.exec(l)![1]));
    expect(waits).toEqual([10, 16, 26, 42]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});

describe('waitUntilReady takes a fake clock', () => {
  test("its waits are the fake clock's sleeps, backing off to the cap", async () => {
    const d = dep({ status: 'CREATING' });
    const { api } = fakeApi([d], {
      statuses: ['CREATING', 'CREATING', 'CREATING', 'CREATING', 'CREATING', 'HEALTHY'],
    });
    const clock = fakeClock();
    const r = await waitUntilReady({ api, deploymentId: d.id, log: silentLog, clock });
    expect(r.status).toBe('HEALTHY');
    expect(clock.sleeps).toEqual([1000, 1600, 2560, 4096, 6554]);
  });

  test('its deadline is read from the fake clock: one sentence when it passes', async () => {
    const d = dep({ status: 'CREATING', statusReason: 'pods pending' });
    const { api } = fakeApi([d]);
    const clock = fakeClock();
    await expect(
      waitUntilReady({ api, deploymentId: d.id, log: silentLog, timeoutMs: 5_000, clock }),
    ).rejects.toThrow(
      `The preview Deployment ${d.name} (${d.id}) was not ready within 5 s: it is CREATING (pods pending). Check it in the Astro UI, then run again (the preview is reused).`,
    );
    // 1000 + 1600 + 2400 (cut to the deadline), then one last look.
    expect(clock.sleeps).toEqual([1000, 1600, 2400]);
  });
});

describe("previewRequest: what Astronomer's template leaves out or keeps (ASTRO-API.md C3)", () => {
  const queue = {
    id: 'q1',
    name: 'default',
    isDefault: true,
    maxWorkerCount: 10,
    minWorkerCount: 0,
    workerConcurrency: 5,
    podCpu: '1',
    podMemory: '2Gi',
    astroMachine: 'A5',
  };
  const schedule = {
    hibernateAtCron: '0 20 * * *',
    wakeAtCron: '0 8 * * 1-5',
    isEnabled: true,
    description: 'Office hours',
  };
  const scaling = { hibernationSpec: { schedules: [schedule] } };

  test.each([
    {
      title: "the base's effective identity is never sent",
      base: { effectiveWorkloadIdentity: 'arn:aws:iam::1:role/prod' },
      overrides: {},
      want: undefined,
    },
    {
      title: 'an identity set in preview-overrides is sent',
      base: { effectiveWorkloadIdentity: 'arn:aws:iam::1:role/prod' },
      overrides: { workloadIdentity: 'arn:aws:iam::1:role/preview' },
      want: 'arn:aws:iam::1:role/preview',
    },
  ])('workload identity: $title', ({ base: b, overrides, want }) => {
    const { body } = previewRequest(dep(b), { name: 'n', branch: 'b', overrides });
    expect(body.workloadIdentity).toBe(want);
  });

  test.each([
    { title: 'CELERY base: queues copied', base: { executor: 'CELERY' }, overrides: {}, queues: 1 },
    { title: 'ASTRO base: queues copied', base: { executor: 'ASTRO' }, overrides: {}, queues: 1 },
    {
      title: 'KUBERNETES base: none',
      base: { executor: 'KUBERNETES' },
      overrides: {},
      queues: undefined,
    },
    {
      title: 'KUBERNETES hybrid base: none',
      base: { executor: 'KUBERNETES', type: 'HYBRID', clusterId: 'hc' },
      overrides: {},
      queues: undefined,
    },
    {
      title: 'override to KUBERNETES: none',
      base: { executor: 'CELERY' },
      overrides: { executor: 'KUBERNETES' },
      queues: undefined,
    },
    {
      title: "override from KUBERNETES to CELERY: the base's queues",
      base: { executor: 'KUBERNETES' },
      overrides: { executor: 'CELERY' },
      queues: 1,
    },
  ] as const)('worker queues: $title', ({ base: b, overrides, queues }) => {
    const base = dep({ ...b, workerQueues: [queue] } as Partial<Deployment>);
    const { body } = previewRequest(base, { name: 'n', branch: 'b', overrides });
    expect(body.workerQueues?.length).toBe(queues);
  });

  test('worker queues in preview-overrides for a KUBERNETES preview: one sentence, before anything is created', () => {
    const run = () =>
      previewRequest(dep({ executor: 'KUBERNETES' }), {
        name: 'n',
        branch: 'b',
        overrides: {
          workerQueues: [
            {
              name: 'default',
              isDefault: true,
              maxWorkerCount: 1,
              minWorkerCount: 0,
              workerConcurrency: 1,
              astroMachine: 'A5',
            },
          ] as Deployment['workerQueues'],
        },
      });
    expect(run).toThrow(PreviewError);
    expect(run).toThrow(
      "preview-overrides sets workerQueues, but the preview's executor is KUBERNETES, which takes no worker queues (they apply to CELERY and ASTRO): remove workerQueues from preview-overrides or set executor: CELERY.",
    );
  });

  const other = { hibernateAtCron: '0 18 * * *', wakeAtCron: '0 9 * * 1-5', isEnabled: true };
  test.each([
    {
      title: 'development base: its schedules',
      base: { isDevelopmentMode: true, scalingSpec: scaling },
      overrides: {},
      want: [schedule],
    },
    {
      title: 'development base, schedule without description',
      base: {
        isDevelopmentMode: true,
        scalingSpec: { hibernationSpec: { schedules: [other], override: { isActive: true } } },
      },
      overrides: {},
      want: [other],
    },
    {
      title: 'not a development base: none',
      base: { isDevelopmentMode: false, scalingSpec: scaling },
      overrides: {},
      want: undefined,
    },
    {
      title: 'override isDevelopmentMode false: none',
      base: { isDevelopmentMode: true, scalingSpec: scaling },
      overrides: { isDevelopmentMode: false },
      want: undefined,
    },
    {
      title: 'override changes them',
      base: { isDevelopmentMode: true, scalingSpec: scaling },
      overrides: { scalingSpec: { hibernationSpec: { schedules: [other] } } },
      want: [other],
    },
    {
      title: 'override scalingSpec {} drops them',
      base: { isDevelopmentMode: true, scalingSpec: scaling },
      overrides: { scalingSpec: {} },
      want: undefined,
    },
    {
      title: 'override schedules [] drops them',
      base: { isDevelopmentMode: true, scalingSpec: scaling },
      overrides: { scalingSpec: { hibernationSpec: { schedules: [] } } },
      want: undefined,
    },
    {
      title: 'hybrid: never',
      base: { type: 'HYBRID', clusterId: 'hc', isDevelopmentMode: true, scalingSpec: scaling },
      overrides: {},
      want: undefined,
    },
  ] as const)('hibernation schedules: $title', ({ base: b, overrides, want }) => {
    const { body } = previewRequest(dep(b as Partial<Deployment>), {
      name: 'n',
      branch: 'b',
      overrides: overrides as never,
    });
    expect(body.scalingSpec?.hibernationSpec?.schedules).toEqual(want);
    if (want === undefined) expect(body).not.toHaveProperty('scalingSpec');
  });
});

describe('previewUpdateRequest: a full update from the Deployment as read', () => {
  const set = {
    environmentVariables: [
      { key: 'A', isSecret: false, value: '1' },
      { key: 'S', isSecret: true, value: 'x' },
    ],
    contactEmails: ['t@example.com'],
  };
  const queue = {
    id: 'q1',
    name: 'default',
    isDefault: true,
    maxWorkerCount: 3,
    minWorkerCount: 0,
    workerConcurrency: 5,
    podCpu: '1',
    podMemory: '2Gi',
    astroMachine: 'A5',
    nodePoolId: 'np',
  };
  const schedule = { hibernateAtCron: '0 20 * * *', wakeAtCron: '0 8 * * *', isEnabled: true };

  test.each([
    {
      title: 'standard CELERY, development, with schedules',
      preview: dep({
        id: 'p1',
        name: 'x_prod',
        description: 'Preview of b for branch x',
        executor: 'CELERY',
        schedulerSize: 'SMALL',
        isHighAvailability: false,
        isDevelopmentMode: true,
        defaultTaskPodCpu: '0.25',
        defaultTaskPodMemory: '0.5Gi',
        resourceQuotaCpu: '10',
        resourceQuotaMemory: '20Gi',
        workerQueues: [queue],
        scalingSpec: { hibernationSpec: { schedules: [schedule] } },
        effectiveWorkloadIdentity: 'arn:own',
      }),
      identity: undefined,
      want: {
        type: 'STANDARD',
        name: 'x_prod',
        workspaceId: 'w1',
        description: 'Preview of b for branch x',
        executor: 'CELERY',
        isCicdEnforced: false,
        isDagDeployEnabled: true,
        isHighAvailability: false,
        schedulerSize: 'SMALL',
        isDevelopmentMode: true,
        defaultTaskPodCpu: '0.25',
        defaultTaskPodMemory: '0.5Gi',
        resourceQuotaCpu: '10',
        resourceQuotaMemory: '20Gi',
        scalingSpec: { hibernationSpec: { schedules: [schedule] } },
        workerQueues: [
          {
            id: 'q1',
            name: 'default',
            isDefault: true,
            maxWorkerCount: 3,
            minWorkerCount: 0,
            workerConcurrency: 5,
            astroMachine: 'A5',
          },
        ],
        ...set,
      },
    },
    {
      title: 'dedicated KUBERNETES: no queues; an identity chosen in preview-overrides',
      preview: dep({
        name: 'k_prod',
        type: 'DEDICATED',
        clusterId: 'c',
        executor: 'KUBERNETES',
        schedulerSize: 'MEDIUM',
        isHighAvailability: true,
        workerQueues: [queue],
        isCicdEnforced: true,
      }),
      identity: 'arn:chosen',
      want: {
        type: 'DEDICATED',
        name: 'k_prod',
        workspaceId: 'w1',
        executor: 'KUBERNETES',
        isCicdEnforced: true,
        isDagDeployEnabled: true,
        isHighAvailability: true,
        schedulerSize: 'MEDIUM',
        workloadIdentity: 'arn:chosen',
        ...set,
      },
    },
    {
      title: 'hybrid CELERY: scheduler and node pools, nothing hosted-only',
      preview: dep({
        name: 'h_prod',
        type: 'HYBRID',
        clusterId: 'hc',
        executor: 'CELERY',
        schedulerAu: 5,
        schedulerReplicas: 1,
        schedulerSize: 'SMALL',
        isHighAvailability: false,
        taskPodNodePoolId: 'np',
        workerQueues: [queue],
      }),
      identity: undefined,
      want: {
        type: 'HYBRID',
        name: 'h_prod',
        workspaceId: 'w1',
        executor: 'CELERY',
        isCicdEnforced: false,
        isDagDeployEnabled: true,
        scheduler: { au: 5, replicas: 1 },
        taskPodNodePoolId: 'np',
        workerQueues: [
          {
            id: 'q1',
            name: 'default',
            isDefault: true,
            maxWorkerCount: 3,
            minWorkerCount: 0,
            workerConcurrency: 5,
            nodePoolId: 'np',
          },
        ],
        ...set,
      },
    },
  ])('$title', ({ preview, identity, want }) => {
    const p = { ...preview, cloudProvider: undefined, region: undefined } as Deployment;
    if (preview.type === 'STANDARD') Object.assign(p, { cloudProvider: 'AWS' });
    expect(previewUpdateRequest(p, set, identity)).toEqual(want);
  });
});

describe('missingFollowUp', () => {
  const set = {
    environmentVariables: [
      { key: 'A', isSecret: false, value: '1' },
      { key: 'S', isSecret: true, value: 'x' },
    ],
    contactEmails: ['t@example.com'],
  };
  const env = (vars: { key: string; isSecret: boolean; value?: string }[]) =>
    vars.map((v) => ({ ...v, updatedAt: '2024-01-01T00:00:00Z' }));
  test.each([
    {
      title: 'everything arrived (a secret counts by key)',
      got: {
        environmentVariables: env([
          { key: 'A', isSecret: false, value: '1' },
          { key: 'S', isSecret: true },
        ]),
        contactEmails: ['t@example.com'],
      },
      want: [],
    },
    {
      title: 'nothing arrived',
      got: { environmentVariables: [], contactEmails: [] },
      want: ['environment variables A, S', 'contact emails t@example.com'],
    },
    {
      title: 'a changed value',
      got: {
        environmentVariables: env([
          { key: 'A', isSecret: false, value: '2' },
          { key: 'S', isSecret: true },
        ]),
        contactEmails: ['t@example.com'],
      },
      want: ['environment variables A'],
    },
  ])('$title', ({ got, want }) => {
    expect(missingFollowUp(dep(got as Partial<Deployment>), set)).toEqual(want);
  });
});

describe('createPreview: follow-up update and racing jobs (fake API)', () => {
  const withEnv = dep({
    id: 'benv',
    name: 'prod',
    executor: 'CELERY',
    schedulerSize: 'SMALL',
    isHighAvailability: false,
    environmentVariables: [
      { key: 'PLAIN', isSecret: false, value: 'v' },
      { key: 'TOKEN', isSecret: true },
    ],
    contactEmails: ['team@example.com'],
  });
  const fast = { firstDelayMs: 1, maxDelayMs: 2, timeoutMs: 1000 };

  test('creates, then sets environment variables and contact emails by a full update', async () => {
    const { api, created, updated } = fakeApi([withEnv], { statuses: ['HEALTHY'] });
    const r = await createPreview({
      api,
      base: withEnv,
      branch: 'e',
      name: 'e_prod',
      log: silentLog,
      ...fast,
    });
    expect(r.created).toBe(true);
    expect(created[0]).not.toHaveProperty('environmentVariables');
    expect(created[0]).not.toHaveProperty('contactEmails');
    expect(updated).toHaveLength(1);
    const [id, body] = updated[0];
    expect(id).toBe(r.preview.id);
    expect(body).toMatchObject({
      type: 'STANDARD',
      name: 'e_prod',
      workspaceId: 'w1',
      executor: 'CELERY',
      isCicdEnforced: false,
      isDagDeployEnabled: true,
      isHighAvailability: false,
      schedulerSize: 'SMALL',
      environmentVariables: [{ key: 'PLAIN', isSecret: false, value: 'v' }],
      contactEmails: ['team@example.com'],
    });
    expect(r.preview.environmentVariables?.map((v) => v.key)).toEqual(['PLAIN']);
    expect(r.omittedSecrets).toEqual(['TOKEN']);
  });

  test('no environment variables and no contact emails: no update', async () => {
    const { api, updated } = fakeApi([base], { statuses: ['HEALTHY'] });
    await createPreview({ api, base, branch: 'q', name: 'q_prod', log: silentLog, ...fast });
    expect(updated).toEqual([]);
  });

  test('settings the update did not keep: one sentence naming them; the preview is reported as created', async () => {
    const { api } = fakeApi([withEnv], { statuses: ['HEALTHY'], updateKeepsNothing: true });
    const journal = new Journal();
    const run = createPreview({
      api,
      base: withEnv,
      branch: 'l',
      name: 'l_prod',
      log: silentLog,
      journal,
      ...fast,
    });
    await expect(run).rejects.toThrow(
      /^The preview l_prod \(d\d+\) was created, but Astro did not keep its environment variables PLAIN and contact emails team@example\.com after the update that sets them; set them on l_prod in the Astro UI, or delete the preview and run again\.$/,
    );
    expect(journal.previews.map((x) => x.name)).toEqual(['l_prod']);
  });

  test.each([400, 409])(
    'a create refused (%s) because another job just made this preview: carry on with that one',
    async (status) => {
      let theirs: Deployment | undefined;
      const fake = fakeApi([base], {
        statuses: ['CREATING', 'HEALTHY'],
        refuseCreate: (body) => {
          theirs = marked('r', { name: body.name, status: 'CREATING' });
          fake.deployments.push(theirs);
          return Object.assign(new Error('a Deployment named r_prod already exists'), { status });
        },
      });
      const log = recordingLog();
      const r = await createPreview({
        api: fake.api,
        base,
        branch: 'r',
        name: 'r_prod',
        log,
        ...fast,
      });
      expect(r).toMatchObject({ created: false, preview: { id: theirs!.id, status: 'HEALTHY' } });
      expect(fake.created).toEqual([]);
      expect(fake.deleted).toEqual([]);
      expect(log.lines).toContain(
        `info: Another run created the preview r_prod (${theirs!.id}) for branch r at the same time; using it.`,
      );
    },
  );

  test('a create refused because an unmarked Deployment took the name: the foreign error', async () => {
    const fake = fakeApi([base], {
      refuseCreate: (body) => {
        fake.deployments.push(dep({ id: 'f7', name: body.name, description: 'mine' }));
        return Object.assign(new Error('duplicate'), { status: 409 });
      },
    });
    await expect(
      createPreview({ api: fake.api, base, branch: 'f', name: 'f_prod', log: silentLog, ...fast }),
    ).rejects.toThrow(/A Deployment named "f_prod" \(f7\) .* refusing to touch it/);
  });

  test("any other refusal of the create is the API's error", async () => {
    const refusal = Object.assign(new Error('astroRuntimeVersion is unknown'), { status: 400 });
    const fake = fakeApi([base], { refuseCreate: () => refusal });
    await expect(
      createPreview({ api: fake.api, base, branch: 'o', name: 'o_prod', log: silentLog, ...fast }),
    ).rejects.toBe(refusal);
  });
});

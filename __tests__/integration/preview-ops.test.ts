// Preview Deployments end to end against the in-process emulator: names, idempotent create,
// overrides, secrets, copying Airflow objects across pages (Airflow 2 and 3), the delete
// guard and deploy-action's names.

import { createAirflowClient } from '../../src/astro/airflow.js';
import { createAstroClient } from '../../src/astro/client.js';
import type { AstroApi, Deployment } from '../../src/astro/types.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { copyAirflowObjects } from '../../src/preview/copy.js';
import {
  hasMarker,
  legacyPreviewName,
  previewMarker,
  previewName,
} from '../../src/preview/names.js';
import {
  createPreview,
  deletePreview,
  findPreview,
  PreviewError,
  requirePreview,
} from '../../src/preview/ops.js';
import { parse } from 'yaml';
import * as overridesModule from '../../src/preview/overrides.js';
import { airflowConnection } from '../support/fixtures.js';

// The YAML parser is passed in (the action loads it only when an input needs it).
const parseOverrides = (text: string) => overridesModule.parseOverrides(text, parse);

let emu: Emulator;
let api: AstroApi;
let analytics: Deployment; // Airflow 3
let warehouse: Deployment; // Airflow 2

const fast = { firstDelayMs: 10, maxDelayMs: 50, timeoutMs: 10_000 };

beforeAll(async () => {
  emu = await startEmulator({ createDelayMs: 120, rolloutDelayMs: 50, wakeDelayMs: 50 });
  api = await createAstroClient({ baseUrl: emu.url, token: emu.token, log: silentLog });
  analytics = await api.getDeployment(emu.deployments.find((d) => d.name === 'analytics')!.id);
  warehouse = await api.getDeployment(emu.deployments.find((d) => d.name === 'warehouse')!.id);
});

afterAll(async () => {
  await emu.close();
});

const names = () => emu.state.deployments().map((d) => d.name);

describe('create', () => {
  test('a copy of the base, marked, waited for, then reused', async () => {
    const branch = 'refs/heads/feature/Ünïcode stuff';
    const name = previewName({ branch, baseName: analytics.name });
    expect(name).toBe('feature-n-code-stuff_analytics');
    const log = recordingLog();
    const first = await createPreview({ api, base: analytics, branch, name, log, ...fast });
    expect(first.created).toBe(true);
    expect(first.preview.status).toBe('HEALTHY');
    expect(first.preview.name).toBe(name);
    expect(first.preview.workspaceId).toBe(analytics.workspaceId);
    expect(first.preview.description).toBe(
      `${previewMarker(analytics.id, 'feature/Ünïcode stuff')} — copy of analytics, made for CI by the Astro deploy action`,
    );
    for (const k of [
      'type',
      'astroRuntimeVersion',
      'executor',
      'cloudProvider',
      'region',
      'schedulerSize',
      'isHighAvailability',
      'isDevelopmentMode',
      'isDagDeployEnabled',
      'isCicdEnforced',
      'defaultTaskPodCpu',
      'defaultTaskPodMemory',
      'resourceQuotaCpu',
      'resourceQuotaMemory',
      'contactEmails',
    ] as const) {
      // (Not the workload identity: a preview gets its own, see below.)
      expect([k, first.preview[k]]).toEqual([k, analytics[k]]);
    }
    const strip = (qs: Deployment['workerQueues']) => qs?.map(({ id: _id, ...q }) => q);
    expect(strip(first.preview.workerQueues)).toEqual(strip(analytics.workerQueues));
    expect(first.preview.workerQueues?.[0]?.id).not.toBe(analytics.workerQueues?.[0]?.id);
    // Polled through CREATING rather than slept.
    expect(
      emu.state.requests.filter(
        (r) => r.method === 'GET' && r.path.endsWith(`/deployments/${first.preview.id}`),
      ).length,
    ).toBeGreaterThan(1);

    const count = names().length;
    const again = await createPreview({ api, base: analytics, branch, name, log, ...fast });
    expect(again).toMatchObject({ created: false, preview: { id: first.preview.id } });
    expect(names().length).toBe(count);
    expect(log.lines.some((l) => l.includes('Reusing the preview'))).toBe(true);
  });

  test('two branches with the same last segment get two previews', async () => {
    const a = await createPreview({
      api,
      base: analytics,
      branch: 'alice/fix',
      name: previewName({ branch: 'alice/fix', baseName: 'analytics' }),
      log: silentLog,
      ...fast,
    });
    const b = await createPreview({
      api,
      base: analytics,
      branch: 'bob/fix',
      name: previewName({ branch: 'bob/fix', baseName: 'analytics' }),
      log: silentLog,
      ...fast,
    });
    expect(a.preview.id).not.toBe(b.preview.id);
    expect([a.preview.name, b.preview.name]).toEqual(['alice-fix_analytics', 'bob-fix_analytics']);
    expect(hasMarker(a.preview.description, analytics.id, 'alice/fix')).toBe(true);
    expect(hasMarker(b.preview.description, analytics.id, 'alice/fix')).toBe(false);
    expect(
      (
        await deletePreview({
          api,
          base: analytics,
          branch: 'alice/fix',
          name: a.preview.name,
          log: silentLog,
        })
      ).deleted?.id,
    ).toBe(a.preview.id);
    expect(names()).toContain('bob-fix_analytics');
    expect(names()).not.toContain('alice-fix_analytics');
  });

  test('a 150-character branch: cut name, created, found and deleted', async () => {
    const branch = 'feature/' + 'very-long-branch-name-'.repeat(7).slice(0, 142);
    expect(branch.length).toBe(150);
    const name = previewName({ branch, baseName: 'analytics' });
    expect(name.length).toBeLessThanOrEqual(63);
    const created = await createPreview({
      api,
      base: analytics,
      branch,
      name,
      log: silentLog,
      ...fast,
    });
    expect(created.preview.name).toBe(name);
    expect(
      (await findPreview({ api, base: analytics, branch, name, log: silentLog })).preview?.id,
    ).toBe(created.preview.id);
    // A sibling branch with the same 150-character prefix does not see it.
    const sibling = branch + '-2';
    const siblingName = previewName({ branch: sibling, baseName: 'analytics' });
    expect(siblingName).not.toBe(name);
    expect(
      await findPreview({
        api,
        base: analytics,
        branch: sibling,
        name: siblingName,
        log: silentLog,
      }),
    ).toEqual({});
    const gone = await deletePreview({ api, base: analytics, branch, name, log: silentLog });
    expect(gone.deleted?.id).toBe(created.preview.id);
    expect(emu.state.deployment(created.preview.id)).toBeUndefined();
  });

  test('preview-overrides apply last', async () => {
    const overrides = parseOverrides(
      'isDevelopmentMode: true\nisHighAvailability: false\nschedulerSize: small\nenvironmentVariables:\n  STAGE: preview\n',
    );
    const base = emu.state.addDeployment({
      name: 'reporting',
      isHighAvailability: true,
      schedulerSize: 'LARGE',
      environmentVariables: [
        { key: 'STAGE', isSecret: false, value: 'prod' },
        { key: 'KEEP', isSecret: false, value: 'me' },
      ],
    });
    const r = await createPreview({
      api,
      base,
      branch: 'ov',
      name: 'ov_reporting',
      overrides,
      log: silentLog,
      ...fast,
    });
    expect(r.preview).toMatchObject({
      isDevelopmentMode: true,
      isHighAvailability: false,
      schedulerSize: 'SMALL',
    });
    expect(r.preview.environmentVariables?.map(({ key, value }) => [key, value])).toEqual([
      ['STAGE', 'preview'],
      ['KEEP', 'me'],
    ]);
  });

  test('secret environment variables are left out and named', async () => {
    const base = emu.state.addDeployment({
      name: 'secretive',
      environmentVariables: [
        { key: 'PLAIN', isSecret: false, value: '1' },
        { key: 'API_TOKEN', isSecret: true, value: 's3cr3t' },
        { key: 'DB_PASSWORD', isSecret: true, value: 'pw' },
      ],
    });
    const fresh = await api.getDeployment(base.id);
    expect(fresh.environmentVariables?.find((v) => v.key === 'API_TOKEN')?.value).toBeUndefined();
    const log = recordingLog();
    const r = await createPreview({
      api,
      base: fresh,
      branch: 's',
      name: 's_secretive',
      log,
      ...fast,
    });
    expect(r.omittedSecrets).toEqual(['API_TOKEN', 'DB_PASSWORD']);
    expect(r.preview.environmentVariables?.map((v) => v.key)).toEqual(['PLAIN']);
    expect(
      log.lines.some(
        (l) =>
          l.startsWith('warning: Secret environment variables of secretive') &&
          l.includes('API_TOKEN, DB_PASSWORD'),
      ),
    ).toBe(true);
  });

  test('a bad override is refused by the API and nothing is left behind', async () => {
    const count = names().length;
    await expect(
      createPreview({
        api,
        base: analytics,
        branch: 'bad',
        name: 'bad_analytics',
        overrides: { astroRuntimeVersion: '0.0.0' },
        log: silentLog,
        ...fast,
      }),
    ).rejects.toThrow(/astroRuntimeVersion/);
    expect(names().length).toBe(count);
  });
});

describe("created as Astronomer's own tooling creates a copy (ASTRO-API.md C3)", () => {
  test("a preview never inherits the base's workload identity; one set in preview-overrides is kept", async () => {
    const prodRole = 'arn:aws:iam::111111111111:role/production-etl';
    const base = emu.state.addDeployment({
      name: 'secure',
      workloadIdentity: prodRole,
      environmentVariables: [{ key: 'STAGE', isSecret: false, value: 'prod' }],
    });
    expect(base.effectiveWorkloadIdentity).toBe(prodRole);
    const plain = await createPreview({
      api,
      base,
      branch: 'wi',
      name: 'wi_secure',
      log: silentLog,
      ...fast,
    });
    expect(plain.preview.effectiveWorkloadIdentity).toBeDefined();
    expect(plain.preview.effectiveWorkloadIdentity).not.toBe(prodRole);
    const chosen = 'arn:aws:iam::111111111111:role/preview-etl';
    const own = await createPreview({
      api,
      base,
      branch: 'wi2',
      name: 'wi2_secure',
      overrides: parseOverrides(`workloadIdentity: ${chosen}\n`),
      log: silentLog,
      ...fast,
    });
    // Kept through the follow-up update, which carries it again.
    expect(own.preview.effectiveWorkloadIdentity).toBe(chosen);
  });

  test('a KUBERNETES base: the preview is created without worker queues', async () => {
    const base = emu.state.addDeployment({
      name: 'kube',
      executor: 'KUBERNETES',
      environmentVariables: [{ key: 'K', isSecret: false, value: '1' }],
    });
    expect(base.workerQueues?.map((q) => q.name)).toEqual(['default']);
    const r = await createPreview({
      api,
      base,
      branch: 'k8s',
      name: 'k8s_kube',
      log: silentLog,
      ...fast,
    });
    expect(r.preview.executor).toBe('KUBERNETES');
    expect(r.preview.environmentVariables?.map((v) => v.key)).toEqual(['K']);
  });

  test('a Hybrid base: the follow-up update carries the scheduler and node pools', async () => {
    const base = emu.state.addDeployment({
      name: 'onprem',
      type: 'HYBRID',
      executor: 'CELERY',
      clusterId: 'chybrid',
      scheduler: { au: 6, replicas: 1 },
      contactEmails: ['ops@example.com'],
    });
    expect(base.workerQueues?.[0]?.nodePoolId).toBe('np-default');
    const r = await createPreview({
      api,
      base,
      branch: 'hy',
      name: 'hy_onprem',
      log: silentLog,
      ...fast,
    });
    expect(r.preview).toMatchObject({
      type: 'HYBRID',
      clusterId: 'chybrid',
      schedulerAu: 6,
      contactEmails: ['ops@example.com'],
    });
    expect(r.preview.workerQueues?.map((q) => [q.name, q.nodePoolId])).toEqual([
      ['default', 'np-default'],
    ]);
  });

  test('a development base: its hibernation schedules are copied; preview-overrides change or drop them', async () => {
    const sandbox = await api.getDeployment(emu.deployments.find((d) => d.name === 'sandbox')!.id);
    const schedules = sandbox.scalingSpec?.hibernationSpec?.schedules;
    expect(schedules?.length).toBe(1);
    const copied = await createPreview({
      api,
      base: sandbox,
      branch: 'sleepy',
      name: 'sleepy_sandbox',
      log: silentLog,
      ...fast,
    });
    expect(copied.preview.isDevelopmentMode).toBe(true);
    expect(copied.preview.scalingSpec?.hibernationSpec?.schedules).toEqual(schedules);

    const night = { hibernateAtCron: '0 22 * * *', wakeAtCron: '0 6 * * 1-5', isEnabled: true };
    const changed = await createPreview({
      api,
      base: sandbox,
      branch: 'night',
      name: 'night_sandbox',
      overrides: { scalingSpec: { hibernationSpec: { schedules: [night] } } },
      log: silentLog,
      ...fast,
    });
    expect(changed.preview.scalingSpec?.hibernationSpec?.schedules).toEqual([night]);

    const dropped = await createPreview({
      api,
      base: sandbox,
      branch: 'awake',
      name: 'awake_sandbox',
      overrides: parseOverrides('scalingSpec: {}\n'),
      log: silentLog,
      ...fast,
    });
    expect(dropped.preview.scalingSpec?.hibernationSpec?.schedules).toBeUndefined();
  });

  test('a server that refuses updates while a Deployment is being created: the update waits until it is ready', async () => {
    const strict = await startEmulator({
      createDelayMs: 150,
      rolloutDelayMs: 50,
      refuseUpdatesWhileCreating: true,
    });
    try {
      const client = await createAstroClient({
        baseUrl: strict.url,
        token: strict.token,
        log: silentLog,
      });
      const made = strict.state.addDeployment({
        name: 'early',
        environmentVariables: [{ key: 'E', isSecret: false, value: '1' }],
      });
      const r = await createPreview({
        api: client,
        base: await client.getDeployment(made.id),
        branch: 'early',
        name: 'early_early',
        log: silentLog,
        ...fast,
      });
      expect(r.preview.environmentVariables?.map((v) => v.key)).toEqual(['E']);
      expect(strict.state.requests.filter((q) => q.method === 'POST').map((q) => q.status)).toEqual(
        [200, 200],
      );
    } finally {
      await strict.close();
    }
  });

  test('environment variables and contact emails reach the preview through an update after the create', async () => {
    const base = emu.state.addDeployment({
      name: 'notified',
      contactEmails: ['oncall@example.com', 'data@example.com'],
      environmentVariables: [
        { key: 'REGION', isSecret: false, value: 'eu' },
        { key: 'PASSWORD', isSecret: true, value: 'pw' },
      ],
    });
    emu.state.clearRequests();
    const r = await createPreview({
      api,
      base: await api.getDeployment(base.id),
      branch: 'mail',
      name: 'mail_notified',
      log: silentLog,
      ...fast,
    });
    expect(r.preview.contactEmails).toEqual(['oncall@example.com', 'data@example.com']);
    expect(r.preview.environmentVariables?.map(({ key, value }) => [key, value])).toEqual([
      ['REGION', 'eu'],
    ]);
    expect(r.omittedSecrets).toEqual(['PASSWORD']);
    const posts = emu.state.requests
      .filter((q) => q.method === 'POST')
      .map((q) => [q.path.replace(/^.*\/deployments/, '/deployments'), q.status]);
    expect(posts).toEqual([
      ['/deployments', 200],
      [`/deployments/${r.preview.id}`, 200],
    ]);
  });
});

describe('copy Airflow objects across pages', () => {
  test.each([
    ['Airflow 3 (api/v2)', 'analytics', 2],
    ['Airflow 2 (api/v1)', 'warehouse', 1],
  ] as const)('%s', async (_title, baseName, version) => {
    const base = baseName === 'analytics' ? analytics : warehouse;
    const objects = emu.state.airflow(base.id);
    const before = {
      c: objects.connections.size,
      v: objects.variables.size,
      p: objects.pools.size,
    };
    for (let i = 0; i < 130; i += 1) {
      objects.connections.set(`bulk_${baseName}_${i}`, {
        connection_id: `bulk_${baseName}_${i}`,
        conn_type: 'http',
        host: `h${i}.internal`,
        description: null,
        login: null,
        schema: null,
        port: 443,
        password: i % 10 === 0 ? `pw${i}` : null,
        extra: i === 1 ? '{"api_key": "k", "region": "eu"}' : null,
      });
    }
    for (let i = 0; i < 120; i += 1)
      objects.variables.set(`var_${i}`, {
        key: `var_${i}`,
        value: `value ${i}`,
        description: null,
      });
    objects.variables.set('service_api_key', {
      key: 'service_api_key',
      value: 'k3y',
      description: null,
    });
    for (let i = 0; i < 105; i += 1)
      objects.pools.set(`pool_${i}`, {
        name: `pool_${i}`,
        slots: i + 1,
        description: null,
        include_deferred: false,
      });
    objects.pools.set('default_pool', {
      name: 'default_pool',
      slots: 64,
      description: 'Default pool',
      include_deferred: false,
    });

    const branch = `copy/${baseName}`;
    const { preview } = await createPreview({
      api,
      base,
      branch,
      name: previewName({ branch, baseName }),
      log: silentLog,
      ...fast,
    });
    const from = createAirflowClient({
      apiUrl: base.webServerAirflowApiUrl,
      token: emu.token,
      log: silentLog,
    });
    const to = createAirflowClient({
      apiUrl: preview.webServerAirflowApiUrl,
      token: emu.token,
      log: silentLog,
    });
    expect(from.apiVersion).toBe(version);

    emu.state.clearRequests();
    const log = recordingLog();
    const r = await copyAirflowObjects({
      from,
      to,
      connections: true,
      variables: true,
      pools: true,
      log,
    });
    const allConnections = before.c + 130;
    expect(r.connections).toEqual({ created: allConnections, updated: 0 });
    // Airflow 3 masks variables with sensitive names: that one is not copied.
    const maskedVars = version === 2 ? 1 : 0;
    expect(r.variables).toEqual({ created: before.v + 121 - maskedVars, updated: 0 });
    expect(r.pools).toEqual({ created: before.p - 1 + 105, updated: 1 }); // default_pool: updated, not created
    expect(r.failures).toEqual([]);

    const target = emu.state.airflow(preview.id);
    expect(target.connections.size).toBe(allConnections);
    expect(target.variables.get('var_119')?.value).toBe('value 119');
    expect(target.pools.get('default_pool')?.slots).toBe(64);
    expect(target.pools.get('pool_104')?.slots).toBe(105);
    expect(target.connections.get(`bulk_${baseName}_7`)).toMatchObject({
      host: 'h7.internal',
      port: 443,
    });
    // Passwords never travel: unknown on Airflow 2, masked on Airflow 3.
    expect([...target.connections.values()].every((c) => !c.password)).toBe(true);
    if (version === 1) {
      expect(r.connectionsWithoutPassword.length).toBe(allConnections);
      expect(target.variables.get('service_api_key')?.value).toBe('k3y');
    } else {
      const withPassword = [...objects.connections.values()]
        .filter((c) => c.password)
        .map((c) => c.connection_id)
        .sort();
      expect(r.connectionsWithoutPassword).toEqual(withPassword);
      expect(r.variablesMasked).toEqual(['service_api_key']);
      expect(target.variables.has('service_api_key')).toBe(false);
      expect(r.connectionsWithMaskedExtra).toContain(`bulk_${baseName}_1`);
      expect(JSON.parse(target.connections.get(`bulk_${baseName}_1`)!.extra!)).toEqual({
        region: 'eu',
      });
    }
    // Several pages were read from the base.
    const listed = (kind: string) =>
      emu.state.requests.filter(
        (q) =>
          q.method === 'GET' &&
          q.path.endsWith(`/${kind}`) &&
          q.path.includes(new URL(base.webServerAirflowApiUrl).pathname),
      ).length;
    expect(listed('connections')).toBeGreaterThanOrEqual(2);
    expect(listed('variables')).toBeGreaterThanOrEqual(2);
    expect(listed('pools')).toBeGreaterThanOrEqual(2);

    // Copying again updates in place.
    const again = await copyAirflowObjects({
      from,
      to,
      connections: true,
      variables: false,
      pools: true,
      log: silentLog,
    });
    expect(again.connections).toEqual({ created: 0, updated: allConnections });
    expect(again.pools.created).toBe(0);
  });
});

// Airflow 2 lists connections without `extra`; the client reads each connection for it (as
// it does for variable values), so extras are not lost on copy.
test('Airflow 2: connection extras are copied', async () => {
  const objects = emu.state.airflow(warehouse.id);
  objects.connections.set(
    'with_extra',
    airflowConnection('with_extra', 'generic', '{"account": "xy"}'),
  );
  const branch = 'copy/extra';
  const { preview } = await createPreview({
    api,
    base: warehouse,
    branch,
    name: previewName({ branch, baseName: 'warehouse' }),
    log: silentLog,
    ...fast,
  });
  const from = createAirflowClient({
    apiUrl: warehouse.webServerAirflowApiUrl,
    token: emu.token,
    log: silentLog,
  });
  const to = createAirflowClient({
    apiUrl: preview.webServerAirflowApiUrl,
    token: emu.token,
    log: silentLog,
  });
  await copyAirflowObjects({
    from,
    to,
    connections: true,
    variables: false,
    pools: false,
    log: silentLog,
  });
  const copied = emu.state.airflow(preview.id).connections.get('with_extra')?.extra;
  expect(JSON.parse(String(copied))).toEqual({ account: 'xy' });
});

describe('delete guard', () => {
  test('a foreign Deployment with the computed name is never touched', async () => {
    const branch = 'team/guarded';
    const name = previewName({ branch, baseName: 'analytics' });
    const foreign = emu.state.addDeployment({ name, description: 'Somebody else’s Deployment' });
    const del = deletePreview({ api, base: analytics, branch, name, log: silentLog });
    await expect(del).rejects.toThrow(
      `A Deployment named "${name}" (${foreign.id}) exists in workspace data-platform (${analytics.workspaceId}) but is not a preview of analytics (${analytics.id}) for branch ${branch}`,
    );
    await expect(
      createPreview({ api, base: analytics, branch, name, log: silentLog, ...fast }),
    ).rejects.toThrow(/refusing to touch it/);
    await expect(
      requirePreview({ api, base: analytics, branch, name, log: silentLog }),
    ).rejects.toThrow(PreviewError);
    expect(emu.state.deployment(foreign.id)).toBeDefined();
    expect(
      emu.state.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(foreign.id)),
    ).toBe(false);
  });

  test('a preview of another base with our name is foreign too', async () => {
    const branch = 'other-base';
    const name = previewName({ branch, baseName: 'analytics' });
    const theirs = emu.state.addDeployment({
      name,
      description: previewMarker(warehouse.id, branch),
    });
    await expect(
      deletePreview({ api, base: analytics, branch, name, log: silentLog }),
    ).rejects.toThrow(/lacks the marker sentence/);
    expect(emu.state.deployment(theirs.id)).toBeDefined();
  });

  test('the base is never deleted, even when preview-name is the base name', async () => {
    await expect(
      deletePreview({ api, base: analytics, branch: 'x', name: 'analytics', log: silentLog }),
    ).rejects.toThrow(/is the name of the base Deployment/);
    await expect(
      createPreview({
        api,
        base: analytics,
        branch: 'x',
        name: 'analytics',
        log: silentLog,
        ...fast,
      }),
    ).rejects.toThrow(PreviewError);
    expect(emu.state.deployment(analytics.id)).toBeDefined();
    expect(
      emu.state.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(analytics.id)),
    ).toBe(false);
  });

  test('nothing there is a success that says so', async () => {
    const log = recordingLog();
    const r = await deletePreview({
      api,
      base: analytics,
      branch: 'never/existed',
      name: 'never-existed_analytics',
      log,
    });
    expect(r).toEqual({ nothing: true });
    expect(log.lines).toContain(
      'info: No preview of analytics for branch never/existed (looked for "never-existed_analytics"); nothing to delete.',
    );
  });

  test('deploy-deployment-preview without a preview says how to make one', async () => {
    await expect(
      requirePreview({
        api,
        base: analytics,
        branch: 'nope/none',
        name: 'nope-none_analytics',
        log: silentLog,
      }),
    ).rejects.toThrow(
      /No preview of analytics .* for branch nope\/none was found.*action: create-deployment-preview/,
    );
  });
});

describe("previews made by Astronomer's deploy-action", () => {
  test('found and deleted by the legacy name', async () => {
    const branch = 'legacy/old-feature';
    const legacy = legacyPreviewName({ branch, baseName: 'warehouse' });
    expect(legacy).toBe('old-feature_warehouse');
    // As deploy-action made it: from the base's template, the base's description, no marker.
    const anchorMade = emu.state.addDeployment({
      name: legacy,
      description: warehouse.description,
      astroRuntimeVersion: warehouse.astroRuntimeVersion,
      executor: 'CELERY',
    });
    const name = previewName({ branch, baseName: 'warehouse' });
    const found = await findPreview({ api, base: warehouse, branch, name, log: silentLog });
    expect(found).toMatchObject({ preview: { id: anchorMade.id }, legacy: true });
    // Reused by create (no second preview), then deleted.
    const reused = await createPreview({
      api,
      base: warehouse,
      branch,
      name,
      log: silentLog,
      ...fast,
    });
    expect(reused).toMatchObject({ created: false, preview: { id: anchorMade.id } });
    const r = await deletePreview({ api, base: warehouse, branch, name, log: silentLog });
    expect(r).toMatchObject({ nothing: false, legacy: true, deleted: { id: anchorMade.id } });
    expect(emu.state.deployment(anchorMade.id)).toBeUndefined();
  });

  test('a legacy-named Deployment elsewhere (another region) is not taken', async () => {
    const branch = 'legacy/far-away';
    const far = emu.state.addDeployment({
      name: legacyPreviewName({ branch, baseName: 'warehouse' }),
      cloudProvider: 'GCP',
      region: 'europe-west4',
    });
    const r = await deletePreview({
      api,
      base: warehouse,
      branch,
      name: previewName({ branch, baseName: 'warehouse' }),
      log: silentLog,
    });
    expect(r).toEqual({ nothing: true });
    expect(emu.state.deployment(far.id)).toBeDefined();
  });

  test('with preview-name given, the legacy name is not used', async () => {
    const branch = 'legacy/explicit';
    const l = emu.state.addDeployment({
      name: legacyPreviewName({ branch, baseName: 'warehouse' }),
    });
    const r = await deletePreview({
      api,
      base: warehouse,
      branch,
      name: 'my-own-preview',
      log: silentLog,
    });
    expect(r).toEqual({ nothing: true });
    expect(emu.state.deployment(l.id)).toBeDefined();
  });
});

// The world an emulator starts with: one organization, one workspace and three
// Deployments that between them exercise every path of the action (analytics also has a
// named DAG bundle, `reporting`).
import { emulatorSubject, Model, type DeploymentRecord } from './model.js';

export interface Seeded {
  organizationId: string;
  workspaceId: string;
  deployments: { id: string; name: string }[];
}

export function seedWorld(model: Model, now = Date.now()): Seeded {
  const hybrid = model.options.organizationProduct === 'HYBRID';
  const org = model.addOrganization(
    'Emulated Organization',
    now - 90 * 86400_000,
    model.options.organizationProduct,
  );
  const ws = model.addWorkspace(org.id, 'data-platform', now - 90 * 86400_000);
  const made = now - 30 * 86400_000;

  // Airflow 3 with DAG deploys: the usual target of DAG-only and bundle deploys.
  const analytics = model.createDeployment(
    {
      name: 'analytics',
      workspaceId: ws.id,
      astroRuntimeVersion: '3.0-7',
      description: 'Analytics DAGs',
      isDagDeployEnabled: true,
      // An Astro Hybrid organization runs HYBRID Deployments on its own clusters.
      ...(hybrid ? { type: 'HYBRID' } : {}),
    },
    emulatorSubject,
    made,
    false,
  );
  analytics.dep.dagTarballVersion = analytics.dep.desiredDagTarballVersion =
    model.newVersionId(made);
  // A named DAG bundle besides `main`, never deployed to yet (`dag-bundle-name: reporting`).
  model.addDagBundle(analytics, 'reporting', made);
  fill(analytics, {
    connections: [
      {
        connection_id: 'aws_default',
        conn_type: 'aws',
        description: 'AWS access',
        extra: '{"region_name": "us-east-1"}',
      },
      {
        connection_id: 'warehouse_db',
        conn_type: 'postgres',
        host: 'db.internal',
        login: 'analytics',
        password: 'pg-secret',
        port: 5432,
        schema: 'public',
      },
      {
        connection_id: 'slack_alerts',
        conn_type: 'http',
        host: 'hooks.slack.test',
        password: 'slack-token',
      },
    ],
    variables: [
      { key: 'environment', value: 'production', description: 'Where this runs' },
      { key: 'retention_days', value: '30' },
      { key: 'feature_flags', value: '{"new_ui": true}' },
    ],
    pools: [
      { name: 'etl', slots: 8, description: 'Extract and load', include_deferred: false },
      { name: 'reporting', slots: 4, include_deferred: true },
    ],
  });

  // Airflow 2 without DAG deploys: only image deploys, Airflow API v1.
  const warehouse = model.createDeployment(
    {
      name: 'warehouse',
      workspaceId: ws.id,
      astroRuntimeVersion: '12.9.0',
      executor: 'CELERY',
      description: 'Warehouse loads',
      isDagDeployEnabled: false,
      ...(hybrid ? { type: 'HYBRID' } : {}),
    },
    emulatorSubject,
    made,
    false,
  );
  fill(warehouse, {
    connections: [
      {
        connection_id: 'snowflake_default',
        conn_type: 'snowflake',
        login: 'loader',
        password: 'sf-secret',
        extra: '{"account": "xy12345"}',
      },
      { connection_id: 's3_landing', conn_type: 'aws', extra: '{"bucket": "landing"}' },
    ],
    variables: [
      { key: 'env', value: 'prod' },
      { key: 'batch_size', value: '500', description: 'Rows per batch' },
    ],
    pools: [{ name: 'loads', slots: 16, description: 'Warehouse loads', include_deferred: false }],
  });

  // A development Deployment that hibernates on a schedule and is asleep now.
  const sandbox = model.createDeployment(
    {
      name: 'sandbox',
      workspaceId: ws.id,
      astroRuntimeVersion: '3.0-7',
      description: 'Development sandbox',
      isDevelopmentMode: true,
      isDagDeployEnabled: true,
      scalingSpec: {
        hibernationSpec: {
          schedules: [
            {
              hibernateAtCron: '0 20 * * *',
              wakeAtCron: '0 8 * * 1-5',
              isEnabled: true,
              description: 'Office hours',
            },
          ],
        },
      },
    },
    emulatorSubject,
    made,
    false,
  );
  sandbox.scheduleHibernating = true;
  fill(sandbox, {
    connections: [{ connection_id: 'sandbox_db', conn_type: 'sqlite', host: '/tmp/sandbox.db' }],
    variables: [{ key: 'environment', value: 'sandbox' }],
    pools: [{ name: 'scratch', slots: 2, include_deferred: false }],
  });

  return {
    organizationId: org.id,
    workspaceId: ws.id,
    deployments: [analytics, warehouse, sandbox].map((r) => ({ id: r.dep.id, name: r.dep.name })),
  };
}

function fill(
  rec: DeploymentRecord,
  objects: {
    connections: import('../src/astro/types.js').AirflowConnection[];
    variables: import('../src/astro/types.js').AirflowVariable[];
    pools: import('../src/astro/types.js').AirflowPool[];
  },
): void {
  for (const c of objects.connections)
    rec.airflow.connections.set(c.connection_id, {
      description: null,
      host: null,
      login: null,
      schema: null,
      port: null,
      password: null,
      extra: null,
      ...c,
    });
  for (const v of objects.variables) rec.airflow.variables.set(v.key, { description: null, ...v });
  for (const p of objects.pools)
    rec.airflow.pools.set(p.name, { description: null, include_deferred: false, ...p });
}

// Objects as the Astro API returns them, for unit tests that fake the API: each test overrides
// the fields it looks at.
import type { AirflowConnection, Deployment } from '../../src/astro/types.js';

/** A HEALTHY Airflow 2 Deployment `dep1` named `prod`, with no deploy under way. */
export function deploymentFixture(over: Partial<Deployment> = {}): Deployment {
  return {
    id: 'dep1',
    name: 'prod',
    organizationId: 'org',
    workspaceId: 'ws',
    namespace: 'ns',
    status: 'HEALTHY',
    airflowVersion: '2.10.0',
    astroRuntimeVersion: '12.0.0',
    runtimeVersion: '12.0.0',
    imageRepository: 'registry.example/org/dep1',
    imageTag: 'deploy-1',
    isCicdEnforced: false,
    isDagDeployEnabled: true,
    schedulerCpu: '1',
    schedulerMemory: '2Gi',
    schedulerReplicas: 1,
    webServerCpu: '1',
    webServerMemory: '2Gi',
    webServerUrl: 'x',
    webServerIngressHostname: 'x',
    webServerAirflowApiUrl: 'x/api/v1',
    apiUrl: 'x',
    uiUrl: 'x',
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    ...over,
  };
}

/** An Airflow connection as Airflow's API stores it: only the id, the type and `extra` set. */
export function airflowConnection(
  connection_id: string,
  conn_type: string,
  extra: string | null,
): AirflowConnection {
  return {
    connection_id,
    conn_type,
    description: null,
    host: null,
    login: null,
    schema: null,
    port: null,
    password: null,
    extra,
  };
}

/**
 * The smallest update body the Astro API takes for a Deployment it returned (`d`): its type,
 * name, workspace and executor, with fixed settings for the rest.
 */
export function minimalUpdate(d: Record<string, unknown>): Record<string, unknown> {
  return {
    type: d.type,
    name: d.name,
    workspaceId: d.workspaceId,
    executor: d.executor,
    isCicdEnforced: false,
    isDagDeployEnabled: true,
    isHighAvailability: false,
    schedulerSize: 'SMALL',
    environmentVariables: [],
  };
}

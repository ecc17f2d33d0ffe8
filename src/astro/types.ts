// Shapes of the Astro API v1. Only what the action and the
// emulator use; optional fields are optional here too.

export type DeployType = 'IMAGE_AND_DAG' | 'IMAGE_ONLY' | 'DAG_ONLY' | 'BUNDLE';
export type DeployStatus = 'INITIALIZED' | 'DEPLOYED' | 'FAILED';
export type DeploymentStatus =
  'CREATING' | 'DEPLOYING' | 'HEALTHY' | 'UNHEALTHY' | 'HIBERNATING' | 'UNKNOWN';

export interface Paginated {
  limit: number;
  offset: number;
  totalCount: number;
}

export interface Organization {
  id: string;
  name: string;
  /** HOSTED (Astro Hosted) or HYBRID; the CLI treats anything but HOSTED as Hybrid. */
  product?: string;
  [k: string]: unknown;
}

export interface Workspace {
  id: string;
  name: string;
  organizationId: string;
  description?: string;
  cicdEnforcedDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SubjectProfile {
  id: string;
  subjectType?: 'USER' | 'SERVICEKEY';
  username?: string;
  fullName?: string;
  apiTokenName?: string;
}

export interface GitInfo {
  provider: 'GITHUB' | 'GENERIC';
  commitSha: string;
  account?: string;
  repo?: string;
  remoteUrl?: string;
  branch?: string;
  path?: string;
  commitUrl?: string;
  authorName?: string;
  authorUsername?: string;
  authorUrl?: string;
  beforeCommitSha?: string;
}

export interface Bundle {
  bundleType: string;
  deployId: string;
  mountPath: string;
  currentVersion?: string;
  desiredVersion?: string;
}

export interface Deploy {
  id: string;
  deploymentId: string;
  /** The response enum has no BUNDLE: a bundle deploy is recognised by bundleMountPath/bundles. */
  type: DeployType;
  status: DeployStatus;
  imageRepository: string;
  imageTag: string;
  isDagDeployEnabled: boolean;
  createdAt: string;
  updatedAt?: string;
  dagsUploadUrl?: string;
  dagTarballVersion?: string;
  description?: string;
  airflowVersion?: string;
  astroRuntimeVersion?: string;
  rollbackFromId?: string;
  bundleUploadUrl?: string;
  bundleMountPath?: string;
  bundles?: Bundle[];
  git?: GitInfo;
  createdBySubject?: SubjectProfile;
}

export interface CreateDeployRequest {
  type: DeployType;
  description?: string;
  bundleType?: string;
  bundleMountPath?: string;
  git?: GitInfo;
}

/** v1alpha1 create body of a deploy to a named DAG bundle (the server maps IMAGE → IMAGE_AND_DAG, DAG → DAG_ONLY). */
export interface CreateDagBundleDeployRequest {
  type: 'IMAGE' | 'DAG';
  dagBundleName: string;
  description?: string;
  git?: GitInfo;
}

/** A DAG bundle of a Deployment (v1alpha1 `DeploymentBundle`, the fields we read). */
export interface DagBundle {
  id: string;
  type: string;
  isDagBundle?: boolean;
  name?: string;
  /** The tarball version running; lags desiredVersion until the new version has rolled out. */
  currentVersion?: string;
  /** The version the Deployment is configured to run; absent until the first finalize. */
  desiredVersion?: string;
  createdAt: string;
  updatedAt: string;
}

export interface FinalizeDeployRequest {
  dagTarballVersion?: string;
  bundleTarballVersion?: string;
}

export interface EnvironmentVariable {
  key: string;
  isSecret: boolean;
  value?: string;
  updatedAt?: string;
}

export interface WorkerQueue {
  id?: string;
  name: string;
  isDefault: boolean;
  maxWorkerCount: number;
  minWorkerCount: number;
  workerConcurrency: number;
  podCpu?: string;
  podMemory?: string;
  astroMachine?: string;
  nodePoolId?: string;
  podEphemeralStorage?: string;
}

export interface HibernationOverride {
  isActive?: boolean;
  isHibernating?: boolean;
  overrideUntil?: string;
}

/** A Deployment's Remote Execution settings (v1 `DeploymentRemoteExecution`). */
export interface DeploymentRemoteExecution {
  enabled: boolean;
  remoteApiUrl?: string;
  allowedIpAddressRanges?: string[];
  taskLogBucket?: string;
  taskLogUrlPattern?: string;
}

export interface Deployment {
  id: string;
  name: string;
  description?: string;
  organizationId: string;
  workspaceId: string;
  workspaceName?: string;
  namespace: string;
  status: DeploymentStatus;
  statusReason?: string;
  type?: 'DEDICATED' | 'HYBRID' | 'STANDARD';
  executor?: 'ASTRO' | 'CELERY' | 'KUBERNETES';
  cloudProvider?: 'AWS' | 'AZURE' | 'GCP';
  region?: string;
  clusterId?: string;
  clusterName?: string;
  airflowVersion: string;
  astroRuntimeVersion: string;
  runtimeVersion: string;
  imageRepository: string;
  imageTag: string;
  imageVersion?: string;
  isCicdEnforced: boolean;
  isDagDeployEnabled: boolean;
  /** Remote Execution (Airflow 3, ASTRO executor, Dedicated): tasks run on the user's agents. */
  remoteExecution?: DeploymentRemoteExecution;
  isDevelopmentMode?: boolean;
  isHighAvailability?: boolean;
  schedulerSize?: 'SMALL' | 'MEDIUM' | 'LARGE' | 'EXTRA_LARGE';
  schedulerCpu: string;
  schedulerMemory: string;
  schedulerReplicas: number;
  schedulerAu?: number;
  webServerCpu: string;
  webServerMemory: string;
  webServerReplicas?: number;
  webServerUrl: string;
  webServerIngressHostname: string;
  webServerAirflowApiUrl: string;
  apiUrl: string;
  uiUrl: string;
  dagTarballVersion?: string;
  desiredDagTarballVersion?: string;
  defaultTaskPodCpu?: string;
  defaultTaskPodMemory?: string;
  resourceQuotaCpu?: string;
  resourceQuotaMemory?: string;
  environmentVariables?: EnvironmentVariable[];
  workerQueues?: WorkerQueue[];
  contactEmails?: string[];
  effectiveWorkloadIdentity?: string;
  taskPodNodePoolId?: string;
  scalingSpec?: {
    hibernationSpec?: {
      schedules?: {
        hibernateAtCron: string;
        wakeAtCron: string;
        isEnabled: boolean;
        description?: string;
      }[];
      override?: HibernationOverride;
    };
  };
  scalingStatus?: {
    hibernationStatus?: {
      isHibernating: boolean;
      nextEventAt?: string;
      nextEventType?: 'HIBERNATE' | 'WAKE';
      reason?: string;
    };
  };
  createdAt: string;
  updatedAt: string;
  createdBy?: SubjectProfile;
  updatedBy?: SubjectProfile;
}

/** Create/update body (Standard/Dedicated/Hybrid oneOf flattened; the server checks by type). */
export interface DeploymentRequest {
  name: string;
  workspaceId: string;
  type?: 'DEDICATED' | 'HYBRID' | 'STANDARD';
  description?: string;
  astroRuntimeVersion?: string;
  executor?: 'ASTRO' | 'CELERY' | 'KUBERNETES';
  cloudProvider?: 'AWS' | 'AZURE' | 'GCP';
  region?: string;
  clusterId?: string;
  schedulerSize?: 'SMALL' | 'MEDIUM' | 'LARGE' | 'EXTRA_LARGE';
  isHighAvailability?: boolean;
  isDevelopmentMode?: boolean;
  isDagDeployEnabled?: boolean;
  isCicdEnforced?: boolean;
  defaultTaskPodCpu?: string;
  defaultTaskPodMemory?: string;
  resourceQuotaCpu?: string;
  resourceQuotaMemory?: string;
  workerQueues?: WorkerQueue[];
  environmentVariables?: { key: string; isSecret: boolean; value?: string }[];
  contactEmails?: string[];
  workloadIdentity?: string;
  taskPodNodePoolId?: string;
  scheduler?: { au: number; replicas: number };
  scalingSpec?: Deployment['scalingSpec'];
  /** v1 DeploymentRemoteExecutionRequest (remoteApiUrl is only in responses). */
  remoteExecution?: Omit<DeploymentRemoteExecution, 'remoteApiUrl'>;
}

export interface DeploymentOptions {
  executors: string[];
  runtimeReleases: {
    version: string;
    airflowVersion: string;
    channel: string;
    releaseDate: string;
  }[];
  [k: string]: unknown;
}

/** Filters of GET /organizations/{org}/deployments. */
export interface DeploymentFilter {
  names?: string[];
  deploymentIds?: string[];
  workspaceIds?: string[];
}

/**
 * What the action needs from the Astro API. The real client implements it over HTTP; every
 * list method follows all pages. Errors are AstroApiError (src/astro/errors.ts).
 */
export interface AstroApi {
  readonly organizationId: string;
  /** Workspace id from the token's claims, when it has one. */
  readonly workspaceId?: string;
  listWorkspaces(names?: string[]): Promise<Workspace[]>;
  listDeployments(filter?: DeploymentFilter): Promise<Deployment[]>;
  getDeployment(deploymentId: string): Promise<Deployment>;
  createDeployment(body: DeploymentRequest): Promise<Deployment>;
  updateDeployment(deploymentId: string, body: DeploymentRequest): Promise<Deployment>;
  deleteDeployment(deploymentId: string): Promise<void>;
  listDeploys(deploymentId: string): Promise<Deploy[]>;
  getDeploy(deploymentId: string, deployId: string): Promise<Deploy>;
  createDeploy(deploymentId: string, body: CreateDeployRequest): Promise<Deploy>;
  /** Creates a deploy to a named DAG bundle (v1alpha1; finalized on v1 like any deploy). */
  createDagBundleDeploy(deploymentId: string, body: CreateDagBundleDeployRequest): Promise<Deploy>;
  /** The Deployment's DAG bundles (v1alpha1, `isDagBundle=true`). */
  listDagBundles(deploymentId: string): Promise<DagBundle[]>;
  finalizeDeploy(
    deploymentId: string,
    deployId: string,
    body: FinalizeDeployRequest,
  ): Promise<Deploy>;
  /** Put an earlier deploy live again (Astro Hosted): a new deploy, whose rollbackFromId is set. */
  rollbackDeploy(
    deploymentId: string,
    deployId: string,
    body: { description?: string },
  ): Promise<Deploy>;
  setHibernationOverride(
    deploymentId: string,
    body: HibernationOverride,
  ): Promise<HibernationOverride>;
  deleteHibernationOverride(deploymentId: string): Promise<void>;
  getDeploymentOptions(deploymentId?: string): Promise<DeploymentOptions>;
  /** The organization the client works in (its `product` tells Hosted from Hybrid). */
  getOrganization(): Promise<Organization>;
}

// ---- Airflow REST API of a Deployment ----

export interface AirflowConnection {
  connection_id: string;
  conn_type: string;
  description?: string | null;
  host?: string | null;
  login?: string | null;
  schema?: string | null;
  port?: number | null;
  /** Never returned by Airflow 2; returned masked by Airflow 3 (treat as unknown). */
  password?: string | null;
  extra?: string | null;
}

export interface AirflowVariable {
  key: string;
  value: string;
  description?: string | null;
}

export interface AirflowPool {
  name: string;
  slots: number;
  description?: string | null;
  include_deferred?: boolean;
}

/**
 * `exists`: an object whose key has a `/` was already there and was left as it is (Astro's
 * proxy cannot address it by path to update it).
 */
export type Upserted = 'created' | 'updated' | 'exists';

/** A listed connection; `extraUnread` says why its `extra` could not be read (Airflow 2). */
export type ListedConnection = AirflowConnection & { extraUnread?: string };

/** A Deployment's Airflow REST API (v1 for Airflow 2, v2 for Airflow 3). Lists follow all pages. */
export interface AirflowApi {
  readonly apiVersion: 1 | 2;
  /** Airflow 2 lists omit `extra`: the client reads each connection for it. */
  listConnections(): Promise<ListedConnection[]>;
  upsertConnection(connection: AirflowConnection): Promise<Upserted>;
  /** With values, from the lists (Airflow 2's carry them too). */
  listVariables(): Promise<AirflowVariable[]>;
  upsertVariable(variable: AirflowVariable): Promise<Upserted>;
  listPools(): Promise<AirflowPool[]>;
  upsertPool(pool: AirflowPool): Promise<Upserted>;
}

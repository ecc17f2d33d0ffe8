// The emulator's world: organizations, workspaces, Deployments, deploys, uploaded blobs and
// each Deployment's Airflow objects, with the lifecycle rules (creating, rollouts,
// hibernation). Time-driven changes are computed when read, from timestamps, so nothing
// runs in the background and a closed emulator leaves no timers.
import type {
  AirflowConnection,
  AirflowPool,
  AirflowVariable,
  Deploy,
  Deployment,
  DeploymentStatus,
  GitInfo,
  HibernationOverride,
  Organization,
  SubjectProfile,
  Workspace,
} from '../src/astro/types.js';
import { idMaker, namespaceMaker, seeded } from './random.js';
import { archiveFormat, type ArchiveFormat } from './tar.js';
import { rolloutUnderWay, settleRollouts, startRollout } from './rollouts.js';
import { modelOptions, type ModelOptions } from './options.js';

export type { ModelOptions, RollbackRecord } from './options.js';

export interface AirflowStore {
  connections: Map<string, AirflowConnection>;
  variables: Map<string, AirflowVariable>;
  pools: Map<string, AirflowPool>;
}

export interface Rollout {
  deploymentId: string;
  deployId: string;
  finalizedAt: number;
  /** When the Deployment turns DEPLOYING (finalizedAt + the lag, or at once). */
  startedAt: number;
  /** When the new version is (or will be) live. */
  finishedAt: number;
  /** A later finalize replaced this rollout before it finished (`replace` only). */
  superseded?: boolean;
  /** The deploys that turn DEPLOYED when it ends (`deployStatusAt: rollout-end`): its own and those it replaced. */
  carries: string[];
  imageTag?: string;
  dagTarballVersion?: string;
  bundleVersion?: string;
  /** Named DAG bundles' versions this rollout puts live (`replace`: and the replaced one's). */
  dagBundles?: Record<string, string>;
}

/**
 * A named DAG bundle of a Deployment (v1alpha1 `DeploymentBundle`). The default bundle
 * (`main`) is not stored: its versions are the Deployment's DAG tarball versions.
 */
export interface DagBundleRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** The version finalized last; absent until the first finalize. */
  desiredVersion?: string;
  /** The version running: follows desiredVersion when the rollout ends. */
  currentVersion?: string;
}

/** The name of a Deployment's default DAG bundle. */
export const MAIN_BUNDLE = 'main';

export interface DeploymentRecord {
  /** Stored fields; status, override and hibernation status are computed on read. */
  dep: Deployment;
  /** Path prefix of its Airflow API and UI (`/d1a2b3c4`). */
  slug: string;
  /** Secret values of environment variables (never returned). */
  secrets: Map<string, string>;
  creatingUntil: number;
  /** Hibernation as the schedule has it now (the seeded sandbox: hibernating). */
  scheduleHibernating: boolean;
  override?: HibernationOverride;
  wakingUntil: number;
  /** Rollouts not yet ended, in finalize order (the first may be under way). */
  rollouts: Rollout[];
  airflow: AirflowStore;
  /** When a DELETE took it (it lingers for deleteLingerMs). */
  deletedAt?: number;
  /** Named DAG bundles (Airflow 3), `main` excepted. */
  dagBundles: DagBundleRecord[];
}

export interface DeployRecord {
  deploy: Deploy;
  /** How many times finalize succeeded for it (a correct client: at most 1). */
  finalizeCount: number;
  /** Finalizes refused because it was finalized already (a retry that did not look first). */
  repeatedFinalizes: number;
  /** Versions uploaded to its dagsUploadUrl / bundleUploadUrl. */
  uploads: { dags: Set<string>; bundle: Set<string> };
  /** The SAS signature its upload URLs carry. */
  sig: string;
  seq: number;
  /** A deploy created on v1alpha1 to a named DAG bundle (the Deploy itself does not say). */
  dagBundleName?: string;
}

export interface BlobRecord {
  versionId: string;
  deploymentId: string;
  deployId: string;
  target: 'dags' | 'bundle';
  bytes: Buffer;
  format: ArchiveFormat;
  contentType?: string;
  createdAt: string;
}

export interface RequestRecord {
  method: string;
  /** Without query string. */
  path: string;
  /** 0 when the connection was dropped without a reply. */
  status: number;
  fault?: string;
  at: number;
  /** The client's identification headers as sent (never credentials): lower-case names. */
  client?: Partial<Record<(typeof CLIENT_HEADERS)[number], string>>;
}

/** Headers a request record keeps: who the client says it is. */
export const CLIENT_HEADERS = [
  'x-astro-client-identifier',
  'x-astro-client-version',
  'x-api-version',
  'user-agent',
] as const;

export const RUNTIME_RELEASES = [
  {
    version: '3.1-1',
    airflowVersion: '3.1.0',
    channel: 'STABLE',
    releaseDate: '2025-10-01T00:00:00Z',
  },
  {
    version: '3.0-7',
    airflowVersion: '3.0.6',
    channel: 'STABLE',
    releaseDate: '2025-08-20T00:00:00Z',
  },
  {
    version: '3.0-5',
    airflowVersion: '3.0.3',
    channel: 'STABLE',
    releaseDate: '2025-07-10T00:00:00Z',
  },
  {
    version: '12.9.0',
    airflowVersion: '2.10.5',
    channel: 'STABLE',
    releaseDate: '2025-05-01T00:00:00Z',
  },
  {
    version: '12.8.0',
    airflowVersion: '2.10.5',
    channel: 'STABLE',
    releaseDate: '2025-03-01T00:00:00Z',
  },
  {
    version: '11.18.0',
    airflowVersion: '2.9.3',
    channel: 'STABLE',
    releaseDate: '2024-11-01T00:00:00Z',
  },
] as const;

export const DEFAULT_RUNTIME = '3.0-7';

export class Model {
  origin = 'http://127.0.0.1:0';
  readonly organizations: Organization[] = [];
  readonly workspaces: Workspace[] = [];
  readonly deployments = new Map<string, DeploymentRecord>();
  readonly deploys = new Map<string, DeployRecord>();
  readonly blobs = new Map<string, BlobRecord>();
  readonly requests: RequestRecord[] = [];
  readonly rollouts: Rollout[] = [];
  /** Uncommitted blocks per blob path (Put Block before Put Block List). */
  readonly blocks = new Map<string, Map<string, Buffer>>();
  /** Blocks of each blob's last commit (Put Block List may name them again). */
  readonly committedBlocks = new Map<string, Map<string, Buffer>>();
  readonly newId: () => string;
  readonly newNamespace: () => string;
  private readonly random: () => number;
  private deploySeq = 0;
  private versionSeq = 0;

  /** A DELETE: gone at once, or marked and left to linger (see deleteLingerMs). */
  deleteDeployment(id: string, now: number): void {
    const rec = this.deployments.get(id);
    if (rec && this.options.deleteLingerMs > 0) rec.deletedAt = now;
    else this.deployments.delete(id);
  }

  /** Drops the deleted Deployments whose lingering is over. */
  purgeDeleted(now: number): void {
    const linger = this.options.deleteLingerMs;
    for (const [id, rec] of this.deployments)
      if (rec.deletedAt !== undefined && now - rec.deletedAt >= linger) this.deployments.delete(id);
  }

  readonly options: ModelOptions;

  constructor(options: Partial<ModelOptions> = {}) {
    this.options = modelOptions(options);
    this.random = seeded(this.options.seed);
    this.newId = idMaker(this.random);
    this.newNamespace = namespaceMaker(this.random);
  }

  token(): string {
    return Math.floor(this.random() * 2 ** 48).toString(36);
  }

  addOrganization(
    name: string,
    now = Date.now(),
    product: 'HOSTED' | 'HYBRID' = 'HOSTED',
  ): Organization {
    const at = iso(now);
    const org: Organization = {
      id: this.newId(),
      name,
      createdAt: at,
      updatedAt: at,
      createdBy: emulatorSubject,
      updatedBy: emulatorSubject,
      isScimEnabled: false,
      allowEnhancedSupportAccess: false,
      hasAllowedIpAddressRanges: false,
      isBlockedEnableAiFeatures: false,
      shouldEnforceDedicatedClusters: false,
      productPlans: [],
      product,
      status: 'ACTIVE',
    };
    this.organizations.push(org);
    return org;
  }

  addWorkspace(organizationId: string, name: string, now = Date.now()): Workspace {
    const ws: Workspace = {
      id: this.newId(),
      name,
      organizationId,
      description: `${name} workspace`,
      cicdEnforcedDefault: false,
      createdAt: iso(now),
      updatedAt: iso(now),
    };
    this.workspaces.push(ws);
    return ws;
  }

  // ---- Deployments ----

  /** A new Deployment from a validated create body (fields as in DeploymentRequest). */
  createDeployment(
    body: Record<string, unknown>,
    by: SubjectProfile,
    now: number,
    creating = true,
  ): DeploymentRecord {
    const ws = this.workspaces.find((w) => w.id === body.workspaceId)!;
    const runtime = (body.astroRuntimeVersion as string | undefined) ?? DEFAULT_RUNTIME;
    const release = RUNTIME_RELEASES.find((r) => r.version === runtime)!;
    const af3 = release.airflowVersion.startsWith('3.');
    const id = this.newId();
    const slug = `d${id.slice(-8)}`;
    const namespace = this.newNamespace();
    const type = (body.type as Deployment['type']) ?? 'STANDARD';
    const executor = (body.executor as Deployment['executor']) ?? (af3 ? 'ASTRO' : 'CELERY');
    const host = this.origin.replace(/^https?:\/\//, '');
    const imageTag = this.imageTag(now);
    const secrets = new Map<string, string>();
    const dep: Deployment = {
      id,
      name: String(body.name),
      description: (body.description as string | undefined) ?? '',
      organizationId: ws.organizationId,
      workspaceId: ws.id,
      workspaceName: ws.name,
      namespace,
      status: 'CREATING',
      type,
      executor,
      ...(type === 'STANDARD'
        ? {
            cloudProvider: (body.cloudProvider as Deployment['cloudProvider']) ?? 'AWS',
            region: (body.region as string | undefined) ?? 'us-east-1',
          }
        : {
            clusterId: (body.clusterId as string | undefined) ?? this.newId(),
            clusterName: 'emulator-cluster',
          }),
      airflowVersion: release.airflowVersion,
      astroRuntimeVersion: runtime,
      runtimeVersion: runtime,
      imageRepository: `${this.options.registry ?? 'images.astronomer.cloud'}/${ws.organizationId}/${namespace}`,
      imageTag,
      imageVersion: imageTag,
      isCicdEnforced: (body.isCicdEnforced as boolean | undefined) ?? false,
      isDagDeployEnabled: (body.isDagDeployEnabled as boolean | undefined) ?? true,
      isDevelopmentMode: (body.isDevelopmentMode as boolean | undefined) ?? false,
      isHighAvailability: (body.isHighAvailability as boolean | undefined) ?? false,
      schedulerSize: (body.schedulerSize as Deployment['schedulerSize']) ?? 'SMALL',
      schedulerCpu: '1',
      schedulerMemory: '2Gi',
      schedulerReplicas: body.isHighAvailability ? 2 : 1,
      webServerCpu: '0.5',
      webServerMemory: '1Gi',
      webServerReplicas: 1,
      webServerUrl: `${host}/${slug}`,
      webServerIngressHostname: `${host}/${slug}`,
      // Deviation: Astro gives this without a scheme (https:// is meant). The emulator serves
      // plain http on loopback, so it states the scheme; clients must accept both.
      webServerAirflowApiUrl: `${this.origin}/${slug}/api/${af3 ? 'v2' : 'v1'}${this.options.airflowUrlQuery ? `?${this.options.airflowUrlQuery.replace(/^\?/, '')}` : ''}`,
      apiUrl: `${this.origin}/${slug}/api/${af3 ? 'v2' : 'v1'}`,
      uiUrl: `${this.origin}/${slug}`,
      defaultTaskPodCpu: (body.defaultTaskPodCpu as string | undefined) ?? '0.25',
      defaultTaskPodMemory: (body.defaultTaskPodMemory as string | undefined) ?? '0.5Gi',
      resourceQuotaCpu: (body.resourceQuotaCpu as string | undefined) ?? '10',
      resourceQuotaMemory: (body.resourceQuotaMemory as string | undefined) ?? '20Gi',
      environmentVariables: [],
      workerQueues: [],
      contactEmails: (body.contactEmails as string[] | undefined) ?? [],
      effectiveWorkloadIdentity: `arn:aws:iam::000000000000:role/${namespace}`,
      scalingSpec: {},
      createdAt: iso(now),
      updatedAt: iso(now),
      createdBy: by,
      updatedBy: by,
    };
    const rec: DeploymentRecord = {
      dep,
      slug,
      secrets,
      creatingUntil: creating ? now + this.options.createDelayMs : 0,
      scheduleHibernating: false,
      wakingUntil: 0,
      rollouts: [],
      airflow: { connections: new Map(), variables: new Map(), pools: new Map() },
      dagBundles: [],
    };
    this.applyFields(rec, body, now);
    // Remote Execution (C12): DAG deploys are off; the agents reach Astro at remoteApiUrl.
    if (dep.remoteExecution?.enabled) {
      dep.isDagDeployEnabled = false;
      dep.remoteExecution.remoteApiUrl = `${this.origin}/${slug}/api/v2`;
    }
    // [inferred] KUBERNETES Deployments show a `default` queue too (it sizes their task pods):
    // the CLI's template keeps it for them with the pod sizes cleared. A create may not send it.
    if (!dep.workerQueues?.length) {
      dep.workerQueues = [
        {
          id: this.newId(),
          name: 'default',
          isDefault: true,
          maxWorkerCount: 10,
          minWorkerCount: 0,
          workerConcurrency: 5,
          podCpu: '1',
          podMemory: '2Gi',
          // Hybrid queues run on the cluster's node pools, hosted ones on Astro machines.
          ...(type === 'HYBRID' ? { nodePoolId: 'np-default' } : { astroMachine: 'A5' }),
        },
      ];
    }
    rec.airflow.pools.set('default_pool', {
      name: 'default_pool',
      slots: 128,
      description: 'Default pool',
      include_deferred: false,
    });
    this.deployments.set(id, rec);
    return rec;
  }

  /**
   * An update replaces the Deployment's settings (ASTRO-API.md C3: the Update…Request is the
   * whole set): with `updates: replace`, the optional ones its body leaves out are cleared
   * before it is applied, so a client that forgets to send one back loses it, as it would
   * (inferred) on Astro.
   */
  clearOmitted(rec: DeploymentRecord, body: Record<string, unknown>): void {
    if (this.options.updates === 'merge') return;
    const d = rec.dep as unknown as Record<string, unknown>;
    for (const k of [
      'description',
      'contactEmails',
      'defaultTaskPodCpu',
      'defaultTaskPodMemory',
      'resourceQuotaCpu',
      'resourceQuotaMemory',
    ])
      if (body[k] === undefined) delete d[k];
    const spec = body.scalingSpec as Deployment['scalingSpec'] | undefined;
    if (!spec?.hibernationSpec?.schedules && rec.dep.scalingSpec?.hibernationSpec?.schedules)
      rec.dep.scalingSpec = {};
  }

  /** Fields a create or update body may set (validation happened before). */
  applyFields(rec: DeploymentRecord, body: Record<string, unknown>, now: number): void {
    const d = rec.dep;
    const simple = [
      'name',
      'description',
      'executor',
      'isCicdEnforced',
      'isDagDeployEnabled',
      'isHighAvailability',
      'schedulerSize',
      'defaultTaskPodCpu',
      'defaultTaskPodMemory',
      'resourceQuotaCpu',
      'resourceQuotaMemory',
      'contactEmails',
      'taskPodNodePoolId',
    ] as const;
    for (const k of simple)
      if (body[k] !== undefined) (d as unknown as Record<string, unknown>)[k] = body[k];
    const remote = body.remoteExecution as Deployment['remoteExecution'] | undefined;
    if (remote?.enabled) {
      d.remoteExecution = {
        enabled: true,
        remoteApiUrl: d.remoteExecution?.remoteApiUrl,
        allowedIpAddressRanges: remote.allowedIpAddressRanges ?? [],
        ...(remote.taskLogBucket ? { taskLogBucket: remote.taskLogBucket } : {}),
        ...(remote.taskLogUrlPattern ? { taskLogUrlPattern: remote.taskLogUrlPattern } : {}),
      };
    }
    // Without one, a Deployment has its own platform-managed identity (set at creation).
    if (typeof body.workloadIdentity === 'string' && body.workloadIdentity !== '')
      d.effectiveWorkloadIdentity = body.workloadIdentity;
    if (body.isHighAvailability !== undefined)
      d.schedulerReplicas = body.isHighAvailability ? 2 : 1;
    // Hybrid: the scheduler's AU and replicas (what an update must send back).
    const scheduler = body.scheduler as { au: number; replicas: number } | undefined;
    if (scheduler) {
      d.schedulerAu = scheduler.au;
      d.schedulerReplicas = scheduler.replicas;
    } else if (d.type === 'HYBRID' && d.schedulerAu === undefined) {
      d.schedulerAu = 5;
    }
    if (Array.isArray(body.environmentVariables)) {
      const vars = body.environmentVariables as {
        key: string;
        isSecret: boolean;
        value?: string;
      }[];
      const secrets = new Map<string, string>();
      d.environmentVariables = vars.map((v) => {
        // A secret sent without a value keeps the value it had (responses never carry it).
        if (v.isSecret) secrets.set(v.key, v.value ?? rec.secrets.get(v.key) ?? '');
        return {
          key: v.key,
          isSecret: v.isSecret,
          ...(v.isSecret ? {} : { value: v.value ?? '' }),
          updatedAt: iso(now),
        };
      });
      rec.secrets = secrets;
    }
    if (Array.isArray(body.workerQueues)) {
      d.workerQueues = (body.workerQueues as Record<string, unknown>[]).map((q) => ({
        id: (q.id as string | undefined) ?? this.newId(),
        name: String(q.name),
        isDefault: Boolean(q.isDefault),
        maxWorkerCount: Number(q.maxWorkerCount),
        minWorkerCount: Number(q.minWorkerCount),
        workerConcurrency: Number(q.workerConcurrency),
        podCpu: '1',
        podMemory: '2Gi',
        ...(q.astroMachine ? { astroMachine: String(q.astroMachine) } : {}),
        ...(q.nodePoolId ? { nodePoolId: String(q.nodePoolId) } : {}),
        ...(q.podEphemeralStorage ? { podEphemeralStorage: String(q.podEphemeralStorage) } : {}),
      }));
    }
    const spec = body.scalingSpec as Deployment['scalingSpec'] | undefined;
    if (spec?.hibernationSpec?.schedules)
      d.scalingSpec = { hibernationSpec: { schedules: spec.hibernationSpec.schedules } };
    if (spec?.hibernationSpec?.override)
      rec.override = { ...spec.hibernationSpec.override, isActive: true };
    d.updatedAt = iso(now);
  }

  /** Applies what time has done (creation finished, rollout finished, override expired). */
  settle(rec: DeploymentRecord, now: number): void {
    const until = rec.override?.overrideUntil;
    if (until && Date.parse(until) <= now) rec.override = undefined;
    settleRollouts(this, rec, now);
  }

  /**
   * Why the Deployment takes no deploy now (hibernating, or still being created), if so. Astro
   * refuses a deploy to a hibernating Deployment (C4) without saying at which call: the
   * finalize (and a rollback) always, the create too with `deploysRefusedAt: 'create'` (the
   * default). `at`: the call asking.
   */
  deployBlocked(
    rec: DeploymentRecord,
    now: number,
    at: 'create' | 'finalize' = 'finalize',
  ): string | undefined {
    if (at === 'create' && this.options.deploysRefusedAt === 'finalize') return undefined;
    this.settle(rec, now); // an expired override no longer holds it asleep
    if (this.isHibernating(rec))
      return 'Deployment is hibernating; wake it (hibernation override isHibernating: false) before deploying';
    // [inferred] A Deployment that is still being created has nothing to roll a deploy out to.
    if (rec.creatingUntil > now)
      return `Deployment ${rec.dep.id} is still being created; deploy once it is HEALTHY`;
    return undefined;
  }

  isHibernating(rec: DeploymentRecord): boolean {
    return rec.override?.isHibernating ?? rec.scheduleHibernating;
  }

  status(rec: DeploymentRecord, now: number): DeploymentStatus {
    this.settle(rec, now);
    if (this.isHibernating(rec)) return 'HIBERNATING';
    if (rec.creatingUntil > now) return 'CREATING';
    if (rolloutUnderWay(rec, now)) return 'DEPLOYING';
    if (rec.wakingUntil > now) return 'UNHEALTHY';
    return 'HEALTHY';
  }

  /** The Deployment as GET returns it. */
  view(rec: DeploymentRecord, now: number): Deployment {
    const status = this.status(rec, now);
    const d = structuredClone(rec.dep);
    d.status = status;
    if (status === 'CREATING') d.statusReason = 'Creating';
    if (status === 'HIBERNATING') d.statusReason = 'Hibernating';
    if (status === 'UNHEALTHY') d.statusReason = 'Waking from hibernation';
    if (status === 'DEPLOYING') d.statusReason = 'Deploying';
    const schedules = rec.dep.scalingSpec?.hibernationSpec?.schedules;
    d.scalingSpec =
      schedules || rec.override
        ? {
            hibernationSpec: {
              ...(schedules ? { schedules } : {}),
              ...(rec.override ? { override: { ...rec.override } } : {}),
            },
          }
        : {};
    if (d.isDevelopmentMode) {
      d.scalingStatus = {
        hibernationStatus: {
          isHibernating: this.isHibernating(rec),
          reason: rec.override
            ? 'Hibernation override'
            : schedules
              ? 'Hibernation schedule'
              : undefined,
        },
      };
    }
    return d;
  }

  deploymentBySlug(slug: string): DeploymentRecord | undefined {
    for (const rec of this.deployments.values()) if (rec.slug === slug) return rec;
    return undefined;
  }

  // ---- Deploys ----

  imageTag(now: number): string {
    return `deploy-${iso(now).slice(0, 19).replace(/:/g, '-')}-${++this.deploySeq}`;
  }

  /** A deploy in INITIALIZED state with its upload URLs (body validated before). */
  createDeploy(
    rec: DeploymentRecord,
    body: {
      type: string;
      description?: string;
      bundleType?: string;
      bundleMountPath?: string;
      git?: GitInfo;
    },
    by: SubjectProfile,
    now: number,
  ): DeployRecord {
    const d = rec.dep;
    const id = this.newId();
    const sig = this.token();
    const isBundle = body.type === 'BUNDLE';
    const sas = `sv=2023-11-03&sr=b&sp=cw&se=${encodeURIComponent(iso(now + 3600_000))}&sig=${sig}`;
    const blobBase = `${this.origin}/blobs/${d.organizationId}/${d.id}/${id}`;
    const deploy: Deploy = {
      id,
      deploymentId: d.id,
      // The v1 Deploy.type enum has no BUNDLE: bundle deploys show as DAG_ONLY with bundle fields.
      type: isBundle ? 'DAG_ONLY' : (body.type as Deploy['type']),
      status: 'INITIALIZED',
      imageRepository: d.imageRepository,
      imageTag: this.imageTag(now),
      isDagDeployEnabled: d.isDagDeployEnabled,
      createdAt: iso(now),
      updatedAt: iso(now),
      ...(d.isDagDeployEnabled && !isBundle ? { dagsUploadUrl: `${blobBase}/dags?${sas}` } : {}),
      ...(isBundle
        ? {
            bundleUploadUrl: `${blobBase}/bundle?${sas}`,
            bundleMountPath: body.bundleMountPath,
            bundles: [
              {
                bundleType: String(body.bundleType),
                deployId: id,
                mountPath: String(body.bundleMountPath),
              },
            ],
          }
        : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      airflowVersion: d.airflowVersion,
      astroRuntimeVersion: d.astroRuntimeVersion,
      ...(body.git ? { git: structuredClone(body.git) } : {}),
      createdBySubject: by,
    };
    const record: DeployRecord = {
      deploy,
      finalizeCount: 0,
      repeatedFinalizes: 0,
      uploads: { dags: new Set(), bundle: new Set() },
      sig,
      seq: ++this.deploySeq,
    };
    this.deploys.set(id, record);
    return record;
  }

  /** Seeds history: a deploy as if made earlier (default: a finalized image-and-DAG deploy). */
  addDeploy(
    deploymentId: string,
    partial: Partial<Deploy> & { type?: Deploy['type'] | 'BUNDLE' } = {},
  ): Deploy {
    const rec = this.deployments.get(deploymentId);
    if (!rec) throw new Error(`no Deployment ${deploymentId}`);
    const now = partial.createdAt ? Date.parse(partial.createdAt) : Date.now();
    const made = this.createDeploy(
      rec,
      {
        type: partial.type ?? 'IMAGE_AND_DAG',
        description: partial.description,
        git: partial.git,
        bundleType: partial.bundles?.[0]?.bundleType ?? 'dbt',
        bundleMountPath:
          partial.bundleMountPath ??
          partial.bundles?.[0]?.mountPath ??
          '/usr/local/airflow/dbt/project',
      },
      partial.createdBySubject ?? emulatorSubject,
      now,
    );
    const { type: _type, ...rest } = partial;
    Object.assign(made.deploy, { status: 'DEPLOYED' }, rest);
    return structuredClone(made.deploy);
  }

  deploysOf(deploymentId: string): DeployRecord[] {
    // Newest first, as the API lists them.
    return [...this.deploys.values()]
      .filter((r) => r.deploy.deploymentId === deploymentId)
      .sort((a, b) => b.deploy.createdAt.localeCompare(a.deploy.createdAt) || b.seq - a.seq);
  }

  /**
   * Records a deploy finalized and starts the Deployment's rollout; the deploy shows DEPLOYED
   * now, or when that rollout ends (`deployStatusAt`).
   */
  finalize(
    rec: DeploymentRecord,
    record: DeployRecord,
    versions: { dags?: string; bundle?: string },
    now: number,
  ): void {
    const deploy = record.deploy;
    if (this.options.deployStatusAt === 'finalize') deploy.status = 'DEPLOYED';
    deploy.updatedAt = iso(now);
    record.finalizeCount++;
    const isImage = deploy.type === 'IMAGE_AND_DAG' || deploy.type === 'IMAGE_ONLY';
    if (versions.dags) deploy.dagTarballVersion = versions.dags;
    if (versions.bundle) for (const b of deploy.bundles ?? []) b.desiredVersion = versions.bundle;
    // A named bundle's DAGs leave the Deployment's own (the default bundle's) versions alone.
    const named = record.dagBundleName !== undefined && record.dagBundleName !== MAIN_BUNDLE;
    const bundle = named ? rec.dagBundles.find((b) => b.name === record.dagBundleName) : undefined;
    if (bundle && versions.dags) {
      bundle.desiredVersion = versions.dags;
      bundle.updatedAt = iso(now);
    } else if (versions.dags) rec.dep.desiredDagTarballVersion = versions.dags;
    this.settle(rec, now);
    if (isImage && this.options.imageTagAt === 'finalize') {
      rec.dep.imageTag = deploy.imageTag;
      rec.dep.imageVersion = deploy.imageTag;
    }
    // Queued after, or replacing, a rollout still pending (concurrentRollouts).
    startRollout(
      this,
      rec,
      record,
      { isImage, dags: versions.dags, bundleVersion: versions.bundle, bundle },
      now,
    );
    rec.dep.updatedAt = iso(now);
  }

  /** Adds a named DAG bundle to a Deployment (as `POST …/bundles` would). */
  addDagBundle(rec: DeploymentRecord, name: string, now: number): DagBundleRecord {
    if (name === MAIN_BUNDLE || rec.dagBundles.some((b) => b.name === name))
      throw new Error(`Deployment ${rec.dep.id} already has a DAG bundle named ${name}`);
    const b: DagBundleRecord = { id: this.newId(), name, createdAt: iso(now), updatedAt: iso(now) };
    rec.dagBundles.push(b);
    return b;
  }

  /** The DAG bundles as v1alpha1 lists them: `main` (the Deployment's versions), then the named ones. */
  dagBundlesView(rec: DeploymentRecord, now: number): Record<string, unknown>[] {
    this.settle(rec, now);
    const d = rec.dep;
    const main = {
      id: `${d.id}-main`,
      type: 'DEPLOY',
      isDagBundle: true,
      name: MAIN_BUNDLE,
      ...(d.dagTarballVersion ? { currentVersion: d.dagTarballVersion } : {}),
      ...(d.desiredDagTarballVersion ? { desiredVersion: d.desiredDagTarballVersion } : {}),
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
    const named = rec.dagBundles.map((b) => ({
      id: b.id,
      type: 'DEPLOY',
      isDagBundle: true,
      name: b.name,
      ...(b.currentVersion ? { currentVersion: b.currentVersion } : {}),
      ...(b.desiredVersion ? { desiredVersion: b.desiredVersion } : {}),
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
      deletionIsPending: false,
    }));
    return [main, ...named];
  }

  // ---- Blobs ----

  /** A new blob version id, shaped like Azure's (`2024-01-12T18:32:20.5898930Z`), unique. */
  newVersionId(now: number): string {
    const seq = String(++this.versionSeq % 10000).padStart(4, '0');
    return `${iso(now).slice(0, 23)}${seq}Z`;
  }

  storeBlob(
    record: DeployRecord,
    target: 'dags' | 'bundle',
    bytes: Buffer,
    contentType: string | undefined,
    now: number,
  ): BlobRecord {
    const blob: BlobRecord = {
      versionId: this.newVersionId(now),
      deploymentId: record.deploy.deploymentId,
      deployId: record.deploy.id,
      target,
      bytes,
      format: archiveFormat(bytes),
      contentType,
      createdAt: iso(now),
    };
    this.blobs.set(blob.versionId, blob);
    record.uploads[target].add(blob.versionId);
    return blob;
  }
}

export const emulatorSubject: SubjectProfile = {
  id: 'cemulator000000000000000',
  subjectType: 'SERVICEKEY',
  apiTokenName: 'emulator',
};

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

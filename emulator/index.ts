// A local Astro: the Astro API v1, the deploy upload endpoint and each Deployment's Airflow
// REST API on one loopback port. Strict about requests, alive (Deployments create, roll out
// and hibernate over time) and able to fail on purpose. Tests use it in-process; the CLI
// (scripts/emulator.mjs) serves it for demos.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type {
  AirflowConnection,
  AirflowPool,
  AirflowVariable,
  Deploy,
  Deployment,
  Organization,
  Workspace,
} from '../src/astro/types.js';
import { handleAirflow } from './airflow-api.js';
import { astroError, handleAstro } from './astro-api.js';
import { azureError, handleBlob } from './blob-api.js';
import { handleV1alpha1 } from './v1alpha1.js';
import { Faults, type FaultOptions } from './faults.js';
import type { EmuReply, EmuRequest } from './http-types.js';
import {
  CLIENT_HEADERS,
  Model,
  type BlobRecord,
  type RequestRecord,
  type Rollout,
} from './model.js';
import type { ModelOptions } from './options.js';
import { seedWorld } from './seed.js';
import { tarEntries } from './tar.js';
import { TokenIssuer, type TokenClaimsInput } from './tokens.js';

export type { FaultKind, FaultOptions } from './faults.js';
export type { TokenClaimsInput } from './tokens.js';
export type { BlobRecord, RequestRecord, Rollout } from './model.js';

/** The server's own settings; how the emulated Astro behaves is ModelOptions (emulator/options.ts). */
export interface EmulatorOptions extends Partial<ModelOptions> {
  /** 0 (default): any free port. */
  port?: number;
  host?: string;
  faults?: FaultOptions;
  /**
   * Named DAG bundles to add, by seeded Deployment name (e.g. `{ analytics: ['ml'] }`), besides
   * the seeded `reporting` bundle of `analytics`. Only Airflow 3 Deployments take them.
   */
  dagBundles?: Record<string, string[]>;
  /** Log each request to stderr. */
  log?: boolean;
}

export interface DeployState extends Deploy {
  /** Successful finalize calls for this deploy. */
  finalizeCount: number;
  /** Finalize calls refused because it was finalized already (a repeat reached Astro). */
  repeatedFinalizes: number;
}

export interface AirflowObjects {
  connections: Map<string, AirflowConnection>;
  variables: Map<string, AirflowVariable>;
  pools: Map<string, AirflowPool>;
}

/** In-process read access (and a few seeding helpers) for tests. */
export interface EmulatorState {
  readonly organizations: Organization[];
  readonly workspaces: Workspace[];
  /** Every Deployment as GET returns it now. */
  deployments(): Deployment[];
  deployment(idOrName: string): Deployment | undefined;
  /** Deploys of a Deployment (newest first), or of all. */
  deploys(deploymentId?: string): DeployState[];
  /** Uploaded blobs by version id. */
  readonly blobs: Map<string, BlobRecord>;
  /** Names in an uploaded tar / tar.gz. */
  blobFiles(versionId: string): string[];
  /** Every request served: method, path (no query), status (0 = dropped), fault, client headers. */
  readonly requests: RequestRecord[];
  clearRequests(): void;
  /** Live Airflow objects of a Deployment (mutable: tests may seed). */
  airflow(deploymentId: string): AirflowObjects;
  /** Each finalize's rollout and when it finished (or will). */
  readonly rollouts: Rollout[];
  /** History: a deploy as if made before (default: finalized IMAGE_AND_DAG, now). */
  addDeploy(
    deploymentId: string,
    deploy?: Partial<Deploy> & { type?: Deploy['type'] | 'BUNDLE' },
  ): Deploy;
  /** A Deployment created directly (HEALTHY at once unless `creating`). */
  addDeployment(body: {
    name: string;
    workspaceId?: string;
    creating?: boolean;
    [k: string]: unknown;
  }): Deployment;
  addOrganization(name: string, product?: 'HOSTED' | 'HYBRID'): Organization;
  addWorkspace(name: string, organizationId?: string): Workspace;
  /** Change a Deployment's stored fields (e.g. isCicdEnforced, dagTarballVersion). */
  patchDeployment(deploymentId: string, fields: Partial<Deployment>): Deployment;
  /** A Deployment's DAG bundles as v1alpha1 lists them (`main` first). */
  dagBundles(deploymentId: string): Record<string, unknown>[];
  /** Adds a named DAG bundle to a Deployment (no versions until its first finalize). */
  addDagBundle(deploymentId: string, name: string): void;
  /** Put a development Deployment's schedule to sleep or wake it. */
  setScheduleHibernating(deploymentId: string, hibernating: boolean): void;
}

export interface Emulator {
  /** http://127.0.0.1:<port>/v1 */
  url: string;
  /** A Workspace token (organization and workspace claims) for the seeded workspace. */
  token: string;
  organizationId: string;
  workspaceId: string;
  deployments: { id: string; name: string }[];
  state: EmulatorState;
  setFaults(faults: FaultOptions | undefined): void;
  /** Tokens for tests: expired, another org, workspace- or deployment-scoped, no org claim. */
  issueToken(claims?: TokenClaimsInput): string;
  revokeToken(token: string): void;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port, host, faults: faultOptions, dagBundles, log, ...behaviour } = options;
  const model = new Model(behaviour);
  let faults = new Faults(faultOptions);
  const tokens = new TokenIssuer();
  let requestCount = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void serve(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              message: `emulator error: ${String(err)}`,
              requestId: 'internal',
              statusCode: 500,
            }),
          );
        }
      });
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function serve(raw: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(raw.url ?? '/', 'http://emulator');
    const req: EmuRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body,
      requestId: `req${String(++requestCount).padStart(8, '0')}`,
      now: Date.now(),
    };
    const fault = faults.pick({ method: req.method, path: req.path, query: url.search });
    const client: RequestRecord['client'] = {};
    for (const name of CLIENT_HEADERS) {
      const value = header(raw.headers[name]);
      if (value !== undefined) client[name] = value;
    }
    const record = (status: number) => {
      model.requests.push({
        method: req.method,
        path: req.path,
        status,
        ...(fault ? { fault } : {}),
        at: Date.now(),
        client,
      });
      if (log)
        process.stderr.write(
          `${req.method} ${req.path} ${status}${fault ? ` (fault ${fault})` : ''}\n`,
        );
    };
    // Faults answer before acting, so state is untouched; 'reset-after' acts, then drops the reply.
    if (fault && fault !== 'reset-after' && fault !== 'slow') {
      if (fault === 'reset') {
        record(0);
        raw.socket.destroy();
        return;
      }
      const status = Number(fault);
      const headers: Record<string, string> =
        status === 429 ? { 'retry-after': String(faults.options.retryAfterSeconds ?? 1) } : {};
      record(status);
      return write(res, {
        ...family(req, status, `injected fault ${fault}`),
        headers: { ...headers },
      });
    }
    if (fault === 'slow' && faults.options.hold) {
      await faults.options.hold().catch(() => undefined);
      if (closing) return;
      req.now = Date.now();
    } else if (fault === 'slow') {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, faults.options.slowMs ?? 2000);
        timers.add(t);
      });
      if (closing) return;
      req.now = Date.now();
    }
    const reply = dispatch(req);
    if (fault === 'reset-after') {
      record(0);
      raw.socket.destroy();
      return;
    }
    record(reply.status);
    write(res, reply);
  }

  function family(req: EmuRequest, status: number, message: string): EmuReply {
    if (/^\/v1(alpha1)?(\/|$)/.test(req.path)) return astroError(req, status, message);
    if (req.path.startsWith('/blobs/'))
      return azureError(req, status, status === 503 ? 'ServerBusy' : 'InternalError', message);
    return { status, json: { detail: message } };
  }

  function dispatch(req: EmuRequest): EmuReply {
    if (req.path.startsWith('/blobs/')) return handleBlob(model, req);
    const who = tokens.verify(header(req.headers.authorization));
    if (req.path === '/v1' || req.path.startsWith('/v1/')) {
      if (typeof who === 'string') return astroError(req, 401, `Unauthorized: ${who}`);
      return handleAstro(model, who, req, req.path.slice(3));
    }
    if (req.path === '/v1alpha1' || req.path.startsWith('/v1alpha1/')) {
      if (typeof who === 'string') return astroError(req, 401, `Unauthorized: ${who}`);
      return handleV1alpha1(model, who, req, req.path.slice('/v1alpha1'.length));
    }
    return (
      handleAirflow(model, who, req) ?? {
        status: 404,
        json: {
          message: `no route ${req.method} ${req.path}`,
          requestId: req.requestId,
          statusCode: 404,
        },
      }
    );
  }

  function write(res: ServerResponse, reply: EmuReply): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | undefined;
    if (reply.json !== undefined) {
      payload = JSON.stringify(reply.json);
      headers['content-type'] ??= 'application/json';
    } else if (reply.text !== undefined) {
      payload = reply.text;
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const served = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  model.origin = `http://${served}:${address.port}`;
  const seeded = seedWorld(model);
  tokens.defaultOrganizationId = seeded.organizationId;
  const token = tokens.issue({ workspaceId: seeded.workspaceId, name: 'emulator workspace token' });

  const find = (id: string) => {
    const rec = model.deployments.get(id);
    if (!rec) throw new Error(`no Deployment ${id}`);
    return rec;
  };
  for (const [name, bundles] of Object.entries(dagBundles ?? {})) {
    const rec = [...model.deployments.values()].find((r) => r.dep.name === name);
    if (!rec) throw new Error(`dagBundles: no seeded Deployment named ${name}`);
    if (!rec.dep.airflowVersion.startsWith('3.'))
      throw new Error(`dagBundles: ${name} runs Airflow 2, which has no DAG bundles`);
    for (const b of bundles) model.addDagBundle(rec, b, Date.now());
  }

  const state: EmulatorState = {
    organizations: model.organizations,
    workspaces: model.workspaces,
    deployments: () => {
      model.purgeDeleted(Date.now());
      return [...model.deployments.values()].map((r) => model.view(r, Date.now()));
    },
    deployment(idOrName) {
      const rec =
        model.deployments.get(idOrName) ??
        [...model.deployments.values()].find((r) => r.dep.name === idOrName);
      return rec && model.view(rec, Date.now());
    },
    deploys(deploymentId) {
      // Statuses settle on read (deployStatusAt rollout-end).
      for (const rec of model.deployments.values()) model.settle(rec, Date.now());
      const records = deploymentId ? model.deploysOf(deploymentId) : [...model.deploys.values()];
      return records.map((r) => ({
        ...structuredClone(r.deploy),
        finalizeCount: r.finalizeCount,
        repeatedFinalizes: r.repeatedFinalizes,
      }));
    },
    blobs: model.blobs,
    blobFiles(versionId) {
      const blob = model.blobs.get(versionId);
      if (!blob) throw new Error(`no blob version ${versionId}`);
      return tarEntries(blob.bytes);
    },
    requests: model.requests,
    clearRequests: () => void model.requests.splice(0),
    airflow: (deploymentId) => find(deploymentId).airflow,
    rollouts: model.rollouts,
    addDeploy: (deploymentId, deploy) => model.addDeploy(deploymentId, deploy),
    addDeployment({ creating, ...body }) {
      const rec = model.createDeployment(
        { workspaceId: seeded.workspaceId, ...body },
        { id: 'cseed', subjectType: 'SERVICEKEY', apiTokenName: 'seed' },
        Date.now(),
        Boolean(creating),
      );
      return model.view(rec, Date.now());
    },
    addOrganization: (name, product) => model.addOrganization(name, Date.now(), product),
    addWorkspace: (name, organizationId) =>
      model.addWorkspace(organizationId ?? seeded.organizationId, name),
    patchDeployment(deploymentId, fields) {
      const rec = find(deploymentId);
      Object.assign(rec.dep, fields);
      return model.view(rec, Date.now());
    },
    dagBundles: (deploymentId) => model.dagBundlesView(find(deploymentId), Date.now()),
    addDagBundle(deploymentId, name) {
      model.addDagBundle(find(deploymentId), name, Date.now());
    },
    setScheduleHibernating(deploymentId, hibernating) {
      find(deploymentId).scheduleHibernating = hibernating;
    },
  };

  return {
    url: `${model.origin}/v1`,
    token,
    organizationId: seeded.organizationId,
    workspaceId: seeded.workspaceId,
    deployments: seeded.deployments,
    state,
    setFaults: (f) => {
      faults = new Faults(f);
    },
    issueToken: (claims) => tokens.issue(claims),
    revokeToken: (t) => tokens.revoke(t),
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

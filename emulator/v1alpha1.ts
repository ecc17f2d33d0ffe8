// The two Astro API v1alpha1 routes of named DAG bundles, as strict as the v1 ones: creating a
// deploy to a named DAG bundle (type IMAGE or DAG, which the server maps to IMAGE_AND_DAG and
// DAG_ONLY; the bundle must exist) and listing a Deployment's bundles with their paging
// fields. Such a deploy is uploaded and finalized on v1 like any other; its finalize sets the
// bundle's desiredVersion, and the bundle's currentVersion follows when the rollout ends.
import type { GitInfo, SubjectProfile } from '../src/astro/types.js';
import type { EmuReply, EmuRequest } from './http-types.js';
import {
  Refusal,
  allow,
  orgScope,
  deployView,
  deploymentFor,
  gitRules,
  gitSchema,
  ok,
  page,
  serve,
  validBody,
} from './astro-api.js';
import { MAIN_BUNDLE, type DeploymentRecord, type Model } from './model.js';
import type { Principal } from './tokens.js';
import { obj, str, type FieldError } from './validate.js';

const createSchema = obj(
  {
    type: str({ enum: ['IMAGE', 'DAG'] }),
    description: str({ max: 500 }),
    dagBundleName: str(),
    git: gitSchema,
  },
  ['type'],
);

/** Serves one request below /v1alpha1 (path given without the prefix). */
export function handleV1alpha1(
  model: Model,
  who: Principal,
  req: EmuRequest,
  path: string,
): EmuReply {
  return serve(model, req, () => route(model, who, req, path));
}

function route(model: Model, who: Principal, req: EmuRequest, path: string): EmuReply {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const m = req.method;
  const noRoute = () => new Refusal(404, `no route ${m} /v1alpha1${path}`);
  if (parts[0] !== 'organizations' || parts[2] !== 'deployments' || parts.length !== 5)
    throw noRoute();
  const orgId = parts[1];
  const { by } = orgScope(model, who, orgId);
  const rec = deploymentFor(model, who, orgId, parts[3], m);
  if (parts[4] === 'bundles') {
    allow(m, ['GET']);
    return ok(listBundles(model, rec, req));
  }
  if (parts[4] !== 'deploys') throw noRoute();
  allow(m, ['POST']);
  return createDeploy(model, rec, req, by);
}

/** GET …/bundles: filters `isDagBundle` and `type` checked like the API's enums. */
function listBundles(model: Model, rec: DeploymentRecord, req: EmuRequest) {
  const errors: FieldError[] = [];
  const isDag = req.query.get('isDagBundle');
  if (isDag !== null && isDag !== 'true' && isDag !== 'false')
    errors.push({ field: 'isDagBundle', code: 'type', message: 'isDagBundle must be a boolean' });
  const type = req.query.get('type');
  if (type !== null && type !== 'DEPLOY')
    errors.push({ field: 'type', code: 'oneof', message: 'type must be one of DEPLOY' });
  if (errors.length) throw new Refusal(400, 'invalid query parameters', errors);
  // Airflow 2 has no DAG bundles; non-DAG bundles are not modelled here (listed as none).
  const af3 = rec.dep.airflowVersion.startsWith('3.');
  const all = af3 ? model.dagBundlesView(rec, req.now) : [];
  return page(req, isDag === 'false' ? [] : all, 'bundles');
}

function createDeploy(
  model: Model,
  rec: DeploymentRecord,
  req: EmuRequest,
  by: SubjectProfile,
): EmuReply {
  const blocked = model.deployBlocked(rec, req.now, 'create');
  if (blocked) throw new Refusal(400, blocked);
  const body = validBody(req, createSchema) as {
    type: 'IMAGE' | 'DAG';
    description?: string;
    dagBundleName?: string;
    git?: GitInfo;
  };
  const dep = rec.dep;
  if (body.git) {
    const errors = gitRules(body.git);
    if (errors.length) throw new Refusal(400, 'invalid request body', errors);
  }
  const name = body.dagBundleName;
  if (name !== undefined && !dep.airflowVersion.startsWith('3.'))
    throw new Refusal(
      400,
      `Deployment ${dep.id} runs Airflow ${dep.airflowVersion}; DAG bundles need Airflow 3`,
      [{ field: 'dagBundleName', code: 'unsupported', message: 'DAG bundles need Airflow 3' }],
    );
  if (name !== undefined && name !== MAIN_BUNDLE && !rec.dagBundles.some((b) => b.name === name))
    throw new Refusal(400, `DAG bundle ${name} not found on Deployment ${dep.id}`, [
      { field: 'dagBundleName', code: 'exists', message: 'no DAG bundle with this name' },
    ]);
  if ((name !== undefined || body.type === 'DAG') && !dep.isDagDeployEnabled)
    throw new Refusal(
      400,
      `deploys to a DAG bundle need DAG deploys, which are not enabled on Deployment ${dep.id}`,
    );
  const made = model.createDeploy(
    rec,
    {
      type: body.type === 'IMAGE' ? 'IMAGE_AND_DAG' : 'DAG_ONLY',
      description: body.description,
      git: body.git,
    },
    by,
    req.now,
  );
  if (name !== undefined) made.dagBundleName = name;
  return ok(deployView(made.deploy));
}

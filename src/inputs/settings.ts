// Reads every input once and validates all of them up front: a user sees every mistake in
// one run, each as one sentence naming the input and the fix. Nothing else reads inputs.
import path from 'node:path';
import { resolveApiUrl } from '../astro/endpoint.js';
import { stripBearer } from '../astro/token.js';
import { parseDuration } from '../platform/duration.js';
import { normalizeFolder } from '../project/paths.js';
import { buildsImage } from '../decide/kinds.js';
import { parseOverrides, type ParseYaml } from '../preview/overrides.js';
import { combinationProblems, lines, list } from './combinations.js';
import {
  ACTIONS,
  DEPLOY_TYPES,
  type ActionMode,
  type RollbackTo,
  type DeployTypeInput,
  type Settings,
} from './settings-types.js';

export type { Settings } from './settings-types.js';

/** core.getInput's shape: '' when the input is not set. */
export type InputReader = (name: string) => string;

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SettingsError';
  }
}

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0', ''];

/** Inputs kept only so workflows written for deploy-action keep working. */
const COMPAT_INPUTS = ['cli-version'];

export interface ReadOptions {
  /**
   * A pull request from a fork: GitHub gives it no secrets, so a missing ASTRO_API_TOKEN is
   * not the user's mistake (the run is skipped instead); every other input is still checked.
   */
  tokenOptional?: boolean;
  /** yaml's `parse`, needed when preview-overrides is set (loadSettings loads it then). */
  parseYaml?: ParseYaml;
}

/** The inputs, read with the problems and notices they give (in the order they are read). */
interface Reader {
  input: InputReader;
  problems: string[];
  notices: string[];
  get(name: string): string;
  bool(name: string, fallback: boolean): boolean;
  oneOf<T extends string>(name: string, valid: readonly T[], fallback: T): T;
}

function reader(input: InputReader): Reader {
  const problems: string[] = [];
  const get = (name: string) => input(name).trim();
  return {
    input,
    problems,
    notices: [],
    get,
    bool(name, fallback) {
      const v = get(name).toLowerCase();
      if (v === '') return fallback;
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      problems.push(`Input '${name}' must be true or false, not '${get(name)}'.`);
      return fallback;
    },
    oneOf(name, valid, fallback) {
      const v = get(name) || fallback;
      if ((valid as readonly string[]).includes(v)) return v as typeof fallback;
      problems.push(`Input '${name}' is '${v}'; use one of: ${valid.join(', ')}.`);
      return fallback;
    },
  };
}

/**
 * readSettings, with the YAML parser loaded first when preview-overrides needs it: the parser
 * is a fifth of the bundle, and most runs read no YAML, so their start-up does not load it.
 */
export async function loadSettings(
  input: InputReader,
  env: NodeJS.ProcessEnv,
  options: ReadOptions = {},
): Promise<Settings> {
  // `.default`: yaml is CommonJS, and the bundle gives such a package one default export.
  const parseYaml = input('preview-overrides').trim()
    ? (await import('yaml')).default.parse
    : undefined;
  return readSettings(input, env, { ...options, parseYaml });
}

export function readSettings(
  input: InputReader,
  env: NodeJS.ProcessEnv,
  options: ReadOptions = {},
): Settings {
  const r = reader(input);
  const { get, bool, problems } = r;
  const action: ActionMode = r.oneOf('action', ACTIONS, 'deploy');
  const firstType: DeployTypeInput = r.oneOf('deploy-type', DEPLOY_TYPES, 'infer');
  const { deploymentId, deploymentName } = readTarget(r);
  const { rootFolder, dagsPath } = readFolders(r);
  const waitMs = readWaitTime(r);
  const imageInput = get('image-name');
  const imageName = imageInput && imageInput !== 'no-custom-image' ? imageInput : undefined;
  const deployType = readCompatInputs(r, firstType);
  const mountPath = readBundle(r, deployType);
  const previewOverrides = readOverrides(r, options.parseYaml);
  const checkoutSubmodules = readSubmodules(r);
  const { token, apiUrl } = readApi(r, env, options);
  const rollbackTo = readRollbackTo(r, action);

  const settings: Settings = {
    action,
    deploymentId,
    deploymentName,
    workspace: get('workspace') || undefined,
    rootFolder: rootFolder ?? '',
    deployType,
    dagsPath: dagsPath || 'dags',
    parse: bool('parse', false),
    pytest: bool('pytest', false),
    pytestFile: get('pytest-file') || 'tests/',
    force: bool('force', false),
    imageName,
    buildSecrets: lines(input('build-secrets')),
    description: input('description') || undefined,
    previewName: get('preview-name') || undefined,
    copyConnections: bool('copy-connections', true),
    copyVariables: bool('copy-airflow-variables', true),
    copyPools: bool('copy-pools', true),
    wakeOnDeploy: bool('wake-on-deploy', false),
    waitMs: waitMs ?? 600_000,
    mountPath,
    bundleType: get('bundle-type') || undefined,
    imageTriggerPaths: list(input('image-trigger-paths')),
    bundleTriggerPaths: list(input('bundle-trigger-paths')),
    skipUnchanged: bool('skip-unchanged', true),
    checkout: bool('checkout', true),
    checkoutSubmodules,
    noDagsBaseDir: bool('no-dags-base-dir', false),
    dagBundleName: get('dag-bundle-name') || undefined,
    sparseCheckout: list(input('sparse-checkout')),
    dryRun: bool('dry-run', false),
    rollbackTo,
    previewOverrides,
    githubToken: get('github-token') || undefined,
    prComment: bool('pr-comment', false),
    githubDeployments: bool('github-deployments', true),
    apiUrl,
    token,
    checkoutDir: path.resolve(env.GITHUB_WORKSPACE || process.cwd()),
    notices: r.notices,
  };

  problems.push(...combinationProblems(settings));
  if (problems.length) throw new SettingsError(problems);
  return settings;
}

function readTarget(r: Reader): { deploymentId?: string; deploymentName?: string } {
  const deploymentId = r.get('deployment-id') || undefined;
  const deploymentName = r.get('deployment-name') || undefined;
  if (deploymentId && deploymentName) {
    r.problems.push(
      "Only one of 'deployment-id' or 'deployment-name' may be set; remove one of them.",
    );
  } else if (!deploymentId && !deploymentName) {
    r.problems.push(
      "Set 'deployment-id' or 'deployment-name' to say which Deployment to deploy to (for preview actions: the base Deployment).",
    );
  }
  return { deploymentId, deploymentName };
}

function readFolders(r: Reader): { rootFolder?: string; dagsPath?: string } {
  const rootFolder = normalizeFolder(r.get('root-folder'));
  if (rootFolder === undefined) {
    r.problems.push(
      `Input 'root-folder' ('${r.get('root-folder')}') points outside the repository; give a folder inside it, e.g. 'astro'.`,
    );
  }
  const dagsPath = normalizeFolder(r.get('dags-path') || 'dags');
  if (dagsPath === undefined || dagsPath === '') {
    r.problems.push(
      `Input 'dags-path' ('${r.get('dags-path')}') must be a folder inside 'root-folder', e.g. 'dags'.`,
    );
  }
  return { rootFolder, dagsPath };
}

/**
 * `rollback-to`: `previous`, a commit SHA (7 to 40 hex characters) or an Astro deploy id
 * (lower-case letters and digits, such as `clvetru2w000201mowqwua63n`). Only with
 * `action: rollback`: anywhere else it would silently do nothing.
 */
function readRollbackTo(r: Reader, action: ActionMode): RollbackTo {
  const v = r.get('rollback-to');
  // (`previous` is the default, which the runner passes to every run.)
  if (v && v !== 'previous' && action !== 'rollback') {
    r.problems.push(
      `Input 'rollback-to' is only for 'action: rollback', and this run's action is '${action}'; remove 'rollback-to' or set 'action: rollback'.`,
    );
  }
  if (v === '' || v === 'previous') return { kind: 'previous' };
  if (/^[0-9a-f]{7,40}$/i.test(v)) return { kind: 'commit', sha: v.toLowerCase() };
  if (/^[a-z0-9]{20,40}$/.test(v)) return { kind: 'deploy', id: v };
  r.problems.push(
    `Input 'rollback-to' is '${v}', which is neither 'previous', a commit SHA (7 to 40 hex characters) nor an Astro deploy id (such as clvetru2w000201mowqwua63n); use one of those.`,
  );
  return { kind: 'previous' };
}

function readWaitTime(r: Reader): number | undefined {
  const waitText = r.get('wait-time') || '10m';
  const waitMs = parseDuration(waitText);
  if (waitMs === undefined) {
    r.problems.push(
      `Input 'wait-time' ('${waitText}') is not a duration; write it like '300s', '5m' or '1h'.`,
    );
  }
  return waitMs;
}

/** `deploy-image` and the inputs deploy-action had that do nothing here; the deploy type they leave. */
function readCompatInputs(r: Reader, deployType: DeployTypeInput): DeployTypeInput {
  // `deploy-image: true` was deploy-action's way to ask for a full deploy.
  if (r.bool('deploy-image', false)) {
    if (deployType === 'infer') {
      deployType = 'image-and-dags';
      r.notices.push("'deploy-image: true' is read as 'deploy-type: image-and-dags'.");
    } else if (buildsImage(deployType)) {
      r.notices.push(`'deploy-image: true' adds nothing to 'deploy-type: ${deployType}'.`);
    } else {
      r.problems.push(
        `'deploy-image: true' asks for an image deploy, but 'deploy-type' is '${deployType}'; set only one of them.`,
      );
    }
  }
  for (const name of COMPAT_INPUTS) {
    if (r.get(name))
      r.notices.push(`Input '${name}' has no effect here (no CLI is used); it is ignored.`);
  }
  return deployType;
}

/** mount-path (checked), and what deploy-type non-dags needs. */
function readBundle(r: Reader, deployType: DeployTypeInput): string | undefined {
  const mountPath = r.get('mount-path') || undefined;
  if (mountPath !== undefined && !mountPath.startsWith('/')) {
    r.problems.push(
      `Input 'mount-path' ('${mountPath}') must be an absolute path, e.g. '/usr/local/airflow/dbt/my_project'.`,
    );
  }
  if (deployType === 'non-dags' && !mountPath) {
    r.problems.push(
      "'deploy-type: non-dags' needs 'mount-path': where the bundle is mounted in the Deployment.",
    );
  }
  if (deployType === 'non-dags' && !r.get('bundle-type')) {
    r.problems.push(
      "'deploy-type: non-dags' needs 'bundle-type': a label for the bundle, e.g. 'config'.",
    );
  }
  return mountPath;
}

function readOverrides(r: Reader, parseYaml: ParseYaml | undefined): Record<string, unknown> {
  const overridesText = r.get('preview-overrides');
  if (!overridesText) return {};
  if (!parseYaml)
    throw new Error('preview-overrides is set but no YAML parser was given: use loadSettings.');
  try {
    return parseOverrides(overridesText, parseYaml);
  } catch (err) {
    r.problems.push(`Input 'preview-overrides': ${(err as Error).message}`);
    return {};
  }
}

function readSubmodules(r: Reader): Settings['checkoutSubmodules'] {
  const submodules = r.get('checkout-submodules').toLowerCase();
  if (submodules === 'recursive') return 'recursive';
  if (TRUE.includes(submodules)) return true;
  if (!FALSE.includes(submodules)) {
    r.problems.push(
      `Input 'checkout-submodules' must be true, false or recursive, not '${submodules}'.`,
    );
  }
  return false;
}

function readApi(
  r: Reader,
  env: NodeJS.ProcessEnv,
  options: ReadOptions,
): { token: string; apiUrl: string } {
  // A token saved as "Bearer …" works for the API; the registry login needs the bare token.
  const token = stripBearer(env.ASTRO_API_TOKEN ?? '');
  if (!token && !options.tokenOptional) {
    r.problems.push(
      'ASTRO_API_TOKEN is not set; add `env: ASTRO_API_TOKEN: ${{ secrets.ASTRO_API_TOKEN }}` to the step (a Deployment, Workspace or Organization API token).',
    );
  }
  let apiUrl = '';
  try {
    apiUrl = resolveApiUrl({ input: r.get('api-url'), env });
  } catch (err) {
    const message = (err as Error).message;
    r.problems.push(r.get('api-url') ? `Input 'api-url': ${message}` : message);
  }
  return { token, apiUrl };
}

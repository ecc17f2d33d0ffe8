// Reads every input once and validates all of them up front: a user sees every mistake in
// one run, each as one sentence naming the input and the fix. Nothing else reads inputs.
import path from 'node:path';
import { resolveApiUrl } from './astro/endpoint.js';
import { stripBearer } from './astro/token.js';
import { parseDuration } from './duration.js';
import { isInside, joinRel, normalizeFolder } from './paths.js';
import { parseOverrides } from './preview/overrides.js';
import {
  ACTIONS,
  DEPLOY_TYPES,
  type ActionMode,
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

/** Inputs kept only so workflows written for the anchor keep working. */
const COMPAT_INPUTS = ['cli-version', 'dag-bundle-name'];

export interface ReadOptions {
  /**
   * A pull request from a fork: GitHub gives it no secrets, so a missing ASTRO_API_TOKEN is
   * not the user's mistake (the run is skipped instead); every other input is still checked.
   */
  tokenOptional?: boolean;
}

export function readSettings(
  input: InputReader,
  env: NodeJS.ProcessEnv,
  options: ReadOptions = {},
): Settings {
  const problems: string[] = [];
  const notices: string[] = [];
  const get = (name: string) => input(name).trim();

  const bool = (name: string, fallback: boolean): boolean => {
    const v = get(name).toLowerCase();
    if (v === '') return fallback;
    if (TRUE.includes(v)) return true;
    if (FALSE.includes(v)) return false;
    problems.push(`Input '${name}' must be true or false, not '${get(name)}'.`);
    return fallback;
  };

  const oneOf = <T extends string>(name: string, valid: readonly T[], fallback: T): T => {
    const v = get(name) || fallback;
    if ((valid as readonly string[]).includes(v)) return v as T;
    problems.push(`Input '${name}' is '${v}'; use one of: ${valid.join(', ')}.`);
    return fallback;
  };

  const action: ActionMode = oneOf('action', ACTIONS, 'deploy');
  let deployType: DeployTypeInput = oneOf('deploy-type', DEPLOY_TYPES, 'infer');

  const deploymentId = get('deployment-id') || undefined;
  const deploymentName = get('deployment-name') || undefined;
  if (deploymentId && deploymentName) {
    problems.push(
      "Only one of 'deployment-id' or 'deployment-name' may be set; remove one of them.",
    );
  } else if (!deploymentId && !deploymentName) {
    problems.push(
      "Set 'deployment-id' or 'deployment-name' to say which Deployment to deploy to (for preview actions: the base Deployment).",
    );
  }

  const rootFolder = normalizeFolder(get('root-folder'));
  if (rootFolder === undefined) {
    problems.push(
      `Input 'root-folder' ('${get('root-folder')}') points outside the repository; give a folder inside it, e.g. 'astro'.`,
    );
  }
  const dagsPath = normalizeFolder(get('dags-path') || 'dags');
  if (dagsPath === undefined || dagsPath === '') {
    problems.push(
      `Input 'dags-path' ('${get('dags-path')}') must be a folder inside 'root-folder', e.g. 'dags'.`,
    );
  }

  const waitText = get('wait-time') || '10m';
  const waitMs = parseDuration(waitText);
  if (waitMs === undefined) {
    problems.push(
      `Input 'wait-time' ('${waitText}') is not a duration; write it like '300s', '5m' or '1h'.`,
    );
  }

  const imageInput = get('image-name');
  const imageName = imageInput && imageInput !== 'no-custom-image' ? imageInput : undefined;

  // `deploy-image: true` was the anchor's way to ask for a full deploy.
  const deployImage = bool('deploy-image', false);
  if (deployImage) {
    if (deployType === 'infer') {
      deployType = 'image-and-dags';
      notices.push("'deploy-image: true' is read as 'deploy-type: image-and-dags'.");
    } else if (deployType === 'image-and-dags' || deployType === 'image-only') {
      notices.push(`'deploy-image: true' adds nothing to 'deploy-type: ${deployType}'.`);
    } else {
      problems.push(
        `'deploy-image: true' asks for an image deploy, but 'deploy-type' is '${deployType}'; set only one of them.`,
      );
    }
  }
  for (const name of COMPAT_INPUTS) {
    if (get(name))
      notices.push(`Input '${name}' has no effect here (no CLI is used); it is ignored.`);
  }

  const mountPath = get('mount-path') || undefined;
  if (mountPath !== undefined && !mountPath.startsWith('/')) {
    problems.push(
      `Input 'mount-path' ('${mountPath}') must be an absolute path, e.g. '/usr/local/airflow/dbt/my_project'.`,
    );
  }
  if (deployType === 'non-dags' && !mountPath) {
    problems.push(
      "'deploy-type: non-dags' needs 'mount-path': where the bundle is mounted in the Deployment.",
    );
  }
  if (deployType === 'non-dags' && !get('bundle-type')) {
    problems.push(
      "'deploy-type: non-dags' needs 'bundle-type': a label for the bundle, e.g. 'config'.",
    );
  }

  let previewOverrides: Record<string, unknown> = {};
  const overridesText = get('preview-overrides');
  if (overridesText) {
    try {
      previewOverrides = parseOverrides(overridesText);
    } catch (err) {
      problems.push(`Input 'preview-overrides': ${(err as Error).message}`);
    }
  }

  const submodules = get('checkout-submodules').toLowerCase();
  let checkoutSubmodules: Settings['checkoutSubmodules'] = false;
  if (submodules === 'recursive') checkoutSubmodules = 'recursive';
  else if (TRUE.includes(submodules)) checkoutSubmodules = true;
  else if (!FALSE.includes(submodules)) {
    problems.push(
      `Input 'checkout-submodules' must be true, false or recursive, not '${submodules}'.`,
    );
  }

  // A token saved as "Bearer …" works for the API; the registry login needs the bare token.
  const token = stripBearer(env.ASTRO_API_TOKEN ?? '');
  if (!token && !options.tokenOptional) {
    problems.push(
      'ASTRO_API_TOKEN is not set; add `env: ASTRO_API_TOKEN: ${{ secrets.ASTRO_API_TOKEN }}` to the step (a Deployment, Workspace or Organization API token).',
    );
  }

  let apiUrl = '';
  try {
    apiUrl = resolveApiUrl({ input: get('api-url'), env });
  } catch (err) {
    const message = (err as Error).message;
    problems.push(get('api-url') ? `Input 'api-url': ${message}` : message);
  }

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
    sparseCheckout: list(input('sparse-checkout')),
    dryRun: bool('dry-run', false),
    previewOverrides,
    githubToken: get('github-token') || undefined,
    prComment: bool('pr-comment', false),
    apiUrl,
    token,
    workspaceDir: path.resolve(env.GITHUB_WORKSPACE || process.cwd()),
    notices,
  };

  for (const secret of settings.buildSecrets) {
    if (!/(^|,)id=[^,]+/.test(secret)) {
      problems.push(
        `Input 'build-secrets' has '${secret.split(',')[0]}…' without 'id=': write each secret as 'id=name,src=path' on its own line.`,
      );
    }
  }
  if (settings.noDagsBaseDir && (settings.imageName || deployType === 'non-dags')) {
    problems.push(
      `Input 'no-dags-base-dir' changes the DAG tarball, which ${settings.imageName ? "'image-name'" : "'deploy-type: non-dags'"} does not ship; remove one of them.`,
    );
  }
  problems.push(...sparseProblems(settings));
  if (
    settings.imageName &&
    (deployType === 'dags-only' || deployType === 'dbt' || deployType === 'non-dags')
  ) {
    problems.push(
      `Input 'image-name' deploys an image; it cannot go with 'deploy-type: ${deployType}'.`,
    );
  }

  if (problems.length) throw new SettingsError(problems);
  return settings;
}

/**
 * `sparse-checkout` holds cone-mode patterns: folders of the repository (git adds the files at
 * the top of every folder on the way). The folders the deploy reads from the work tree must be
 * in the cone: root-folder, or the DAG folder when root-folder is the repository's root.
 */
function sparseProblems(s: Settings): string[] {
  if (s.sparseCheckout.length === 0) return [];
  const problems: string[] = [];
  const folders: string[] = [];
  for (const given of s.sparseCheckout) {
    const folder = normalizeFolder(given);
    if (/[*?[\]!\\]/.test(given) || folder === undefined || folder === '') {
      problems.push(
        `Input 'sparse-checkout' has '${given}', which is not a folder inside the repository; cone-mode patterns are folders such as 'astro' or 'libs/common' (no wildcards or negations).`,
      );
    } else folders.push(folder);
  }
  if (problems.length) return problems;
  s.sparseCheckout = folders;
  const needed =
    s.rootFolder !== ''
      ? { folder: s.rootFolder, what: 'root-folder' }
      : s.deployType === 'dbt' || s.deployType === 'non-dags'
        ? undefined
        : { folder: joinRel(s.rootFolder, s.dagsPath), what: 'the DAG folder' };
  if (needed && !folders.some((f) => isInside(needed.folder, f))) {
    problems.push(
      `Input 'sparse-checkout' leaves ${needed.what} '${needed.folder}' out of the clone, so there would be nothing to deploy; add '${needed.folder}' (or a folder holding it) to it.`,
    );
  }
  return problems;
}

/** One entry per non-empty line. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Comma- or newline-separated entries. */
function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((l) => l.trim())
    .filter(Boolean);
}

// The `preview-overrides` input: YAML or JSON of Deployment fields, validated against what a
// create body (DeploymentRequest) accepts, so mistakes surface before
// anything is created.

import type { DeploymentRequest } from '../astro/types.js';

/** The fields a preview may override: a create body minus what the action owns. */
/** A preview is Remote Execution exactly when its base is, so that is no override. */
export type PreviewOverrides = Partial<
  Omit<DeploymentRequest, 'name' | 'workspaceId' | 'remoteExecution'>
>;

type Check = (value: unknown, path: string) => { value?: unknown; error?: string };

const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a map'
        : `${typeof v} ${JSON.stringify(v)}`;

const str: Check = (v, path) =>
  typeof v === 'string'
    ? { value: v }
    : typeof v === 'number' && Number.isFinite(v)
      ? { value: String(v) } // YAML reads `defaultTaskPodCpu: 0.5` as a number
      : { error: `${path} must be a string, not ${describe(v)}` };

const bool: Check = (v, path) =>
  typeof v === 'boolean'
    ? { value: v }
    : { error: `${path} must be true or false, not ${describe(v)}` };

const int =
  (min: number, max = Number.MAX_SAFE_INTEGER): Check =>
  (v, path) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? { value: v }
      : {
          error: `${path} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}, not ${describe(v)}`,
        };

/** Enums are matched case-insensitively (deploy-action's users write `small`) and sent upper case. */
const oneOf =
  (values: readonly string[]): Check =>
  (v, path) => {
    const up = typeof v === 'string' ? v.trim().toUpperCase() : undefined;
    return up !== undefined && values.includes(up)
      ? { value: up }
      : { error: `${path} must be one of ${values.join(', ')}, not ${describe(v)}` };
  };

const listOf =
  (item: Check): Check =>
  (v, path) => {
    if (!Array.isArray(v)) return { error: `${path} must be a list, not ${describe(v)}` };
    const out: unknown[] = [];
    for (const [i, x] of v.entries()) {
      const r = item(x, `${path}[${i}]`);
      if (r.error) return r;
      out.push(r.value);
    }
    return { value: out };
  };

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const object =
  (fields: Record<string, Check>, required: string[] = []): Check =>
  (v, path) => {
    if (!isMap(v)) return { error: `${path} must be a map, not ${describe(v)}` };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const check = fields[k];
      if (!check) {
        return {
          error: `${path} has an unknown field "${k}" (valid: ${Object.keys(fields).join(', ')})`,
        };
      }
      const r = check(x, `${path}.${k}`);
      if (r.error) return r;
      out[k] = r.value;
    }
    const missing = required.filter((k) => !(k in out));
    if (missing.length) return { error: `${path} needs ${missing.join(', ')}` };
    return { value: out };
  };

const ASTRO_MACHINES = ['A5', 'A10', 'A20', 'A40', 'A60', 'A120', 'A160'] as const;

const workerQueue = object(
  {
    name: str,
    isDefault: bool,
    maxWorkerCount: int(1),
    minWorkerCount: int(0),
    workerConcurrency: int(1),
    astroMachine: oneOf(ASTRO_MACHINES),
    nodePoolId: str,
    podEphemeralStorage: str,
  },
  ['name', 'isDefault', 'maxWorkerCount', 'minWorkerCount', 'workerConcurrency'],
);

const envVar = object({ key: str, isSecret: bool, value: str }, ['key']);

/** A list of `{key, value, isSecret}`, or a plain map `{KEY: value}` (non-secret). */
const envVars: Check = (v, path) => {
  if (isMap(v)) {
    const out: { key: string; isSecret: boolean; value: string }[] = [];
    for (const [key, raw] of Object.entries(v)) {
      const r = typeof raw === 'boolean' ? { value: String(raw) } : str(raw, `${path}.${key}`);
      if (r.error) return r;
      out.push({ key, isSecret: false, value: r.value as string });
    }
    return { value: out };
  }
  const r = listOf(envVar)(v, path);
  if (r.error) return r;
  return {
    value: (r.value as { key: string; isSecret?: boolean; value?: string }[]).map((e) => ({
      ...e,
      isSecret: e.isSecret ?? false,
    })),
  };
};

const hibernationSchedule = object(
  { hibernateAtCron: str, wakeAtCron: str, isEnabled: bool, description: str },
  ['hibernateAtCron', 'wakeAtCron', 'isEnabled'],
);

const scalingSpec = object({
  hibernationSpec: object({
    schedules: listOf(hibernationSchedule),
    override: object({ isHibernating: bool, overrideUntil: str }),
  }),
});

/** Every field a preview may override, with its check. */
const FIELDS: Record<keyof PreviewOverrides, Check> = {
  type: oneOf(['DEDICATED', 'HYBRID', 'STANDARD']),
  description: str,
  astroRuntimeVersion: str,
  executor: oneOf(['ASTRO', 'CELERY', 'KUBERNETES']),
  cloudProvider: oneOf(['AWS', 'AZURE', 'GCP']),
  region: str,
  clusterId: str,
  schedulerSize: oneOf(['SMALL', 'MEDIUM', 'LARGE', 'EXTRA_LARGE']),
  isHighAvailability: bool,
  isDevelopmentMode: bool,
  isDagDeployEnabled: bool,
  isCicdEnforced: bool,
  defaultTaskPodCpu: str,
  defaultTaskPodMemory: str,
  resourceQuotaCpu: str,
  resourceQuotaMemory: str,
  workerQueues: listOf(workerQueue),
  environmentVariables: envVars,
  contactEmails: listOf(str),
  workloadIdentity: str,
  taskPodNodePoolId: str,
  scheduler: object({ au: int(5, 24), replicas: int(1, 4) }, ['au', 'replicas']),
  scalingSpec,
};

/** The names of the fields preview-overrides accepts. */
export const OVERRIDE_FIELDS = Object.keys(FIELDS).sort();

const OWNED: Record<string, string> = {
  name: 'preview-overrides cannot set "name": use the preview-name input',
  workspaceId: `preview-overrides cannot set "workspaceId": a preview lives in its base Deployment's workspace`,
  remoteExecution:
    'preview-overrides cannot set "remoteExecution": a preview is a Remote Execution Deployment exactly when its base is',
};

export const NOT_A_MAP = 'preview-overrides must be a YAML or JSON map of Deployment fields';

/**
 * yaml's `parse`, passed in: the YAML parser is a fifth of the bundle, so it is loaded only
 * when there is YAML to read (settings.ts `loadSettings`).
 */
export type ParseYaml = (text: string) => unknown;

/**
 * Parse and check `preview-overrides`. Returns every problem found (one line each) rather
 * than the first; an empty input is an empty map.
 */
export function checkOverrides(
  text: string,
  parseYaml: ParseYaml,
): { overrides: PreviewOverrides; errors: string[] } {
  if (text.trim() === '') return { overrides: {}, errors: [] };
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    // The parser's first line, without the colon that introduces its code excerpt.
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/:\s*$/, '');
    return { overrides: {}, errors: [`preview-overrides is not valid YAML or JSON: ${why}`] };
  }
  if (doc === null || doc === undefined) return { overrides: {}, errors: [] };
  if (!isMap(doc)) return { overrides: {}, errors: [`${NOT_A_MAP} (got ${describe(doc)})`] };
  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (OWNED[key]) {
      errors.push(OWNED[key]);
      continue;
    }
    const check = (FIELDS as Record<string, Check>)[key];
    if (!check) {
      errors.push(
        `preview-overrides has an unknown field "${key}"; valid fields: ${OVERRIDE_FIELDS.join(', ')}`,
      );
      continue;
    }
    const r = check(value, `preview-overrides.${key}`);
    if (r.error) errors.push(r.error);
    else out[key] = r.value;
  }
  if (out.cloudProvider !== undefined && out.region === undefined && out.clusterId === undefined) {
    // cloudProvider and region go together (§3.7); a lone one would clash with the base's pair.
    errors.push('preview-overrides sets cloudProvider without region: give both (or clusterId)');
  }
  return { overrides: errors.length ? {} : (out as PreviewOverrides), errors };
}

/** Parse and check `preview-overrides`; throws an Error listing every problem, one per line. */
export function parseOverrides(text: string, parseYaml: ParseYaml): PreviewOverrides {
  const { overrides, errors } = checkOverrides(text, parseYaml);
  if (errors.length) throw new Error(errors.join('\n'));
  return overrides;
}

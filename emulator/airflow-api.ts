// Each Deployment's Airflow REST API (connections, variables, pools), in the shape of its
// Airflow version: Airflow 2 /api/v1 (create 200, RFC 7807 errors, lists without secrets,
// comma-separated update_mask) and Airflow 3 /api/v2 (create 201, 409 on duplicates, 422 on
// bad bodies, {detail} errors, repeated update_mask).
import type { AirflowConnection, AirflowPool, AirflowVariable } from '../src/astro/types.js';
import type { EmuReply, EmuRequest } from './http-types.js';
import type { DeploymentRecord, Model } from './model.js';
import type { Principal } from './tokens.js';

type Kind = 'connections' | 'variables' | 'pools';
type Obj = Record<string, unknown>;

const ID: Record<Kind, string> = { connections: 'connection_id', variables: 'key', pools: 'name' };
const NOUN: Record<Kind, string> = {
  connections: 'Connection',
  variables: 'Variable',
  pools: 'Pool',
};

/** Field: [type, required on create]. */
const FIELDS: Record<Kind, Record<string, ['string' | 'int' | 'bool' | 'any', boolean]>> = {
  connections: {
    connection_id: ['string', true],
    conn_type: ['string', true],
    description: ['string', false],
    host: ['string', false],
    login: ['string', false],
    schema: ['string', false],
    port: ['int', false],
    password: ['string', false],
    extra: ['string', false],
  },
  variables: { key: ['string', true], value: ['any', true], description: ['string', false] },
  pools: {
    name: ['string', true],
    slots: ['int', true],
    description: ['string', false],
    include_deferred: ['bool', false],
  },
};

const SENSITIVE =
  /(access_token|api_key|apikey|authorization|passphrase|passwd|password|private_key|secret|token|keyfile_dict|service_account)/i;

interface Ctx {
  v: 1 | 2;
  req: EmuRequest;
}

function fail(c: Ctx, status: number, title: string, detail?: unknown): EmuReply {
  if (c.v === 2) return { status, json: { detail: detail ?? title } };
  return {
    status,
    json: {
      type: `https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/${title.replace(/\W/g, '')}`,
      title,
      status,
      detail:
        typeof detail === 'string' ? detail : detail === undefined ? null : JSON.stringify(detail),
    },
  };
}

/** Serves `/<slug>/api/v1|v2/...`; undefined when the path is no Airflow API. */
export function handleAirflow(
  model: Model,
  who: Principal | string,
  req: EmuRequest,
): EmuReply | undefined {
  const m = /^\/([^/]+)\/api\/v([12])(\/.*)?$/.exec(req.path);
  if (!m) return undefined;
  // Astro's proxy answers an encoded slash with a 308 to the decoded path, where `//`
  // collapses: another resource.
  if (/%2F/i.test(req.path)) {
    const q = req.query.toString();
    const to = req.path.replace(/%2F/gi, '/').replace(/\/{2,}/g, '/');
    return {
      status: 308,
      headers: { location: `${to}${q ? `?${q}` : ''}`, 'content-type': 'text/plain' },
      text: 'Permanent Redirect',
    };
  }
  const rec = model.deploymentBySlug(m[1]);
  // A new Deployment's Airflow is not reachable until a while after it turns HEALTHY: the
  // ingress answers 404 (deploy-action PR #124).
  if (rec && rec.creatingUntil > 0 && req.now < rec.creatingUntil + model.options.airflowApiDelayMs)
    return { status: 404, headers: { 'content-type': 'text/plain' }, text: '404 page not found' };
  const served = rec && (rec.dep.airflowVersion.startsWith('3.') ? 2 : 1);
  const v = Number(m[2]) as 1 | 2;
  const c: Ctx = { v, req };
  if (!rec || served !== v) return fail(c, 404, 'Not Found', `no Airflow API at ${req.path}`);
  if (typeof who === 'string')
    return fail(c, 401, 'Unauthorized', v === 2 ? 'Not authenticated' : who);
  const allowed =
    (!who.organizationId || who.organizationId === rec.dep.organizationId) &&
    (!who.workspaceId || who.workspaceId === rec.dep.workspaceId) &&
    (!who.deploymentId || who.deploymentId === rec.dep.id);
  if (!allowed) return fail(c, 403, 'Forbidden', 'the token has no access to this Deployment');
  const rest = (m[3] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  if (rest[0] === 'version' && rest.length === 1 && req.method === 'GET')
    return { status: 200, json: { version: rec.dep.airflowVersion, git_version: null } };
  const kind = rest[0] as Kind;
  if (!(kind in ID)) return fail(c, 404, 'Not Found', `no route ${req.path}`);
  const id = rest.length > 1 ? rest.slice(1).join('/') : undefined;
  if (id === undefined) {
    if (req.method === 'GET') return list(c, rec, kind);
    if (req.method === 'POST') return create(c, rec, kind);
  } else {
    if (req.method === 'GET') return getOne(c, rec, kind, id);
    if (req.method === 'PATCH') return patch(c, rec, kind, id);
    if (req.method === 'DELETE') return remove(c, rec, kind, id);
  }
  return fail(c, 405, 'Method Not Allowed', `${req.method} is not allowed here`);
}

function store(rec: DeploymentRecord, kind: Kind): Map<string, Obj> {
  return rec.airflow[kind] as unknown as Map<string, Obj>;
}

function list(c: Ctx, rec: DeploymentRecord, kind: Kind): EmuReply {
  const q = c.req.query;
  const bad = ['limit', 'offset'].find((k) => q.get(k) !== null && !/^\d+$/.test(q.get(k)!));
  if (bad)
    return c.v === 2
      ? fail(c, 422, 'Unprocessable Entity', [
          { type: 'int_parsing', loc: ['query', bad], msg: 'Input should be a valid integer' },
        ])
      : fail(c, 400, 'Bad Request', `${bad} must be an integer`);
  // Airflow caps the page at [api] maximum_page_limit (100); the default differs by version.
  const limit = Math.min(Number(q.get('limit') ?? (c.v === 2 ? 50 : 100)), 100);
  const offset = Number(q.get('offset') ?? 0);
  const all = [...store(rec, kind).values()];
  const items = all.slice(offset, offset + limit).map((o) => shape(c.v, kind, o, 'list'));
  return { status: 200, json: { [kind]: items, total_entries: all.length } };
}

function getOne(c: Ctx, rec: DeploymentRecord, kind: Kind, id: string): EmuReply {
  const o = store(rec, kind).get(id);
  if (!o) return notFound(c, kind, id);
  return { status: 200, json: shape(c.v, kind, o, 'one') };
}

function create(c: Ctx, rec: DeploymentRecord, kind: Kind): EmuReply {
  const got = parse(c, kind, 'create');
  if ('reply' in got) return got.reply;
  const parsed = got.body;
  const id = String(parsed[ID[kind]]);
  const objects = store(rec, kind);
  // Airflow 2 overwrites a variable on POST (Variable.set); everything else is a duplicate.
  if (objects.has(id) && !(c.v === 1 && kind === 'variables')) {
    if (c.v === 2)
      return fail(
        c,
        409,
        'Conflict',
        `The ${NOUN[kind]} with ${ID[kind]}: \`${id}\` already exists`,
      );
    return fail(
      c,
      409,
      kind === 'connections'
        ? `Connection already exist. ID: ${id}`
        : `${NOUN[kind]} already exists`,
      `${NOUN[kind]} ${id} already exists`,
    );
  }
  const stored = normalize(kind, parsed);
  objects.set(id, stored);
  return { status: c.v === 2 ? 201 : 200, json: shape(c.v, kind, stored, 'one') };
}

function patch(c: Ctx, rec: DeploymentRecord, kind: Kind, id: string): EmuReply {
  const objects = store(rec, kind);
  const current = objects.get(id);
  if (!current) return notFound(c, kind, id);
  const got = parse(c, kind, c.v === 2 && kind === 'pools' ? 'patch' : 'create');
  if ('reply' in got) return got.reply;
  const parsed = got.body;
  if (parsed[ID[kind]] !== undefined && parsed[ID[kind]] !== id) {
    return fail(
      c,
      400,
      'Bad Request',
      `The ${ID[kind]} in the body (${String(parsed[ID[kind]])}) does not match the path (${id})`,
    );
  }
  const raw = c.req.query.getAll('update_mask');
  const mask = (c.v === 1 ? raw.flatMap((m) => m.split(',')) : raw)
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = mask.find((f) => !(f in FIELDS[kind]) || f === ID[kind]);
  if (unknown) return fail(c, 400, 'Bad Request', `update_mask field ${unknown} cannot be updated`);
  // Airflow 3 changes only slots and include_deferred of the default pool, named in the mask.
  if (
    c.v === 2 &&
    kind === 'pools' &&
    id === 'default_pool' &&
    (mask.length === 0 || mask.some((f) => f !== 'slots' && f !== 'include_deferred'))
  ) {
    return fail(
      c,
      400,
      'Bad Request',
      'Only slots and included_deferred can be modified on Default Pool',
    );
  }
  const updated = { ...current };
  for (const [k, v] of Object.entries(normalize(kind, parsed))) {
    if (k === ID[kind]) continue;
    if (mask.length ? mask.includes(k) : parsed[k] !== undefined) updated[k] = v;
  }
  objects.set(id, updated);
  return { status: 200, json: shape(c.v, kind, updated, 'one') };
}

function remove(c: Ctx, rec: DeploymentRecord, kind: Kind, id: string): EmuReply {
  const objects = store(rec, kind);
  if (!objects.has(id)) return notFound(c, kind, id);
  if (kind === 'pools' && id === 'default_pool')
    return fail(c, 400, 'Bad Request', "Default Pool can't be deleted");
  objects.delete(id);
  return { status: 204 };
}

function notFound(c: Ctx, kind: Kind, id: string): EmuReply {
  return fail(
    c,
    404,
    `${NOUN[kind]} not found`,
    `The ${NOUN[kind]} with ${ID[kind]}: \`${id}\` was not found`,
  );
}

/** The body, or the 400 (Airflow 2) / 422 (Airflow 3) a bad one earns. */
function parse(c: Ctx, kind: Kind, mode: 'create' | 'patch'): { body: Obj } | { reply: EmuReply } {
  let body: unknown;
  try {
    body = JSON.parse(c.req.body.toString('utf8') || 'null');
  } catch {
    return {
      reply:
        c.v === 2
          ? fail(c, 422, 'Unprocessable Entity', [
              { type: 'json_invalid', loc: ['body'], msg: 'JSON decode error' },
            ])
          : fail(c, 400, 'Bad Request', 'body is not JSON'),
    };
  }
  const problems: { loc: string; msg: string; type: string }[] = [];
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    problems.push({ loc: 'body', msg: 'Input should be an object', type: 'model_type' });
  } else {
    const o = body as Obj;
    const fields = FIELDS[kind];
    for (const [name, [type, required]] of Object.entries(fields)) {
      const v = o[name];
      if (v === undefined || v === null) {
        if (required && mode === 'create')
          problems.push({ loc: name, msg: 'Field required', type: 'missing' });
        continue;
      }
      const okType =
        type === 'any' ||
        (type === 'string'
          ? typeof v === 'string'
          : type === 'bool'
            ? typeof v === 'boolean'
            : Number.isInteger(v));
      if (!okType)
        problems.push({
          loc: name,
          msg: `Input should be a valid ${type === 'int' ? 'integer' : type === 'bool' ? 'boolean' : 'string'}`,
          type: `${type}_type`,
        });
    }
    for (const name of Object.keys(o)) {
      if (!(name in fields) && !(c.v === 2 && name === 'team_name'))
        problems.push({
          loc: name,
          msg: 'Extra inputs are not permitted',
          type: 'extra_forbidden',
        });
    }
    if (
      c.v === 2 &&
      kind === 'connections' &&
      typeof o.connection_id === 'string' &&
      !/^[\w.-]{1,200}$/.test(o.connection_id)
    ) {
      problems.push({
        loc: 'connection_id',
        msg: "String should match pattern '^[\\w.-]+$'",
        type: 'string_pattern_mismatch',
      });
    }
    if (c.v === 2 && kind === 'connections' && typeof o.extra === 'string' && o.extra !== '') {
      let extraOk = false;
      try {
        const e = JSON.parse(o.extra);
        extraOk = Boolean(e) && typeof e === 'object' && !Array.isArray(e);
      } catch {
        extraOk = false;
      }
      if (!extraOk)
        problems.push({
          loc: 'extra',
          msg: 'The `extra` field must be a valid JSON object',
          type: 'value_error',
        });
    }
    if (kind === 'pools' && typeof o.slots === 'number' && o.slots < -1)
      problems.push({
        loc: 'slots',
        msg: 'Input should be greater than or equal to -1',
        type: 'greater_than_equal',
      });
  }
  if (!problems.length) return { body: body as Obj };
  if (c.v === 2)
    return {
      reply: fail(
        c,
        422,
        'Unprocessable Entity',
        problems.map((p) => ({ type: p.type, loc: ['body', p.loc], msg: p.msg })),
      ),
    };
  return {
    reply: fail(c, 400, 'Bad Request', problems.map((p) => `${p.loc}: ${p.msg}`).join('; ')),
  };
}

/** What is stored: every field present, values as Airflow keeps them. */
function normalize(kind: Kind, body: Obj): Obj {
  const out: Obj = {};
  for (const name of Object.keys(FIELDS[kind]))
    if (body[name] !== undefined) out[name] = body[name];
  if (kind === 'variables' && typeof out.value !== 'string' && out.value !== undefined)
    out.value = JSON.stringify(out.value);
  if (kind === 'connections' && out.extra === '') out.extra = '{}';
  return out;
}

/** An object as the API returns it (Airflow 2 lists leave connection secrets out). */
function shape(v: 1 | 2, kind: Kind, o: Obj, how: 'list' | 'one'): Obj {
  const nul = (x: unknown) => (x === undefined ? null : x);
  if (kind === 'connections') {
    const c = o as unknown as AirflowConnection;
    const base: Obj = {
      connection_id: c.connection_id,
      conn_type: c.conn_type,
      description: nul(c.description),
      host: nul(c.host),
      login: nul(c.login),
      schema: nul(c.schema),
      port: nul(c.port),
    };
    if (v === 1) return how === 'list' ? base : { ...base, extra: nul(c.extra) };
    return {
      ...base,
      password: c.password ? '***' : null,
      extra: c.extra ? redactExtra(c.extra) : null,
      team_name: null,
    };
  }
  if (kind === 'variables') {
    const x = o as unknown as AirflowVariable;
    // Airflow 2 lists carry values too, whatever its OpenAPI file says.
    if (v === 1) return { key: x.key, value: x.value, description: nul(x.description) };
    return {
      key: x.key,
      value: SENSITIVE.test(x.key) ? '***' : x.value,
      description: nul(x.description),
      is_encrypted: true,
      team_name: null,
    };
  }
  const p = o as unknown as AirflowPool;
  const slots = p.slots;
  return {
    name: p.name,
    slots,
    description: nul(p.description),
    include_deferred: p.include_deferred ?? false,
    occupied_slots: 0,
    running_slots: 0,
    queued_slots: 0,
    scheduled_slots: 0,
    deferred_slots: 0,
    open_slots: slots,
    ...(v === 2 ? { team_name: null } : {}),
  };
}

function redactExtra(extra: string): string {
  try {
    const e = JSON.parse(extra) as Obj;
    if (!e || typeof e !== 'object' || Array.isArray(e)) return extra;
    for (const k of Object.keys(e)) if (SENSITIVE.test(k)) e[k] = '***';
    return JSON.stringify(e);
  } catch {
    return extra;
  }
}

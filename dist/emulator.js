import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// emulator/index.ts
import { createServer } from "node:http";

// emulator/airflow-api.ts
var ID = { connections: "connection_id", variables: "key", pools: "name" };
var NOUN = {
  connections: "Connection",
  variables: "Variable",
  pools: "Pool"
};
var FIELDS = {
  connections: {
    connection_id: ["string", true],
    conn_type: ["string", true],
    description: ["string", false],
    host: ["string", false],
    login: ["string", false],
    schema: ["string", false],
    port: ["int", false],
    password: ["string", false],
    extra: ["string", false]
  },
  variables: { key: ["string", true], value: ["any", true], description: ["string", false] },
  pools: {
    name: ["string", true],
    slots: ["int", true],
    description: ["string", false],
    include_deferred: ["bool", false]
  }
};
var SENSITIVE = /(access_token|api_key|apikey|authorization|passphrase|passwd|password|private_key|secret|token|keyfile_dict|service_account)/i;
function fail(c, status, title, detail) {
  if (c.v === 2) return { status, json: { detail: detail ?? title } };
  return {
    status,
    json: {
      type: `https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/${title.replace(/\W/g, "")}`,
      title,
      status,
      detail: typeof detail === "string" ? detail : detail === void 0 ? null : JSON.stringify(detail)
    }
  };
}
function handleAirflow(model, who, req) {
  const m = /^\/([^/]+)\/api\/v([12])(\/.*)?$/.exec(req.path);
  if (!m) return void 0;
  if (/%2F/i.test(req.path)) {
    const q = req.query.toString();
    const to = req.path.replace(/%2F/gi, "/").replace(/\/{2,}/g, "/");
    return {
      status: 308,
      headers: { location: `${to}${q ? `?${q}` : ""}`, "content-type": "text/plain" },
      text: "Permanent Redirect"
    };
  }
  const rec = model.deploymentBySlug(m[1]);
  if (rec && rec.creatingUntil > 0 && req.now < rec.creatingUntil + model.options.airflowApiDelayMs)
    return { status: 404, headers: { "content-type": "text/plain" }, text: "404 page not found" };
  const served = rec && (rec.dep.airflowVersion.startsWith("3.") ? 2 : 1);
  const v = Number(m[2]);
  const c = { v, req };
  if (!rec || served !== v) return fail(c, 404, "Not Found", `no Airflow API at ${req.path}`);
  if (typeof who === "string")
    return fail(c, 401, "Unauthorized", v === 2 ? "Not authenticated" : who);
  const allowed = (!who.organizationId || who.organizationId === rec.dep.organizationId) && (!who.workspaceId || who.workspaceId === rec.dep.workspaceId) && (!who.deploymentId || who.deploymentId === rec.dep.id);
  if (!allowed) return fail(c, 403, "Forbidden", "the token has no access to this Deployment");
  const rest = (m[3] ?? "").split("/").filter(Boolean).map(decodeURIComponent);
  if (rest[0] === "version" && rest.length === 1 && req.method === "GET")
    return { status: 200, json: { version: rec.dep.airflowVersion, git_version: null } };
  const kind = rest[0];
  if (!(kind in ID)) return fail(c, 404, "Not Found", `no route ${req.path}`);
  const id = rest.length > 1 ? rest.slice(1).join("/") : void 0;
  if (id === void 0) {
    if (req.method === "GET") return list(c, rec, kind);
    if (req.method === "POST") return create(c, rec, kind);
  } else {
    if (req.method === "GET") return getOne(c, rec, kind, id);
    if (req.method === "PATCH") return patch(c, rec, kind, id);
    if (req.method === "DELETE") return remove(c, rec, kind, id);
  }
  return fail(c, 405, "Method Not Allowed", `${req.method} is not allowed here`);
}
function store(rec, kind) {
  return rec.airflow[kind];
}
function list(c, rec, kind) {
  const q = c.req.query;
  const bad = ["limit", "offset"].find((k) => q.get(k) !== null && !/^\d+$/.test(q.get(k)));
  if (bad)
    return c.v === 2 ? fail(c, 422, "Unprocessable Entity", [
      { type: "int_parsing", loc: ["query", bad], msg: "Input should be a valid integer" }
    ]) : fail(c, 400, "Bad Request", `${bad} must be an integer`);
  const limit = Math.min(Number(q.get("limit") ?? (c.v === 2 ? 50 : 100)), 100);
  const offset = Number(q.get("offset") ?? 0);
  const all = [...store(rec, kind).values()];
  const items = all.slice(offset, offset + limit).map((o) => shape(c.v, kind, o, "list"));
  return { status: 200, json: { [kind]: items, total_entries: all.length } };
}
function getOne(c, rec, kind, id) {
  const o = store(rec, kind).get(id);
  if (!o) return notFound(c, kind, id);
  return { status: 200, json: shape(c.v, kind, o, "one") };
}
function create(c, rec, kind) {
  const got = parse(c, kind, "create");
  if ("reply" in got) return got.reply;
  const parsed = got.body;
  const id = String(parsed[ID[kind]]);
  const objects = store(rec, kind);
  if (objects.has(id) && !(c.v === 1 && kind === "variables")) {
    if (c.v === 2)
      return fail(
        c,
        409,
        "Conflict",
        `The ${NOUN[kind]} with ${ID[kind]}: \`${id}\` already exists`
      );
    return fail(
      c,
      409,
      kind === "connections" ? `Connection already exist. ID: ${id}` : `${NOUN[kind]} already exists`,
      `${NOUN[kind]} ${id} already exists`
    );
  }
  const stored = normalize(kind, parsed);
  objects.set(id, stored);
  return { status: c.v === 2 ? 201 : 200, json: shape(c.v, kind, stored, "one") };
}
function patch(c, rec, kind, id) {
  const objects = store(rec, kind);
  const current = objects.get(id);
  if (!current) return notFound(c, kind, id);
  const got = parse(c, kind, c.v === 2 && kind === "pools" ? "patch" : "create");
  if ("reply" in got) return got.reply;
  const parsed = got.body;
  if (parsed[ID[kind]] !== void 0 && parsed[ID[kind]] !== id) {
    return fail(
      c,
      400,
      "Bad Request",
      `The ${ID[kind]} in the body (${String(parsed[ID[kind]])}) does not match the path (${id})`
    );
  }
  const raw = c.req.query.getAll("update_mask");
  const mask = (c.v === 1 ? raw.flatMap((m) => m.split(",")) : raw).map((s) => s.trim()).filter(Boolean);
  const unknown = mask.find((f) => !(f in FIELDS[kind]) || f === ID[kind]);
  if (unknown) return fail(c, 400, "Bad Request", `update_mask field ${unknown} cannot be updated`);
  if (c.v === 2 && kind === "pools" && id === "default_pool" && (mask.length === 0 || mask.some((f) => f !== "slots" && f !== "include_deferred"))) {
    return fail(
      c,
      400,
      "Bad Request",
      "Only slots and included_deferred can be modified on Default Pool"
    );
  }
  const updated = { ...current };
  for (const [k, v] of Object.entries(normalize(kind, parsed))) {
    if (k === ID[kind]) continue;
    if (mask.length ? mask.includes(k) : parsed[k] !== void 0) updated[k] = v;
  }
  objects.set(id, updated);
  return { status: 200, json: shape(c.v, kind, updated, "one") };
}
function remove(c, rec, kind, id) {
  const objects = store(rec, kind);
  if (!objects.has(id)) return notFound(c, kind, id);
  if (kind === "pools" && id === "default_pool")
    return fail(c, 400, "Bad Request", "Default Pool can't be deleted");
  objects.delete(id);
  return { status: 204 };
}
function notFound(c, kind, id) {
  return fail(
    c,
    404,
    `${NOUN[kind]} not found`,
    `The ${NOUN[kind]} with ${ID[kind]}: \`${id}\` was not found`
  );
}
function parse(c, kind, mode) {
  let body;
  try {
    body = JSON.parse(c.req.body.toString("utf8") || "null");
  } catch {
    return {
      reply: c.v === 2 ? fail(c, 422, "Unprocessable Entity", [
        { type: "json_invalid", loc: ["body"], msg: "JSON decode error" }
      ]) : fail(c, 400, "Bad Request", "body is not JSON")
    };
  }
  const problems = [];
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    problems.push({ loc: "body", msg: "Input should be an object", type: "model_type" });
  } else {
    const o = body;
    const fields = FIELDS[kind];
    for (const [name, [type, required]] of Object.entries(fields)) {
      const v = o[name];
      if (v === void 0 || v === null) {
        if (required && mode === "create")
          problems.push({ loc: name, msg: "Field required", type: "missing" });
        continue;
      }
      const okType = type === "any" || (type === "string" ? typeof v === "string" : type === "bool" ? typeof v === "boolean" : Number.isInteger(v));
      if (!okType)
        problems.push({
          loc: name,
          msg: `Input should be a valid ${type === "int" ? "integer" : type === "bool" ? "boolean" : "string"}`,
          type: `${type}_type`
        });
    }
    for (const name of Object.keys(o)) {
      if (!(name in fields) && !(c.v === 2 && name === "team_name"))
        problems.push({
          loc: name,
          msg: "Extra inputs are not permitted",
          type: "extra_forbidden"
        });
    }
    if (c.v === 2 && kind === "connections" && typeof o.connection_id === "string" && !/^[\w.-]{1,200}$/.test(o.connection_id)) {
      problems.push({
        loc: "connection_id",
        msg: "String should match pattern '^[\\w.-]+$'",
        type: "string_pattern_mismatch"
      });
    }
    if (c.v === 2 && kind === "connections" && typeof o.extra === "string" && o.extra !== "") {
      let extraOk = false;
      try {
        const e = JSON.parse(o.extra);
        extraOk = Boolean(e) && typeof e === "object" && !Array.isArray(e);
      } catch {
        extraOk = false;
      }
      if (!extraOk)
        problems.push({
          loc: "extra",
          msg: "The `extra` field must be a valid JSON object",
          type: "value_error"
        });
    }
    if (kind === "pools" && typeof o.slots === "number" && o.slots < -1)
      problems.push({
        loc: "slots",
        msg: "Input should be greater than or equal to -1",
        type: "greater_than_equal"
      });
  }
  if (!problems.length) return { body };
  if (c.v === 2)
    return {
      reply: fail(
        c,
        422,
        "Unprocessable Entity",
        problems.map((p) => ({ type: p.type, loc: ["body", p.loc], msg: p.msg }))
      )
    };
  return {
    reply: fail(c, 400, "Bad Request", problems.map((p) => `${p.loc}: ${p.msg}`).join("; "))
  };
}
function normalize(kind, body) {
  const out = {};
  for (const name of Object.keys(FIELDS[kind]))
    if (body[name] !== void 0) out[name] = body[name];
  if (kind === "variables" && typeof out.value !== "string" && out.value !== void 0)
    out.value = JSON.stringify(out.value);
  if (kind === "connections" && out.extra === "") out.extra = "{}";
  return out;
}
function shape(v, kind, o, how) {
  const nul = (x) => x === void 0 ? null : x;
  if (kind === "connections") {
    const c = o;
    const base = {
      connection_id: c.connection_id,
      conn_type: c.conn_type,
      description: nul(c.description),
      host: nul(c.host),
      login: nul(c.login),
      schema: nul(c.schema),
      port: nul(c.port)
    };
    if (v === 1) return how === "list" ? base : { ...base, extra: nul(c.extra) };
    return {
      ...base,
      password: c.password ? "***" : null,
      extra: c.extra ? redactExtra(c.extra) : null,
      team_name: null
    };
  }
  if (kind === "variables") {
    const x = o;
    if (v === 1) return { key: x.key, value: x.value, description: nul(x.description) };
    return {
      key: x.key,
      value: SENSITIVE.test(x.key) ? "***" : x.value,
      description: nul(x.description),
      is_encrypted: true,
      team_name: null
    };
  }
  const p = o;
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
    ...v === 2 ? { team_name: null } : {}
  };
}
function redactExtra(extra) {
  try {
    const e = JSON.parse(extra);
    if (!e || typeof e !== "object" || Array.isArray(e)) return extra;
    for (const k of Object.keys(e)) if (SENSITIVE.test(k)) e[k] = "***";
    return JSON.stringify(e);
  } catch {
    return extra;
  }
}

// emulator/random.ts
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
function idMaker(random) {
  return () => {
    let s = "c";
    for (let i = 0; i < 24; i++) s += BASE36[Math.floor(random() * 36)];
    return s;
  };
}
var ADJECTIVES = [
  "cosmic",
  "stellar",
  "lunar",
  "orbital",
  "galactic",
  "nebular",
  "solar",
  "radiant",
  "polar",
  "silent"
];
var NOUNS = [
  "quasar",
  "pulsar",
  "nova",
  "comet",
  "meteor",
  "aurora",
  "zenith",
  "photon",
  "nebula",
  "eclipse"
];
function namespaceMaker(random) {
  return () => {
    const a = ADJECTIVES[Math.floor(random() * ADJECTIVES.length)];
    const n = NOUNS[Math.floor(random() * NOUNS.length)];
    return `${a}-${n}-${String(Math.floor(random() * 1e4)).padStart(4, "0")}`;
  };
}

// emulator/tar.ts
import { gunzipSync } from "node:zlib";
function archiveFormat(bytes) {
  if (bytes.length >= 2 && bytes[0] === 31 && bytes[1] === 139) return "tar.gz";
  if (bytes.length >= 262 && bytes.subarray(257, 262).toString("latin1") === "ustar") return "tar";
  if (bytes.length >= 1024 && bytes.subarray(0, 1024).every((b) => b === 0)) return "tar";
  return "other";
}
function tarEntries(bytes) {
  const format = archiveFormat(bytes);
  if (format === "other") return [];
  const tar = format === "tar.gz" ? gunzipSync(bytes) : bytes;
  const names = [];
  let longName;
  let pax;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header2 = tar.subarray(at, at + 512);
    if (header2.every((b) => b === 0)) break;
    const field = (start, len) => header2.subarray(start, start + len).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header2[156] || 48);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (type === "x") {
      pax = paxPath(data);
      continue;
    }
    if (type === "g") continue;
    const prefix = field(345, 155);
    const name = pax ?? longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    names.push(name);
    longName = pax = void 0;
  }
  return names;
}
function paxPath(body) {
  for (let at = 0; at < body.length; ) {
    const space = body.indexOf(32, at);
    const len = space < 0 ? NaN : parseInt(body.subarray(at, space).toString("latin1"), 10);
    if (!(len > 0)) return void 0;
    const record = body.subarray(space + 1, at + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (record.slice(0, eq) === "path") return record.slice(eq + 1);
    at += len;
  }
  return void 0;
}

// emulator/rollouts.ts
function rolloutUnderWay(rec, now) {
  const head = rec.rollouts[0];
  return head !== void 0 && now >= head.startedAt;
}
function startRollout(model, rec, record, v, now) {
  const mode = model.options.concurrentRollouts;
  const last = rec.rollouts.at(-1);
  const rolling = rolloutUnderWay(rec, now);
  const start = mode === "queue" && last ? last.finishedAt : Math.max(now, rec.creatingUntil, rec.wakingUntil) + (rolling ? 0 : model.options.rolloutLagMs);
  const own = {
    imageTag: v.isImage ? record.deploy.imageTag : void 0,
    dagTarballVersion: v.bundle ? void 0 : v.dags,
    dagBundles: v.bundle && v.dags ? { [v.bundle.name]: v.dags } : {}
  };
  const replaced = mode === "replace" ? last : void 0;
  if (replaced) replaced.superseded = true;
  const rollout = {
    deploymentId: rec.dep.id,
    deployId: record.deploy.id,
    finalizedAt: now,
    startedAt: start,
    finishedAt: start + model.options.rolloutDelayMs,
    imageTag: own.imageTag ?? replaced?.imageTag,
    dagTarballVersion: own.dagTarballVersion ?? replaced?.dagTarballVersion,
    bundleVersion: v.bundleVersion,
    dagBundles: { ...replaced?.dagBundles, ...own.dagBundles },
    carries: [record.deploy.id, ...replaced?.carries ?? []]
  };
  rec.rollouts = mode === "queue" ? [...rec.rollouts, rollout] : [rollout];
  model.rollouts.push(rollout);
  return rollout;
}
function settleRollouts(model, rec, now) {
  while (rec.rollouts.length && now >= rec.rollouts[0].finishedAt) {
    applyRollout(model, rec, rec.rollouts.shift());
  }
}
function applyRollout(model, rec, r) {
  const tagShown = model.options.imageTagAt === "finalize" && model.options.concurrentRollouts === "queue";
  if (r.imageTag && !tagShown) {
    rec.dep.imageTag = r.imageTag;
    rec.dep.imageVersion = r.imageTag;
  }
  if (r.dagTarballVersion) rec.dep.dagTarballVersion = r.dagTarballVersion;
  for (const [name, version] of Object.entries(r.dagBundles ?? {})) {
    const b = rec.dagBundles.find((x) => x.name === name);
    if (b) b.currentVersion = version;
  }
  if (r.bundleVersion) {
    const d = model.deploys.get(r.deployId);
    for (const b of d?.deploy.bundles ?? []) b.currentVersion = r.bundleVersion;
  }
  for (const id of r.carries) {
    const d = model.deploys.get(id)?.deploy;
    if (d?.status === "INITIALIZED") d.status = "DEPLOYED";
  }
  rec.dep.statusReason = "Successfully Deployed";
}

// emulator/options.ts
var CONCURRENT_ROLLOUTS = ["queue", "replace"];
var DEPLOY_STATUS_AT = ["finalize", "rollout-end"];
var ROLLBACK_RECORDS = ["versions", "versions-and-git", "bare"];
var MODEL_DEFAULTS = {
  seed: 1,
  createDelayMs: 300,
  rolloutDelayMs: 300,
  wakeDelayMs: 300,
  airflowApiDelayMs: 0,
  imageTagAt: "finalize",
  rolloutLagMs: 0,
  concurrentRollouts: "queue",
  deployStatusAt: "rollout-end",
  deleteLingerMs: 0,
  updates: "replace",
  deploysRefusedAt: "create",
  rollbackRecord: "versions"
};
function modelOptions(given = {}) {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== void 0));
  const o = { ...MODEL_DEFAULTS, ...set };
  if (!(o.rolloutLagMs >= 0 && o.rolloutLagMs <= 1e4))
    throw new Error(`rolloutLagMs must be 0..10000, got ${o.rolloutLagMs}`);
  oneOf("imageTagAt", o.imageTagAt, ["rollout-end", "finalize"]);
  oneOf("concurrentRollouts", o.concurrentRollouts, CONCURRENT_ROLLOUTS);
  oneOf("deployStatusAt", o.deployStatusAt, DEPLOY_STATUS_AT);
  oneOf("rollbackRecord", o.rollbackRecord, ROLLBACK_RECORDS);
  oneOf("updates", o.updates, ["replace", "merge"]);
  oneOf("deploysRefusedAt", o.deploysRefusedAt, ["create", "finalize"]);
  if (o.duplicateNameStatus !== void 0)
    oneOf("duplicateNameStatus", o.duplicateNameStatus, [400, 409]);
  if (o.organizationProduct !== void 0)
    oneOf("organizationProduct", o.organizationProduct, ["HOSTED", "HYBRID"]);
  return o;
}
function oneOf(name, value, allowed) {
  if (!allowed.includes(value))
    throw new Error(
      `${name} must be ${allowed.join(allowed.length > 2 ? ", " : " or ")}, got ${String(value)}`
    );
}

// emulator/model.ts
var MAIN_BUNDLE = "main";
var CLIENT_HEADERS = [
  "x-astro-client-identifier",
  "x-astro-client-version",
  "x-api-version",
  "user-agent"
];
var RUNTIME_RELEASES = [
  {
    version: "3.1-1",
    airflowVersion: "3.1.0",
    channel: "STABLE",
    releaseDate: "2025-10-01T00:00:00Z"
  },
  {
    version: "3.0-7",
    airflowVersion: "3.0.6",
    channel: "STABLE",
    releaseDate: "2025-08-20T00:00:00Z"
  },
  {
    version: "3.0-5",
    airflowVersion: "3.0.3",
    channel: "STABLE",
    releaseDate: "2025-07-10T00:00:00Z"
  },
  {
    version: "12.9.0",
    airflowVersion: "2.10.5",
    channel: "STABLE",
    releaseDate: "2025-05-01T00:00:00Z"
  },
  {
    version: "12.8.0",
    airflowVersion: "2.10.5",
    channel: "STABLE",
    releaseDate: "2025-03-01T00:00:00Z"
  },
  {
    version: "11.18.0",
    airflowVersion: "2.9.3",
    channel: "STABLE",
    releaseDate: "2024-11-01T00:00:00Z"
  }
];
var DEFAULT_RUNTIME = "3.0-7";
var Model = class {
  origin = "http://127.0.0.1:0";
  organizations = [];
  workspaces = [];
  deployments = /* @__PURE__ */ new Map();
  deploys = /* @__PURE__ */ new Map();
  blobs = /* @__PURE__ */ new Map();
  requests = [];
  rollouts = [];
  /** Uncommitted blocks per blob path (Put Block before Put Block List). */
  blocks = /* @__PURE__ */ new Map();
  /** Blocks of each blob's last commit (Put Block List may name them again). */
  committedBlocks = /* @__PURE__ */ new Map();
  newId;
  newNamespace;
  random;
  deploySeq = 0;
  versionSeq = 0;
  /** A DELETE: gone at once, or marked and left to linger (see deleteLingerMs). */
  deleteDeployment(id, now) {
    const rec = this.deployments.get(id);
    if (rec && this.options.deleteLingerMs > 0) rec.deletedAt = now;
    else this.deployments.delete(id);
  }
  /** Drops the deleted Deployments whose lingering is over. */
  purgeDeleted(now) {
    const linger = this.options.deleteLingerMs;
    for (const [id, rec] of this.deployments)
      if (rec.deletedAt !== void 0 && now - rec.deletedAt >= linger) this.deployments.delete(id);
  }
  options;
  constructor(options = {}) {
    this.options = modelOptions(options);
    this.random = seeded(this.options.seed);
    this.newId = idMaker(this.random);
    this.newNamespace = namespaceMaker(this.random);
  }
  token() {
    return Math.floor(this.random() * 2 ** 48).toString(36);
  }
  addOrganization(name, now = Date.now(), product = "HOSTED") {
    const at = iso(now);
    const org = {
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
      status: "ACTIVE"
    };
    this.organizations.push(org);
    return org;
  }
  addWorkspace(organizationId, name, now = Date.now()) {
    const ws = {
      id: this.newId(),
      name,
      organizationId,
      description: `${name} workspace`,
      cicdEnforcedDefault: false,
      createdAt: iso(now),
      updatedAt: iso(now)
    };
    this.workspaces.push(ws);
    return ws;
  }
  // ---- Deployments ----
  /** A new Deployment from a validated create body (fields as in DeploymentRequest). */
  createDeployment(body, by, now, creating = true) {
    const ws = this.workspaces.find((w) => w.id === body.workspaceId);
    const runtime = body.astroRuntimeVersion ?? DEFAULT_RUNTIME;
    const release = RUNTIME_RELEASES.find((r) => r.version === runtime);
    const af3 = release.airflowVersion.startsWith("3.");
    const id = this.newId();
    const slug = `d${id.slice(-8)}`;
    const namespace = this.newNamespace();
    const type = body.type ?? "STANDARD";
    const executor = body.executor ?? (af3 ? "ASTRO" : "CELERY");
    const host = this.origin.replace(/^https?:\/\//, "");
    const imageTag = this.imageTag(now);
    const secrets = /* @__PURE__ */ new Map();
    const dep = {
      id,
      name: String(body.name),
      description: body.description ?? "",
      organizationId: ws.organizationId,
      workspaceId: ws.id,
      workspaceName: ws.name,
      namespace,
      status: "CREATING",
      type,
      executor,
      ...type === "STANDARD" ? {
        cloudProvider: body.cloudProvider ?? "AWS",
        region: body.region ?? "us-east-1"
      } : {
        clusterId: body.clusterId ?? this.newId(),
        clusterName: "emulator-cluster"
      },
      airflowVersion: release.airflowVersion,
      astroRuntimeVersion: runtime,
      runtimeVersion: runtime,
      imageRepository: `${this.options.registry ?? "images.astronomer.cloud"}/${ws.organizationId}/${namespace}`,
      imageTag,
      imageVersion: imageTag,
      isCicdEnforced: body.isCicdEnforced ?? false,
      isDagDeployEnabled: body.isDagDeployEnabled ?? true,
      isDevelopmentMode: body.isDevelopmentMode ?? false,
      isHighAvailability: body.isHighAvailability ?? false,
      schedulerSize: body.schedulerSize ?? "SMALL",
      schedulerCpu: "1",
      schedulerMemory: "2Gi",
      schedulerReplicas: body.isHighAvailability ? 2 : 1,
      webServerCpu: "0.5",
      webServerMemory: "1Gi",
      webServerReplicas: 1,
      webServerUrl: `${host}/${slug}`,
      webServerIngressHostname: `${host}/${slug}`,
      // Deviation: Astro gives this without a scheme (https:// is meant). The emulator serves
      // plain http on loopback, so it states the scheme; clients must accept both.
      webServerAirflowApiUrl: `${this.origin}/${slug}/api/${af3 ? "v2" : "v1"}${this.options.airflowUrlQuery ? `?${this.options.airflowUrlQuery.replace(/^\?/, "")}` : ""}`,
      apiUrl: `${this.origin}/${slug}/api/${af3 ? "v2" : "v1"}`,
      uiUrl: `${this.origin}/${slug}`,
      defaultTaskPodCpu: body.defaultTaskPodCpu ?? "0.25",
      defaultTaskPodMemory: body.defaultTaskPodMemory ?? "0.5Gi",
      resourceQuotaCpu: body.resourceQuotaCpu ?? "10",
      resourceQuotaMemory: body.resourceQuotaMemory ?? "20Gi",
      environmentVariables: [],
      workerQueues: [],
      contactEmails: body.contactEmails ?? [],
      effectiveWorkloadIdentity: `arn:aws:iam::000000000000:role/${namespace}`,
      scalingSpec: {},
      createdAt: iso(now),
      updatedAt: iso(now),
      createdBy: by,
      updatedBy: by
    };
    const rec = {
      dep,
      slug,
      secrets,
      creatingUntil: creating ? now + this.options.createDelayMs : 0,
      scheduleHibernating: false,
      wakingUntil: 0,
      rollouts: [],
      airflow: { connections: /* @__PURE__ */ new Map(), variables: /* @__PURE__ */ new Map(), pools: /* @__PURE__ */ new Map() },
      dagBundles: []
    };
    this.applyFields(rec, body, now);
    if (dep.remoteExecution?.enabled) {
      dep.isDagDeployEnabled = false;
      dep.remoteExecution.remoteApiUrl = `${this.origin}/${slug}/api/v2`;
    }
    if (!dep.workerQueues?.length) {
      dep.workerQueues = [
        {
          id: this.newId(),
          name: "default",
          isDefault: true,
          maxWorkerCount: 10,
          minWorkerCount: 0,
          workerConcurrency: 5,
          podCpu: "1",
          podMemory: "2Gi",
          // Hybrid queues run on the cluster's node pools, hosted ones on Astro machines.
          ...type === "HYBRID" ? { nodePoolId: "np-default" } : { astroMachine: "A5" }
        }
      ];
    }
    rec.airflow.pools.set("default_pool", {
      name: "default_pool",
      slots: 128,
      description: "Default pool",
      include_deferred: false
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
  clearOmitted(rec, body) {
    if (this.options.updates === "merge") return;
    const d = rec.dep;
    for (const k of [
      "description",
      "contactEmails",
      "defaultTaskPodCpu",
      "defaultTaskPodMemory",
      "resourceQuotaCpu",
      "resourceQuotaMemory"
    ])
      if (body[k] === void 0) delete d[k];
    const spec = body.scalingSpec;
    if (!spec?.hibernationSpec?.schedules && rec.dep.scalingSpec?.hibernationSpec?.schedules)
      rec.dep.scalingSpec = {};
  }
  /** Fields a create or update body may set (validation happened before). */
  applyFields(rec, body, now) {
    const d = rec.dep;
    const simple = [
      "name",
      "description",
      "executor",
      "isCicdEnforced",
      "isDagDeployEnabled",
      "isHighAvailability",
      "schedulerSize",
      "defaultTaskPodCpu",
      "defaultTaskPodMemory",
      "resourceQuotaCpu",
      "resourceQuotaMemory",
      "contactEmails",
      "taskPodNodePoolId"
    ];
    for (const k of simple)
      if (body[k] !== void 0) d[k] = body[k];
    const remote = body.remoteExecution;
    if (remote?.enabled) {
      d.remoteExecution = {
        enabled: true,
        remoteApiUrl: d.remoteExecution?.remoteApiUrl,
        allowedIpAddressRanges: remote.allowedIpAddressRanges ?? [],
        ...remote.taskLogBucket ? { taskLogBucket: remote.taskLogBucket } : {},
        ...remote.taskLogUrlPattern ? { taskLogUrlPattern: remote.taskLogUrlPattern } : {}
      };
    }
    if (typeof body.workloadIdentity === "string" && body.workloadIdentity !== "")
      d.effectiveWorkloadIdentity = body.workloadIdentity;
    if (body.isHighAvailability !== void 0)
      d.schedulerReplicas = body.isHighAvailability ? 2 : 1;
    const scheduler = body.scheduler;
    if (scheduler) {
      d.schedulerAu = scheduler.au;
      d.schedulerReplicas = scheduler.replicas;
    } else if (d.type === "HYBRID" && d.schedulerAu === void 0) {
      d.schedulerAu = 5;
    }
    if (Array.isArray(body.environmentVariables)) {
      const vars = body.environmentVariables;
      const secrets = /* @__PURE__ */ new Map();
      d.environmentVariables = vars.map((v) => {
        if (v.isSecret) secrets.set(v.key, v.value ?? rec.secrets.get(v.key) ?? "");
        return {
          key: v.key,
          isSecret: v.isSecret,
          ...v.isSecret ? {} : { value: v.value ?? "" },
          updatedAt: iso(now)
        };
      });
      rec.secrets = secrets;
    }
    if (Array.isArray(body.workerQueues)) {
      d.workerQueues = body.workerQueues.map((q) => ({
        id: q.id ?? this.newId(),
        name: String(q.name),
        isDefault: Boolean(q.isDefault),
        maxWorkerCount: Number(q.maxWorkerCount),
        minWorkerCount: Number(q.minWorkerCount),
        workerConcurrency: Number(q.workerConcurrency),
        podCpu: "1",
        podMemory: "2Gi",
        ...q.astroMachine ? { astroMachine: String(q.astroMachine) } : {},
        ...q.nodePoolId ? { nodePoolId: String(q.nodePoolId) } : {},
        ...q.podEphemeralStorage ? { podEphemeralStorage: String(q.podEphemeralStorage) } : {}
      }));
    }
    const spec = body.scalingSpec;
    if (spec?.hibernationSpec?.schedules)
      d.scalingSpec = { hibernationSpec: { schedules: spec.hibernationSpec.schedules } };
    if (spec?.hibernationSpec?.override)
      rec.override = { ...spec.hibernationSpec.override, isActive: true };
    d.updatedAt = iso(now);
  }
  /** Applies what time has done (creation finished, rollout finished, override expired). */
  settle(rec, now) {
    const until = rec.override?.overrideUntil;
    if (until && Date.parse(until) <= now) rec.override = void 0;
    settleRollouts(this, rec, now);
  }
  /**
   * Why the Deployment takes no deploy now (hibernating, or still being created), if so. Astro
   * refuses a deploy to a hibernating Deployment (C4) without saying at which call: the
   * finalize (and a rollback) always, the create too with `deploysRefusedAt: 'create'` (the
   * default). `at`: the call asking.
   */
  deployBlocked(rec, now, at = "finalize") {
    if (at === "create" && this.options.deploysRefusedAt === "finalize") return void 0;
    this.settle(rec, now);
    if (this.isHibernating(rec))
      return "Deployment is hibernating; wake it (hibernation override isHibernating: false) before deploying";
    if (rec.creatingUntil > now)
      return `Deployment ${rec.dep.id} is still being created; deploy once it is HEALTHY`;
    return void 0;
  }
  isHibernating(rec) {
    return rec.override?.isHibernating ?? rec.scheduleHibernating;
  }
  status(rec, now) {
    this.settle(rec, now);
    if (this.isHibernating(rec)) return "HIBERNATING";
    if (rec.creatingUntil > now) return "CREATING";
    if (rolloutUnderWay(rec, now)) return "DEPLOYING";
    if (rec.wakingUntil > now) return "UNHEALTHY";
    return "HEALTHY";
  }
  /** The Deployment as GET returns it. */
  view(rec, now) {
    const status = this.status(rec, now);
    const d = structuredClone(rec.dep);
    d.status = status;
    if (status === "CREATING") d.statusReason = "Creating";
    if (status === "HIBERNATING") d.statusReason = "Hibernating";
    if (status === "UNHEALTHY") d.statusReason = "Waking from hibernation";
    if (status === "DEPLOYING") d.statusReason = "Deploying";
    const schedules = rec.dep.scalingSpec?.hibernationSpec?.schedules;
    d.scalingSpec = schedules || rec.override ? {
      hibernationSpec: {
        ...schedules ? { schedules } : {},
        ...rec.override ? { override: { ...rec.override } } : {}
      }
    } : {};
    if (d.isDevelopmentMode) {
      d.scalingStatus = {
        hibernationStatus: {
          isHibernating: this.isHibernating(rec),
          reason: rec.override ? "Hibernation override" : schedules ? "Hibernation schedule" : void 0
        }
      };
    }
    return d;
  }
  deploymentBySlug(slug) {
    for (const rec of this.deployments.values()) if (rec.slug === slug) return rec;
    return void 0;
  }
  // ---- Deploys ----
  imageTag(now) {
    return `deploy-${iso(now).slice(0, 19).replace(/:/g, "-")}-${++this.deploySeq}`;
  }
  /** A deploy in INITIALIZED state with its upload URLs (body validated before). */
  createDeploy(rec, body, by, now) {
    const d = rec.dep;
    const id = this.newId();
    const sig = this.token();
    const isBundle = body.type === "BUNDLE";
    const sas = `sv=2023-11-03&sr=b&sp=cw&se=${encodeURIComponent(iso(now + 36e5))}&sig=${sig}`;
    const blobBase = `${this.origin}/blobs/${d.organizationId}/${d.id}/${id}`;
    const deploy = {
      id,
      deploymentId: d.id,
      // The v1 Deploy.type enum has no BUNDLE: bundle deploys show as DAG_ONLY with bundle fields.
      type: isBundle ? "DAG_ONLY" : body.type,
      status: "INITIALIZED",
      imageRepository: d.imageRepository,
      imageTag: this.imageTag(now),
      isDagDeployEnabled: d.isDagDeployEnabled,
      createdAt: iso(now),
      updatedAt: iso(now),
      ...d.isDagDeployEnabled && !isBundle ? { dagsUploadUrl: `${blobBase}/dags?${sas}` } : {},
      ...isBundle ? {
        bundleUploadUrl: `${blobBase}/bundle?${sas}`,
        bundleMountPath: body.bundleMountPath,
        bundles: [
          {
            bundleType: String(body.bundleType),
            deployId: id,
            mountPath: String(body.bundleMountPath)
          }
        ]
      } : {},
      ...body.description !== void 0 ? { description: body.description } : {},
      airflowVersion: d.airflowVersion,
      astroRuntimeVersion: d.astroRuntimeVersion,
      ...body.git ? { git: structuredClone(body.git) } : {},
      createdBySubject: by
    };
    const record = {
      deploy,
      finalizeCount: 0,
      repeatedFinalizes: 0,
      uploads: { dags: /* @__PURE__ */ new Set(), bundle: /* @__PURE__ */ new Set() },
      sig,
      seq: ++this.deploySeq
    };
    this.deploys.set(id, record);
    return record;
  }
  /** Seeds history: a deploy as if made earlier (default: a finalized image-and-DAG deploy). */
  addDeploy(deploymentId, partial = {}) {
    const rec = this.deployments.get(deploymentId);
    if (!rec) throw new Error(`no Deployment ${deploymentId}`);
    const now = partial.createdAt ? Date.parse(partial.createdAt) : Date.now();
    const made = this.createDeploy(
      rec,
      {
        type: partial.type ?? "IMAGE_AND_DAG",
        description: partial.description,
        git: partial.git,
        bundleType: partial.bundles?.[0]?.bundleType ?? "dbt",
        bundleMountPath: partial.bundleMountPath ?? partial.bundles?.[0]?.mountPath ?? "/usr/local/airflow/dbt/project"
      },
      partial.createdBySubject ?? emulatorSubject,
      now
    );
    const { type: _type, ...rest } = partial;
    Object.assign(made.deploy, { status: "DEPLOYED" }, rest);
    return structuredClone(made.deploy);
  }
  deploysOf(deploymentId) {
    return [...this.deploys.values()].filter((r) => r.deploy.deploymentId === deploymentId).sort((a, b) => b.deploy.createdAt.localeCompare(a.deploy.createdAt) || b.seq - a.seq);
  }
  /**
   * Records a deploy finalized and starts the Deployment's rollout; the deploy shows DEPLOYED
   * now, or when that rollout ends (`deployStatusAt`).
   */
  finalize(rec, record, versions, now) {
    const deploy = record.deploy;
    if (this.options.deployStatusAt === "finalize") deploy.status = "DEPLOYED";
    deploy.updatedAt = iso(now);
    record.finalizeCount++;
    const isImage = deploy.type === "IMAGE_AND_DAG" || deploy.type === "IMAGE_ONLY";
    if (versions.dags) deploy.dagTarballVersion = versions.dags;
    if (versions.bundle) for (const b of deploy.bundles ?? []) b.desiredVersion = versions.bundle;
    const named = record.dagBundleName !== void 0 && record.dagBundleName !== MAIN_BUNDLE;
    const bundle = named ? rec.dagBundles.find((b) => b.name === record.dagBundleName) : void 0;
    if (bundle && versions.dags) {
      bundle.desiredVersion = versions.dags;
      bundle.updatedAt = iso(now);
    } else if (versions.dags) rec.dep.desiredDagTarballVersion = versions.dags;
    this.settle(rec, now);
    if (isImage && this.options.imageTagAt === "finalize") {
      rec.dep.imageTag = deploy.imageTag;
      rec.dep.imageVersion = deploy.imageTag;
    }
    startRollout(
      this,
      rec,
      record,
      { isImage, dags: versions.dags, bundleVersion: versions.bundle, bundle },
      now
    );
    rec.dep.updatedAt = iso(now);
  }
  /** Adds a named DAG bundle to a Deployment (as `POST …/bundles` would). */
  addDagBundle(rec, name, now) {
    if (name === MAIN_BUNDLE || rec.dagBundles.some((b2) => b2.name === name))
      throw new Error(`Deployment ${rec.dep.id} already has a DAG bundle named ${name}`);
    const b = { id: this.newId(), name, createdAt: iso(now), updatedAt: iso(now) };
    rec.dagBundles.push(b);
    return b;
  }
  /** The DAG bundles as v1alpha1 lists them: `main` (the Deployment's versions), then the named ones. */
  dagBundlesView(rec, now) {
    this.settle(rec, now);
    const d = rec.dep;
    const main = {
      id: `${d.id}-main`,
      type: "DEPLOY",
      isDagBundle: true,
      name: MAIN_BUNDLE,
      ...d.dagTarballVersion ? { currentVersion: d.dagTarballVersion } : {},
      ...d.desiredDagTarballVersion ? { desiredVersion: d.desiredDagTarballVersion } : {},
      createdAt: d.createdAt,
      updatedAt: d.updatedAt
    };
    const named = rec.dagBundles.map((b) => ({
      id: b.id,
      type: "DEPLOY",
      isDagBundle: true,
      name: b.name,
      ...b.currentVersion ? { currentVersion: b.currentVersion } : {},
      ...b.desiredVersion ? { desiredVersion: b.desiredVersion } : {},
      createdAt: b.createdAt,
      updatedAt: b.updatedAt,
      deletionIsPending: false
    }));
    return [main, ...named];
  }
  // ---- Blobs ----
  /** A new blob version id, shaped like Azure's (`2024-01-12T18:32:20.5898930Z`), unique. */
  newVersionId(now) {
    const seq = String(++this.versionSeq % 1e4).padStart(4, "0");
    return `${iso(now).slice(0, 23)}${seq}Z`;
  }
  storeBlob(record, target, bytes, contentType, now) {
    const blob = {
      versionId: this.newVersionId(now),
      deploymentId: record.deploy.deploymentId,
      deployId: record.deploy.id,
      target,
      bytes,
      format: archiveFormat(bytes),
      contentType,
      createdAt: iso(now)
    };
    this.blobs.set(blob.versionId, blob);
    record.uploads[target].add(blob.versionId);
    return blob;
  }
};
var emulatorSubject = {
  id: "cemulator000000000000000",
  subjectType: "SERVICEKEY",
  apiTokenName: "emulator"
};
function iso(ms) {
  return new Date(ms).toISOString();
}

// emulator/rollback.ts
var WINDOW_MS = 90 * 864e5;
var ships = (d, what) => what === "image" ? d.type === "IMAGE_AND_DAG" || d.type === "IMAGE_ONLY" : d.type === "IMAGE_AND_DAG" || d.type === "DAG_ONLY";
function rollbackRefusal(model, org, rec, target, now) {
  const t = target.deploy;
  if (org.product !== "HOSTED")
    return { status: 400, message: "deploy rollbacks are only available on Astro Hosted" };
  if (t.status !== "DEPLOYED")
    return {
      status: 400,
      message: `deploy ${t.id} is ${t.status}; only a DEPLOYED deploy can be rolled back to`
    };
  if (Date.parse(t.createdAt) < now - WINDOW_MS && model.deploysOf(rec.dep.id)[0] !== target)
    return {
      status: 400,
      message: `deploy ${t.id} is older than 90 days and is not the Deployment's last deploy, so its code is no longer kept`
    };
  const blocked = model.deployBlocked(rec, now);
  return blocked ? { status: 400, message: blocked } : void 0;
}
function rollback(model, rec, target, description, by, now) {
  const t = target.deploy;
  const upToTarget = model.deploysOf(rec.dep.id).filter((r) => r.seq <= target.seq);
  const restored = (what) => upToTarget.find(
    (r) => r.deploy.status === "DEPLOYED" && ships(r.deploy, what) && (what === "image" ? r.deploy.imageTag : r.deploy.dagTarballVersion)
  )?.deploy;
  const image = restored("image")?.imageTag;
  const dags = t.isDagDeployEnabled ? restored("dags")?.dagTarballVersion : void 0;
  const made = model.createDeploy(
    rec,
    { type: image ? "IMAGE_AND_DAG" : "DAG_ONLY", description },
    by,
    now
  );
  const d = made.deploy;
  delete d.dagsUploadUrl;
  d.imageTag = image ?? rec.dep.imageTag;
  if (dags) d.dagTarballVersion = dags;
  d.isDagDeployEnabled = t.isDagDeployEnabled;
  d.rollbackFromId = t.id;
  if (t.airflowVersion) d.airflowVersion = t.airflowVersion;
  if (t.astroRuntimeVersion) d.astroRuntimeVersion = t.astroRuntimeVersion;
  rec.dep.isDagDeployEnabled = t.isDagDeployEnabled;
  if (t.airflowVersion) rec.dep.airflowVersion = t.airflowVersion;
  if (t.astroRuntimeVersion)
    rec.dep.astroRuntimeVersion = rec.dep.runtimeVersion = t.astroRuntimeVersion;
  model.finalize(rec, made, { dags }, now);
  const shows = model.options.rollbackRecord;
  if (shows === "versions-and-git" && t.git) d.git = structuredClone(t.git);
  if (shows === "bare") {
    d.imageTag = "";
    delete d.dagTarballVersion;
  }
  return structuredClone(d);
}

// emulator/validate.ts
function check(schema, value, field = "body", out = []) {
  const fail2 = (code, message) => out.push({ field, code, message });
  switch (schema.t) {
    case "string":
      if (typeof value !== "string") return fail2("type", `${field} must be a string`), out;
      if (schema.enum && !schema.enum.includes(value))
        fail2("oneof", `${field} must be one of ${schema.enum.join(", ")}`);
      if (schema.max !== void 0 && value.length > schema.max)
        fail2("max", `${field} must be at most ${schema.max} characters`);
      if (schema.format === "date-time" && Number.isNaN(Date.parse(value)))
        fail2("datetime", `${field} must be an RFC 3339 date-time`);
      return out;
    case "boolean":
      if (typeof value !== "boolean") fail2("type", `${field} must be a boolean`);
      return out;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value))
        return fail2("type", `${field} must be an integer`), out;
      if (schema.min !== void 0 && value < schema.min)
        fail2("min", `${field} must be at least ${schema.min}`);
      if (schema.max !== void 0 && value > schema.max)
        fail2("max", `${field} must be at most ${schema.max}`);
      return out;
    case "array":
      if (!Array.isArray(value)) return fail2("type", `${field} must be an array`), out;
      value.forEach((item, i) => check(schema.items, item, `${field}[${i}]`, out));
      return out;
    case "object": {
      if (!value || typeof value !== "object" || Array.isArray(value))
        return fail2("type", `${field} must be an object`), out;
      const obj2 = value;
      const prefix = field === "body" ? "" : `${field}.`;
      for (const name of schema.required ?? []) {
        if (obj2[name] === void 0 || obj2[name] === null)
          out.push({
            field: `${prefix}${name}`,
            code: "required",
            message: `${prefix}${name} is required`
          });
      }
      for (const [name, v] of Object.entries(obj2)) {
        const sub = schema.props[name];
        if (!sub) {
          if (!schema.open)
            out.push({
              field: `${prefix}${name}`,
              code: "unknown",
              message: `unknown field ${prefix}${name}`
            });
          continue;
        }
        if (v === void 0 || v === null) continue;
        check(sub, v, `${prefix}${name}`, out);
      }
      return out;
    }
  }
}
var str = (extra = {}) => ({ t: "string", ...extra });
var bool = { t: "boolean" };
var int = (min, max) => ({ t: "integer", min, max });
var obj = (props, required = [], open = false) => ({ t: "object", props, required, open });
var arr = (items) => ({ t: "array", items });

// emulator/astro-api.ts
var DEPLOYMENT_TYPES = ["DEDICATED", "HYBRID", "STANDARD"];
var EXECUTORS = ["ASTRO", "CELERY", "KUBERNETES"];
var CLOUDS = ["AWS", "AZURE", "GCP"];
var SIZES = ["SMALL", "MEDIUM", "LARGE", "EXTRA_LARGE"];
var MACHINES = ["A5", "A10", "A20", "A40", "A60", "A120", "A160"];
var workerQueue = obj(
  {
    id: str(),
    name: str({ max: 63 }),
    isDefault: bool,
    maxWorkerCount: int(1),
    minWorkerCount: int(0),
    workerConcurrency: int(1),
    astroMachine: str({ enum: MACHINES }),
    nodePoolId: str(),
    podEphemeralStorage: str()
  },
  ["name", "isDefault", "maxWorkerCount", "minWorkerCount", "workerConcurrency"]
);
var envVar = obj({ key: str(), isSecret: bool, value: str() }, ["key", "isSecret"]);
var scalingSpec = obj({
  hibernationSpec: obj({
    schedules: arr(
      obj({ hibernateAtCron: str(), wakeAtCron: str(), isEnabled: bool, description: str() }, [
        "hibernateAtCron",
        "wakeAtCron",
        "isEnabled"
      ])
    ),
    override: obj({ isHibernating: bool, overrideUntil: str({ format: "date-time" }) })
  })
});
var commonDeploymentFields = {
  name: str({ max: 500 }),
  workspaceId: str(),
  type: str({ enum: DEPLOYMENT_TYPES }),
  description: str({ max: 1e3 }),
  executor: str({ enum: EXECUTORS }),
  isCicdEnforced: bool,
  isDagDeployEnabled: bool,
  isHighAvailability: bool,
  isDevelopmentMode: bool,
  schedulerSize: str({ enum: SIZES }),
  defaultTaskPodCpu: str(),
  defaultTaskPodMemory: str(),
  resourceQuotaCpu: str(),
  resourceQuotaMemory: str(),
  contactEmails: arr(str()),
  environmentVariables: arr(envVar),
  workerQueues: arr(workerQueue),
  workloadIdentity: str(),
  drWorkloadIdentity: str(),
  taskPodNodePoolId: str(),
  scheduler: obj({ au: int(5, 24), replicas: int(1, 4) }, ["au", "replicas"]),
  scalingSpec,
  // v1 DeploymentRemoteExecutionRequest (remoteApiUrl is only in responses).
  remoteExecution: obj(
    {
      enabled: bool,
      allowedIpAddressRanges: arr(str()),
      taskLogBucket: str(),
      taskLogUrlPattern: str()
    },
    ["enabled"]
  )
};
var createDeploymentSchema = obj(
  {
    ...commonDeploymentFields,
    astroRuntimeVersion: str(),
    cloudProvider: str({ enum: CLOUDS }),
    region: str(),
    clusterId: str()
  },
  ["name", "workspaceId"]
);
var updateDeploymentSchema = obj(commonDeploymentFields, [
  "type",
  "name",
  "workspaceId",
  "executor",
  "isCicdEnforced",
  "isDagDeployEnabled",
  "environmentVariables"
]);
var gitSchema = obj(
  {
    provider: str({ enum: ["GITHUB", "GENERIC"] }),
    commitSha: str(),
    account: str(),
    repo: str(),
    remoteUrl: str(),
    branch: str(),
    path: str(),
    commitUrl: str(),
    authorName: str(),
    authorUsername: str(),
    authorUrl: str(),
    beforeCommitSha: str()
  },
  ["provider", "commitSha"]
);
var createDeploySchema = obj(
  {
    type: str({ enum: ["IMAGE_AND_DAG", "IMAGE_ONLY", "DAG_ONLY", "BUNDLE"] }),
    description: str({ max: 500 }),
    bundleType: str(),
    bundleMountPath: str(),
    git: gitSchema
  },
  ["type"]
);
var rollbackSchema = obj({ description: str({ max: 500 }) });
var finalizeSchema = obj({ dagTarballVersion: str(), bundleTarballVersion: str() });
var overrideSchema = obj({ isHibernating: bool, overrideUntil: str({ format: "date-time" }) });
var Refusal = class extends Error {
  constructor(status, message, fieldErrors) {
    super(message);
    this.status = status;
    this.fieldErrors = fieldErrors;
  }
  status;
  fieldErrors;
};
function astroError(req, status, message, fieldErrors) {
  return {
    status,
    json: {
      message,
      requestId: req.requestId,
      statusCode: status,
      ...fieldErrors?.length ? { fieldErrors } : {}
    }
  };
}
function handleAstro(model, who, req, path) {
  return serve(model, req, () => route(model, who, req, path));
}
function serve(model, req, handle) {
  model.purgeDeleted(req.now);
  try {
    return handle();
  } catch (err) {
    if (err instanceof Refusal) return astroError(req, err.status, err.message, err.fieldErrors);
    throw err;
  }
}
function orgScope(model, who, orgId) {
  if (who.organizationId && who.organizationId !== orgId) {
    throw new Refusal(403, `the API token has no access to organization ${orgId}`);
  }
  const org = model.organizations.find((o) => o.id === orgId);
  if (!org) throw new Refusal(404, `organization ${orgId} not found`);
  const by = { id: who.tokenId, subjectType: "SERVICEKEY", apiTokenName: who.name };
  return { org, by };
}
function route(model, who, req, path) {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const m = req.method;
  if (parts[0] !== "organizations") throw new Refusal(404, `no route ${m} /v1${path}`);
  if (parts.length === 1) {
    allow(m, ["GET"]);
    const orgs = model.organizations.filter(
      (o) => !who.organizationId || o.id === who.organizationId
    );
    return ok(page(req, orgs, "organizations"));
  }
  const orgId = parts[1];
  const { org, by } = orgScope(model, who, orgId);
  if (parts.length === 2) {
    allow(m, ["GET"]);
    return ok(org);
  }
  const area = parts[2];
  if (area === "workspaces") {
    if (parts.length === 3) {
      allow(m, ["GET"]);
      const names = req.query.getAll("names");
      const ids = req.query.getAll("workspaceIds");
      const scopeWs = who.workspaceId ?? (who.deploymentId ? model.deployments.get(who.deploymentId)?.dep.workspaceId : void 0);
      const list2 = model.workspaces.filter(
        (w) => w.organizationId === orgId && (!names.length || names.includes(w.name)) && (!ids.length || ids.includes(w.id)) && (!scopeWs || w.id === scopeWs)
      );
      return ok(page(req, list2, "workspaces"));
    }
    allow(m, ["GET"]);
    const ws = model.workspaces.find((w) => w.id === parts[3] && w.organizationId === orgId);
    if (!ws) throw new Refusal(404, `workspace ${parts[3]} not found`);
    if (who.workspaceId && who.workspaceId !== ws.id)
      throw new Refusal(403, `the API token has no access to workspace ${ws.id}`);
    return ok(ws);
  }
  if (area === "deployment-options" && parts.length === 3) {
    allow(m, ["GET"]);
    return ok(deploymentOptions(model, who, req, orgId));
  }
  if (area !== "deployments") throw new Refusal(404, `no route ${m} /v1${path}`);
  if (parts.length === 3) {
    allow(m, ["GET", "POST"]);
    if (m === "GET") {
      const names = req.query.getAll("names");
      const ids = req.query.getAll("deploymentIds");
      const wss = req.query.getAll("workspaceIds");
      const list2 = [...model.deployments.values()].filter((r) => r.dep.organizationId === orgId).filter(
        (r) => (!who.workspaceId || r.dep.workspaceId === who.workspaceId) && (!who.deploymentId || r.dep.id === who.deploymentId)
      ).filter(
        (r) => (!names.length || names.includes(r.dep.name)) && (!ids.length || ids.includes(r.dep.id)) && (!wss.length || wss.includes(r.dep.workspaceId))
      );
      const p = page(req, list2, "deployments");
      p.deployments = p.deployments.map((r) => model.view(r, req.now));
      return ok(p);
    }
    const body2 = validBody(req, createDeploymentSchema);
    if (who.deploymentId)
      throw new Refusal(403, "a Deployment API token cannot create Deployments");
    const ws = model.workspaces.find(
      (w) => w.id === body2.workspaceId && w.organizationId === orgId
    );
    if (!ws)
      throw new Refusal(400, `workspace ${String(body2.workspaceId)} not found`, [
        { field: "workspaceId", code: "exists", message: "workspace not found" }
      ]);
    if (who.workspaceId && who.workspaceId !== ws.id)
      throw new Refusal(403, `the API token has no access to workspace ${ws.id}`);
    checkDeploymentRules(body2, "create");
    checkNameFree(model, ws.id, String(body2.name));
    const { environmentVariables: _env, contactEmails: _emails, ...applied } = body2;
    const rec2 = model.createDeployment(applied, by, req.now);
    return ok(model.view(rec2, req.now));
  }
  const rec = deploymentFor(model, who, orgId, parts[3], m);
  const dep = rec.dep;
  if (parts.length === 4) {
    allow(m, ["GET", "POST", "DELETE"]);
    if (m === "GET") return ok(model.view(rec, req.now));
    if (m === "DELETE") {
      if (who.deploymentId)
        throw new Refusal(403, "a Deployment API token cannot delete Deployments");
      model.deleteDeployment(dep.id, req.now);
      return { status: 204 };
    }
    const body2 = validBody(req, updateDeploymentSchema);
    if (body2.workspaceId !== dep.workspaceId) {
      throw new Refusal(400, "a Deployment cannot move to another workspace", [
        {
          field: "workspaceId",
          code: "immutable",
          message: "workspaceId must be the Deployment's workspace"
        }
      ]);
    }
    if (body2.type !== (dep.type ?? "STANDARD")) {
      throw new Refusal(400, `type cannot change (the Deployment is ${dep.type})`, [
        { field: "type", code: "immutable", message: "type cannot change" }
      ]);
    }
    if (model.options.refuseUpdatesWhileCreating && rec.creatingUntil > req.now)
      throw new Refusal(
        400,
        `Deployment ${dep.id} is still being created; update it once it is HEALTHY`
      );
    checkDeploymentRules(body2, "update", dep.isDevelopmentMode);
    checkRemoteExecutionKept(body2, dep);
    if (body2.name !== dep.name) checkNameFree(model, dep.workspaceId, String(body2.name));
    model.settle(rec, req.now);
    model.clearOmitted(rec, body2);
    model.applyFields(rec, body2, req.now);
    dep.updatedBy = by;
    return ok(model.view(rec, req.now));
  }
  const sub = parts[4];
  if (sub === "hibernation-override" && parts.length === 5) {
    allow(m, ["POST", "DELETE"]);
    if (!dep.isDevelopmentMode)
      throw new Refusal(
        400,
        `Deployment ${dep.id} is not a development Deployment; only development Deployments can hibernate`
      );
    if (m === "DELETE") {
      if (!rec.override) throw new Refusal(404, `Deployment ${dep.id} has no hibernation override`);
      const wasHibernating2 = model.isHibernating(rec);
      rec.override = void 0;
      if (wasHibernating2 && !model.isHibernating(rec))
        rec.wakingUntil = req.now + model.options.wakeDelayMs;
      return { status: 204 };
    }
    const body2 = validBody(req, overrideSchema);
    if (body2.overrideUntil !== void 0 && Date.parse(String(body2.overrideUntil)) <= req.now) {
      throw new Refusal(400, "overrideUntil must be in the future", [
        { field: "overrideUntil", code: "future", message: "overrideUntil must be in the future" }
      ]);
    }
    const wasHibernating = model.isHibernating(rec);
    const isHibernating = body2.isHibernating === void 0 ? true : Boolean(body2.isHibernating);
    rec.override = {
      isActive: true,
      isHibernating,
      ...body2.overrideUntil ? { overrideUntil: String(body2.overrideUntil) } : {}
    };
    if (wasHibernating && !isHibernating) rec.wakingUntil = req.now + model.options.wakeDelayMs;
    return ok({ ...rec.override });
  }
  if (sub !== "deploys") throw new Refusal(404, `no route ${m} /v1${path}`);
  if (parts.length === 5) {
    allow(m, ["GET", "POST"]);
    if (m === "GET") {
      model.settle(rec, req.now);
      const p = page(req, model.deploysOf(dep.id), "deploys");
      p.deploys = p.deploys.map((r) => deployView(r.deploy));
      return ok(p);
    }
    const blocked2 = model.deployBlocked(rec, req.now, "create");
    if (blocked2) throw new Refusal(400, blocked2);
    const body2 = validBody(req, createDeploySchema);
    const errors = [];
    if (body2.type === "BUNDLE") {
      if (!body2.bundleType)
        errors.push({
          field: "bundleType",
          code: "required_if",
          message: "bundleType is required for BUNDLE deploys"
        });
      if (!body2.bundleMountPath)
        errors.push({
          field: "bundleMountPath",
          code: "required_if",
          message: "bundleMountPath is required for BUNDLE deploys"
        });
    } else {
      if (body2.bundleType !== void 0)
        errors.push({
          field: "bundleType",
          code: "excluded_unless",
          message: "bundleType is only for BUNDLE deploys"
        });
      if (body2.bundleMountPath !== void 0)
        errors.push({
          field: "bundleMountPath",
          code: "excluded_unless",
          message: "bundleMountPath is only for BUNDLE deploys"
        });
    }
    if (body2.git) errors.push(...gitRules(body2.git));
    if (errors.length) throw new Refusal(400, "invalid request body", errors);
    if ((body2.type === "DAG_ONLY" || body2.type === "BUNDLE") && dep.remoteExecution?.enabled) {
      throw new Refusal(
        400,
        `${body2.type} deploys are not supported on Remote Execution Deployment ${dep.id}: DAG deploys are disabled; its DAGs come from the Remote Execution agents' DAG bundles`
      );
    }
    if ((body2.type === "DAG_ONLY" || body2.type === "BUNDLE") && !dep.isDagDeployEnabled) {
      throw new Refusal(
        400,
        `${body2.type} deploys need DAG deploys, which are not enabled on Deployment ${dep.id}`
      );
    }
    const remoteImageOnly = dep.remoteExecution?.enabled && !model.options.refuseRemoteImageOnly;
    if (body2.type === "IMAGE_ONLY" && !dep.isDagDeployEnabled && !remoteImageOnly) {
      throw new Refusal(
        400,
        `IMAGE_ONLY deploys need DAG deploys, which are not enabled on Deployment ${dep.id}; deploy IMAGE_AND_DAG with the DAGs in the image`
      );
    }
    const made = model.createDeploy(rec, body2, by, req.now);
    return ok(deployView(made.deploy));
  }
  const record = model.deploys.get(parts[5]);
  if (!record || record.deploy.deploymentId !== dep.id)
    throw new Refusal(404, `deploy ${parts[5]} not found`);
  if (parts.length === 6) {
    allow(m, ["GET"]);
    model.settle(rec, req.now);
    return ok(deployView(record.deploy));
  }
  if (parts[6] === "rollback" && parts.length === 7) {
    allow(m, ["POST"]);
    const body2 = validBody(req, rollbackSchema);
    model.settle(rec, req.now);
    const refusal = rollbackRefusal(model, org, rec, record, req.now);
    if (refusal) throw new Refusal(refusal.status, refusal.message);
    return ok(deployView(rollback(model, rec, record, body2.description, by, req.now)));
  }
  if (parts[6] !== "finalize" || parts.length !== 7)
    throw new Refusal(404, `no route ${m} /v1${path}`);
  allow(m, ["POST"]);
  const body = validBody(req, finalizeSchema);
  const deploy = record.deploy;
  if (deploy.status !== "INITIALIZED" || record.finalizeCount > 0) {
    record.repeatedFinalizes++;
    throw new Refusal(400, `deploy ${deploy.id} is already finalized (status ${deploy.status})`);
  }
  const blocked = model.deployBlocked(rec, req.now);
  if (blocked) throw new Refusal(400, blocked);
  const isBundle = Boolean(deploy.bundleUploadUrl);
  const needsDags = !isBundle && deploy.isDagDeployEnabled && (deploy.type === "IMAGE_AND_DAG" || deploy.type === "DAG_ONLY");
  const dags = body.dagTarballVersion || void 0;
  const bundle = body.bundleTarballVersion || void 0;
  if (body.dagTarballVersion !== void 0 && dep.remoteExecution?.enabled) {
    throw new Refusal(
      400,
      `dagTarballVersion is not accepted for a deploy to Remote Execution Deployment ${dep.id}: DAG deploys are disabled; finalize with {}`,
      [
        {
          field: "dagTarballVersion",
          code: "excluded_if",
          message: "dagTarballVersion cannot be set with Remote Execution"
        }
      ]
    );
  }
  if (needsDags && !dags) {
    throw new Refusal(400, `dagTarballVersion is required to finalize a ${deploy.type} deploy`, [
      { field: "dagTarballVersion", code: "required", message: "dagTarballVersion is required" }
    ]);
  }
  if (dags && !record.uploads.dags.has(dags)) {
    throw new Refusal(
      400,
      `dagTarballVersion ${dags} was not uploaded to this deploy's dagsUploadUrl`,
      [{ field: "dagTarballVersion", code: "unknown", message: "no such upload" }]
    );
  }
  if (isBundle && !bundle) {
    throw new Refusal(400, "bundleTarballVersion is required to finalize a BUNDLE deploy", [
      {
        field: "bundleTarballVersion",
        code: "required",
        message: "bundleTarballVersion is required"
      }
    ]);
  }
  if (bundle && !record.uploads.bundle.has(bundle)) {
    throw new Refusal(
      400,
      `bundleTarballVersion ${bundle} was not uploaded to this deploy's bundleUploadUrl`,
      [{ field: "bundleTarballVersion", code: "unknown", message: "no such upload" }]
    );
  }
  model.finalize(rec, record, { dags, bundle }, req.now);
  return ok(deployView(deploy));
}
function deploymentFor(model, who, orgId, id, method = "GET") {
  if (who.deploymentId && who.deploymentId !== id)
    throw new Refusal(403, `the API token has no access to Deployment ${id}`);
  const rec = model.deployments.get(id);
  if (!rec || rec.dep.organizationId !== orgId)
    throw new Refusal(404, `Deployment ${id} not found`);
  if (who.workspaceId && who.workspaceId !== rec.dep.workspaceId)
    throw new Refusal(403, `the API token has no access to Deployment ${id}`);
  if (rec.deletedAt !== void 0 && method !== "GET")
    throw new Refusal(404, `Deployment ${id} not found`);
  return rec;
}
function checkNameFree(model, workspaceId, name) {
  for (const r of model.deployments.values()) {
    if (r.dep.workspaceId === workspaceId && r.dep.name === name) {
      throw new Refusal(
        model.options.duplicateNameStatus ?? 400,
        `a Deployment named ${name} already exists in workspace ${workspaceId}`,
        [{ field: "name", code: "unique", message: "a Deployment with this name already exists" }]
      );
    }
  }
}
var NAME_EDGES = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su;
function checkRemoteExecutionKept(body, dep) {
  const wanted = body.remoteExecution?.enabled === true;
  if (wanted !== (dep.remoteExecution?.enabled === true)) {
    throw new Refusal(400, `remoteExecution.enabled cannot change on Deployment ${dep.id}`, [
      { field: "remoteExecution.enabled", code: "immutable", message: "cannot change" }
    ]);
  }
}
function remoteExecutionRules(body, type) {
  if (body.remoteExecution?.enabled !== true) return [];
  const errors = [];
  const rule = (field, message) => errors.push({ field, code: "excluded_if", message });
  if (type !== "DEDICATED") rule("type", "Remote Execution needs a DEDICATED Deployment");
  if ((body.executor ?? "ASTRO") !== "ASTRO")
    rule("executor", "Remote Execution needs the ASTRO executor");
  if (body.isDagDeployEnabled === true)
    rule("isDagDeployEnabled", "DAG deploys cannot be enabled with Remote Execution");
  const release = RUNTIME_RELEASES.find((r) => r.version === body.astroRuntimeVersion);
  if (release && !release.airflowVersion.startsWith("3."))
    rule("astroRuntimeVersion", "Remote Execution needs Airflow 3");
  return errors;
}
function checkDeploymentRules(body, mode, wasDevelopmentMode) {
  const type = body.type ?? "STANDARD";
  const errors = remoteExecutionRules(body, type);
  if (typeof body.name === "string" && !NAME_EDGES.test(body.name)) {
    errors.push({
      field: "name",
      code: "format",
      message: "name must start and end with a letter or a digit"
    });
  }
  if (body.executor === "KUBERNETES" && body.workerQueues !== void 0) {
    errors.push({
      field: "workerQueues",
      code: "excluded_if",
      message: "workerQueues cannot be set with the KUBERNETES executor"
    });
  }
  const spec = body.scalingSpec;
  const dev = body.isDevelopmentMode ?? wasDevelopmentMode ?? false;
  if (spec?.hibernationSpec?.schedules?.length && !dev) {
    errors.push({
      field: "scalingSpec.hibernationSpec.schedules",
      code: "excluded_unless",
      message: "hibernation schedules are only for development Deployments (isDevelopmentMode)"
    });
  }
  if (mode === "create" && body.astroRuntimeVersion !== void 0 && !RUNTIME_RELEASES.some((r) => r.version === body.astroRuntimeVersion)) {
    errors.push({
      field: "astroRuntimeVersion",
      code: "oneof",
      message: `unknown Astro Runtime version ${String(body.astroRuntimeVersion)}`
    });
  }
  if (body.cloudProvider === void 0 !== (body.region === void 0) && body.clusterId === void 0 && type === "STANDARD") {
    errors.push({
      field: "region",
      code: "required_with",
      message: "cloudProvider and region go together"
    });
  }
  if (type === "HYBRID") {
    for (const f of [
      "schedulerSize",
      "isHighAvailability",
      "isDevelopmentMode",
      "scalingSpec",
      "cloudProvider",
      "region"
    ]) {
      if (body[f] !== void 0)
        errors.push({ field: f, code: "excluded", message: `${f} is not for HYBRID Deployments` });
    }
    if (body.executor === "ASTRO")
      errors.push({
        field: "executor",
        code: "oneof",
        message: "HYBRID Deployments use CELERY or KUBERNETES"
      });
    if (mode === "update" && body.scheduler === void 0)
      errors.push({ field: "scheduler", code: "required", message: "scheduler is required" });
  } else {
    if (body.scheduler !== void 0)
      errors.push({
        field: "scheduler",
        code: "excluded",
        message: "scheduler is only for HYBRID Deployments"
      });
    if (mode === "update") {
      for (const f of ["isHighAvailability", "schedulerSize"])
        if (body[f] === void 0)
          errors.push({ field: f, code: "required", message: `${f} is required` });
    }
  }
  const queues = body.workerQueues ?? [];
  queues.forEach((q, i) => {
    if (type === "HYBRID" ? !q.nodePoolId : !q.astroMachine) {
      const f = type === "HYBRID" ? "nodePoolId" : "astroMachine";
      errors.push({
        field: `workerQueues[${i}].${f}`,
        code: "required",
        message: `${f} is required`
      });
    }
  });
  if (body.executor === "CELERY" && queues.length && !queues.some((q) => q.name === "default")) {
    errors.push({
      field: "workerQueues",
      code: "default",
      message: "a worker queue named default is required"
    });
  }
  if (errors.length) throw new Refusal(400, "invalid request body", errors);
}
function gitRules(git) {
  const errors = [];
  const need = (f, why) => !git[f] && errors.push({ field: `git.${f}`, code: "required_if", message: `git.${f} is required ${why}` });
  const forbid = (f, why) => git[f] && errors.push({
    field: `git.${f}`,
    code: "excluded_if",
    message: `git.${f} must be empty ${why}`
  });
  if (git.provider === "GITHUB") {
    need("account", "for GITHUB");
    need("repo", "for GITHUB");
    forbid("remoteUrl", "for GITHUB");
  } else {
    need("remoteUrl", "for GENERIC");
    forbid("account", "for GENERIC");
    forbid("repo", "for GENERIC");
  }
  return errors;
}
function deployView(deploy) {
  return structuredClone(deploy);
}
function deploymentOptions(model, who, req, orgId) {
  const errors = [];
  const enumParam = (name, values) => {
    const v = req.query.get(name);
    if (v !== null && !values.includes(v))
      errors.push({
        field: name,
        code: "oneof",
        message: `${name} must be one of ${values.join(", ")}`
      });
  };
  enumParam("deploymentType", DEPLOYMENT_TYPES);
  enumParam("executor", EXECUTORS);
  enumParam("cloudProvider", CLOUDS);
  if (errors.length) throw new Refusal(400, "invalid query parameters", errors);
  const deploymentId = req.query.get("deploymentId");
  if (deploymentId) deploymentFor(model, who, orgId, deploymentId);
  const range = (floor, ceiling, def) => ({ floor, ceiling, default: def });
  return {
    executors: [...EXECUTORS],
    runtimeReleases: RUNTIME_RELEASES.map((r) => ({
      ...r,
      airflowDatabaseMigration: false,
      stellarDatabaseMigration: false
    })),
    schedulerMachines: SIZES.map((name, i) => ({
      name,
      spec: { cpu: String(2 ** i), memory: `${2 ** (i + 1)}Gi` }
    })),
    workerMachines: MACHINES.map((name) => ({
      name,
      spec: {
        cpu: String(Number(name.slice(1)) / 5),
        memory: `${Number(name.slice(1)) / 5 * 2}Gi`
      },
      concurrency: range(1, Number(name.slice(1)) * 2, Number(name.slice(1)))
    })),
    workerQueues: {
      maxWorkers: range(1, 100, 10),
      minWorkers: range(0, 100, 0),
      workerConcurrency: range(1, 320, 5)
    },
    resourceQuotas: {
      defaultPodSize: {
        cpu: { floor: "0.25", ceiling: "8", default: "0.25" },
        memory: { floor: "0.5Gi", ceiling: "16Gi", default: "0.5Gi" }
      },
      resourceQuota: {
        cpu: { floor: "1", ceiling: "1000", default: "10" },
        memory: { floor: "2Gi", ceiling: "2000Gi", default: "20Gi" }
      }
    }
  };
}
function allow(method, methods) {
  if (!methods.includes(method)) throw new Refusal(405, `method ${method} not allowed here`);
}
function ok(json) {
  return { status: 200, json };
}
function validBody(req, schema) {
  let body;
  try {
    body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
  } catch {
    throw new Refusal(400, "request body is not valid JSON");
  }
  const errors = check(schema, body);
  if (errors.length)
    throw new Refusal(
      400,
      `invalid request body: ${errors.map((e) => e.message).join("; ")}`,
      errors
    );
  return body;
}
function page(req, items, key) {
  const errors = [];
  const num = (name, def, max) => {
    const raw = req.query.get(name);
    if (raw === null) return def;
    if (!/^\d+$/.test(raw)) {
      errors.push({ field: name, code: "type", message: `${name} must be a non-negative integer` });
      return def;
    }
    const n = Number(raw);
    if (max !== void 0 && n > max)
      errors.push({ field: name, code: "max", message: `${name} must be at most ${max}` });
    return n;
  };
  const offset = num("offset", 0);
  const limit = num("limit", 20, 1e3);
  if (errors.length)
    throw new Refusal(400, `invalid paging: ${errors.map((e) => e.message).join("; ")}`, errors);
  return { [key]: items.slice(offset, offset + limit), limit, offset, totalCount: items.length };
}

// emulator/blob-api.ts
function azureError(req, status, code, message) {
  return {
    status,
    headers: {
      "content-type": "application/xml",
      "x-ms-request-id": req.requestId,
      "x-ms-error-code": code
    },
    text: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}
RequestId:${req.requestId}</Message></Error>`
  };
}
function handleBlob(model, req) {
  const [, , orgId, deploymentId, deployId, target, ...rest] = req.path.split("/");
  const record = model.deploys.get(deployId ?? "");
  const valid = record && !rest.length && record.deploy.deploymentId === deploymentId && model.deployments.get(deploymentId)?.dep.organizationId === orgId;
  const url = target === "dags" ? record?.deploy.dagsUploadUrl : target === "bundle" ? record?.deploy.bundleUploadUrl : void 0;
  if (!valid || !url)
    return azureError(req, 404, "ResourceNotFound", "The specified resource does not exist.");
  if (req.query.get("sig") !== record.sig || !req.query.get("sv")) {
    return azureError(
      req,
      403,
      "AuthenticationFailed",
      "Server failed to authenticate the request. Make sure the value of the Authorization header is formed correctly including the signature."
    );
  }
  if (req.method !== "PUT")
    return azureError(
      req,
      405,
      "UnsupportedHttpVerb",
      "The resource doesn't support the specified HTTP verb."
    );
  const kind = target;
  const comp = req.query.get("comp");
  const blobKey = `${deployId}/${kind}`;
  const headers = (versionId) => ({
    "x-ms-request-id": req.requestId,
    "x-ms-version": "2023-11-03",
    etag: `"0x${Date.now().toString(16).toUpperCase()}"`,
    "last-modified": new Date(req.now).toUTCString(),
    ...versionId ? { "x-ms-version-id": versionId } : {}
  });
  if (comp === null) {
    const type = req.headers["x-ms-blob-type"];
    if (!type)
      return azureError(
        req,
        400,
        "MissingRequiredHeader",
        "An HTTP header that's mandatory for this request is not specified: x-ms-blob-type."
      );
    if (type !== "BlockBlob")
      return azureError(
        req,
        400,
        "InvalidHeaderValue",
        "The value for one of the HTTP headers is not in the correct format: x-ms-blob-type."
      );
    const blob = model.storeBlob(record, kind, req.body, req.headers["content-type"], req.now);
    return { status: 201, headers: headers(blob.versionId) };
  }
  if (comp === "block") {
    const id = req.query.get("blockid");
    if (!id || !/^[A-Za-z0-9+/]+={0,2}$/.test(id) || Buffer.from(id, "base64").length > 64) {
      return azureError(
        req,
        400,
        "InvalidQueryParameterValue",
        "Value for one of the query parameters specified in the request URI is invalid: blockid."
      );
    }
    const blocks = model.blocks.get(blobKey) ?? /* @__PURE__ */ new Map();
    const other = blocks.keys().next().value;
    if (other !== void 0 && other.length !== id.length) {
      return azureError(
        req,
        400,
        "InvalidBlobOrBlock",
        "The specified blob or block content is invalid (block ids of one blob must have equal length)."
      );
    }
    blocks.set(id, req.body);
    model.blocks.set(blobKey, blocks);
    return { status: 201, headers: headers() };
  }
  if (comp === "blocklist") {
    const xml = req.body.toString("utf8");
    if (!/<BlockList>/.test(xml))
      return azureError(
        req,
        400,
        "InvalidXmlDocument",
        "XML specified is not syntactically valid."
      );
    const wanted = [...xml.matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)];
    const uncommitted = model.blocks.get(blobKey) ?? /* @__PURE__ */ new Map();
    const committed = model.committedBlocks.get(blobKey) ?? /* @__PURE__ */ new Map();
    const parts = [];
    const next = /* @__PURE__ */ new Map();
    for (const [, list2, id] of wanted) {
      const b = list2 === "Committed" ? committed.get(id) : list2 === "Uncommitted" ? uncommitted.get(id) : uncommitted.get(id) ?? committed.get(id);
      if (!b)
        return azureError(req, 400, "InvalidBlockList", "The specified block list is invalid.");
      parts.push(b);
      next.set(id, b);
    }
    model.blocks.delete(blobKey);
    model.committedBlocks.set(blobKey, next);
    const contentType = req.headers["x-ms-blob-content-type"];
    const blob = model.storeBlob(
      record,
      kind,
      Buffer.concat(parts),
      Array.isArray(contentType) ? contentType[0] : contentType,
      req.now
    );
    return { status: 201, headers: headers(blob.versionId) };
  }
  return azureError(
    req,
    400,
    "InvalidQueryParameterValue",
    `Value for one of the query parameters specified in the request URI is invalid: comp.`
  );
}

// emulator/v1alpha1.ts
var createSchema = obj(
  {
    type: str({ enum: ["IMAGE", "DAG"] }),
    description: str({ max: 500 }),
    dagBundleName: str(),
    git: gitSchema
  },
  ["type"]
);
function handleV1alpha1(model, who, req, path) {
  return serve(model, req, () => route2(model, who, req, path));
}
function route2(model, who, req, path) {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const m = req.method;
  const noRoute = () => new Refusal(404, `no route ${m} /v1alpha1${path}`);
  if (parts[0] !== "organizations" || parts[2] !== "deployments" || parts.length !== 5)
    throw noRoute();
  const orgId = parts[1];
  const { by } = orgScope(model, who, orgId);
  const rec = deploymentFor(model, who, orgId, parts[3], m);
  if (parts[4] === "bundles") {
    allow(m, ["GET"]);
    return ok(listBundles(model, rec, req));
  }
  if (parts[4] !== "deploys") throw noRoute();
  allow(m, ["POST"]);
  return createDeploy(model, rec, req, by);
}
function listBundles(model, rec, req) {
  const errors = [];
  const isDag = req.query.get("isDagBundle");
  if (isDag !== null && isDag !== "true" && isDag !== "false")
    errors.push({ field: "isDagBundle", code: "type", message: "isDagBundle must be a boolean" });
  const type = req.query.get("type");
  if (type !== null && type !== "DEPLOY")
    errors.push({ field: "type", code: "oneof", message: "type must be one of DEPLOY" });
  if (errors.length) throw new Refusal(400, "invalid query parameters", errors);
  const af3 = rec.dep.airflowVersion.startsWith("3.");
  const all = af3 ? model.dagBundlesView(rec, req.now) : [];
  return page(req, isDag === "false" ? [] : all, "bundles");
}
function createDeploy(model, rec, req, by) {
  const blocked = model.deployBlocked(rec, req.now, "create");
  if (blocked) throw new Refusal(400, blocked);
  const body = validBody(req, createSchema);
  const dep = rec.dep;
  if (body.git) {
    const errors = gitRules(body.git);
    if (errors.length) throw new Refusal(400, "invalid request body", errors);
  }
  const name = body.dagBundleName;
  if (name !== void 0 && !dep.airflowVersion.startsWith("3."))
    throw new Refusal(
      400,
      `Deployment ${dep.id} runs Airflow ${dep.airflowVersion}; DAG bundles need Airflow 3`,
      [{ field: "dagBundleName", code: "unsupported", message: "DAG bundles need Airflow 3" }]
    );
  if (name !== void 0 && name !== MAIN_BUNDLE && !rec.dagBundles.some((b) => b.name === name))
    throw new Refusal(400, `DAG bundle ${name} not found on Deployment ${dep.id}`, [
      { field: "dagBundleName", code: "exists", message: "no DAG bundle with this name" }
    ]);
  if ((name !== void 0 || body.type === "DAG") && !dep.isDagDeployEnabled)
    throw new Refusal(
      400,
      `deploys to a DAG bundle need DAG deploys, which are not enabled on Deployment ${dep.id}`
    );
  const made = model.createDeploy(
    rec,
    {
      type: body.type === "IMAGE" ? "IMAGE_AND_DAG" : "DAG_ONLY",
      description: body.description,
      git: body.git
    },
    by,
    req.now
  );
  if (name !== void 0) made.dagBundleName = name;
  return ok(deployView(made.deploy));
}

// emulator/faults.ts
var DEFAULT_FAULT_KINDS = ["429", "500", "502", "503", "504", "reset"];
var Faults = class {
  constructor(options = { rate: 0 }) {
    this.options = options;
    this.random = seeded(options.seed ?? 1);
  }
  options;
  random;
  injected = 0;
  /** The fault for this request, if any. */
  pick(req) {
    const o = this.options;
    if (o.permanent) return "503";
    if (!o.rate || o.match && !o.match(req)) return void 0;
    if (o.limit !== void 0 && this.injected >= o.limit) return void 0;
    if (this.random() >= o.rate) return void 0;
    const kinds = o.kinds?.length ? o.kinds : DEFAULT_FAULT_KINDS;
    this.injected++;
    return kinds[Math.floor(this.random() * kinds.length)];
  }
};

// emulator/seed.ts
function seedWorld(model, now = Date.now()) {
  const hybrid = model.options.organizationProduct === "HYBRID";
  const org = model.addOrganization(
    "Emulated Organization",
    now - 90 * 864e5,
    model.options.organizationProduct
  );
  const ws = model.addWorkspace(org.id, "data-platform", now - 90 * 864e5);
  const made = now - 30 * 864e5;
  const analytics = model.createDeployment(
    {
      name: "analytics",
      workspaceId: ws.id,
      astroRuntimeVersion: "3.0-7",
      description: "Analytics DAGs",
      isDagDeployEnabled: true,
      // An Astro Hybrid organization runs HYBRID Deployments on its own clusters.
      ...hybrid ? { type: "HYBRID" } : {}
    },
    emulatorSubject,
    made,
    false
  );
  analytics.dep.dagTarballVersion = analytics.dep.desiredDagTarballVersion = model.newVersionId(made);
  model.addDagBundle(analytics, "reporting", made);
  fill(analytics, {
    connections: [
      {
        connection_id: "aws_default",
        conn_type: "aws",
        description: "AWS access",
        extra: '{"region_name": "us-east-1"}'
      },
      {
        connection_id: "warehouse_db",
        conn_type: "postgres",
        host: "db.internal",
        login: "analytics",
        password: "pg-secret",
        port: 5432,
        schema: "public"
      },
      {
        connection_id: "slack_alerts",
        conn_type: "http",
        host: "hooks.slack.test",
        password: "slack-token"
      }
    ],
    variables: [
      { key: "environment", value: "production", description: "Where this runs" },
      { key: "retention_days", value: "30" },
      { key: "feature_flags", value: '{"new_ui": true}' }
    ],
    pools: [
      { name: "etl", slots: 8, description: "Extract and load", include_deferred: false },
      { name: "reporting", slots: 4, include_deferred: true }
    ]
  });
  const warehouse = model.createDeployment(
    {
      name: "warehouse",
      workspaceId: ws.id,
      astroRuntimeVersion: "12.9.0",
      executor: "CELERY",
      description: "Warehouse loads",
      isDagDeployEnabled: false,
      ...hybrid ? { type: "HYBRID" } : {}
    },
    emulatorSubject,
    made,
    false
  );
  fill(warehouse, {
    connections: [
      {
        connection_id: "snowflake_default",
        conn_type: "snowflake",
        login: "loader",
        password: "sf-secret",
        extra: '{"account": "xy12345"}'
      },
      { connection_id: "s3_landing", conn_type: "aws", extra: '{"bucket": "landing"}' }
    ],
    variables: [
      { key: "env", value: "prod" },
      { key: "batch_size", value: "500", description: "Rows per batch" }
    ],
    pools: [{ name: "loads", slots: 16, description: "Warehouse loads", include_deferred: false }]
  });
  const sandbox = model.createDeployment(
    {
      name: "sandbox",
      workspaceId: ws.id,
      astroRuntimeVersion: "3.0-7",
      description: "Development sandbox",
      isDevelopmentMode: true,
      isDagDeployEnabled: true,
      scalingSpec: {
        hibernationSpec: {
          schedules: [
            {
              hibernateAtCron: "0 20 * * *",
              wakeAtCron: "0 8 * * 1-5",
              isEnabled: true,
              description: "Office hours"
            }
          ]
        }
      }
    },
    emulatorSubject,
    made,
    false
  );
  sandbox.scheduleHibernating = true;
  fill(sandbox, {
    connections: [{ connection_id: "sandbox_db", conn_type: "sqlite", host: "/tmp/sandbox.db" }],
    variables: [{ key: "environment", value: "sandbox" }],
    pools: [{ name: "scratch", slots: 2, include_deferred: false }]
  });
  return {
    organizationId: org.id,
    workspaceId: ws.id,
    deployments: [analytics, warehouse, sandbox].map((r) => ({ id: r.dep.id, name: r.dep.name }))
  };
}
function fill(rec, objects) {
  for (const c of objects.connections)
    rec.airflow.connections.set(c.connection_id, {
      description: null,
      host: null,
      login: null,
      schema: null,
      port: null,
      password: null,
      extra: null,
      ...c
    });
  for (const v of objects.variables) rec.airflow.variables.set(v.key, { description: null, ...v });
  for (const p of objects.pools)
    rec.airflow.pools.set(p.name, { description: null, include_deferred: false, ...p });
}

// emulator/tokens.ts
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
var TokenIssuer = class {
  secret = randomBytes(32);
  revoked = /* @__PURE__ */ new Set();
  count = 0;
  /** Set once the world is seeded: the organization a token gets unless told otherwise. */
  defaultOrganizationId = "";
  issue(input = {}) {
    const now = Math.floor(Date.now() / 1e3);
    const exp = input.expired ? now - 3600 : input.expiresAt ? Math.floor(input.expiresAt.getTime() / 1e3) : now + 30 * 86400;
    const org = input.organizationId === null ? void 0 : input.organizationId ?? this.defaultOrganizationId;
    const permissions = [];
    const tokenId = `tok${String(++this.count).padStart(6, "0")}`;
    permissions.push(`apiTokenId:${tokenId}`);
    if (org) permissions.push(`organizationId:${org}`);
    if (input.workspaceId) permissions.push(`workspaceId:${input.workspaceId}`);
    if (input.deploymentId) permissions.push(`deploymentId:${input.deploymentId}`);
    const payload = {
      iss: "astro-emulator",
      sub: tokenId,
      name: input.name ?? `emulator token ${this.count}`,
      iat: now,
      exp,
      permissions
    };
    const head = b64({ alg: "HS256", typ: "JWT" });
    const body = b64(payload);
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`;
  }
  revoke(token) {
    const p = this.decode(token);
    if (p) this.revoked.add(String(p.sub));
  }
  /** The caller, or why the token is refused (a 401 message). */
  verify(authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!m) return 'missing or malformed Authorization header: expected "Bearer <token>"';
    const [head, body, sig] = m[1].split(".");
    if (!head || !body || !sig) return "token is not a JWT";
    const want = Buffer.from(this.sign(`${head}.${body}`));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got))
      return "token signature is invalid";
    const p = this.decode(m[1]);
    if (!p) return "token payload is invalid";
    if (typeof p.exp !== "number" || p.exp * 1e3 <= Date.now()) return "token has expired";
    if (this.revoked.has(String(p.sub))) return "token has been revoked";
    const principal = { tokenId: String(p.sub), name: String(p.name ?? p.sub) };
    for (const perm of Array.isArray(p.permissions) ? p.permissions : []) {
      const [kind, id] = String(perm).split(":");
      if (kind === "organizationId") principal.organizationId = id;
      if (kind === "workspaceId") principal.workspaceId = id;
      if (kind === "deploymentId") principal.deploymentId = id;
    }
    return principal;
  }
  decode(token) {
    try {
      return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
    } catch {
      return void 0;
    }
  }
  sign(data) {
    return createHmac("sha256", this.secret).update(data).digest("base64url");
  }
};
function b64(value) {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

// emulator/index.ts
async function startEmulator(options = {}) {
  const { port, host, faults: faultOptions, dagBundles, log, ...behaviour } = options;
  const model = new Model(behaviour);
  let faults = new Faults(faultOptions);
  const tokens = new TokenIssuer();
  let requestCount = 0;
  const sockets = /* @__PURE__ */ new Set();
  const timers = /* @__PURE__ */ new Set();
  let closing = false;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      void serve2(req, res, Buffer.concat(chunks)).catch((err) => {
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              message: `emulator error: ${String(err)}`,
              requestId: "internal",
              statusCode: 500
            })
          );
        }
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  async function serve2(raw, res, body) {
    const url = new URL(raw.url ?? "/", "http://emulator");
    const req = {
      method: raw.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      body,
      requestId: `req${String(++requestCount).padStart(8, "0")}`,
      now: Date.now()
    };
    const fault = faults.pick({ method: req.method, path: req.path, query: url.search });
    const client = {};
    for (const name of CLIENT_HEADERS) {
      const value = header(raw.headers[name]);
      if (value !== void 0) client[name] = value;
    }
    const record = (status) => {
      model.requests.push({
        method: req.method,
        path: req.path,
        status,
        ...fault ? { fault } : {},
        at: Date.now(),
        client
      });
      if (log)
        process.stderr.write(
          `${req.method} ${req.path} ${status}${fault ? ` (fault ${fault})` : ""}
`
        );
    };
    if (fault && fault !== "reset-after" && fault !== "slow") {
      if (fault === "reset") {
        record(0);
        raw.socket.destroy();
        return;
      }
      const status = Number(fault);
      const headers = status === 429 ? { "retry-after": String(faults.options.retryAfterSeconds ?? 1) } : {};
      record(status);
      return write(res, {
        ...family(req, status, `injected fault ${fault}`),
        headers: { ...headers }
      });
    }
    if (fault === "slow" && faults.options.hold) {
      await faults.options.hold().catch(() => void 0);
      if (closing) return;
      req.now = Date.now();
    } else if (fault === "slow") {
      await new Promise((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, faults.options.slowMs ?? 2e3);
        timers.add(t);
      });
      if (closing) return;
      req.now = Date.now();
    }
    const reply = dispatch(req);
    if (fault === "reset-after") {
      record(0);
      raw.socket.destroy();
      return;
    }
    record(reply.status);
    write(res, reply);
  }
  function family(req, status, message) {
    if (/^\/v1(alpha1)?(\/|$)/.test(req.path)) return astroError(req, status, message);
    if (req.path.startsWith("/blobs/"))
      return azureError(req, status, status === 503 ? "ServerBusy" : "InternalError", message);
    return { status, json: { detail: message } };
  }
  function dispatch(req) {
    if (req.path.startsWith("/blobs/")) return handleBlob(model, req);
    const who = tokens.verify(header(req.headers.authorization));
    if (req.path === "/v1" || req.path.startsWith("/v1/")) {
      if (typeof who === "string") return astroError(req, 401, `Unauthorized: ${who}`);
      return handleAstro(model, who, req, req.path.slice(3));
    }
    if (req.path === "/v1alpha1" || req.path.startsWith("/v1alpha1/")) {
      if (typeof who === "string") return astroError(req, 401, `Unauthorized: ${who}`);
      return handleV1alpha1(model, who, req, req.path.slice("/v1alpha1".length));
    }
    return handleAirflow(model, who, req) ?? {
      status: 404,
      json: {
        message: `no route ${req.method} ${req.path}`,
        requestId: req.requestId,
        statusCode: 404
      }
    };
  }
  function write(res, reply) {
    const headers = { ...reply.headers };
    let payload;
    if (reply.json !== void 0) {
      payload = JSON.stringify(reply.json);
      headers["content-type"] ??= "application/json";
    } else if (reply.text !== void 0) {
      payload = reply.text;
    }
    if (payload !== void 0) headers["content-length"] = String(Buffer.byteLength(payload));
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port ?? 0, host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const served = address.family === "IPv6" ? `[${address.address}]` : address.address;
  model.origin = `http://${served}:${address.port}`;
  const seeded2 = seedWorld(model);
  tokens.defaultOrganizationId = seeded2.organizationId;
  const token = tokens.issue({ workspaceId: seeded2.workspaceId, name: "emulator workspace token" });
  const find = (id) => {
    const rec = model.deployments.get(id);
    if (!rec) throw new Error(`no Deployment ${id}`);
    return rec;
  };
  for (const [name, bundles] of Object.entries(dagBundles ?? {})) {
    const rec = [...model.deployments.values()].find((r) => r.dep.name === name);
    if (!rec) throw new Error(`dagBundles: no seeded Deployment named ${name}`);
    if (!rec.dep.airflowVersion.startsWith("3."))
      throw new Error(`dagBundles: ${name} runs Airflow 2, which has no DAG bundles`);
    for (const b of bundles) model.addDagBundle(rec, b, Date.now());
  }
  const state = {
    organizations: model.organizations,
    workspaces: model.workspaces,
    deployments: () => {
      model.purgeDeleted(Date.now());
      return [...model.deployments.values()].map((r) => model.view(r, Date.now()));
    },
    deployment(idOrName) {
      const rec = model.deployments.get(idOrName) ?? [...model.deployments.values()].find((r) => r.dep.name === idOrName);
      return rec && model.view(rec, Date.now());
    },
    deploys(deploymentId) {
      for (const rec of model.deployments.values()) model.settle(rec, Date.now());
      const records = deploymentId ? model.deploysOf(deploymentId) : [...model.deploys.values()];
      return records.map((r) => ({
        ...structuredClone(r.deploy),
        finalizeCount: r.finalizeCount,
        repeatedFinalizes: r.repeatedFinalizes
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
        { workspaceId: seeded2.workspaceId, ...body },
        { id: "cseed", subjectType: "SERVICEKEY", apiTokenName: "seed" },
        Date.now(),
        Boolean(creating)
      );
      return model.view(rec, Date.now());
    },
    addOrganization: (name, product) => model.addOrganization(name, Date.now(), product),
    addWorkspace: (name, organizationId) => model.addWorkspace(organizationId ?? seeded2.organizationId, name),
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
    }
  };
  return {
    url: `${model.origin}/v1`,
    token,
    organizationId: seeded2.organizationId,
    workspaceId: seeded2.workspaceId,
    deployments: seeded2.deployments,
    state,
    setFaults: (f) => {
      faults = new Faults(f);
    },
    issueToken: (claims) => tokens.issue(claims),
    revokeToken: (t) => tokens.revoke(t),
    close: () => new Promise((resolve) => {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    })
  };
}
function header(value) {
  return Array.isArray(value) ? value[0] : value;
}
export {
  startEmulator
};

import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  deployTo,
  describeTrigger,
  needsDockerWhenFresh,
  previewSection,
  requireDocker,
  section
} from "./chunk-A6WYYDSY.js";
import {
  AirflowApiError,
  DEFAULT_TIMEOUT_MS,
  NetworkError,
  queryString,
  send
} from "./chunk-35VZ4DYC.js";
import "./chunk-EB4HQGDU.js";
import {
  assertDeployTypeFits,
  checkProject,
  dbtBundle,
  isRemoteExecution
} from "./chunk-GUW7CTVJ.js";
import "./chunk-U5E27BD7.js";
import {
  previewName
} from "./chunk-LRPC5GZK.js";
import {
  stripBearer
} from "./chunk-YLPVOD4M.js";
import {
  creatingOnGitHub,
  deletedOnGitHub,
  step
} from "./chunk-FVFCPJAK.js";
import {
  cell,
  clockOf,
  parseRetryAfter,
  policyOf,
  poll,
  withRetry
} from "./chunk-YBDEDHWX.js";
import "./chunk-NV5WPINZ.js";

// src/flows/preview.ts
import path from "node:path";

// src/astro/airflow.ts
function airflowBaseUrl(apiUrl) {
  const trimmed = apiUrl.trim().split("?")[0].replace(/\/+$/, "");
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
function airflowApiVersion(apiUrl) {
  const path2 = new URL(airflowBaseUrl(apiUrl)).pathname;
  if (/\/api\/v1$/.test(path2)) return 1;
  if (/\/api\/v2$/.test(path2)) return 2;
  throw new Error(
    `The Airflow API URL ${withoutScheme(apiUrl)} ends neither in /api/v1 (Airflow 2) nor in /api/v2 (Airflow 3).`
  );
}
var hasSlash = (key) => key.includes("/");
function createAirflowClient(options) {
  const base = airflowBaseUrl(options.apiUrl);
  const apiVersion = airflowApiVersion(base);
  const clock = clockOf(options);
  const policy = policyOf(options);
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const headers = {
    authorization: `Bearer ${stripBearer(options.token)}`,
    "content-type": "application/json",
    accept: "application/json"
  };
  async function once(method, path2, query, body) {
    const url = `${base}${path2}`;
    let reply;
    try {
      reply = await send({
        url: `${url}${queryString(query)}`,
        method,
        headers,
        body: body === void 0 ? void 0 : JSON.stringify(body),
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        dispatcher: options.dispatcher
      });
    } catch (err) {
      if (err instanceof NetworkError) throw new AirflowApiError(0, method, url, err.message);
      throw err;
    }
    let data;
    try {
      data = reply.text ? JSON.parse(reply.text) : void 0;
    } catch {
      data = reply.text;
    }
    if (reply.status >= 200 && reply.status < 300) return { status: reply.status, data };
    if (reply.status >= 300 && reply.status < 400) {
      const location = reply.headers.location;
      throw new AirflowApiError(
        reply.status,
        method,
        url,
        `redirected to ${String(location ?? "nowhere")}, not followed (it may be another object)`
      );
    }
    throw new AirflowApiError(
      reply.status,
      method,
      url,
      detailOf(data),
      1,
      parseRetryAfter(reply.headers["retry-after"], clock.now())
    );
  }
  function call(kind, method, path2, query, body) {
    return withRetry({
      label: `${method} ${withoutScheme(base)}${path2}`,
      kind,
      policy,
      clock,
      log: options.log,
      attempt: () => once(method, path2, query, body),
      exhausted: (err, n) => err instanceof AirflowApiError ? new AirflowApiError(err.status, err.method, err.url, err.detail, n) : err
    });
  }
  async function listAll(path2, key) {
    const items = [];
    for (let offset = 0; ; ) {
      const { data } = await call("safe", "GET", path2, { limit: pageSize, offset });
      const page = data ?? {};
      const got = Array.isArray(page[key]) ? page[key] : [];
      items.push(...got);
      offset += got.length;
      const total = typeof page.total_entries === "number" ? page.total_entries : 0;
      if (got.length === 0 || offset >= total) return items;
    }
  }
  async function upsert(collection, id, body, mask) {
    try {
      await call("safe", "POST", `/${collection}`, void 0, body);
      return "created";
    } catch (err) {
      if (!(err instanceof AirflowApiError) || !isDuplicate(err)) throw err;
    }
    if (hasSlash(id)) return "exists";
    const query = mask && { update_mask: apiVersion === 2 ? mask : mask.join(",") };
    await call("safe", "PATCH", `/${collection}/${encodeURIComponent(id)}`, query, body);
    return "updated";
  }
  return {
    apiVersion,
    async waitUntilServing({ timeoutMs, name }) {
      await poll({
        clock,
        timeoutMs,
        backoff: { firstMs: 500, maxMs: 1e4, factor: 1.5, whole: "ceil" },
        look: async () => {
          try {
            await call("safe", "GET", "/version");
            return true;
          } catch (err) {
            if (!(err instanceof AirflowApiError) || err.status !== 404) throw err;
            return void 0;
          }
        },
        waiting: (delay) => options.log.info(
          `The Airflow API of ${name} does not answer yet (404, usual for a new Deployment); trying again in ${delay} ms.`
        ),
        timedOut: () => new Error(
          `The Airflow API of ${name} (${withoutScheme(base)}) still answered 404 after ${Math.round(timeoutMs / 1e3)} s, so its Airflow objects were not copied; run again (the preview is reused and the objects copied) or raise wait-time.`
        )
      });
    },
    async listConnections() {
      const listed = await listAll("/connections", "connections");
      if (apiVersion === 2) return listed;
      const full = [];
      for (const c of listed) {
        if (hasSlash(c.connection_id)) {
          full.push({
            ...c,
            extraUnread: "its id has a '/', which Astro's proxy cannot take in a path"
          });
          continue;
        }
        const path2 = `/connections/${encodeURIComponent(c.connection_id)}`;
        try {
          const { data } = await call("safe", "GET", path2);
          full.push(data);
        } catch (err) {
          if (!(err instanceof AirflowApiError)) throw err;
          full.push({ ...c, extraUnread: err.message });
        }
      }
      return full;
    },
    upsertConnection: (c) => upsert(
      "connections",
      c.connection_id,
      pick(c, [
        "connection_id",
        "conn_type",
        "description",
        "host",
        "login",
        "schema",
        "port",
        "password",
        "extra"
      ])
    ),
    // Both versions list values: no variable is read by its key.
    listVariables: () => listAll("/variables", "variables"),
    upsertVariable: (v) => upsert("variables", v.key, pick(v, ["key", "value", "description"])),
    listPools: () => listAll("/pools", "pools"),
    upsertPool: (p) => p.name === DEFAULT_POOL ? (
      // Every Deployment has it, and Airflow 3 lets only these two fields of it change
      // (an update without this mask is refused).
      upsert(
        "pools",
        p.name,
        pick(p, ["name", "slots", "include_deferred"]),
        p.include_deferred === void 0 ? ["slots"] : ["slots", "include_deferred"]
      )
    ) : upsert("pools", p.name, pick(p, ["name", "slots", "description", "include_deferred"]))
  };
}
var DEFAULT_POOL = "default_pool";
function isDuplicate(err) {
  return err.status === 409 || err.status === 400 && /already exist/i.test(err.detail);
}
function pick(obj, keys) {
  const out = {};
  for (const k of keys) if (obj[k] !== void 0) out[k] = obj[k];
  return out;
}
function detailOf(data) {
  if (typeof data === "string") return data.slice(0, 200);
  const d = data ?? {};
  const parts = [d.title, d.detail].map(
    (x) => x === void 0 || x === null ? "" : typeof x === "string" ? x : JSON.stringify(x)
  );
  return parts.filter(Boolean).join(": ").slice(0, 300);
}
function withoutScheme(url) {
  return url.replace(/^https?:\/\//i, "");
}

// src/preview/copy.ts
var AIRFLOW3_CONNECTION_ID = /^[\p{L}\p{M}\p{N}\p{Pc}.-]{1,200}$/u;
var isMasked = (v) => typeof v === "string" && /^\*{3,}$/.test(v);
function connectionCopy(c, sourceApiVersion) {
  const copy = { connection_id: c.connection_id, conn_type: c.conn_type };
  for (const k of ["description", "host", "login", "schema", "port"]) {
    if (c[k] !== void 0 && c[k] !== null) copy[k] = c[k];
  }
  const passwordUnknown = sourceApiVersion === 1 ? true : c.password !== void 0 && c.password !== null && c.password !== "";
  if (!passwordUnknown && typeof c.password === "string" && c.password !== "" && !isMasked(c.password)) {
    copy.password = c.password;
  }
  let maskedExtra = false;
  if (typeof c.extra === "string" && c.extra !== "") {
    let parsed;
    try {
      parsed = JSON.parse(c.extra);
    } catch {
      parsed = void 0;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const clean = stripMasked(parsed);
      maskedExtra = clean.masked;
      copy.extra = JSON.stringify(clean.value);
    } else if (isMasked(c.extra)) {
      maskedExtra = true;
    } else {
      copy.extra = c.extra;
    }
  }
  return { connection: copy, passwordUnknown, maskedExtra };
}
function stripMasked(o) {
  let masked = false;
  const value = {};
  for (const [k, v] of Object.entries(o)) {
    if (isMasked(v)) {
      masked = true;
    } else if (v && typeof v === "object" && !Array.isArray(v)) {
      const inner = stripMasked(v);
      masked ||= inner.masked;
      value[k] = inner.value;
    } else {
      value[k] = v;
    }
  }
  return { value, masked };
}
var poolCopy = (p) => {
  const copy = { name: p.name, slots: p.slots };
  if (p.description !== void 0 && p.description !== null) copy.description = p.description;
  if (p.include_deferred !== void 0) copy.include_deferred = p.include_deferred;
  return copy;
};
var variableCopy = (v) => {
  const copy = { key: v.key, value: v.value };
  if (v.description !== void 0 && v.description !== null) copy.description = v.description;
  return copy;
};
async function eachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
var message = (e) => e instanceof Error ? e.message : String(e);
async function copyAirflowObjects(args) {
  const { from, to, log } = args;
  const limit = args.concurrency ?? 4;
  const result = {
    connections: { created: 0, updated: 0 },
    variables: { created: 0, updated: 0 },
    pools: { created: 0, updated: 0 },
    connectionsWithoutPassword: [],
    connectionsWithMaskedExtra: [],
    variablesMasked: [],
    connectionsWithoutExtra: [],
    leftAsIs: [],
    connectionIdsRefused: [],
    failures: []
  };
  const count = (c, r) => r === "created" ? c.created += 1 : r === "updated" ? c.updated += 1 : 0;
  const copyKind = async (kind, list, id, one, counts) => {
    let items;
    try {
      items = await list();
    } catch (e) {
      result.failures.push(`Could not list the ${kind} of the base Deployment: ${message(e)}`);
      return;
    }
    await eachLimited(items, limit, async (x) => {
      try {
        const r = await one(x);
        if (r) count(counts, r);
        if (r === "exists") result.leftAsIs.push(`${kind.replace(/s$/, "")} "${id(x)}"`);
      } catch (e) {
        result.failures.push(`Could not copy ${kind.replace(/s$/, "")} "${id(x)}": ${message(e)}`);
      }
    });
    log.info(
      `Copied ${kind}: ${counts.created} created, ${counts.updated} updated (of ${items.length}).`
    );
  };
  if (args.connections) {
    await copyKind(
      "connections",
      () => from.listConnections(),
      (c) => c.connection_id,
      async (c) => {
        if (to.apiVersion === 2 && !AIRFLOW3_CONNECTION_ID.test(c.connection_id)) {
          result.connectionIdsRefused.push(c.connection_id);
          return void 0;
        }
        const { connection, passwordUnknown, maskedExtra } = connectionCopy(c, from.apiVersion);
        const r = await to.upsertConnection(connection);
        if (passwordUnknown) result.connectionsWithoutPassword.push(c.connection_id);
        if (maskedExtra) result.connectionsWithMaskedExtra.push(c.connection_id);
        if (c.extraUnread) {
          result.connectionsWithoutExtra.push(c.connection_id);
          log.info(`Connection "${c.connection_id}" is copied without its extra: ${c.extraUnread}`);
        }
        return r;
      },
      result.connections
    );
  }
  if (args.variables) {
    await copyKind(
      "variables",
      () => from.listVariables(),
      (v) => v.key,
      async (v) => {
        if (isMasked(v.value)) {
          result.variablesMasked.push(v.key);
          return void 0;
        }
        if (v.value === void 0 || v.value === null)
          throw new Error("the Airflow API listed it without a value");
        return to.upsertVariable(variableCopy(v));
      },
      result.variables
    );
  }
  if (args.pools) {
    await copyKind(
      "pools",
      () => from.listPools(),
      (p) => p.name,
      (p) => to.upsertPool(poolCopy(p)),
      result.pools
    );
  }
  warnLeftOut(result, log);
  for (const f of result.failures) log.warning(f);
  return result;
}
function warnLeftOut(result, log) {
  for (const list of [
    result.connectionsWithoutPassword,
    result.connectionsWithMaskedExtra,
    result.variablesMasked,
    result.connectionsWithoutExtra,
    result.leftAsIs,
    result.connectionIdsRefused
  ]) {
    list.sort();
  }
  if (result.connectionsWithoutPassword.length) {
    log.warning(
      `The Airflow API does not return connection passwords, so these connections were copied without one; set them on the preview if its DAGs need them: ${result.connectionsWithoutPassword.join(", ")}.`
    );
  }
  if (result.connectionsWithMaskedExtra.length) {
    log.warning(
      `These connections' extra fields came back masked and those fields were not copied: ${result.connectionsWithMaskedExtra.join(", ")}.`
    );
  }
  if (result.variablesMasked.length) {
    log.warning(
      `These Airflow variables came back masked and were not copied: ${result.variablesMasked.join(", ")}.`
    );
  }
  if (result.connectionsWithoutExtra.length) {
    log.warning(
      `These connections were copied without their extra field, which the Airflow API of the base would not give; set it on the preview if its DAGs need it: ${result.connectionsWithoutExtra.join(", ")}.`
    );
  }
  if (result.leftAsIs.length) {
    log.warning(
      `The preview already has these, and a '/' in the name keeps Astro's proxy from updating them, so they were left as they are (change them in the Airflow UI if they should match the base): ${result.leftAsIs.join(", ")}.`
    );
  }
  if (result.connectionIdsRefused.length) {
    log.warning(
      `Airflow 3's API takes only letters, digits, '_', '.' and '-' in a connection id, so these connections were not copied; create them on the preview another way (e.g. the Airflow CLI or an environment variable): ${result.connectionIdsRefused.join(", ")}.`
    );
  }
}

// src/flows/preview-extras.ts
async function copyObjects(p, base, preview, copied) {
  const { settings, log } = p;
  if (!settings.copyConnections && !settings.copyVariables && !settings.copyPools) return [];
  return step(p, "Copy Airflow objects", async () => {
    const client = (d) => createAirflowClient({ apiUrl: d.webServerAirflowApiUrl, token: settings.token, log });
    const from = client(base);
    const to = client(preview);
    await to.waitUntilServing({ timeoutMs: settings.waitMs, name: preview.name });
    const counts = await copyAirflowObjects({
      from,
      to,
      connections: settings.copyConnections,
      variables: settings.copyVariables,
      pools: settings.copyPools,
      log
    });
    const fmt = (c) => `${c.created} created, ${c.updated} updated`;
    const rows = [];
    if (settings.copyConnections) rows.push(["Connections copied", fmt(counts.connections)]);
    if (settings.copyVariables) rows.push(["Variables copied", fmt(counts.variables)]);
    if (settings.copyPools) rows.push(["Pools copied", fmt(counts.pools)]);
    copied.connectionsWithoutPassword = counts.connectionsWithoutPassword;
    const notCopied = [
      ["Variables with masked values (not copied)", counts.variablesMasked],
      ["Connections with masked extra keys (left out)", counts.connectionsWithMaskedExtra],
      ["Connections copied without extra (not readable)", counts.connectionsWithoutExtra],
      ["Already on the preview, left as is ('/' in the name)", counts.leftAsIs],
      ["Connections Airflow 3's API refuses (id)", counts.connectionIdsRefused]
    ];
    if (counts.failures.length) {
      throw new Error(
        `${counts.failures.length} Airflow object(s) could not be copied from ${base.name} to ${preview.name}, so nothing was deployed: ${counts.failures.join("; ")} Set them on ${preview.name} by hand, or delete the preview (action: delete-deployment-preview) and run again to copy everything.`
      );
    }
    for (const [label, items] of notCopied) {
      if (items.length) rows.push([label, cell(items.join("; "))]);
    }
    if (counts.connectionsWithoutPassword.length) {
      const ids = counts.connectionsWithoutPassword.join(", ");
      rows.push(["Connections needing a password", cell(ids)]);
    }
    return rows;
  });
}

// src/flows/preview.ts
async function previewFlow(mode, p, base, deploy = deployTo) {
  const branch = p.trigger.branch;
  if (!branch) {
    throw new Error(
      `The preview actions need a branch, and ${describeTrigger(p.trigger)} has none; run them on pull_request, push, create or delete events of branches.`
    );
  }
  const name = previewName({ branch, baseName: base.name, explicit: p.settings.previewName });
  p.log.info(`Preview of ${base.name} for branch ${branch}: ${name}.`);
  const ctx = { p, base, branch, name, deploy };
  if (mode === "delete-deployment-preview") return deleteFlow(ctx);
  const creates = mode === "create-deployment-preview" || p.settings.action === "preview" && mode === "deploy-deployment-preview";
  const ready = creates ? await createOrReuse(ctx) : await existing(ctx);
  if (!("preview" in ready)) return ready;
  const { preview } = ready;
  p.journal.known = { ...p.journal.known, deploymentId: preview.id, previewId: preview.id };
  const gh = {
    base,
    omittedSecrets: ready.omittedSecrets,
    connectionsWithoutPassword: ready.copied.connectionsWithoutPassword
  };
  const outcome = await deploy(p, preview, true, gh, ready.read);
  return { ...outcome, previewId: preview.id };
}
async function deleteFlow({ p, base, branch, name }) {
  const args = { api: p.api, base, branch, name, log: p.log };
  if (p.settings.dryRun) {
    const found = await p.previews.existingPreview(args);
    const reason2 = found ? `dry run: would delete preview ${found.name} (${found.id})` : `dry run: no preview of ${base.name} for branch ${branch} exists`;
    p.journal.sections.push(section("Delete preview", reason2));
    return {
      deployType: "none",
      skipped: true,
      reason: reason2,
      previewId: found?.id,
      deploymentId: found?.id
    };
  }
  const result = await step(p, "Delete the preview", () => p.previews.deletePreview(args));
  const reason = result.deleted ? `deleted preview ${result.deleted.name} (${result.deleted.id}) of branch ${branch}` : `no preview of ${base.name} for branch ${branch} exists, so nothing was deleted`;
  p.journal.sections.push(section("Delete preview", reason));
  const outcome = {
    deployType: "none",
    skipped: true,
    reason,
    previewId: result.deleted?.id,
    deploymentId: result.deleted?.id
  };
  await deletedOnGitHub(p, base, branch, result.deleted, reason);
  return outcome;
}
async function existing({ p, base, branch, name }) {
  const { api, log, settings } = p;
  let preview = await step(
    p,
    "Find the preview",
    () => p.previews.requirePreview({ api, base, branch, name, log })
  );
  if (preview.status === "CREATING" && !settings.dryRun) {
    const id = preview.id;
    preview = await step(
      p,
      "Wait for the preview",
      () => p.previews.waitUntilReady({ api, deploymentId: id, log, timeoutMs: settings.waitMs })
    );
  }
  return { preview, omittedSecrets: [], copied: { connectionsWithoutPassword: [] } };
}
async function createOrReuse(ctx) {
  const { p, base, branch, name } = ctx;
  const { api, log, settings } = p;
  const overridden = settings.previewOverrides.isDagDeployEnabled;
  const dagDeploysOn = (typeof overridden === "boolean" ? overridden : base.isDagDeployEnabled) === true;
  assertDeployTypeFits(settings.deployType, dagDeploysOn, isRemoteExecution(base), base);
  const ws = await p.checkout();
  await checkProject(ws.git, ws.head, ws.repoRoot, settings, dagDeploysOn);
  const checked = { projectCheckedWith: dagDeploysOn };
  const args = { api, base, branch, name, log };
  if (settings.dryRun) {
    const found2 = await p.previews.existingPreview(args);
    if (found2)
      return {
        preview: found2,
        omittedSecrets: [],
        copied: { connectionsWithoutPassword: [] },
        read: checked
      };
    const reason = `dry run: would create preview ${name} from ${base.name} and deploy the whole project to it`;
    p.journal.sections.push(section("Preview", reason));
    return { deployType: "none", skipped: true, reason };
  }
  const found = await p.previews.lookUpPreview(args);
  const fresh = !found.preview;
  if (fresh && needsDockerWhenFresh(settings)) await requireDocker(p);
  if (fresh) await creatingOnGitHub(p, base, name, branch);
  if (settings.deployType === "dbt")
    await dbtBundle(path.join(ws.repoRoot, settings.rootFolder), settings);
  const created = await step(
    p,
    "Create the preview",
    () => p.previews.createPreview({
      ...args,
      overrides: settings.previewOverrides,
      timeoutMs: settings.waitMs,
      journal: p.journal,
      found
    })
  );
  const preview = created.preview;
  p.journal.known = { ...p.journal.known, deploymentId: preview.id, previewId: preview.id };
  const rows = [
    [
      "Preview",
      `${cell(preview.name)} (\`${preview.id}\`) ${created.created ? "created" : "reused"}`
    ],
    ["Base", `${cell(base.name)} (\`${base.id}\`)`]
  ];
  if (created.omittedSecrets.length)
    rows.push(["Secret variables not copied", cell(created.omittedSecrets.join(", "))]);
  const copied = { connectionsWithoutPassword: [] };
  const history = await copyUnlessDeployed(p, base, created, rows, copied);
  p.journal.sections.push(previewSection(rows));
  return {
    preview,
    omittedSecrets: created.omittedSecrets,
    copied,
    read: { ...checked, history }
  };
}
async function copyUnlessDeployed(p, base, created, rows, copied) {
  const { preview } = created;
  if (!created.created) {
    const history = await p.api.listDeploys(preview.id);
    if (history.some((d) => d.status === "DEPLOYED")) return history;
    p.log.info(`${preview.name} has never been deployed to: copying the Airflow objects now.`);
  }
  rows.push(...await copyObjects(p, base, preview, copied));
  return void 0;
}
export {
  previewFlow
};

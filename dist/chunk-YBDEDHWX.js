import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// src/platform/clock.ts
var realClock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  random: () => Math.random()
};
function clockWith(parts = {}) {
  const given = Object.entries(parts).filter(([, v]) => v !== void 0);
  return { ...realClock, ...Object.fromEntries(given) };
}
async function poll(o) {
  const clock = clockWith(o.clock);
  const start = clock.now();
  const { firstMs, maxMs, factor } = o.backoff;
  const whole = o.backoff.whole === "ceil" ? Math.ceil : Math.round;
  const elapsed = () => clock.now() - start;
  let delay = firstMs;
  for (; ; ) {
    const value = await o.look(elapsed);
    if (value !== void 0) return value;
    const left = o.timeoutMs - elapsed();
    if (left <= 0) throw o.timedOut(o.timeoutMs - left);
    const next = Math.min(delay, left);
    o.waiting?.(next);
    await clock.sleep(next);
    delay = Math.min(maxMs, whole(delay * factor));
  }
}

// src/report/markdown.ts
function escapeMarkdown(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/[\\`*{}[\]()#+!|~]/g, "\\$&").replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, "\\_");
}
function cell(s) {
  return escapeMarkdown(s.replace(/\r?\n|\r/g, " "));
}
function codeCell(s) {
  return mdCode(s).replace(/\|/g, "\\|");
}
function table(rows) {
  return ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n") + "\n";
}
function mdCode(s) {
  const one = s.replace(/\r?\n|\r/g, " ");
  const ticks = Math.max(0, ...[...one.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = "`".repeat(ticks);
  const pad = one.startsWith("`") || one.endsWith("`") ? " " : "";
  return `${fence}${pad}${one}${pad}${fence}`;
}
function mdUrl(url) {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return void 0;
  return url.replace(/[()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// src/version.ts
var CLIENT_IDENTIFIER = "astro-deploy-action";
var ACTION_VERSION = "1.0.0";

// src/astro/retry.ts
var DEFAULT_RETRY = {
  attempts: 6,
  maxElapsedMs: 6e4,
  baseDelayMs: 500,
  maxDelayMs: 3e4
};
function policyOf(o) {
  return { ...DEFAULT_RETRY, ...o.retry };
}
function clockOf(o) {
  return clockWith({ sleep: o.sleep, random: o.random, now: o.now });
}
function isRetryable(err, kind) {
  if (kind === "once") return false;
  const status = statusOf(err);
  if (status === void 0) return false;
  if (status === 0 || status === 429 || status === 502 || status === 503 || status === 504)
    return true;
  return status === 500 && kind === "safe";
}
function mayHaveActed(err) {
  const status = statusOf(err);
  return status === 0 || status === 500 || status === 502 || status === 504;
}
function statusOf(err) {
  const status = err?.status;
  return typeof status === "number" ? status : void 0;
}
async function withRetry(run) {
  const { policy, clock } = run;
  const start = clock.now();
  for (let n = 1; ; n++) {
    try {
      return await run.attempt(n);
    } catch (err) {
      const last = n >= policy.attempts || !isRetryable(err, run.kind);
      const delay = last ? 0 : delayFor(err, n, policy, clock);
      if (last || clock.now() - start + delay > policy.maxElapsedMs) {
        throw n > 1 && run.exhausted ? run.exhausted(err, n) : err;
      }
      run.log.info(
        `retrying ${run.label} after ${reasonOf(err)} (attempt ${n + 1} of ${policy.attempts}, in ${formatDelay(delay)})`
      );
      await clock.sleep(delay);
    }
  }
}
function delayFor(err, failedAttempt, policy, clock) {
  const after = err.retryAfterMs;
  if (typeof after === "number" && after >= 0) return after;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(clock.random() * cap);
}
function parseRetryAfter(value, nowMs) {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return void 0;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1e3);
  const at = Date.parse(v);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - nowMs);
}
function reasonOf(err) {
  const status = statusOf(err);
  if (status && status > 0) return String(status);
  const code = err.code;
  return typeof code === "string" && code ? code : "a network error";
}
function formatDelay(ms) {
  return ms < 1e3 ? `${Math.round(ms)} ms` : `${(ms / 1e3).toFixed(1)} s`;
}

// src/github/octokit.ts
var GitHubApiError = class extends Error {
  constructor(status, message, retryAfterMs, timedOut = false, code) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.timedOut = timedOut;
    this.code = code;
    this.name = "GitHubApiError";
  }
  status;
  retryAfterMs;
  timedOut;
  code;
};
var GITHUB_RETRY = {
  ...DEFAULT_RETRY,
  attempts: 3,
  maxElapsedMs: 2e4,
  baseDelayMs: 500,
  maxDelayMs: 5e3
};
function kindOf(method) {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return "safe";
  if (m === "PATCH" || m === "PUT" || m === "DELETE") return "idempotent";
  return "once";
}
function toGitHubApiError(err, timeoutMs, nowMs) {
  if (err instanceof GitHubApiError) return err;
  const e = err;
  const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError" || e?.cause?.name === "TimeoutError";
  if (timedOut)
    return new GitHubApiError(
      0,
      `no reply within ${timeoutMs / 1e3} s`,
      void 0,
      true,
      "a timeout"
    );
  if (!e?.response) {
    const code = e?.cause?.cause?.code ?? e?.cause?.code;
    const msg = e?.message || String(err);
    return new GitHubApiError(
      0,
      code && !msg.includes(code) ? `${msg} (${code})` : msg,
      void 0,
      false,
      code
    );
  }
  const data = e.response.data;
  const text = typeof data === "string" ? data.slice(0, 200) : typeof data?.message === "string" ? data.message : "";
  const status = e.response.status;
  const headers = e.response.headers ?? {};
  let retryAfterMs = parseRetryAfter(headers["retry-after"], nowMs);
  const exhausted = headers["x-ratelimit-remaining"] === "0";
  const rateLimited = (status === 403 || status === 429) && (retryAfterMs !== void 0 || exhausted || /rate limit/i.test(text));
  if (rateLimited && retryAfterMs === void 0 && exhausted) {
    const reset = Number(headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset) && reset > 0) retryAfterMs = Math.max(0, reset * 1e3 - nowMs);
  }
  return new GitHubApiError(
    rateLimited ? 429 : status,
    `HTTP ${status}${text ? `: ${text}` : ""}`,
    retryAfterMs
  );
}
async function githubClient(opts) {
  const { getOctokit: make } = await import("./chunk-JEPBJ456.js");
  const timeoutMs = opts.timeoutMs ?? 3e4;
  const policy = { ...GITHUB_RETRY, ...opts.retry };
  const clock = opts.clock ?? realClock;
  const debug = (m) => opts.log.debug(m);
  const octokit = make(opts.token, {
    ...opts.apiUrl ? { baseUrl: opts.apiUrl.replace(/\/+$/, "") } : {},
    userAgent: `${CLIENT_IDENTIFIER}/${ACTION_VERSION}`,
    log: { debug, info: debug, warn: debug, error: debug }
  });
  octokit.hook.wrap("request", async (request, options) => {
    const method = String(options.method ?? "GET");
    const path = String(options.url ?? "").split("?")[0];
    return withRetry({
      label: `GitHub ${method} ${path}`,
      kind: kindOf(method),
      policy,
      clock,
      log: opts.log,
      attempt: async () => {
        try {
          options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
          return await request(options);
        } catch (err) {
          throw toGitHubApiError(err, timeoutMs, clock.now());
        }
      }
    });
  });
  return octokit;
}

// src/github/deployments.ts
var MAX_STATUS_DESCRIPTION = 140;
function statusDescription(text) {
  if (text === void 0) return void 0;
  const one = text.replace(/\s+/g, " ").trim();
  return one.length <= MAX_STATUS_DESCRIPTION ? one : one.slice(0, MAX_STATUS_DESCRIPTION - 1).trimEnd() + "\u2026";
}
function previewEnvironment(branch) {
  return `preview/${branch.replace(/^refs\/heads\//, "")}`;
}
function runUrl(env) {
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return void 0;
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
var noHandle = {
  id: void 0,
  success: async () => {
  },
  failure: async () => {
  },
  inactive: async () => {
  }
};
function createGitHubDeployments(o) {
  const { octokit, owner, repo, log } = o;
  let enabled = true;
  const guarded = async (what, fallback, fn) => {
    if (!enabled) return fallback;
    try {
      return await fn();
    } catch (e) {
      const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, 3e4, Date.now());
      if (err.status === 401 || err.status === 403 || err.status === 404) {
        enabled = false;
        const why = err.status === 401 ? "the github-token is not valid" : "the github-token lacks `deployments: write`";
        log.warning(
          `Could not ${what} (${err.message}): ${why}, so this run records no GitHub deployments. Give the job \`permissions: deployments: write\` (or set github-deployments: false); the deploy itself is not affected.`
        );
      } else {
        log.warning(`Could not ${what} (${err.message}); the deploy itself is not affected.`);
      }
      return fallback;
    }
  };
  const setStatus = async (id, environment, body) => {
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state: body.state,
      ...body.environment_url ? { environment_url: body.environment_url } : {},
      ...body.log_url ? { log_url: body.log_url } : {},
      ...body.description !== void 0 ? { description: statusDescription(body.description) } : {}
    });
    log.debug(`GitHub deployment ${id} (${environment}): ${body.state}.`);
  };
  return {
    get enabled() {
      return enabled;
    },
    async start(s) {
      const id = await guarded(
        `create the GitHub deployment for environment ${s.environment}`,
        void 0,
        async () => {
          const res = await octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref: s.ref,
            environment: s.environment,
            ...s.description !== void 0 ? { description: statusDescription(s.description) } : {},
            transient_environment: Boolean(s.transient),
            auto_merge: false,
            required_contexts: []
          });
          const data = res.data;
          if (res.status !== 201 || typeof data.id !== "number")
            throw new GitHubApiError(
              res.status,
              `HTTP ${res.status}: ${data.message ?? "no deployment"}`
            );
          await setStatus(data.id, s.environment, {
            state: "in_progress",
            log_url: s.logUrl,
            environment_url: s.environmentUrl,
            description: s.description
          });
          log.info(`GitHub deployment ${data.id} in environment ${s.environment}: in progress.`);
          return data.id;
        }
      );
      if (id === void 0) return noHandle;
      let done = false;
      const finish = (state) => async (f) => {
        if (done) return;
        done = true;
        await guarded(
          `mark the GitHub deployment ${id} (${s.environment}) ${state}`,
          void 0,
          () => setStatus(id, s.environment, {
            state,
            environment_url: f.environmentUrl ?? s.environmentUrl,
            log_url: f.logUrl ?? s.logUrl,
            description: f.description
          })
        );
      };
      return {
        id,
        success: finish("success"),
        failure: finish("failure"),
        inactive: finish("inactive")
      };
    },
    async markFailed(id, environment, f) {
      await guarded(
        `mark the GitHub deployment ${id} (${environment}) failure`,
        void 0,
        () => setStatus(id, environment, {
          state: "failure",
          log_url: f.logUrl,
          description: f.description
        })
      );
    },
    async deactivate(environment, d = {}) {
      return guarded(
        `mark the GitHub deployments of environment ${environment} inactive`,
        0,
        async () => {
          const all = await octokit.paginate(octokit.rest.repos.listDeployments, {
            owner,
            repo,
            environment,
            per_page: 100
          });
          for (const dep of all)
            await setStatus(dep.id, environment, {
              state: "inactive",
              log_url: d.logUrl,
              description: d.description
            });
          log.info(
            `GitHub environment ${environment}: ${all.length} deployment(s) marked inactive.`
          );
          return all.length;
        }
      );
    }
  };
}

export {
  realClock,
  clockWith,
  poll,
  policyOf,
  clockOf,
  mayHaveActed,
  statusOf,
  withRetry,
  parseRetryAfter,
  formatDelay,
  CLIENT_IDENTIFIER,
  ACTION_VERSION,
  escapeMarkdown,
  cell,
  codeCell,
  table,
  mdCode,
  mdUrl,
  GitHubApiError,
  toGitHubApiError,
  githubClient,
  previewEnvironment,
  runUrl,
  createGitHubDeployments
};

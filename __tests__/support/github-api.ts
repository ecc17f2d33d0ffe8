// A tiny local stand-in of GitHub's REST API for the tests (node:http, loopback):
//   GET   /repos/{o}/{r}/issues/{n}/comments?per_page&page   (Link header with rel="next")
//   POST  /repos/{o}/{r}/issues/{n}/comments                  {body} → 201
//   PATCH /repos/{o}/{r}/issues/comments/{id}                  {body} → 200
//   POST  /repos/{o}/{r}/deployments                           → 201 (202 when auto_merge is
//         not false: GitHub merges the default branch instead; 409 when required_contexts
//         is not [] and the commit has no successful statuses, as here)
//   GET   /repos/{o}/{r}/deployments?environment&ref&sha&task  newest first, paginated
//   POST  /repos/{o}/{r}/deployments/{id}/statuses             state enum, description ≤ 140,
//         auto_inactive (default true: a success makes the environment's earlier successful
//         non-transient, non-production deployments inactive)
//   GET   /repos/{o}/{r}/deployments/{id}/statuses             newest first, paginated
//   GET   /repos/{o}/{r}/pulls?head=owner:branch&state          newest first, paginated; state
//         open (default), closed or all, else 422; a head without `owner:` filters nothing,
//         as GitHub does
// It checks the token (401 "Bad credentials"), can deny writes (403 "Resource not accessible
// by integration", as for a token without pull-requests: write or deployments: write), can
// fail the next requests matching a method and path (e.g. a 502), and records every request
// with its JSON body.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInComment {
  id: number;
  body: string;
  user: { login: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface StandInDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environment_url: string;
  log_url: string;
  target_url: string;
  created_at: string;
}

export interface StandInDeployment {
  id: number;
  repo: string;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  /** Oldest first. */
  statuses: StandInDeploymentStatus[];
}

export interface StandInPull {
  repo: string;
  number: number;
  state: 'open' | 'closed';
  /** The head branch, in the repository's owner's namespace. */
  branch: string;
}

export interface StandInRequest {
  method: string;
  path: string;
  body?: unknown;
}

export interface GitHubStandIn {
  /** Base URL, like GITHUB_API_URL. */
  url: string;
  token: string;
  /** Comments by `owner/name#number`. */
  comments: Map<string, StandInComment[]>;
  requests: StandInRequest[];
  /** Reject POST/PATCH with 403. */
  writeDenied: boolean;
  /** Reject POST/PATCH of comments with 403 (a token without pull-requests: write). */
  commentsDenied: boolean;
  /** Reject POST of deployments and their statuses with 403 (no deployments: write). */
  deploymentsDenied: boolean;
  /** Deployments of every repository, oldest first. */
  deployments: StandInDeployment[];
  /** Pull requests of every repository, oldest first. */
  pulls: StandInPull[];
  /** Open (or closed) a pull request from `branch` of `repo`'s owner. */
  seedPull(repo: string, branch: string, state: 'open' | 'closed'): StandInPull;
  /** Answer the next `times` requests of `method` whose path matches with `status`. */
  fail(
    method: string,
    path: RegExp,
    status: number,
    times?: number,
    reply?: { message?: string; headers?: Record<string, string> },
  ): void;
  /** Hold every reply this long (a server that does not answer in time). */
  slowMs: number;
  /** The states of a deployment's statuses, oldest first. */
  statesOf(deploymentId: number): string[];
  /** Server-side page size cap (GitHub's is 100). */
  maxPerPage: number;
  /** Seed a comment as another user. */
  seed(repo: string, prNumber: number, body: string, login?: string): StandInComment;
  list(repo: string, prNumber: number): StandInComment[];
  close(): Promise<void>;
}

export async function startGitHubApi(
  opts: { token?: string; writeDenied?: boolean; maxPerPage?: number } = {},
): Promise<GitHubStandIn> {
  let nextId = 1000;
  const comments = new Map<string, StandInComment[]>();
  const requests: StandInRequest[] = [];
  const faults: {
    method: string;
    path: RegExp;
    status: number;
    times: number;
    reply?: { message?: string; headers?: Record<string, string> };
  }[] = [];

  const make = (repo: string, n: number, body: string, login: string): StandInComment => {
    const id = nextId++;
    const now = new Date().toISOString();
    return {
      id,
      body,
      user: { login },
      html_url: `${state.url}/${repo}/pull/${n}#issuecomment-${id}`,
      created_at: now,
      updated_at: now,
    };
  };
  const list = (repo: string, n: number) => {
    const key = `${repo}#${n}`;
    if (!comments.has(key)) comments.set(key, []);
    return comments.get(key)!;
  };

  const state: GitHubStandIn = {
    url: '',
    token: opts.token ?? 'ghs_test_token',
    comments,
    requests,
    writeDenied: opts.writeDenied ?? false,
    commentsDenied: false,
    deploymentsDenied: false,
    deployments: [],
    pulls: [],
    seedPull(repo, branch, prState) {
      const pr = { repo, number: state.pulls.length + 1, state: prState, branch };
      state.pulls.push(pr);
      return pr;
    },
    slowMs: 0,
    fail(method, path, status, times = 1, reply) {
      faults.push({ method: method.toUpperCase(), path, status, times, reply });
    },
    statesOf(id) {
      return state.deployments.find((d) => d.id === id)?.statuses.map((x) => x.state) ?? [];
    },
    maxPerPage: opts.maxPerPage ?? 100,
    seed(repo, n, body, login = 'someone') {
      const c = make(repo, n, body, login);
      list(repo, n).push(c);
      return c;
    },
    list,
    close: async () => {},
  };

  const send = (
    res: ServerResponse,
    status: number,
    json: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(json));
  };
  const readBody = async (req: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? JSON.parse(text) : undefined;
  };
  const findComment = (id: number) => {
    for (const [key, cs] of comments) {
      const c = cs.find((x) => x.id === id);
      if (c) return { key, c };
    }
    return undefined;
  };

  /** One page of `all` with GitHub's Link header. */
  const paged = (u: URL, res: ServerResponse, all: unknown[]) => {
    const perPage = Math.min(Number(u.searchParams.get('per_page') ?? 30) || 30, state.maxPerPage);
    const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string) => {
      const next = new URL(u.toString().replace('http://stand-in', state.url));
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(p));
      return `<${next.toString()}>; rel="${rel}"`;
    };
    const links = [
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
      ...(page > 1 ? [link(1, 'first')] : []),
    ];
    return send(res, 200, items, links.length ? { link: links.join(', ') } : {});
  };

  const DEPLOYMENT_FIELDS = new Set([
    'ref',
    'task',
    'auto_merge',
    'required_contexts',
    'payload',
    'environment',
    'description',
    'transient_environment',
    'production_environment',
  ]);
  const STATUS_FIELDS = new Set([
    'state',
    'target_url',
    'log_url',
    'description',
    'environment',
    'environment_url',
    'auto_inactive',
  ]);
  const STATES = new Set([
    'error',
    'failure',
    'inactive',
    'in_progress',
    'queued',
    'pending',
    'success',
  ]);
  const invalid = (res: ServerResponse, why: string) =>
    send(res, 422, { message: 'Validation Failed', errors: [{ message: why }] });
  const repoUrl = (repo: string) => `${state.url}/repos/${repo}`;
  const deploymentJson = (d: StandInDeployment) => ({
    id: d.id,
    url: `${repoUrl(d.repo)}/deployments/${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: {},
    environment: d.environment,
    description: d.description,
    creator: { login: 'github-actions[bot]' },
    created_at: d.created_at,
    updated_at: d.created_at,
    statuses_url: `${repoUrl(d.repo)}/deployments/${d.id}/statuses`,
    repository_url: repoUrl(d.repo),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
  });
  const statusJson = (d: StandInDeployment, st: StandInDeploymentStatus) => ({
    ...st,
    url: `${repoUrl(d.repo)}/deployments/${d.id}/statuses/${st.id}`,
    deployment_url: `${repoUrl(d.repo)}/deployments/${d.id}`,
    repository_url: repoUrl(d.repo),
    updated_at: st.created_at,
  });

  const deploymentsApi = (method: string, u: URL, body: unknown, res: ServerResponse) => {
    const m = /^\/repos\/([^/]+)\/([^/]+)\/deployments(?:\/(\d+)(\/statuses)?)?$/.exec(u.pathname);
    if (!m) return send(res, 404, { message: 'Not Found' });
    const repo = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'POST' && state.deploymentsDenied)
      return send(res, 403, { message: 'Resource not accessible by integration' });
    if (!m[3]) {
      if (method === 'GET') {
        const q = u.searchParams;
        const all = state.deployments
          .filter(
            (d) =>
              d.repo === repo &&
              (!q.get('environment') || d.environment === q.get('environment')) &&
              (!q.get('ref') || d.ref === q.get('ref')) &&
              (!q.get('sha') || d.sha === q.get('sha')) &&
              (!q.get('task') || d.task === q.get('task')),
          )
          .reverse()
          .map(deploymentJson);
        return paged(u, res, all);
      }
      if (method !== 'POST') return send(res, 404, { message: 'Not Found' });
      const unknown = Object.keys(b).filter((k) => !DEPLOYMENT_FIELDS.has(k));
      if (unknown.length) return invalid(res, `unknown fields: ${unknown.join(', ')}`);
      if (typeof b.ref !== 'string' || !b.ref) return invalid(res, 'ref is required');
      for (const k of ['task', 'environment', 'description'])
        if (b[k] !== undefined && typeof b[k] !== 'string')
          return invalid(res, `${k} is not a string`);
      for (const k of ['auto_merge', 'transient_environment', 'production_environment'])
        if (b[k] !== undefined && typeof b[k] !== 'boolean')
          return invalid(res, `${k} is not a boolean`);
      if (b.auto_merge !== false)
        return send(res, 202, { message: `Auto-merged main into ${b.ref} on deployment.` });
      if (!Array.isArray(b.required_contexts) || b.required_contexts.length)
        return send(res, 409, { message: `Conflict: Commit status checks failed for ${b.ref}.` });
      const environment = (b.environment as string | undefined) ?? 'production';
      const d: StandInDeployment = {
        id: nextId++,
        repo,
        sha: /^[0-9a-f]{40}$/.test(b.ref) ? b.ref : `sha-of-${b.ref}`,
        ref: b.ref,
        task: (b.task as string | undefined) ?? 'deploy',
        environment,
        description: (b.description as string | undefined) ?? null,
        transient_environment: (b.transient_environment as boolean | undefined) ?? false,
        production_environment:
          (b.production_environment as boolean | undefined) ?? environment === 'production',
        created_at: new Date().toISOString(),
        statuses: [],
      };
      state.deployments.push(d);
      return send(res, 201, deploymentJson(d));
    }
    const d = state.deployments.find((x) => x.repo === repo && x.id === Number(m[3]));
    if (!d) return send(res, 404, { message: 'Not Found' });
    if (!m[4]) {
      if (method === 'GET') return send(res, 200, deploymentJson(d));
      return send(res, 404, { message: 'Not Found' });
    }
    if (method === 'GET') {
      return paged(
        u,
        res,
        [...d.statuses].reverse().map((st) => statusJson(d, st)),
      );
    }
    if (method !== 'POST') return send(res, 404, { message: 'Not Found' });
    const unknown = Object.keys(b).filter((k) => !STATUS_FIELDS.has(k));
    if (unknown.length) return invalid(res, `unknown fields: ${unknown.join(', ')}`);
    if (typeof b.state !== 'string' || !STATES.has(b.state))
      return invalid(res, `state must be one of ${[...STATES].join(', ')}`);
    for (const k of ['target_url', 'log_url', 'description', 'environment', 'environment_url'])
      if (b[k] !== undefined && typeof b[k] !== 'string')
        return invalid(res, `${k} is not a string`);
    if (typeof b.description === 'string' && b.description.length > 140)
      return invalid(res, 'description is too long (maximum is 140 characters)');
    if (
      typeof b.environment_url === 'string' &&
      b.environment_url &&
      !/^https?:\/\//.test(b.environment_url)
    )
      return invalid(res, 'environment_url must use http(s) scheme');
    if (b.environment !== undefined && b.environment !== d.environment)
      d.environment = b.environment as string;
    const st: StandInDeploymentStatus = {
      id: nextId++,
      state: b.state,
      description: (b.description as string | undefined) ?? '',
      environment: d.environment,
      environment_url: (b.environment_url as string | undefined) ?? '',
      log_url: (b.log_url as string | undefined) ?? (b.target_url as string | undefined) ?? '',
      target_url: (b.target_url as string | undefined) ?? (b.log_url as string | undefined) ?? '',
      created_at: new Date().toISOString(),
    };
    d.statuses.push(st);
    if (b.state === 'success' && b.auto_inactive !== false) {
      for (const other of state.deployments) {
        if (
          other !== d &&
          other.repo === d.repo &&
          other.environment === d.environment &&
          !other.transient_environment &&
          !other.production_environment &&
          other.statuses.at(-1)?.state === 'success'
        ) {
          other.statuses.push({ ...other.statuses.at(-1)!, id: nextId++, state: 'inactive' });
        }
      }
    }
    return send(res, 201, statusJson(d, st));
  };

  const pullsApi = (m: RegExpExecArray, u: URL, res: ServerResponse) => {
    const owner = decodeURIComponent(m[1]);
    const repo = `${owner}/${decodeURIComponent(m[2])}`;
    const prState = u.searchParams.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(prState))
      return invalid(res, `state must be one of open, closed, all`);
    const head = u.searchParams.get('head') ?? '';
    const at = head.indexOf(':');
    const all = state.pulls
      .filter(
        (pr) =>
          pr.repo === repo &&
          (prState === 'all' || pr.state === prState) &&
          (at < 0 || (head.slice(0, at) === owner && head.slice(at + 1) === pr.branch)),
      )
      .reverse()
      .map((pr) => ({
        number: pr.number,
        state: pr.state,
        html_url: `${state.url}/${repo}/pull/${pr.number}`,
        head: { ref: pr.branch, label: `${owner}:${pr.branch}` },
      }));
    return paged(u, res, all);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://stand-in');
      const write = req.method === 'POST' || req.method === 'PATCH';
      let body: unknown;
      try {
        body = write ? await readBody(req) : undefined;
      } catch {
        requests.push({ method: req.method ?? '', path: u.pathname + u.search });
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
      requests.push({
        method: req.method ?? '',
        path: u.pathname + u.search,
        ...(body !== undefined ? { body } : {}),
      });
      if (state.slowMs > 0) await new Promise((r) => setTimeout(r, state.slowMs));
      if (res.destroyed) return;
      const fault = faults.find(
        (f) => f.times > 0 && f.method === req.method && f.path.test(u.pathname),
      );
      if (fault) {
        fault.times -= 1;
        return send(
          res,
          fault.status,
          { message: fault.reply?.message ?? `Injected ${fault.status}` },
          fault.reply?.headers,
        );
      }
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${state.token}` && auth !== `token ${state.token}`) {
        return send(res, 401, { message: 'Bad credentials' });
      }
      if (write && state.writeDenied)
        return send(res, 403, { message: 'Resource not accessible by integration' });
      if (/^\/repos\/[^/]+\/[^/]+\/deployments(\/|$)/.test(u.pathname))
        return deploymentsApi(req.method ?? '', u, body, res);
      const pullsPath = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(u.pathname);
      if (pullsPath && req.method === 'GET') return pullsApi(pullsPath, u, res);
      const text = (body as { body?: unknown } | undefined)?.body;
      if (write && state.commentsDenied)
        return send(res, 403, { message: 'Resource not accessible by integration' });
      if (write && typeof text !== 'string')
        return send(res, 422, { message: 'Validation Failed' });

      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(u.pathname);
      if (m) {
        const repo = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
        const n = Number(m[3]);
        const all = list(repo, n);
        if (req.method === 'GET') return paged(u, res, all);
        if (req.method === 'POST') {
          const c = make(repo, n, text as string, 'github-actions[bot]');
          all.push(c);
          return send(res, 201, c);
        }
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(u.pathname);
      if (m && req.method === 'PATCH') {
        const found = findComment(Number(m[3]));
        if (!found) return send(res, 404, { message: 'Not Found' });
        found.c.body = text as string;
        found.c.updated_at = new Date().toISOString();
        return send(res, 200, found.c);
      }
      return send(res, 404, { message: 'Not Found' });
    })().catch((e: unknown) => send(res, 500, { message: String(e) }));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    });
  return state;
}

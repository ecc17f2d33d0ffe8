// A tiny local stand-in of GitHub's issue-comments API for the tests (node:http, loopback):
//   GET   /repos/{o}/{r}/issues/{n}/comments?per_page&page   (Link header with rel="next")
//   POST  /repos/{o}/{r}/issues/{n}/comments                  {body} → 201
//   PATCH /repos/{o}/{r}/issues/comments/{id}                  {body} → 200
// It checks the token (401 "Bad credentials"), can deny writes (403 "Resource not accessible
// by integration", as for a token without pull-requests: write) and records every request.

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

export interface GitHubStandIn {
  /** Base URL, like GITHUB_API_URL. */
  url: string;
  token: string;
  /** Comments by `owner/name#number`. */
  comments: Map<string, StandInComment[]>;
  requests: { method: string; path: string }[];
  /** Reject POST/PATCH with 403. */
  writeDenied: boolean;
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
  const requests: { method: string; path: string }[] = [];

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

  const server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://stand-in');
      requests.push({ method: req.method ?? '', path: u.pathname + u.search });
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${state.token}` && auth !== `token ${state.token}`) {
        return send(res, 401, { message: 'Bad credentials' });
      }
      const write = req.method === 'POST' || req.method === 'PATCH';
      let body: unknown;
      try {
        body = write ? await readBody(req) : undefined;
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
      const text = (body as { body?: unknown } | undefined)?.body;
      if (write && state.writeDenied)
        return send(res, 403, { message: 'Resource not accessible by integration' });
      if (write && typeof text !== 'string')
        return send(res, 422, { message: 'Validation Failed' });

      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(u.pathname);
      if (m) {
        const repo = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
        const n = Number(m[3]);
        const all = list(repo, n);
        if (req.method === 'GET') {
          const perPage = Math.min(
            Number(u.searchParams.get('per_page') ?? 30) || 30,
            state.maxPerPage,
          );
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
        }
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

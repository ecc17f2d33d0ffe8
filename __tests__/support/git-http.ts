// A git smart-HTTP server over loopback: `git http-backend` behind a Node server, so tests
// see what git really sends (headers, wants) and can make the server refuse or fail.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** Base URL; a repository at <projectRoot>/acme/airflow is <url>/acme/airflow. */
  url: string;
  /** Every request's raw header pairs, in arrival order. */
  requests: { method: string; path: string; rawHeaders: string[] }[];
  /** Answer the next N requests with this status instead of serving them. */
  failNext(count: number, status: number): void;
  close(): Promise<void>;
}

export interface GitHttpOptions {
  /** Serve protocol v0 only (as servers that refuse unadvertised SHAs do). */
  protocolV0?: boolean;
}

export async function startGitHttp(
  projectRoot: string,
  options: GitHttpOptions = {},
): Promise<GitHttpServer> {
  const requests: GitHttpServer['requests'] = [];
  let failures = 0;
  let failStatus = 503;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    requests.push({ method: req.method ?? '', path: url.pathname, rawHeaders: req.rawHeaders });
    if (failures > 0) {
      failures--;
      res.writeHead(failStatus, { 'content-type': 'text/plain' });
      res.end('unavailable\n');
      return;
    }
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: url.pathname,
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
    };
    if (req.headers['content-encoding'])
      env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    if (req.headers['git-protocol'] && !options.protocolV0)
      env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    // http-backend may exit before reading the whole body; git then sees a failed request.
    cgi.stdin.on('error', () => {});
    cgi.on('error', () => res.destroy());
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (c: Buffer) => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1');
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(count, status) {
      failures = count;
      failStatus = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Authorization values of one request (a header may repeat; Node keeps them all here). */
export function authorizations(rawHeaders: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i]!.toLowerCase() === 'authorization') out.push(rawHeaders[i + 1]!);
  return out;
}

// Where the Astro API lives. Mirrors how the Astro CLI turns ASTRO_DOMAIN into a base URL,
// so users who set ASTRO_DOMAIN for the CLI-based action get the same host here.

export interface EndpointSources {
  /** The `api-url` input (empty = not given). */
  input?: string;
  env: Record<string, string | undefined>;
}

export function resolveApiUrl({ input, env }: EndpointSources): string {
  const explicit = input?.trim() || env.ASTRO_API_URL?.trim();
  const label = input?.trim() ? 'api-url' : 'ASTRO_API_URL';
  if (explicit) return checkUrl(explicit.replace(/\/+$/, ''), label);
  return domainToApiUrl(env.ASTRO_DOMAIN?.trim() || 'astronomer.io');
}

/** `astronomer.io` → `https://api.astronomer.io/v1`, as the CLI's domain rules do. */
export function domainToApiUrl(domain: string): string {
  const d = domain
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '')
    .replace(/^cloud\./, '');
  if (d === 'localhost') return 'http://localhost:8888/v1';
  // PR preview domains put the `api.` after the PR label: prNNNN.api.astronomer-dev.io.
  const pr = /^(pr\d+)\.(astronomer-dev\.io)$/.exec(d);
  if (pr) return `https://${pr[1]}.api.${pr[2]}/v1`;
  return `https://api.${d}/v1`;
}

function checkUrl(url: string, label: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `${label} "${url}" is not a URL; give the full base URL, e.g. https://api.astronomer.io/v1.`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(
      `${label} "${url}" must start with https:// (or http:// for a local emulator).`,
    );
  }
  // Every route is below the version segment: a URL without it reaches the host, whose 404s
  // would read as "Deployment not found".
  if (!/\/v1$/.test(parsed.pathname)) {
    throw new Error(
      `${label} "${url}" does not end in /v1, the Astro API version this action speaks: set it to ${suggestV1(parsed)}.`,
    );
  }
  return url;
}

/** The URL cut at its version segment, made v1 (`/v1beta1`, `/v1/organizations`), else with /v1 appended. */
function suggestV1(u: URL): string {
  const path = u.pathname.replace(/\/+$/, '');
  const version = /^(.*?)\/v\d+[a-z0-9]*(?=\/|$)/.exec(path);
  return `${u.origin}${version ? version[1] : path}/v1`;
}

// What an Astro API token says about itself. Tokens are JWTs whose `permissions` claim
// names the scope (`organizationId:<id>`, `workspaceId:<id>`, `deploymentId:<id>`). We read
// the claims only to pick ids and to fail early on an expired token; the signature is the
// server's business, so it is not checked here.

export interface TokenClaims {
  organizationId?: string;
  workspaceId?: string;
  deploymentId?: string;
  expiresAt?: Date;
}

/** Claims of a JWT; an opaque (non-JWT) token is allowed and simply has none. */
export function parseToken(token: string): TokenClaims {
  const payload = decodePayload(stripBearer(token));
  if (!payload) return {};
  const claims: TokenClaims = {};
  const permissions = Array.isArray(payload.permissions) ? payload.permissions : [];
  for (const p of permissions) {
    if (typeof p !== 'string') continue;
    const [kind, id] = splitOnce(p, ':');
    if (!id) continue;
    if (kind === 'organizationId' && !claims.organizationId) claims.organizationId = id;
    if (kind === 'workspaceId' && !claims.workspaceId) claims.workspaceId = id;
    if (kind === 'deploymentId' && !claims.deploymentId) claims.deploymentId = id;
  }
  if (typeof payload.exp === 'number' && Number.isFinite(payload.exp)) {
    claims.expiresAt = new Date(payload.exp * 1000);
  }
  return claims;
}

/** Throws one actionable sentence when the token is empty or already expired. */
export function checkToken(token: string, now: Date = new Date()): TokenClaims {
  if (!stripBearer(token)) {
    throw new Error(
      'ASTRO_API_TOKEN is empty; set it to an Astro API token (Organization, Workspace or Deployment token).',
    );
  }
  const claims = parseToken(token);
  if (claims.expiresAt && claims.expiresAt.getTime() <= now.getTime()) {
    throw new Error(
      `ASTRO_API_TOKEN expired on ${claims.expiresAt.toISOString()}; create a new token in Astro and store it in the ASTRO_API_TOKEN secret.`,
    );
  }
  return claims;
}

/** Masks ASTRO_API_TOKEN as given and without its `Bearer ` prefix, before anything prints. */
export function maskToken(env: NodeJS.ProcessEnv, setSecret: (s: string) => void): void {
  const given = env.ASTRO_API_TOKEN?.trim();
  if (!given) return;
  setSecret(given);
  const bare = stripBearer(given);
  if (bare) setSecret(bare);
}

/** The CLI accepts tokens pasted with their `Bearer ` prefix; so do we. */
export function stripBearer(token: string): string {
  return token.trim().replace(/^bearer(\s+|$)/i, '');
}

function decodePayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = Buffer.from(parts[1], 'base64url').toString('utf8');
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

// API tokens the emulator issues and accepts: HS256 JWTs signed with a per-emulator secret,
// shaped like Astro's (scope in the `permissions` claim), so clients read them as they would
// a real one and the emulator can tell its own tokens from forgeries.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenClaimsInput {
  /** Default: the emulator's organization. `null`: no organization claim (like a personal token). */
  organizationId?: string | null;
  workspaceId?: string;
  deploymentId?: string;
  /** Default: 30 days from now. */
  expiresAt?: Date;
  /** Shorthand for an expiry an hour ago. */
  expired?: boolean;
  name?: string;
}

/** Who is calling, as the emulator sees it. */
export interface Principal {
  tokenId: string;
  name: string;
  /** undefined: no organization claim (may use every organization of the emulator). */
  organizationId?: string;
  workspaceId?: string;
  deploymentId?: string;
}

export class TokenIssuer {
  private readonly secret = randomBytes(32);
  private readonly revoked = new Set<string>();
  private count = 0;

  /** Set once the world is seeded: the organization a token gets unless told otherwise. */
  defaultOrganizationId = '';

  issue(input: TokenClaimsInput = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const exp = input.expired
      ? now - 3600
      : input.expiresAt
        ? Math.floor(input.expiresAt.getTime() / 1000)
        : now + 30 * 86400;
    const org =
      input.organizationId === null
        ? undefined
        : (input.organizationId ?? this.defaultOrganizationId);
    const permissions: string[] = [];
    const tokenId = `tok${String(++this.count).padStart(6, '0')}`;
    permissions.push(`apiTokenId:${tokenId}`);
    if (org) permissions.push(`organizationId:${org}`);
    if (input.workspaceId) permissions.push(`workspaceId:${input.workspaceId}`);
    if (input.deploymentId) permissions.push(`deploymentId:${input.deploymentId}`);
    const payload = {
      iss: 'astro-emulator',
      sub: tokenId,
      name: input.name ?? `emulator token ${this.count}`,
      iat: now,
      exp,
      permissions,
    };
    const head = b64({ alg: 'HS256', typ: 'JWT' });
    const body = b64(payload);
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`;
  }

  revoke(token: string): void {
    const p = this.decode(token);
    if (p) this.revoked.add(String(p.sub));
  }

  /** The caller, or why the token is refused (a 401 message). */
  verify(authorization: string | undefined): Principal | string {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return 'missing or malformed Authorization header: expected "Bearer <token>"';
    const [head, body, sig] = m[1].split('.');
    if (!head || !body || !sig) return 'token is not a JWT';
    const want = Buffer.from(this.sign(`${head}.${body}`));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got))
      return 'token signature is invalid';
    const p = this.decode(m[1]);
    if (!p) return 'token payload is invalid';
    if (typeof p.exp !== 'number' || p.exp * 1000 <= Date.now()) return 'token has expired';
    if (this.revoked.has(String(p.sub))) return 'token has been revoked';
    const principal: Principal = { tokenId: String(p.sub), name: String(p.name ?? p.sub) };
    for (const perm of Array.isArray(p.permissions) ? p.permissions : []) {
      const [kind, id] = String(perm).split(':');
      if (kind === 'organizationId') principal.organizationId = id;
      if (kind === 'workspaceId') principal.workspaceId = id;
      if (kind === 'deploymentId') principal.deploymentId = id;
    }
    return principal;
  }

  private decode(token: string): Record<string, unknown> | undefined {
    try {
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

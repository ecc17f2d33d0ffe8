import { checkToken, parseToken, stripBearer } from '../../src/astro/token.js';

function jwt(payload: Record<string, unknown>): string {
  const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b({ alg: 'RS256', typ: 'JWT' })}.${b(payload)}.c2lnbmF0dXJl`;
}

describe('parseToken', () => {
  it('reads organization, workspace and deployment ids from the permissions claim', () => {
    const token = jwt({
      exp: 2_000_000_000,
      permissions: [
        'apiTokenId:tok1',
        'workspaceId:ws1',
        'organizationId:org1',
        'deploymentId:dep1',
        'orgShortNameId:x',
      ],
    });
    expect(parseToken(token)).toEqual({
      organizationId: 'org1',
      workspaceId: 'ws1',
      deploymentId: 'dep1',
      expiresAt: new Date(2_000_000_000 * 1000),
    });
  });

  it('gives no claims for an opaque token or a broken JWT', () => {
    expect(parseToken('not-a-jwt')).toEqual({});
    expect(parseToken('a.%%%.c')).toEqual({});
    expect(parseToken(`x.${Buffer.from('[1,2]').toString('base64url')}.y`)).toEqual({});
  });

  it('ignores permissions that are not strings or have no id', () => {
    expect(parseToken(jwt({ permissions: [42, 'organizationId:', 'workspaceId:w'] }))).toEqual({
      workspaceId: 'w',
    });
  });

  it('accepts a token pasted with its Bearer prefix', () => {
    const token = jwt({ permissions: ['organizationId:o'] });
    expect(stripBearer(`Bearer ${token}`)).toBe(token);
    expect(parseToken(`Bearer ${token}`).organizationId).toBe('o');
  });
});

describe('checkToken', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it('refuses an expired token with the date and what to do', () => {
    const token = jwt({ exp: Date.parse('2025-05-01T00:00:00Z') / 1000, permissions: [] });
    expect(() => checkToken(token, now)).toThrow(
      'ASTRO_API_TOKEN expired on 2025-05-01T00:00:00.000Z; create a new token in Astro and store it in the ASTRO_API_TOKEN secret.',
    );
  });

  it('accepts a token that is still valid, and an opaque one', () => {
    const token = jwt({
      exp: Date.parse('2025-07-01T00:00:00Z') / 1000,
      permissions: ['organizationId:o'],
    });
    expect(checkToken(token, now).organizationId).toBe('o');
    expect(checkToken('opaque-token', now)).toEqual({});
  });

  it('refuses an empty token', () => {
    expect(() => checkToken('  ', now)).toThrow(/ASTRO_API_TOKEN is empty/);
  });
});

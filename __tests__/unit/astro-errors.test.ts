import { AirflowApiError, AstroApiError, explainAstroError } from '../../src/astro/errors.js';

const base = { method: 'GET', path: '/organizations/o1/deployments/d1', requestId: 'req-9' };

describe('explainAstroError', () => {
  it('401: the token is invalid or expired; make a new one', () => {
    const text = explainAstroError({ ...base, status: 401, serverMessage: 'Unauthorized' });
    expect(text).toBe(
      'ASTRO_API_TOKEN was rejected by the Astro API (401: invalid, revoked or expired, request id req-9); create a new API token and store it in the ASTRO_API_TOKEN secret.',
    );
  });

  it('403 on a deploy names the Deployment, the organization and the role to give', () => {
    const text = explainAstroError({
      ...base,
      status: 403,
      serverMessage: 'forbidden',
      operation: 'createDeploy',
      context: { organizationId: 'o1', deploymentId: 'd1' },
    });
    expect(text).toBe(
      "ASTRO_API_TOKEN may not deploy to Deployment d1 in organization o1: give it the Workspace Operator role in the Deployment's Workspace or use a Deployment token for that Deployment (request id req-9).",
    );
  });

  it('403 on creating a Deployment says a Deployment token cannot', () => {
    const text = explainAstroError({
      ...base,
      status: 403,
      serverMessage: 'x',
      operation: 'createDeployment',
      context: { organizationId: 'o1', workspaceId: 'w1' },
    });
    expect(text).toMatch(
      /^ASTRO_API_TOKEN may not create Deployments in Workspace w1 in organization o1: .*a Deployment token cannot create or delete Deployments/,
    );
  });

  it('404 names the Deployment or the deploy and the organization', () => {
    expect(
      explainAstroError({
        ...base,
        status: 404,
        serverMessage: 'nf',
        context: { organizationId: 'o1', deploymentId: 'd1' },
      }),
    ).toBe(
      'Deployment d1 was not found in organization o1: check deployment-id and that ASTRO_API_TOKEN belongs to that organization (request id req-9).',
    );
    expect(
      explainAstroError({
        ...base,
        status: 404,
        serverMessage: 'nf',
        context: { organizationId: 'o1', deploymentId: 'd1', deployId: 'x1' },
      }),
    ).toBe(
      'Deploy x1 of Deployment d1 was not found in organization o1; it may have been deleted (request id req-9).',
    );
  });

  it('other statuses carry the server message, field errors and the request id', () => {
    const text = explainAstroError({
      ...base,
      method: 'POST',
      status: 400,
      serverMessage: 'invalid request body.',
      fieldErrors: [{ field: 'type', code: 'oneof', message: 'type must be one of A, B' }],
    });
    expect(text).toBe(
      'The Astro API refused POST /organizations/o1/deployments/d1 with 400: invalid request body (type: type must be one of A, B) (request id req-9).',
    );
  });

  it('no reply: says so, with the attempts made', () => {
    const text = explainAstroError({
      ...base,
      status: 0,
      serverMessage: 'ECONNREFUSED: connect failed',
      attempts: 6,
    });
    expect(text).toBe(
      'The Astro API did not answer GET /organizations/o1/deployments/d1 (ECONNREFUSED: connect failed, after 6 attempts); check api-url / ASTRO_DOMAIN and the network, or retry later.',
    );
  });
});

describe('AstroApiError', () => {
  it('keeps the facts and re-explains itself after retries', () => {
    const e = new AstroApiError({ ...base, status: 503, serverMessage: 'busy' });
    expect(e.message).toBe(
      'The Astro API refused GET /organizations/o1/deployments/d1 with 503: busy (request id req-9).',
    );
    const after = e.withAttempts(3);
    expect(after).toBeInstanceOf(AstroApiError);
    expect(after.status).toBe(503);
    expect(after.message).toMatch(/, after 3 attempts\.$/);
  });
});

describe('AirflowApiError', () => {
  it('explains permission problems and other failures in one sentence', () => {
    expect(
      new AirflowApiError(403, 'POST', 'https://h/d1/api/v2/connections', 'Forbidden').message,
    ).toBe(
      'ASTRO_API_TOKEN may not change https://h/d1/api/v2/connections (403: Forbidden): use a Workspace or Deployment token with access to that Deployment.',
    );
    expect(new AirflowApiError(500, 'GET', 'https://h/d1/api/v2/pools', 'boom.', 4).message).toBe(
      'The Airflow API refused GET https://h/d1/api/v2/pools with 500: boom, after 4 attempts.',
    );
  });
});

import type {
  AirflowApi,
  AirflowConnection,
  AirflowPool,
  AirflowVariable,
  ListedConnection,
  Upserted,
} from '../../src/astro/types.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { connectionCopy, copyAirflowObjects, isMasked } from '../../src/preview/copy.js';

/** An in-memory Airflow with upsert semantics (default_pool always present). */
function fakeAirflow(
  apiVersion: 1 | 2,
  seed: {
    connections?: AirflowConnection[];
    variables?: AirflowVariable[];
    pools?: AirflowPool[];
  } = {},
) {
  const connections = new Map((seed.connections ?? []).map((c) => [c.connection_id, c]));
  const variables = new Map((seed.variables ?? []).map((v) => [v.key, v]));
  const pools = new Map<string, AirflowPool>([
    ['default_pool', { name: 'default_pool', slots: 128 }],
  ]);
  for (const p of seed.pools ?? []) pools.set(p.name, p);
  const upsert = <T>(m: Map<string, T>, k: string, v: T): Upserted => {
    const had = m.has(k);
    m.set(k, v);
    return had ? 'updated' : 'created';
  };
  const api: AirflowApi & { failOn?: string } = {
    apiVersion,
    async listConnections() {
      return [...connections.values()];
    },
    async upsertConnection(c) {
      if (api.failOn === c.connection_id) throw new Error('boom');
      return upsert(connections, c.connection_id, c);
    },
    async listVariables() {
      return [...variables.values()];
    },
    async upsertVariable(v) {
      return upsert(variables, v.key, v);
    },
    async listPools() {
      return [...pools.values()];
    },
    async upsertPool(p) {
      return upsert(pools, p.name, p);
    },
  };
  return { api, connections, variables, pools };
}

describe('connectionCopy', () => {
  test.each([
    {
      title: 'Airflow 2: password unknown, extra kept',
      version: 1 as const,
      c: {
        connection_id: 'pg',
        conn_type: 'postgres',
        host: 'h',
        port: 5432,
        login: 'u',
        schema: null,
        extra: '{"sslmode":"require"}',
      },
      want: {
        connection_id: 'pg',
        conn_type: 'postgres',
        host: 'h',
        port: 5432,
        login: 'u',
        extra: '{"sslmode":"require"}',
      },
      passwordUnknown: true,
      maskedExtra: false,
    },
    {
      title: 'Airflow 3: masked password left out',
      version: 2 as const,
      c: {
        connection_id: 'pg',
        conn_type: 'postgres',
        password: '***',
        extra: '{"token":"***","region":"x","nested":{"secret":"***","ok":1}}',
      },
      want: {
        connection_id: 'pg',
        conn_type: 'postgres',
        extra: '{"region":"x","nested":{"ok":1}}',
      },
      passwordUnknown: true,
      maskedExtra: true,
    },
    {
      title: 'Airflow 3: no password at all',
      version: 2 as const,
      c: {
        connection_id: 'http',
        conn_type: 'http',
        host: 'example.com',
        password: null,
        extra: null,
      },
      want: { connection_id: 'http', conn_type: 'http', host: 'example.com' },
      passwordUnknown: false,
      maskedExtra: false,
    },
    {
      title: 'Airflow 3: extra not JSON kept as it is',
      version: 2 as const,
      c: { connection_id: 'x', conn_type: 'generic', password: '', extra: 'plain' },
      want: { connection_id: 'x', conn_type: 'generic', extra: 'plain' },
      passwordUnknown: false,
      maskedExtra: false,
    },
  ])('$title', ({ version, c, want, passwordUnknown, maskedExtra }) => {
    const r = connectionCopy(c, version);
    expect(r.connection).toEqual(want);
    expect(r.passwordUnknown).toBe(passwordUnknown);
    expect(r.maskedExtra).toBe(maskedExtra);
  });

  test.each([
    ['***', true],
    ['********', true],
    ['**', false],
    ['a***', false],
    [null, false],
  ])('isMasked(%j) = %s', (v, want) => {
    expect(isMasked(v)).toBe(want);
  });
});

describe('copyAirflowObjects', () => {
  const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));

  test.each([1, 2] as const)(
    'copies everything (source API v%s), conflicts update, default_pool updated',
    async (v) => {
      const from = fakeAirflow(v, {
        connections: many(7, (i) => ({
          connection_id: `c${i}`,
          conn_type: 'http',
          host: `h${i}`,
          password: v === 2 && i % 2 ? '***' : null,
        })),
        variables: [
          ...many(5, (i) => ({ key: `v${i}`, value: `val${i}` })),
          { key: 'api_key', value: '***' },
        ],
        pools: [
          { name: 'default_pool', slots: 16 },
          ...many(3, (i) => ({
            name: `p${i}`,
            slots: i + 1,
            description: 'd',
            include_deferred: true,
          })),
        ],
      });
      const to = fakeAirflow(2, {
        connections: [{ connection_id: 'c0', conn_type: 'old' }],
        variables: [{ key: 'v1', value: 'old' }],
      });
      const log = recordingLog();
      const r = await copyAirflowObjects({
        from: from.api,
        to: to.api,
        connections: true,
        variables: true,
        pools: true,
        log,
      });
      expect(r.connections).toEqual({ created: 6, updated: 1 });
      expect(r.variables).toEqual({ created: 4, updated: 1 });
      expect(r.pools).toEqual({ created: 3, updated: 1 });
      expect(to.pools.get('default_pool')).toEqual({ name: 'default_pool', slots: 16 });
      expect(to.pools.get('p2')).toEqual({
        name: 'p2',
        slots: 3,
        description: 'd',
        include_deferred: true,
      });
      expect(to.variables.get('v1')).toEqual({ key: 'v1', value: 'val1' });
      expect(to.variables.has('api_key')).toBe(false);
      expect(r.variablesMasked).toEqual(['api_key']);
      expect(r.connectionsWithoutPassword).toEqual(
        v === 1 ? ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'] : ['c1', 'c3', 'c5'],
      );
      expect([...to.connections.values()].every((c) => c.password === undefined)).toBe(true);
      expect(r.failures).toEqual([]);
      expect(log.lines).toContain('info: Copied connections: 6 created, 1 updated (of 7).');
      expect(
        log.lines.some((l) =>
          l.startsWith('warning: The Airflow API does not return connection passwords'),
        ),
      ).toBe(true);
    },
  );

  test('only the kinds asked for', async () => {
    const from = fakeAirflow(2, {
      connections: [{ connection_id: 'c', conn_type: 'http' }],
      variables: [{ key: 'k', value: 'v' }],
      pools: [{ name: 'p', slots: 1 }],
    });
    const to = fakeAirflow(2);
    const r = await copyAirflowObjects({
      from: from.api,
      to: to.api,
      connections: false,
      variables: true,
      pools: false,
      log: silentLog,
    });
    expect(r.connections).toEqual({ created: 0, updated: 0 });
    expect(r.variables).toEqual({ created: 1, updated: 0 });
    expect(to.connections.size).toBe(0);
    expect(to.pools.has('p')).toBe(false);
  });

  test('one failing object is reported; the rest are copied', async () => {
    const from = fakeAirflow(2, {
      connections: many(3, (i) => ({ connection_id: `c${i}`, conn_type: 'http' })),
    });
    const to = fakeAirflow(2);
    to.api.failOn = 'c1';
    const r = await copyAirflowObjects({
      from: from.api,
      to: to.api,
      connections: true,
      variables: false,
      pools: false,
      log: silentLog,
    });
    expect(r.connections).toEqual({ created: 2, updated: 0 });
    expect(r.failures).toEqual(['Could not copy connection "c1": boom']);
  });

  test('a failing list is reported', async () => {
    const from = fakeAirflow(2);
    from.api.listPools = async () => {
      throw new Error('403 forbidden');
    };
    const r = await copyAirflowObjects({
      from: from.api,
      to: fakeAirflow(2).api,
      connections: false,
      variables: false,
      pools: true,
      log: silentLog,
    });
    expect(r.failures).toEqual(['Could not list the pools of the base Deployment: 403 forbidden']);
  });
});

describe('copyAirflowObjects: what the API would not give or take', () => {
  /** A target whose upserts answer as given per key; the source lists `listed`. */
  function run(listed: { connections?: ListedConnection[]; variables?: AirflowVariable[] }) {
    const from = fakeAirflow(1, { connections: listed.connections, variables: listed.variables });
    const to = fakeAirflow(1);
    to.api.upsertConnection = async (c) => (c.connection_id.includes('/') ? 'exists' : 'created');
    to.api.upsertVariable = async (v) => (v.key.includes('/') ? 'exists' : 'created');
    const log = recordingLog();
    const done = copyAirflowObjects({
      from: from.api,
      to: to.api,
      connections: true,
      variables: true,
      pools: false,
      log,
    });
    return { done, log };
  }

  test.each([
    {
      title: 'a connection whose extra could not be read: copied, counted and named',
      connections: [{ connection_id: 'c', conn_type: 'http', extraUnread: 'GET failed' }],
      want: { connections: { created: 1, updated: 0 }, connectionsWithoutExtra: ['c'] },
      warning: /copied without their extra field.*: c\.$/,
    },
    {
      title: 'a key with `/` the preview already has: not counted, named as left as is',
      connections: [{ connection_id: 'a/b', conn_type: 'http' }],
      variables: [{ key: 'x/y', value: '1' }],
      want: {
        connections: { created: 0, updated: 0 },
        variables: { created: 0, updated: 0 },
        leftAsIs: ['connection "a/b"', 'variable "x/y"'],
      },
      warning: /left as they are .*: connection "a\/b", variable "x\/y"\.$/,
    },
    {
      title: 'a variable listed without a value is a failure, not an empty copy',
      variables: [{ key: 'v' } as AirflowVariable],
      want: {
        variables: { created: 0, updated: 0 },
        failures: ['Could not copy variable "v": the Airflow API listed it without a value'],
      },
    },
  ])('$title', async ({ connections, variables, want, warning }) => {
    const { done, log } = run({ connections, variables });
    const r = await done;
    expect(r).toMatchObject(want);
    if (!('failures' in want)) expect(r.failures).toEqual([]);
    if (warning)
      expect(log.lines.some((l) => l.startsWith('warning: ') && warning.test(l))).toBe(true);
  });
});

test.each([
  ['aws/prod', true],
  ['a b', true],
  ['x'.repeat(201), true],
  ['ok.id-1', false],
  ['café_db', false],
])(
  'to Airflow 3, connection id %j is named as refused (%s) instead of failing the copy',
  async (connectionId, refused) => {
    const from = fakeAirflow(2, {
      connections: [{ connection_id: connectionId, conn_type: 'http' }],
    });
    const to = fakeAirflow(2);
    const log = recordingLog();
    const r = await copyAirflowObjects({
      from: from.api,
      to: to.api,
      connections: true,
      variables: false,
      pools: false,
      log,
    });
    expect(r.failures).toEqual([]);
    expect(r.connectionIdsRefused).toEqual(refused ? [connectionId] : []);
    expect(to.connections.has(connectionId)).toBe(!refused);
    expect(log.lines.some((l) => l.startsWith("warning: Airflow 3's API takes only"))).toBe(
      refused,
    );
  },
);

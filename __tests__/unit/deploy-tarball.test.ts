import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { listTarball } from '../../src/deploy/tar-read.js';
import { dagTarballPrefix, TARBALL_MTIME, writeTarball } from '../../src/deploy/tarball.js';

let tmp: string;

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'deploy-tarball-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function put(rel: string, content: string | Buffer, mode?: number): Promise<void> {
  const p = path.join(tmp, 'src', rel);
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, content);
  if (mode !== undefined) await fs.chmod(p, mode);
}

function hasTar(): boolean {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const longDir = 'a'.repeat(70) + '/' + 'b'.repeat(70);

async function sampleFolder(): Promise<void> {
  await put('b.py', 'print("b")\n');
  await put('a.py', 'print("a")\n');
  await put('run.sh', '#!/bin/sh\necho hi\n', 0o775);
  await put('secret-mode.py', 'x = 1\n', 0o600);
  await put('sub/inner.py', 'inner\n');
  await put('sub/__pycache__/inner.cpython-311.pyc', 'bytecode');
  await put('old.pyc', 'bytecode');
  await put('.git/HEAD', 'ref: refs/heads/main\n');
  await put('sub/.git', 'gitdir: ../.git/modules/sub\n');
  await put('generated/out.json', '{}\n');
  await put('ünïcödé/dåg.py', 'u = "ü"\n');
  await put(`${longDir}/deep.py`, 'deep\n');
  await put('Z.py', 'capital\n');
  await fs.symlink('../a.py', path.join(tmp, 'src', 'sub', 'link.py'));
  await fs.mkdir(path.join(tmp, 'src', 'empty'));
}

test('packs files sorted bytewise with normalized metadata and a prefix, leaving out .git, __pycache__ and *.pyc', async () => {
  await sampleFolder();
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'out.tar.gz'),
  });
  const entries = await listTarball(r.path, { withData: true });
  const names = entries.map((e) => e.name);
  expect(names).toEqual([
    'dags/Z.py',
    'dags/a.py',
    `dags/${longDir}/deep.py`,
    'dags/b.py',
    'dags/generated/out.json',
    'dags/run.sh',
    'dags/secret-mode.py',
    'dags/sub/inner.py',
    'dags/sub/link.py',
    'dags/ünïcödé/dåg.py',
  ]);
  expect(r.files).toBe(10);
  expect(r.skipped).toEqual([]);
  for (const e of entries) {
    expect(e.mtime).toBe(TARBALL_MTIME);
    expect([e.uid, e.gid, e.uname, e.gname]).toEqual([0, 0, '', '']);
  }
  const by = Object.fromEntries(entries.map((e) => [e.name, e]));
  expect(by['dags/run.sh'].mode).toBe(0o755);
  expect(by['dags/secret-mode.py'].mode).toBe(0o644);
  expect(by['dags/a.py'].mode).toBe(0o644);
  expect(by['dags/sub/link.py']).toMatchObject({ type: 'symlink', linkname: '../a.py' });
  expect(by['dags/ünïcödé/dåg.py'].data?.toString()).toBe('u = "ü"\n');
  expect(by[`dags/${longDir}/deep.py`].data?.toString()).toBe('deep\n');
  const stat = await fs.stat(r.path);
  expect(r.bytes).toBe(stat.size);
  expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
});

test('is deterministic: same folder, same bytes; a changed file changes the hash', async () => {
  await sampleFolder();
  const dir = path.join(tmp, 'src');
  const a = await writeTarball({ dir, prefix: 'dags', out: path.join(tmp, 'a.tar.gz') });
  // touch every file (new mtimes, other modes bits) and pack again
  const later = new Date(Date.now() + 86_400_000);
  await fs.utimes(path.join(dir, 'a.py'), later, later);
  await fs.chmod(path.join(dir, 'b.py'), 0o664);
  const b = await writeTarball({ dir, prefix: 'dags', out: path.join(tmp, 'b.tar.gz') });
  expect(b.sha256).toBe(a.sha256);
  expect(Buffer.compare(await fs.readFile(a.path), await fs.readFile(b.path))).toBe(0);
  await put('a.py', 'print("A")\n');
  const c = await writeTarball({ dir, prefix: 'dags', out: path.join(tmp, 'c.tar.gz') });
  expect(c.sha256).not.toBe(a.sha256);
});

test('without a prefix, entries sit at the archive root', async () => {
  await put('dbt_project.yml', 'name: x\n');
  await put('models/m.sql', 'select 1\n');
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: '',
    out: path.join(tmp, 'o.tar.gz'),
  });
  expect((await listTarball(r.path)).map((e) => e.name)).toEqual([
    'dbt_project.yml',
    'models/m.sql',
  ]);
});

test('an empty folder gives a valid, empty archive', async () => {
  await fs.mkdir(path.join(tmp, 'src'));
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'o.tar.gz'),
  });
  expect(r.files).toBe(0);
  expect(await listTarball(r.path)).toEqual([]);
  expect(gunzipSync(await fs.readFile(r.path)).length).toBe(1024);
});

test('a symlink pointing outside the folder is an error that names it', async () => {
  await put('a.py', 'a\n');
  await fs.writeFile(path.join(tmp, 'outside.py'), 'x\n');
  await fs.symlink('../outside.py', path.join(tmp, 'src', 'escape.py'));
  await fs.symlink('/', path.join(tmp, 'src', 'root'));
  await expect(
    writeTarball({ dir: path.join(tmp, 'src'), prefix: 'dags', out: path.join(tmp, 'o.tar.gz') }),
  ).rejects.toThrow(/2 symlinks point outside .*escape\.py -> \.\.\/outside\.py.*root -> \//);
});

test('an absolute symlink to a file inside the folder is stored relative', async () => {
  await put('lib/real.py', 'real\n');
  await fs.symlink(path.join(tmp, 'src', 'lib', 'real.py'), path.join(tmp, 'src', 'alias.py'));
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'o.tar.gz'),
  });
  const e = (await listTarball(r.path)).find((x) => x.name === 'dags/alias.py');
  expect(e).toMatchObject({ type: 'symlink', linkname: 'lib/real.py' });
});

test("a relative symlink through the folder's own name is stored without it (it would dangle under dags/)", async () => {
  await put('lib/real.py', 'real\n');
  await fs.symlink('../../src/lib/real.py', path.join(tmp, 'src', 'lib', 'alias.py'));
  await fs.symlink('./lib//real.py', path.join(tmp, 'src', 'plain.py'));
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'o.tar.gz'),
  });
  const by = Object.fromEntries((await listTarball(r.path)).map((e) => [e.name, e]));
  expect(by['dags/lib/alias.py']).toMatchObject({ type: 'symlink', linkname: 'real.py' });
  expect(by['dags/plain.py']).toMatchObject({ type: 'symlink', linkname: 'lib/real.py' });
});

test('files whose size is a multiple of 512 and larger than one read chunk round-trip', async () => {
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0x61);
  for (let i = 0; i < big.length; i += 4093) big[i] = i % 251;
  await put('big.bin', big);
  await put('block.bin', Buffer.alloc(1024, 0x62));
  await put('empty.py', '');
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'o.tar.gz'),
  });
  const entries = await listTarball(r.path, { withData: true });
  expect(entries.map((e) => [e.name, e.size])).toEqual([
    ['dags/big.bin', big.length],
    ['dags/block.bin', 1024],
    ['dags/empty.py', 0],
  ]);
  expect(Buffer.compare(entries[0].data!, big)).toBe(0);
});

test('GNU/bsd tar extracts the archive to the same tree (when tar is installed)', async () => {
  if (!hasTar()) {
    console.warn('tar is not installed: skipping the extraction cross-check');
    return;
  }
  await sampleFolder();
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'o.tar.gz'),
  });
  const dest = path.join(tmp, 'x');
  await fs.mkdir(dest);
  const stderr = execFileSync('tar', ['-xzf', r.path, '-C', dest], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  expect(stderr).toBe('');
  const listed = execFileSync('tar', ['-tzf', r.path], { encoding: 'utf8' }).trim().split('\n');
  expect(listed).toEqual((await listTarball(r.path)).map((e) => e.name));
  expect(await fs.readFile(path.join(dest, 'dags', longDir, 'deep.py'), 'utf8')).toBe('deep\n');
  expect(await fs.readFile(path.join(dest, 'dags', 'ünïcödé', 'dåg.py'), 'utf8')).toBe('u = "ü"\n');
  expect(await fs.readlink(path.join(dest, 'dags', 'sub', 'link.py'))).toBe('../a.py');
  expect((await fs.stat(path.join(dest, 'dags', 'run.sh'))).mode & 0o777).toBe(0o755);
});

test.each<[string, string, string[]]>([
  ['under the prefix', 'dags', ['dags/a.py', 'dags/b_added.py', 'dags/sub/c.py']],
  ['at the root without a prefix', '', ['a.py', 'b_added.py', 'sub/c.py']],
])(
  'an added file sits at the top level %s, sorted in, mode 0644, replacing a file of that name',
  async (_name, prefix, names) => {
    await put('a.py', 'a\n');
    await put('sub/c.py', 'c\n');
    await put('b_added.py', 'the user file\n', 0o755);
    const r = await writeTarball({
      dir: path.join(tmp, 'src'),
      prefix,
      out: path.join(tmp, 'out.tar.gz'),
      extraFiles: [{ name: 'b_added.py', content: 'ours\n' }],
    });
    const entries = await listTarball(r.path, { withData: true });
    expect(entries.map((e) => e.name)).toEqual(names);
    const added = entries.find((e) => e.name.endsWith('b_added.py'))!;
    expect(added.data!.toString()).toBe('ours\n');
    expect(added.mode).toBe(0o644);
    expect(r.files).toBe(3);
    // The folder itself is unchanged.
    expect(await fs.readFile(path.join(tmp, 'src', 'b_added.py'), 'utf8')).toBe('the user file\n');
  },
);

test('the folder and DAG counts leave out the files we add (an empty folder stays empty)', async () => {
  await put('.airflowignore', 'x\n');
  const r = await writeTarball({
    dir: path.join(tmp, 'src'),
    prefix: 'dags',
    out: path.join(tmp, 'out.tar.gz'),
    extraFiles: [{ name: 'astronomer_monitoring_dag.py', content: 'ours\n' }],
  });
  expect(r.files).toBe(2);
  expect(r.folderFiles).toBe(1);
  expect(r.dagFiles).toBe(0);
});

test('an added file must be a top-level name', async () => {
  await put('a.py', 'a\n');
  await expect(
    writeTarball({
      dir: path.join(tmp, 'src'),
      prefix: 'dags',
      out: path.join(tmp, 'out.tar.gz'),
      extraFiles: [{ name: 'sub/x.py', content: 'x' }],
    }),
  ).rejects.toThrow(/top level: sub\/x\.py/);
});

// The Astro CLI's layout: a DAG tarball's entries sit under the DAG folder's own base name
// (dags-path: src/pipelines → pipelines/…), or at the root with no-dags-base-dir.
test.each<[string, string, boolean, string[]]>([
  ['dags (the default)', 'dags', false, ['dags/a.py', 'dags/sub/c.py']],
  ['src/pipelines', 'src/pipelines', false, ['pipelines/a.py', 'pipelines/sub/c.py']],
  ['a/b/my dags/', 'a/b/my dags/', false, ['my dags/a.py', 'my dags/sub/c.py']],
  ['src/pipelines with no-dags-base-dir', 'src/pipelines', true, ['a.py', 'sub/c.py']],
  ['dags with no-dags-base-dir', 'dags', true, ['a.py', 'sub/c.py']],
])('DAG tarball entry names for %s', async (_name, dagsPath, noDagsBaseDir, names) => {
  const dir = path.join(tmp, 'project', dagsPath);
  await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
  await fs.writeFile(path.join(dir, 'a.py'), 'a\n');
  await fs.writeFile(path.join(dir, 'sub', 'c.py'), 'c\n');
  const r = await writeTarball({
    dir,
    prefix: dagTarballPrefix(dir, noDagsBaseDir),
    out: path.join(tmp, 'out.tar.gz'),
  });
  expect((await listTarball(r.path)).map((e) => e.name)).toEqual(names);
});

test('an output that cannot be written fails the call (no hang, the reads stop)', async () => {
  // More than what may wait for gzip, so the writer has to wait for a drain that never comes.
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i += 7) chunk[i] = (i * 31) & 0xff;
  for (let i = 0; i < 8; i++) await put(`f${i}.bin`, chunk);
  await expect(
    writeTarball({
      dir: path.join(tmp, 'src'),
      prefix: 'dags',
      out: path.join(tmp, 'missing-folder', 'o.tar.gz'),
    }),
  ).rejects.toThrow(/ENOENT/);
});

// A stand-in for the Astro Runtime image, for the Docker-tier tests (nothing can be pulled
// here). Built once per engine with `docker import` from a tar of:
// - the host's python3 (the binary, its standard library, and the shared libraries `ldd`
//   names for the binary and its extension modules), at the same absolute paths;
// - busybox-static for /bin/sh, and python3-pytest with its dependencies, from Debian
//   packages fetched with `apt-get download` (cached in a temp folder) and unpacked with
//   `dpkg -x`;
// - a tiny STAND-IN `airflow` package (below): NOT Apache Airflow, just enough of its surface
//   (DAG, DagBag with import_errors, Variable, Connection, BaseHook, initdb) for DAG files
//   and Astro's integrity test to import and behave as they would.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Docker } from '../../src/platform/docker.js';

const run = promisify(execFile);

export const RUNTIME_IMAGE = 'astro-runtime-standin:3.0-7';
export const RUNTIME_VERSION_LABEL = 'io.astronomer.docker.runtime.version';

const DEBS = [
  'busybox-static',
  'python3-pytest',
  'python3-pluggy',
  'python3-iniconfig',
  'python3-packaging',
  'python3-attr',
  'python3-py',
  'python3-exceptiongroup',
  'python3-more-itertools',
  'python3-pkg-resources',
  'python3-tomli',
];

const BUSYBOX_APPLETS = [
  'sh',
  'ls',
  'cat',
  'cp',
  'mv',
  'rm',
  'mkdir',
  'echo',
  'env',
  'id',
  'sleep',
  'test',
  'true',
  'false',
  'grep',
  'sed',
  'find',
  'chmod',
  'touch',
  'wc',
  'head',
  'tail',
];

/** The stand-in airflow package: file name → source. */
export const STANDIN_AIRFLOW: Record<string, string> = {
  '__init__.py': `"""STAND-IN for Apache Airflow, used only by this project's Docker-tier tests.

It is not Airflow: just enough for DAG files to import and for DagBag to collect import
errors the way the scheduler does (each .py file that mentions 'airflow' and 'dag' is
imported as its own module; an exception becomes import_errors[path] = traceback text).
"""
__version__ = "0.0.0+standin"
from airflow.models.dag import DAG  # noqa: E402,F401
`,
  'models/__init__.py': `from airflow.models.dag import DAG  # noqa: F401
from airflow.models.dagbag import DagBag  # noqa: F401
from airflow.models.variable import Variable  # noqa: F401
from airflow.models.connection import Connection  # noqa: F401
`,
  'models/dag.py': `class DAG:
    """Stand-in DAG: remembers its id and tasks; usable as a context manager."""

    _current = []

    def __init__(self, dag_id, *args, **kwargs):
        self.dag_id = dag_id
        self.tasks = []
        self.fileloc = None

    def __enter__(self):
        DAG._current.append(self)
        return self

    def __exit__(self, *exc):
        DAG._current.pop()
        return False
`,
  'models/variable.py': `class Variable:
    @classmethod
    def get(cls, key, default_var=None, deserialize_json=False):
        raise KeyError(f"Variable {key} does not exist (stand-in)")
`,
  'models/connection.py': `class Connection:
    def __init__(self, conn_id=None, **kwargs):
        self.conn_id = conn_id
`,
  'models/dagbag.py': `import hashlib
import importlib.util
import os
import sys
import traceback

from airflow.models.dag import DAG


class DagBag:
    """Stand-in DagBag: imports each DAG file the way the scheduler does."""

    def __init__(self, dag_folder=None, include_examples=False, **kwargs):
        home = os.environ.get("AIRFLOW_HOME", "/usr/local/airflow")
        self.dag_folder = dag_folder or os.environ.get("AIRFLOW__CORE__DAGS_FOLDER") or os.path.join(home, "dags")
        self.dags = {}
        self.import_errors = {}
        self.file_last_changed = {}
        if self.dag_folder not in sys.path:
            sys.path.insert(0, self.dag_folder)
        self.collect_dags(self.dag_folder)

    def collect_dags(self, folder):
        if os.path.isfile(folder):
            self.process_file(folder)
            return
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    self.process_file(os.path.join(root, name))

    def process_file(self, filepath):
        with open(filepath, "rb") as f:
            content = f.read().lower()
        if b"airflow" not in content or b"dag" not in content:
            return []
        self.file_last_changed[filepath] = os.path.getmtime(filepath)
        digest = hashlib.sha1(filepath.encode()).hexdigest()
        mod_name = "unusual_prefix_" + digest + "_" + os.path.splitext(os.path.basename(filepath))[0]
        spec = importlib.util.spec_from_file_location(mod_name, filepath)
        module = importlib.util.module_from_spec(spec)
        sys.modules[mod_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception:
            sys.modules.pop(mod_name, None)
            self.import_errors[filepath] = traceback.format_exc()
            return []
        found = []
        for value in list(vars(module).values()):
            if isinstance(value, DAG):
                value.fileloc = filepath
                self.dags[value.dag_id] = value
                found.append(value)
        return found

    def size(self):
        return len(self.dags)
`,
  'hooks/__init__.py': '',
  'hooks/base.py': `from airflow.models.connection import Connection


class BaseHook:
    @classmethod
    def get_connection(cls, conn_id):
        raise KeyError(f"The conn_id {conn_id} isn't defined (stand-in)")
`,
  'utils/__init__.py': '',
  'utils/db.py': `def initdb(*args, **kwargs):
    """Stand-in: no database."""
`,
};

interface HostPython {
  exe: string;
  stdlib: string;
  dynload: string;
  site: string;
  version: string;
}

async function hostPython(): Promise<HostPython> {
  const code = [
    'import json, os, site, sys, sysconfig',
    'print(json.dumps({"exe": os.path.realpath(sys.executable), "stdlib": sysconfig.get_paths()["stdlib"],',
    ' "dynload": sysconfig.get_config_var("DESTSHARED") or os.path.join(sysconfig.get_paths()["stdlib"], "lib-dynload"),',
    ' "site": site.getsitepackages()[0], "version": "%d.%d" % sys.version_info[:2]}))',
  ].join('\n');
  const { stdout } = await run('python3', ['-c', code]);
  return JSON.parse(stdout) as HostPython;
}

/** Absolute paths of the shared libraries (and the loader) that `ldd` names for `files`. */
export function parseLdd(output: string): string[] {
  const libs = new Set<string>();
  for (const line of output.split('\n')) {
    const arrow = /=>\s+(\/\S+)\s+\(/.exec(line);
    if (arrow) libs.add(arrow[1]);
    else {
      const direct = /^\s*(\/\S+)\s+\(/.exec(line);
      if (direct) libs.add(direct[1]);
    }
  }
  return [...libs].sort();
}

/** The .debs, downloaded once into a shared temp cache. */
async function debs(): Promise<string> {
  const cache = path.join(os.tmpdir(), 'astro-standin-debs');
  if (existsSync(path.join(cache, '.complete'))) return cache;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'astro-standin-debs-'));
  await run('apt-get', ['download', ...DEBS], { cwd: dir });
  await writeFile(path.join(dir, '.complete'), '');
  try {
    await rename(dir, cache);
  } catch {
    await rm(dir, { recursive: true, force: true }); // another worker won the race
  }
  return cache;
}

/**
 * Makes sure the stand-in runtime image exists in the engine `docker` talks to; builds it
 * when missing. Returns its tag.
 */
export async function ensureRuntimeImage(
  docker: Docker,
  { tag = RUNTIME_IMAGE }: { tag?: string } = {},
): Promise<string> {
  if (await docker.imageExists(tag)) return tag;
  const py = await hostPython();
  const work = await mkdtemp(path.join(os.tmpdir(), 'astro-standin-'));
  try {
    const root = path.join(work, 'root');
    await mkdir(root);
    const debDir = await debs();
    for (const deb of (await readdir(debDir)).filter((f) => f.endsWith('.deb'))) {
      await run('dpkg', ['-x', path.join(debDir, deb), root]);
    }
    // /bin/sh and friends from busybox.
    await mkdir(path.join(root, 'bin'), { recursive: true });
    for (const applet of BUSYBOX_APPLETS) {
      const link = path.join(root, 'bin', applet);
      if (!existsSync(link)) await symlink('busybox', link);
    }
    await mkdir(path.join(root, 'usr/bin'), { recursive: true });
    if (!existsSync(path.join(root, 'usr/bin/env')))
      await symlink('/bin/busybox', path.join(root, 'usr/bin/env'));
    // python / python3 on PATH, pointing at the host binary's path (kept as a symlink so
    // Python finds its prefix from the real location).
    await mkdir(path.join(root, 'usr/local/bin'), { recursive: true });
    for (const name of ['python', 'python3', `python${py.version}`]) {
      await symlink(py.exe, path.join(root, 'usr/local/bin', name));
    }
    await symlink('/usr/bin/pytest-3', path.join(root, 'usr/local/bin/pytest'));
    if (py.exe !== '/usr/bin/python3')
      await symlink(py.exe, path.join(root, 'usr/bin/python3')).catch(() => undefined);
    // The stand-in airflow package, and a .pth putting it and Debian's dist-packages on sys.path.
    const pkg = path.join(root, 'opt/standin-airflow/airflow');
    for (const [file, source] of Object.entries(STANDIN_AIRFLOW)) {
      await mkdir(path.dirname(path.join(pkg, file)), { recursive: true });
      await writeFile(path.join(pkg, file), source);
    }
    const siteDir = path.join(root, py.site);
    await mkdir(siteDir, { recursive: true });
    await writeFile(
      path.join(siteDir, 'astro-standin.pth'),
      '/usr/lib/python3/dist-packages\n/opt/standin-airflow\n',
    );
    await mkdir(path.join(root, 'usr/local/airflow'), { recursive: true });
    await mkdir(path.join(root, 'tmp'), { recursive: true });
    await chmod(path.join(root, 'tmp'), 0o1777);
    await mkdir(path.join(root, 'etc'), { recursive: true });
    await writeFile(
      path.join(root, 'etc/passwd'),
      'root:x:0:0:root:/root:/bin/sh\nastro:x:50000:0:astro:/usr/local/airflow:/bin/sh\n',
    );
    await writeFile(path.join(root, 'etc/group'), 'root:x:0:\n');

    const dynload = (await readdir(py.dynload).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.so'))
      .map((f) => path.join(py.dynload, f));
    const ldd = await run('ldd', [py.exe, ...dynload]).catch((e: { stdout?: string }) => ({
      stdout: e.stdout ?? '',
    }));
    const libs = parseLdd(ldd.stdout);

    // Copied at their host paths (cp --parents), libraries by the names the loader asks for
    // (symlinks followed), then one tar of the whole tree (docker import refuses duplicates).
    const rel = (p: string) => path.relative('/', p);
    await run('cp', ['-L', '--parents', ...libs.map(rel), root], { cwd: '/' });
    const skip = new Set([
      'site-packages',
      'dist-packages',
      'test',
      'idlelib',
      'tkinter',
      'turtledemo',
      'ensurepip',
      'lib2to3',
    ]);
    const stdlibEntries = (await readdir(py.stdlib))
      .filter((e) => !skip.has(e) && !e.startsWith('config-'))
      .map((e) => rel(path.join(py.stdlib, e)));
    await run('cp', ['-a', '--parents', rel(py.exe), ...stdlibEntries, root], { cwd: '/' });
    const tar = path.join(work, 'image.tar');
    await run('tar', ['-cf', tar, '-C', root, '.']);
    const libDirs = [...new Set(libs.map((l) => path.dirname(l)))].join(':');
    await docker
      .command([
        'import',
        '--change',
        `LABEL ${RUNTIME_VERSION_LABEL}=3.0-7`,
        '--change',
        'WORKDIR /usr/local/airflow',
        '--change',
        'ENV PATH=/usr/local/bin:/usr/bin:/bin',
        '--change',
        `ENV LD_LIBRARY_PATH=${libDirs}`,
        '--change',
        'ENV AIRFLOW_HOME=/usr/local/airflow',
        '--change',
        'ENV PYTHONUNBUFFERED=1',
        '--change',
        'CMD ["python"]',
        tar,
        tag,
      ])
      .then((r) => {
        if (r.exitCode !== 0)
          throw new Error(`docker import of the stand-in runtime failed: ${r.stderr.trim()}`);
      });
    return tag;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

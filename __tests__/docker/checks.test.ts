// DAG checks against a real engine and the stand-in runtime image.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runChecks, pullDeployedImage, type CheckResult } from '../../src/checks/index.js';
import { createDocker } from '../../src/platform/docker.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { dockerForTests } from '../support/docker-env.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { ensureRuntimeImage } from '../support/runtime-image.js';

const docker = await dockerForTests();
const dtest = docker ? test : test.skip;

let image = '';
const dirs: string[] = [];

beforeAll(async () => {
  if (docker) image = await ensureRuntimeImage(docker);
}, 300000);

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const CLEAN_DAG = `from airflow import DAG

with DAG("clean") as dag:
    pass
`;

/** A repository with an Astro project in `proj/`; files relative to the project. */
async function project(files: Record<string, string>): Promise<{ repo: string; dir: string }> {
  const repo = await mkdtemp(path.join(os.tmpdir(), 'checks-repo-'));
  dirs.push(repo);
  const dir = path.join(repo, 'proj');
  const all: Record<string, string> = {
    Dockerfile: 'FROM quay.io/astronomer/astro-runtime:3.0-1\n',
    'dags/clean.py': CLEAN_DAG,
    'include/__init__.py': '',
    'include/helpers.py': 'def answer():\n    return 42\n',
    'tests/test_ok.py':
      'from include.helpers import answer\n\n\ndef test_answer():\n    assert answer() == 42\n',
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return { repo, dir };
}

async function check(
  p: { repo: string; dir: string },
  opts: { parse?: boolean; pytest?: boolean; img?: string } = {},
): Promise<CheckResult> {
  return runChecks({
    docker: docker!,
    image: opts.img ?? image,
    projectDir: p.dir,
    repoRoot: p.repo,
    dagsPath: 'dags',
    parse: opts.parse ?? true,
    pytest: opts.pytest ?? false,
    pytestFile: 'tests/',
    log: silentLog,
  });
}

dtest('a clean project passes parse and pytest', async () => {
  const p = await project({});
  const r = await check(p, { parse: true, pytest: true });
  expect(r.problems).toEqual([]);
  expect(r.ok).toBe(true);
  expect(r.summary).toContain('✅ **parse**');
  expect(r.summary).toContain('✅ **pytest**: passed (1 passed)');
});

dtest('a syntax error and a missing import fail with repository paths and lines', async () => {
  const p = await project({
    'dags/bad_syntax.py':
      'from airflow import DAG\n\nwith DAG("s") as dag:\n    x = (1,\n\ny = 2 +\n',
    'dags/sub/missing.py':
      '# a DAG\nfrom airflow import DAG\nimport os\nimport not_installed_anywhere\n\nDAG("m")\n',
    'dags/not_a_dag.py': 'raise RuntimeError("no airflow word here, so not imported")\n',
  });
  const r = await check(p);
  expect(r.ok).toBe(false);
  const byFile = Object.fromEntries(r.problems.map((x) => [x.file, x]));
  expect(Object.keys(byFile).sort()).toEqual([
    'proj/dags/bad_syntax.py',
    'proj/dags/sub/missing.py',
  ]);
  expect(byFile['proj/dags/bad_syntax.py']).toMatchObject({ kind: 'parse', line: 4 });
  expect(byFile['proj/dags/bad_syntax.py'].message).toMatch(/^SyntaxError: /);
  expect(byFile['proj/dags/sub/missing.py']).toMatchObject({
    kind: 'parse',
    line: 4,
    message: "ModuleNotFoundError: No module named 'not_installed_anywhere'",
  });
  expect(r.summary).toContain('`proj/dags/sub/missing.py`');
});

dtest(
  'an error raised in an imported helper is reported on the DAG line that imports it',
  async () => {
    const p = await project({
      'include/broken.py': 'def f():\n    pass\n\nraise ValueError("boom in helper")\n',
      'dags/uses_helper.py': 'from airflow import DAG\n\nimport include.broken\n\nDAG("u")\n',
    });
    const r = await check(p);
    expect(r.problems).toEqual([
      expect.objectContaining({
        file: 'proj/dags/uses_helper.py',
        line: 3,
        message: 'ValueError: boom in helper',
      }),
    ]);
    expect(r.problems[0].detail).toContain('/usr/local/airflow/include/broken.py');
  },
);

dtest(
  'top-level Variable.get and connections do not fail the own check (stubbed, as Astro does)',
  async () => {
    const p = await project({
      'dags/uses_variable.py':
        'from airflow import DAG\nfrom airflow.models import Variable\nfrom airflow.hooks.base import BaseHook\n\n' +
        'BUCKET = Variable.get("bucket")\nCONF = Variable.get("conf", deserialize_json=True)\nCONN = BaseHook.get_connection("warehouse")\n' +
        'assert CONN.conn_id == "warehouse" and CONF == {}\n\ndag = DAG("v")\n',
    });
    const r = await check(p);
    expect(r.problems).toEqual([]);
    expect(r.summary).toContain('2 DAGs loaded by DagBag');
  },
);

dtest('a failing pytest is reported with its file and line', async () => {
  const p = await project({
    'tests/test_dags.py':
      'import os\n\n\ndef test_passes():\n    assert True\n\n\ndef test_fails():\n    value = 1\n    assert value == 2, "value should be 2"\n',
  });
  const r = await check(p, { parse: false, pytest: true });
  expect(r.ok).toBe(false);
  expect(r.problems).toHaveLength(1);
  expect(r.problems[0]).toMatchObject({
    kind: 'pytest',
    file: 'proj/tests/test_dags.py',
    line: 10,
  });
  expect(r.problems[0].message).toContain('test_fails failed: AssertionError: value should be 2');
  expect(r.summary).toContain('❌ **pytest**: 1 problem (2 passed)');
});

dtest('a checkout is left untouched (read-only mount, no __pycache__, no reports)', async () => {
  const p = await project({});
  const { readdir } = await import('node:fs/promises');
  const before = (await readdir(p.dir, { recursive: true })).sort();
  await check(p, { parse: true, pytest: true });
  expect((await readdir(p.dir, { recursive: true })).sort()).toEqual(before);
});

// A copy of the shape of Astro's generated `.astro/test_dag_integrity_default.py`: one
// parametrized test per DAG file, failing with "<rel path> failed to import with message".
const ASTRO_INTEGRITY = `"""Test the validity of all DAGs. (shape of the file astro dev init writes)"""
import os

import pytest
from airflow.hooks.base import BaseHook
from airflow.models import Connection, DagBag, Variable
from airflow.utils.db import initdb

initdb()
BaseHook.get_connection = classmethod(lambda cls, key, *a, **k: Connection(key))
Variable.get = classmethod(lambda cls, key, default_var="MOCKED", **k: default_var)


def get_import_errors():
    dag_bag = DagBag(include_examples=False)

    def strip_path_prefix(path):
        return os.path.relpath(path, os.environ.get("AIRFLOW_HOME"))

    result = [(strip_path_prefix(k), v.strip()) for k, v in dag_bag.import_errors.items()]
    for dag in dag_bag.dags.values():
        if dag.fileloc not in dag_bag.import_errors:
            result.append((strip_path_prefix(dag.fileloc), "No import errors"))
    return result


@pytest.mark.parametrize("rel_path,rv", get_import_errors(), ids=[x[0] for x in get_import_errors()])
def test_file_imports(rel_path, rv):
    exceptions = []
    if os.path.exists(".astro/dag_integrity_exceptions.txt"):
        with open(".astro/dag_integrity_exceptions.txt") as f:
            exceptions = [line.strip() for line in f]
    if rv != "No import errors" and rel_path not in exceptions:
        raise Exception(f"{rel_path} failed to import with message \\n {rv}")
`;

dtest(
  "the project's own .astro/test_dag_integrity_default.py is used, honouring the exceptions file",
  async () => {
    const p = await project({
      '.astro/test_dag_integrity_default.py': ASTRO_INTEGRITY,
      '.astro/dag_integrity_exceptions.txt': '# known broken, accepted\ndags/accepted.py\n',
      'dags/broken.py':
        'from airflow import DAG\n\nDAG("b")\nraise ValueError("top-level failure")\n',
      'dags/accepted.py': 'from airflow import DAG\nimport also_missing\n',
    });
    const r = await check(p);
    expect(r.problems).toEqual([
      expect.objectContaining({
        kind: 'parse',
        file: 'proj/dags/broken.py',
        line: 4,
        message: 'ValueError: top-level failure',
      }),
    ]);
    // clean.py and the accepted file pass; broken.py fails.
    expect(r.summary).toContain('.astro/test_dag_integrity_default.py: 2 passed');
  },
);

dtest(
  'the accepted file is also dropped when the project file itself does not honour the list',
  async () => {
    const p = await project({
      '.astro/dag_integrity_exceptions.txt': 'dags/accepted.py\n',
      'dags/accepted.py': 'from airflow import DAG\nimport also_missing\n',
    });
    const log = recordingLog();
    const r = await runChecks({
      docker: docker!,
      image,
      projectDir: p.dir,
      repoRoot: p.repo,
      dagsPath: 'dags',
      parse: true,
      pytest: false,
      pytestFile: 'tests/',
      log,
    });
    expect(r.ok).toBe(true);
    expect(r.summary).toContain('1 accepted by .astro/dag_integrity_exceptions.txt');
    expect(log.lines.join('\n')).toContain(
      'Accepted by .astro/dag_integrity_exceptions.txt: proj/dags/accepted.py',
    );
  },
);

dtest(
  'a check container that cannot start (no such image) gives one clear problem, not a crash',
  async () => {
    const p = await project({});
    const r = await check(p, { img: 'no-such-image-for-checks:never' });
    expect(r.ok).toBe(false);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toMatch(
      /did not run to the end in no-such-image-for-checks:never/,
    );
  },
);

describe('pullDeployedImage', () => {
  let registry: Registry | undefined;
  const token = `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(120)}.sig`;

  beforeAll(async () => {
    if (!docker) return;
    registry = await startRegistry({ username: 'cli', password: token });
    const pusher = createDocker({ log: silentLog });
    try {
      await pusher.login(registry.host, 'cli', token);
      await pusher.tag(image, `${registry.host}/org1/dep1:deploy-1`);
      await pusher.push(`${registry.host}/org1/dep1:deploy-1`);
      await pusher.remove(`${registry.host}/org1/dep1:deploy-1`);
    } finally {
      await pusher.dispose();
    }
  }, 120000);

  afterAll(async () => {
    await registry?.stop();
  });

  dtest(
    'pulls the deployed image with the token (a scheme in imageRepository dropped) and the checks run on it',
    async () => {
      const puller = createDocker({ log: silentLog });
      try {
        const ref = await pullDeployedImage({
          docker: puller,
          imageRepository: `https://${registry!.host}/org1/dep1/`,
          imageTag: 'deploy-1',
          token,
          log: silentLog,
        });
        expect(ref).toBe(`${registry!.host}/org1/dep1:deploy-1`);
        expect(await puller.imageLabel(ref!, 'io.astronomer.docker.runtime.version')).toBe('3.0-7');
        const r = await check(await project({}), { img: ref });
        expect(r.ok).toBe(true);
        await puller.remove(ref!);
      } finally {
        await puller.dispose();
      }
    },
  );

  dtest('returns undefined (and says why) for a missing tag or a wrong token', async () => {
    const log = recordingLog();
    const d1 = createDocker({ log: silentLog });
    const d2 = createDocker({ log: silentLog });
    try {
      expect(
        await pullDeployedImage({
          docker: d1,
          imageRepository: `${registry!.host}/org1/dep1`,
          imageTag: 'nope',
          token,
          log,
        }),
      ).toBeUndefined();
      expect(
        await pullDeployedImage({
          docker: d2,
          imageRepository: `${registry!.host}/org1/dep1`,
          imageTag: 'deploy-1',
          token: 'wrong',
          log,
        }),
      ).toBeUndefined();
    } finally {
      await d1.dispose();
      await d2.dispose();
    }
    expect(log.lines.filter((l) => l.includes('could not be pulled'))).toHaveLength(2);
    expect(log.lines.join('\n')).not.toContain(token);
  });
});

dtest(
  "what the image's build made in AIRFLOW_HOME stays; the project's folders replace the image's",
  async () => {
    // An image as a project's Dockerfile makes it: a RUN step writes a file the DAGs read
    // at parse time, and an older build left a broken DAG in the image's dags/.
    const ctx = await mkdtemp(path.join(os.tmpdir(), 'checks-built-'));
    dirs.push(ctx);
    await writeFile(
      path.join(ctx, 'Dockerfile'),
      [
        `FROM ${image}`,
        'RUN mkdir -p /usr/local/airflow/generated /usr/local/airflow/dags && echo 7 > /usr/local/airflow/generated/value.txt && echo "syntax error (" > /usr/local/airflow/dags/stale_broken.py',
        '',
      ].join('\n'),
    );
    const built = 'checks-built-home:test';
    await docker!.build({ context: ctx, tag: built });
    try {
      const p = await project({
        'dags/reads_generated.py':
          'from airflow import DAG\n\nVALUE = open("/usr/local/airflow/generated/value.txt").read().strip()\nassert VALUE == "7", VALUE\n\nDAG("g")\n',
      });
      const r = await check(p, { img: built });
      expect(r.problems).toEqual([]);
      expect(r.ok).toBe(true);
    } finally {
      await docker!.remove(built);
    }
  },
  300000,
);

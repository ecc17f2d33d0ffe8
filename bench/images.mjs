// Where a real runner's minutes go: the project image. A realistic project (its requirements
// really install: a local wheelhouse of generated pure-Python packages, installed by pip in
// the build, no network) is built the way a fresh runner builds it, after a change to
// `include/`, with each layer-reuse option:
//   (a) no cache: every run reinstalls the requirements;
//   (b) BuildKit inline cache from the live image in the registry (`--cache-from <live
//       image>`, the live image pushed with `--build-arg BUILDKIT_INLINE_CACHE=1`);
//   (c) a layer cache as @actions/cache would save and restore it. `--cache-to type=local`
//       needs the buildx plugin; without it, the stand-in is `docker save` of the image at the
//       end of a run and `docker load` + `--cache-from` it at the start of the next (the
//       archive's upload/download to GitHub's cache service cannot be measured here).
// And the image the parse check of a DAG-only deploy runs in: the pulled live image vs a
// rebuild (no cache) vs a rebuild with inline cache vs a restored (`docker load`) image.
//
// Runs alone: `node bench/run.mjs images` (BENCH_IMAGE_RUNS=n for n runs per figure, default 3).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { figure, now, parseCheck, quiet, withDockerBench } from './lib.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_IMAGE_RUNS) || 3);
const PACKAGES = 40;
const MODULES = 25;

/** Writes PACKAGES pure-Python wheels (MODULES modules each) into `dir`, with Python's zipfile. */
function writeWheelhouse(dir) {
  const code = `
import base64, hashlib, os, sys, zipfile
out, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
for i in range(n):
    name = f"benchpkg_{i:02d}"
    files = {f"{name}/__init__.py": f"VERSION = '1.0.{i}'\\n"}
    for j in range(m):
        body = "".join(f"def f_{j}_{k}(x):\\n    return x * {k} + {i}\\n\\n" for k in range(60))
        files[f"{name}/mod_{j:02d}.py"] = body
    di = f"{name}-1.0.{i}.dist-info"
    files[f"{di}/METADATA"] = f"Metadata-Version: 2.1\\nName: {name}\\nVersion: 1.0.{i}\\n"
    files[f"{di}/WHEEL"] = "Wheel-Version: 1.0\\nGenerator: bench\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"
    record = []
    for p, t in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{p},sha256={digest},{len(t.encode())}")
    record.append(f"{di}/RECORD,,")
    files[f"{di}/RECORD"] = "\\n".join(record) + "\\n"
    with zipfile.ZipFile(os.path.join(out, f"{name}-1.0.{i}-py3-none-any.whl"), "w", zipfile.ZIP_DEFLATED) as z:
        for p, t in files.items():
            z.writestr(p, t)
`;
  execFileSync('python3', ['-c', code, dir, String(PACKAGES), String(MODULES)]);
}

/** An Astro-like project: its Dockerfile does what astro-runtime's ONBUILD steps do. */
function writeProject(dir, base) {
  const files = {
    Dockerfile: [
      `FROM ${base}`,
      'COPY wheels/ /usr/local/wheels/',
      'COPY requirements.txt /usr/local/airflow/requirements.txt',
      'RUN python -m pip install --no-index --find-links /usr/local/wheels -r /usr/local/airflow/requirements.txt',
      'COPY . /usr/local/airflow/',
      '',
    ].join('\n'),
    'requirements.txt':
      Array.from({ length: PACKAGES }, (_, i) => `benchpkg_${String(i).padStart(2, '0')}`).join(
        '\n',
      ) + '\n',
    'include/__init__.py': '',
    'include/common.py': 'DEFAULTS = {"owner": "data"}\n',
  };
  for (let i = 0; i < 50; i++) {
    files[`dags/dag_${i}.py`] =
      `from airflow import DAG\nimport benchpkg_${String(i % PACKAGES).padStart(2, '0')}.mod_00\nfrom include.common import DEFAULTS\n\nwith DAG("dag_${i}", default_args=DEFAULTS) as dag:\n    pass\n`;
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  writeWheelhouse(path.join(dir, 'wheels'));
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchImages() {
  return withDockerBench(
    'images',
    'images: build after an include/ change',
    async ({ lib, docker, standin, registry, root }) => {
      const client = await docker.client();
      const buildx = (await docker.command(['buildx', 'version'])).exitCode === 0;

      // The base image: the stand-in runtime plus pip (python -m ensurepip, offline).
      const baseRef = `${registry.host}/astronomer/astro-runtime:3.0-1`;
      const baseDir = path.join(root, 'base');
      fs.mkdirSync(baseDir);
      // The stand-in carries no pip: the host Python's own pip package goes in, at its path.
      const pipDir = execFileSync('python3', [
        '-c',
        'import os, pip; print(os.path.dirname(pip.__file__))',
      ])
        .toString()
        .trim();
      fs.cpSync(pipDir, path.join(baseDir, 'pip'), { recursive: true });
      fs.writeFileSync(
        path.join(baseDir, 'Dockerfile'),
        `FROM ${standin}\nCOPY pip ${pipDir}\nRUN python -m pip --version\n`,
      );
      await docker.build({ context: baseDir, tag: baseRef });
      await docker.push(baseRef);

      const project = path.join(root, 'project');
      writeProject(project, baseRef);
      const liveRepo = `${registry.host}/org/deployment`;
      const local = 'bench-images-build:latest';
      let serial = 0;
      const changeInclude = () =>
        fs.writeFileSync(
          path.join(project, 'include', 'common.py'),
          `DEFAULTS = {"owner": "data", "n": ${++serial}}\n`,
        );
      const fresh = async (keep = []) => {
        const out = await docker.command(['images', '--format', '{{.Repository}}:{{.Tag}}']);
        for (const ref of out.stdout.split('\n').map((l) => l.trim()))
          if (ref && !ref.endsWith(':<none>') && !keep.includes(ref)) await docker.remove(ref);
        await docker.command(['image', 'prune', '--force']);
        await docker.command(['builder', 'prune', '--all', '--force']);
      };
      const timed = async (fn) => {
        const t = now();
        await fn();
        return now() - t;
      };

      // The live image: a previous run's build, pushed with its inline cache metadata.
      let liveTag = 0;
      const pushLive = async () => {
        const ref = `${liveRepo}:deploy-${++liveTag}`;
        await docker.tag(local, ref);
        await docker.push(ref);
        return ref;
      };

      const t = {
        cold: [],
        coldInline: [],
        push: [],
        none: [],
        inline: [],
        save: [],
        load: [],
        restored: [],
        checkPulled: [],
        checkRebuild: [],
        checkInline: [],
        checkRestored: [],
      };
      let tarBytes = 0;
      const check = (image) => parseCheck({ lib, docker, root, quiet }, project, image);
      const tarFile = path.join(root, 'image.tar');
      for (let i = 0; i < RUNS; i++) {
        // Cold, without and with the inline cache metadata (what it costs the build).
        await fresh();
        t.cold.push(await timed(() => docker.build({ context: project, tag: local })));
        await fresh();
        t.coldInline.push(
          await timed(() => docker.build({ context: project, tag: local, inlineCache: true })),
        );
        let live;
        t.push.push(await timed(async () => (live = await pushLive())));
        // (c)'s save, at the end of that run.
        t.save.push(await timed(() => docker.command(['save', '--output', tarFile, local])));
        tarBytes = fs.statSync(tarFile).size;

        // A new run on a fresh runner after an include/ change.
        changeInclude();
        await fresh();
        t.none.push(await timed(() => docker.build({ context: project, tag: local })));
        await fresh();
        t.inline.push(
          await timed(() =>
            docker.build({
              context: project,
              tag: local,
              inlineCache: true,
              cacheFrom: [live],
            }),
          ),
        );
        await fresh();
        t.load.push(await timed(() => docker.command(['load', '--input', tarFile])));
        t.restored.push(
          await timed(() =>
            docker.build({ context: project, tag: local, inlineCache: true, cacheFrom: [live] }),
          ),
        );

        // The parse check of a DAG-only deploy, each from a fresh runner.
        await fresh();
        t.checkPulled.push(
          await timed(async () => {
            await docker.pull(live);
            await check(live);
          }),
        );
        await fresh();
        t.checkRebuild.push(
          await timed(async () => {
            await docker.build({ context: project, tag: local });
            await check(local);
          }),
        );
        await fresh();
        t.checkInline.push(
          await timed(async () => {
            await docker.build({
              context: project,
              tag: local,
              inlineCache: true,
              cacheFrom: [live],
            });
            await check(local);
          }),
        );
        await fresh();
        t.checkRestored.push(
          await timed(async () => {
            const r = await docker.command(['load', '--input', tarFile]);
            if (r.exitCode !== 0) throw new Error(`docker load failed: ${r.stderr}`);
            await check(live);
          }),
        );
      }
      await fresh();
      const cacheNote = buildx
        ? ''
        : `; ${client.path} has no buildx plugin, so \`--cache-to type=local\` cannot run here: (c) is \`docker save\` / \`docker load\` of the image (${(tarBytes / 2 ** 20).toFixed(1)} MiB uncompressed), without the upload/download a real cache adds`;
      const runsNote = `median of ${RUNS}; fresh engine state before each build (as a new runner); ${PACKAGES} generated wheels installed by pip`;
      return [
        figure('images: cold build (no cache)', med(t.cold), 'ms', { note: runsNote }),
        figure(
          'images: cold build with inline cache metadata (BUILDKIT_INLINE_CACHE=1)',
          med(t.coldInline),
          'ms',
          {
            baseline: med(t.cold),
            note: 'what writing the cache metadata costs the build',
          },
        ),
        figure('images: (a) build after an include/ change, no cache', med(t.none), 'ms', {
          baseline: med(t.cold),
          note: 'every run reinstalls the requirements',
        }),
        figure(
          'images: (b) build after an include/ change, --cache-from the live image',
          med(t.inline),
          'ms',
          {
            baseline: med(t.none),
            note: 'only the layers after the change rebuild; the cached ones are pulled from the registry',
          },
        ),
        figure(
          'images: (c) restore (docker load) + build after an include/ change',
          med(t.load) + med(t.restored),
          'ms',
          {
            baseline: med(t.none),
            note: `of which load ${Math.round(med(t.load))} ms; plus docker save ${Math.round(med(t.save))} ms at the end of the previous run${cacheNote}`,
          },
        ),
        figure('checks: DAG-only parse check, pulled live image', med(t.checkPulled), 'ms', {
          baseline: med(t.checkRebuild),
          goal: 'ratio ≤ 0.2 (baseline: rebuild without cache + parse)',
        }),
        figure(
          'checks: DAG-only parse check, rebuild with --cache-from the live image',
          med(t.checkInline),
          'ms',
          {
            baseline: med(t.checkRebuild),
          },
        ),
        figure(
          'checks: DAG-only parse check, restored image (docker load)',
          med(t.checkRestored),
          'ms',
          {
            baseline: med(t.checkRebuild),
            note: 'without the cache download a real restore adds',
          },
        ),
      ];
    },
  );
}

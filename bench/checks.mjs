// Parse check for a DAG-only change: the deployed image pulled from the registry, against
// rebuilding the project's image, same project, same run. Both start the way a fresh runner
// does (neither image nor base image local, no layer cache): the pulled path logs in, pulls
// the deployed image and runs the parse check; the rebuild path pulls the base image, builds
// the project (no cache) and runs the same check.
//
// It needs a Docker engine (an existing one, or a private dockerd when root). The action's
// TypeScript (src/platform/docker.ts, src/checks) and the test helpers (stand-in runtime image,
// registry) are bundled with esbuild into bench/results/ and imported, so no dist/ is needed.
import fs from 'node:fs';
import path from 'node:path';
import { figure, now, parseCheck, quiet, withDockerBench } from './lib.mjs';

const RUNS = 3;

function writeProject(dir, base) {
  const files = {
    // What a minimal Astro project's build does beyond the base image.
    Dockerfile: `FROM ${base}\nCOPY . /usr/local/airflow/\nRUN python -m compileall -q /usr/local/airflow\n`,
    'requirements.txt': '',
    'include/__init__.py': '',
    'include/common.py': 'DEFAULTS = {"owner": "data"}\n',
    'tests/test_nothing.py': 'def test_ok():\n    assert True\n',
  };
  for (let i = 0; i < 50; i++) {
    files[`dags/dag_${i}.py`] =
      `from airflow import DAG\nfrom include.common import DEFAULTS\n\nwith DAG("dag_${i}", default_args=DEFAULTS) as dag:\n    pass\n`;
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
}

export async function benchChecks() {
  return withDockerBench(
    'checks',
    'checks: parse a DAG-only change, pulled image',
    async ({ lib, docker, standin, registry, token, root }) => {
      const baseRef = `${registry.host}/astronomer/astro-runtime:3.0-1`;
      const deployedRepo = `${registry.host}/org/deployment`;
      const deployedRef = `${deployedRepo}:deploy-1`;
      const project = path.join(root, 'project');
      writeProject(project, baseRef);

      // The registry holds the base image and the deployed image, as Astro's would.
      await docker.tag(standin, baseRef);
      await docker.push(baseRef);
      await docker.build({ context: project, tag: deployedRef, exclude: ['dags'] });
      await docker.push(deployedRef);

      const fresh = async () => {
        for (const ref of [standin, baseRef, deployedRef, 'bench-checks-build:latest'])
          await docker.remove(ref);
        await docker.command(['builder', 'prune', '--all', '--force']);
      };
      const check = (image) => parseCheck({ lib, docker, root, quiet }, project, image);

      const runs = { pulled: [], pull: [], parse: [], rebuilt: [], basePull: [], build: [] };
      const timed = async (key, fn) => {
        const t = now();
        const out = await fn();
        runs[key].push(now() - t);
        return out;
      };
      for (let i = 0; i < RUNS; i++) {
        await fresh();
        let t = now();
        const d = lib.createDocker({ log: quiet });
        const ref = await timed('pull', () =>
          lib.pullDeployedImage({
            docker: d,
            imageRepository: deployedRepo,
            imageTag: 'deploy-1',
            token,
            log: quiet,
          }),
        );
        if (!ref) throw new Error('the deployed image could not be pulled');
        await timed('parse', () => check(ref));
        await d.dispose();
        runs.pulled.push(now() - t);

        await fresh();
        t = now();
        await timed('basePull', () => docker.pull(baseRef));
        await timed('build', () =>
          docker.build({ context: project, tag: 'bench-checks-build:latest' }),
        );
        await check('bench-checks-build:latest');
        runs.rebuilt.push(now() - t);
      }
      await fresh();
      const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      // The pulled path saves exactly the build; both paths pull about the same bytes. So the
      // ratio depends on how long the project's build takes: this is the build time from which
      // the pulled path is 5× faster, from this run's own figures.
      const rebuiltWithoutBuild = med(runs.rebuilt) - med(runs.build);
      const breakEven = Math.max(0, 5 * med(runs.pulled) - rebuiltWithoutBuild);
      return [
        figure('checks: parse a DAG-only change, pulled deployed image', med(runs.pulled), 'ms', {
          baseline: med(runs.rebuilt),
          goal: 'ratio ≤ 0.2 (5× faster than rebuilding: pull base + build + parse)',
          note: 'stand-in runtime image (host Python + pytest, no Airflow), loopback registry, no requirements to install: the build step is near zero here, so both paths are about one image pull',
        }),
        figure('checks: build time from which the pulled path is 5× faster', breakEven, 'ms', {
          note: "5 × pulled path − (rebuild path without its build); a real project's build installs its requirements, which usually takes longer",
        }),
        figure('checks: of which pull of the deployed image (login + pull)', med(runs.pull), 'ms', {
          baseline: med(runs.basePull),
          note: 'baseline: pull of the base image',
        }),
        figure('checks: of which build of the project (no cache)', med(runs.build), 'ms'),
        figure('checks: of which the parse check (50 DAGs, one container)', med(runs.parse), 'ms'),
      ];
    },
  );
}

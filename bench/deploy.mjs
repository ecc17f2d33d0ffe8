// Deploy benchmarks (figures, not pass/fail), each beside its baseline in the same run:
// - the DAG tarball alone (writeTarball) of 60 MB in 2,000 files vs `tar -czf` of the same
//   folder, on content that compresses well (DAG-like code, where per-file costs dominate) and
//   on content that does not (random bytes), runs alternating, medians (goal ≤ 1.5× on both);
// - a DAG-only deploy (create, tar.gz, upload, finalize) of a 60 MB, 2,000-file DAG folder to
//   the emulator vs `tar -czf` of the same folder (goal ≤ 2×);
// - peak RSS of the deploying process for a 500 MB DAG folder (goal < 150 MB);
// - time from the emulator's rollout finishing to executeDeploy returning (goal < 2 s).
// The deploy runs in a child process (src/deploy/bench-entry.ts, bundled here with esbuild),
// so its memory is its own and not the emulator's, which keeps uploads in memory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { figure, now, ROOT, tmp } from './lib.mjs';

const MB = 1e6;

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'dag task operator schedule retries default_args xcom pull push sensor hook connection variable pool trigger run start end date python bash sql extract transform load warehouse table partition'.split(
    ' ',
  );

/** A DAG file as generated DAG code tends to look: one template, a few names changed. */
function dagCode(i, rand, per) {
  const parts = [
    'from airflow import DAG\nfrom airflow.operators.python import PythonOperator\n\n',
  ];
  let n = parts[0].length;
  for (let t = 0; n < per; t++) {
    const w = WORDS[(rand() * WORDS.length) | 0];
    const block =
      `def ${w}_${i}_${t}(**context):\n    rows = context["ti"].xcom_pull(task_ids="${w}_${t}")\n` +
      `    return [r for r in rows if r["${w}"] is not None]\n\n` +
      `with DAG("dag_${i}_${t}", schedule="@daily", catchup=False) as dag_${t}:\n` +
      `    PythonOperator(task_id="${w}_${t}", python_callable=${w}_${i}_${t}, retries=${t % 5})\n\n`;
    parts.push(block);
    n += block.length;
  }
  return Buffer.from(parts.join('')).subarray(0, per);
}

/**
 * A DAG folder of `files` files totalling about `bytes`. Kinds: 'mixed', Python-like text
 * (compresses about 4:1, like real code and SQL) with some incompressible data files mixed in;
 * 'code', generated DAG code (compresses well, so per-file costs dominate); 'random', bytes that
 * do not compress.
 */
function makeDagFolder(dir, files, bytes, seed, kind = 'mixed') {
  const rand = rng(seed);
  const per = Math.floor(bytes / files);
  for (let i = 0; i < files; i++) {
    const binary = kind === 'random' || (kind === 'mixed' && i % 10 === 9);
    const rel = path.join(
      `team_${i % 25}`,
      `sub_${i % 7}`,
      binary ? `data_${i}.bin` : `dag_${i}.py`,
    );
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    let buf;
    if (kind === 'code') {
      buf = dagCode(i, rand, per);
    } else if (binary) {
      buf = Buffer.alloc(per);
      for (let j = 0; j < per; j += 4)
        buf.writeUInt32LE((rand() * 2 ** 32) >>> 0, Math.min(j, per - 4));
    } else {
      const parts = [];
      let n = 0;
      while (n < per) {
        const line = `    ${WORDS[(rand() * WORDS.length) | 0]}_${(rand() * 1000) | 0} = ${WORDS[(rand() * WORDS.length) | 0]}(${(rand() * 1e6) | 0})\n`;
        parts.push(line);
        n += line.length;
      }
      buf = Buffer.from(parts.join('')).subarray(0, per);
    }
    fs.writeFileSync(p, buf);
  }
}

function folderBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size;
  }
  return total;
}

async function bundleEntry(work) {
  const outfile = path.join(work, 'bench-deploy.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'src', 'deploy', 'bench-entry.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
  });
  return outfile;
}

/** One deploy in a child process; resolves with its JSON line and its peak RSS (KiB). */
function deployInChild(entry, emulator, settings) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ASTRO_API_URL: emulator.url,
        ASTRO_API_TOKEN: emulator.token,
        BENCH_DEPLOY: JSON.stringify(settings),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        /* gone */
      }
    }, 20);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0)
        return reject(
          new Error(`bench deploy exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`),
        );
      const r = JSON.parse(out.trim().split('\n').pop());
      resolve({ ...r, peakKiB: Math.max(peakKiB, r.maxRssKiB ?? 0) });
    });
  });
}

function medianOf(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** src/deploy/tarball.ts, bundled for this process. */
async function tarballModule(work) {
  const outfile = path.join(work, 'bench-tarball.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'src', 'deploy', 'tarball.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  return import(outfile);
}

/**
 * The DAG tarball alone vs `tar -czf`, on 60 MB in 2,000 files of each kind: 5 runs each,
 * alternating (the machine may be shared: each ratio compares neighbours), medians.
 */
async function benchTarball(work) {
  const { writeTarball } = await tarballModule(work);
  const figures = [];
  const kinds = [
    ['code', 'compress well (generated DAG code)', 60 * MB],
    ['random', 'do not compress (random bytes)', 60 * MB],
    // Per-file costs alone: compression takes next to nothing here.
    ['code', 'are small (1 KB of DAG code each)', 2 * MB],
  ];
  for (const [kind, what, bytes] of kinds) {
    const dags = path.join(work, `t-${kind}`, 'dags');
    makeDagFolder(dags, 2000, bytes, 60, kind);
    const out = path.join(work, 'ours.tar.gz');
    const base = path.join(work, 'baseline.tar.gz');
    const ours = [];
    const tars = [];
    const ratios = [];
    await writeTarball({ dir: dags, prefix: 'dags', out }); // warm the page cache
    for (let i = 0; i < 5; i++) {
      let t = now();
      const r = spawnSync('tar', ['-czf', base, '-C', path.dirname(dags), 'dags']);
      if (r.status !== 0) throw new Error(`tar -czf failed: ${r.stderr}`);
      tars.push(now() - t);
      t = now();
      await writeTarball({ dir: dags, prefix: 'dags', out });
      ours.push(now() - t);
      ratios.push(ours[i] / tars[i]);
    }
    const size = (f) => (fs.statSync(f).size / MB).toFixed(1);
    const f = figure(
      `DAG tarball, ${(folderBytes(dags) / MB).toFixed(0)} MB in 2,000 files that ${what}`,
      medianOf(ours),
      'ms',
      {
        baseline: medianOf(tars),
        goal: bytes >= 60 * MB ? '≤ 1.5× tar -czf' : undefined,
        note: `ratio: median of 5 per-run ratios (${ratios.map((x) => x.toFixed(2)).join(', ')}), runs alternating with tar -czf; tar.gz ${size(out)} MB (tar -czf ${size(base)} MB)`,
      },
    );
    f.ratio = Math.round(medianOf(ratios) * 100) / 100;
    figures.push(f);
    fs.rmSync(path.join(work, `t-${kind}`), { recursive: true, force: true });
  }
  return figures;
}

/** `npm run bench -- tarball`: the tarball figures alone. */
export async function benchTarballOnly() {
  const work = tmp('bench-tarball-');
  try {
    return await benchTarball(work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export async function benchDeploy({ emulator }) {
  const work = tmp('bench-deploy-');
  const figures = [];
  try {
    figures.push(...(await benchTarball(work)));
    const entry = await bundleEntry(work);

    // 1. 60 MB, 2,000 files: deploy (no waiting) vs tar -czf, alternating, median of 3.
    const small = path.join(work, 'p60', 'dags');
    makeDagFolder(small, 2000, 60 * MB, 60);
    const smallBytes = folderBytes(small);
    const ours = [];
    const tars = [];
    for (let i = 0; i < 3; i++) {
      const t = now();
      const r = spawnSync('tar', [
        '-czf',
        path.join(work, 'baseline.tar.gz'),
        '-C',
        path.dirname(small),
        'dags',
      ]);
      if (r.status !== 0) throw new Error(`tar -czf failed: ${r.stderr}`);
      tars.push(now() - t);
      const d = await deployInChild(entry, emulator, {
        deployment: 'analytics',
        dagsDir: small,
        waitMs: 0,
      });
      ours.push(d.ms);
    }
    const tarGz = fs.statSync(path.join(work, 'baseline.tar.gz')).size;
    figures.push(
      figure(
        `DAG-only deploy, ${(smallBytes / MB).toFixed(0)} MB in 2,000 files (create, tar.gz, upload, finalize)`,
        medianOf(ours),
        'ms',
        {
          baseline: medianOf(tars),
          goal: '≤ 2× tar -czf',
          note: `tar -czf output ${(tarGz / MB).toFixed(1)} MB`,
        },
      ),
    );

    // 2. rollout finished → executeDeploy returned (wait on), 5 runs.
    const tiny = path.join(work, 'tiny', 'dags');
    makeDagFolder(tiny, 20, 200_000, 7);
    const gaps = [];
    for (let i = 0; i < 5; i++) {
      const d = await deployInChild(entry, emulator, {
        deployment: 'analytics',
        dagsDir: tiny,
        waitMs: 120_000,
      });
      const rollout = emulator.state.rollouts.find((r) => r.deployId === d.deployId);
      gaps.push(d.returnedAt - rollout.finishedAt);
    }
    figures.push(
      figure('rollout finished → deploy returned (median of 5)', medianOf(gaps), 'ms', {
        goal: '< 2000 ms',
        note: `max ${Math.max(...gaps).toFixed(0)} ms`,
      }),
    );
    fs.rmSync(path.join(work, 'p60'), { recursive: true, force: true });
    fs.rmSync(path.join(work, 'baseline.tar.gz'), { force: true });

    // 3. peak RSS, 500 MB folder (2,000 files of 250 KB).
    const big = path.join(work, 'p500', 'dags');
    makeDagFolder(big, 2000, 500 * MB, 500);
    const bigBytes = folderBytes(big);
    const d = await deployInChild(entry, emulator, {
      deployment: 'analytics',
      dagsDir: big,
      waitMs: 0,
    });
    figures.push(
      figure(
        `peak RSS deploying ${(bigBytes / MB).toFixed(0)} MB of DAGs`,
        d.peakKiB / 1024,
        'MiB',
        {
          goal: '< 150 MB',
          note: `tarball ${(d.tarballBytes / MB).toFixed(0)} MB, ${(d.ms / 1000).toFixed(1)} s`,
        },
      ),
    );
    // The emulator holds uploads in memory: drop ours.
    for (const [v, b] of emulator.state.blobs)
      if (b.bytes.length > 10 * MB) emulator.state.blobs.delete(v);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return figures;
}

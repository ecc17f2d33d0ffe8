// `npm run bench`: every benchmark, each figure beside its baseline measured in the same run,
// printed as a table and written to bench/results/latest.json. `npm run bench -- --readme`
// also writes the table into README.md's benchmarks section; `npm run bench -- NAME` runs
// one suite (`tarball`: only the DAG tarball figures, which `deploy` includes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.mjs';

const { startEmulator } = await import(path.join(ROOT, 'dist', 'emulator.js'));
const readme = process.argv.includes('--readme');
const only = process.argv.slice(2).find((a) => !a.startsWith('--'));

const suites = [
  ['startup', async () => (await import('./startup.mjs')).benchStartup()],
  ['decision', async (ctx) => (await import('./decision.mjs')).benchDecision(ctx)],
  ['deploy', async (ctx) => optional('./deploy.mjs', 'benchDeploy', ctx)],
  // Part of `deploy` already; by name only, to measure the tarball again without the rest.
  ['tarball', async () => optional('./deploy.mjs', 'benchTarballOnly'), { byNameOnly: true }],
  ['checks', async (ctx) => optional('./checks.mjs', 'benchChecks', ctx)],
  ['images', async (ctx) => optional('./images.mjs', 'benchImages', ctx)],
];

async function optional(file, fn, ctx) {
  if (!fs.existsSync(path.join(ROOT, 'bench', file))) return [];
  return (await import(file))[fn](ctx);
}

const figures = [];
for (const [name, run, { byNameOnly = false } = {}] of suites) {
  if (only ? only !== name : byNameOnly) continue;
  const emulator = await startEmulator({ createDelayMs: 50, rolloutDelayMs: 200 });
  try {
    process.stderr.write(`bench: ${name}…\n`);
    figures.push(...(await run({ emulator })));
  } catch (err) {
    figures.push({
      name: `${name}: failed`,
      value: NaN,
      unit: '',
      note: err.message.split('\n')[0],
    });
  } finally {
    await emulator.close();
  }
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const cell = (x) => String(x ?? '').replace(/\|/g, '\\|');
const table = [
  '| figure | value | baseline | ratio | goal and notes |',
  '|---|---|---|---|---|',
  ...figures.map(
    (f) =>
      `| ${cell(f.name)} | ${f.value} ${f.unit} | ${f.baseline ? `${f.baseline} ${f.unit}` : ''} | ${f.ratio ? `${f.ratio}×` : ''} | ${cell([f.goal, f.note].filter(Boolean).join(' — '))} |`,
  ),
].join('\n');
const at = new Date().toISOString();
console.log(`\nBenchmarks on ${machine}\n`);
console.log(table);
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, 'bench', 'results', 'latest.json'),
  JSON.stringify({ machine, at, figures }, null, 2),
);
if (readme) {
  const file = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const re = /(<!-- bench -->\n)[\s\S]*?(<!-- \/bench -->)/;
  if (!re.test(text)) throw new Error('README.md lacks the <!-- bench --> markers');
  const body = `Measured on ${machine}, ${at.slice(0, 10)}.\n\n${table}\n`;
  fs.writeFileSync(
    file,
    text.replace(re, (_m, open, close) => `${open}${body}${close}`),
  );
  console.log('\nREADME.md benchmarks section written.');
}

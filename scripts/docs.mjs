// `npm run docs`: writes the inputs and outputs tables of README.md from action.yml, between
// the <!-- inputs --> / <!-- outputs --> markers. `--check` fails when README.md has drifted.
import fs from 'node:fs';
import { parse } from 'yaml';

const action = parse(fs.readFileSync('action.yml', 'utf8'));
const cell = (s) =>
  String(s ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

const inputs = [
  '| input | default | description |',
  '|---|---|---|',
  ...Object.entries(action.inputs).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.default === undefined || i.default === '' ? '' : `\`${cell(i.default)}\``} | ${cell(i.description)} |`,
  ),
].join('\n');
const outputs = [
  '| output | description |',
  '|---|---|',
  ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`),
].join('\n');

const replace = (text, marker, body) => {
  const re = new RegExp(`(<!-- ${marker} -->\\n)[\\s\\S]*?(<!-- /${marker} -->)`);
  if (!re.test(text))
    throw new Error(`README.md lacks the <!-- ${marker} --> … <!-- /${marker} --> markers`);
  return text.replace(re, (_m, open, close) => `${open}${body}\n${close}`);
};

const readme = fs.readFileSync('README.md', 'utf8');
const next = replace(replace(readme, 'inputs', inputs), 'outputs', outputs);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error(
      'README.md inputs/outputs tables differ from action.yml: run npm run docs and commit README.md.',
    );
    process.exit(1);
  }
  console.log('README.md tables match action.yml.');
} else {
  fs.writeFileSync('README.md', next);
  console.log('README.md tables written from action.yml.');
}

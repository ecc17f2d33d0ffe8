// `npm run validate`: action-validator over action.yml, our workflows and every example
// workflow under docs/. The validator's schema predates `runs.using: node24`, so action.yml
// is checked as a copy that says node20 (the only difference it cannot judge).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.join('node_modules', '.bin', 'action-validator');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-'));
const action = path.join(dir, 'action.yml');
const text = fs.readFileSync('action.yml', 'utf8');
if (!/^\s+using: node24$/m.test(text)) throw new Error('action.yml must run on node24');
fs.writeFileSync(action, text.replace(/^(\s+using:) node24$/m, '$1 node20'));

const workflows = ['.github/workflows', 'docs/workflows'].flatMap((d) =>
  fs
    .readdirSync(d)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(d, f)),
);
let failed = 0;
for (const file of [action, ...workflows]) {
  const r = spawnSync(bin, [file], { encoding: 'utf8' });
  const name = file === action ? 'action.yml' : file;
  if (r.status === 0) console.log(`valid: ${name}`);
  else {
    failed++;
    console.error(`INVALID: ${name}\n${r.stdout}${r.stderr}`);
  }
}
fs.rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

// The decision is read-only: a lint rule keeps src/decide/ from importing what changes the
// world (deploy/, preview/, flows/, github/, docker). These tests check that the rule bites,
// and that today's src/decide/ obeys it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = process.cwd();
const ESLINT = path.join(ROOT, 'node_modules', '.bin', 'eslint');
const RULE = '@typescript-eslint/no-restricted-imports';

function lint(text: string, file: string): { code: number | null; out: string } {
  const r = spawnSync(ESLINT, ['--format', 'json', '--stdin', '--stdin-filename', file], {
    cwd: ROOT,
    input: text,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout };
}

function restricted(text: string, file: string): string[] {
  const { out } = lint(text, file);
  const results = JSON.parse(out) as { messages: { ruleId: string; message: string }[] }[];
  return results.flatMap((r) => r.messages.filter((m) => m.ruleId === RULE).map((m) => m.message));
}

describe('src/decide/ is read-only', () => {
  const refused = [
    { name: 'deploy/', line: "import { executeDeploy } from '../deploy/execute.js';" },
    { name: 'preview/', line: "import { createPreview } from '../preview/ops.js';" },
    { name: 'docker', line: "import { createDocker } from '../docker.js';" },
    { name: 'docker in platform/', line: "import { createDocker } from '../platform/docker.js';" },
    { name: 'github/', line: "import { upsertComment } from '../github/comment.js';" },
    { name: 'flows/', line: "import { deployFlow } from '../flows/deploy.js';" },
  ];

  // One lint run for all rows (each run loads the TypeScript parser): one message per line.
  it('refuses an import of each of deploy/, preview/, docker, github/, flows/', () => {
    const text = `${refused.map((r) => r.line).join('\n')}\nexport const x = 1;\n`;
    const messages = restricted(text, 'src/decide/probe.ts');
    expect(messages).toHaveLength(refused.length);
    for (const m of messages) expect(m).toMatch(/src\/decide\/ is read-only/);
  });

  it('lets the rest of src/ import the same', () => {
    const text = "import { createDocker } from './docker.js';\nexport const x = createDocker;\n";
    expect(restricted(text, 'src/probe.ts')).toEqual([]);
  });

  it('lets src/decide/ import the project facts, git types and the API types', () => {
    const text = [
      "import { dbtBundle } from '../project/dbt.js';",
      "import type { AstroApi } from '../astro/types.js';",
      'export const x = dbtBundle;',
      'export type A = AstroApi;',
      '',
    ].join('\n');
    expect(restricted(text, 'src/decide/probe.ts')).toEqual([]);
  });

  it('holds for every file in src/decide/ today', () => {
    const r = spawnSync(ESLINT, ['--format', 'json', 'src/decide'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string }[] }[];
    expect(results.length).toBeGreaterThan(5);
    const bad = results.flatMap((f) =>
      f.messages.filter((m) => m.ruleId === RULE).map(() => path.relative(ROOT, f.filePath)),
    );
    expect(bad).toEqual([]);
  });
});

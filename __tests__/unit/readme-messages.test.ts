// The README's troubleshooting table quotes the action's messages; a user searches for the
// words the log shows. Each quoted message (`…` standing for the parts that vary) must be one
// the action's sources can print: its fixed words, in order, on one line of a message in src/.
import fs from 'node:fs';
import path from 'node:path';

const HOLE = '\u0000';

/** Source text with every `${…}` of a template literal (nested ones too) replaced by HOLE. */
function withHoles(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}' && --depth === 0) break;
      }
      out += HOLE;
      i = j;
    } else out += text[i];
  }
  // Unescape quotes; join a message split over lines as `'…' +\n  '…'`.
  return out.replace(/\\(['"`])/g, '$1').replace(/['"`]\s*\+\s*\n\s*['"`]/g, '');
}

/**
 * The quoted message as a pattern: `…` (with the spaces around it) stands for any text on the
 * line, a hole included.
 */
function messagePattern(quoted: string): RegExp {
  const parts = quoted
    .trim()
    .split(/\s*…\s*/)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('[^\\n]*?'));
}

function troubleshootingRows(readme: string): string[] {
  const start = readme.indexOf('\n## Troubleshooting');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return section
    .split('\n')
    .filter((l) => /^\|\s*`/.test(l))
    .map((l) => /^\|\s*`([^`]+)`/.exec(l)![1]);
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return p === path.join('src', 'emulator') ? [] : sources(p);
    return /\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('helpers', () => {
  it.each([
    [
      '`Deployment ${id} was not found${org}: check`',
      `\`Deployment ${HOLE} was not found${HOLE}: check\``,
    ],
    ["`a ${x ? `b ${y}` : ''} c`", `\`a ${HOLE} c\``],
    ["'can\\'t'", "'can't'"],
    ["`${a} is still ${b}; ` +\n    'raise it.'", `\`${HOLE} is still ${HOLE}; raise it.'`],
  ])('withHoles(%s)', (given, expected) => {
    expect(withHoles(given)).toBe(expected);
  });

  it.each([
    [
      'Deployment … was not found …: check deployment-id',
      'Deployment d1 was not found in o: check deployment-id',
      true,
    ],
    [
      'Deployment … was not found …: check deployment-id',
      `Deployment ${HOLE} was not found${HOLE}: check deployment-id`,
      true,
    ],
    ['ASTRO_API_TOKEN is not set …', 'ASTRO_API_TOKEN is not set in this step', true],
    [
      'The Astro API rejected the token (401) …',
      'ASTRO_API_TOKEN was rejected by the Astro API (401: x)',
      false,
    ],
    ['a … b', 'a\nb', false],
  ])('messagePattern(%s) on %s: %s', (quoted, text, matches) => {
    expect(messagePattern(quoted).test(text)).toBe(matches);
  });
});

describe('the troubleshooting table quotes messages the action prints', () => {
  const rows = troubleshootingRows(fs.readFileSync('README.md', 'utf8'));
  const text = sources('src')
    .map((f) => withHoles(fs.readFileSync(f, 'utf8')))
    .join('\n');

  it('has rows', () => {
    expect(rows.length).toBeGreaterThan(10);
  });

  it.each(rows.map((r) => [r]))('`%s`', (quoted) => {
    expect(quoted.replace(/…/g, '').trim().length).toBeGreaterThan(10);
    expect(text).toMatch(messagePattern(quoted));
  });
});

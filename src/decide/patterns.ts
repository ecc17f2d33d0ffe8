// Path patterns with Docker's .dockerignore rules (the same rules decide what reaches an
// image, so using them for classification keeps "changed" and "shipped" in agreement):
// `*` and `?` stay within one folder, `**` spans folders, `!` re-includes, the last matching
// line wins, and a pattern that matches a folder matches everything inside it.
import path from 'node:path';

interface Rule {
  negate: boolean;
  re: RegExp;
}

export class PatternSet {
  private constructor(private readonly rules: Rule[]) {}

  static parse(lines: Iterable<string>): PatternSet {
    const rules: Rule[] = [];
    for (const raw of lines) {
      // As Docker reads the file: a line that begins with `#` is a comment (an indented `#`
      // is a pattern), then spaces are trimmed.
      if (raw.startsWith('#')) continue;
      let line = raw.trim();
      if (!line) continue;
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1).trim();
      line = path.posix.normalize(line).replace(/(.)\/+$/, '$1');
      if (line.length > 1) line = line.replace(/^\/+/, '');
      if (line === '.' || line === '') continue;
      rules.push({ negate, re: compile(line) });
    }
    return new PatternSet(rules);
  }

  /** `.dockerignore` file text. */
  static fromText(text: string): PatternSet {
    // A byte order mark at the start of the file is dropped, as Docker does.
    return PatternSet.parse(text.replace(/^\uFEFF/, '').split(/\r?\n/));
  }

  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Does the set select this path (relative, forward slashes)? */
  matches(file: string): boolean {
    const parents = file.split('/').slice(0, -1);
    let matched = false;
    for (const rule of this.rules) {
      // An include cannot change an already matched path, nor an exclusion an unmatched one.
      if (rule.negate !== matched) continue;
      let hit = rule.re.test(file);
      for (let i = 1; !hit && i <= parents.length; i++)
        hit = rule.re.test(parents.slice(0, i).join('/'));
      if (hit) matched = !rule.negate;
    }
    return matched;
  }
}

function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        // Only `^` negates (Go's filepath.Match); a leading `!` is a character like any.
        const cls = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${cls}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < pattern.length) {
      re += escape(pattern[++i]);
    } else {
      re += escape(ch);
    }
  }
  return new RegExp(re + '$', 's');
}

function escape(ch: string): string {
  return /[.+^${}()|[\]\\/]/.test(ch) ? '\\' + ch : ch;
}

// Markdown for what the action writes to the job summary and the PR comments: text that came
// from users or from Astro (names, keys, messages, paths), escaped here and nowhere else.
// escapeMarkdown/cell/codeCell serve the summary and the preview comment; mdText/mdCode/mdUrl
// (stricter: every formatting character escaped) the live PR comment.

/**
 * Text shown as Markdown prose: `<` and `>` as entities (no HTML reaches the page) and `|`
 * escaped (so the text never splits a table row). Line breaks stay.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[<>|]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '\\|'));
}

/** Text for one table cell: escaped, and on one line. */
export function cell(s: string): string {
  return escapeMarkdown(s).replace(/\r?\n/g, ' ');
}

/**
 * Text shown as code in a table cell: backticks become `'` (they would end the code span),
 * `|` is escaped (GitHub splits cells before it reads code spans), on one line.
 */
export function codeCell(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ') + '`';
}

/** A two-column table without a header row. */
export function table(rows: [string, string][]): string {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n') + '\n';
}

/** Text safe in Markdown: no formatting, no HTML, no table cell break, one line. */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&');
}

/** Inline code: a backtick inside cannot end it. */
export function mdCode(s: string): string {
  const one = s.replace(/\r?\n|\r/g, ' ');
  const ticks = Math.max(0, ...[...one.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

/** An http(s) URL usable as a Markdown link target, else undefined. */
export function mdUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\/[^\s]+$/i.test(url)) return undefined;
  return url.replace(/[()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

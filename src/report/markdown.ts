// Markdown for what the action writes to the job summary and the PR comments: text that came
// from users or from Astro (names, keys, messages, paths), escaped here and nowhere else.
// escapeMarkdown is the one escaper; cell puts its text on one line (table cells, comment
// lines), mdCode/codeCell show text as code, mdUrl checks a link target.

/**
 * Text shown as Markdown prose, with no formatting of its own: `&`, `<` and `>` as entities
 * (no HTML reaches the page), every character Markdown gives a meaning (`\`, backticks, `*`,
 * brackets, `#`, `|`, `~`…) backslash-escaped, so a name like `team|*key*` shows as written
 * and never splits a table row. An `_` inside a word (API_KEY) cannot start emphasis and stays
 * as it is. Line breaks stay.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*{}[\]()#+!|~]/g, '\\$&')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
}

/** Text on one line (a table cell, a line of a comment): escaped, line breaks as spaces. */
export function cell(s: string): string {
  return escapeMarkdown(s.replace(/\r?\n|\r/g, ' '));
}

/** Text shown as code in a table cell: mdCode, with `|` escaped (GitHub splits cells first). */
export function codeCell(s: string): string {
  return mdCode(s).replace(/\|/g, '\\|');
}

/** A two-column table without a header row. */
export function table(rows: [string, string][]): string {
  return ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n') + '\n';
}

/** Inline code on one line: a backtick inside cannot end it (the fence is longer). */
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

// The one Markdown escaper for what the action writes to the job summary and the PR comment:
// text that came from users or from Astro (names, keys, messages, paths).

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

// The one Markdown escaper (src/report/markdown.ts): what users and Astro name shows as written
// in the job summary and the PR comments, never as formatting, HTML or an extra table cell.
import { cell, codeCell, escapeMarkdown, mdCode, table } from '../../src/report/markdown.js';

describe('escapeMarkdown / cell', () => {
  test.each([
    { what: 'plain text', input: 'analytics-prod 1.2', prose: 'analytics-prod 1.2' },
    { what: 'a pipe', input: 'team|key', prose: 'team\\|key' },
    { what: 'backticks', input: 'a `b` c', prose: 'a \\`b\\` c' },
    {
      what: 'HTML',
      input: '<img src=x> & <!-- c -->',
      prose: '&lt;img src=x&gt; &amp; &lt;\\!-- c --&gt;',
    },
    {
      what: 'emphasis',
      input: '*a* _b_ **c** ~d~',
      prose: '\\*a\\* \\_b\\_ \\*\\*c\\*\\* \\~d\\~',
    },
    { what: 'a link', input: '[x](http://e)', prose: '\\[x\\]\\(http://e\\)' },
    { what: 'an underscore inside a word', input: 'API_KEY x_ _y', prose: 'API_KEY x\\_ \\_y' },
    { what: 'a heading mark', input: '# h', prose: '\\# h' },
    { what: 'a backslash', input: 'a\\b', prose: 'a\\\\b' },
    { what: 'a newline', input: 'one\ntwo\r\nthree', prose: 'one\ntwo\r\nthree' },
  ])('$what', ({ input, prose }) => {
    expect(escapeMarkdown(input)).toBe(prose);
    // A cell is the same text on one line.
    expect(cell(input)).toBe(escapeMarkdown(input.replace(/\r?\n/g, ' ')));
    expect(cell(input)).not.toMatch(/[\r\n]/);
  });
});

describe('code', () => {
  test.each([
    { input: 'abc', code: '`abc`', inCell: '`abc`' },
    { input: 'a`b', code: '``a`b``', inCell: '``a`b``' },
    { input: 'a|b', code: '`a|b`', inCell: '`a\\|b`' },
    { input: 'a\nb', code: '`a b`', inCell: '`a b`' },
  ])('$input', ({ input, code, inCell }) => {
    expect(mdCode(input)).toBe(code);
    expect(codeCell(input)).toBe(inCell);
  });
});

test('a pipe or a newline in a value never adds a cell or a row to a table', () => {
  const md = table([
    ['Key', cell('team|api_key\nnext | row')],
    ['Code', codeCell('a|b')],
  ]);
  const rows = md.trimEnd().split('\n');
  expect(rows).toHaveLength(4);
  // Cells split at each `|` not escaped by a backslash: a label and a value in each row.
  for (const row of rows.slice(2)) expect(row.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(2);
});

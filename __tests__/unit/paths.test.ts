import { parseDuration } from '../../src/platform/duration.js';
import { isInside, normalizeFolder } from '../../src/project/paths.js';

test.each([
  ['x', 'x'],
  ['./x', 'x'],
  ['x/', 'x'],
  ['/x', 'x'],
  ['./x/y/', 'x/y'],
  ['', ''],
  ['.', ''],
  ['/', ''],
  ['a/../b', 'b'],
  ['..', undefined],
  ['../x', undefined],
  ['a/../../x', undefined],
])('normalizeFolder(%j) = %j', (input, expected) => {
  expect(normalizeFolder(input)).toBe(expected);
});

test.each([
  ['300s', 300_000],
  ['5m', 300_000],
  ['1h', 3_600_000],
  ['1h30m', 5_400_000],
  ['90', 90_000],
  ['10 minutes', undefined],
  ['', undefined],
  ['-5m', undefined],
  ['0s', undefined],
])('parseDuration(%j) = %j', (text, ms) => {
  expect(parseDuration(text)).toBe(ms);
});

test('isInside does not treat a sibling with the same prefix as inside', () => {
  expect(isInside('astro/dags/a.py', 'astro')).toBe(true);
  expect(isInside('astrox/a.py', 'astro')).toBe(false);
  expect(isInside('anything', '')).toBe(true);
});

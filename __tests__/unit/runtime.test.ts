import {
  airflowMajor,
  compareRuntime,
  runtimeFromDockerfile,
  runtimeRefusal,
  type RuntimeCheck,
} from '../../src/decide/runtime.js';

// [a, b, sign of compareRuntime(a, b)] — the Astro CLI's ordering.
const order: [string, string, number][] = [
  ['12.9.0', '12.9.0', 0],
  ['12.8.0', '12.9.0', -1],
  ['12.10.0', '12.9.0', 1], // numbers, not strings
  ['11.18.0', '12.0.0', -1],
  ['3.0-7', '12.9.0', 1], // every new-format version is newer than every old one
  ['3.0-5', '3.0-7', -1],
  ['3.0-10', '3.0-7', 1],
  ['3.1-1', '3.0-7', 1],
  ['3.0-7', 'v3.0-7', 0],
  ['12.0.0-rc1', '12.0.0', -1],
  ['not-a-version', '3.0-1', -1], // an invalid version is older than any valid one
  ['junk', 'other junk', 0],
];

describe('compareRuntime', () => {
  test.each(order)('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareRuntime(a, b))).toBe(sign);
    expect(Math.sign(compareRuntime(b, a))).toBe(-sign || 0);
  });
});

describe('airflowMajor', () => {
  test.each<[string, number | undefined]>([
    ['12.9.0', 2],
    ['9.1.0', 2],
    ['3.0-7', 3],
    ['3.1-1', 3],
    ['nonsense', undefined],
  ])('%s → Airflow %s', (v, major) => expect(airflowMajor(v)).toBe(major));
});

const releases = ['3.1-1', '3.0-7', '3.0-5', '12.9.0', '12.8.0', '11.18.0'];
const check = (image: string, current: string, list = releases): RuntimeCheck => ({
  image,
  current,
  deploymentName: 'prod',
  releases: list,
});

// [name, check, undefined (allowed) or the words the one sentence must hold]
const rules: [string, RuntimeCheck, RegExp | undefined][] = [
  ['same version', check('3.0-7', '3.0-7'), undefined],
  ['an upgrade within Airflow 3', check('3.1-1', '3.0-7'), undefined],
  ['an upgrade within Airflow 2', check('12.9.0', '12.8.0'), undefined],
  ['Airflow 2 → 3 from 12.x', check('3.0-7', '12.8.0'), undefined],
  ['a Deployment without a Runtime (very old): not checked', check('3.0-1', ''), undefined],
  [
    'a downgrade within Airflow 3',
    check('3.0-5', '3.0-7'),
    /^The image's Astro Runtime 3\.0-5 is older than the 3\.0-7 that prod runs.*build FROM Astro Runtime 3\.0-7 or newer\.$/,
  ],
  ['Airflow 3 → 2 is a downgrade', check('12.9.0', '3.0-7'), /older than the 3\.0-7/],
  [
    'a version the deployment options do not list',
    check('3.0-6', '3.0-5'),
    /^The image's Astro Runtime 3\.0-6 is not one the organization's deployment options list for prod.*\(3\.1-1, 3\.0-7, 3\.0-5, 12\.9\.0, 12\.8\.0, 11\.18\.0\)\.$/,
  ],
  [
    'Airflow 2 → 3 from below 12.0.0',
    check('3.0-7', '11.18.0'),
    /^The image's Astro Runtime 3\.0-7 moves prod from Airflow 2 to Airflow 3.*12\.0\.0 or newer.*runs 11\.18\.0; deploy an Astro Runtime 12 image/,
  ],
  ['a label that is no version is refused as older', check('latest', '3.0-7'), /older than/],
];

describe('runtimeRefusal', () => {
  test.each(rules)('%s', (_name, c, expected) => {
    const refusal = runtimeRefusal(c);
    if (expected === undefined) expect(refusal).toBeUndefined();
    else {
      expect(refusal).toMatch(expected);
      // one sentence
      expect(refusal!.match(/\. [A-Z]/g)).toBeNull();
    }
  });
});

describe('runtimeFromDockerfile', () => {
  test.each<[string, string, string | undefined]>([
    ['quay image', 'FROM quay.io/astronomer/astro-runtime:12.9.0\n', '12.9.0'],
    ['new registry', 'FROM astrocrpublic.azurecr.io/runtime:3.0-7\nCOPY . .\n', '3.0-7'],
    ['base variant', 'FROM quay.io/astronomer/astro-runtime:12.9.0-base\n', '12.9.0'],
    ['python variant', 'FROM astrocrpublic.azurecr.io/runtime:3.0-7-python-3.12\n', '3.0-7'],
    [
      'platform flag',
      'FROM --platform=linux/amd64 quay.io/astronomer/astro-runtime:3.1-1\n',
      '3.1-1',
    ],
    [
      'the final stage counts',
      'FROM python:3.12 AS build\nRUN true\nFROM quay.io/astronomer/astro-runtime:12.8.0\n',
      '12.8.0',
    ],
    [
      'an ARG cannot be told',
      'ARG V=3.0-7\nFROM astrocrpublic.azurecr.io/runtime:${V}\n',
      undefined,
    ],
    ['another base', 'FROM python:3.12\n', undefined],
    ['a digest', 'FROM quay.io/astronomer/astro-runtime@sha256:abc\n', undefined],
    ['no FROM', '# nothing\n', undefined],
  ])('%s', (_name, text, runtime) => expect(runtimeFromDockerfile(text)).toBe(runtime));
});

// The emulator's behaviour settings have one set of defaults (emulator/options.ts), whether the
// model is built by startEmulator, by the CLI or directly by a test: a model built directly used
// to read an unset imageTagAt as rollout-end while startEmulator's default was finalize.
import { startEmulator } from '../../emulator/index.js';
import { Model } from '../../emulator/model.js';
import { MODEL_DEFAULTS, modelOptions } from '../../emulator/options.js';

test('a model built without options runs with the documented defaults', () => {
  expect(new Model().options).toEqual(MODEL_DEFAULTS);
  expect(MODEL_DEFAULTS).toMatchObject({
    imageTagAt: 'finalize',
    concurrentRollouts: 'queue',
    deployStatusAt: 'rollout-end',
    updates: 'replace',
    deploysRefusedAt: 'create',
    rollbackRecord: 'versions',
    rolloutLagMs: 0,
  });
});

test('a setting given as undefined takes its default; a given one wins', () => {
  expect(modelOptions({ imageTagAt: undefined, rolloutLagMs: 250 })).toEqual({
    ...MODEL_DEFAULTS,
    rolloutLagMs: 250,
  });
});

const REFUSED: [string, Record<string, unknown>, string][] = [
  ['imageTagAt', { imageTagAt: 'later' }, 'imageTagAt must be rollout-end or finalize, got later'],
  ['rolloutLagMs', { rolloutLagMs: 20_000 }, 'rolloutLagMs must be 0..10000, got 20000'],
  [
    'concurrentRollouts',
    { concurrentRollouts: 'merge' },
    'concurrentRollouts must be queue or replace, got merge',
  ],
  [
    'deployStatusAt',
    { deployStatusAt: 'never' },
    'deployStatusAt must be finalize or rollout-end, got never',
  ],
  [
    'rollbackRecord',
    { rollbackRecord: 'all' },
    'rollbackRecord must be versions, versions-and-git, bare, got all',
  ],
  ['updates', { updates: 'Merge' }, 'updates must be replace or merge, got Merge'],
  [
    'deploysRefusedAt',
    { deploysRefusedAt: 'upload' },
    'deploysRefusedAt must be create or finalize, got upload',
  ],
  [
    'duplicateNameStatus',
    { duplicateNameStatus: 422 },
    'duplicateNameStatus must be 400 or 409, got 422',
  ],
  [
    'organizationProduct',
    { organizationProduct: 'hosted' },
    'organizationProduct must be HOSTED or HYBRID, got hosted',
  ],
];

test.each(REFUSED)('a %s no reading has is refused in one sentence', (_name, given, message) => {
  expect(() => modelOptions(given)).toThrow(message);
});

// startEmulator passes the behaviour settings through the same check, before it serves.
test.each(REFUSED)('startEmulator refuses a %s no reading has', async (_name, given, message) => {
  await expect(startEmulator(given)).rejects.toThrow(message);
});

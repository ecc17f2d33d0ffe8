import { parse } from 'yaml';
import * as overridesModule from '../../src/preview/overrides.js';

const { NOT_A_MAP, OVERRIDE_FIELDS } = overridesModule;
// The YAML parser is passed in (the action loads it only when an input needs it).
const checkOverrides = (text: string) => overridesModule.checkOverrides(text, parse);
const parseOverrides = (text: string) => overridesModule.parseOverrides(text, parse);

describe('parseOverrides: accepted', () => {
  test.each([
    ['', {}],
    ['   \n', {}],
    ['# nothing\n', {}],
    ['{}', {}],
    [
      'isDevelopmentMode: true\nisHighAvailability: false\nschedulerSize: SMALL',
      {
        isDevelopmentMode: true,
        isHighAvailability: false,
        schedulerSize: 'SMALL',
      },
    ],
    [
      '{"schedulerSize": "small", "executor": "celery"}',
      { schedulerSize: 'SMALL', executor: 'CELERY' },
    ],
    [
      'defaultTaskPodCpu: 0.5\ndefaultTaskPodMemory: 1Gi',
      { defaultTaskPodCpu: '0.5', defaultTaskPodMemory: '1Gi' },
    ],
    [
      'environmentVariables:\n  ENV: preview\n  DEBUG: true',
      {
        environmentVariables: [
          { key: 'ENV', isSecret: false, value: 'preview' },
          { key: 'DEBUG', isSecret: false, value: 'true' },
        ],
      },
    ],
    [
      'environmentVariables:\n  - key: A\n    value: "1"\n  - key: S\n    isSecret: true\n    value: x',
      {
        environmentVariables: [
          { key: 'A', isSecret: false, value: '1' },
          { key: 'S', isSecret: true, value: 'x' },
        ],
      },
    ],
    [
      'workerQueues:\n  - name: default\n    isDefault: true\n    maxWorkerCount: 2\n    minWorkerCount: 0\n    workerConcurrency: 5\n    astroMachine: a5',
      {
        workerQueues: [
          {
            name: 'default',
            isDefault: true,
            maxWorkerCount: 2,
            minWorkerCount: 0,
            workerConcurrency: 5,
            astroMachine: 'A5',
          },
        ],
      },
    ],
    ['contactEmails: [a@example.com]', { contactEmails: ['a@example.com'] }],
    ['scalingSpec: {}', { scalingSpec: {} }],
    ['scheduler: {au: 5, replicas: 1}', { scheduler: { au: 5, replicas: 1 } }],
    ['cloudProvider: aws\nregion: us-east-1', { cloudProvider: 'AWS', region: 'us-east-1' }],
    [
      'scalingSpec:\n  hibernationSpec:\n    schedules:\n      - {hibernateAtCron: "0 20 * * *", wakeAtCron: "0 8 * * *", isEnabled: true}',
      {
        scalingSpec: {
          hibernationSpec: {
            schedules: [
              { hibernateAtCron: '0 20 * * *', wakeAtCron: '0 8 * * *', isEnabled: true },
            ],
          },
        },
      },
    ],
  ])('%j', (text, want) => {
    expect(parseOverrides(text)).toEqual(want);
  });
});

describe('parseOverrides: rejected', () => {
  test.each([
    ['- a\n- b', NOT_A_MAP],
    ['just text', NOT_A_MAP],
    ['42', NOT_A_MAP],
    ['{ bad json', 'not valid YAML or JSON'],
    [
      'schedulerSize: HUGE',
      'preview-overrides.schedulerSize must be one of SMALL, MEDIUM, LARGE, EXTRA_LARGE',
    ],
    ['executor: LOCAL', 'preview-overrides.executor must be one of ASTRO, CELERY, KUBERNETES'],
    [
      'isDevelopmentMode: "yes please"',
      'preview-overrides.isDevelopmentMode must be true or false',
    ],
    ['workerQueues: {name: x}', 'preview-overrides.workerQueues must be a list'],
    ['workerQueues: [{name: default}]', 'preview-overrides.workerQueues[0] needs isDefault'],
    [
      'workerQueues: [{name: d, isDefault: true, maxWorkerCount: 0, minWorkerCount: 0, workerConcurrency: 1}]',
      'preview-overrides.workerQueues[0].maxWorkerCount must be a whole number >= 1',
    ],
    [
      'workerQueues: [{id: q1, name: d, isDefault: true, maxWorkerCount: 1, minWorkerCount: 0, workerConcurrency: 1}]',
      'preview-overrides.workerQueues[0] has an unknown field "id"',
    ],
    [
      'scheduler: {au: 30, replicas: 1}',
      'preview-overrides.scheduler.au must be a whole number from 5 to 24',
    ],
    ['name: other', 'use the preview-name input'],
    ['workspaceId: w2', `a preview lives in its base Deployment's workspace`],
    ['cloudProvider: GCP', 'cloudProvider without region'],
    ['contactEmails: [1, {a: b}]', 'preview-overrides.contactEmails[1] must be a string'],
    // The API's hibernation override request has isHibernating and overrideUntil only.
    [
      'scalingSpec: {hibernationSpec: {override: {isActive: true}}}',
      'preview-overrides.scalingSpec.hibernationSpec.override has an unknown field "isActive"',
    ],
  ])('%j', (text, message) => {
    expect(() => parseOverrides(text)).toThrow(message);
  });

  test('an unknown field is named and the valid ones listed', () => {
    expect(() => parseOverrides('schedulerSise: SMALL')).toThrow(
      `preview-overrides has an unknown field "schedulerSise"; valid fields: ${OVERRIDE_FIELDS.join(', ')}`,
    );
    expect(OVERRIDE_FIELDS).toContain('schedulerSize');
    expect(OVERRIDE_FIELDS).not.toContain('name');
  });

  test('every problem is reported, one per line', () => {
    const { errors, overrides } = checkOverrides(
      'foo: 1\nschedulerSize: HUGE\nisHighAvailability: 3',
    );
    expect(errors).toHaveLength(3);
    expect(overrides).toEqual({});
    expect(() => parseOverrides('foo: 1\nbar: 2')).toThrow(/"foo".*\n.*"bar"/);
  });
});

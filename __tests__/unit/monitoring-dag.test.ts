import {
  AIRFLOW2_MONITORING_DAG,
  AIRFLOW3_MONITORING_DAG,
  monitoringDag,
  needsMonitoringDag,
} from '../../src/deploy/monitoring-dag.js';

// [organization product, Deployment type, carries the monitoring DAG]
test.each<[string | undefined, string | undefined, boolean]>([
  ['HYBRID', 'HYBRID', true],
  [undefined, 'HYBRID', true], // organization not readable: a HYBRID Deployment is Hybrid
  ['HOSTED', 'HYBRID', false],
  ['HYBRID', 'STANDARD', false],
  ['HYBRID', 'DEDICATED', false],
  ['HOSTED', 'STANDARD', false],
  ['HOSTED', 'DEDICATED', false],
  ['HYBRID', undefined, false],
])('product %s, type %s → %s', (product, type, expected) => {
  expect(needsMonitoringDag(product, type)).toBe(expected);
});

test.each<[string, string | undefined]>([
  ['12.9.0', AIRFLOW2_MONITORING_DAG],
  ['9.1.0', AIRFLOW2_MONITORING_DAG],
  ['3.0-7', AIRFLOW3_MONITORING_DAG],
  ['3.1-1', AIRFLOW3_MONITORING_DAG],
  ['not a runtime', undefined],
])('Runtime %s picks its Airflow variant', (runtime, text) => {
  expect(monitoringDag(runtime)).toBe(text);
});

describe.each([
  ['Airflow 2', AIRFLOW2_MONITORING_DAG],
  ['Airflow 3', AIRFLOW3_MONITORING_DAG],
])('the %s monitoring DAG', (_name, text) => {
  test('is the one the platform monitors with', () => {
    expect(text).toContain('dag_id="astronomer_monitoring_dag"');
    expect(text).toMatch(/"AIRFLOW_MONITORING_DAG_SCHEDULE_INTERVAL", "\*\/5 \* \* \* \*"/);
    expect(text).toMatch(
      /is_paused_upon_creation=os\.environ\.get\(\s*"PAUSE_ASTRONOMER_MONITORING_DAG", "False"\s*\)\.lower\(\)\s*== "true"/,
    );
    expect(text.match(/BashOperator\(/g)).toHaveLength(1);
    expect(text).toContain('task_id="hello"');
    expect(text).toContain('priority_weight=2**31 - 1');
    expect(text.endsWith('\n')).toBe(true);
  });
});

test('the variants differ in imports as Airflow 2 and 3 do', () => {
  expect(AIRFLOW2_MONITORING_DAG).toContain('from airflow.operators.bash import BashOperator');
  expect(AIRFLOW2_MONITORING_DAG).toContain('schedule_interval=');
  expect(AIRFLOW3_MONITORING_DAG).toContain(
    'from airflow.providers.standard.operators.bash import BashOperator',
  );
  expect(AIRFLOW3_MONITORING_DAG).not.toContain('days_ago');
  expect(AIRFLOW3_MONITORING_DAG).toMatch(/\n {4}schedule=/);
});

// The monitoring DAG the Astro CLI adds to every DAG tarball of a Hybrid Deployment
// (organization product not HOSTED, Deployment type HYBRID): without it, a DAG deploy removes
// the DAG Astronomer monitors the Deployment with. The two variants are the CLI's own files
// (astro-cli `airflow/include/airflow{2,3}/astronomermonitoringdag.py`), byte for byte; they
// differ only in imports (and Airflow 2's schedule_interval / start_date).
import { airflowMajor } from '../decide/runtime.js';

export const MONITORING_DAG_FILE = 'astronomer_monitoring_dag.py';

// What both variants share, word for word.
const DOCSTRING =
  '"""A Monitoring DAG used and maintained by Astronomer. All tasks in this DAG are executed by workers in the default worker queue. When tasks in the Monitoring DAG fail, it might indicate a problem with your Deployment. Astronomer will alert you via email."""';
const HELLO_TASK = `    hello = BashOperator(
        task_id="hello",
        bash_command="echo Hello from Astronomer!",
        depends_on_past=False,
        priority_weight=2**31 - 1,
        do_xcom_push=False,
    )
`;

export const AIRFLOW2_MONITORING_DAG = `${DOCSTRING}

import os
from datetime import timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.utils.dates import days_ago

with DAG(
    dag_id="astronomer_monitoring_dag",
    schedule_interval=os.environ.get(
        "AIRFLOW_MONITORING_DAG_SCHEDULE_INTERVAL", "*/5 * * * *"
    ),
    start_date=days_ago(2),
    catchup=False,
    is_paused_upon_creation=os.environ.get(
        "PAUSE_ASTRONOMER_MONITORING_DAG", "False"
    ).lower()
    == "true",
    dagrun_timeout=timedelta(minutes=30),
    description=__doc__,
    doc_md=__doc__,
    tags=["monitoring"],
) as dag:
${HELLO_TASK}`;

export const AIRFLOW3_MONITORING_DAG = `${DOCSTRING}

import os
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="astronomer_monitoring_dag",
    schedule=os.environ.get("AIRFLOW_MONITORING_DAG_SCHEDULE_INTERVAL", "*/5 * * * *"),
    catchup=False,
    is_paused_upon_creation=os.environ.get("PAUSE_ASTRONOMER_MONITORING_DAG", "False").lower() == "true",
    dagrun_timeout=timedelta(minutes=30),
    description=__doc__,
    doc_md=__doc__,
    tags=["monitoring"],
):
${HELLO_TASK}`;

/** Is the monitoring DAG part of this Deployment's DAG tarballs? */
export function needsMonitoringDag(
  organizationProduct: string | undefined,
  deploymentType: string | undefined,
): boolean {
  return organizationProduct !== 'HOSTED' && deploymentType === 'HYBRID';
}

/** The variant for an Astro Runtime; undefined when the Runtime names no Airflow 2 or 3. */
export function monitoringDag(runtime: string): string | undefined {
  const major = airflowMajor(runtime);
  return major === 2 ? AIRFLOW2_MONITORING_DAG : major === 3 ? AIRFLOW3_MONITORING_DAG : undefined;
}

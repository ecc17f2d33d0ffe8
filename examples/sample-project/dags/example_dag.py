from airflow import DAG

with DAG("example") as dag:
    pass

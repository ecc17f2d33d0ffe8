// The Python the checks run inside the runtime image, embedded as strings so the bundle
// carries it. Both files are written to a temp folder mounted into the container.
import { RESULT_MARK } from './parse.js';

/**
 * boot.py SRC DST ARGS…: puts the project (mounted read-only at SRC) into DST — the image's
 * AIRFLOW_HOME — so the checks see the project's files at the path the scheduler uses. Each
 * top-level entry of the project replaces the image's entry of that name (no DAG the image
 * still carries from an older build is parsed); what the image's build made elsewhere in
 * AIRFLOW_HOME (say dbt packages a RUN step installed) stays, as it will at run time. All of
 * it is in the container's own layer: the runner's checkout is never written. Then it runs
 * `python ARGS…` in DST.
 */
export const BOOT_PY = `import os, shutil, sys

src, dst = sys.argv[1], sys.argv[2]
skip = {".git"}
try:
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if name in skip:
            continue
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(d) and not os.path.islink(d):
            shutil.rmtree(d)
        elif os.path.lexists(d):
            os.remove(d)
        if os.path.isdir(s) and not os.path.islink(s):
            shutil.copytree(s, d, symlinks=True)
        else:
            shutil.copy2(s, d, follow_symlinks=False)
except PermissionError as e:
    print("The image's AIRFLOW_HOME (%s) is not writable by its user (%s), so the checks cannot put the project there." % (dst, e), file=sys.stderr)
    sys.exit(3)
os.chdir(dst)
sys.stdout.flush()
os.execv(sys.executable, [sys.executable] + sys.argv[3:])
`;

/**
 * dag_check.py DAGS_FOLDER: imports every DAG file the way the scheduler does — through
 * Airflow's DagBag when Airflow is importable (import errors and cycles land in
 * import_errors), else one module per file — and prints one marked JSON line:
 * {"engine", "dags", "files", "errors": [{"file", "trace"}]}.
 * Like Astro's own integrity test, Variable.get and BaseHook.get_connection are stubbed
 * (CI has no Airflow metadata database, so top-level lookups would fail spuriously).
 */
export const DAG_CHECK_PY = `import hashlib, importlib.util, json, os, sys, traceback

MARK = ${JSON.stringify(RESULT_MARK)}
dags_folder = os.path.abspath(sys.argv[1])
home = os.getcwd()
for p in (home, os.path.join(home, "plugins"), dags_folder):
    if p not in sys.path:
        sys.path.insert(0, p)

result = {"engine": "import", "dags": 0, "files": 0, "errors": []}


def candidate_files(folder):
    if os.path.isfile(folder):
        yield folder
        return
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


DagBag = None
for where in ("airflow.dag_processing.dagbag", "airflow.models.dagbag", "airflow.models"):
    try:
        DagBag = getattr(__import__(where, fromlist=["DagBag"]), "DagBag")
        break
    except Exception:
        pass

_missing = object()


def _variable_get(key, default_var=_missing, deserialize_json=False, *args, **kwargs):
    if "default" in kwargs:
        default_var = kwargs["default"]
    if default_var is not _missing:
        return default_var
    return {} if deserialize_json else "MOCKED_VARIABLE_VALUE"


def _patch(module, attr, name, value):
    try:
        target = getattr(__import__(module, fromlist=[attr]), attr)
        setattr(target, name, value)
    except Exception:
        pass


if DagBag is not None:
    # Airflow 2 and 3 spellings; whichever exist are patched.
    _patch("airflow.models", "Variable", "get", staticmethod(_variable_get))
    _patch("airflow.sdk", "Variable", "get", staticmethod(_variable_get))
    try:
        from airflow.models import Connection

        _get_connection = classmethod(lambda cls, conn_id, *a, **k: Connection(conn_id=conn_id))
        _patch("airflow.hooks.base", "BaseHook", "get_connection", _get_connection)
        _patch("airflow.sdk", "BaseHook", "get_connection", _get_connection)
    except Exception:
        pass
    bag = DagBag(dag_folder=dags_folder, include_examples=False)
    result["engine"] = "dagbag"
    result["dags"] = len(bag.dags)
    result["files"] = len(getattr(bag, "file_last_changed", {}) or {}) + len(bag.import_errors)
    for path, text in sorted(bag.import_errors.items()):
        # Airflow 3 may key errors relative to the DAG folder (its bundle root).
        if not os.path.isabs(path) and os.path.exists(os.path.join(dags_folder, path)):
            path = os.path.join(dags_folder, path)
        result["errors"].append({"file": path, "trace": str(text)})
else:
    for path in candidate_files(dags_folder):
        with open(path, "rb") as f:
            content = f.read().lower()
        if b"airflow" not in content or b"dag" not in content:
            continue
        result["files"] += 1
        name = "unusual_prefix_" + hashlib.sha1(path.encode()).hexdigest() + "_" + os.path.splitext(os.path.basename(path))[0]
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        except BaseException:
            result["errors"].append({"file": path, "trace": traceback.format_exc()})
            continue
        result["dags"] += sum(1 for v in vars(module).values() if type(v).__name__ == "DAG")

sys.stdout.flush()
print(MARK + json.dumps(result))
`;

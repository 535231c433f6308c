"""Shipped model files: size budget, loading without pickle, and cold start."""

import resource
import subprocess
import sys

from reviewdesk.analytics.model_store import model_files

MAX_MODEL_BYTES = 30 * 1024 * 1024


def test_model_files_fit_the_size_budget() -> None:
    files = model_files()
    assert {f.name for f in files} >= {"sentiment_en.npz", "sentiment_id.npz", "name_tagger.npz"}
    assert sum(f.stat().st_size for f in files) < MAX_MODEL_BYTES


def test_cold_start_uses_under_two_cpu_seconds() -> None:
    # CPU time, not wall time: this machine is shared, CPU seconds are what we spend.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    code = (
        "from reviewdesk.analytics import analyze_one;"
        "r = analyze_one('Runs small, call +62 812 3456 7890', rating=2);"
        "assert r.personal_data"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 2.0


def test_engine_imports_no_web_or_database_code() -> None:
    code = (
        "import sys, reviewdesk.analytics as a; a.analyze_one('ok');"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('fastapi', 'sqlalchemy', 'sklearn', 'scipy')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

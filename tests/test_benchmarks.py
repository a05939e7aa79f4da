"""Every benchmark runs in its tiny mode, so none can rot unnoticed (timings are not checked here:
benchmarks report ratios measured within one run, see benchmarks/README.md)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize("script, expect", [
    ("analysis.py", ["10000", "read_csv", "wide survey export", "answers"]),
    ("disclosure.py", ["4 tables from 1 regions", "(a) reference", "(b) fast", "a/b =",
                       "tables with different decisions: 0"]),
    ("batch.py", ["2 regions", "(a) naive", "(b) osallisuus reports", "(c) floor", "a/b =", "b/c ="]),
    ("batch_stages.py", ["per region", "execute", "call", "export_html", "audit_html"]),
    # this tree against itself: the same reports byte for byte (no date or random id in a report)
    ("compare_trees.py", ["before/after =", "reports compared: 1; not byte-identical: 0"]),
    ("profile_region.py", ["(1) report build + HTML", "where (1) goes", "disclosure control", "matplotlib floor", "YAML documents parsed", "gc.collect calls", "by cumulative"]),
])
def test_benchmark_runs_in_tiny_mode(script, expect):
    res = subprocess.run([sys.executable, str(BENCH / script), "--tiny"], capture_output=True, text=True,
                         cwd=BENCH.parent, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    for text in expect:
        assert text in res.stdout, (text, res.stdout)

"""benchmarks/redaction.py runs, and the redaction reaches its recall and false-positive targets."""
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import redaction  # noqa: E402  (benchmarks/redaction.py)


def test_tiny_benchmark_prints_recall_and_false_positive_rate():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "redaction.py"), "--tiny"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "recall:" in res.stdout and "false-positive rate:" in res.stdout


def test_corpus_size_and_planted_strings_occur_in_their_text():
    data = yaml.safe_load(redaction.CORPUS.read_text(encoding="utf-8"))
    assert len(data["ordinary"]) >= 100
    assert sum(len(c["secret"]) for c in data["planted"]) >= 100
    assert all(s in c["text"] for c in data["planted"] for s in c["secret"])


def test_measure_counts_misses_and_changes():
    # a redactor that removes nothing and one that blanks everything: known figures by hand
    planted = [{"text": "a b", "secret": ["a", "b"]}, {"text": "c", "secret": ["c"]}]
    ordinary = ["x", "y", "z", "w"]
    none = redaction.measure(lambda t: t, planted, ordinary)
    assert none["recall"] == 0 and none["false_positive_rate"] == 0
    blank = redaction.measure(lambda t: "", planted, ordinary)
    assert blank["recall"] == 1 and blank["false_positive_rate"] == 1


def test_redaction_targets_on_the_full_corpus():
    from osallisuus.privacy import redact
    res = redaction.measure(lambda t: redact(t, "fi"), *redaction.load_corpus())
    assert res["recall"] >= 0.95, res["missed"]
    assert res["false_positive_rate"] <= 0.02, res["changed"]

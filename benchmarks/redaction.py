"""Redaction benchmark: recall on planted personal data and false-positive rate on ordinary answers.

The corpus is ``tests/data/redaction_corpus.yaml``: free-text answers with planted personal data
(each planted substring must not survive :func:`osallisuus.privacy.redact`) and ordinary answers
(which must come out unchanged).

    recall              = planted substrings removed / planted substrings
    false-positive rate = ordinary answers changed   / ordinary answers

Run ``python benchmarks/redaction.py`` (``--tiny`` for a few strings of each kind, used by the
test suite; ``--misses`` lists what was missed or wrongly changed).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "redaction_corpus.yaml"


def load_corpus(tiny: bool = False) -> tuple[list[dict], list[str]]:
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    planted, ordinary = data["planted"], data["ordinary"]
    if tiny:
        planted, ordinary = planted[::12], ordinary[::12]
    return planted, ordinary


def measure(redact, planted: list[dict], ordinary: list[str]) -> dict:
    """Recall, false-positive rate and the cases behind them for one ``redact`` function."""
    missed, changed = [], []
    n_secrets = 0
    for case in planted:
        out = redact(case["text"])
        for secret in case["secret"]:
            n_secrets += 1
            if secret in out:
                missed.append((case["text"], secret, out))
    for text in ordinary:
        out = redact(text)
        if out != text:
            changed.append((text, out))
    return {"n_planted": n_secrets, "n_ordinary": len(ordinary),
            "recall": 1 - len(missed) / n_secrets, "false_positive_rate": len(changed) / len(ordinary),
            "missed": missed, "changed": changed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a few strings of each kind (for the tests)")
    parser.add_argument("--misses", action="store_true", help="list missed and wrongly changed strings")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from osallisuus.privacy import redact
    res = measure(lambda t: redact(t, "fi"), *load_corpus(args.tiny))
    print(f"planted strings: {res['n_planted']}  ordinary sentences: {res['n_ordinary']}")
    print(f"recall: {res['recall']:.3f}  ({res['n_planted'] - len(res['missed'])}/{res['n_planted']})")
    print(f"false-positive rate: {res['false_positive_rate']:.3f}  ({len(res['changed'])}/{res['n_ordinary']})")
    if args.misses:
        for text, secret, out in res["missed"]:
            print(f"MISSED {secret!r}: {out}")
        for text, out in res["changed"]:
            print(f"CHANGED {text!r} -> {out!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Disclosure-control benchmark: secondary suppression of the example's answer tables, the fast
:func:`osallisuus.disclosure.protect_table` against the frozen slow reference
(``tests/reference_disclosure.py``), measured in the same run; also checks both hide the same.

The tables are those :func:`osallisuus.tables.likert_table` protects for every region, phase and
instrument of the example data, by role and in total.

Run ``python benchmarks/disclosure.py`` (``--tiny``: the first four tables of one region, for
the test suite).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"


def example_tables(regions: int | None = None) -> list[tuple[str, dict]]:
    """(label, keyword arguments of ``protect_table``) for every table the example's answer
    tables protect (each region, phase, instrument; by role and in total)."""
    import osallisuus
    from osallisuus import disclosure, tables
    data = osallisuus.validate(EXAMPLE).data
    found: list[tuple[str, dict]] = []
    label = [""]
    real = disclosure.protect_table

    def record(counts, values, **kw):
        counts = np.array(counts, dtype=int)
        found.append((label[0], dict(counts=counts, values=list(values), **kw)))
        small = (counts > 0) & (counts < kw.get("threshold", 5))     # placeholder: not timed here
        none = np.zeros(len(counts), bool)
        return disclosure.Protection(small, small.copy(), none, none.copy(), none.copy())

    disclosure.protect_table = record
    try:
        names = sorted(data["region"].astype(str).unique())[:regions]
        for region in names:
            part = data[data["region"].astype(str) == region]
            for (phase, inst), rows in part.groupby(["phase", "instrument"], observed=True):
                for by in (None, "role"):
                    label[0] = f"{region}/{phase}/{inst}/{by or 'total'}"
                    try:
                        tables.likert_table(rows, str(inst), by=by, suppression=osallisuus.Suppression())
                    except Exception:           # not a Likert instrument (e.g. free text only)
                        continue
    finally:
        disclosure.protect_table = real
    return found


def same(a, b) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f))
               for f in ("primary", "hidden", "n_hidden", "mean_hidden", "suppressed"))


def timed(fn, cases) -> tuple[float, list]:
    out, t0 = [], time.perf_counter()
    for _, kw in cases:
        out.append(fn(**kw))
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="four tables of one region (for the tests)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    import reference_disclosure
    from osallisuus import disclosure
    cases = example_tables(1 if args.tiny else None)
    cases = cases[:4] if args.tiny else cases
    regions = len({label.split("/")[0] for label, _ in cases})
    disclosure._DONE.clear()
    reference_disclosure._DONE.clear()
    t_old, old = timed(reference_disclosure.protect_table, cases)
    t_new, new = timed(disclosure.protect_table, cases)
    differ = [label for (label, _), a, b in zip(cases, old, new) if not same(a, b)]
    print(f"{len(cases)} tables from {regions} regions")
    print(f"(a) reference: {t_old:.3f} s  ({1000 * t_old / len(cases):.1f} ms per table, "
          f"{t_old / regions:.3f} s per region)")
    print(f"(b) fast:      {t_new:.3f} s  ({1000 * t_new / len(cases):.1f} ms per table, "
          f"{t_new / regions:.3f} s per region)")
    print(f"a/b = {t_old / t_new:.1f}")
    print(f"tables with different decisions: {len(differ)}", *differ[:10])
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: validate + score + likert_table + comparisons at 10^4, 10^5 and 10^6 answer rows.

Each size runs in a fresh process (so peak memory is that size's own); the baseline, measured
in the same run on the same file, is a plain ``pandas.read_csv`` of it: the ratio says how much
the whole analysis costs over just reading the data.

    python benchmarks/analysis.py            # all three sizes
    python benchmarks/analysis.py --sizes 10000 100000
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def run_one(rows: int) -> dict:
    from common import scaled
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"answers_{rows}.csv"
        scaled(rows).to_csv(path, index=False)
        import pandas as pd

        import osallisuus
        from osallisuus.compare import compare_groups
        t = time.perf_counter()
        pd.read_csv(path, dtype=str, keep_default_na=False)
        baseline = time.perf_counter() - t
        timings = {}
        t0 = time.perf_counter()
        report = osallisuus.validate(path)
        timings["validate"] = time.perf_counter() - t0
        data = report.data
        t = time.perf_counter()
        for inst in ("kehittajaryhma_palaute", "osallisuusindikaattori", "soc_g10"):
            osallisuus.score(data, inst)
        timings["score"] = time.perf_counter() - t
        t = time.perf_counter()
        for inst in ("kehittajaryhma_palaute", "arvio_4", "osallisuusindikaattori"):
            osallisuus.likert_table(data, inst, by="role")
        timings["likert_table"] = time.perf_counter() - t
        t = time.perf_counter()
        for inst in ("kehittajaryhma_palaute", "osallisuusindikaattori"):
            compare_groups(data, inst)
        timings["compare"] = time.perf_counter() - t
        total = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "accepted": report.n_accepted, "baseline_read_csv_s": baseline, **{f"{k}_s": v for k, v in timings.items()},
            "total_s": total, "ratio_to_read_csv": total / baseline, "peak_rss_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tiny", action="store_true", help="10^4 rows only (CI runs this so the script cannot rot)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    results = []
    for rows in ([10_000] if args.tiny else args.sizes):
        out = subprocess.run([sys.executable, __file__, "--one", str(rows)], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'rows':>9} {'read_csv':>9} {'validate':>9} {'score':>7} {'likert':>7} {'compare':>8} {'total':>7} "
          f"{'x read':>7} {'peak MB':>8}")
    for r in results:
        print(f"{r['rows']:>9} {r['baseline_read_csv_s']:>9.2f} {r['validate_s']:>9.2f} {r['score_s']:>7.2f} "
              f"{r['likert_table_s']:>7.2f} {r['compare_s']:>8.2f} {r['total_s']:>7.2f} {r['ratio_to_read_csv']:>7.1f} "
              f"{r['peak_rss_mb']:>8.0f}")
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"growth: {b['rows'] / a['rows']:.0f}x rows -> {b['total_s'] / a['total_s']:.1f}x time")


if __name__ == "__main__":
    main()

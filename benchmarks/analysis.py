"""Benchmark: validate + score + likert_table + comparisons at 10^5, 10^6 and 10^7 answer rows,
and validate of a wide survey export with as many answers.

Each size runs in a fresh process, on a CSV written beforehand by the parent (copies of the
example data with fresh respondent ids, each respondent with a submission time of their own
written as a survey tool writes it, ``24.11.2026 08:15``: real exports have about as many
distinct times as respondents). In that process the baseline, a plain ``pandas.read_csv`` of
the same file, is timed twice (before and after the analysis; the faster counts, so the ratio
is not flattered by one slow baseline run), and the analysis once. Peak memory is the
analysis' own: the process's high-water mark is reset (Linux ``/proc/self/clear_refs``) after
the baseline, so the baseline's text columns do not count.

The wide export is the example's own (one row per respondent, one column per question, answers
as labels, its mapping file beside it) grown to the same number of answers under fresh ids and
times; it is timed the same way against ``read_csv`` of that (much smaller) file.

    python benchmarks/analysis.py                           # 10^5, 10^6 and 10^7 rows
    python benchmarks/analysis.py --sizes 100000 1000000
    python benchmarks/analysis.py --tiny                    # 10^4 rows (CI: the script cannot rot)
    python benchmarks/analysis.py --workdir /big/disk       # where the CSVs go (default: a temp dir)

One-time costs (imports, settings and instrument files) are paid before the clock starts, by
analysing the example data once in the same process. Printed per size: the wall times,
``x read`` (analysis wall time / read_csv wall time), ``cpu x read`` (the same with CPU times of
the process: steadier on a shared machine) and peak MB; then the growth between sizes (time
ratio against row ratio; equal ratios are linear growth).
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

FORMS = {"score": ("kehittajaryhma_palaute", "osallisuusindikaattori", "soc_g10"),
         "likert_table": ("kehittajaryhma_palaute", "arvio_4", "osallisuusindikaattori"),
         "compare": ("kehittajaryhma_palaute", "osallisuusindikaattori")}


def _peak_mb() -> float:
    """The process's peak resident memory since the last reset (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _read_csv_time(path: Path, sep: str = ",") -> tuple[float, float]:
    """(wall, CPU) seconds of a plain read_csv of ``path``."""
    import pandas as pd
    t, c = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    took = time.perf_counter() - t, time.process_time() - c
    del frame
    gc.collect()
    return took


def analyse(path: Path) -> tuple[dict, dict, object]:
    """Validate, score, Likert tables and comparisons of ``path``: (wall times, CPU times, report)."""
    import osallisuus
    from osallisuus.compare import compare_groups
    data = None
    steps = {"validate": lambda: osallisuus.validate(path),
             "score": lambda: [osallisuus.score(data, i) for i in FORMS["score"]],
             "likert_table": lambda: [osallisuus.likert_table(data, i, by="role") for i in FORMS["likert_table"]],
             "compare": lambda: [compare_groups(data, i) for i in FORMS["compare"]]}
    wall, cpu, report = {}, {}, None
    for name, step in steps.items():
        t, c = time.perf_counter(), time.process_time()
        out = step()
        wall[name], cpu[name] = time.perf_counter() - t, time.process_time() - c
        if name == "validate":
            report, data = out, out.data
    return wall, cpu, report


def run_one(path: Path) -> dict:
    from common import EXAMPLE
    analyse(EXAMPLE)                       # warm: imports, settings and instrument files (one-time costs)
    path.read_bytes()                      # the file in the page cache for both contenders
    first = _read_csv_time(path)
    reset = _reset_peak()
    wall, cpu, report = analyse(path)
    peak = _peak_mb()
    n_input, accepted = report.n_input, report.n_accepted
    del report
    gc.collect()
    second = _read_csv_time(path)
    baseline, baseline_cpu = min(first[0], second[0]), min(first[1], second[1])
    total, total_cpu = sum(wall.values()), sum(cpu.values())
    return {"rows": n_input, "accepted": accepted, "baseline_read_csv_s": baseline,
            **{f"{k}_s": v for k, v in wall.items()}, "total_s": total, "ratio_to_read_csv": total / baseline,
            "baseline_cpu_s": baseline_cpu, "total_cpu_s": total_cpu, "cpu_ratio_to_read_csv": total_cpu / baseline_cpu,
            "peak_rss_mb": peak, "peak_is_analysis_only": reset}


def run_wide(path: Path) -> dict:
    """validate() of a wide survey export (its mapping beside it) against read_csv of the same file."""
    import osallisuus
    import yaml
    from common import EXAMPLE
    osallisuus.validate(EXAMPLE)           # warm, as run_one
    sep = yaml.safe_load(next(path.parent.glob("*.mapping.yaml")).read_text(encoding="utf-8")).get("delimiter", ";")
    path.read_bytes()
    first = _read_csv_time(path, sep)
    t, c = time.perf_counter(), time.process_time()
    report = osallisuus.validate(path)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    rows, accepted = report.n_input, report.n_accepted
    del report
    gc.collect()
    second = _read_csv_time(path, sep)
    baseline, baseline_cpu = min(first[0], second[0]), min(first[1], second[1])
    return {"answers": rows, "accepted": accepted, "baseline_read_csv_s": baseline, "validate_s": wall,
            "ratio_to_read_csv": wall / baseline, "cpu_ratio_to_read_csv": cpu / baseline_cpu}


def _in_fresh_process(flag: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, flag, str(path)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{path.name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--one-wide", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tiny", action="store_true", help="10^4 rows only (CI runs this so the script cannot rot)")
    parser.add_argument("--workdir", type=Path, help="folder for the generated CSVs (default: a temp dir)")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    if args.one_wide:
        print(json.dumps(run_wide(args.one_wide)))
        return
    from common import write_scaled, write_wide_export
    results, wide = [], []
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)     # a scratch folder named on the command line
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        for rows in ([10_000] if args.tiny else args.sizes):
            path = write_scaled(Path(tmp) / f"answers_{rows}.csv", rows)
            results.append(_in_fresh_process("--one", path))
            path.unlink()
            if results[-1]["rows"] != rows:
                sys.exit(f"expected {rows} rows, read {results[-1]['rows']}")
            export = write_wide_export(Path(tmp) / f"wide_{rows}", rows)
            wide.append(_in_fresh_process("--one-wide", export))
            shutil.rmtree(export.parent)
    print(f"{'rows':>9} {'read_csv':>9} {'validate':>9} {'score':>7} {'likert':>7} {'compare':>8} {'total':>7} "
          f"{'x read':>7} {'cpu x read':>10} {'peak MB':>8}")
    for r in results:
        print(f"{r['rows']:>9} {r['baseline_read_csv_s']:>9.2f} {r['validate_s']:>9.2f} {r['score_s']:>7.2f} "
              f"{r['likert_table_s']:>7.2f} {r['compare_s']:>8.2f} {r['total_s']:>7.2f} {r['ratio_to_read_csv']:>7.1f} "
              f"{r['cpu_ratio_to_read_csv']:>10.1f} {r['peak_rss_mb']:>8.0f}")
    for a, b in zip(results, results[1:]):
        print(f"growth {a['rows']}->{b['rows']}: {b['rows'] / a['rows']:.0f}x rows -> "
              f"{b['total_s'] / a['total_s']:.1f}x time, {b['total_cpu_s'] / a['total_cpu_s']:.1f}x CPU time "
              f"(read_csv {b['baseline_read_csv_s'] / a['baseline_read_csv_s']:.1f}x)")
    if len(results) > 2:
        a, b = results[0], results[-1]
        print(f"growth {a['rows']}->{b['rows']}: {b['rows'] / a['rows']:.0f}x rows -> {b['total_s'] / a['total_s']:.1f}x "
              f"time, {b['total_cpu_s'] / a['total_cpu_s']:.1f}x CPU time "
              f"(read_csv {b['baseline_read_csv_s'] / a['baseline_read_csv_s']:.1f}x)")

    print("\nvalidate of a wide survey export (one row per respondent, answers as labels, a mapping file):")
    print(f"{'answers':>9} {'read_csv':>9} {'validate':>9} {'x read':>7} {'cpu x read':>10}")
    for w in wide:
        print(f"{w['answers']:>9} {w['baseline_read_csv_s']:>9.2f} {w['validate_s']:>9.2f} "
              f"{w['ratio_to_read_csv']:>7.1f} {w['cpu_ratio_to_read_csv']:>10.1f}")
    for a, b in zip(wide, wide[1:]):
        print(f"growth {a['answers']}->{b['answers']}: {b['answers'] / a['answers']:.0f}x answers -> "
              f"{b['validate_s'] / a['validate_s']:.1f}x time (read_csv {b['baseline_read_csv_s'] / a['baseline_read_csv_s']:.1f}x)")


if __name__ == "__main__":
    main()

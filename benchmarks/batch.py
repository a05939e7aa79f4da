"""Benchmark: one report per region for the example data expanded to 22 regions.

Measured in one run, on the same data:

(a) naive:  for each region, the ``papermill`` command line, then ``jupyter nbconvert --to html
            --no-input`` (a new kernel and all imports every time);
(b) ours:   ``osallisuus reports --force`` (worker processes with a warm kernel each);
(c) floor:  the same analyses and HTML export for all regions in ONE warm Python process
            (no notebooks, no kernels): what the work itself costs.

Reported: the three times and the ratios a/b (goal >= 3) and b/c (goal <= 1.5).

    python benchmarks/batch.py [--regions 22] [--jobs 2] [--skip-naive]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]


def naive(data: Path, regions: list[str], out: Path) -> float:
    t = time.perf_counter()
    for region in regions:
        nb = out / f"{region}.ipynb"
        subprocess.run(["papermill", "notebooks/alueraportti.ipynb", str(nb), "-p", "region", region,
                        "-p", "data_path", str(data), "--no-progress-bar"],
                       cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["jupyter", "nbconvert", "--to", "html", "--no-input", str(nb)], cwd=ROOT, check=True,
                       capture_output=True)
    return time.perf_counter() - t


def ours(data: Path, regions: list[str], out: Path, jobs: int) -> float:
    t = time.perf_counter()
    chosen = [arg for region in regions for arg in ("--region", region)]
    subprocess.run([sys.executable, "-m", "osallisuus", "reports", "--data", str(data), "--out", str(out), "--force",
                    "--jobs", str(jobs), "--no-progress", *chosen], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


FLOOR = r'''
import sys, time
t = time.perf_counter()
from pathlib import Path
from osallisuus.export import export
from osallisuus.fileio import atomic_write_text
from osallisuus.report import RegionReport
from osallisuus.report.participants import participant_page
data, out = sys.argv[1], Path(sys.argv[2])
for region in sys.argv[3:]:
    r = RegionReport(region, data)
    export(r.document(), "html", out / f"{r.context.region.id}.html")
    atomic_write_text(out / f"{r.context.region.id}_osallistujille.html", participant_page(r.context))
print(time.perf_counter() - t)
'''


def floor(data: Path, regions: list[str], out: Path) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR, str(data), str(out), *regions], cwd=ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=22)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--skip-naive", action="store_true", help="leave out (a), the slow one")
    parser.add_argument("--tiny", action="store_true", help="2 regions (CI runs this so the script cannot rot)")
    args = parser.parse_args()
    if args.tiny:
        args.regions = 2
    from common import regions_22

    from osallisuus.regions import list_regions
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = regions_22(tmp / "data")
        regions = [r.name["fi"] for r in list_regions()][: args.regions]
        for sub in ("a", "b", "c"):
            (tmp / sub).mkdir()
        results = {}
        results["c"] = floor(data, regions, tmp / "c")
        results["b"] = ours(data, regions, tmp / "b", args.jobs)
        if not args.skip_naive:
            results["a"] = naive(data, regions, tmp / "a")
    n = len(regions)
    print(f"{n} regions, {args.jobs} worker(s), {os.cpu_count()} cores")
    if "a" in results:
        print(f"(a) naive papermill CLI + nbconvert per region: {results['a']:7.1f} s  ({results['a'] / n:.2f} s/region)")
    print(f"(b) osallisuus reports:                          {results['b']:7.1f} s  ({results['b'] / n:.2f} s/region)")
    print(f"(c) floor, one warm process:                     {results['c']:7.1f} s  ({results['c'] / n:.2f} s/region)")
    if "a" in results:
        print(f"a/b = {results['a'] / results['b']:.2f} (goal >= 3)")
    print(f"b/c = {results['b'] / results['c']:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()

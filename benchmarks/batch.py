"""Benchmark: one report per region for the example data expanded to 22 regions, in HTML,
PDF, Word and Excel.

Measured in one run, on the same data, with the same formats:

(a) naive:  for each region, the ``papermill`` command line, ``jupyter nbconvert --to html
            --no-input``, and a fresh Python process that writes the PDF, Word and Excel
            files from the executed notebook (a new kernel and all imports every time);
(b) ours:   ``osallisuus reports --force --format html,pdf,docx,xlsx --jobs J``;
(c) floor:  the same analyses, participants' pages, exports and audit of every written file
            (the batch publishes nothing the audit has not read) with no notebooks and no
            kernels, the regions split over J plain Python processes (what the work itself
            costs on J cores).

Reported: the three times and the ratios a/b (goal >= 8) and b/c (goal <= 1.3). (c) and (b)
run ``--rounds`` times, half before (a) and half after it, and their means are compared with
(a): (a) takes five minutes or more, in which a virtual machine's speed can drift by 10-20 %,
more than a single 40 s run of (b) can stand for.

    python benchmarks/batch.py [--regions 22] [--jobs 2] [--rounds 2] [--skip-naive] [--tiny]
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
FORMATS = ("html", "pdf", "docx", "xlsx")

NAIVE_EXPORT = r'''
import sys
from pathlib import Path
import nbformat
from osallisuus.export import document_from_notebook, export
nb_path, lang = Path(sys.argv[1]), sys.argv[2]
document = document_from_notebook(nbformat.read(nb_path, as_version=4), lang=lang, title=nb_path.stem)
for fmt in sys.argv[3:]:
    export(document, fmt, nb_path.with_suffix("." + fmt))
'''


def naive(data: Path, regions: list[str], out: Path) -> float:
    t = time.perf_counter()
    for k, region in enumerate(regions, start=1):
        nb = out / f"{region}.ipynb"
        subprocess.run(["papermill", "notebooks/alueraportti.ipynb", str(nb), "-p", "region", region,
                        "-p", "data_path", str(data), "--no-progress-bar"],
                       cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["jupyter", "nbconvert", "--to", "html", "--no-input", str(nb)], cwd=ROOT, check=True,
                       capture_output=True)
        subprocess.run([sys.executable, "-c", NAIVE_EXPORT, str(nb), "fi", *FORMATS[1:]], cwd=ROOT, check=True,
                       capture_output=True)
        log(f"    (a) {k} region(s) done, {time.perf_counter() - t:.1f} s")
    return time.perf_counter() - t


def log(text: str) -> None:
    """Progress as it happens (a long run that is stopped still shows what it measured)."""
    print(text, flush=True)


def ours(data: Path, regions: list[str], out: Path, jobs: int) -> float:
    t = time.perf_counter()
    chosen = [arg for region in regions for arg in ("--region", region)]
    subprocess.run([sys.executable, "-m", "osallisuus", "reports", "--data", str(data), "--out", str(out), "--force",
                    "--format", ",".join(FORMATS), "--jobs", str(jobs), "--no-progress", *chosen],
                   cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


FLOOR = r'''
import sys
from pathlib import Path
from osallisuus.audit import audit_file
from osallisuus.export import export
from osallisuus.fileio import atomic_write_text
from osallisuus.report import RegionReport
from osallisuus.report.participants import participant_page
data, out, formats = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split(",")
for region in sys.argv[4:]:
    r = RegionReport(region, data)
    folder = out / r.context.region.id
    folder.mkdir(parents=True, exist_ok=True)
    document = r.document()
    for fmt in formats:
        export(document, fmt, folder / f"raportti.{fmt}")
    atomic_write_text(folder / "osallistujille.html", participant_page(r.context))
    r.summary()
    for written in sorted(folder.iterdir()):
        audit_file(written, r.context.suppression.threshold)
'''


def floor(data: Path, regions: list[str], out: Path, jobs: int) -> float:
    """The regions dealt round-robin to ``jobs`` processes started together; wall time of all."""
    t = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", FLOOR, str(data), str(out), ",".join(FORMATS),
                               *regions[k::jobs]], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for k in range(jobs) if regions[k::jobs]]
    for p in procs:
        _, err = p.communicate()
        if p.returncode:
            raise SystemExit(f"floor process failed:\n{err.decode()[-3000:]}")
    return time.perf_counter() - t


def pair(data: Path, regions: list[str], out: Path, jobs: int, k: int) -> tuple[float, float]:
    """(c, b): the floor, then ``osallisuus reports`` right after it."""
    c = floor(data, regions, out / f"c{k}", jobs)
    log(f"    (c) {c:.1f} s")
    b = ours(data, regions, out / f"b{k}", jobs)
    log(f"    (b) {b:.1f} s")
    return c, b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=22)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=2,
                        help="times (c) and (b) run: half before (a), half after it, so that the means cover "
                             "the minutes (a) takes (a virtual machine's speed drifts by 10-20 %% within minutes)")
    parser.add_argument("--skip-naive", action="store_true", help="leave out (a), the slow one")
    parser.add_argument("--tiny", action="store_true", help="2 regions (CI runs this so the script cannot rot)")
    args = parser.parse_args()
    if args.tiny:
        args.regions, args.rounds = 2, 1
    from common import regions_22

    from osallisuus.regions import list_regions
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = regions_22(tmp / "data")
        regions = [r.name["fi"] for r in list_regions()][: args.regions]
        (tmp / "a").mkdir()
        rounds = args.rounds
        pairs = [pair(data, regions, tmp, args.jobs, k) for k in range((rounds + 1) // 2)]
        a = None if args.skip_naive else naive(data, regions, tmp / "a")
        pairs += [pair(data, regions, tmp, args.jobs, k) for k in range((rounds + 1) // 2, rounds)]
    report(len(regions), args.jobs, load, a, [c for c, _ in pairs], [b for _, b in pairs])


def report(n: int, jobs: int, load: float, a: float | None, cs: list[float], bs: list[float]) -> None:
    b, c = sum(bs) / len(bs), sum(cs) / len(cs)
    print(f"{n} regions, formats {','.join(FORMATS)}, {jobs} worker(s), {os.cpu_count()} cores, "
          f"load average at start {load:.2f}; (c) and (b) {len(bs)} time(s), the mean below")
    if a is not None:
        print(f"(a) naive papermill CLI + nbconvert + exports per region: {a:7.1f} s  ({a / n:.2f} s/region)")
    print(f"(b) osallisuus reports:                                    {b:7.1f} s  ({b / n:.2f} s/region)  "
          f"runs: {', '.join(f'{x:.1f}' for x in bs)}")
    print(f"(c) floor, same work in {jobs} plain process(es):            {c:7.1f} s  ({c / n:.2f} s/region)  "
          f"runs: {', '.join(f'{x:.1f}' for x in cs)}")
    if a is not None:
        print(f"a/b = {a / b:.2f} (goal >= 8)")
    print(f"b/c = {b / c:.2f} (goal <= 1.3); each run's b/c: {', '.join(f'{y / x:.2f}' for x, y in zip(cs, bs))}")


if __name__ == "__main__":
    main()

"""Benchmark: two source trees of osallisuus, the same reports? and how much faster?

Speed work must not change a report. This script builds every region's report (build +
HTML, in a warm process: one build per region first, then every region again, timed) with
two trees of the package, e.g. a ``git worktree`` of the commit before the work and the work
itself, each in a fresh process per round, the trees taking turns (before, after, before, ...)
so that a busy machine slows both alike. It then compares the HTML files of the two trees
byte by byte (figures are inside as SVG) and prints each round's CPU seconds per region, the
medians and their ratio.

    git worktree add /tmp/before <commit>
    python benchmarks/compare_trees.py --before /tmp/before [--after .] [--rounds 4] [--tiny]

``--tiny`` (CI): one region, one round, this tree against itself.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: what one process runs: every region built and exported as HTML into OUT, then again, timed
_WORKER = """
import sys, time, tempfile
from pathlib import Path
from osallisuus import disclosure
from osallisuus.batch.runner import regions_in_data
from osallisuus.export import export
from osallisuus.report import RegionReport
from osallisuus.settings import load_settings
data, out, limit = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
regions = regions_in_data(data, load_settings())[:limit]
def build(region, folder):
    disclosure._DONE.clear()        # a batch builds each region once
    report = RegionReport(region, data)
    export(report.document(), "html", folder / f"{report.context.region.id}.html")
for region in regions:
    build(region, out)
with tempfile.TemporaryDirectory() as tmp:
    cpu = time.process_time()
    for region in regions:
        build(region, Path(tmp))
    print((time.process_time() - cpu) / len(regions))
"""


def run_tree(tree: Path, data: Path, out: Path, limit: int) -> float:
    """CPU seconds per region of the timed pass in a fresh process importing ``tree``'s package."""
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    res = subprocess.run([sys.executable, "-c", _WORKER, str(data), str(out), str(limit)], env=env,
                         capture_output=True, text=True, cwd=tempfile.gettempdir())
    if res.returncode != 0:
        raise SystemExit(f"{tree}: the build failed\n{res.stderr[-3000:]}")
    return float(res.stdout.strip().splitlines()[-1])


def differing(a: Path, b: Path) -> list[str]:
    """Names of the files that are not byte-identical in folders ``a`` and ``b`` (or in one only)."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    return [n for n in names if not ((a / n).is_file() and (b / n).is_file()
                                     and filecmp.cmp(a / n, b / n, shallow=False))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=str(ROOT), help="the tree to compare against (default: this one)")
    parser.add_argument("--after", default=str(ROOT))
    parser.add_argument("--data", default=str(ROOT / "data" / "example"))
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--tiny", action="store_true", help="one region, one round (CI runs this)")
    args = parser.parse_args()
    trees = {"before": Path(args.before).resolve(), "after": Path(args.after).resolve()}
    rounds, limit = (1, 1) if args.tiny else (args.rounds, 10 ** 6)
    times: dict[str, list[float]] = {label: [] for label in trees}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for _ in range(rounds):
            for label, tree in trees.items():
                times[label].append(run_tree(tree, Path(args.data).resolve(), Path(tmp) / label, limit))
        changed = differing(Path(tmp) / "before", Path(tmp) / "after")
        count = len(list((Path(tmp) / "after").iterdir()))
    for label, tree in trees.items():
        print(f"{label}: {tree}\n    CPU s per region, each round: {', '.join(f'{t:.3f}' for t in times[label])}"
              f"  (median {statistics.median(times[label]):.3f})")
    ratio = statistics.median(times["before"]) / statistics.median(times["after"])
    print(f"before/after = {ratio:.2f} (medians); {rounds} round(s), {time.perf_counter() - start:.0f} s")
    print(f"reports compared: {count}; not byte-identical: {len(changed)}" + (f" ({', '.join(changed)})" if changed else ""))


if __name__ == "__main__":
    main()

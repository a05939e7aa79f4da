"""Benchmark: where one batch worker's time goes, stage by stage, in one warm process.

Runs :func:`osallisuus.batch.runner.render_region` (what a worker of ``osallisuus reports``
runs per region: the notebook in the worker's warm kernel, the region's extras from that
kernel, every export, the audit of every written file) for each region of the example data
in ONE process with one warm kernel, after a warm-up run of the first region; then every
region, the first again too (a slow region must not hide in the warm-up), is timed, the
kernel's table protections forgotten before each (a batch builds each region once). Each
stage's function is wrapped with a timer, so the table shows the mean seconds per region of:

* ``execute``: papermill running the region's notebook in the warm kernel (the report is
  built there), the executed notebook written;
* ``call``: the region's title, participants' page, threshold and index row from the kernel;
* ``export_<format>``: each exporter; ``audit_<suffix>``: the audit of each written file.

Compare the stages with each other and with ``profile_region.py`` (the report's own work);
the absolute times depend on the machine.

    python benchmarks/batch_stages.py [--data data/example] [--formats html,pdf,docx,xlsx] [--tiny]
"""
from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIMES: collections.defaultdict = collections.defaultdict(float)
UNTIMED_CALL = None     # WarmKernel.call before it is timed


def timed(owner, name: str, label=None) -> None:
    """Wrap ``owner.name`` so that its time adds to ``TIMES[label(*args) or name]``."""
    function = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[label(*args, **kwargs) if label else name] += time.perf_counter() - start
    setattr(owner, name, wrapper)


def instrument() -> None:
    global UNTIMED_CALL
    import osallisuus.audit as audit
    import osallisuus.batch.kernel as kernel
    UNTIMED_CALL = kernel.WarmKernel.call
    import osallisuus.batch.runner as runner
    import osallisuus.export as export
    timed(kernel.WarmKernel, "execute")
    timed(kernel.WarmKernel, "call")
    timed(runner, "_audit", lambda *a, **k: "audit (all files)")
    timed(export, "export", lambda document, fmt, *a, **k: f"export_{fmt}")
    timed(audit, "audit_file", lambda path, *a, **k: f"audit_{Path(path).suffix.lstrip('.')}")


def forget_protections(root: str) -> None:
    """Empty the warm kernel's cache of protected tables (not timed), as a batch that builds each
    region once never finds its tables there."""
    from osallisuus.batch.kernel import warm_kernel
    UNTIMED_CALL(warm_kernel(root), "builtins:exec", "from osallisuus import disclosure; disclosure._DONE.clear()")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data" / "example"))
    parser.add_argument("--formats", default="html,pdf,docx,xlsx")
    parser.add_argument("--tiny", action="store_true", help="one timed region, html only (CI runs this)")
    args = parser.parse_args()
    instrument()
    from osallisuus.batch import runner
    from osallisuus.settings import load_settings
    settings = load_settings()
    data = Path(args.data).resolve()
    formats = ("html",) if args.tiny else tuple(args.formats.split(","))
    regions = runner.resolve_regions(runner.regions_in_data(data, settings))
    with tempfile.TemporaryDirectory() as tmp:
        tasks = runner._tasks(regions, data, "fi", None, formats, True, settings, Path(tmp))
        warm = runner.render_region(tasks[0])
        TIMES.clear()
        timed_tasks = tasks[1:2] or tasks if args.tiny else tasks
        results, total = [], 0.0
        for task in timed_tasks:
            forget_protections(task.root)
            start = time.perf_counter()
            results.append(runner.render_region(task))
            total += time.perf_counter() - start
    failed = [r for r in [warm, *results] if r.status != "ok"]
    if failed:
        raise SystemExit(f"regions not published: {[(r.region, r.status, r.error) for r in failed]}")
    n = len(timed_tasks)
    print(f"{len(tasks)} regions, formats {','.join(formats)}; warm-up region {warm.seconds:.2f} s; "
          f"timed {n} region(s): {total / n:.3f} s per region")
    print(f"{'stage':<22} {'s/region':>9}")
    for stage, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        print(f"{stage:<22} {seconds / n:9.3f}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

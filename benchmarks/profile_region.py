"""Profile: the work of one region's report in a warm process (no notebook, no kernel).

Every region of the example data is built in ONE process, after a warm-up build of the first
(imports, data validation, settings, instruments, every exporter); then every region, the first
again too (a slow region must not hide in the warm-up), is timed, so what is timed is what a
warm batch worker pays per region:

(1) report build + HTML render (``RegionReport`` -> sections -> ``export(..., "html")``);
(2) the same plus the PDF, Word and Excel exporters.

Then every region is built once more with a clock around five stages (no profiler, so
their times are real): the plot functions (matplotlib Axes, bars and labels), drawing the
figures (``figure_image``: matplotlib draws the SVG), disclosure control
(``disclosure._protect``: secondary suppression of one count table), the report's tests
(``report.tests.report_tests``: the Holm family) and scoring (``scoring.score``, also called
inside the tests); the rest is the tables and the text.

Then the floor of a matplotlib figure: an empty one (axes, ticks and spines only) made and
drawn as SVG, against the report's figures (plot function + drawing, per figure).

Then one region is run under cProfile: the top functions by cumulative and by own time, and
how many times YAML was parsed and ``gc.collect`` called in that region (goal: 0 and 0 in a
warm process). Goal: (1) <= 0.5 s per example-sized region (about 3 000 answers).

    python benchmarks/profile_region.py [--data data/example] [--top 25] [--repeat 1] [--tiny]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("html", "pdf", "docx", "xlsx")


def build(region: str, data: Path, out: Path, formats=("html",)) -> None:
    """One region's report in ``formats`` (what a batch worker does apart from the notebook)."""
    from osallisuus import disclosure
    from osallisuus.export import export
    from osallisuus.report import RegionReport
    disclosure._DONE.clear()    # a batch builds each region once: no protection remembered from a run before
    report = RegionReport(region, data)
    document = report.document()
    for fmt in formats:
        export(document, fmt, out / f"{report.context.region.id}.{fmt}")


def timed(regions: list[str], data: Path, out: Path, formats, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for region in regions:
            t = time.perf_counter()
            build(region, data, out, formats)
            times.append(time.perf_counter() - t)
    return times


#: (label, module, function) of the stages timed by :func:`stages`; a stage inside another
#: (scoring inside the tests) is shown apart and counted in both
STAGES = (("plot functions (Axes, bars, labels)", "osallisuus.figures", ("likert_bars", "trajectory", "region_comparison")),
          ("figures drawn as SVG (figure_image)", "osallisuus.figures", ("figure_image",)),
          ("disclosure control (_protect)", "osallisuus.disclosure", ("_protect",)),
          ("tests of the report (report_tests)", "osallisuus.report.tests", ("report_tests",)),
          ("scoring (score; also inside the tests)", "osallisuus.scoring", ("score",)))


def stages(regions: list[str], data: Path, out: Path) -> tuple[float, dict[str, tuple[float, int]]]:
    """Build + HTML of every region with a clock around each of :data:`STAGES`: the mean time
    per region and, per stage, (seconds, calls) per region. For this pass only, each function
    is replaced by a clocked one in every loaded ``osallisuus`` module that holds it (modules
    that imported it by name hold their own reference)."""
    import importlib
    spent: dict[str, list] = {label: [0.0, 0] for label, _, _ in STAGES}
    saved = []
    for label, module, name in ((label, module, name) for label, module, names in STAGES for name in names):
        real = getattr(importlib.import_module(module), name)

        def clocked(*args, _real=real, _label=label, **kwargs):
            t = time.perf_counter()
            try:
                return _real(*args, **kwargs)
            finally:
                spent[_label][0] += time.perf_counter() - t
                spent[_label][1] += 1
        for mod in list(sys.modules.values()):
            if getattr(mod, "__name__", "").startswith("osallisuus") and getattr(mod, name, None) is real:
                saved.append((mod, name, real))
                setattr(mod, name, clocked)
    try:
        t = time.perf_counter()
        for region in regions:
            build(region, data, out, ("html",))
        total = time.perf_counter() - t
    finally:
        for mod, name, real in saved:
            setattr(mod, name, real)
    n = len(regions)
    return total / n, {label: (sec / n, calls / n) for label, (sec, calls) in spent.items()}


def empty_figure_floor(repeat: int = 10) -> tuple[float, float]:
    """Seconds to make and draw as SVG (``figure_image``) a matplotlib figure with nothing in it:
    with its axes (ticks, tick labels, spines: what every report figure has) and with the axes
    turned off; the mean of ``repeat``. What no figure drawn by matplotlib can go below."""
    import matplotlib.pyplot as plt
    from osallisuus.figures import figure_image
    out = []
    for axis in (True, False):
        figure_image(plt.subplots(figsize=(7.5, 3.8), dpi=110)[1])      # warm
        t = time.perf_counter()
        for _ in range(repeat):
            _, ax = plt.subplots(figsize=(7.5, 3.8), dpi=110)
            if not axis:
                ax.set_axis_off()
            figure_image(ax)
        out.append((time.perf_counter() - t) / repeat)
    return out[0], out[1]


def calls(stats: pstats.Stats, module_part: str, name: str) -> int:
    """How many times functions ``name`` in files containing ``module_part`` were called."""
    return sum(v[1] for (file, _, func), v in stats.stats.items() if func == name and module_part in file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data" / "example"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=1, help="times each region is built after the warm-up")
    parser.add_argument("--tiny", action="store_true", help="one timed region, html only (CI runs this)")
    args = parser.parse_args()
    data = Path(args.data).resolve()

    t0 = time.perf_counter()
    from osallisuus.batch.runner import regions_in_data
    from osallisuus.settings import load_settings
    regions = regions_in_data(data, load_settings())
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(regions[0], data, out, FORMATS)          # warm-up: imports, validation, every exporter
        warm = time.perf_counter() - t0
        timed_regions = regions[1:2] or regions if args.tiny else regions
        html = timed(timed_regions, data, out, ("html",), args.repeat)
        full = [] if args.tiny else timed(timed_regions, data, out, FORMATS, args.repeat)
        per_region, split = stages(timed_regions, data, out)
        floor = empty_figure_floor(3 if args.tiny else 10)

        prof = cProfile.Profile()
        prof.enable()
        build(timed_regions[0], data, out, ("html",))
        prof.disable()
    print(f"{len(regions)} regions in the data; warm-up (imports, validation, first region, all formats): {warm:.2f} s")
    print(f"(1) report build + HTML, per region:        mean {sum(html) / len(html):.3f} s  "
          f"min {min(html):.3f} s  max {max(html):.3f} s  (n={len(html)}, goal <= 0.5 s)")
    if full:
        print(f"(2) build + HTML, PDF, Word, Excel, per region: mean {sum(full) / len(full):.3f} s  "
              f"min {min(full):.3f} s  max {max(full):.3f} s  (n={len(full)})")
    print(f"where (1) goes, per region (one more pass, clock around each stage; total {per_region:.3f} s):")
    for label, (sec, n) in split.items():
        print(f"    {label:40s} {sec:6.3f} s  {100 * sec / per_region:5.1f} %  ({n:.1f} calls)")
    figures = [v for label, v in split.items() if label.startswith(("plot functions", "figures drawn"))]
    per_figure = sum(sec for sec, _ in figures) / max(figures[-1][1], 1e-9) if figures else float("nan")
    print(f"matplotlib floor: an empty figure made and drawn as SVG {floor[0] * 1000:.0f} ms "
          f"({floor[1] * 1000:.0f} ms with its axes off); a report figure {per_figure * 1000:.0f} ms "
          f"= {per_figure / floor[0]:.1f} x the empty one")
    stats = pstats.Stats(prof)
    print(f"profiled region {timed_regions[0]!r} (build + HTML): {stats.total_tt:.3f} s under cProfile; "
          f"YAML documents parsed: {calls(stats, 'yaml', 'get_single_node')}; "
          f"gc.collect calls: {sum(v[1] for (f, _, func), v in stats.stats.items() if 'gc' in func and 'collect' in func)}")
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(args.top)
        text = buf.getvalue()
        print(f"\n--- top {args.top} by {key} ---")
        print(text[text.find("   ncalls"):].rstrip())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

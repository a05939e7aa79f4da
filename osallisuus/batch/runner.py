"""Batch: one report per region, in parallel, each region isolated.

Every region's notebook is executed by papermill in a warm kernel of its worker process
(:mod:`osallisuus.batch.kernel`), then read back and written in each requested format by the
exporters (:mod:`osallisuus.export`); the participants' page and the index row come from the
same data in the worker. Any ``concurrent.futures``-style executor can run the regions
(default: a process pool with one worker per core; ``--dask-scheduler`` uses a Dask cluster).
A failing region is recorded and the others finish.
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as _dt
import hashlib
import json
import multiprocessing
import os
import re
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from .. import __version__, i18n
from ..errors import ReportError, SmallRegionError
from ..fileio import atomic_write_text
from ..settings import Settings, load_settings
from .outputs import output_names, remove_outputs, report_notebook

__all__ = ["RegionTask", "RegionResult", "BatchResult", "render_region", "run_reports", "regions_in_data",
           "batch_summary", "result_dict", "resolve_regions", "region_extras"]


@dataclass
class RegionTask:
    region: str
    region_id: str
    data_path: str
    lang: str
    threshold: int | None
    notebook: str
    out_dir: str
    root: str
    config: str | None
    formats: tuple[str, ...] = ("html",)
    force: bool = False


@dataclass
class RegionResult:
    region: str
    region_id: str
    status: str                 # "ok", "skipped", "withheld" (too few respondents), "failed" or "unpublished"
    seconds: float = 0.0
    error: str = ""
    outputs: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


def _source_hash() -> str:
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parents[1]
    for f in sorted(pkg.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml", ".txt", ".css", ".j2", ".ipynb", ".docx"):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def task_fingerprint(task: RegionTask, data_hash: str) -> str:
    """What a report depends on: data, notebook, parameters, formats, package version and source."""
    h = hashlib.sha256()
    h.update(data_hash.encode())
    h.update(Path(task.notebook).read_bytes())
    h.update(json.dumps({"region": task.region_id, "lang": task.lang, "threshold": task.threshold,
                         "formats": sorted(task.formats), "config": task.config}, sort_keys=True).encode())
    h.update(__version__.encode())
    h.update(_source_hash().encode())
    return h.hexdigest()


def _skip(task: RegionTask, out: Path, names: dict, fingerprint: str) -> RegionResult | None:
    manifest_path = out / names["manifest"]
    if task.force or not manifest_path.is_file():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    wanted = [names["notebook"], names["participants"]] + [names[f] for f in task.formats]
    if manifest.get("fingerprint") == fingerprint and all((out / w).is_file() for w in wanted):
        return RegionResult(task.region, task.region_id, "skipped", outputs=manifest.get("outputs", {}),
                            summary=manifest.get("summary", {}))
    return None


def _relative(path: str | None, root: str) -> str:
    """``path`` relative to the project root when it lies inside it (the kernel runs there), so
    the published notebook does not carry the machine's folders."""
    if not path:
        return ""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def _scrub(notebook: Path, names: dict) -> None:
    """Replace the local paths papermill records in the notebook's metadata by file names."""
    import nbformat
    nb = nbformat.read(notebook, as_version=4)
    meta = nb.metadata.get("papermill", {})
    meta["input_path"] = names["notebook"]
    meta["output_path"] = names["notebook"]
    for key, value in list((meta.get("parameters") or {}).items()):
        if isinstance(value, str) and os.path.isabs(value):
            meta["parameters"][key] = Path(value).name
    for cell in nb.cells:   # a folder outside the project is named, not located
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = re.sub(r'"(/[^"]+|[A-Za-z]:\\\\[^"]+)"', lambda m: json.dumps(Path(m.group(1)).name),
                                 cell.source)
    nbformat.write(nb, notebook)


def _execute(task: RegionTask, out: Path, names: dict, settings_file: str | None) -> Path:
    from .kernel import warm_kernel
    params = {"region": task.region_id, "data_path": _relative(task.data_path, task.root), "lang": task.lang,
              "suppression_threshold": task.threshold or 0, "settings_file": _relative(settings_file, task.root)}
    tmp_nb = out / f".tmp_{names['notebook']}"
    try:
        warm_kernel(task.root).execute(task.notebook, str(tmp_nb), params)
    except Exception as exc:  # papermill's own error carries the failing cell's traceback
        if getattr(exc, "ename", "") == SmallRegionError.__name__:      # the notice, not a fault
            raise SmallRegionError(str(getattr(exc, "evalue", exc))) from None
        raise ReportError(_short_error(exc)) from None
    _scrub(tmp_nb, names)
    final = out / names["notebook"]
    os.replace(tmp_nb, final)
    return final


def region_extras(region: str, data_path: str, lang: str, threshold: int | None, config: str | None,
                  report_href: str | None) -> dict:
    """What the batch needs besides the notebook, from the same data: the report's title, the
    participants' page, the suppression threshold (for the audit) and the index row.

    Run in the worker's warm kernel (:meth:`~osallisuus.batch.kernel.WarmKernel.call`), which
    has validated the data for the notebook already, so every worker validates it once.
    """
    from ..report import RegionReport
    from ..report.participants import participant_page
    # the report the notebook has just built in this kernel, when it still lives (its statistics
    # are computed); else a new one from the same data
    report = RegionReport.existing(region, data_path, lang, threshold, load_settings(config))
    return {"title": report.title(), "participants": participant_page(report.context, report_href=report_href),
            "threshold": report.context.suppression.threshold, "summary": report.summary()}


def _export(task: RegionTask, out: Path, names: dict, notebook: Path, extras: dict, settings: Settings) -> dict:
    """Every requested format from the executed notebook, and the participants' page."""
    import nbformat

    from ..export import document_from_notebook, export, exporter_options
    nb = nbformat.read(notebook, as_version=4)
    document = document_from_notebook(nb, lang=task.lang, title=extras["title"])
    outputs = {"notebook": names["notebook"]}
    options = exporter_options(settings)
    for fmt in task.formats:
        export(document, fmt, out / names[fmt], **options.get(fmt, {}))
        outputs[fmt] = names[fmt]
    atomic_write_text(out / names["participants"], extras["participants"])
    outputs["participants"] = names["participants"]
    return outputs


def render_region(task: RegionTask) -> RegionResult:
    """Run one region's notebook and export it; never raises (errors are recorded)."""
    from ..report import data_fingerprint
    from .kernel import warm_kernel
    start = time.perf_counter()
    names = output_names(task.lang)
    out = Path(task.out_dir)
    try:
        settings = load_settings(task.config)
        fingerprint = task_fingerprint(task, data_fingerprint(Path(task.data_path)))
        skipped = _skip(task, out, names, fingerprint)
        if skipped:
            skipped.seconds = time.perf_counter() - start
            return skipped
        out.mkdir(parents=True, exist_ok=True)
        remove_outputs(out, task.lang)        # nothing old stays beside (or instead of) the new report
        notebook = _execute(task, out, names, task.config)
        # the kernel's view of the same data: title, participants' page, audit threshold, index row
        href = names["html"] if "html" in task.formats else None
        extras = warm_kernel(task.root).call("osallisuus.batch.runner:region_extras", task.region_id, task.data_path,
                                             task.lang, task.threshold, task.config, href)
        outputs = _export(task, out, names, notebook, extras, settings)
        findings = _audit(out, names, extras["threshold"])
        if findings:   # nothing that fails the audit stays in the published folder
            remove_outputs(out, task.lang)
            error = "\n".join([i18n.t("batch.audit_failed", task.lang, n=len(findings))] + [str(f) for f in findings[:20]])
            return RegionResult(task.region, task.region_id, "unpublished", time.perf_counter() - start, error=error)
        summary = extras["summary"]
        atomic_write_text(out / names["manifest"], json.dumps(
            {"fingerprint": fingerprint, "outputs": outputs, "summary": summary,
             "created": _dt.datetime.now().isoformat(timespec="seconds")}, ensure_ascii=False, indent=1))
        return RegionResult(task.region, task.region_id, "ok", time.perf_counter() - start, outputs=outputs,
                            summary=summary)
    except Exception as exc:  # noqa: BLE001 - one region's failure is data, not a crash
        return _failed(task, out, names, exc, time.perf_counter() - start)


def _audit(out: Path, names: dict, threshold: int) -> list:
    """:func:`osallisuus.audit.audit_file` findings in the region's files of this language."""
    from ..audit import audit_file
    return [f for kind, name in names.items() if kind not in ("failed",) and (out / name).is_file()
            for f in audit_file(out / name, threshold)]


def _failed(task: RegionTask, out: Path, names: dict, exc: Exception, seconds: float) -> RegionResult:
    if isinstance(exc, SmallRegionError):
        return _withheld(task, out, names, exc, seconds)
    msg = str(exc) if isinstance(exc, ReportError) else f"{type(exc).__name__}: {exc}"
    if not isinstance(exc, (ReportError,)) and not hasattr(exc, "path"):
        msg += "\n" + "".join(traceback.format_exception(exc)[-3:])
    if out.is_dir():
        remove_outputs(out, task.lang)
        tmp = out / f".tmp_{names['notebook']}"
        if tmp.exists():  # keep the partly executed notebook for debugging, clearly named
            os.replace(tmp, out / names["failed"])
    return RegionResult(task.region, task.region_id, "failed", seconds, error=msg.strip())


def _withheld(task: RegionTask, out: Path, names: dict, exc: Exception, seconds: float) -> RegionResult:
    """A region whose every group is under the threshold: no report and no notebook (the
    partly run one names the data's folder), only the notice, in the index too. Not a failure:
    the batch's exit code stays 0."""
    if out.is_dir():
        remove_outputs(out, task.lang)
        (out / f".tmp_{names['notebook']}").unlink(missing_ok=True)
        if not any(out.iterdir()):
            out.rmdir()
    return RegionResult(task.region, task.region_id, "withheld", seconds, error=str(exc).strip())


def _short_error(exc: Exception) -> str:
    """papermill's PapermillExecutionError -> 'ExceptionName: message (cell N)'."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    return f"{ename}: {evalue}" + (f" (notebook cell {cell})" if cell else "")


@dataclass
class BatchResult:
    results: list[RegionResult]
    index: Path | None = None
    seconds: float = 0.0
    #: the data check of the run's input (answers read, accepted, quarantined) and its path
    data_summary: str = ""
    quarantined: int = 0
    data_path: str = ""
    #: the validation's notes on sheets of a workbook that were not read (their answers are in no report)
    unread_sheets: list[tuple[str, dict]] = field(default_factory=list)     # (file, the note's values)

    @property
    def failed(self) -> list[RegionResult]:
        """Regions without a published report: failed, or withheld because the audit found problems."""
        return [r for r in self.results if r.status in ("failed", "unpublished")]

    @property
    def withheld(self) -> list[RegionResult]:
        """Regions without a report because every group has fewer respondents than the threshold."""
        return [r for r in self.results if r.status == "withheld"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def regions_in_data(data_path: Path, settings: Settings, lang: str = "fi") -> list[str]:
    from ..regions import list_regions
    from ..report import load_validated
    report = load_validated(data_path, settings, lang)
    if report.exit_code == 2:
        raise ReportError("input unusable: " + "; ".join(report.messages(5)))
    present = set(report.data["region"].astype(str))
    return [r.name["fi"] for r in list_regions() if r.name["fi"] in present]


def resolve_regions(names: Iterable[str]) -> list:
    """Every requested region as a known :class:`~osallisuus.regions.Region`, before anything runs.

    Raises
    ------
    ReportError
        Naming every unknown region (nothing has been written or started).
    """
    from ..regions import find_region
    found, unknown = [], []
    for name in names:
        region = find_region(str(name))
        (found if region else unknown).append(region or name)
    if unknown:
        raise ReportError(f"unknown region {', '.join(map(repr, unknown))}; see 'osallisuus regions'")
    return list({r.id: r for r in found}.values())


def default_executor(jobs: int) -> cf.Executor:
    # 'spawn' keeps ZMQ sockets and threads of the parent out of the workers
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def _tasks(regions, path: Path, lang: str, threshold, formats, force, settings: Settings, reports_dir: Path):
    notebook = report_notebook(settings, path, reports_dir, lang)
    if not notebook.is_file():
        raise ReportError(i18n.t("batch.no_notebook", lang, path=notebook))
    config = str(settings.file) if settings.file else None
    tasks = []
    for region in regions:
        folder = reports_dir / region.id
        if folder.is_symlink():
            raise ReportError(f"{folder.name} in the output folder is a symbolic link; remove it first")
        tasks.append(RegionTask(region.name["fi"], region.id, str(path), lang, threshold, str(notebook), str(folder),
                                str(settings.root), config, tuple(formats), force))
    return tasks


def _run(tasks: list[RegionTask], executor: cf.Executor, lang: str, progress: bool) -> list[RegionResult]:
    from tqdm.auto import tqdm
    results = []
    futures = {executor.submit(render_region, t): t for t in tasks}
    with tqdm(total=len(tasks), desc=i18n.t("batch.progress", lang), unit=" " + i18n.t("batch.unit", lang),
              disable=not progress) as bar:
        for fut in cf.as_completed(futures):
            task = futures[fut]
            try:
                res = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died
                res = RegionResult(task.region, task.region_id, "failed", error=f"worker failed: {exc}")
            results.append(res)
            bar.set_postfix_str(f"{res.region}: {i18n.t('batch.' + res.status, lang)}")
            bar.update()
    order = {t.region_id: i for i, t in enumerate(tasks)}
    return sorted(results, key=lambda r: order.get(r.region_id, 0))


def run_reports(regions: Iterable[str] | None = None, *, data_path: str | None = None, lang: str | None = None,
                jobs: int | None = None, force: bool = False, formats: Iterable[str] = ("html",), pdf: bool = False,
                executor: cf.Executor | None = None, settings: Settings | None = None,
                suppression_threshold: int | None = None, progress: bool = True,
                out_dir: str | Path | None = None) -> BatchResult:
    """Produce every region's report and the index page.

    Parameters
    ----------
    regions : iterable of str, optional
        Names, ids or aliases. Default: every region that has answers in the data. An unknown
        name, or a region without answers in the data, stops the batch before anything is written;
        so does an input file that cannot be used at all (the data are read first, once).
    formats : iterable of str
        Output formats (``html``, ``pdf``, ``docx``, ``xlsx``; see ``osallisuus.export``).
        ``pdf=True`` adds ``pdf``.
    jobs : int, optional
        Worker processes (default: the number of cores); ignored when ``executor`` is given.
    executor : concurrent.futures.Executor, optional
        Anything with ``submit``; e.g. ``distributed.Client(address).get_executor()``.
    force : bool
        Re-create reports whose inputs are unchanged (otherwise they are skipped).
    """
    from ..export import parse_formats
    from ..report import resolve_path
    from .index import write_index
    start = time.perf_counter()
    settings = settings or load_settings()
    lang = i18n.check_lang(lang or settings.language)
    formats = parse_formats(list(formats) + (["pdf"] if pdf else []))
    path = resolve_path(data_path, settings)
    if not path.exists():
        raise ReportError(f"data path {path} does not exist")
    present = regions_in_data(path, settings, lang)
    chosen = resolve_regions(regions if regions else present)
    empty = [r.name[lang] for r in chosen if r.name["fi"] not in present]
    if empty:      # stopped before anything is written: no failed row, no notebook left behind
        raise ReportError(i18n.t("batch.no_answers", lang, regions=", ".join(empty),
                                 present=", ".join(r.name[lang] for r in resolve_regions(present)) or "–"))
    reports_dir = (Path(out_dir) if out_dir else settings.path("reports")).resolve()
    tasks = _tasks(chosen, path, lang, suppression_threshold, formats, force, settings, reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    own = executor is None
    executor = executor or default_executor(max(1, min(jobs or os.cpu_count() or 1, len(tasks))))
    try:
        results = _run(tasks, executor, lang, progress)
    finally:
        if own:
            executor.shutdown(wait=True)
    index = write_index(results, reports_dir, lang, path, settings, suppression_threshold)
    from ..report import load_validated
    check = load_validated(path, settings, lang)            # made for the index already: no second reading
    unread = [(str(f.path), params) for f in check.files for key, params in f.notes
              if key == "read.sheet_skipped" and params.get("table", True)]
    return BatchResult(results, index, time.perf_counter() - start, check.summary(), check.n_quarantined, str(path),
                       unread)


def batch_summary(result: BatchResult, lang: str = "fi") -> str:
    ok = sum(r.status == "ok" for r in result.results)
    skipped = sum(r.status == "skipped" for r in result.results)
    lines = [i18n.t("batch.summary", lang, ok=ok, skipped=skipped, failed=len(result.failed),
                    seconds=i18n.fmt_number(result.seconds, lang, 1), index=result.index)]
    from ..regions import region_name_in
    for r in [*result.failed, *result.withheld]:
        lines.append(f"  {region_name_in(r.region, lang)}: {r.error}")
    waiting = [region_name_in(r.region, lang) for r in result.results
               if r.status in ("ok", "skipped") and not (r.summary or {}).get("feedback", True)]
    if waiting:                 # a participants' page that promises the organisers' answer
        lines.append(i18n.t("batch.feedback_missing", lang, regions=", ".join(waiting)))
    if result.quarantined:      # answers that no report shows: say so, and where to see why
        lines.append(i18n.t("batch.quarantined", lang, summary=result.data_summary, data=result.data_path))
    if result.unread_sheets:    # a sheet per phase lost a phase: 'reports' alone said nothing (a review)
        lines += [i18n.t("batch.unread_sheets", lang)] + [f"  {path}: {i18n.t('read.sheet_skipped', lang, **params)}"
                                                           for path, params in result.unread_sheets]
    return "\n".join(lines)


def result_dict(result: BatchResult) -> dict:
    return {"seconds": result.seconds, "index": str(result.index), "results": [asdict(r) for r in result.results]}

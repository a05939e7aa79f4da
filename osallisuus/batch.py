"""Batch: one report per region, in parallel, each region isolated.

Speed comes from keeping one *warm* Jupyter kernel per worker process: papermill
(the real one) executes each region's notebook in that kernel, passed to nbclient as
``km`` (a kernel manager nbclient does not own, so it leaves the kernel running), after a
namespace reset, so imports and the validated data are paid for
once per worker instead of once per region. Isolation of results is kept: every region
gets its own executed notebook, its own HTML/PDF and its own error record, a kernel
that dies is restarted, and a failing region never stops the others.

Any ``concurrent.futures``-style executor can run the regions (default: a process
pool with one worker per core; ``--dask-scheduler`` uses a Dask cluster).
"""
from __future__ import annotations

import atexit
import concurrent.futures as cf
import datetime as _dt
import hashlib
import html
import json
import multiprocessing
import os
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

from . import __version__, i18n
from .errors import ReportError
from .settings import Settings, load_settings

KERNEL = "python3"
REGION_TIMEOUT = 600  # seconds one region's notebook may run


@dataclass
class RegionTask:
    region: str
    region_id: str
    data_path: str
    lang: str
    threshold: int
    notebook: str
    out_dir: str
    root: str
    config: str | None
    force: bool = False
    pdf: bool = False


@dataclass
class RegionResult:
    region: str
    region_id: str
    status: str                 # "ok", "skipped" or "failed"
    seconds: float = 0.0
    error: str = ""
    outputs: dict = field(default_factory=dict)
    summary: dict = field(default_factory=dict)


# ------------------------------------------------------------- fingerprints
def _source_hash() -> str:
    h = hashlib.sha256()
    pkg = Path(__file__).parent
    for f in sorted(pkg.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yaml", ".txt", ".css", ".html"):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def task_fingerprint(task: RegionTask, data_hash: str) -> str:
    """What a report depends on: data, notebook, parameters, package version and source."""
    h = hashlib.sha256()
    h.update(data_hash.encode())
    h.update(Path(task.notebook).read_bytes())
    h.update(json.dumps({"region": task.region, "lang": task.lang, "threshold": task.threshold,
                         "pdf": task.pdf}, sort_keys=True).encode())
    h.update(__version__.encode())
    h.update(_source_hash().encode())
    return h.hexdigest()


def output_names(lang: str) -> dict[str, str]:
    suffix = "" if lang == "fi" else f"_{lang}"
    return {"notebook": f"alueraportti{suffix}.ipynb", "html": f"raportti{suffix}.html",
            "pdf": f"raportti{suffix}.pdf", "participants": f"osallistujille{suffix}.html",
            "manifest": f".manifest{suffix}.json"}


# --------------------------------------------------------------- warm kernel
class WarmKernel:
    """One Jupyter kernel kept alive across notebooks, with a clean namespace per run."""

    def __init__(self, cwd: str):
        self.cwd = cwd
        self.km = None
        self.lock = threading.Lock()   # a kernel runs one notebook at a time

    def start(self) -> None:
        from jupyter_client.manager import KernelManager
        self.km = KernelManager(kernel_name=KERNEL)
        env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        self.km.start_kernel(cwd=self.cwd, env=env, extra_arguments=["--HistoryManager.enabled=False"])
        # pay for the imports once
        self._run("import osallisuus, osallisuus.report, osallisuus.figures, osallisuus.compare, "
                  "osallisuus.change, osallisuus.reliability, osallisuus.findings, osallisuus.export, matplotlib.pyplot")

    def _run(self, code: str) -> None:
        # A short-lived client of our own: a client that nbclient has driven is not reused.
        kc = self.km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
            reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()
        if reply["content"]["status"] != "ok":
            raise ReportError(f"kernel setup failed: {reply['content'].get('evalue', '')}")

    def alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def execute(self, notebook: str, output: str, parameters: dict) -> None:
        import papermill
        with self.lock:
            if not self.alive():
                self.shutdown()
                self.start()
            else:  # a clean namespace for every region; imported modules stay warm
                self._run("get_ipython().run_line_magic('reset', '-f')\nimport matplotlib.pyplot as _p; _p.close('all'); del _p")
            # papermill (the real one) executes in our kernel: nbclient reuses a km it does not own
            # and leaves the kernel running afterwards
            papermill.execute_notebook(notebook, output, parameters=parameters, kernel_name=KERNEL, km=self.km,
                                       progress_bar=False, log_output=False, execution_timeout=REGION_TIMEOUT)

    def shutdown(self) -> None:
        try:
            if self.km is not None and self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit
            pass
        self.km = None


_KERNEL: WarmKernel | None = None
_KERNEL_LOCK = threading.Lock()


def _warm_kernel(cwd: str) -> WarmKernel:
    global _KERNEL
    with _KERNEL_LOCK:
        if _KERNEL is None:
            _KERNEL = WarmKernel(cwd)
            _KERNEL.start()
            atexit.register(_KERNEL.shutdown)
        return _KERNEL


# ------------------------------------------------------------ one region
def render_region(task: RegionTask) -> RegionResult:
    """Run one region's notebook and export it; never raises (errors are recorded)."""
    start = time.perf_counter()
    names = output_names(task.lang)
    out = Path(task.out_dir)
    try:
        if task.config:
            os.environ["OSALLISUUS_CONFIG"] = task.config
        from .export import html_to_pdf, notebook_to_html
        from .fileio import atomic_write_text
        from .report import RegionReport, data_fingerprint, resolve_path
        settings = load_settings(task.config)
        data_path = resolve_path(task.data_path, settings)
        fingerprint = task_fingerprint(task, data_fingerprint(data_path))
        manifest_path = out / names["manifest"]
        if not task.force and manifest_path.is_file():
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            wanted = [names["notebook"], names["html"]] + ([names["pdf"]] if task.pdf else [])
            if manifest.get("fingerprint") == fingerprint and all((out / w).is_file() for w in wanted):
                return RegionResult(task.region, task.region_id, "skipped", time.perf_counter() - start,
                                    outputs=manifest.get("outputs", {}), summary=manifest.get("summary", {}))
        out.mkdir(parents=True, exist_ok=True)
        params = {"region": task.region, "data_path": str(data_path), "lang": task.lang,
                  "suppression_threshold": task.threshold, "output_dir": str(out.parent)}
        tmp_nb = out / f".tmp_{names['notebook']}"
        kernel = _warm_kernel(task.root)
        try:
            kernel.execute(task.notebook, str(tmp_nb), params)
        except Exception as exc:  # papermill's own error carries the failing cell's traceback
            raise ReportError(_short_error(exc)) from None
        os.replace(tmp_nb, out / names["notebook"])
        import nbformat
        nb = nbformat.read(out / names["notebook"], as_version=4)
        from .regions import resolve_region
        title = i18n.t("rep.title", task.lang, region=resolve_region(task.region).label(task.lang))
        page = notebook_to_html(nb, lang=task.lang, title=title, toc_label=i18n.t("rep.toc", task.lang))
        atomic_write_text(out / names["html"], page)
        outputs = {"notebook": names["notebook"], "html": names["html"]}
        if (out / names["participants"]).is_file():
            outputs["participants"] = names["participants"]
        if task.pdf:
            html_to_pdf(page, out / names["pdf"])
            outputs["pdf"] = names["pdf"]
        summary = RegionReport(task.region, data_path, lang=task.lang, suppression_threshold=task.threshold,
                               settings=settings).summary()
        atomic_write_text(manifest_path, json.dumps({"fingerprint": fingerprint, "outputs": outputs, "summary": summary,
                                                     "created": _dt.datetime.now().isoformat(timespec="seconds")},
                                                    ensure_ascii=False, indent=1))
        return RegionResult(task.region, task.region_id, "ok", time.perf_counter() - start, outputs=outputs, summary=summary)
    except Exception as exc:  # noqa: BLE001 - one region's failure is data, not a crash
        msg = str(exc) if isinstance(exc, ReportError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, ReportError):
            msg += "\n" + "".join(traceback.format_exception(exc)[-3:])
        tmp = out / f".tmp_{names['notebook']}"
        if tmp.exists():  # keep the partly executed notebook for debugging, clearly named
            os.replace(tmp, out / f"FAILED_{names['notebook']}")
        return RegionResult(task.region, task.region_id, "failed", time.perf_counter() - start, error=msg.strip())


def _short_error(exc: Exception) -> str:
    """papermill's PapermillExecutionError -> 'ExceptionName: message (cell N)'."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    return f"{ename}: {evalue}" + (f" (notebook cell {cell})" if cell else "")


# ------------------------------------------------------------------ the batch
@dataclass
class BatchResult:
    results: list[RegionResult]
    index: Path | None = None
    seconds: float = 0.0

    @property
    def failed(self) -> list[RegionResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def regions_in_data(data_path: Path, settings: Settings, lang: str = "fi") -> list[str]:
    from .report import load_validated
    report = load_validated(data_path, settings, lang)
    if report.exit_code == 2:
        raise ReportError("input unusable: " + "; ".join(report.messages(5)))
    from .regions import list_regions
    present = set(report.data["region"].astype(str))
    return [r.name["fi"] for r in list_regions() if r.name["fi"] in present]


def default_executor(jobs: int) -> cf.Executor:
    # 'spawn' keeps ZMQ sockets and threads of the parent out of the workers
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))


def run_reports(regions: Iterable[str] | None = None, *, data_path: str | None = None, lang: str | None = None,
                jobs: int | None = None, force: bool = False, pdf: bool = False,
                executor: cf.Executor | None = None, settings: Settings | None = None,
                suppression_threshold: int | None = None, progress: bool = True,
                out_dir: str | Path | None = None) -> BatchResult:
    """Produce every region's report and ``index.html``.

    Parameters
    ----------
    regions : iterable of str, optional
        Default: every region that has answers in the data.
    jobs : int, optional
        Worker processes (default: the number of cores); ignored when ``executor`` is given.
    executor : concurrent.futures.Executor, optional
        Anything with ``submit``; e.g. ``distributed.Client(address).get_executor()``.
    force : bool
        Re-create reports whose inputs are unchanged (otherwise they are skipped).
    """
    from .regions import resolve_region
    from .report import resolve_path
    start = time.perf_counter()
    settings = settings or load_settings()
    lang = i18n.check_lang(lang or settings.language)
    path = resolve_path(data_path, settings)
    if not path.exists():
        raise ReportError(f"data path {path} does not exist")
    threshold = int(suppression_threshold or settings.suppression_threshold)
    reports_dir = Path(out_dir) if out_dir else settings.path("reports")
    reports_dir.mkdir(parents=True, exist_ok=True)
    names = list(regions) if regions else regions_in_data(path, settings, lang)
    notebook = settings.path("notebook")
    if not notebook.is_file():
        raise ReportError(f"report notebook {notebook} not found")
    config = os.environ.get("OSALLISUUS_CONFIG") or (str(settings.root / "osallisuus.yaml")
                                                     if (settings.root / "osallisuus.yaml").is_file() else None)
    tasks = []
    for name in names:
        try:
            region = resolve_region(name)
            rid, label = region.id, name
        except Exception as exc:  # noqa: BLE001 - reported per region below
            rid, label = name, name
        tasks.append(RegionTask(label, rid, str(path), lang, threshold, str(notebook), str(reports_dir / rid),
                                str(settings.root), config, force, pdf))
    results: list[RegionResult] = []
    own = executor is None
    executor = executor or default_executor(max(1, min(jobs or os.cpu_count() or 1, len(tasks))))
    try:
        from tqdm.auto import tqdm
        futures = {executor.submit(render_region, t): t for t in tasks}
        with tqdm(total=len(tasks), desc=i18n.t("batch.progress", lang), unit="region", disable=not progress) as bar:
            for fut in cf.as_completed(futures):
                task = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # noqa: BLE001 - a worker that died
                    res = RegionResult(task.region, task.region_id, "failed", error=f"worker failed: {exc}")
                results.append(res)
                bar.set_postfix_str(f"{res.region}: {res.status}")
                bar.update()
    finally:
        if own:
            executor.shutdown(wait=True)
    order = {t.region: i for i, t in enumerate(tasks)}
    results.sort(key=lambda r: order.get(r.region, 0))
    index = write_index(results, reports_dir, lang, threshold)
    return BatchResult(results, index, time.perf_counter() - start)


def write_index(results: list[RegionResult], reports_dir: Path, lang: str, threshold: int) -> Path:
    """``reports/index.html``: the cross-region comparison, a link to every report, failures shown."""
    from .fileio import atomic_write_text
    from .pages import html_page
    from .i18n import fmt_number, t
    esc = html.escape
    head = [t("rep.col.region", lang), t("batch.col.baseline", lang), t("batch.col.interim", lang),
            t("batch.col.final", lang), t("batch.col.palaute", lang), t("batch.col.soc", lang),
            t("batch.col.esis", lang), t("batch.col.status", lang)]
    rows = []
    sym = f"<{threshold}"
    for r in results:
        s = r.summary or {}
        names = output_names(lang)
        if r.status == "failed":
            link = esc(r.region)
            status = f'<strong>{esc(t("batch.failed", lang))}</strong>: {esc(r.error.splitlines()[0] if r.error else "")}'
        else:
            link = f'<a href="{esc(r.region_id)}/{esc(names["html"])}">{esc(s.get("region", r.region))}</a>'
            extra = []
            if "participants" in r.outputs:
                extra.append(f'<a href="{esc(r.region_id)}/{esc(names["participants"])}">{esc(t("batch.participants", lang))}</a>')
            if "pdf" in r.outputs:
                extra.append(f'<a href="{esc(r.region_id)}/{esc(names["pdf"])}">PDF</a>')
            status = esc(t(f"batch.{r.status}", lang)) + ("" if not extra else " · " + " · ".join(extra))

        def num(key, decimals=1):
            v = s.get(key)
            return fmt_number(v, lang, decimals) if v is not None else (sym if s else "–")
        cells = [link] + [esc(str(s.get(f"respondents_{p}", "–"))) for p in ("baseline", "interim", "final")] + \
                [num("kehittajaryhma_palaute_baseline"), num("soc_g10_interim"), num("osallisuusindikaattori_final"), status]
        rows.append("<tr>" + f'<th scope="row">{cells[0]}</th>' + "".join(f"<td>{c}</td>" for c in cells[1:]) + "</tr>")
    table = (f'<table class="osallisuus"><caption>{esc(t("batch.caption", lang))}</caption><thead><tr>'
             + "".join(f'<th scope="col">{esc(h)}</th>' for h in head) + "</tr></thead><tbody>" + "".join(rows)
             + "</tbody></table>")
    body = (f'<h1 id="top">{esc(t("batch.title", lang))}</h1>'
            f'<p>{esc(t("batch.intro", lang, date=_dt.date.today().strftime("%d.%m.%Y")))}</p>' + table
            + f'<p class="table-note">{esc(t("batch.note", lang, k=threshold))}</p>')
    path = reports_dir / ("index.html" if lang == "fi" else f"index_{lang}.html")
    atomic_write_text(path, html_page(body, lang=lang, title=t("batch.title", lang)))
    return path


def batch_summary(result: BatchResult, lang: str = "fi") -> str:
    ok = sum(r.status == "ok" for r in result.results)
    skipped = sum(r.status == "skipped" for r in result.results)
    lines = [i18n.t("batch.summary", lang, ok=ok, skipped=skipped, failed=len(result.failed),
                    seconds=f"{result.seconds:.1f}", index=result.index)]
    for r in result.failed:
        lines.append(f"  {r.region}: {r.error}")
    return "\n".join(lines)


def result_dict(result: BatchResult) -> dict:
    return {"seconds": result.seconds, "index": str(result.index), "results": [asdict(r) for r in result.results]}

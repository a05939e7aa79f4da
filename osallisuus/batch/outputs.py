"""Names of the files a region's report consists of, and keeping a region folder honest."""
from __future__ import annotations

import os
from pathlib import Path

from importlib import resources

from ..i18n import t
from ..settings import Settings

__all__ = ["output_names", "report_notebook", "remove_outputs", "NOTEBOOK_NAME"]

NOTEBOOK_NAME = "alueraportti.ipynb"
FORMAT_EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}


def output_names(lang: str) -> dict[str, str]:
    """File names in a region's folder: one per format, the notebook, participants' page, manifest.

    The names are in the report's language (``batch.file.*`` in the translation table:
    ``raportti.html``, ``rapport.html``, ``report.html``), so a Swedish report is published as
    a Swedish file; they differ between languages, so a region's folder holds each language's
    files side by side. The manifest (hidden) keeps a language suffix.

    Examples
    --------
    >>> output_names("sv")["pdf"], output_names("en")["participants"]
    ('rapport.pdf', 'for_participants.html')
    """
    report, notebook, participants = (t(f"batch.file.{kind}", lang) for kind in ("report", "notebook", "participants"))
    names = {fmt: f"{report}{ext}" for fmt, ext in FORMAT_EXTENSIONS.items()}
    names.update(notebook=f"{notebook}.ipynb", participants=f"{participants}.html",
                 manifest=".manifest.json" if lang == "fi" else f".manifest_{lang}.json",
                 failed=f"FAILED_{notebook}.ipynb")
    return names


def _earlier_names(lang: str) -> list[str]:
    """Names no longer written: earlier versions published a Swedish or English report under
    the Finnish names with a suffix (``raportti_sv.html``); a rerun removes them, so no old
    report stays beside the new one."""
    if lang == "fi":
        return []
    finnish = output_names("fi")
    return [name.replace(".", f"_{lang}.", 1) for kind, name in finnish.items() if kind != "manifest"]


def report_notebook(settings: Settings, data_path: Path | None = None, reports_dir: Path | None = None,
                    lang: str = "fi") -> Path:
    """The notebook to execute: ``paths.notebook`` of the project; else, when a plan lies beside
    the data, one written from it into ``reports_dir`` in ``lang`` (one cell per table or figure,
    its headings and notes in the report's language, see :mod:`osallisuus.report.notebook`); else
    the one in the package (one cell per section)."""
    configured = (settings.raw.get("paths") or {}).get("notebook")
    if configured:
        return settings.path("notebook")
    if data_path is not None and reports_dir is not None:
        from ..plan import find_plan, load_plan
        plan_file = find_plan(data_path, settings)
        if plan_file is not None:
            return _written_from_plan(load_plan(plan_file, settings), settings,
                                      reports_dir / output_names(lang)["notebook"], lang)
    return Path(str(resources.files("osallisuus").joinpath("notebooks", NOTEBOOK_NAME)))


def _written_from_plan(plan, settings: Settings, target: Path, lang: str = "fi") -> Path:
    """Write the plan's notebook to ``target`` unless the same text is there (a rerun skips unchanged regions)."""
    import nbformat

    from ..report.notebook import report_notebook as notebook_for
    text = nbformat.writes(notebook_for(plan, settings, lang=lang))
    if not target.is_file() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return target


def remove_outputs(folder: Path, lang: str, keep: set[str] = frozenset()) -> None:
    """Remove the report files of language ``lang`` in ``folder`` except the kinds in ``keep``.

    Used so that a failed run leaves no old report looking current, and formats not asked for
    this time are not left stale beside new ones. Only regular files are removed (a symlink is
    removed as a link, never followed).
    """
    names = [name for kind, name in output_names(lang).items() if kind not in keep] + _earlier_names(lang)
    for path in (folder / name for name in names):
        if path.is_file() or path.is_symlink():
            os.unlink(path)

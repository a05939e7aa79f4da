"""Names of the files a region's report consists of, and keeping a region folder honest."""
from __future__ import annotations

import os
from pathlib import Path

from importlib import resources

from ..settings import Settings

__all__ = ["output_names", "report_notebook", "remove_outputs", "NOTEBOOK_NAME"]

NOTEBOOK_NAME = "alueraportti.ipynb"
FORMAT_EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx"}


def output_names(lang: str) -> dict[str, str]:
    """File names in a region's folder: one per format, the notebook, participants' page, manifest."""
    suffix = "" if lang == "fi" else f"_{lang}"
    names = {fmt: f"raportti{suffix}{ext}" for fmt, ext in FORMAT_EXTENSIONS.items()}
    names.update(notebook=f"alueraportti{suffix}.ipynb", participants=f"osallistujille{suffix}.html",
                 manifest=f".manifest{suffix}.json", failed=f"FAILED_alueraportti{suffix}.ipynb")
    return names


def report_notebook(settings: Settings) -> Path:
    """The notebook to execute: ``paths.notebook`` of the project, else the one in the package."""
    configured = (settings.raw.get("paths") or {}).get("notebook")
    if configured:
        return settings.path("notebook")
    return Path(str(resources.files("osallisuus").joinpath("notebooks", NOTEBOOK_NAME)))


def remove_outputs(folder: Path, lang: str, keep: set[str] = frozenset()) -> None:
    """Remove the report files of language ``lang`` in ``folder`` except the kinds in ``keep``.

    Used so that a failed run leaves no old report looking current, and formats not asked for
    this time are not left stale beside new ones. Only regular files are removed (a symlink is
    removed as a link, never followed).
    """
    for kind, name in output_names(lang).items():
        path = folder / name
        if kind not in keep and (path.is_file() or path.is_symlink()):
            os.unlink(path)

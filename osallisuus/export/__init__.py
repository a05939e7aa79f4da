"""Exporters: one registered unit per output format, all fed the same :class:`ReportDocument`.

Modelled on nbconvert's exporters and papermill's engine registry: an exporter is a class
with a ``name``, a file ``extension`` and an ``export(document, path)`` method; registering
one makes it available to ``osallisuus reports --format NAME``.

>>> from osallisuus.export import exporter_names
>>> exporter_names()
['html', 'pdf', 'docx', 'xlsx']
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path

from ..errors import ExportError
from ..heap import frozen_heap
from .base import Exporter
from .document import ReportDocument, document_from_notebook

__all__ = ["Exporter", "ExportError", "ReportDocument", "document_from_notebook", "register_exporter",
           "get_exporter", "exporter_names", "export", "parse_formats", "exporter_options"]

# name -> "module:Class" (imported on first use: pandoc and Typst load only when asked for)
_REGISTRY: dict[str, str | type[Exporter]] = {
    "html": "osallisuus.export.html:HTMLExporter",
    "pdf": "osallisuus.export.pdf:PDFExporter",
    "docx": "osallisuus.export.docx:DocxExporter",
    "xlsx": "osallisuus.export.xlsx:XlsxExporter",
}


def register_exporter(name: str, exporter: str | type[Exporter]) -> None:
    """Make ``exporter`` (a class or a ``"module:Class"`` string) available as format ``name``."""
    _REGISTRY[name] = exporter


def exporter_names() -> list[str]:
    return list(_REGISTRY)


def get_exporter(name: str, **options) -> Exporter:
    """A new exporter for format ``name``, made with ``options`` (see :func:`exporter_options`).

    Raises
    ------
    ExportError
        For an unknown format, naming the known ones.
    """
    try:
        entry = _REGISTRY[name]
    except KeyError:
        raise ExportError(f"unknown format {name!r}; formats: {', '.join(_REGISTRY)}") from None
    if isinstance(entry, str):
        module, _, cls = entry.partition(":")
        entry = getattr(importlib.import_module(module), cls)
    return entry(**options)


def parse_formats(text: str | list[str] | tuple[str, ...]) -> list[str]:
    """'html,pdf' -> ['html', 'pdf'] (checked against the registry, order kept, no repeats)."""
    names = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for name in (n.strip().lower() for n in names):
        if not name:
            continue
        if name not in _REGISTRY:
            raise ExportError(f"unknown format {name!r}; formats: {', '.join(_REGISTRY)}")
        if name not in out:
            out.append(name)
    if not out:
        raise ExportError(f"no format given; formats: {', '.join(_REGISTRY)}")
    return out


def export(document: ReportDocument, name: str, path: str | os.PathLike, **options) -> Path:
    """Write ``document`` in format ``name`` to ``path`` (atomically).

    Examples
    --------
    >>> export(document, "docx", "raportti.docx", **exporter_options(settings).get("docx", {}))  # doctest: +SKIP
    PosixPath('raportti.docx')
    """
    with frozen_heap():      # the exporters make many short-lived objects: see osallisuus.heap
        return get_exporter(name, **options).export(document, Path(path))


def exporter_options(settings) -> dict[str, dict]:
    """Options of each exporter from a project's settings (``osallisuus.settings.Settings``).

    ``export: {docx_reference: FILE}`` names an organisation's Word template (relative to the
    settings file's folder); it becomes ``{"docx": {"reference_doc": Path}}``.

    Raises
    ------
    ExportError
        If a file named there does not exist.
    """
    section = (getattr(settings, "raw", None) or {}).get("export") or {}
    options: dict[str, dict] = {}
    if section.get("docx_reference"):
        ref = Path(section["docx_reference"]).expanduser()
        ref = ref if ref.is_absolute() else Path(settings.root) / ref
        if not ref.is_file():
            raise ExportError(f"settings export.docx_reference: Word template {ref} not found")
        options["docx"] = {"reference_doc": ref}
    return options

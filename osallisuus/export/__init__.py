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
from .base import Exporter
from .document import ReportDocument, document_from_notebook

__all__ = ["Exporter", "ExportError", "ReportDocument", "document_from_notebook", "register_exporter",
           "get_exporter", "exporter_names", "export", "parse_formats"]

# name -> "module:Class" (imported on first use: pandoc and WeasyPrint load only when asked for)
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


def get_exporter(name: str) -> Exporter:
    """A new exporter for format ``name``.

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
    return entry()


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


def export(document: ReportDocument, name: str, path: str | os.PathLike) -> Path:
    """Write ``document`` in format ``name`` to ``path`` (atomically)."""
    return get_exporter(name).export(document, Path(path))

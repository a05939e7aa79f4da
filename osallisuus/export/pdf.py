"""PDF: the report's HTML printed by WeasyPrint as a tagged PDF identified as PDF/UA-1.

What makes the PDF accessible (law 306/2019) comes from the HTML and two WeasyPrint
options:

* ``pdf_tags=True`` writes the structure tree (headings, paragraphs, lists, tables with
  header cells, figures with their alt text) in reading order;
* ``pdf_variant="pdf/ua-1"`` adds the PDF/UA identification and the XMP metadata;
* the document title comes from ``<title>`` and the language from ``<html lang>``, both set
  by the templates from the :class:`~osallisuus.export.document.ReportDocument`.

Page layout lives in ``templates/print.css`` (added with ``document.html(print_css=True)``):
page numbers "n / N", the report title as a running head, wide tables on landscape pages
in smaller type, numbers that never break across lines, captions kept with their tables
and figures.

References
----------
WeasyPrint documentation, "Accessibility" and "API" (``pdf_tags``, ``pdf_variant``), version 70.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write_bytes
from .base import Exporter

__all__ = ["PDFExporter", "PDF_VARIANT"]

PDF_VARIANT = "pdf/ua-1"


class PDFExporter(Exporter):
    """Write a report as a tagged PDF/UA-1 file with WeasyPrint.

    Parameters
    ----------
    variant : str or None
        WeasyPrint's ``pdf_variant``; ``None`` writes a plain (still tagged) PDF.

    Examples
    --------
    >>> from osallisuus.export import export
    >>> export(document, "pdf", "raportti.pdf")          # doctest: +SKIP
    PosixPath('raportti.pdf')
    """

    name = "pdf"
    extension = ".pdf"

    def __init__(self, variant: str | None = PDF_VARIANT):
        self.variant = variant

    def pdf_bytes(self, document) -> bytes:
        """The PDF of ``document`` as bytes.

        Raises
        ------
        ExportError
            If WeasyPrint is missing or fails.
        """
        try:
            from weasyprint import HTML
        except ImportError as exc:   # pragma: no cover - a dependency of the package
            raise ExportError(f"PDF needs WeasyPrint (pip install weasyprint): {exc}") from None
        html = document.html(print_css=True)
        try:
            # base_url: the page is self-contained (data: URIs); nothing is resolved against a folder
            return HTML(string=html, base_url=os.devnull).write_pdf(pdf_tags=True, pdf_variant=self.variant)
        except Exception as exc:   # WeasyPrint's errors are not typed
            raise ExportError(f"WeasyPrint could not print {document.title!r}: {type(exc).__name__}: {exc}") from None

    def export(self, document, path: Path) -> Path:
        """Write ``document`` to ``path`` (atomically) and return ``path``.

        Raises
        ------
        ExportError
            If WeasyPrint fails; the message names the file.
        """
        path = Path(path)
        try:
            data = self.pdf_bytes(document)
        except ExportError as exc:
            raise ExportError(f"cannot write PDF {path.name}: {exc}") from None
        return atomic_write_bytes(path, data)

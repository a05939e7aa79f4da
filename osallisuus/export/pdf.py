"""PDF: the report's HTML printed by WeasyPrint as a tagged PDF identified as PDF/UA-1.

What makes the PDF accessible (law 306/2019) comes from the HTML and two WeasyPrint
options:

* ``pdf_tags=True`` writes the structure tree (headings, paragraphs, lists, tables with
  header cells, figures with their alt text) in reading order;
* ``pdf_variant="pdf/ua-1"`` adds the PDF/UA identification and the XMP metadata;
* the document title comes from the page title and the language from the page language, both set
  by the templates from the :class:`~osallisuus.export.document.ReportDocument`.

Page layout lives in ``templates/print.css`` (added with ``document.html(print_css=True)``):
page numbers "n / N", the report title as a running head, wide tables on landscape pages
in smaller type, numbers that never break across lines, captions kept with their tables
and figures. :func:`print_ready` also turns a table too crowded for a portrait page
(:func:`~osallisuus.export.layout.min_table_chars`) into a wide one, and keeps "Mann–Whitney" on one line.

References
----------
WeasyPrint documentation, "Accessibility" and "API" (``pdf_tags``, ``pdf_variant``), version 70.
"""
from __future__ import annotations

import copy
import os
import re
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write_bytes
from .base import Exporter
from .layout import column_percents, min_table_chars

__all__ = ["PDFExporter", "PDF_VARIANT", "print_ready", "PORTRAIT_CHARS", "LANDSCAPE_CHARS"]

PDF_VARIANT = "pdf/ua-1"
WORD_JOINER = "\u2060"
# an en dash inside a word or a range ('Mann–Whitney', '59,2–76,1'): a line may not break after it
_INNER_DASH = re.compile(r"(?<=\w)\u2013(?=\w)")
# characters of 9 pt type (about 0.55 em each) across the A4 text column of print.css (178 mm)
PORTRAIT_CHARS = 100
# characters of 8 pt type across a landscape page's text column (265 mm): wide tables
LANDSCAPE_CHARS = 170


def _join(text: str) -> str:
    return _INNER_DASH.sub("\u2013" + WORD_JOINER, text)


def print_ready(document):
    """A copy of ``document`` for print: no line break after an en dash inside a word (an
    invisible word joiner, U+2060), a table too crowded for a portrait page marked wide
    (printed on a landscape page in smaller type) so that no column is clipped, and each
    table's column widths set from its texts (:func:`~osallisuus.export.layout.column_percents`),
    which spares WeasyPrint measuring every cell twice."""
    doc = copy.copy(document)
    doc.sections = copy.deepcopy(document.sections)
    for table in doc.tables():
        if not table.wide and min_table_chars(table) > PORTRAIT_CHARS:
            table.wide = True
        table.widths = column_percents(table, LANDSCAPE_CHARS if table.wide else PORTRAIT_CHARS)
        table.columns = [_join(c) for c in table.columns]
        table.rows = [[_join(c) for c in row] for row in table.rows]
    return doc


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
            from weasyprint import HTML, URLFetcher
        except ImportError as exc:   # pragma: no cover - a dependency of the package
            raise ExportError(f"PDF needs WeasyPrint (pip install weasyprint): {exc}") from None
        html = print_ready(document).html(print_css=True)
        try:
            # the page is self-contained: data: URIs only, nothing read from disk or the network
            # (an image a notebook cell links to is left out, as the HTML report would miss it too)
            page = HTML(string=html, base_url=os.devnull, url_fetcher=URLFetcher(allowed_protocols={"data"}))
            return page.write_pdf(pdf_tags=True, pdf_variant=self.variant)
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

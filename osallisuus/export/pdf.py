"""PDF: the report laid out by Typst as a tagged PDF identified as PDF/UA-1.

The layout is ``templates/typst/report.typ``; this module hands it the
:class:`~osallisuus.export.document.ReportDocument` as JSON (``sys.inputs.report``), so no
text of the report is ever parsed as Typst markup. Typst comes with the ``typst`` wheel
(``pip install osallisuus`` installs it); a 14-page region report with 20 tables and 4 figures
takes about 0.2 s (WeasyPrint, used before, took 2.5 s).

What makes the PDF accessible (law 306/2019):

* ``pdf_standards=["ua-1"]``: Typst writes the structure tree (headings, paragraphs, lists,
  tables with header cells, figures with their alt text, quotes) in reading order, marks
  running heads and page numbers as artifacts, adds the PDF/UA identification, and refuses
  to write a file that breaks the standard (a figure without alt text, say);
* the document title and language come from the
  :class:`~osallisuus.export.document.ReportDocument`; a paragraph or quote in another
  language carries its own.

Page layout: A4, page numbers "n / N", the report title as a running head from page 2, a
table of contents with page numbers after the title block, captions above tables and below
figures and kept with them, a long table breaking between rows with its header row repeated,
a wide table (``Table.wide``, or too crowded for a portrait page,
:func:`~osallisuus.export.layout.min_table_chars`) on a landscape page in smaller type with
the headings that introduce it. Column widths come from the cells' texts
(:func:`~osallisuus.export.layout.column_percents`); numbers never break across lines.

Output of notebook cells that are not ours (markdown, DataFrames: ``Html`` blocks) is
converted by pandoc to Typst markup first; an image in such HTML is kept only as a ``data:``
URI (``templates/typst/images.lua``): nothing is read from disk or the network.

References
----------
Typst documentation, "PDF" (``pdf_standards``, accessibility) and "Tables", version 0.14.
"""
from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write_bytes
from ..i18n import t
from ..render import toc_position
from .base import Exporter
from .layout import column_percents, min_table_chars
from .tools import run_pandoc, typst_fonts, typst_module

__all__ = ["PDFExporter", "PDF_STANDARD", "print_ready", "typst_report", "PORTRAIT_CHARS", "LANDSCAPE_CHARS",
           "LONG_TABLE_ROWS"]

PDF_STANDARD = "ua-1"
TYPST_DIR = Path(__file__).resolve().parents[1] / "templates" / "typst"
# characters of 9 pt type (about 0.55 em each) across the A4 text column (178 mm)
PORTRAIT_CHARS = 100
# characters of 8 pt type across a landscape page's text column (265 mm): wide tables
LANDSCAPE_CHARS = 170
# a table with more rows may break across pages (its header row repeats); a shorter one stays whole
LONG_TABLE_ROWS = 18
# between the HTML blocks given to pandoc in one run: a word no report contains
_SPLIT = "osallisuus-html-block-7f3a9c"


def print_ready(document):
    """A copy of ``document`` for print: a table too crowded for a portrait page marked wide
    (printed on a landscape page in smaller type) so that no column is clipped, and each
    table's column widths set from its texts (:func:`~osallisuus.export.layout.column_percents`).
    (The template keeps a word with an en dash inside, 'Mann–Whitney' or '59,2–76,1', on one line.)"""
    doc = copy.copy(document)
    doc.sections = copy.deepcopy(document.sections)
    for table in doc.tables():
        if not table.wide and min_table_chars(table) > PORTRAIT_CHARS:
            table.wide = True
        chars = LANDSCAPE_CHARS if table.wide else PORTRAIT_CHARS
        # if the header's long words ('Jokseenkin') do not fit whole, the header is hyphenated
        table.widths = column_percents(table, chars) or column_percents(table, chars, bold=1)
    return doc


def _table(b) -> dict:
    # Typst fills a table cell by cell: every row as long as the longest, or a short row would
    # shift the next row's cells into the wrong columns
    width = max([len(b.columns) + 1, *map(len, b.rows)])
    header = [b.row_header, *b.columns] + [""] * (width - len(b.columns) - 1)
    rows = [list(row) + [""] * (width - len(row)) for row in b.rows]
    numeric = [False, *[bool(x) for x in b.numeric[:width - 1]]] + [False] * (width - 1 - len(b.numeric))
    return {"kind": "table", "title": b.title, "header": header, "rows": rows, "numeric": numeric, "total": b.total_rows,
            "notes": b.notes, "widths": b.widths, "wide": b.wide, "long": len(b.rows) > LONG_TABLE_ROWS,
            "tight": b.widths != column_percents(b, LANDSCAPE_CHARS if b.wide else PORTRAIT_CHARS)}


def _figure(b) -> dict:
    fmt = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg"}.get(b.mime)
    if fmt is None:
        raise ExportError(f"figure {b.id or b.caption!r}: cannot print an image of type {b.mime!r}")
    raw = base64.b64decode(b.data)
    out = {"kind": "figure", "title": b.title if b.caption else None, "alt": b.alt, "format": fmt}
    # Typst reads bytes from a string (SVG text) or from an array of numbers (PNG, JPEG)
    out.update({"svg": raw.decode("utf-8")} if fmt == "svg" else {"data": list(raw)})
    return out


def _block(b, markup: dict[int, str]) -> dict:
    if b.kind == "table":
        return _table(b)
    if b.kind == "figure":
        return _figure(b)
    if b.kind == "html":
        return {"kind": "markup", "markup": markup[id(b)]}
    if b.kind == "paragraph":
        return {"kind": "paragraph", "text": b.text, "style": b.style or "", "lang": b.lang}
    if b.kind == "list":
        return {"kind": "list", "items": list(b.items)}
    if b.kind == "quote":
        return {"kind": "quote", "text": b.text, "source": b.source, "lang": b.lang}
    if b.kind == "heading":
        return {"kind": "heading", "text": b.text, "level": b.level}
    raise ExportError(f"the PDF cannot print a block of kind {b.kind!r}")


def _parts(blocks: list[dict]) -> list[dict]:
    """A section's blocks in runs for portrait and landscape pages: a wide table goes on a
    landscape page with the headings right before it (and any wide tables right after it)."""
    parts: list[dict] = []
    for b in blocks:
        landscape = b["kind"] == "table" and b["wide"]
        if landscape and parts and not parts[-1]["landscape"]:
            run = parts[-1]["blocks"]
            k = len(run)
            while k and run[k - 1]["kind"] == "heading":
                k -= 1
            moved, run[k:] = run[k:], []
            if not run:
                parts.pop()
            parts.append({"landscape": True, "blocks": moved})
        elif not parts or parts[-1]["landscape"] != landscape:
            parts.append({"landscape": landscape, "blocks": []})
        parts[-1]["blocks"].append(b)
    return parts


def typst_report(document) -> dict:
    """What ``templates/typst/report.typ`` reads: the print-ready document as JSON data."""
    doc = print_ready(document)
    markup = _html_markup([b for s in doc.sections for b in s.blocks if b.kind == "html"], doc.lang)
    created = doc.created
    sections = [[_block(b, markup) for b in s.blocks] for s in doc.sections]
    # a PDF/UA document's first heading is of level 1 (and the contents, a level-2 heading, come
    # after it): the report's own title when it opens with one, else the document's title
    opens_with_title = bool(sections and sections[0] and sections[0][0]["kind"] == "heading"
                            and sections[0][0]["level"] == 1)
    toc_after = toc_position(doc)
    if opens_with_title and toc_after == 0:
        sections, toc_after = [sections[0][:1], sections[0][1:], *sections[1:]], 1
    return {"title": doc.title, "lang": doc.lang, "date": [created.year, created.month, created.day],
            "title_heading": not opens_with_title,
            "toc": any(h.level in (2, 3) for h in doc.headings()), "toc_label": t("rep.toc", doc.lang),
            "toc_after": toc_after, "sections": [_parts(blocks) for blocks in sections]}


def _html_markup(blocks, lang: str) -> dict[int, str]:
    """Typst markup of each HTML block (one pandoc run for all of them), keyed by ``id(block)``."""
    if not blocks:
        return {}
    html = f"\n{_SPLIT}\n".join(b.html for b in blocks)   # between blocks: a text of its own
    out = run_pandoc(["--from", "html", "--to", "typst", "--lua-filter", str(TYPST_DIR / "images.lua"),
                      "--metadata", f"default_alt={t('export.default_alt', lang)}"], html.encode("utf-8"),
                     "the notebook's own cells in the PDF")
    pieces = out.decode("utf-8").split(_SPLIT)
    if len(pieces) != len(blocks):
        raise ExportError(f"pandoc gave {len(pieces)} pieces for {len(blocks)} notebook cells")
    return {id(b): piece for b, piece in zip(blocks, pieces)}


class PDFExporter(Exporter):
    """Write a report as a tagged PDF/UA-1 file with Typst.

    Parameters
    ----------
    standard : str or None
        Typst's PDF standard (``"ua-1"``, ``"a-2a"``, ...); ``None`` writes a plain PDF 1.7
        (still tagged).
    system_fonts : bool
        Use the fonts installed on this machine (default). With False only the DejaVu fonts
        that come with the package (:func:`~osallisuus.export.tools.typst_fonts`) are used,
        so the same document gives the same PDF on every machine.

    Examples
    --------
    >>> from osallisuus.export import export
    >>> export(document, "pdf", "raportti.pdf")          # doctest: +SKIP
    PosixPath('raportti.pdf')
    """

    name = "pdf"
    extension = ".pdf"

    def __init__(self, standard: str | None = PDF_STANDARD, system_fonts: bool = True):
        self.standard = standard
        self.system_fonts = system_fonts

    def pdf_bytes(self, document) -> bytes:
        """The PDF of ``document`` as bytes.

        Raises
        ------
        ExportError
            If Typst is missing or refuses the document.
        """
        typst = typst_module("PDF export")
        data = json.dumps(typst_report(document), ensure_ascii=False)
        standards = [self.standard] if self.standard else []
        try:
            # the template reads nothing but its input; its own folder is the only one it may read
            return typst.compile((TYPST_DIR / "report.typ").read_bytes(), root=str(TYPST_DIR), format="pdf",
                                 sys_inputs={"report": data}, pdf_standards=standards, font_paths=typst_fonts(),
                                 ignore_system_fonts=not self.system_fonts)
        except typst.TypstError as exc:
            raise ExportError(f"Typst could not lay out {document.title!r}: {exc}") from None

    def export(self, document, path: Path) -> Path:
        """Write ``document`` to ``path`` (atomically) and return ``path``.

        Raises
        ------
        ExportError
            If Typst fails; the message names the file.
        """
        path = Path(path)
        try:
            data = self.pdf_bytes(document)
        except ExportError as exc:
            raise ExportError(f"cannot write PDF {path.name}: {exc}") from None
        return atomic_write_bytes(path, data)

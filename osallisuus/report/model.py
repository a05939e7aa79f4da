"""The report's content as data: sections made of blocks (headings, paragraphs, tables,
figures, quotes, notes), independent of any output format.

A section module turns a :class:`~osallisuus.report.context.ReportContext` into a
:class:`Section`; templates (HTML, and through HTML the PDF and Word files) and the Excel
exporter turn sections into files. Every text here is final display text (numbers already
formatted, suppressed cells already replaced by the suppression symbol), so no exporter
computes or formats anything and all formats show the same numbers.

In a notebook a :class:`Section` shows itself as HTML and also carries its model as JSON
(MIME type :data:`MIME_TYPE`), so the exporters read the executed notebook and rebuild
every format from the same data.
"""
from __future__ import annotations

import html as _html
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Union

__all__ = ["MIME_TYPE", "Heading", "Paragraph", "Table", "Figure", "Quote", "ItemList", "Html", "Block", "Section",
           "section_from_dict"]

MIME_TYPE = "application/vnd.osallisuus.section+json"
IN_HTML = "@text/html"   # a figure's ``data`` in the JSON: the image is in the same output's HTML


@dataclass
class Heading:
    text: str
    id: str
    level: int = 2
    kind: str = "heading"


@dataclass
class Paragraph:
    """A paragraph; ``style`` is '' (body text), 'note', 'warning' or 'finding'."""

    text: str
    style: str = ""
    lang: str | None = None
    kind: str = "paragraph"


@dataclass
class ItemList:
    items: list[str]
    kind: str = "list"


@dataclass
class Table:
    """A numbered table of display texts.

    ``columns`` are the column headers after the row-header column (``row_header``);
    ``rows`` are lists ``[row label, cell, cell, ...]``; ``total_rows`` are indices of rows
    shown in bold (totals). ``numeric`` flags, per column, whether cells align right.
    ``row_headers`` leading cells of a row name it (e.g. phase and role): each is a row header
    for screen readers (HTML ``th scope="row"``, Word's row-head columns).
    """

    number: int
    caption: str
    label: str                      # "Taulukko" / "Tabell" / "Table"
    row_header: str
    columns: list[str]
    rows: list[list[str]]
    id: str
    notes: list[str] = field(default_factory=list)
    total_rows: list[int] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    wide: bool = False              # many columns: printed pages may turn or shrink it
    widths: list[float] = field(default_factory=list)   # print only: each column's per cent of the width
    row_headers: int = 1
    kind: str = "table"

    @property
    def title(self) -> str:
        return f"{self.label} {self.number}. {self.caption}"


def _stored(block) -> dict[str, Any]:
    """A block as the notebook stores it: a table's print-only column widths are left out."""
    data = asdict(block)
    if data.get("kind") == "table":
        data.pop("widths", None)
    return data


@dataclass
class Figure:
    """A numbered figure: the image (``mime``, base64 ``data``), its alt text and caption.

    ``values``: the numbers it draws as a table (:func:`osallisuus.figures.figure_values`), which
    a web page gives below the figure, with ``short_alt`` as the image's alt text; a Word or PDF
    file keeps the whole ``alt``, which tells the same numbers."""

    number: int
    caption: str
    label: str                      # "Kuvio" / "Figur" / "Figure"
    alt: str
    mime: str
    data: str
    id: str
    kind: str = "figure"
    short_alt: str = ""
    values: dict | None = None

    @property
    def title(self) -> str:
        return f"{self.label} {self.number}. {self.caption}"

    @property
    def src(self) -> str:
        return f"data:{self.mime};base64,{self.data}"


@dataclass
class Quote:
    """A redacted free-text answer; ``lang`` is the language it was written in."""

    text: str
    source: str
    lang: str = "fi"
    kind: str = "quote"


@dataclass
class Html:
    """Output of a notebook cell that is not ours (a markdown cell, a DataFrame, an ad hoc plot),
    already rendered to HTML by its own renderer (nbconvert's markdown filter, pandas)."""

    html: str
    kind: str = "html"


Block = Union[Heading, Paragraph, ItemList, Table, Figure, Quote, Html]
_KINDS = {"heading": Heading, "paragraph": Paragraph, "list": ItemList, "table": Table, "figure": Figure,
          "quote": Quote, "html": Html}


@dataclass
class Section:
    """One section of a report: its key, language and blocks.

    Shown in Jupyter as HTML (rendered by the report templates) with the model as JSON
    beside it, which is what the exporters read back from an executed notebook.
    """

    key: str
    lang: str
    blocks: list[Block] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)   # main findings, for the conclusions

    @property
    def html(self) -> str:
        from ..render import render_section
        return render_section(self)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "lang": self.lang, "findings": list(self.findings),
                "blocks": [_stored(b) for b in self.blocks]}

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for Jupyter and the model as JSON for the exporters; each figure's image is
        stored once, in the HTML (the JSON says so with :data:`IN_HTML`)."""
        html, doc = self.html, self.to_dict()
        for b in doc["blocks"]:
            if b["kind"] == "figure" and b["id"] and b["data"] and _figure_src(html, b["id"]) == (b["mime"], b["data"]):
                b["data"] = IN_HTML
        return {"text/html": html, MIME_TYPE: doc}

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        """A short summary, which is also a notebook output's text/plain: the section and its
        numbered tables and figures. The dataclass' own repr held every block, a figure's whole
        image as base64 too (28 kB of text/plain beside each figure's HTML)."""
        titles = [b.title for b in self.blocks if isinstance(b, (Table, Figure))]
        return (f"Section({self.key!r}, {self.lang!r}, {len(self.blocks)} blocks"
                + "".join(f"; {title}" for title in titles) + ")")


def _figure_src(html: str, figure_id: str) -> tuple[str, str] | None:
    """``(mime, base64 data)`` of the image of ``<figure id=figure_id>`` in a section's HTML."""
    m = re.search(r'<figure id="' + re.escape(_html.escape(figure_id)) + r'">\s*<img src="data:([^;"]+);base64,([^"]*)"',
                  html)
    return (m.group(1), m.group(2)) if m else None


def section_from_dict(doc: dict, html: str | None = None) -> Section:
    """Rebuild a :class:`Section` from :meth:`Section.to_dict` (e.g. read from a notebook).

    ``html`` is the same output's ``text/html``, where the images of figures marked
    :data:`IN_HTML` are.

    Raises
    ------
    ValueError
        If a figure's image is said to be in the HTML but is not there.
    """
    blocks = []
    for b in doc.get("blocks", []):
        cls = _KINDS[b["kind"]]
        if b["kind"] == "figure" and b.get("data") == IN_HTML:
            found = _figure_src(html or "", b["id"])
            if found is None:
                raise ValueError(f"section {doc.get('key')!r}: the image of figure {b['id']!r} is not in its HTML output")
            b = {**b, "mime": found[0], "data": found[1]}
        blocks.append(cls(**b))
    return Section(doc["key"], doc["lang"], blocks, list(doc.get("findings", [])))

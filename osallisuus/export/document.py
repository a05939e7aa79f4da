"""A report as the exporters see it, read back from an executed notebook.

The notebook's cells display :class:`~osallisuus.report.model.Section` objects, whose
output carries the section model as JSON (``MIME_TYPE``). :func:`document_from_notebook`
collects them in order; anything else a user added to the notebook (markdown cells,
DataFrames, plain plots) is kept as rendered HTML, and cells tagged ``parameters``,
``injected-parameters`` or ``remove_cell`` (and the outputs of ``remove_output`` cells and
every ``stderr`` stream) are left out, as nbconvert's ``TagRemovePreprocessor`` does.

A section shown in parts (``report.intro`` and one ``report.view`` per table or figure, as
the generated region-report notebook does) is joined back into one section, and tables and
figures are numbered in the order the notebook shows them, so deleting a cell leaves no gap
in the numbering.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from ..errors import ExportError
from ..i18n import check_lang, t
from ..report.model import MIME_TYPE, Figure, Heading, Html, Paragraph, Section, section_from_dict

__all__ = ["ReportDocument", "document_from_notebook", "renumber", "REMOVE_CELL_TAGS", "REMOVE_OUTPUT_TAGS"]

REMOVE_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove_cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove_output"})
IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")


@dataclass
class ReportDocument:
    """Everything an exporter needs: title, language and the sections in order."""

    title: str
    lang: str
    sections: list[Section] = field(default_factory=list)
    created: _dt.date = field(default_factory=_dt.date.today)
    template: str = "report.html.j2"

    def headings(self) -> list[Heading]:
        return [h for s in self.sections for h in s.headings()]

    def tables(self):
        return [tb for s in self.sections for tb in s.tables()]

    def figures(self):
        return [f for s in self.sections for f in s.figures()]

    def html(self, **options) -> str:
        """The whole report as one self-contained HTML page (see ``templates/report.html.j2``)."""
        from ..render import render_document
        return render_document(self, **options)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags") or [])


def _markdown(source: str) -> Html:
    from nbconvert.filters import markdown2html
    return Html(markdown2html(source))


def _plain_image(data: dict, meta: dict, cell_meta: dict, lang: str) -> Figure:
    mime = next(m for m in IMAGE_TYPES if m in data)
    alt = ((meta.get(mime) or {}).get("alt") or meta.get("alt") or cell_meta.get("alt")
           or t("export.default_alt", lang))
    payload = data[mime]
    if mime == "image/svg+xml":
        import base64
        payload = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    return Figure(0, "", "", alt, mime, payload.replace("\n", ""), "")


def _output_blocks(out, cell_meta: dict, lang: str) -> list:
    kind = out.get("output_type")
    if kind == "stream":
        return [] if out.get("name") == "stderr" else [Paragraph(out.get("text", ""), style="pre")]
    if kind == "error":
        return [Paragraph(f"{out.get('ename', '')}: {out.get('evalue', '')}", style="warning")]
    data = out.get("data") or {}
    if MIME_TYPE in data:
        html = data.get("text/html")
        try:
            return [section_from_dict(data[MIME_TYPE], "".join(html) if isinstance(html, list) else html)]
        except ValueError as exc:
            raise ExportError(str(exc)) from None
    if "text/html" in data:
        return [Html(data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"]))]
    if any(m in data for m in IMAGE_TYPES):
        return [_plain_image(data, out.get("metadata") or {}, cell_meta, lang)]
    if "text/plain" in data and kind == "execute_result":
        return [Paragraph(data["text/plain"], style="pre")]
    return []


def document_from_notebook(nb, *, lang: str, title: str) -> ReportDocument:
    """Collect the sections (and any other visible output) of an executed notebook.

    Raises
    ------
    ExportError
        If ``nb`` is not a notebook.
    """
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ExportError(f"expected an executed notebook (nbformat.NotebookNode), got {type(nb).__name__}")
    lang = check_lang(lang)
    doc = ReportDocument(title, lang)
    loose: list = []

    def flush():
        if loose:
            doc.sections.append(Section("notebook", lang, list(loose)))
            loose.clear()
    def add(section: Section):
        if not section.blocks and not section.findings:
            return                  # a view with nothing to show for this region
        flush()
        last = doc.sections[-1] if doc.sections else None
        if last is not None and last.key == section.key and section.key != "notebook":
            last.blocks.extend(section.blocks)
            last.findings.extend(f for f in section.findings if f not in last.findings)
        else:
            doc.sections.append(section)
    for cell in nb["cells"]:
        tags = _tags(cell)
        if tags & REMOVE_CELL_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            loose.append(_markdown(cell.get("source", "")))
            continue
        if cell.get("cell_type") != "code" or tags & REMOVE_OUTPUT_TAGS:
            continue
        for out in cell.get("outputs", []):
            for block in _output_blocks(out, cell.get("metadata", {}), lang):
                if isinstance(block, Section):
                    add(block)
                else:
                    loose.append(block)
    flush()
    renumber(doc)
    return doc


def renumber(doc: ReportDocument) -> None:
    """Number the report's tables and figures 1, 2, ... in the order they are shown.

    Only numbered blocks (made by a report) count; a plain image a user's cell showed has no
    number and keeps none.
    """
    counts = {"table": 0, "figure": 0}
    for section in doc.sections:
        for block in section.blocks:
            if block.kind in counts and getattr(block, "number", 0):
                counts[block.kind] += 1
                block.number = counts[block.kind]
                block.id = f"{'taulukko' if block.kind == 'table' else 'kuvio'}-{block.number}"

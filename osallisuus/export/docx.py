"""Word: the report as a pandoc document written by pandoc as .docx, styled by a reference document.

pandoc comes with the ``pypandoc-binary`` wheel, so ``pip install osallisuus`` installs it.
The conversion keeps what an accessible Word file needs:

* the document title (core properties and the Title paragraph) and language (``w:lang``
  in the default run properties and ``dc:language``), from the
  :class:`~osallisuus.export.document.ReportDocument`;
* heading styles: the report's sections are Heading 1, their subsections Heading 2
  (:mod:`osallisuus.export.pandoc_ast` moves the headings up one level under the title);
* table captions in pandoc's "Table Caption" style, before their tables and kept with
  them; figure captions in "Image Caption"; header rows marked as repeating header rows;
* alt text of every figure as the picture's description (``wp:docPr/@descr``);
* figures as PNG: an SVG figure is rasterised first (by Typst, as the PDF draws it, at
  :data:`PNG_PPI` pixels per inch), since pandoc embeds an SVG in Word only with a PNG fallback made by
  ``rsvg-convert`` and, without that program, leaves older Word versions a blank picture;
* quotes and paragraphs in another language than the report carry their own ``w:lang``.

After pandoc, a wide table (``Table.wide``) gets a landscape section of its own, with the
headings that introduce it and its notes (python-docx; the section copies the document's
own section properties, so an organisation's headers and footers stay).

The styles come from ``templates/reference.docx`` (made by ``scripts/make_reference_docx.py``
from pandoc's default: A4, Arial, captions kept with what follows, "Table Note" and "Quote
Source" styles). An organisation passes its own template as ``reference_doc``.

References
----------
pandoc user's guide, "Options affecting specific writers: --reference-doc" and "Custom
styles"; ECMA-376 Part 1, 17.6 (sections), 20.4.2.5 (``docPr``).
"""
from __future__ import annotations

import base64
import copy
import dataclasses
import io
import json
import os
import zipfile
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write_bytes
from .base import Exporter
from .layout import column_widths, min_table_chars
from .pandoc_ast import pandoc_document
from .tools import run_pandoc, typst_fonts, typst_module

__all__ = ["DocxExporter", "default_reference_doc", "png_figures", "svg_to_png", "svgs_to_png", "PNG_PPI"]

_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PNG_PPI = 144.0        # an SVG figure's pixels per inch in the Word file (2 per point: sharp on screen and paper)
# one page per image, each just the size of its image: each PNG is the figure and nothing else
_RASTER = (b'#set page(width: auto, height: auto, margin: 0pt)\n'
           b'#for (i, svg) in json(bytes(sys.inputs.svgs)).enumerate() {\n'
           b'  if i > 0 { pagebreak() }\n  image(bytes(svg), format: "svg")\n}')
# twips (1/20 pt) for table widths: a character of 10 pt Arial (digits are 0.556 em) with
# some slack for bold totals, and the default left + right cell margins (108 twips each)
_CHAR_WIDTH, _CELL_PADDING = 120, 2 * 108 + 20
WIDE_TABLE_PT = 8       # type size of wide tables (as the PDF template has them)
# what may follow w:noWrap in w:tcPr (ECMA-376 Part 1, 17.4.70)
_AFTER_NOWRAP = ("w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
                 "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def default_reference_doc() -> Path:
    """The reference document shipped with the package (``templates/reference.docx``)."""
    return _TEMPLATES / "reference.docx"


def _check_reference(path: Path) -> Path:
    if not path.is_file():
        raise ExportError(f"Word template (reference document) {path} not found")
    try:
        with zipfile.ZipFile(path) as z:
            if "word/styles.xml" not in z.namelist():
                raise ExportError(f"Word template {path} has no styles (word/styles.xml): "
                                  "expected a .docx file saved by Word or LibreOffice")
    except zipfile.BadZipFile:
        raise ExportError(f"Word template {path} is not a .docx file") from None
    return path


class DocxExporter(Exporter):
    """Write a report as a Word document (pandoc, then python-docx for wide tables).

    Parameters
    ----------
    reference_doc : str or os.PathLike, optional
        A .docx whose styles (fonts, headings, captions, page size, headers and footers) the
        report takes; default :func:`default_reference_doc`. Settings name it as
        ``export: {docx_reference: FILE}``.

    Examples
    --------
    >>> from osallisuus.export.docx import DocxExporter
    >>> DocxExporter("organisaation_pohja.docx").export(document, "raportti.docx")  # doctest: +SKIP
    PosixPath('raportti.docx')
    """

    name = "docx"
    extension = ".docx"

    def __init__(self, reference_doc: str | os.PathLike | None = None):
        self.reference_doc = Path(reference_doc) if reference_doc else default_reference_doc()

    def pandoc_args(self) -> list[str]:
        """pandoc's command line after the executable (the document as pandoc's JSON on stdin;
        ``--sandbox``: pandoc reads no file but the reference document, whatever an image
        of a notebook's HTML cell points to)."""
        return ["--from=json", "--to=docx", "--sandbox", f"--reference-doc={self.reference_doc}"]

    def docx_bytes(self, document) -> bytes:
        """The .docx of ``document`` as bytes.

        Raises
        ------
        ExportError
            If the reference document is missing or not a .docx, or pandoc fails.
        """
        _check_reference(self.reference_doc)
        document = png_figures(document)
        ast = json.dumps(pandoc_document(document), ensure_ascii=False).encode("utf-8")
        return _finish(run_pandoc([*self.pandoc_args(), "--output=-"], ast, "Word export"), document)

    def export(self, document, path: Path) -> Path:
        """Write ``document`` to ``path`` (atomically) and return ``path``.

        Raises
        ------
        ExportError
            If the conversion fails; the message names the file.
        """
        path = Path(path)
        try:
            data = self.docx_bytes(document)
        except ExportError as exc:
            raise ExportError(f"cannot write Word file {path.name}: {exc}") from None
        return atomic_write_bytes(path, data)


def svg_to_png(svg: bytes, ppi: float = PNG_PPI) -> bytes:
    """An SVG image as PNG at ``ppi`` pixels per inch of its own size, drawn by Typst (resvg),
    with the fonts the PDF uses.

    Raises
    ------
    ExportError
        If Typst is missing or cannot read the image.
    """
    return svgs_to_png([svg], ppi)[0]


def svgs_to_png(svgs: list[bytes], ppi: float = PNG_PPI) -> list[bytes]:
    """:func:`svg_to_png` of each image, all drawn in one Typst run (one page each: half the
    time of a run per image, the same bytes).

    Raises
    ------
    ExportError
        If Typst is missing or cannot read one of the images.
    """
    typst = typst_module("SVG figures for Word")
    if not svgs:
        return []
    try:
        pages = typst.compile(_RASTER, format="png", ppi=ppi, font_paths=typst_fonts(),
                              sys_inputs={"svgs": json.dumps([svg.decode("utf-8") for svg in svgs])})
    except (UnicodeDecodeError, typst.TypstError) as exc:
        raise ExportError(f"cannot draw the SVG image: {exc}") from None
    return pages if isinstance(pages, list) else [pages]


def png_figures(document):
    """A copy of ``document`` whose SVG figures are PNG images (:func:`svgs_to_png`); others are kept.

    Raises
    ------
    ExportError
        If a figure cannot be drawn; the message names it.
    """
    figures = [f for f in document.figures() if f.mime == "image/svg+xml"]
    if not figures:
        return document
    try:
        pngs = svgs_to_png([base64.b64decode(f.data) for f in figures])
    except ExportError:
        pngs = [_one_png(f) for f in figures]     # the figure that fails, named
    png_of = {id(f): base64.b64encode(png).decode("ascii") for f, png in zip(figures, pngs)}

    def raster(block):
        if id(block) not in png_of:
            return block
        return dataclasses.replace(block, mime="image/png", data=png_of[id(block)])
    sections = [dataclasses.replace(s, blocks=[raster(b) for b in s.blocks]) for s in document.sections]
    return dataclasses.replace(document, sections=sections)


def _one_png(figure) -> bytes:
    try:
        return svg_to_png(base64.b64decode(figure.data))
    except ExportError as exc:
        raise ExportError(f"figure {figure.id or figure.caption!r} cannot be turned into PNG for Word: {exc}") from None


# --- after pandoc: python-docx ---------------------------------------------------------------

def _finish(data: bytes, document) -> bytes:
    """Landscape sections for wide tables, languages of quotes; core properties."""
    try:
        import docx
    except ImportError as exc:   # pragma: no cover - a dependency of the package
        raise ExportError(f"Word export needs python-docx (pip install python-docx): {exc}") from None
    doc = docx.Document(io.BytesIO(data))
    portrait = _portrait_width(doc)
    wide = {tb.title for tb in document.tables() if tb.wide or min_table_chars(tb) * _CHAR_WIDTH > portrait}
    _fit_tables(doc, wide)
    _first_column_heads(doc)
    _landscape_wide_tables(doc, wide)
    _mark_languages(doc, document)
    doc.core_properties.language = document.lang
    doc.core_properties.title = document.title
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _style_id(el) -> str:
    from docx.oxml.ns import qn
    style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val"), "") if style is not None else ""


def _text(el) -> str:
    from docx.oxml.ns import qn
    return "".join(t.text or "" for t in el.iter(qn("w:t")))


def _section_break(sect_pr, landscape: bool):
    """An empty paragraph that ends a section laid out as ``sect_pr`` (turned if ``landscape``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    sect = copy.deepcopy(sect_pr)
    size = sect.find(qn("w:pgSz"))
    if size is not None:
        w, h = int(size.get(qn("w:w"), 11906)), int(size.get(qn("w:h"), 16838))
        short, long_ = sorted((w, h))
        size.set(qn("w:w"), str(long_ if landscape else short))
        size.set(qn("w:h"), str(short if landscape else long_))
        if landscape:
            size.set(qn("w:orient"), "landscape")
        else:
            size.attrib.pop(qn("w:orient"), None)
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    ppr.append(sect)
    p.append(ppr)
    return p


def _landscape_wide_tables(doc, titles: set[str]) -> None:
    """Put each table captioned with one of ``titles`` (with its notes and the headings right
    before it) in a landscape section."""
    from docx.oxml.ns import qn
    body = doc.element.body
    final = body.find(qn("w:sectPr"))
    if final is None or not titles:
        return
    bookmarks = (qn("w:bookmarkStart"), qn("w:bookmarkEnd"))
    for caption in [el for el in body if el.tag == qn("w:p") and _style_id(el) == "TableCaption"
                    and _text(el) in titles]:
        table = caption.getnext()
        if table is None or table.tag != qn("w:tbl"):
            continue
        end, nxt = table, table.getnext()
        while nxt is not None and (nxt.tag in bookmarks or _style_id(nxt) == "TableNote"):
            end = end if nxt.tag in bookmarks else nxt
            nxt = nxt.getnext()
        start, prev = caption, caption.getprevious()
        while prev is not None and (prev.tag in bookmarks or _style_id(prev).startswith("Heading")):
            start = prev if prev.tag != qn("w:bookmarkEnd") else start
            prev = prev.getprevious()
        while start.getprevious() is not None and start.getprevious().tag == qn("w:bookmarkStart"):
            start = start.getprevious()
        if start.getprevious() is not None:
            start.addprevious(_section_break(final, landscape=False))
        rest = end.getnext()
        while rest is not None and rest.tag in bookmarks:
            rest = rest.getnext()
        if rest is None or rest.tag == qn("w:sectPr"):     # the table ends the document: turn the last section
            final.getparent().replace(final, _section_break(final, landscape=True)[0][0])
        else:
            end.addnext(_section_break(final, landscape=True))


def _portrait_width(doc) -> int:
    """Text width of a portrait page of ``doc`` in twips (A4 with 2.5 cm margins if unknown)."""
    from docx.oxml.ns import qn
    sect = doc.element.body.find(qn("w:sectPr"))
    size = sect.find(qn("w:pgSz")) if sect is not None else None
    margins = sect.find(qn("w:pgMar")) if sect is not None else None
    if size is None or margins is None:
        return 11906 - 2 * 1417
    short = min(int(size.get(qn("w:w"), 11906)), int(size.get(qn("w:h"), 16838)))
    return short - int(margins.get(qn("w:left"), 1417)) - int(margins.get(qn("w:right"), 1417))


def _fit_tables(doc, wide_titles: set[str]) -> None:
    """Fixed column widths from the cells' texts, filling the text width (landscape for wide
    tables); numeric (right-aligned) cells do not wrap, so '26 / 39' stays on one line."""
    from docx.oxml.ns import qn
    sect = doc.element.body.find(qn("w:sectPr"))
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    if size is None or margins is None:
        return
    w, h = sorted((int(size.get(qn("w:w"))), int(size.get(qn("w:h")))))
    side = int(margins.get(qn("w:left"), 1417)) + int(margins.get(qn("w:right"), 1417))
    for tbl in doc.element.body.iter(qn("w:tbl")):
        caption = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCaption')}")
        is_wide = caption is not None and caption.get(qn("w:val")) in wide_titles
        if is_wide:
            _small_type(tbl, WIDE_TABLE_PT)
        char = _CHAR_WIDTH * WIDE_TABLE_PT // 10 if is_wide else _CHAR_WIDTH
        _fit_table(tbl, (h if is_wide else w) - side, char)


def _first_column_heads(doc) -> None:
    """Every table's first column marked as its row headings (``tblLook firstColumn``), as the HTML's
    ``th scope="row"``: Word and its screen readers read a row by its heading (an accessibility
    review found it off in all 20 tables)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    for tbl in doc.element.body.iter(qn("w:tbl")):
        pr = tbl.find(qn("w:tblPr"))
        if pr is None:
            continue
        look = pr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            pr.append(look)
        look.set(qn("w:firstColumn"), "1")
        look.attrib.pop(qn("w:val"), None)      # the old bit mask would override the attribute


def _small_type(tbl, points: int) -> None:
    """Every run in ``tbl`` in ``points`` pt type."""
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.run import Run
    for r in tbl.iter(qn("w:r")):
        Run(r, None).font.size = Pt(points)


def _fit_table(tbl, width: int, char: int = _CHAR_WIDTH) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    grid = tbl.find(qn("w:tblGrid"))
    cols = grid.findall(qn("w:gridCol")) if grid is not None else []
    if not cols:
        return
    desired, minimum = [1] * len(cols), [1] * len(cols)
    for tr in tbl.iter(qn("w:tr")):
        header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None   # header texts may wrap
        for i, tc in enumerate(tr.findall(qn("w:tc"))[:len(cols)]):
            text = _text(tc)
            jc = tc.find(f".//{qn('w:jc')}")
            numeric = not header and jc is not None and jc.get(qn("w:val")) == "right"
            desired[i] = max(desired[i], len(text))
            minimum[i] = max(minimum[i], len(text) if numeric else max((len(x) for x in text.split()), default=1))
            if numeric:
                tcpr = tc.find(qn("w:tcPr"))
                if tcpr is not None and tcpr.find(qn("w:noWrap")) is None:
                    tcpr.insert_element_before(OxmlElement("w:noWrap"), *_AFTER_NOWRAP)
    chars = (width - len(cols) * _CELL_PADDING) // char
    widths = column_widths(desired, minimum, chars)
    for col, n in zip(cols, widths):
        col.set(qn("w:w"), str(n * char + _CELL_PADDING))
    tblpr = tbl.find(qn("w:tblPr"))
    tblw = tblpr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(n * char + _CELL_PADDING for n in widths)))
    tblpr.autofit = False     # python-docx puts w:tblLayout where the schema wants it


def _mark_languages(doc, document) -> None:
    """``w:lang`` on the runs of quotes and paragraphs written in another language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    other = {}
    for section in document.sections:
        for block in section.blocks:
            lang = getattr(block, "lang", None)
            if block.kind in ("quote", "paragraph") and lang and lang != document.lang:
                other[block.text.strip()] = lang
    if not other:
        return
    for p in doc.element.body.iter(qn("w:p")):
        lang = other.get(_text(p).strip())
        if not lang:
            continue
        for r in p.iter(qn("w:r")):
            rpr = r.get_or_add_rPr()
            el = rpr.find(qn("w:lang"))
            if el is None:
                el = OxmlElement("w:lang")
                rpr.insert_element_before(el, "w:eastAsianLayout", "w:specVanish", "w:oMath")
            el.set(qn("w:val"), lang)

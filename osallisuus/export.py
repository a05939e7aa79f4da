"""Export an executed report notebook to self-contained, accessible HTML and to PDF.

nbconvert's ``basic`` template gives the cell outputs without any code, prompts, or
external scripts; a ``TagRemovePreprocessor`` drops the ``parameters`` and
``injected-parameters`` cells (papermill's ``--report-mode`` does not hide them in
nbconvert output) and cells tagged ``remove_cell``. The result is wrapped in the
project's page template (``lang`` set, one stylesheet, no network requests) with a
table of contents built from the headings. PDF comes from WeasyPrint.
"""
from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import nbformat

from .errors import ExportError
from .fileio import atomic_write_bytes, atomic_write_text
from .pages import html_page

_EXPORTER = None
REMOVE_CELL_TAGS = {"parameters", "injected-parameters", "remove_cell"}


def _exporter():
    """One HTMLExporter per process: building it is the slow part (templates, Jinja)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor
        from traitlets.config import Config
        c = Config()
        c.TagRemovePreprocessor.enabled = True
        c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
        c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output"}
        c.HTMLExporter.exclude_input = True
        c.HTMLExporter.exclude_input_prompt = True
        c.HTMLExporter.exclude_output_prompt = True
        c.HTMLExporter.embed_images = True
        exporter = HTMLExporter(config=c, template_name="basic")
        exporter.register_preprocessor(TagRemovePreprocessor(config=c), enabled=True)
        _EXPORTER = exporter
    return _EXPORTER


def _clean_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop stderr streams (warnings are for the log, not the reader)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream"
                                                                          and o.get("name") == "stderr")]
    return nb


def _toc(soup, label: str) -> None:
    """Give headings unique ids and put a linked table of contents after the first h1."""
    seen: set[str] = set()
    items = []
    for h in soup.find_all(["h2", "h3"]):
        hid = h.get("id") or re.sub(r"[^\w-]+", "-", h.get_text(" ", strip=True).lower()).strip("-") or "osa"
        base, n = hid, 2
        while hid in seen:
            hid, n = f"{base}-{n}", n + 1
        seen.add(hid)
        h["id"] = hid
        items.append((h.name, hid, h.get_text(" ", strip=True)))
    if not items:
        return
    nav = soup.new_tag("nav", attrs={"class": "toc", "aria-label": label})
    title = soup.new_tag("h2", attrs={"class": "toc-title", "id": "toc"})
    title.string = label
    nav.append(title)
    top = soup.new_tag("ol")
    last_top, sub = None, None
    for level, hid, text in items:
        li = soup.new_tag("li")
        a = soup.new_tag("a", href=f"#{hid}")
        a.string = text
        li.append(a)
        if level == "h3" and last_top is not None:   # a sub-heading nests under its section
            if sub is None:
                sub = soup.new_tag("ol")
                last_top.append(sub)
            sub.append(li)
        else:
            top.append(li)
            last_top, sub = li, None
    nav.append(top)
    h1 = soup.find("h1")
    anchor = h1.find_next_sibling() if h1 else None
    # after the title block (h1, subtitle, warnings, intro paragraph)
    while anchor is not None and anchor.name == "p":
        nxt = anchor.find_next_sibling()
        if nxt is None or nxt.name != "p":
            break
        anchor = nxt
    if anchor is not None:
        anchor.insert_after(nav)
    elif h1 is not None:
        h1.insert_after(nav)
    else:
        soup.insert(0, nav)


def notebook_to_html(nb: nbformat.NotebookNode, *, lang: str = "fi", title: str | None = None,
                     toc_label: str = "Sisällys") -> str:
    """The executed notebook as one self-contained HTML page: outputs only, images embedded,
    ``<html lang>`` set, a table of contents, no external requests."""
    from bs4 import BeautifulSoup
    try:
        body, _ = _exporter().from_notebook_node(_clean_outputs(nb))
    except Exception as exc:  # nbconvert raises many kinds for a broken notebook
        raise ExportError(f"cannot convert the notebook to HTML: {exc}") from None
    soup = BeautifulSoup(body, "html.parser")
    for a in soup.select("a.anchor-link"):   # the ¶ links: unnamed links for screen readers
        a.decompose()
    for tag in soup.find_all(["script", "link"]):   # nothing may load from the network
        tag.decompose()
    _toc(soup, toc_label)
    h1 = soup.find("h1")
    page_title = title or (h1.get_text(" ", strip=True) if h1 else "Raportti")
    return html_page(str(soup), lang=lang, title=page_title)


def write_html(nb: nbformat.NotebookNode, path: str | os.PathLike, **kw) -> Path:
    return atomic_write_text(path, notebook_to_html(nb, **kw))


def html_to_pdf(html: str | os.PathLike, pdf_path: str | os.PathLike) -> Path:
    """A PDF of an HTML string or file, with WeasyPrint; written atomically."""
    from weasyprint import HTML
    try:
        if isinstance(html, str) and html.lstrip().startswith("<"):
            doc = HTML(string=html, base_url=str(Path(pdf_path).parent))
        else:
            doc = HTML(filename=str(html))
        data = doc.write_pdf()
    except Exception as exc:  # WeasyPrint's errors are not typed
        raise ExportError(f"cannot write PDF {pdf_path}: {exc}") from None
    return atomic_write_bytes(pdf_path, data)

"""Export an executed report notebook to self-contained, accessible HTML and to PDF.

How a page is made
------------------
* nbconvert's ``basic`` template renders the cell outputs only: no code (``exclude_input``),
  no ``In [ ]``/``Out [ ]`` prompts, no ``<head>``, no scripts and no CDN links (the ``lab`` and
  ``classic`` templates pull require.js and MathJax from a CDN and ship ~300 kB of CSS).
* A ``TagRemovePreprocessor`` drops the cells tagged ``parameters``, ``injected-parameters``
  (papermill's report mode does not hide them from nbconvert) and ``remove_cell``, and the
  outputs of cells tagged ``remove_output``. ``stderr`` streams (warnings) are dropped too.
* The result is wrapped in the project's page template (:func:`osallisuus.pages.html_page`):
  ``<html lang>``, ``<title>``, one inline stylesheet, nothing loaded from the network (any
  ``<script>``, ``<link>`` or ``<iframe>`` an output carries is removed).
* nbconvert's ``¶`` anchor links (a link whose only text is a pilcrow) are removed; every
  heading keeps or gets a unique ``id`` and a ``<nav>`` table of contents links the ``h2`` and
  ``h3`` headings. It goes after the title block (the first ``h1`` and the paragraphs after it).

Figures and alt text
--------------------
The report code renders each matplotlib figure to PNG itself and displays
``IPython.display.HTML('<figure><img src="data:image/png;base64,..." alt="..."><figcaption>
...</figcaption></figure>')`` (:func:`osallisuus.figures.figure_html`), so the alt text and the
caption are ours. Such ``text/html`` outputs pass through unchanged (``sanitize_html`` is off).
A plain ``image/png``/``image/jpeg`` output (``plt.show()`` in an ad hoc cell) takes its alt
text from the output's metadata ``alt``, else the cell's metadata ``alt``, else ``default_alt``;
nbconvert's own English fallback ("No description has been provided for this image") never
reaches a page.

PDF comes from WeasyPrint.
"""
from __future__ import annotations

import copy
import os
import re
import threading
from pathlib import Path
from typing import Any

import nbformat

from .errors import ExportError
from .fileio import atomic_write_bytes, atomic_write_text
from .pages import html_page

__all__ = ["ExportError", "REMOVE_CELL_TAGS", "atomic_write_bytes", "atomic_write_text", "html_to_pdf",
           "notebook_to_html", "write_html"]

REMOVE_CELL_TAGS = frozenset({"parameters", "injected-parameters", "remove_cell"})
REMOVE_OUTPUT_TAGS = frozenset({"remove_output"})

# Alt text for an image that has none, by page language (unknown languages get English).
DEFAULT_ALT = {"fi": "Kuvio ilman tekstikuvausta", "sv": "Figur utan textbeskrivning",
               "en": "Figure without a text description"}
_NBCONVERT_ALT = "No description has been provided for this image"
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

# Only what the notebook output adds to pages.BASE_CSS (shared with every page of the project).
EXPORT_CSS = """
.output_subarea, .text_cell_render { margin: 0; }
.output_png img, .output_jpeg img, .output_svg img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.95rem; }
table.dataframe { border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }
table.dataframe th, table.dataframe td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; }
table.dataframe thead th { background: #e8eef3; }
caption { text-align: left; font-weight: 700; caption-side: top; }
figcaption { font-size: 0.95rem; margin-top: 0.3rem; }
nav.toc h2 { font-size: 1.2rem; margin: 0.2rem 0; border: 0; padding: 0; }
"""

_EXPORTER = None
# nbconvert re-registers filters on the exporter in every call: one conversion at a time per process
_EXPORTER_LOCK = threading.Lock()


def _exporter():
    """The module's one ``HTMLExporter``, built on first use.

    Building it (templates, Jinja environment) takes ~0.4 s; a conversion after that ~10 ms.
    """
    global _EXPORTER
    if _EXPORTER is None:   # called with _EXPORTER_LOCK held
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        c = Config()
        c.TagRemovePreprocessor.enabled = True   # one of HTMLExporter's default preprocessors
        c.TagRemovePreprocessor.remove_cell_tags = set(REMOVE_CELL_TAGS)
        c.TagRemovePreprocessor.remove_all_outputs_tags = set(REMOVE_OUTPUT_TAGS)
        c.HTMLExporter.exclude_input = True
        c.HTMLExporter.exclude_input_prompt = True
        c.HTMLExporter.exclude_output_prompt = True
        c.HTMLExporter.embed_images = True       # markdown attachments/local images -> data: URIs
        c.HTMLExporter.sanitize_html = False     # our <figure>/<table> outputs pass as they are
        _EXPORTER = HTMLExporter(config=c, template_name="basic")
    return _EXPORTER


def _prepare(nb: nbformat.NotebookNode, default_alt: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` without ``stderr`` streams and with alt text on every plain image output."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                continue   # warnings are for the log, not the reader
            data = out.get("data") or {}
            if "text/html" not in data and ("image/png" in data or "image/jpeg" in data):
                md = out.setdefault("metadata", {})
                has_alt = any((md.get(m) or {}).get("alt") for m in ("image/png", "image/jpeg")) or md.get("alt")
                if not has_alt and not cell.get("metadata", {}).get("alt"):
                    md["alt"] = default_alt
            outputs.append(out)
        cell["outputs"] = outputs
    return nb


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text.lower()).strip("-") or "osa"


def _headings_and_toc(soup, label: str) -> None:
    """Give every heading a unique, selector-safe ``id``; add a ``<nav>`` linking the h2/h3 headings."""
    headings = soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    heading_ids = {id(h) for h in headings}
    taken = {el["id"] for el in soup.find_all(id=True) if id(el) not in heading_ids}

    def unique(base: str) -> str:
        hid, n = base, 2
        while hid in taken:
            hid, n = f"{base}-{n}", n + 1
        taken.add(hid)
        return hid

    items = []
    for h in headings:
        text = h.get_text(" ", strip=True)
        old = h.get("id")
        # nbconvert's ids are the heading text with '-' for spaces; keep them (authors link to
        # them) unless they hold characters that break a CSS selector or repeat an id.
        base = old if old and re.fullmatch(r"[\w-]+", old) else _slug(text)
        h["id"] = unique(base)
        if h.name in ("h2", "h3") and text:
            items.append((h.name, h["id"], text))
    if not items:
        return
    nav = soup.new_tag("nav", attrs={"class": "toc", "aria-label": label})
    title = soup.new_tag("h2", attrs={"class": "toc-title", "id": unique("toc")})
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
    if h1 is None:   # no title: the contents come first
        first = soup.find(True)
        if first is None:
            soup.append(nav)
        else:
            first.insert_before(nav)
        return
    # after the title block: the h1 and the paragraphs (or one notice) right after it
    anchor = h1
    nxt = h1.find_next_sibling()
    while nxt is not None and nxt.name == "p":
        anchor, nxt = nxt, nxt.find_next_sibling()
    if anchor is h1 and nxt is not None and nxt.name not in ("h2", "h3", "h4", "h5", "h6", "nav"):
        anchor = nxt   # e.g. a subtitle or warning <div> between the title and the first section
    anchor.insert_after(nav)


def notebook_to_html(nb: nbformat.NotebookNode, *, lang: str = "fi", title: str | None = None,
                     toc_label: str = "Sisällys", default_alt: str | None = None) -> str:
    """Render an executed notebook as one self-contained, accessible HTML page.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (``nbformat.read(path, as_version=4)``). It is not modified.
    lang : str
        Language of the page, a BCP 47 tag such as ``"fi"``, ``"sv"`` or ``"en"``; set as
        ``<html lang>``.
    title : str, optional
        The ``<title>``; by default the text of the first ``h1``.
    toc_label : str
        Visible heading and accessible name of the table of contents.
    default_alt : str, optional
        Alt text for a plain image output that has none in its own or its cell's metadata
        (key ``alt``); by default a generic text in ``lang``.

    Returns
    -------
    str
        A complete HTML document: outputs only, images as ``data:`` URIs, no external requests.

    Raises
    ------
    ExportError
        If ``nb`` is not a notebook, ``lang`` is not a language tag, or nbconvert fails.
    """
    from bs4 import BeautifulSoup

    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ExportError(f"expected an executed notebook (nbformat.NotebookNode), got {type(nb).__name__}")
    if not isinstance(lang, str) or not _LANG_RE.match(lang):
        raise ExportError(f"language {lang!r} is not a language tag such as 'fi', 'sv' or 'en'")
    if default_alt is None:
        default_alt = DEFAULT_ALT.get(lang.split("-")[0].lower(), DEFAULT_ALT["en"])
    try:
        prepared = _prepare(nb, default_alt)
        with _EXPORTER_LOCK:
            body, _ = _exporter().from_notebook_node(prepared)
    except Exception as exc:  # nbconvert raises many kinds for a broken notebook
        raise ExportError(f"cannot convert the notebook to HTML: {type(exc).__name__}: {exc}") from None
    soup = BeautifulSoup(body, "html.parser")
    for a in soup.select("a.anchor-link"):   # the ¶ links: unnamed, repeated links for screen readers
        a.decompose()
    for tag in soup.find_all(["script", "link", "iframe"]):   # nothing may load from the network
        tag.decompose()
    for img in soup.find_all("img"):
        if not img.has_attr("alt") or img["alt"] == _NBCONVERT_ALT:
            img["alt"] = default_alt
    _headings_and_toc(soup, toc_label)
    h1 = soup.find("h1")
    page_title = title or (h1.get_text(" ", strip=True) if h1 else "") or toc_label
    return html_page(str(soup), lang=lang, title=page_title, extra_css=EXPORT_CSS)


def write_html(nb: nbformat.NotebookNode, path: str | os.PathLike, **kw: Any) -> Path:
    """Write :func:`notebook_to_html` of ``nb`` to ``path`` atomically.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.
    path : str or os.PathLike
        The HTML file; its folder is created if missing.
    **kw
        Passed to :func:`notebook_to_html` (``lang``, ``title``, ``toc_label``, ``default_alt``).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    return atomic_write_text(path, notebook_to_html(nb, **kw))


def html_to_pdf(html: str | os.PathLike, pdf_path: str | os.PathLike) -> Path:
    """Print an HTML document to PDF with WeasyPrint, written atomically.

    Parameters
    ----------
    html : str or os.PathLike
        The HTML document as a string (starting with ``<``), or the path of an HTML file.
        Relative URLs resolve against the file's folder, or for a string ``pdf_path``'s folder.
    pdf_path : str or os.PathLike
        The PDF file; its folder is created if missing.

    Returns
    -------
    pathlib.Path
        ``pdf_path``.

    Raises
    ------
    ExportError
        If the HTML file is missing or WeasyPrint fails.
    """
    from weasyprint import HTML

    pdf_path = Path(pdf_path)
    is_markup = isinstance(html, str) and html.lstrip().startswith("<")
    if not is_markup and not Path(html).is_file():
        raise ExportError(f"cannot write PDF {pdf_path}: no HTML file {html}")
    try:
        if is_markup:
            doc = HTML(string=html, base_url=str(pdf_path.resolve().parent) + os.sep)
        else:
            doc = HTML(filename=str(html))
        data = doc.write_pdf()
    except Exception as exc:  # WeasyPrint's errors are not typed
        raise ExportError(f"cannot write PDF {pdf_path}: {type(exc).__name__}: {exc}") from None
    return atomic_write_bytes(pdf_path, data)

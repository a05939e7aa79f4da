"""The report as a pandoc document (pandoc's JSON AST), for pandoc's writers.

The Word exporter hands pandoc this document instead of the report's HTML: pandoc then only
writes (``--from=json``), which takes less than half the time of reading the HTML (its
base64 images most of all). The document is what pandoc's HTML reader makes of
``templates/report.html.j2``, with the Word-specific changes made on the way:

* the report's title heading is left out (the writer puts the title first, in the Title
  style) and the other headings move up one level, so sections are Word's Heading 1;
* the contents list: its title in the "TOC Heading" style, then the headings as linked
  lists, after the title section (:func:`~osallisuus.render.toc_position`);
* tables: caption, a header row, each row's first cell a row header, numeric columns
  right-aligned, total rows bold; notes after a table in the "Table Note" style;
* figures: the image with its alt text and caption; a quote as a block quote followed by its
  source in the "Quote Source" style; a warning in bold; preformatted text as a code block;
* a notebook's own HTML cells (markdown, DataFrames) are read by pandoc's HTML reader, all
  in one run, with nbconvert's "¶" links to each heading left out.

Text always goes in as text (``Str`` and ``Space``): nothing in a report is read as markup.

References
----------
pandoc-types, ``Text.Pandoc.Definition`` (the AST) and ``Text.Pandoc.Builder.text``
(words and spaces); pandoc user's guide, "Custom styles" (``custom-style`` on a Div).
"""
from __future__ import annotations

import functools
import json
import re

from ..i18n import t
from ..render import render, table_of_contents, toc_position
from .tools import run_pandoc

__all__ = ["pandoc_document", "inlines", "api_version"]

_NO_ATTR = ["", [], []]
_SPACE = re.compile(r"([ \t\n]+)")    # what pandoc's text builder splits on (a no-break space is a letter)
_FRAGMENT = "osallisuus-fragment-"


def inlines(text: str) -> list:
    """``text`` as pandoc inlines: its words (``Str``) and the spaces between them (``Space``).

    Examples
    --------
    >>> inlines(" 40 %  vastaajista ")
    [{'t': 'Str', 'c': '40'}, {'t': 'Space'}, {'t': 'Str', 'c': '%'}, {'t': 'Space'}, {'t': 'Str', 'c': 'vastaajista'}]
    """
    out: list = []
    text = str(text).replace("\r\n", "\n").replace("\r", "")    # as pandoc reads HTML: a lone \r is dropped
    for k, part in enumerate(_SPACE.split(text.strip())):
        if k % 2:        # the spaces between two words: a line break in them is a soft break
            out.append({"t": "SoftBreak" if "\n" in part else "Space"})
        elif part:
            out.append({"t": "Str", "c": part})
    return out


@functools.lru_cache(maxsize=1)
def api_version() -> list[int]:
    """The AST version the installed pandoc reads and writes (asked once per process: a JSON
    document of another version is refused)."""
    return json.loads(run_pandoc(["--from=html", "--to=json"], b"", "Word export"))["pandoc-api-version"]


def pandoc_document(document) -> dict:
    """``document`` (a :class:`~osallisuus.export.document.ReportDocument`) as pandoc's JSON AST.

    Raises
    ------
    ExportError
        If pandoc is missing or cannot read a notebook's HTML cell.
    """
    fragments = _fragments([b.html for s in document.sections for b in s.blocks if b.kind == "html"],
                           document.title)
    toc, toc_at = table_of_contents(document.headings()), toc_position(document)
    blocks: list = []
    for k, section in enumerate(document.sections):
        if k == toc_at and toc:
            blocks += _contents(toc, document.lang)
        for block in section.blocks:
            blocks += fragments.pop(0) if block.kind == "html" else _BLOCKS[block.kind](block, document.title)
    meta = {"title": {"t": "MetaInlines", "c": inlines(document.title)},
            "lang": {"t": "MetaString", "c": document.lang}}
    return {"pandoc-api-version": api_version(), "meta": meta, "blocks": blocks}


# ------------------------------------------------------------------------------ blocks
def _styled(style: str, blocks: list) -> dict:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def _contents(toc: list, lang: str) -> list:
    def entry(h) -> list:
        return [{"t": "Plain", "c": [{"t": "Link", "c": [_NO_ATTR, inlines(h.text), [f"#{h.id}", ""]]}]}]

    def ordered(items: list) -> dict:
        return {"t": "OrderedList", "c": [[1, {"t": "DefaultStyle"}, {"t": "DefaultDelim"}], items]}
    items = [entry(h) + ([ordered([entry(s) for s in subs])] if subs else []) for h, subs in toc]
    return [_styled("TOC Heading", [{"t": "Para", "c": inlines(t("rep.toc", lang))}]), ordered(items)]


def _heading(b, title: str) -> list:
    return _header(b.level, [b.id, [], []], inlines(b.text), b.text, title)


def _header(level: int, attr: list, words: list, text: str, title: str) -> list:
    """A heading one level up (a report's section is Word's Heading 1); none for the title
    itself, which the writer puts first in the Title style."""
    if level == 1 and " ".join(text.split()) == " ".join(title.split()):
        return []
    return [{"t": "Header", "c": [max(1, level - 1), attr, words]}]


def _paragraph(b, title: str) -> list:
    if b.style == "pre":
        # as pandoc reads <pre>: line ends as \n (a lone \r dropped), one final line end dropped
        text = b.text.replace("\r\n", "\n").replace("\r", "").removesuffix("\n")
        return [{"t": "CodeBlock", "c": [_NO_ATTR, text]}]
    words = inlines(b.text)
    if not words:
        return []
    return [{"t": "Para", "c": [{"t": "Strong", "c": words}] if b.style == "warning" else words}]


def _list(b, title: str) -> list:
    return [{"t": "BulletList", "c": [[{"t": "Plain", "c": inlines(i)}] if inlines(i) else [] for i in b.items]}]


def _cell(text: str, attr: list, bold: bool = False) -> list:
    words = inlines(text)
    content = [{"t": "Plain", "c": [{"t": "Strong", "c": words}] if bold else words}] if words else []
    return [attr, {"t": "AlignDefault"}, 1, 1, content]


def _table(b, title: str) -> list:
    numeric = [bool(b.rows) and bool(b.numeric) and j < len(b.numeric) and b.numeric[j] for j in range(len(b.columns))]
    colspecs = [[{"t": "AlignRight" if n else "AlignDefault"}, {"t": "ColWidthDefault"}] for n in [False, *numeric]]
    col = ["", [], [["scope", "col"]]]
    head = [_NO_ATTR, [[_NO_ATTR, [_cell(c, col) for c in [b.row_header, *b.columns]]]]]
    rows = []
    heads = max(1, getattr(b, "row_headers", 1))
    for i, row in enumerate(b.rows):
        bold = i in b.total_rows
        cells = [_cell(c, ["", [], [["scope", "row"]]], bold) for c in row[:heads]]
        cells += [_cell(c, ["", ["num" if j < len(numeric) and numeric[j] else "text"], []], bold)
                  for j, c in enumerate(row[heads:], start=heads - 1)]
        rows.append([["", ["total"] if bold else [], []], cells])
    body = [_NO_ATTR, heads if rows else 0, [], rows]
    table = {"t": "Table", "c": [[b.id, ["osallisuus"], []], [None, [{"t": "Plain", "c": inlines(b.title)}]],
                                 colspecs, head, [body], [_NO_ATTR, []]]}
    notes = [_styled("Table Note", [{"t": "Para", "c": inlines(n)}]) for n in b.notes if inlines(n)]
    # in a div of its own, as the HTML has it: the writer puts an empty paragraph between two
    # tables that follow each other directly, not between two divs
    return [{"t": "Div", "c": [["", ["table-block"], []], [table, *notes]]}]


def _figure(b, title: str) -> list:
    image = {"t": "Image", "c": [_NO_ATTR, inlines(b.alt), [b.src, ""]]}
    caption = [{"t": "Plain", "c": inlines(b.title)}] if b.caption else []
    return [{"t": "Figure", "c": [[b.id or "", [], []], [None, caption], [{"t": "Plain", "c": [image]}]]}]


def _quote(b, title: str) -> list:
    out = [{"t": "BlockQuote", "c": [{"t": "Para", "c": inlines(b.text)}] if inlines(b.text) else []}]
    if inlines(b.source):
        out.append(_styled("Quote Source", [{"t": "Para", "c": inlines(b.source)}]))
    return out


_BLOCKS = {"heading": _heading, "paragraph": _paragraph, "list": _list, "table": _table, "figure": _figure,
           "quote": _quote}


# --------------------------------------------------------------- a notebook's own HTML
def _fragments(htmls: list[str], title: str) -> list[list]:
    """Each HTML fragment as pandoc blocks, read in one pandoc run (each in a div of its own)
    and changed as the report's blocks are (headings up one level, no title heading)."""
    if not htmls:
        return []
    ids = [f"{_FRAGMENT}{k}" for k in range(len(htmls))]
    page = render("fragments.html.j2", fragments=htmls, prefix=_FRAGMENT)
    found = {b["c"][0][0]: b["c"][1] for b in _read_html(page)
             if b.get("t") == "Div" and b["c"][0][0] in ids}
    if len(found) != len(ids):     # a fragment's unclosed tags took in the next ones: one run each
        found = {i: _read_html(h) for i, h in zip(ids, htmls)}
    return [_tidy(found[i], title) for i in ids]


def _read_html(html: str) -> list:
    return json.loads(run_pandoc(["--from=html", "--to=json", "--sandbox"], html.encode("utf-8"),
                                 "a notebook's own cells in Word"))["blocks"]


def _tidy(node, title: str):
    """A fragment's AST with headings up one level (the title heading left out) and
    nbconvert's anchor links ("¶" after each heading of a markdown cell) removed."""
    if isinstance(node, list):
        out = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Link" and "anchor-link" in item["c"][0][1]:
                continue
            if isinstance(item, dict) and item.get("t") == "Header":
                level, attr, words = item["c"]
                out += _header(level, attr, _tidy(words, title), _plain(words), title)
                continue
            out.append(_tidy(item, title))
        return out
    if isinstance(node, dict) and "c" in node:
        return {**node, "c": _tidy(node["c"], title)}
    return node


def _plain(words: list) -> str:
    return "".join(w.get("c", "") if w.get("t") == "Str" else " " if w.get("t") in ("Space", "SoftBreak") else
                   _plain(w["c"]) if isinstance(w.get("c"), list) else "" for w in words if isinstance(w, dict))

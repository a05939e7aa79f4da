"""Audit of a folder of published reports before it leaves the house.

:func:`audit` reads every file a reader could get (HTML, PDF text, DOCX, XLSX, executed
notebooks, JSON manifests; plain text and CSV too) with its own reader and lists:

* ``count``: a number that could be a count under the suppression threshold, in a
  count-like place only: a table cell under a column headed n, N, vastaajia,
  respondents, svarande ... (see ``COUNT_HEADERS``), ``n = 3`` in text, ``3 vastaajaa``,
  a JSON value under a count-like key. Other small numbers (scale points, means, years,
  percentages) are not counts and are not flagged.
* ``personal``: personal data as :mod:`osallisuus.privacy` finds it. Identity codes,
  phone, IBAN, plates, addresses, personal numbers and e-mail addresses made of a
  person's name are looked for everywhere; person names, other e-mail addresses, web
  addresses and handles only in free-text quotes (``<blockquote>``), because a report
  names its sources, authors and the organisers' contact address.
* ``path``: a local absolute path (``/home/``, ``/work/``, ``/tmp/``, ``/root/``,
  ``/Users/``, ``C:\\``, ``file://``, the user's home folder, the folder the audit runs in;
  in a notebook also its error messages and metadata).
* ``external``: a resource a browser would load from another host (``<script src>``,
  ``<img src>``, ``<link href>`` of a stylesheet or icon, ``<iframe>``, media, CSS
  ``url(...)``/``@import``). Plain links (``<a href>``) are fine.

Every finding names the file, the place in it (line, page, sheet!cell, paragraph,
notebook cell) and what was found; ``osallisuus audit`` exits 1 when there are any.

Examples
--------
>>> findings = audit("reports")                 # doctest: +SKIP
>>> print("\\n".join(map(str, findings)))       # doctest: +SKIP
reports/lappi/index.html:line 120: count: 3 under column 'n' (threshold 5)
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from xml.etree import ElementTree

from .errors import OsallisuusError
from .heap import frozen_heap

__all__ = ["AuditFinding", "audit", "audit_file", "COUNT_HEADERS", "format_findings", "pdf_tables"]

#: Column headings and JSON keys (lower case, without punctuation) that hold counts of people or answers
COUNT_HEADERS = frozenset({
    "n", "vastaajia", "vastaajat", "vastaajaa", "vastaajien määrä", "vastaajamäärä", "vastauksia",
    "vastausten määrä", "lukumäärä", "lkm", "määrä", "henkilöä", "osallistujia", "asiakkaita",
    "respondents", "respondent count", "answers", "number of respondents", "count", "frequency",
    "svarande", "antal", "antal svarande", "svar", "antal svar", "frekvens", "n_respondents",
    "respondent_count", "respondents_count", "n_answers", "answer_count", "linked", "n_linked",
})
_COUNT_WORDS = (r"vastaaja\w*|vastaus\w*|henkilö\w*|osallistuja\w*|asiakas\w*|asiakkaa\w*|työntekijä\w*|"
                r"respondents?|answers?|persons?|people|participants?|clients?|svarande|svar|personer|"
                r"deltagare|klienter")
# a whole number, digits grouped by threes with a (no-break) space or not: "12 345" is one
# number (pdftotext gives the no-break space as a plain one), so its "345" is no count of its own
_WHOLE = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+"
_N_EQUALS = re.compile(rf"(?<![\w.])[nN]\s*[=:]\s*({_WHOLE})(?!\d|[.,]\d)")
# "3 vastaajaa"; across a line break only before a lower-case word: a contents page's "… 3" at a
# line's end before the heading "Clients' and professionals' …" is a page number
_N_WORDS = re.compile(rf"(?<![\w.,<])({_WHOLE})(?:[^\S\n]+|[^\S\n]*\n\s*(?-i:(?=[a-zäöå])))(?:{_COUNT_WORDS})\b",
                      re.I)
_LOCAL_PATH = re.compile(r"file://\S+|(?<![\w.~-])(?:/home/|/work/|/tmp/|/root/|/Users/|/var/folders/|/mnt/)"
                         r"[^\s\"'<>)]*|(?<![\w])[A-Za-z]:\\[^\s\"'<>]*")
_ABSOLUTE = re.compile(r"(?<![\w:/.~-])/(?:[\w.-]+/)+[\w.-]*")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.I)
_CSS_URL = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)", re.I)
_LOADING = {"script": "src", "img": "src", "iframe": "src", "video": "src", "audio": "src", "source": "src",
            "track": "src", "embed": "src", "object": "data", "input": "src", "frame": "src"}
_EVERYWHERE = {"hetu", "email", "phone", "iban", "plate", "address", "number"}
TEXT_SUFFIXES = (".txt", ".csv", ".md", ".tsv")


@dataclass(frozen=True)
class AuditFinding:
    """One problem: ``path``, the ``place`` in it, the ``kind`` and what was found."""

    path: Path
    place: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.place}: {self.kind}: {self.detail}"


def format_findings(findings: Iterable[AuditFinding]) -> str:
    """One line per finding: ``file:place: kind: detail``."""
    return "\n".join(map(str, findings))


# --------------------------------------------------------------------------- detectors
class _Checker:
    """The checks shared by every file type, bound to one file and one threshold."""

    def __init__(self, path: Path, threshold: int, roots: tuple[str, ...]):
        self.path, self.threshold = path, threshold
        # folders of this machine that the fixed prefixes may miss ("/builds/…", "/srv/…")
        self.roots = [(r, re.compile(r"(?<![\w.~:/-])" + re.escape(r) + r"(?![\w.-])")) for r in roots if len(r.strip("/\\")) > 1]
        self.found: list[AuditFinding] = []

    def add(self, place: str, kind: str, detail: str) -> None:
        self.found.append(AuditFinding(self.path, place, kind, detail))

    def small(self, text: str) -> int | None:
        """The count in ``text`` when it is a whole number 1..threshold-1 (a caution mark ``*``
        after it allowed), else None."""
        text = re.sub(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))", "", str(text).strip().rstrip("*").strip())
        if re.fullmatch(r"\d+", text) and 0 < int(text) < self.threshold:
            return int(text)
        return None

    def paths(self, place: str, text: str) -> None:
        for m in _LOCAL_PATH.finditer(text):
            self.add(place, "path", f"local path {m.group()[:80]!r}")
        rest = _LOCAL_PATH.sub(" ", text)
        for root, pattern in self.roots:
            if pattern.search(rest):
                self.add(place, "path", f"the local folder {root!r}")
                break

    def any_path(self, place: str, text: str) -> None:
        """Any absolute path in text a machine wrote (a traceback, papermill's metadata), where
        no prose can look like one: '/opt/hanke/data' is found under no fixed prefix."""
        rest = _LOCAL_PATH.sub(" ", text)
        for root, pattern in self.roots:
            rest = pattern.sub(" ", rest)            # already named by paths()
        for m in _ABSOLUTE.finditer(rest):
            self.add(place, "path", f"local path {m.group()[:80]!r}")

    def counts_in_text(self, place: str, text: str) -> None:
        for pattern in (_N_EQUALS, _N_WORDS):
            for m in pattern.finditer(text):
                if self.small(m.group(1)) is not None:
                    self.add(place, "count", f"{m.group().strip()!r} (threshold {self.threshold})")

    def personal(self, place: str, text: str, quote: bool = False) -> None:
        from .privacy import find_personal_data
        for f in find_personal_data(text):
            found = text[f.start:f.end]
            if quote or (f.kind in _EVERYWHERE and (f.kind != "email" or _personal_email(found))):
                self.add(place, "personal", f"{f.kind} {found!r}")

    def text(self, place: str, text: str, quote: bool = False) -> None:
        self.paths(place, text)
        self.counts_in_text(place, text)
        self.personal(place, text, quote)

    def table(self, place: str, rows: list[list[str]]) -> None:
        """Cells under a count-like header, and answer-category counts: the columns between the
        row header and an ``n`` column whose every cell is a whole number or a suppression mark
        (Taulukko 3 form). The header is the first row with a count-like heading (a caption row
        may come first, as in a worksheet); a cell "12 / 3" holds two counts."""
        heads = [h for h, row in enumerate(rows) if any(_count_header(c) for c in row)]
        if not heads:
            return
        top = heads[0]
        header, body = rows[top], rows[top + 1:]
        columns = [j for j, h in enumerate(header) if _count_header(h)]
        first_n = columns[0]
        columns += [j for j in range(1, first_n)
                    if any(j < len(r) and re.fullmatch(r"\d+", str(r[j]).strip()) for r in body)
                    and all(j >= len(r) or _COUNT_CELL.fullmatch(str(r[j]).strip()) for r in body)]
        for i, row in enumerate(body, start=top + 2):
            for j in columns:
                for part in (re.split(r"\s*/\s*", str(row[j])) if j < len(row) else []):
                    if self.small(part) is not None:
                        self.add(f"{place} row {i}", "count", f"{part.strip()} under column "
                                 f"{str(header[j]).strip()!r} (threshold {self.threshold})")


def _personal_email(address: str) -> bool:
    """True when the local part of an e-mail address names a person (``maija.virtanen@``).

    A report may give an organisation's contact address (``osallisuus@``, ``kirjaamo@``);
    an address made of a person's name is personal data wherever it stands.
    """
    from .privacy import is_person_name
    local = re.split(r"@|\s*[(\[{<]|\s+(?:at|ät)\s+", address, maxsplit=1)[0]
    return any(is_person_name(part) for part in re.split(r"[._+-]+", local) if len(part) > 1)


_COUNT_CELL = re.compile(r"\d+\*?|<\d+|\.\.|[–-]|")
_COUNT_KEY = re.compile(r"(?:^|_)(?:n|count|respondents|answers|linked|vastaajat|vastaajia|antal)(?:_|$)", re.I)


def _count_header(text) -> bool:
    """A count-like column heading: 'n', 'Vastaajia' …, or one naming its groups after a colon
    ('n: asiakkaat / ammattilaiset')."""
    return _norm(text) in COUNT_HEADERS or _norm(str(text or "").split(":")[0]) in COUNT_HEADERS


def _count_key(key) -> bool:
    """A JSON key that holds a count: a count-like heading, or one with ``_n``, ``respondents_`` ..."""
    return _norm(key) in COUNT_HEADERS or bool(_COUNT_KEY.search(str(key)))


def _norm(text) -> str:
    return re.sub(r"[\s_:()*.]+", " ", str(text or "")).strip().lower().replace(" ", " ")


# ------------------------------------------------------------------------------ readers
def _html(check: _Checker, html: str, where: str = "") -> None:
    for lineno, line in enumerate(html.splitlines(), start=1):
        check.paths(f"{where}line {lineno}", line)
    root = _parse_html(html)
    if root is None:
        return
    for el in root.iter(tag=_etree().Element):
        _html_element(check, el, f"{where}line {el.sourceline}")
    quotes = list(root.iter("blockquote"))
    for q in quotes:
        check.personal(f"{where}line {q.sourceline}", _text_of(q), quote=True)
    hidden = {d for el in [*root.iter("script", "style"), *quotes] for d in el.iter()}   # not read as text
    for el in root.iter():
        # an element's own text, then its tail (text of its parent that follows it, placed at
        # the element's line); comments too
        for text, owner in ((el.text, el), (el.tail, el.getparent())):
            text = (text or "").strip()
            if text and owner is not None and owner not in hidden:
                place = f"{where}line {el.sourceline}"
                check.counts_in_text(place, text)
                check.personal(place, text)
    for img in root.iter("img", "figure"):   # alt text is read out too
        alt = img.get("alt") or img.get("aria-label") or ""
        if alt:
            check.counts_in_text(f"{where}line {img.sourceline} alt", alt)


def _etree():
    from lxml import etree
    return etree


def _parse_html(html: str):
    """The document's tree (lxml: libxml2's HTML parser, with each element's source line), or
    None for a document without any element."""
    import lxml.html
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except _etree().ParserError:   # nothing but comments or white space
        return None


def _html_element(check: _Checker, el, place: str) -> None:
    """Resources a browser would fetch from elsewhere, and a table's counts, at one element."""
    attr = _LOADING.get(el.tag)
    if attr and _EXTERNAL.match(el.get(attr) or ""):
        check.add(place, "external", f"<{el.tag} {attr}={el.get(attr)!r}>")
    for src in (el.get("srcset") or "").split(","):
        if _EXTERNAL.match(src.strip()):
            check.add(place, "external", f"<{el.tag} srcset={src.strip()!r}>")
    if el.tag == "link" and _EXTERNAL.match(el.get("href") or "") and \
            set((el.get("rel") or "").lower().split()) & {"stylesheet", "icon", "preload", "prefetch",
                                                          "modulepreload", "manifest"}:
        check.add(place, "external", f"<link href={el.get('href')!r}>")
    for m in _CSS_URL.finditer(el.get("style") or ""):
        check.add(place, "external", f"CSS {m.group(1)!r}")
    if el.tag == "style" and el.text:
        for m in _CSS_URL.finditer(el.text):
            check.add(place, "external", f"CSS {m.group(1)!r}")
    if el.tag == "table":
        rows = [[_text_of(c) for c in tr.iter("th", "td")] for tr in el.iter("tr")]
        check.table(f"{place} table", rows)


def _text_of(el) -> str:
    """An element's text as a reader sees it: its pieces stripped and joined by one space."""
    return " ".join(t.strip() for t in el.itertext() if t.strip())


def _notebook(check: _Checker, text: str) -> None:
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as exc:
        check.add("-", "unreadable", f"not a notebook: {exc}")
        return
    for k, cell in enumerate(nb.get("cells", []), start=1):
        where = f"cell {k} "
        source = "".join(cell.get("source", []))
        check.paths(f"{where}source", source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                _html(check, "".join(data["text/html"]), where)
            elif "text/plain" in data:
                check.text(f"{where}output", "".join(data["text/plain"]))
            if "text" in out:
                check.text(f"{where}output", "".join(out["text"]))
            if out.get("output_type") == "error":   # a failed run's message names the file it read
                message = _ANSI.sub("", "\n".join([str(out.get("evalue", "")), *out.get("traceback", [])]))
                check.text(f"{where}error", message)
                check.any_path(f"{where}error", message)
    # papermill keeps the paths it ran with and the parameters in the metadata
    for place, _, value in _json_nodes(nb.get("metadata", {}), "metadata"):
        if isinstance(value, str):
            check.paths(place, value)
            check.any_path(place, value)


_DIGEST = re.compile(r"[0-9a-f]{32,128}")


def _json(check: _Checker, text: str) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        check.add("-", "unreadable", f"not JSON: {exc}")
        return

    for place, key, value in _json_nodes(doc):
        if key is not None and _count_key(key) and not isinstance(value, bool) and \
                isinstance(value, int) and 0 < value < check.threshold:
            check.add(place, "count", f"{value} under key {key!r} (threshold {check.threshold})")
        elif isinstance(value, str) and not _DIGEST.fullmatch(value):   # a checksum is no text
            check.paths(place or "-", value)
            check.personal(place or "-", value)


def _json_nodes(node, where: str = "", key=None):
    """``(place, key, value)`` for a JSON tree and every value in it, depth first ('a.b[0]'; the
    key None in a list and at the top)."""
    yield where, key, node
    if isinstance(node, dict):
        for k, value in node.items():
            yield from _json_nodes(value, f"{where}.{k}" if where else str(k), k)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _json_nodes(value, f"{where}[{i}]")


def _pdf(check: _Checker, path: Path) -> None:
    try:
        pages = _text_pages(path)
        if pages is None:                  # no poppler-utils: pypdf (pure Python, about ten times slower)
            from pypdf import PdfReader
            pages = [p.extract_text() or "" for p in PdfReader(str(path)).pages]
    except Exception as exc:   # pypdf raises many types for a broken file
        check.add("-", "unreadable", f"cannot read the PDF: {exc}")
        return
    for k, text in enumerate(pages, start=1):
        check.text(f"page {k}", text)
    for k, page in enumerate(_laid_out_pages(path) or [], start=1):
        for line, rows in pdf_tables(page):
            check.table(f"page {k} line {line} table", rows)


def _pdftotext(path: Path, *options: str) -> str | None:
    """What ``pdftotext`` (poppler-utils) writes for the PDF with ``options``; None without
    pdftotext. Raises ValueError for a file it cannot read."""
    import shutil
    import subprocess
    exe = shutil.which("pdftotext")
    if not exe:
        return None
    res = subprocess.run([exe, *options, "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, encoding="utf-8", errors="replace")
    if res.returncode != 0:
        raise ValueError(res.stderr.strip().splitlines()[-1] if res.stderr.strip() else f"pdftotext exit {res.returncode}")
    return res.stdout


def _text_pages(path: Path) -> list[str] | None:
    """The PDF's pages as text in reading order (None without pdftotext)."""
    text = _pdftotext(path)
    if text is None:
        return None
    pages = text.split("\f")
    return pages[:-1] if len(pages) > 1 and not pages[-1].strip() else pages


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _laid_out_pages(path: Path) -> list[str] | None:
    """The PDF's pages laid out as on paper (:func:`lay_out` of every word's box from
    ``pdftotext -bbox``); None without pdftotext."""
    import html
    text = _pdftotext(path, "-bbox")
    if text is None:
        return None
    return [lay_out([(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in _WORD.findall(page)])
            for page in re.findall(r"<page [^>]*>(.*?)</page>", text, re.S)]


def lay_out(words: list[tuple[float, float, float, float, str]]) -> str:
    """A page's text laid out in lines and columns, from its words' boxes ``(x_min, y_min,
    x_max, y_max, text)`` in points: what ``pdftotext -layout`` gives, except that two words
    further apart than half a line's height (the cells of a table row) always get two or more
    spaces between them and words closer together one, and a gap of more than half a line
    between lines leaves a blank line. One character is the page's average character width.

    Examples
    --------
    >>> print(lay_out([(10, 0, 30, 10, "Rooli"), (80, 0, 85, 10, "n"), (10, 11, 30, 21, "Johto"),
    ...                (32, 11, 60, 21, "ja"), (80, 11, 85, 21, "3"), (10, 40, 30, 50, "Loppu")]))
      Rooli         n
      Johto ja      3
    <BLANKLINE>
      Loppu
    """
    if not words:
        return ""
    char = sum(x1 - x0 for x0, _, x1, _, w in words) / max(sum(len(w) for *_, w in words), 1)
    lines: list[list] = []
    for word in sorted(words, key=lambda w: ((w[1] + w[3]) / 2, w[0])):
        middle, height = (word[1] + word[3]) / 2, word[3] - word[1]
        if lines and abs(middle - lines[-1][0]) < height / 2:
            lines[-1][1].append(word)
        else:
            lines.append([middle, [word]])
    out, bottom = [], None
    for _, row in lines:
        height = max(w[3] - w[1] for w in row)
        if bottom is not None and min(w[1] for w in row) - bottom > height / 2:
            out.append("")
        text, previous = "", None
        for x0, _, x1, _, w in sorted(row):
            start = round(x0 / char)
            if previous is not None:
                start = max(start, len(text) + 2) if x0 - previous > height / 2 else len(text) + 1
            text = text.ljust(start) + w
            previous = x1
        out.append(text.rstrip())
        bottom = max(w[3] for w in row)
    return "\n".join(out)


_FRAGMENT = re.compile(r"\S+(?: \S+)*")
# counts, marks, decimals (negative: "−0,12"), ranges of decimals ("3,6–3,8", a confidence
# interval), and a share's per cent sign ("39 %": a token of its own after the number)
_PLAIN_VALUE = re.compile(r"<?\d+[*]?|[−-]?\d+,\d+(?:–[−-]?\d+,\d+)?|\.\.|[–-]|/|%")


def _fragments(line: str) -> list[tuple[int, int, str]]:
    """Runs of text two or more spaces apart, with their start and end columns."""
    return [(m.start(), m.end(), m.group()) for m in _FRAGMENT.finditer(line)]


def _values(line: str) -> list[tuple[int, int, str]]:
    """The cells of a table row after its label: plain numbers and marks, then (once a value
    has come) text cells as well, such as "eksploratiivinen" in a column of adjusted p values.
    A line whose first cell after the label is not a plain value is no row (a heading's line)."""
    frags = _fragments(line)
    if len(frags) < 2 or not all(_PLAIN_VALUE.fullmatch(t) for t in frags[1][2].split()):
        return []
    cells: list[tuple[int, int, str]] = []
    for a, b, text in frags[1:]:
        if all(_PLAIN_VALUE.fullmatch(t) for t in text.split()):
            cells += _value_cells([(a + m.start(), a + m.end(), m.group()) for m in re.finditer(r"\S+", text)])
        else:
            cells.append((a, b, text))
    return cells


def _value_cells(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Value tokens joined into cells: "30 / 29", "53 % / 38 %" and "12 345" are one cell each."""
    merged: list[tuple[int, int, str]] = []
    for tok in tokens:
        grouped = merged and tok[0] == merged[-1][1] + 1 and re.fullmatch(r"\d{3}\*?", tok[2]) \
            and re.search(r"(?:^|/ )\d{1,3}(?: \d{3})*$", merged[-1][2])
        if merged and (tok[2] in ("/", "%") or merged[-1][2].endswith("/") or grouped):
            a, _, text = merged.pop()
            tok = (a, tok[1], f"{text} {tok[2]}")
        merged.append(tok)
    return merged


def pdf_tables(page: str) -> list[tuple[int, list[list[str]]]]:
    """Tables in a page laid out as text (:func:`lay_out`), as (line number, rows with the header first).

    A header is a block of lines (headings wrap) one of which holds a count-like heading (``n``,
    ``Vastaajia`` ...). Its fragments (text runs two or more spaces apart) that overlap
    horizontally make one column. The table's rows are the following lines whose cells after
    the label begin with plain numbers and marks (``12``, ``<5``, ``..``, ``3,4``, ``30 / 29``,
    ``53 % / 38 %``; text cells may follow, as an adjusted p's "eksploratiivinen"): with a
    value for every column they go in order (numbers are right-aligned, headings left-aligned
    and wrapped), else each to the column it overlaps, or the nearest. Lines of a wrapped label alone are
    skipped; the table ends at a blank line or a line of other text.
    """
    lines = page.splitlines()
    out, i = [], 0
    while i < len(lines):
        if not any(_count_header(t) for *_, t in _fragments(lines[i])) or _values(lines[i]):
            i += 1
            continue
        top = i
        while top > 0 and lines[top - 1].strip() and not _values(lines[top - 1]) \
                and not re.match(r"\s*(Taulukko|Tabell|Table|Kuvio|Figur|Figure)\b", lines[top - 1]):
            top -= 1
        bottom = i
        while bottom + 1 < len(lines) and lines[bottom + 1].strip() and not _values(lines[bottom + 1]) \
                and len(_fragments(lines[bottom + 1])) > 1:
            bottom += 1
        columns: list[list] = []                  # [start, end, words]
        for line in lines[top:bottom + 1]:
            for a, b, text in _fragments(line):
                hit = next((c for c in columns if a < c[1] and c[0] < b), None)
                if hit:
                    hit[0], hit[1] = min(hit[0], a), max(hit[1], b)
                    hit[2].append(text)
                else:
                    columns.append([a, b, [text]])
        columns.sort()
        header = [" ".join(c[2]) for c in columns]
        rows, i = [header], bottom + 1
        while i < len(lines) and lines[i].strip():
            values = _values(lines[i])
            if len(values) == len(columns) - 1:         # a value in every column: in order
                rows.append([_fragments(lines[i])[0][2], *(v[2] for v in values)])
            elif values:
                row = [_fragments(lines[i])[0][2]] + [""] * (len(columns) - 1)
                for a, b, text in values:
                    j = min(range(1, len(columns)), key=lambda k: (not (a < columns[k][1] and columns[k][0] < b),
                                                                   abs((a + b) / 2 - (columns[k][0] + columns[k][1]) / 2)))
                    row[j] = f"{row[j]} {text}".strip()
                rows.append(row)
            elif len(_fragments(lines[i])) > 1:
                break
            i += 1
        if len(columns) > 1:
            out.append((top + 1, rows))
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(check: _Checker, path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            root = ElementTree.fromstring(z.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        check.add("-", "unreadable", f"cannot read the DOCX: {exc}")
        return

    def text_of(el) -> str:
        return "".join(t.text or "" for t in el.iter(f"{_W}t"))
    for k, tbl in enumerate(root.iter(f"{_W}tbl"), start=1):
        rows = [[text_of(tc) for tc in tr.iter(f"{_W}tc")] for tr in tbl.iter(f"{_W}tr")]
        check.table(f"table {k}", rows)
    for k, p in enumerate(root.iter(f"{_W}p"), start=1):
        text = text_of(p)
        if text.strip():
            check.text(f"paragraph {k}", text)


def _xlsx(check: _Checker, path: Path) -> None:
    try:
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:   # openpyxl raises many types for a broken workbook
        check.add("-", "unreadable", f"cannot read the workbook: {exc}")
        return
    from openpyxl.utils import get_column_letter
    for ws in wb.worksheets:
        rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
        check.table(f"{ws.title}!", rows)
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                if value and not re.fullmatch(r"[\d.,\s%<>-]*", value):
                    check.text(f"{ws.title}!{get_column_letter(j)}{i}", value)
    wb.close()


def _local_roots(path: Path) -> tuple[str, ...]:
    """Folders of this machine a published text must not name, beyond the fixed prefixes: the home
    folder, the folder the audit runs in, and the folders above the file up to the project
    (``/srv/hanke/reports/lappi/raportti.html``: ``/srv/hanke`` among them)."""
    roots = [str(Path.home())]
    try:
        roots.append(str(Path.cwd()))
    except OSError:                 # the folder it ran in was removed
        pass
    roots += [str(p) for p in list(path.resolve().parents)[:3]]
    return tuple(dict.fromkeys(roots))


@frozen_heap()
def audit_file(path: str | Path, threshold: int = 5) -> list[AuditFinding]:
    """Findings in one published file (its type from the suffix; other files are skipped)."""
    path = Path(path)
    check = _Checker(path, threshold, _local_roots(path))
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".ipynb", ".json", *TEXT_SUFFIXES):
        text = path.read_text(encoding="utf-8", errors="replace")
        if suffix in (".html", ".htm"):
            _html(check, text)
        elif suffix == ".ipynb":
            _notebook(check, text)
        elif suffix == ".json":
            _json(check, text)
        else:
            for lineno, line in enumerate(text.splitlines(), start=1):
                check.text(f"line {lineno}", line)
    elif suffix == ".pdf":
        _pdf(check, path)
    elif suffix == ".docx":
        _docx(check, path)
    elif suffix in (".xlsx", ".xlsm"):
        _xlsx(check, path)
    return check.found


def _published(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def audit(reports_dir: str | Path, threshold: int | None = None, settings=None) -> list[AuditFinding]:
    """Every finding in every file under ``reports_dir`` (hidden files such as manifests included).

    Parameters
    ----------
    reports_dir : path-like
        The folder of published reports.
    threshold : int, optional
        Suppression threshold (default: the settings', 5).

    Raises
    ------
    OsallisuusError
        When ``reports_dir`` is not a folder.
    """
    folder = Path(reports_dir)
    if not folder.is_dir():
        raise OsallisuusError(f"{folder}: no such folder of reports")
    if threshold is None:
        from .settings import load_settings
        threshold = (settings or load_settings()).suppression_threshold
    found: list[AuditFinding] = []
    for path in _published(folder):
        found += audit_file(path, threshold)
    # one line per place and problem, by file and then by the place's first number (line, page, cell)
    def order(f: AuditFinding):
        number = re.search(r"\d+", f.place)
        return str(f.path), int(number.group()) if number else 0
    return sorted(dict.fromkeys(found), key=order)

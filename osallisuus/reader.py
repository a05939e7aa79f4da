"""Reading a table file (CSV, XLSX, XLS, ODS) as text without crashing or dropping a row.

:func:`read_raw_table` returns a :class:`Table`: the header, the data rows as text, the row
number of each as the user's spreadsheet shows it (header row 1, blank lines counted as
Excel counts them, an Excel ``sep=`` line not counted), the rows that could not be read
(each with its reason) and notes on what was skipped (blank rows, other sheets).

What it copes with: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"),
Windows-1252 and Mac Roman (told apart by the letters they produce; a clear error when the
bytes fit both equally), an Excel ``sep=;`` first line, ragged rows (short rows are padded
as Excel shows them; long rows are rejected unless the extra cells are empty), unbalanced
quotes (the row is rejected, the rows after it are still read), a workbook saved with a
``.csv`` name, encrypted workbooks, formula cells without a cached value, ``.xls`` (xlrd)
and ``.ods`` (odfpy).
"""
from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .i18n import file_error

__all__ = ["Table", "RowProblem", "read_raw_table", "detect_encoding", "detect_delimiter", "cut",
           "column_letter", "MAX_SHOWN"]

DELIMITERS = (";", ",", "\t", "|")
MAX_SHOWN = 80
_FINNISH = set("äöåÄÖÅ")
_OTHER_LETTERS = set("éÉüÜèàáâêëïîôûçñßøØæÆíóúÁÍÓÚ€–—‘’“”…•°§½«»")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def cut(value: Any, limit: int = MAX_SHOWN) -> str:
    """``value`` as text, cut to ``limit`` characters and an ellipsis (no words: the messages
    that quote it are in the user's language).

    Examples
    --------
    >>> cut("x" * 100, 5)
    'xxxxx…'
    """
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index.

    Examples
    --------
    >>> column_letter(0), column_letter(26)
    ('A', 'AA')
    """
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class RowProblem:
    """A file row that could not be read: ``key`` is a translation key, ``params`` its fields."""

    row: int
    column: str
    value: str
    key: str
    params: dict = field(default_factory=dict)


@dataclass
class Table:
    """A table read as text. ``frame`` has unique column names; ``rows`` the spreadsheet row of
    each frame row; ``rejected`` the rows left out with their reasons; ``notes`` what was skipped."""

    frame: pd.DataFrame
    rows: np.ndarray
    path: Path
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    header_row: int = 1
    rejected: list[RowProblem] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)


# ------------------------------------------------------------------ encodings
def _score(text: str) -> int:
    high = [c for c in text if ord(c) > 127]
    return sum(3 if c in _FINNISH else 1 if c in _OTHER_LETTERS else -2 for c in high)


def detect_encoding(data: bytes, path: Path | str = "") -> str:
    """The encoding of a text file's bytes.

    UTF-8 BOM -> ``utf-8-sig``; UTF-16 BOM -> ``utf-16``; bytes that decode as UTF-8 ->
    ``utf-8``; otherwise Windows-1252 or Mac Roman, whichever yields more letters used in
    Finnish and Swedish (ä, ö, å) and fewer stray symbols.

    Raises
    ------
    InputFileError
        When neither fits better (the message says how to save the file).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {}
    for enc in ("cp1252", "mac_roman"):
        try:
            scores[enc] = _score(data.decode(enc))
        except UnicodeDecodeError:
            continue
    best = max(scores, key=scores.get) if scores else None
    if best is None or len(scores) == 2 and scores["cp1252"] == scores["mac_roman"] or scores[best] <= 0:
        raise file_error(path, "file.encoding_unknown")
    return best


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: ';' (Finnish Excel), ',', tab or '|'."""
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        first = lines[0] if lines else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


# ----------------------------------------------------------------- file kind
def _kind(path: Path, head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype"):
                    return "ods"
        except zipfile.BadZipFile:
            raise file_error(path, "file.zip_damaged") from None
        raise file_error(path, "file.zip_other")
    if head.startswith(_OLE):
        with open(path, "rb") as fh:
            data = fh.read()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise file_error(path, "file.encrypted")
        return "xls"
    lower = head[:512].lstrip().lower()
    if lower.startswith((b"<html", b"<!doctype html", b"<table")) or b"urn:schemas-microsoft-com:office" in lower:
        raise file_error(path, "file.html")
    return "text"


# ----------------------------------------------------------------------- CSV
def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    enc = encoding or detect_encoding(data, path)
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        raise file_error(path, "file.decode", encoding=enc, error=cut(exc, 120)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise file_error(path, "file.binary")
    return text, enc


def _sep_line(text: str) -> tuple[str | None, str]:
    """Excel's optional first line ``sep=;``: (delimiter, text without that line)."""
    m = re.match(r"sep=(.)[ \t]*\r?\n", text[:20], re.IGNORECASE)
    if not m:
        return None, text
    return m.group(1), text[m.end():]


def _fast_records(blob: bytes | str, delim: str, categorical: bool = False) -> pd.DataFrame | None:
    """All records by pandas' C parser, or None when the file needs the careful reader.

    ``blob`` is UTF-8 bytes or decoded text, without a BOM or ``sep=`` line. The parser decodes
    every cell strictly, so bytes that are not UTF-8 give None too. ``categorical``: every
    column as codes into its distinct texts (the parser hashes the raw cells; no text object
    per cell), for large answer files."""
    b = (lambda x: x.encode()) if isinstance(blob, bytes) else (lambda x: x)
    source = io.BytesIO(blob) if isinstance(blob, bytes) else io.StringIO(blob)
    try:
        frame = pd.read_csv(source, sep=delim, header=None, dtype="category" if categorical else str,
                            na_filter=False, encoding="utf-8",
                            skip_blank_lines=False, engine="c", quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error, UnicodeDecodeError):
        return None
    if b('"') in blob and _spans_lines(frame, blob, categorical):
        return None     # a cell holds a line break: a quote may have swallowed rows; row by row
    return frame


def _spans_lines(frame: pd.DataFrame, blob: bytes | str, categorical: bool) -> bool:
    """Whether a record of ``frame`` spans more than one physical line of ``blob``, i.e. a
    (quoted) cell holds a line break. Categorical columns are asked through their distinct
    texts; otherwise records and lines are counted."""
    if categorical:
        return any(frame[c].cat.categories.astype(str).str.contains("[\r\n]", regex=True).any() for c in frame)
    nl, cr = ("\n", "\r") if isinstance(blob, str) else (b"\n", b"\r")
    lines = blob.count(nl) or blob.count(cr)
    lines += 0 if blob.endswith((nl, cr)) else 1
    return lines != len(frame)


def _careful_records(text: str, delim: str) -> list[tuple[int, list[str] | None, str]]:
    """Records one by one: (row, fields or None, the line if the row is unreadable).

    A quote opened and not closed on its row makes only that row unreadable; reading goes on
    from the next line."""
    lines = io.StringIO(text, newline="").readlines()
    out: list[tuple[int, list[str] | None, str]] = []
    i, width = 0, None
    while i < len(lines):
        reader = csv.reader(islice(lines, i, None), delimiter=delim, strict=True)
        seen = 0
        try:
            for rec in reader:
                span = reader.line_num - seen
                start = i + seen
                seen = reader.line_num
                if span == 1 and rec:
                    width = len(rec)  # the width of the rows around: a title row above does not count
                elif span > 1 and width is not None and len(rec) != width:
                    raise csv.Error("quote")
                out.append((0, rec, ""))
            i = len(lines)
        except csv.Error:
            start = i + seen
            out.append((0, None, lines[start].rstrip("\r\n")))
            i = start + 1
    return [(n + 1, rec, line) for n, (_, rec, line) in enumerate(out)]


def _read_csv(path: Path, data: bytes, encoding: str | None, delimiter: str | None, shape: tuple,
              categorical: bool = False) -> Table:
    # Without a named encoding, UTF-8 is tried first: the C parser decodes strictly, and a file
    # that is not UTF-8 falls through to detect_encoding below (no second pass over the bytes).
    enc = encoding or ("utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else
                       "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    if enc in ("utf-8", "utf-8-sig") and shape == (1, 0):
        blob = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        if b"\x00" in blob:
            raise file_error(path, "file.binary")
        head = blob[:64 * 1024].decode("utf-8", errors="ignore")
        sep, rest = _sep_line(head)
        if sep:
            blob = blob[len(head.encode()) - len(rest.encode()):]
            head = rest
        delim = delimiter or sep or detect_delimiter(head)
        fast = _fast_records(blob, delim, categorical)
        if fast is not None and len(fast) and any(v.strip() for v in fast.iloc[0]):
            return _table_from_frame(path, fast, enc, delim)
    text, enc = _decode(path, data, encoding)
    sep, text = _sep_line(text)
    delim = delimiter or sep or detect_delimiter(text[:64 * 1024])
    fast = _fast_records(text, delim, categorical and shape == (1, 0))
    if fast is not None and shape == (1, 0) and len(fast) and any(v.strip() for v in fast.iloc[0]):
        return _table_from_frame(path, fast, enc, delim)
    if fast is not None:
        records = [(n + 1, rec, "") for n, rec in enumerate(fast.to_numpy(dtype=object).tolist())]
    else:
        records = _careful_records(text, delim)
    return _table_from_records(path, records, enc, delim, "", *shape)


def _table_from_frame(path: Path, frame: pd.DataFrame, enc: str, delim: str) -> Table:
    """The fast path: a frame parsed by pandas whose first row is the header."""
    names = [str(v).strip() for v in frame.iloc[0]]
    body = frame.iloc[1:]
    body.columns = range(body.shape[1])
    width = len(names)
    while width and not names[width - 1] and not (body[width - 1].str.strip() != "").any():
        width -= 1
    if not width:
        raise file_error(path, "file.header_empty")
    body = body.iloc[:, :width]
    body.columns = _unique_names(names[:width])
    rows = np.arange(2, len(frame) + 1, dtype=np.int64)
    notes = []
    if (body.iloc[:, 0] == "").to_numpy(dtype=bool).any():  # a blank line has an empty first cell: only then look at whole rows
        empty = (body.apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy()
        if empty.any():
            blank = rows[empty].tolist()
            shown = ", ".join(map(str, blank[:10])) + (" …" if len(blank) > 10 else "")
            notes.append(("read.blank_rows", {"n": len(blank), "rows": shown}))
            body, rows = body[~empty], rows[~empty]
    return Table(body.reset_index(drop=True), rows, path, enc, delim, "", 1, [], notes)


# --------------------------------------------------------------- workbooks
def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v != v:
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if hasattr(v, "isoformat"):
        text = v.isoformat(sep=" ") if hasattr(v, "hour") else v.isoformat()
        return text[:-9] if text.endswith(" 00:00:00") else text
    return str(v)


def _sheet_records(ws) -> list[list[str]]:
    return [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (an ``<f>`` element in its XML);
    True when that cannot be told, so that the careful check runs."""
    try:
        with zipfile.ZipFile(path) as z:
            return any(_FORMULA_TAG.search(z.read(name)) for name in z.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return True


def _formula_problems(path: Path, sheet: str, records: list[list[str]]) -> list[tuple[int, int, str]]:
    """(row, column index, formula) of formula cells whose cached value is missing. The workbook
    is read a second time, for its formulas, only when an empty cell could be one."""
    import openpyxl
    empty = {(r, c) for r, rec in enumerate(records) for c, v in enumerate(rec) if v == ""}
    if not empty or not _has_formulas(path):
        return []
    with open(path, "rb") as fh:
        wb = openpyxl.load_workbook(fh, data_only=False, read_only=False)
    out = []
    for r, row in enumerate(wb[sheet].iter_rows(values_only=True)):
        for c, v in enumerate(row):
            if (r, c) in empty and isinstance(v, str) and v.startswith("="):
                out.append((r + 1, c, v))
    wb.close()
    return out


def _read_xlsx(path: Path, sheet: str | int | None, shape: tuple) -> Table:
    import openpyxl
    try:
        with open(path, "rb") as fh:  # a file object: openpyxl then accepts any file name (.csv too)
            wb = openpyxl.load_workbook(fh, data_only=True, read_only=False)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise file_error(path, "file.workbook_broken", kind="xlsx", error=cut(exc, 120)) from None
    sheets = {ws.title: _sheet_records(ws) for ws in wb.worksheets}
    wb.close()
    name, notes = _choose_sheet(path, sheets, sheet)
    records = sheets[name]
    table = _table_from_records(path, [(n + 1, rec, "") for n, rec in enumerate(records)], "xlsx", "", name, *shape)
    for row, col, formula in _formula_problems(path, name, records):
        if row > table.header_row and row in set(table.rows.tolist()):
            table.notes.append(("read.formula", {"row": row, "column": column_letter(col), "formula": cut(formula)}))
    table.notes[:0] = notes
    return table


def _read_other_workbook(path: Path, kind: str, sheet: str | int | None, shape: tuple) -> Table:
    engine = {"xls": "xlrd", "ods": "odf"}[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas 3 marks xlrd deprecated in favour of calamine
            book = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine=engine)
    except ImportError:
        raise file_error(path, "file.engine_missing", kind=kind, engine=engine) from None
    except Exception as exc:  # the engines raise many types for a broken file
        raise file_error(path, "file.workbook_broken", kind=kind, error=cut(exc, 120)) from None
    sheets = {str(k): [[_cell_text(v) for v in row] for row in f.to_numpy(dtype=object).tolist()]
              for k, f in book.items()}
    name, notes = _choose_sheet(path, sheets, sheet)
    table = _table_from_records(path, [(n + 1, rec, "") for n, rec in enumerate(sheets[name])], kind, "", name, *shape)
    table.notes[:0] = notes
    return table


def _choose_sheet(path: Path, sheets: dict[str, list[list[str]]], wanted: str | int | None
                  ) -> tuple[str, list[tuple[str, dict]]]:
    names = list(sheets)
    filled = [n for n in names if any(any(v.strip() for v in rec) for rec in sheets[n])]
    if wanted is not None:
        if isinstance(wanted, int) and not isinstance(wanted, bool) and 0 <= wanted < len(names):
            chosen = names[wanted]
        elif str(wanted) in sheets:
            chosen = str(wanted)
        else:
            raise file_error(path, "file.no_sheet", sheet=repr(cut(wanted)), sheets=", ".join(map(repr, names)))
    elif filled:
        chosen = filled[0]
    else:
        raise file_error(path, "file.sheets_empty", sheets=", ".join(names))
    # every other sheet with something in it is named, also when the mapping chose one: a
    # workbook with a sheet per phase lost a whole phase without a word (a review)
    # 'table': two rows of two cells or more (not a cover page's lines), for the batch summary
    return chosen, [("read.sheet_skipped", {"sheet": n, "used": chosen, "table": _tabular(sheets[n])})
                    for n in filled if n != chosen]


def _tabular(records: list[list[str]]) -> bool:
    """A sheet laid out as a table (two rows of two or more cells), not a cover page's lines."""
    return sum(sum(bool(v.strip()) for v in rec) >= 2 for rec in records) >= 2


# -------------------------------------------------------------- table build
def _header(path: Path, body: list, header_rows: int, skip_rows: int) -> tuple[int, list[str], list]:
    """(row of the last header line, column names, remaining records)."""
    if skip_rows:   # the first skip_rows lines with text; blank lines further down stay to be named
        filled = [i for i, r in enumerate(body) if r[1] is None or any(v.strip() for v in r[1])]
        body = body[filled[skip_rows]:] if len(filled) > skip_rows else []
    while body and (body[0][1] is None or not any(v.strip() for v in body[0][1])):
        if body[0][1] is None:
            raise file_error(path, "file.header_quote", row=body[0][0], text=repr(cut(body[0][2])))
        body = body[1:]
    if len(body) < header_rows:
        raise file_error(path, "file.no_header")
    heads = [[v.strip() for v in r[1]] for r in body[:header_rows]]
    width = max(len(h) for h in heads)
    heads = [h + [""] * (width - len(h)) for h in heads]
    if header_rows > 1:
        for h in heads[:-1]:  # a question spans its sub-columns: fill it to the right
            for c in range(1, width):
                h[c] = h[c] or h[c - 1]
        names = [" / ".join(dict.fromkeys(p for p in parts if p)) for parts in zip(*heads)]
    else:
        names = heads[0]
    return body[header_rows - 1][0], names, body[header_rows:]


def _unique_names(names: list[str]) -> list[str]:
    """Empty headers are named by their column letter; repeated ones get the letter added."""
    out = []
    counts = {n: names.count(n) for n in names}
    for i, n in enumerate(names):
        if not n:
            out.append(f"({column_letter(i)})")
        elif counts[n] > 1:
            out.append(f"{n} ({column_letter(i)})")
        else:
            out.append(n)
    return out


def _table_from_records(path: Path, records: list, enc: str, delim: str, sheet: str,
                        header_rows: int = 1, skip_rows: int = 0) -> Table:
    header_row, raw_names, body = _header(path, records, header_rows, skip_rows)
    while raw_names and not raw_names[-1].strip():
        raw_names.pop()  # trailing delimiter / empty trailing header cells
    if not raw_names:
        raise file_error(path, "file.header_empty")
    names = _unique_names(raw_names)
    width = len(names)
    keep_rows, keep, rejected, blank = [], [], [], []
    for row, rec, line in body:
        if rec is None:  # the column where the unclosed quote opens
            quote_at = max(line.find('"'), 0)
            col = names[min(line[:quote_at].count(delim), width - 1)] if delim else names[0]
            rejected.append(RowProblem(row, col, cut(line), "read.unbalanced_quote", {}))
            continue
        if not any(v.strip() for v in rec):
            blank.append(row)
            continue
        if len(rec) > width:
            extra = [v for v in rec[width:] if v.strip()]
            if extra:
                rejected.append(RowProblem(row, f"({column_letter(width)})", cut(extra[0]), "read.too_many",
                                           {"n": len(rec), "width": width}))
                continue
            rec = rec[:width]
        elif len(rec) < width:
            rec = list(rec) + [""] * (width - len(rec))
        keep_rows.append(row)
        keep.append(rec)
    frame = pd.DataFrame(keep, columns=names, dtype=object) if keep else pd.DataFrame(columns=names, dtype=object)
    table = Table(frame, np.asarray(keep_rows, dtype=np.int64), path, enc, delim, sheet, header_row, rejected)
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" …" if len(blank) > 10 else "")
        table.notes.append(("read.blank_rows", {"n": len(blank), "rows": shown}))
    return table


def read_raw_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
                   sheet: str | int | None = None, header_rows: int = 1, skip_rows: int = 0,
                   categorical: bool = False) -> Table:
    """Read a CSV, XLSX, XLS or ODS file as text, keeping every row accounted for.

    Parameters
    ----------
    path : path-like
    encoding, delimiter : str, optional
        Override the detected ones (CSV only).
    sheet : str or int, optional
        Sheet name or 0-based position; default: the first sheet with data (other sheets
        with data are named in ``notes`` as skipped).
    header_rows : int
        Rows forming the header (2 for SurveyMonkey: question, then sub-answer).
    skip_rows : int
        Non-empty rows above the header to skip (titles).
    categorical : bool
        A well-formed CSV's columns come back as categoricals (codes into the distinct texts):
        much faster and smaller for a large answer file. Other files are read as text either way.

    Raises
    ------
    InputFileError
        When the file cannot be used at all; the message names the file and what to do.

    Examples
    --------
    >>> t = read_raw_table("export.csv")                 # doctest: +SKIP
    >>> t.rows[:3], [r.row for r in t.rejected]          # doctest: +SKIP
    (array([2, 3, 5]), [4])
    """
    path = Path(path)
    if not path.is_file():
        raise file_error(path, "file.missing")
    if path.stat().st_size == 0:
        raise file_error(path, "file.empty")
    with open(path, "rb") as fh:
        head = fh.read(512)
    kind = _kind(path, head)
    shape = (max(1, int(header_rows)), max(0, int(skip_rows)))
    if kind == "xlsx":
        return _read_xlsx(path, sheet, shape)
    if kind in ("xls", "ods"):
        return _read_other_workbook(path, kind, sheet, shape)
    return _read_csv(path, path.read_bytes(), encoding, delimiter, shape, categorical)

"""Excel: one sheet per table with its caption and notes, and a contents sheet first.

Evaluators paste the report's tables into their own workbooks and compute with them, so a
cell whose display text is a single number (``"3,0"``, ``"−0,12"``, ``"45 %"``, ``"+1,5"``)
is written as that number, with a number format that shows exactly the report's text
(the same decimals, a real minus sign, the percent sign and its space). Everything else
stays text as the report shows it: suppressed cells (``"<5"``), counts of a total
(``"26 / 39"``), p-value bounds (``"<0,001"``), missing values (``"–"``). A column of ranges
(``"59,2–76,1"``, a confidence interval) becomes two columns of numbers, its lower and upper
limits (an accessibility review: a range is text to Excel and to a screen reader alike).
How Excel writes the decimal sign depends on the reader's locale (a Finnish Excel shows
``3,0``, an English one ``3.0``); the value and the number of decimals are the report's.

Text that a spreadsheet could take for a formula (beginning with ``= + - @``, a tab or a
carriage return) is stored as a string cell with Excel's quote prefix, the form Excel itself
gives a typed ``'=...``: it shows the text unchanged and is never evaluated (OWASP, "CSV
Injection").

References
----------
ECMA-376 Part 1, 18.8.30 (number formats: sections ``positive;negative;zero``, quoted
literals, ``%`` multiplies by 100) and 18.8.45 (``quotePrefix``).
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import ExportError
from ..fileio import atomic_write_bytes
from ..i18n import t
from .base import Exporter

__all__ = ["XlsxExporter", "NumberCell", "parse_number", "sheet_names", "FORMULA_PREFIXES", "MAX_SHEET_NAME"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MINUS = "\u2212"
# one number as the report writes it: sign, digits (groups of three may be separated by a
# space, a no-break space or a narrow no-break space), decimals, an optional percent sign
_NUMBER = re.compile(r"^(?P<sign>[+\-\u2212]?)(?P<int>0|[1-9]\d{0,2}(?:(?P<sep>[ \u00a0\u202f])\d{3})*|[1-9]\d*)"
                     r"(?:(?P<dec>[.,])(?P<frac>\d+))?(?:(?P<space>[ \u00a0\u202f]?)%)?$")
_WIDTH_MIN, _WIDTH_MAX, _WRAP_AT = 8, 60, 60
_PORTRAIT_WIDTH = 100   # characters of column width that print on a portrait A4 page


_RANGE = re.compile(r"^(?P<low>[+\-\u2212]?[\d \u00a0\u202f]+(?:[.,]\d+)?)\s?–\s?"
                    r"(?P<high>[+\-\u2212]?[\d \u00a0\u202f]+(?:[.,]\d+)?)$")


def split_ranges(table, lang: str):
    """``table`` with each column of ranges ('59,2–76,1') as two columns, its lower and upper
    limits ('…: alaraja', '…: yläraja'); a cell without a range ('<5', '–') stands in both.

    Examples
    --------
    >>> from osallisuus.report.model import Table
    >>> tb = split_ranges(Table(1, "", "", "Alue", ["n", "95 %:n luottamusväli"],
    ...                         [["Lappi", "54", "65,8–77,0"], ["Kainuu", "<5", "–"]], "t"), "fi")
    >>> tb.columns, tb.rows[0], tb.rows[1]
    (['n', '95 %:n luottamusväli: alaraja', '95 %:n luottamusväli: yläraja'], ['Lappi', '54', '65,8', '77,0'], ['Kainuu', '<5', '–', '–'])
    """
    import dataclasses
    def cells(j: int) -> list[str]:
        return [str(r[j + 1]).strip() for r in table.rows if j + 1 < len(r)]
    ranges = [j for j in range(len(table.columns))
              if any(_RANGE.match(c) for c in cells(j))
              and all(_RANGE.match(c) or parse_number(c, lang) is None for c in cells(j))]
    if not ranges:
        return table
    columns, numeric, rows = [], [], [list(r[:1]) for r in table.rows]
    flags = list(table.numeric) or [True] * len(table.columns)
    for j, head in enumerate(table.columns):
        parts = [f"{head}: {t('export.low', lang)}", f"{head}: {t('export.high', lang)}"] if j in ranges else [head]
        columns += parts
        numeric += [True] * 2 if j in ranges else [flags[j] if j < len(flags) else True]
        for out, r in zip(rows, table.rows):
            cell = str(r[j + 1]) if j + 1 < len(r) else ""
            m = _RANGE.match(cell.strip()) if j in ranges else None
            out += [m["low"].strip(), m["high"].strip()] if m else [cell] * len(parts)
    return dataclasses.replace(table, columns=columns, rows=rows, numeric=numeric, widths=[])


@dataclass(frozen=True)
class NumberCell:
    """A display text read as a number: its value and an Excel format that shows the same text."""

    value: float | int
    number_format: str


def _format_code(decimals: int, percent: str | None, plus: bool, grouped: str | None) -> str:
    """Excel format code for a number shown with ``decimals`` decimals, a real minus sign,
    a ``+`` on positive values if ``plus``, and ``percent`` ('' or the space before '%')."""
    body = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    if percent is not None:
        body += (f'"{percent}"' if percent else "") + "%"
    positive = f'"+"{body}' if plus else body
    return f'{positive};"{MINUS}"{body};{body}'


def parse_number(text: str, lang: str = "fi") -> NumberCell | None:
    """The number a display text shows, or ``None`` if it is not exactly one number.

    The decimal sign is the language's (comma in fi and sv, point in en); ``−`` (U+2212)
    and ``-`` are minus signs; ``"45 %"`` is 0.45.

    Examples
    --------
    >>> parse_number("−0,12")
    NumberCell(value=-0.12, number_format='0.00;"−"0.00;0.00')
    >>> parse_number("45\u00a0%").value
    0.45
    >>> parse_number("59,2–76,1") is None and parse_number("<5") is None and parse_number("26 / 39") is None
    True
    >>> parse_number("3.5", "fi") is None    # a point is not the Finnish decimal sign
    True
    """
    m = _NUMBER.match(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    decimal_sign = "." if lang == "en" else ","
    if m["dec"] and m["dec"] != decimal_sign:
        return None
    grouped = m["sep"]
    if grouped and lang == "en":
        return None     # English groups with commas, which the report does not write
    digits = m["int"].replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    frac = m["frac"] or ""
    try:
        value = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation:   # pragma: no cover - the pattern admits digits only
        return None
    if m["sign"] in ("-", MINUS):
        value = -value
    percent = None
    if text.rstrip().endswith("%"):
        percent = m["space"] or ""
        value = value / 100
    if value == 0 and m["sign"] in ("-", MINUS):
        return None       # "−0,0": Excel shows zero without its sign; keep the report's text
    number = float(value) if (frac or percent is not None) else int(value)
    return NumberCell(number, _format_code(len(frac), percent, m["sign"] == "+", grouped))


def _sheet_name(text: str, taken: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", text).strip().strip("'") or "Sheet"
    base = re.sub(r"\s+", " ", base)[:MAX_SHEET_NAME].rstrip()
    name, n = base, 2
    while name.casefold() in taken or name.casefold() == "history":   # 'History' is reserved by Excel
        suffix = f" ({n})"
        name, n = base[:MAX_SHEET_NAME - len(suffix)].rstrip() + suffix, n + 1
    taken.add(name.casefold())
    return name


def sheet_names(titles: list[str]) -> list[str]:
    """Unique Excel sheet names (at most 31 characters, none of ``[]:*?/\\``) for ``titles``.

    Examples
    --------
    >>> sheet_names(["Taulukko 1", "Taulukko 1", "a/b: [c]"])
    ['Taulukko 1', 'Taulukko 1 (2)', 'a b c']
    """
    taken: set[str] = set()
    return [_sheet_name(title, taken) for title in titles]


def _clean(text) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return ILLEGAL_CHARACTERS_RE.sub("", "" if text is None else str(text))


def _put_text(ws, row: int, col: int, text):
    """A text cell; text a spreadsheet could read as a formula gets Excel's quote prefix."""
    text = _clean(text)
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"     # openpyxl would store '=...' as a formula
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    return cell


def _put_cell(ws, row: int, col: int, text, numeric: bool, lang: str):
    number = parse_number(text, lang) if numeric else None
    if number is None:
        cell = _put_text(ws, row, col, text)
    else:
        cell = ws.cell(row=row, column=col, value=number.value)
        cell.number_format = number.number_format
    return cell


def _print_setup(ws, landscape: bool) -> None:
    """Printed sheets: one page wide, header row repeated on every page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "2:2"


class XlsxExporter(Exporter):
    """Write a report's tables as an Excel workbook (openpyxl).

    The first sheet lists the tables (a link to each sheet and its caption); each table's
    sheet has the caption in A1 (bold), the header row, the rows (totals bold) and the notes
    below, with the panes frozen under the header and beside the row labels.

    Examples
    --------
    >>> from osallisuus.export import export
    >>> export(document, "xlsx", "raportti.xlsx")         # doctest: +SKIP
    PosixPath('raportti.xlsx')
    """

    name = "xlsx"
    extension = ".xlsx"

    def workbook(self, document):
        """The :class:`openpyxl.Workbook` of ``document``'s tables."""
        from openpyxl import Workbook
        wb = Workbook()
        contents = wb.active
        tables = document.tables()
        names = sheet_names([t("export.contents", document.lang)] + [self._title(tb, i) for i, tb in
                                                                       enumerate(tables, 1)])
        contents.title = names[0]
        for name, table in zip(names[1:], tables):
            self._table_sheet(wb.create_sheet(name), table, document.lang)
        self._contents_sheet(contents, document, list(zip(names[1:], tables)))
        props = wb.properties
        props.title = _clean(document.title)
        props.language = document.lang
        props.creator = "osallisuus"
        props.subject = _clean(document.title)
        return wb

    @staticmethod
    def _title(table, index: int) -> str:
        return f"{table.label} {table.number}".strip() if table.number else f"{table.label or 'Table'} {index}"

    def _contents_sheet(self, ws, document, sheets) -> None:
        from openpyxl.styles import Font
        from openpyxl.worksheet.hyperlink import Hyperlink
        lang = document.lang
        _put_text(ws, 1, 1, document.title).font = Font(bold=True, size=13)
        _put_text(ws, 3, 1, t("export.sheet", lang)).font = Font(bold=True)
        _put_text(ws, 3, 2, t("export.caption", lang)).font = Font(bold=True)
        for row, (name, table) in enumerate(sheets, 4):
            link = _put_text(ws, row, 1, name)
            quoted = name.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1", display=name)
            link.font = Font(color="004D7A", underline="single")
            _put_text(ws, row, 2, table.caption)
        if not sheets:
            _put_text(ws, 4, 1, t("export.no_tables", lang))
        ws.column_dimensions["A"].width = max([len(n) for n, _ in sheets] + [12]) + 2
        ws.column_dimensions["B"].width = min(max([len(tb.caption) for _, tb in sheets] + [20]) + 2, 100)

    def _table_sheet(self, ws, table, lang: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        table = split_ranges(table, lang)
        from openpyxl.utils import get_column_letter
        _put_text(ws, 1, 1, table.title).font = Font(bold=True)
        header = [table.row_header] + list(table.columns)
        fill = PatternFill("solid", fgColor="E8EEF3")
        for col, text in enumerate(header, 1):
            cell = _put_text(ws, 2, col, text)
            cell.font, cell.fill = Font(bold=True), fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        numeric = list(table.numeric) or [True] * len(table.columns)
        thick = Border(top=Side(style="medium"))
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                is_num = c > 0 and c - 1 < len(numeric) and numeric[c - 1]
                # every number a number, also in a column with words (a Holm column's 'exploratory')
                cell = _put_cell(ws, 3 + r, c + 1, text, c >= table.row_headers, lang)
                if r in table.total_rows:
                    cell.font, cell.border = Font(bold=True), thick
                cell.alignment = Alignment(horizontal="right" if is_num else None, vertical="top",
                                           wrap_text=not is_num and len(str(text)) > _WRAP_AT)
        below = 3 + len(table.rows) + 1
        for i, note in enumerate(table.notes):
            _put_text(ws, below + i, 1, note).font = Font(italic=True)
        ws.freeze_panes = "B3"
        widths = []
        for c in range(len(header)):
            texts = [header[c]] + [row[c] for row in table.rows if c < len(row)]
            widths.append(min(max(max(len(str(x)) for x in texts) + 2, _WIDTH_MIN), _WIDTH_MAX))
            ws.column_dimensions[get_column_letter(c + 1)].width = widths[-1]
        for r, row in enumerate(table.rows):     # wrapped texts: a row tall enough for their lines
            lines = max([-(-len(str(x)) // max(w - 2, 1)) for x, w in zip(row, widths)] + [1])
            if lines > 1:
                ws.row_dimensions[3 + r].height = 15 * lines
        _print_setup(ws, landscape=table.wide or sum(widths) > _PORTRAIT_WIDTH)

    def export(self, document, path: Path) -> Path:
        """Write ``document``'s tables to ``path`` (atomically) and return ``path``.

        Raises
        ------
        ExportError
            If the workbook cannot be made; the message names the file.
        """
        path = Path(path)
        buf = io.BytesIO()
        try:
            self.workbook(document).save(buf)
        except (ValueError, TypeError, KeyError) as exc:
            raise ExportError(f"cannot write Excel file {path.name}: {type(exc).__name__}: {exc}") from None
        return atomic_write_bytes(path, buf.getvalue())

"""How wide a table and its columns print, from the characters in its cells. The PDF and Word
exporters share :func:`min_table_chars` (which tables go on landscape pages) and
:func:`column_widths` (how the width is shared out); the PDF's column widths come from
:func:`column_percents`, Word measures the cells of its own XML (``docx._fit_table``)."""
from __future__ import annotations

import math
import re

__all__ = ["min_table_chars", "column_chars", "column_widths", "column_percents", "PADDING_CHARS"]

PADDING_CHARS = 1.6   # the left and right padding of a cell, in characters
BOLD = 1.35           # header cells are bold: 'Osuus' in 9 pt bold Arial takes 6.7 characters' room
WIDE_LETTERS = 1.1    # 'Mann–Whitney' (M, W) is wider than 12 average characters
_BREAK = re.compile(r"[ \t\r\n]+")   # where a line may break: not at a no-break space ('12\u00a0%')


def _words(text: str) -> list[str]:
    return [w for w in _BREAK.split(text) if w]


def _weighted(n: int, factor: float) -> int:
    """``n`` characters ``factor`` times as wide, rounded up (``ceil(1.1 * 50)`` is 55, not 56)."""
    return math.ceil(round(factor * n, 6))


def column_chars(table, bold: float = BOLD, slack: float = WIDE_LETTERS) -> tuple[list[int], list[int]]:
    """Per column (the row-header column first) the characters its longest cell takes on one
    line (``desired``) and its longest unbreakable text (``minimum``: a whole numeric cell, else
    the longest word; header texts may wrap, so only their longest word counts). An unbreakable
    text counts ``slack`` times its characters, and a header word, in bold type, ``bold`` times.

    Examples
    --------
    >>> from osallisuus.report.model import Table
    >>> column_chars(Table(1, "", "", "Rooli", ["n / N"], [["Asiakkaat ja omaiset", "26 / 39"]], "t", numeric=[True]))
    ([20, 7], [10, 8])
    >>> column_chars(Table(1, "", "", "Rooli", ["Osuus"], [["Asiakkaat", "5 %"]], "t", numeric=[True]))
    ([9, 7], [10, 7])
    """
    columns = [[table.row_header] + [r[0] for r in table.rows if r]]
    for i, name in enumerate(table.columns, 1):
        columns.append([name] + [r[i] for r in table.rows if len(r) > i])
    numeric = [False] + [bool(table.numeric[i]) if i < len(table.numeric) else False
                         for i in range(len(table.columns))]
    desired, minimum = [], []
    for texts, is_num in zip(columns, numeric):
        header = [_weighted(len(word), bold) for word in _words(texts[0])]
        units = [_weighted(len(t if is_num else max(_words(t) or [""], key=len)), slack) for t in texts[1:]]
        units += header
        desired.append(max([len(t) for t in texts[1:]] + [_weighted(len(texts[0]), bold)]))
        minimum.append(max(units, default=1))
    return desired, minimum


def min_table_chars(table) -> float:
    """The narrowest a table can print, in characters: per column its longest unbreakable
    text (a whole numeric cell, else the longest word), plus cell padding. Header words count
    as plain characters here: this decides which tables print on landscape pages, as it did
    when the printer measured every table itself.

    Examples
    --------
    >>> from osallisuus.report.model import Table
    >>> min_table_chars(Table(1, "", "", "Rooli", ["n / N"], [["Asiakkaat", "26 / 39"]], "t", numeric=[True]))
    19.2
    """
    return round(sum(m + PADDING_CHARS for m in column_chars(table, bold=1, slack=1)[1]), 1)


def column_widths(desired: list[int], minimum: list[int], width: int) -> list[int]:
    """Column widths (in characters) filling ``width``: as CSS's automatic table layout does,
    each column gets its ``minimum`` (longest unbreakable text) and the rest of the width is
    shared in proportion to what each column would take on one line (``desired``).

    Examples
    --------
    >>> column_widths([10, 10], [4, 4], 40)      # room for everything: shares of the whole line
    [20, 20]
    >>> column_widths([10, 100], [8, 12], 40)    # too narrow: minimum first, the rest to long texts
    [8, 32]
    >>> column_widths([10, 100], [20, 20], 30)   # narrower than the minimum: shrink in proportion
    [15, 15]
    """
    desired = [max(d, m, 1) for d, m in zip(desired, minimum)]
    if sum(minimum) > width:      # cannot fit unbroken: shrink all, words break rather than overflow
        return [max(1, m * width // sum(minimum)) for m in minimum]
    if sum(desired) <= width:
        widths = [d * width // sum(desired) for d in desired]
    else:
        spare = max(width - sum(minimum), 0)
        extra = [d - m for d, m in zip(desired, minimum)]
        widths = [m + (e * spare // sum(extra) if sum(extra) else 0) for m, e in zip(minimum, extra)]
    rest = width - sum(widths)
    if rest > 0:    # what integer division left over goes to the column that wants most
        widths[desired.index(max(desired))] += rest
    return widths


def column_percents(table, width: int, bold: float = BOLD) -> list[float]:
    """Each column's share (in per cent, one decimal) of a table printed ``width`` characters
    wide: :func:`column_widths` of :func:`column_chars`, each with its cell padding; an empty
    list when the columns' unbreakable texts may not fit. ``bold`` weighs the header's words:
    how much wider than plain text they print.

    Examples
    --------
    Desired 20 and 8 characters (at least the minimum, ``26 / 39`` at 1.1 times 7) fit in the
    40 - 3 = 37 left after padding, so they get 37 in proportion, 26 and 10, and the one left
    over goes to the wider: 27 + 1.6 and 10 + 1.6 of 40.2, i.e. 71.14 and 28.86 %, in tenths
    rounded down 71.1 and 28.8, and the tenth left over to the wider column.

    >>> from osallisuus.report.model import Table
    >>> column_percents(Table(1, "", "", "Rooli", ["n / N"], [["Asiakkaat ja omaiset", "26 / 39"]], "t",
    ...                       numeric=[True]), 40)
    [71.2, 28.8]
    >>> column_percents(Table(1, "", "", "Rooli", ["n / N"], [["Asiakkaat ja omaiset", "26 / 39"]], "t",
    ...                       numeric=[True]), 18)
    []
    """
    desired, minimum = column_chars(table, bold=bold)
    text = width - round(len(desired) * PADDING_CHARS)
    if sum(minimum) > text:
        return []
    chars = [w + PADDING_CHARS for w in column_widths(desired, minimum, text)]
    # tenths rounded down, what is left to the widest: never more than 100 % (a fixed table
    # whose columns add up to more is drawn wider than the page's text column)
    shares = [math.floor(1000 * c / sum(chars)) / 10 for c in chars]
    widest = chars.index(max(chars))
    shares[widest] = round(shares[widest] + 100 - sum(shares), 1)
    return shares

"""How wide a table must be at least: shared by the PDF and Word exporters to decide which
tables go on landscape pages."""
from __future__ import annotations

__all__ = ["min_table_chars", "PADDING_CHARS"]

PADDING_CHARS = 1.6   # the left and right padding of a cell, in characters


def min_table_chars(table) -> float:
    """The narrowest a table can print, in characters: per column its longest unbreakable
    text (a whole numeric cell, else the longest word), plus cell padding.

    Examples
    --------
    >>> from osallisuus.report.model import Table
    >>> min_table_chars(Table(1, "", "", "Rooli", ["n / N"], [["Asiakkaat", "26 / 39"]], "t", numeric=[True]))
    19.2
    """
    columns = [[table.row_header] + [r[0] for r in table.rows if r]]
    for i, name in enumerate(table.columns, 1):
        columns.append([name] + [r[i] for r in table.rows if len(r) > i])
    numeric = [False] + [bool(table.numeric[i]) if i < len(table.numeric) else False
                         for i in range(len(table.columns))]
    total = 0.0
    for texts, is_num in zip(columns, numeric):
        units = [t if is_num else max(t.split() or [""], key=len) for t in texts[1:]] + texts[0].split()
        total += max((len(u) for u in units), default=1) + PADDING_CHARS
    return round(total, 1)

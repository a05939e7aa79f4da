"""A library result table as a notebook's reader reads it (``osallisuus.show_table(table, lang=...)``).

The verbs return tables for further computing: codes (``baseline``, ``client``), unrounded
floats (62.410714) and flag columns (``suppressed``, ``caution``). Read as they are, they are
not what a report prints. :func:`for_reading` makes the same table the way the reports do:
headers and phase, role, region, instrument and question names in the language; counts whole;
means and other statistics rounded half up (:func:`osallisuus.numbers.format_number`) to the
decimals a report uses; an interval as one "low–high" column; a suppressed group's figures
as the suppression symbol (or ``..`` where a figure is withheld beside a count that is not
itself small); flags read and left out, with the notes they call for under the table.

Which column reads how is data: ``osallisuus/data/reading.yaml``.

Examples
--------
>>> import pandas as pd
>>> summary = pd.DataFrame({"phase": ["baseline", "final"], "n": [3, 40], "mean": [float("nan"), 62.45],
...     "ci_low": [float("nan"), 58.04], "ci_high": [float("nan"), 66.85], "suppressed": [True, False],
...     "caution": [False, False]})
>>> for_reading(summary, "fi", threshold=5).values.tolist()
[['Alkuarviointi', '<5', '<5', '–'], ['Loppuarviointi', '40', '62,5', '58,0–66,9']]
>>> for_reading(summary, "en", threshold=5).columns.tolist()
['Phase', 'n', 'Mean', '95% confidence interval']
"""
from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import pandas as pd

from . import i18n
from .disclosure import SECONDARY
from .fileio import safe_load
from .numbers import format_count
from .settings import package_data

__all__ = ["for_reading", "reading_notes", "display_name", "columns_spec"]


@functools.lru_cache(maxsize=1)
def columns_spec() -> dict[str, dict]:
    """Column name -> how it reads (``osallisuus/data/reading.yaml``)."""
    return safe_load(package_data("reading.yaml").read_text(encoding="utf-8"))["columns"]


def display_name(column: str, value, lang: str) -> str:
    """A phase, role or region code as a reader reads it in ``lang``; other values as they are."""
    from .regions import region_name_in
    name = {"phase": i18n.phase_label, "from_phase": i18n.phase_label, "to_phase": i18n.phase_label,
            "role": i18n.role_label, "region": region_name_in}.get(column)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if name is None:
        return str(value)
    try:
        return name(str(value), lang)
    except (KeyError, LookupError):      # a code the vocabulary does not know: as it is
        return str(value)


def for_reading(table: pd.DataFrame, lang: str = "fi", threshold: int = 5, instrument=None,
                instrument_of: Callable | None = None) -> pd.DataFrame:
    """``table`` with its known columns read as the reports print them (module docstring).

    Parameters
    ----------
    table : DataFrame
        A result of the library (e.g. :func:`osallisuus.phase_summary`, :func:`osallisuus.reliability`,
        :func:`osallisuus.item_statistics`); a named index (``item``) becomes a column first.
    lang : {'fi', 'sv', 'en'}
    threshold : int
        The suppression threshold: a suppressed row's counts under it show ``<threshold``.
    instrument : Instrument, optional
        Names the ``item`` column's questions (else the row's ``instrument`` column does).
    instrument_of : callable, optional
        Instrument id -> :class:`~osallisuus.instruments.Instrument` (the project's own too);
        without it ids stay as they are.
    """
    i18n.check_lang(lang)
    table = table.reset_index() if table.index.name in columns_spec() else table.reset_index(drop=True)
    spec = columns_spec()
    hidden = _hidden_rows(table, threshold)
    out = {}
    for column in table.columns:
        rule = spec.get(str(column))
        if rule is None:
            out[_header(str(column), lang)] = [_text(v) for v in table[column].tolist()]
        elif rule["form"] not in ("flag", "drop"):
            out[i18n.t(rule["header"], lang)] = _read(table, column, rule, lang, hidden, threshold,
                                                      instrument, instrument_of)
    return pd.DataFrame(out)


def reading_notes(table: pd.DataFrame, lang: str = "fi", threshold: int = 5) -> list[str]:
    """The notes a table's flags call for (``caution``: the '*' on n), once each, and the
    suppression note when a figure is hidden."""
    notes = []
    for column, rule in columns_spec().items():
        if rule.get("note") and column in table and table[column].fillna(False).astype(bool).any():
            notes.append(i18n.t(rule["note"], lang))
    if _hidden_rows(table, threshold)["small"].any():
        notes.append(i18n.t("sup.note", lang, k=threshold))
    if "pinned" in table and table["pinned"].fillna(False).astype(bool).any():
        notes.append(i18n.t("nb.pinned_note", lang, mark=SECONDARY, k=threshold))
    return notes


def _hidden_rows(table: pd.DataFrame, threshold: int) -> dict[str, np.ndarray]:
    """``small``: suppressed rows (a group under the threshold: every figure the symbol);
    ``pinned``: rows whose statistics are withheld beside a count that is shown."""
    flag = lambda c: table[c].fillna(False).astype(bool).to_numpy() if c in table else np.zeros(len(table), bool)  # noqa: E731
    pinned = flag("pinned")
    return {"small": flag("suppressed") & ~pinned, "pinned": pinned}


def _read(table: pd.DataFrame, column, rule: dict, lang: str, hidden: dict, threshold: int,
          instrument, instrument_of) -> list[str]:
    form, values = rule["form"], table[column].tolist()
    if form == "text" or (form == "count" and any(isinstance(v, str) for v in values)):
        return [_text(v) for v in values]        # already texts to publish ('<5', '1 234')
    if form == "phases":
        return [" + ".join(i18n.phase_label(p, lang) for p in str(v).split(" + ")) for v in values]
    if form == "name":
        return [display_name(str(column), v, lang) for v in values]
    if form == "instrument":
        return [_instrument_name(v, lang, instrument_of) for v in values]
    if form == "item":
        owners = table["instrument"].tolist() if "instrument" in table else [None] * len(table)
        return [_item_text(v, o, lang, instrument, instrument_of) for v, o in zip(values, owners)]
    symbol = f"<{threshold}"
    if form == "count":
        return [_count(v, symbol, small, _caution(table, i, rule, str(column)))
                for i, (v, small) in enumerate(zip(values, hidden["small"]))]
    decimals = rule.get("decimals") or _decimals_of(table, rule)
    cells = ([_interval(lo, hi, lang, decimals) for lo, hi in zip(values, table[rule["high"]].tolist())]
             if form == "interval" else [i18n.fmt_number(_float(v), lang, decimals) for v in values])
    if form == "interval":      # a hidden group has no interval to speak of
        return ["–" if small or pinned else c for c, small, pinned in zip(cells, hidden["small"], hidden["pinned"])]
    return [symbol if small else SECONDARY if pinned else c for c, small, pinned in zip(cells, hidden["small"], hidden["pinned"])]


def _header(column: str, lang: str) -> str:
    """A column named by a role or phase code (a table with a column per group) reads as its name."""
    for code_list, name in ((i18n.roles(), i18n.role_label), (i18n.phases(), i18n.phase_label)):
        if column in code_list:
            return name(column, lang)
    return column


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _count(value, symbol: str, small: bool, mark: str) -> str:
    if value is None or pd.isna(value):
        return symbol if small else "–"
    if small and 0 < int(value):
        return symbol
    return format_count(int(value)) + mark


def _caution(table: pd.DataFrame, i: int, rule: dict, column: str) -> str:
    """The '*' a count gets in a row flagged ``caution`` (the flag's ``marks`` column only)."""
    flag = columns_spec()["caution"]
    return flag["mark"] if column == flag["marks"] and "caution" in table and bool(table["caution"].iloc[i]) else ""


def _decimals_of(table: pd.DataFrame, rule: dict) -> int:
    spec = columns_spec()
    return next((spec[c]["decimals"] for c in rule.get("of", []) if c in table), 1)


def _interval(low, high, lang: str, decimals: int) -> str:
    low, high = _float(low), _float(high)
    if np.isnan(low) or np.isnan(high):
        return "–"
    return f"{i18n.fmt_number(low, lang, decimals)}–{i18n.fmt_number(high, lang, decimals)}"


def _float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _instrument_name(value, lang: str, instrument_of) -> str:
    if instrument_of is None or value is None:
        return "" if value is None else str(value)
    try:
        return instrument_of(str(value)).name[lang]
    except Exception:  # noqa: BLE001 - an id no instrument file has: shown as it is
        return str(value)


def _item_text(item, owner, lang: str, instrument, instrument_of) -> str:
    inst = instrument
    if inst is None and owner is not None and instrument_of is not None:
        try:
            inst = instrument_of(str(owner))
        except Exception:  # noqa: BLE001 - as it is
            inst = None
    if inst is None:
        return str(item)
    try:
        return inst.item_text(str(item), lang)
    except (KeyError, LookupError):
        return str(item)

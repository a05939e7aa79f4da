"""Multiplicity as a declared family: the primary outcomes are Holm-adjusted together.

A report runs many tests (items, scores, change, several instruments). The evaluation plan
declares which of them are **primary**; these form one family and are adjusted together
with Holm's step-down method (``statsmodels.stats.multitest.multipletests(method="holm")``,
called once per family), across instruments and across kinds of test. Every other test is
**exploratory**: its p is shown unadjusted, labelled exploratory, and its ``p_holm`` is NaN,
so no table or sentence can present it as family-adjusted.

Without a plan, :func:`default_family` declares the documented default: one test per
instrument's score is primary — the score row (``item == "__score__"``) of a group
comparison, and of a change table only the paired test of linked respondents
(``design == "paired"``); item rows, the difference between unlinked samples and the
combined partially-paired estimate are exploratory.

Holm (1979) controls the family-wise error rate at alpha for any dependence between the
tests: sort the m p-values, multiply the i-th smallest by (m - i + 1), take the running
maximum and cap at 1.

References
----------
Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian
Journal of Statistics 6(2), 65-70.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from .errors import FamilyError
from .heap import frozen_heap
from .i18n import t, t_count

__all__ = ["PRIMARY", "EXPLORATORY", "FAMILIES", "SCORE", "adjust_family", "default_family", "family_note",
           "adjust_report", "holm"]


def holm(p) -> np.ndarray:
    """Holm-adjusted p-values: ``statsmodels.stats.multitest.multipletests(p, method="holm")[1]``.

    statsmodels ends its Holm branch with ``gc.collect()``, a full collection that walks every
    object of the process (pandas, SciPy, matplotlib ...: about 40 ms each call). The call runs
    in :func:`~osallisuus.heap.frozen_heap`, so that collection walks only what the call made.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()   # sorted: 3*0.01, 2*0.03, max(1*0.04, 0.06)
    [0.03, 0.06, 0.06]
    """
    with frozen_heap():
        return multipletests(np.asarray(p, dtype=float), method="holm")[1]


PRIMARY = "primary"
EXPLORATORY = "exploratory"
FAMILIES = (PRIMARY, EXPLORATORY)
SCORE = "__score__"


def default_family(tests: pd.DataFrame, is_primary: Callable[[pd.Series], bool] | None = None) -> pd.Series:
    """The family of each test when no evaluation plan names the primary outcomes.

    Parameters
    ----------
    tests : DataFrame
        Rows of tests with an ``item`` column.
    is_primary : callable, optional
        Row -> bool; default: the instrument's score (``item == "__score__"``) is primary,
        and in a table with a ``design`` column (:func:`osallisuus.change.change_between`)
        only its paired row (``design == "paired"``).

    Returns
    -------
    Series of str
        ``"primary"`` or ``"exploratory"``, aligned with ``tests``.
    """
    if is_primary is None:
        if "item" not in tests.columns:
            raise FamilyError(f"default_family: the tests have no 'item' column; columns are {list(tests.columns)}")
        flags = tests["item"].astype(str).eq(SCORE)
        if "design" in tests.columns:   # change rows: only the paired test (rows without a design stay)
            flags &= tests["design"].isna() | tests["design"].astype(str).eq("paired")
    else:
        flags = tests.apply(lambda row: bool(is_primary(row)), axis=1) if len(tests) else pd.Series([], dtype=bool)
    return pd.Series(np.where(flags, PRIMARY, EXPLORATORY), index=tests.index, dtype=object, name="family")


def adjust_family(tests: pd.DataFrame, family: str = "family", p: str = "p") -> pd.DataFrame:
    """Holm-adjust the primary family together; leave exploratory tests unadjusted but labelled.

    Parameters
    ----------
    tests : DataFrame
        One row per test, from any number of instruments and test kinds, with a p-value
        column and a family column holding ``"primary"`` or ``"exploratory"``.
    family, p : str
        Names of the family and p-value columns.

    Returns
    -------
    DataFrame
        A copy of ``tests`` with columns ``p`` (unadjusted, as given), ``p_holm`` (Holm over
        all primary rows with a p-value; NaN for exploratory rows and for untested rows) and
        ``family``. ``attrs["family_size"]`` is the number of primary tests adjusted.
        An existing ``p_holm`` column (e.g. the within-instrument correction of
        :func:`osallisuus.compare.compare_groups`) is replaced.

    Raises
    ------
    FamilyError
        A missing column, or a family label other than primary/exploratory (named with
        its row).

    Examples
    --------
    Hand calculation: primary p = 0.01, 0.04, 0.03 sort to 0.01, 0.03, 0.04; times 3, 2, 1
    gives 0.03, 0.06, 0.04, running maximum 0.03, 0.06, 0.06.

    >>> t = pd.DataFrame({"p": [0.01, 0.04, 0.03, 0.002], "family": ["primary"] * 3 + ["exploratory"]})
    >>> adjust_family(t)["p_holm"].round(3).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    for col in (family, p):
        if col not in tests.columns:
            raise FamilyError(f"adjust_family: column {col!r} is missing; columns are {list(tests.columns)}")
    labels = tests[family].astype(str)
    bad = ~labels.isin(FAMILIES)
    if bad.any():
        where = bad.to_numpy().nonzero()[0][0]
        raise FamilyError(f"adjust_family: row {where + 1} has family {labels.iloc[where]!r}; "
                          f"expected {PRIMARY!r} or {EXPLORATORY!r}")
    out = tests.copy()
    out["p"] = pd.to_numeric(tests[p], errors="coerce").astype(float)
    out["family"] = labels.to_numpy()
    out["p_holm"] = np.nan
    members = (labels == PRIMARY).to_numpy() & out["p"].notna().to_numpy()
    if members.any():
        out.loc[members, "p_holm"] = holm(out.loc[members, "p"].to_numpy())
    out.attrs["family_size"] = int(members.sum())
    return out


def adjust_report(parts: dict, is_primary: Callable[[pd.Series], bool] | None = None) -> pd.DataFrame:
    """Stack a report's test tables and adjust its primary family in one go.

    Parameters
    ----------
    parts : dict
        ``(instrument id, kind) -> DataFrame`` (e.g. ``("osallisuusindikaattori", "change")``
        -> :func:`osallisuus.change.change_between` output, ``(..., "roles")`` ->
        :func:`osallisuus.compare.compare_groups` output). Empty tables are skipped.
    is_primary : callable, optional
        The evaluation plan's rule (row -> bool); default :func:`default_family`'s rule.

    Returns
    -------
    DataFrame
        All rows with ``instrument`` and ``kind`` columns added, ``family``, ``p``,
        ``p_holm`` (:func:`adjust_family`: one Holm family over every instrument and kind).
        Split it back with ``groupby(["instrument", "kind"])``.
    """
    frames = [frame.assign(instrument=key[0], kind=key[1]) for key, frame in parts.items()
              if frame is not None and len(frame)]
    if not frames:
        return pd.DataFrame(columns=["instrument", "kind", "item", "p", "family", "p_holm"])
    stacked = pd.concat(frames, ignore_index=True)
    if "item" not in stacked.columns and is_primary is None:
        raise FamilyError("adjust_report: the tables have no 'item' column; pass is_primary")
    stacked["family"] = default_family(stacked, is_primary)
    return adjust_family(stacked)


def family_note(tests: pd.DataFrame, lang: str = "fi") -> str:
    """The table note saying exactly what was adjusted and how (from translations.yaml)."""
    size = int(tests.attrs.get("family_size", (tests["family"].eq(PRIMARY) & tests["p"].notna()).sum()))
    return t_count("mult.note", lang, size, k=size)

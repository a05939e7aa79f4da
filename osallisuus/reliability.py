"""Reliability: Cronbach's alpha with a Feldt confidence interval, corrected item-total
correlations and alpha-if-item-deleted, per instrument and phase (or any grouping).

Neither scipy nor statsmodels provides Cronbach's alpha, so it is computed here from
pandas' variances. **Missing-data rule: listwise deletion** — only complete answer sheets
(every item of the group answered; "En osaa sanoa" counts as not answered) are used, and
``n`` is the number of those complete cases (reported next to the number of sheets).
Alpha is computed only for instruments whose YAML declares ``measurement: reflective``.

The confidence interval is Feldt's (1965), from scipy's F distribution with the
complete-case n: ``(1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1))``.

How this differs from other software **when answers are missing** (with complete data all
agree; tested against pingouin 0.7):

* ``pingouin.cronbach_alpha`` (default ``nan_policy="pairwise"``) estimates alpha from the
  pairwise-complete covariance matrix of all rows, and its Feldt interval uses n = all rows,
  complete or not: both alpha and the interval differ from ours.
* ``pingouin.cronbach_alpha(nan_policy="listwise")`` gives our alpha (complete cases), but
  still takes n for the interval from the table *before* dropping incomplete rows, so its
  interval is narrower than ours, which uses the complete-case n.
* R ``psych::alpha`` by default (``use = "pairwise"``) also estimates from pairwise-complete
  covariances; with ``use = "complete.obs"`` its raw alpha equals ours. Its reported
  confidence boundaries were not compared here.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .i18n import t
from .instruments import Instrument
from .numbers import format_count
from .scoring import _instrument, _level_codes, item_matrix
from .suppression import Suppression

__all__ = ["RELIABILITY_COLUMNS", "cronbach_alpha", "item_statistics", "reliability", "reliability_note"]

RELIABILITY_COLUMNS = ["alpha", "ci_low", "ci_high", "n", "k", "suppressed"]


def _numeric_frame(items, name: str = "items") -> pd.DataFrame:
    """``items`` as a float DataFrame, or a clear ValueError."""
    if isinstance(items, pd.DataFrame):
        frame = items
    else:
        arr = np.asarray(items)
        if arr.ndim != 2:
            raise ValueError(f"{name} must be a respondents x items table (2-D); got {arr.ndim} dimension(s)")
        frame = pd.DataFrame(arr)
    try:
        return frame.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numeric answer codes only: {exc}") from None


def _nan_result(n: int, k: int) -> dict:
    return {"alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": int(n), "k": int(k)}


def cronbach_alpha(items: pd.DataFrame, ci: float = 0.95) -> dict:
    """Cronbach's alpha of a respondents x items table, with Feldt's confidence interval.

    ``alpha = k / (k - 1) * (1 - sum(var_i) / var(total))`` over the complete cases
    (rows with every item answered; sample variances, ddof=1).

    Parameters
    ----------
    items : DataFrame
        One row per respondent, one numeric column per item (reverse keys already applied).
        Rows with any missing value are left out (listwise deletion).
    ci : float
        Confidence level of the interval, between 0 and 1 (default 0.95).

    Returns
    -------
    dict
        ``alpha``, ``ci_low``, ``ci_high`` (Feldt), ``n`` (complete cases), ``k`` (items).
        alpha and the interval are NaN with fewer than two complete cases or when the
        total has no variance.

    Raises
    ------
    ValueError
        With fewer than two items, a non-numeric table or ``ci`` outside (0, 1).

    Examples
    --------
    Checked by hand and against ``pingouin.cronbach_alpha`` (0.947, CI 0.653-0.996):
    items [1, 2, 3, 4], [2, 3, 3, 5], [1, 3, 4, 4] have variances 5/3, 4.75/3 and 6/3
    (sum 5.25); the totals 4, 8, 10, 13 have variance 14.25, so
    alpha = 3/2 * (1 - 5.25/14.25) = 0.9474.

    >>> import pandas as pd
    >>> res = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [1, 3, 4, 4]}))
    >>> round(res["alpha"], 4), round(res["ci_low"], 3), round(res["ci_high"], 3)
    (0.9474, 0.653, 0.996)
    """
    if not (isinstance(ci, (int, float)) and 0 < ci < 1):
        raise ValueError(f"ci must be a confidence level between 0 and 1, e.g. 0.95; got {ci!r}")
    frame = _numeric_frame(items)
    k = frame.shape[1]
    if k < 2:
        raise ValueError(f"Cronbach's alpha needs at least two items; got {k}")
    complete = frame.dropna()
    n = len(complete)
    if n < 2:
        return _nan_result(n, k)
    item_var = complete.var(axis=0, ddof=1).sum()
    total_var = complete.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return _nan_result(n, k)
    alpha = k / (k - 1) * (1 - item_var / total_var)
    # Feldt (1965): (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1))
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - ci) / 2
    low = 1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return {"alpha": float(alpha), "ci_low": float(low), "ci_high": float(high), "n": int(n), "k": int(k)}


def item_statistics(items: pd.DataFrame) -> pd.DataFrame:
    """Corrected item-total correlation and alpha-if-item-deleted for every item.

    Parameters
    ----------
    items : DataFrame
        Respondents x items (reverse keys already applied); complete cases are used.

    Returns
    -------
    DataFrame
        Index ``item``; columns ``r_corrected`` (pandas Pearson correlation of the item with
        the sum of the *other* items), ``alpha_if_deleted`` (alpha of the remaining items;
        NaN with only two items, since one item has no alpha) and ``n`` (complete cases).

    Examples
    --------
    Checked against ``pingouin.cronbach_alpha`` of the table without the item and against
    ``numpy.corrcoef(item, rest)``: for a = [1, 2, 3, 4, 5], b = [2, 2, 3, 5, 5],
    c = [5, 1, 4, 2, 3], the rest-score of c is a + b = [3, 4, 6, 9, 10]; deviations from
    the means (3 and 6.4) give cross-products summing to -5.0 and sums of squares 10 and
    37.2, so r = -5 / sqrt(10 * 37.2) = -0.26.

    >>> import pandas as pd
    >>> t = item_statistics(pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [5, 1, 4, 2, 3]}))
    >>> round(float(t.loc["c", "r_corrected"]), 2)
    -0.26
    """
    frame = _numeric_frame(items)
    k = frame.shape[1]
    if k < 2:
        raise ValueError(f"item statistics need at least two items; got {k}")
    complete = frame.dropna()
    n = len(complete)
    total = complete.sum(axis=1)
    rest = (-complete).add(total, axis=0)           # column j: sum of the other items
    r = complete.corrwith(rest) if n >= 2 else pd.Series(np.nan, index=complete.columns)
    # alpha without item j, vectorised: var(rest_j) and the sum of the other variances
    var = complete.var(ddof=1)
    rest_var = rest.var(ddof=1)
    if k >= 3 and n >= 2:
        with np.errstate(divide="ignore", invalid="ignore"):
            a_del = (k - 1) / (k - 2) * (1 - (var.sum() - var) / rest_var)
        a_del = a_del.where(rest_var > 0)
    else:
        a_del = pd.Series(np.nan, index=complete.columns)
    out = pd.DataFrame({"r_corrected": r.astype(float), "alpha_if_deleted": a_del.astype(float), "n": n},
                       index=complete.columns)
    out.index.name = "item"
    return out


def reliability(data: pd.DataFrame, instrument: str | Instrument, by: Sequence[str] | str | None = ("phase",),
                suppression: Suppression | None = None, ci: float = 0.95,
                subscale: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha with a Feldt interval per instrument and group (default: per phase).

    Only for instruments declared ``measurement: reflective`` in their YAML
    (:attr:`osallisuus.instruments.Instrument.reflective`): for formative or undeclared
    instruments the result is an empty table whose ``attrs["reason"]`` says why.

    Parameters
    ----------
    data : DataFrame
        Validated answers (long form; see :func:`osallisuus.validate`).
    instrument : str or Instrument
    by : sequence of str, str or None
        Grouping columns (default ``("phase",)``; ``()`` or None: one row for all data).
        Each respondent's answer sheet is ``respondent_id`` + these columns.
    suppression : Suppression, optional
        A group with fewer complete answer sheets than ``suppression.threshold`` gets no
        alpha (NaN) and ``suppressed=True``.
    ci : float
        Confidence level (default 0.95).
    subscale : str, optional
        A subscale id of the instrument (``subscales`` in its YAML): alpha of that subscale's
        items only (the ``instrument`` column then reads ``"<instrument>:<subscale>"``).

    Returns
    -------
    DataFrame
        One row per group: ``instrument``, the ``by`` columns, ``alpha``, ``ci_low``,
        ``ci_high``, ``n`` (complete answer sheets: the n used), ``k`` (items),
        ``suppressed``, ``n_sheets`` (all answer sheets of the group with at least one
        valid answer), ``missing_rule`` (``"listwise"``) and ``interval``
        (``"feldt"``). Reverse-keyed items are reversed first
        (:func:`osallisuus.scoring.item_matrix`); missing codes such as "En osaa sanoa"
        count as not answered. Items nobody in the group answered are left out of that
        group's ``k``; groups with fewer than two items or complete sheets get NaN.

    Examples
    --------
    Each group's alpha is :func:`cronbach_alpha` of that group's complete item matrix
    (tests check it against pingouin, a hand calculation and a simulated population value).
    """
    inst = _instrument(instrument)
    by = [by] if isinstance(by, str) else list(by or [])
    missing = [b for b in by if b not in data.columns]
    if missing:
        raise ValueError(f"reliability: grouping column(s) {missing} not in the data; columns are {list(data.columns)}")
    columns = ["instrument", *by, *RELIABILITY_COLUMNS, "n_sheets", "missing_rule", "interval"]
    if not inst.reflective:
        out = pd.DataFrame(columns=columns)
        out.attrs["reason"] = (f"{inst.id}: measurement is {inst.measurement or 'not declared'}; Cronbach's alpha "
                               "is computed only for instruments declared 'measurement: reflective'")
        return out
    wide = item_matrix(data, inst, index=("respondent_id", *by))
    name = inst.id
    if subscale is not None:
        if subscale not in inst.subscales:
            raise ValueError(f"reliability: {inst.id} has no subscale {subscale!r}; its subscales are "
                             f"{', '.join(inst.subscales) or 'none'}")
        wide = wide[[c for c in wide.columns if c in inst.subscales[subscale]["items"]]]
        name = f"{inst.id}:{subscale}"
    if wide.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for key, g in _groups(wide, by):
        g = g.dropna(axis=1, how="all")
        if g.shape[1] >= 2:
            res = cronbach_alpha(g, ci=ci)
        else:
            res = _nan_result(len(g.dropna()), g.shape[1])
        small = bool(suppression is not None and suppression.is_small(res["n"]))
        if small:
            res.update(alpha=np.nan, ci_low=np.nan, ci_high=np.nan)
        rows.append({"instrument": name, **dict(zip(by, key)), **res, "suppressed": small,
                     "n_sheets": int(g.notna().any(axis=1).sum()), "missing_rule": "listwise", "interval": "feldt"})
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"n": int, "k": int, "n_sheets": int, "suppressed": bool}) if len(out) else out


def _groups(wide: pd.DataFrame, by: list[str]) -> list[tuple[tuple, pd.DataFrame]]:
    """``(key tuple, rows)`` per ``by`` group of the sheets, as ``groupby(level=by, observed=True,
    sort=True)`` gives them, found from the index's level codes (a groupby's set-up costs more
    than the alpha of a group)."""
    if not by:
        return [((), wide)]
    group, keys = _level_codes(wide.index, by)
    return [(key, wide.iloc[np.flatnonzero(group == code)]) for code, key in keys.items()]


def reliability_note(row, lang: str = "fi", missing: str | None = None) -> str:
    """The methods note for one :func:`reliability` row: which instruments get alpha, the
    missing-data rule (complete sheets, n used of all sheets) and the interval method."""
    return t("rel.note", lang, n=format_count(row["n"]), n_sheets=format_count(row["n_sheets"]),
             missing=missing or t("rep.missing_generic", lang))

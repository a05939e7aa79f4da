"""Group comparisons: clients vs professionals (or any two groups of any grouping column).

Per rated item: the Mann–Whitney U test (``scipy.stats.mannwhitneyu``, two-sided, scipy's
default method and continuity correction) with the rank-biserial correlation, Holm's
correction across the instrument's items (``statsmodels.stats.multitest.multipletests``),
and the share of positive answers with Wilson 95 % intervals
(``statsmodels.stats.proportion.proportion_confint``). Missing codes such as
"En osaa sanoa" are left out of every statistic.

Sign convention: ``rank_biserial = 2 * U1 / (n1 * n2) - 1`` where U1 is group 1's U as
scipy returns it. It is **positive when group 1 tends to answer higher** than group 2
(+1: every answer of group 1 above every answer of group 2, -1: every one below). It
equals ``2 * (mean rank 1 - mean rank 2) / (n1 + n2)``.
"""
from __future__ import annotations

from itertools import combinations
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from .coded import text_codes
from .errors import LinkedGroupsError
from .instruments import Instrument
from .multiplicity import holm
from .scoring import _instrument, score, score_column, valid_answers
from .suppression import Suppression

__all__ = ["COLUMNS", "rank_biserial", "compare_groups", "compare_many"]

SCORE = "__score__"
COLUMNS = ["item", "group1", "group2", "n1", "n2", "median1", "median2", "mean1", "mean2", "U", "p", "p_holm",
           "rank_biserial", "share_pos1", "share_pos1_low", "share_pos1_high", "share_pos1_withheld", "share_pos2",
           "share_pos2_low", "share_pos2_high", "share_pos2_withheld", "suppressed"]
_GROUP_STATS = {1: ["median1", "mean1", "share_pos1", "share_pos1_low", "share_pos1_high"],
                2: ["median2", "mean2", "share_pos2", "share_pos2_low", "share_pos2_high"]}
_TEST_STATS = ["U", "p", "p_holm", "rank_biserial"]
_DTYPES = {"n1": int, "n2": int, "suppressed": bool}   # the columns whose type the table sets


def rank_biserial(u1: float, n1: int, n2: int) -> float:
    """Rank-biserial correlation from group 1's Mann–Whitney U.

    Parameters
    ----------
    u1 : float
        Group 1's U (``scipy.stats.mannwhitneyu(x1, x2).statistic``).
    n1, n2 : int
        Group sizes.

    Returns
    -------
    float
        ``2 * u1 / (n1 * n2) - 1``: positive when group 1 tends to answer higher.

    Examples
    --------
    Checked by hand and against scipy: for x = [4, 4, 5, 3] and y = [2, 3, 3, 1], scipy's
    U1 is 15 (each 4 beats all four y: 8; 5 beats four: 4; 3 beats 2 and 1 and ties two 3s:
    3), so r = 2 * 15 / 16 - 1 = 0.875.

    >>> rank_biserial(15.0, 4, 4)
    0.875
    """
    if n1 <= 0 or n2 <= 0:
        return np.nan
    return 2.0 * float(u1) / (n1 * n2) - 1.0


def _wilson(k: int, n: int) -> tuple[float, float, float]:
    """Share k/n with its Wilson 95 % interval (statsmodels); NaNs when n is 0."""
    share, low, high = _wilson_many(np.array([k]), np.array([n]))
    return float(share[0]), float(low[0]), float(high[0])


def _wilson_many(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_wilson` of arrays of counts, the intervals in one call of ``proportion_confint``."""
    share, low, high = (np.full(len(n), np.nan) for _ in range(3))
    ok = n > 0
    if ok.any():
        share[ok] = k[ok] / n[ok]
        low[ok], high[ok] = proportion_confint(k[ok], n[ok], alpha=0.05, method="wilson")
    return share, low, high


def _padded(samples: list[np.ndarray]) -> np.ndarray:
    """Samples as the rows of one array, NaN after each sample's end."""
    out = np.full((len(samples), max(len(v) for v in samples)), np.nan)
    for i, v in enumerate(samples):
        out[i, :len(v)] = v
    return out


def _compare_rows(pairs: list[tuple[np.ndarray, np.ndarray]], positive, suppression: Suppression | None) -> list[dict]:
    """Statistics of each row ``(x, y)``; a small group's statistics and the test are left out.
    The rows' Wilson intervals come from one ``proportion_confint`` call and their tests from
    one ``mannwhitneyu`` call (each row its own test: the NaN padding is omitted per row)."""
    rows = [{} for _ in pairs]
    for i in (1, 2):
        values = [pair[i - 1] for pair in pairs]
        n = np.array([len(v) for v in values])
        withheld = np.zeros(len(pairs), dtype=bool)
        if positive is not None:
            k = np.array([int(np.isin(v, positive).sum()) for v in values])
            share, low, high = _wilson_many(k, n)
            if suppression is not None and suppression.small_counts:
                # a share gives back its counts: the positive answers and the others, each not 1..k-1
                withheld = np.atleast_1d(suppression.is_small(k)) | np.atleast_1d(suppression.is_small(n - k))
                share[withheld] = low[withheld] = high[withheld] = np.nan
        else:
            share = low = high = np.full(len(pairs), np.nan)
        for j, v in enumerate(values):
            rows[j].update({f"n{i}": int(n[j]), f"median{i}": float(np.median(v)) if n[j] else np.nan,
                            f"mean{i}": float(v.mean()) if n[j] else np.nan, f"share_pos{i}": share[j],
                            f"share_pos{i}_low": low[j], f"share_pos{i}_high": high[j],
                            f"share_pos{i}_withheld": bool(withheld[j])})
    tested = []
    for j, ((x, y), out) in enumerate(zip(pairs, rows)):
        small1 = bool(suppression is not None and suppression.is_small(len(x)))
        small2 = bool(suppression is not None and suppression.is_small(len(y)))
        for flag, i in ((small1, 1), (small2, 2)):
            if flag:
                out.update({c: np.nan for c in _GROUP_STATS[i]})
        out.update(U=np.nan, p=np.nan, p_holm=np.nan, rank_biserial=np.nan, suppressed=small1 or small2)
        if len(x) and len(y) and not (small1 or small2):
            tested.append(j)
    if tested:
        res = stats.mannwhitneyu(_padded([pairs[j][0] for j in tested]), _padded([pairs[j][1] for j in tested]),
                                 alternative="two-sided", axis=1, nan_policy="omit")
        for j, u, p in zip(tested, np.atleast_1d(res.statistic), np.atleast_1d(res.pvalue)):
            rows[j].update(U=float(u), p=float(p), rank_biserial=rank_biserial(u, len(pairs[j][0]), len(pairs[j][1])))
    return rows


def _check(data: pd.DataFrame, by: str, groups) -> tuple[str, str]:
    if by not in data.columns:
        raise ValueError(f"compare: grouping column {by!r} is not in the data; columns are {list(data.columns)}")
    if isinstance(groups, str) or len(groups) != 2:
        raise ValueError(f"compare: groups must be two group values, e.g. ('client', 'professional'); got {groups!r}")
    g1, g2 = (str(g) for g in groups)
    if g1 == g2:
        raise ValueError(f"compare: the two groups are the same ({g1!r})")
    return g1, g2


def _in_group(column: pd.Series, group: str) -> np.ndarray:
    """Rows whose value, as text, is ``group`` (compared once per distinct value)."""
    codes, labels = text_codes(column)
    return (labels == group)[codes] if len(codes) else np.zeros(0, dtype=bool)


def _check_independent(keyed: pd.DataFrame, by: str, g1: str, g2: str, second: np.ndarray) -> None:
    """Raise when a respondent has answers in both groups: the samples are then not independent.
    ``second``: per row of ``keyed`` (each in group 1 or 2), whether it is in group 2."""
    if "respondent_id" not in keyed.columns or not len(keyed):
        return
    ids, _ = text_codes(keyed["respondent_id"])       # a missing id is one value, as everywhere
    shared = np.intersect1d(ids[~second], ids[second])
    if len(shared):
        hint = (" Change between phases is measured on linked respondents with "
                "osallisuus.change.change_between (paired Wilcoxon).") if by == "phase" else ""
        raise LinkedGroupsError(
            f"compare: {len(shared)} respondent(s) answered in both groups {g1!r} and {g2!r} of {by!r}; the "
            f"Mann–Whitney test assumes independent groups, so these answers cannot be compared as two "
            f"samples.{hint}")


def compare_groups(data: pd.DataFrame, instrument: str | Instrument, by: str = "role",
                   groups: Sequence[str] = ("client", "professional"), suppression: Suppression | None = None,
                   include_score: bool = True) -> pd.DataFrame:
    """Compare two groups item by item and on the instrument's score.

    Parameters
    ----------
    data : DataFrame
        Validated answers (long form). Compare within one phase: with several phases in
        ``data`` a respondent's answers of each phase all count (and the score is per
        respondent and phase).
    instrument : str or Instrument
    by : str
        Grouping column (``"role"``, ``"phase"``, ``"region"``, ``"group"``, ...).
    groups : pair of str
        Group 1 and group 2 (values of ``by``).
    suppression : Suppression, optional
        A group with fewer valid answers than the threshold in a row gets no statistics
        (its median, mean and shares are NaN), the row gets no test (U, p, p_holm,
        rank_biserial NaN) and ``suppressed=True``. The other group's descriptives stay.
    include_score : bool
        Add the ``"__score__"`` row (default True).

    Returns
    -------
    DataFrame
        One row per rated item in instrument order, then the score row (``item ==
        "__score__"``), with columns ``item, group1, group2, n1, n2, median1, median2,
        mean1, mean2, U, p, p_holm, rank_biserial, share_pos1, share_pos1_low,
        share_pos1_high, share_pos1_withheld, share_pos2, share_pos2_low, share_pos2_high,
        share_pos2_withheld, suppressed``.

        * Items are compared on the answer codes as given (not reverse-keyed); n is the
          number of valid answers.
        * ``U`` is group 1's statistic from ``scipy.stats.mannwhitneyu`` (two-sided);
          ``rank_biserial = 2 U / (n1 n2) - 1``, positive when group 1 answers higher.
        * ``p_holm``: Holm's correction over the items tested in this call. The score row
          is **not** in the Holm family: it is the instrument's single primary outcome
          (a function of the same items), so its ``p_holm`` is its unadjusted ``p``.
        * ``share_pos*``: share of valid answers in ``scale.positive`` with Wilson 95 %
          interval; NaN on the score row and for scales without positive codes. With
          ``suppression`` (and its ``small_counts``), a share whose positive answers or other
          answers number 1..threshold-1 would give that count back (share x n): it is NaN and
          ``share_pos*_withheld`` is True.
        * The score row compares respondents' scores (``scoring.score``; on 0-100 when
          the instrument reports so, see ``scoring.score_column``), n = scored respondents.

    Raises
    ------
    ValueError
        If ``by`` is not a column or ``groups`` is not two distinct values.
    LinkedGroupsError
        (a ValueError) If a respondent has answers in both groups, e.g. linked
        respondents in two phases: use :func:`osallisuus.change.change_between`.

    Examples
    --------
    Checked against scipy and statsmodels on the same arrays (tests): U and p equal
    ``scipy.stats.mannwhitneyu``, p_holm equals ``multipletests(p, method="holm")`` and the
    intervals equal ``proportion_confint(k, n, method="wilson")``; for x = [4, 4, 5, 3] and
    y = [2, 3, 3, 1], U1 = 15 and rank_biserial = 0.875 (group 1 higher).
    """
    inst = _instrument(instrument)
    g1, g2 = _check(data, by, groups)
    needed = dict.fromkeys(["respondent_id", "phase", by, "instrument", "item", "code", "missing_code"])
    rows = valid_answers(data[[c for c in needed if c in data.columns]], inst)   # only the columns used
    positive = list(inst.scale.positive) or None
    in1, in2 = _in_group(rows[by], g1), _in_group(rows[by], g2)
    keyed = rows[in1 | in2]
    second = in2[in1 | in2]
    _check_independent(keyed, by, g1, g2, second)
    codes = keyed["code"].to_numpy(dtype=float)
    # one vectorised pass: positions of each (item, group) cell, in row order
    item_code, item_labels = text_codes(keyed["item"])
    key = item_code * 2 + second
    if 2 * len(item_labels) + 1 < np.iinfo(np.int16).max:
        key = key.astype(np.int16)   # numpy's stable sort of small integers is a radix sort: linear
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(key[order], np.arange(2 * len(item_labels) + 1))
    where = {label: i for i, label in enumerate(item_labels)}
    empty = np.array([], dtype=float)

    def cell(item, g):
        i = where.get(item)
        if i is None:
            return empty
        k = 2 * i + (g == g2)
        return codes[order[bounds[k]:bounds[k + 1]]]

    stats_of = _compare_rows([(cell(item, g1), cell(item, g2)) for item in inst.rated_items], positive, suppression)
    out = [{"item": item, "group1": g1, "group2": g2, **row} for item, row in zip(inst.rated_items, stats_of)]
    tested = [row for row in out if not np.isnan(row["p"])]
    for row, adjusted in zip(tested, holm([row["p"] for row in tested]) if tested else []):
        row["p_holm"] = float(adjusted)
    if include_score:
        x, y = _score_samples(keyed, inst, by, g1, g2)
        extra = {"item": SCORE, "group1": g1, "group2": g2, **_compare_rows([(x, y)], None, suppression)[0]}
        extra["p_holm"] = extra["p"]   # single primary outcome: not in the item family
        out.append(extra)
    # the table made in one go, a column at a time (not row by row, then concatenated and recast)
    return pd.DataFrame({c: np.array([row[c] for row in out], dtype=_DTYPES[c]) if c in _DTYPES
                         else [row[c] for row in out] for c in COLUMNS}, columns=COLUMNS)


def _score_samples(keyed: pd.DataFrame, inst, by: str, g1: str, g2: str) -> tuple[np.ndarray, np.ndarray]:
    """The two groups' scores (``scoring.score`` per respondent, phase and group; respondents
    without a score left out)."""
    index = list(dict.fromkeys(["respondent_id", "phase", by]))
    s = score(keyed, inst, index=[c for c in index if c in keyed.columns])
    if not len(s):
        return np.array([], dtype=float), np.array([], dtype=float)
    col = score_column(inst)
    values = s[col].to_numpy(dtype=float)
    scored = ~np.isnan(values)
    return values[scored & _in_group(s[by], g1)], values[scored & _in_group(s[by], g2)]


def compare_many(data: pd.DataFrame, instrument: str | Instrument, by: str = "phase",
                 groups: Sequence[str] | None = None, reference: str | None = None,
                 suppression: Suppression | None = None, include_score: bool = True) -> pd.DataFrame:
    """:func:`compare_groups` for every pair of groups of a grouping column.

    Parameters
    ----------
    data : DataFrame
        Validated answers.
    instrument : str or Instrument
    by : str
        Grouping column, e.g. ``"phase"``, ``"region"``, ``"group"`` or ``"role"``.
    groups : sequence of str, optional
        Groups to compare (default: every group with valid answers to the instrument, in
        the column's category order, else sorted).
    reference : str, optional
        Compare every other group with this one (it is then ``group2``, so a positive
        ``rank_biserial`` means the other group answers higher); default: all pairs, the
        earlier group as ``group1``.
    suppression : Suppression, optional
        Passed to :func:`compare_groups`.
    include_score : bool

    Returns
    -------
    DataFrame
        The rows of :func:`compare_groups` for each pair, stacked. Holm's correction is
        applied within each pair's items (as in :func:`compare_groups`), not across pairs;
        for a declared family across pairs and instruments use
        :func:`osallisuus.multiplicity.adjust_family`.

    Raises
    ------
    LinkedGroupsError
        When two groups share respondents. ``by="phase"`` with linked respondents used to
        be compared as independent samples (wrong p-values); it now raises and points to
        :func:`osallisuus.change.change_between`.

    Examples
    --------
    Each block equals ``compare_groups(data, instrument, by, (a, b))`` (tested).
    """
    inst = _instrument(instrument)
    if by not in data.columns:
        raise ValueError(f"compare_many: grouping column {by!r} is not in the data; columns are {list(data.columns)}")
    rows = valid_answers(data, inst)
    if groups is None:
        present = set(rows[by].astype(str))
        col = rows[by]
        order = [str(c) for c in col.cat.categories] if isinstance(col.dtype, pd.CategoricalDtype) else sorted(present)
        groups = [g for g in order if g in present]
    groups = [str(g) for g in groups]
    if reference is not None:
        reference = str(reference)
        if reference not in groups:
            raise ValueError(f"compare_many: reference group {reference!r} is not among the groups {groups}")
        pairs = [(g, reference) for g in groups if g != reference]
    else:
        pairs = list(combinations(groups, 2))
    labels = rows[by].astype(str)
    parts = [compare_groups(rows[labels.isin(pair)], inst, by=by, groups=pair, suppression=suppression,
                            include_score=include_score) for pair in pairs]
    if not parts:
        return pd.DataFrame(columns=["by", *COLUMNS])
    return pd.concat(parts, ignore_index=True).assign(by=by).reindex(columns=["by", *COLUMNS])

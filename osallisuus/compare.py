"""Group comparisons: clients vs professionals (or any grouping column).

Per item: Mann–Whitney U (scipy) with the rank-biserial correlation, Holm correction
across the instrument's items (statsmodels), and the share of positive answers with
Wilson 95 % intervals (statsmodels). "En osaa sanoa"-type answers are left out.

Sign convention: ``rank_biserial = 2 * U1 / (n1 * n2) - 1`` where U1 is group 1's U;
it is **positive when group 1 tends to answer higher** than group 2 (+1: every answer of
group 1 above every answer of group 2).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from .scoring import _instrument, score, score_column, valid_answers
from .suppression import Suppression

SCORE = "__score__"
COLUMNS = ["item", "group1", "group2", "n1", "n2", "median1", "median2", "mean1", "mean2", "U", "p", "p_holm",
           "rank_biserial", "share_pos1", "share_pos1_low", "share_pos1_high", "share_pos2", "share_pos2_low",
           "share_pos2_high", "suppressed"]


def rank_biserial(u1: float, n1: int, n2: int) -> float:
    """Rank-biserial correlation from group 1's Mann–Whitney U (positive: group 1 higher)."""
    return 2.0 * u1 / (n1 * n2) - 1.0


def _wilson(k: int, n: int) -> tuple[float, float, float]:
    if n == 0:
        return np.nan, np.nan, np.nan
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return k / n, float(low), float(high)


def _compare(x: np.ndarray, y: np.ndarray, positive) -> dict:
    n1, n2 = len(x), len(y)
    out = {"n1": n1, "n2": n2, "median1": np.median(x) if n1 else np.nan, "median2": np.median(y) if n2 else np.nan,
           "mean1": x.mean() if n1 else np.nan, "mean2": y.mean() if n2 else np.nan}
    if n1 and n2:
        res = stats.mannwhitneyu(x, y, alternative="two-sided", method="auto")
        out.update(U=float(res.statistic), p=float(res.pvalue), rank_biserial=rank_biserial(res.statistic, n1, n2))
    else:
        out.update(U=np.nan, p=np.nan, rank_biserial=np.nan)
    if positive is not None:
        for i, arr in ((1, x), (2, y)):
            share, low, high = _wilson(int(np.isin(arr, positive).sum()), len(arr))
            out.update({f"share_pos{i}": share, f"share_pos{i}_low": low, f"share_pos{i}_high": high})
    return out


def compare_groups(data: pd.DataFrame, instrument, by: str = "role", groups=("client", "professional"),
                   suppression: Suppression | None = None, include_score: bool = True) -> pd.DataFrame:
    """Compare two groups item by item (and on the instrument's score).

    Returns one row per rated item in instrument order, plus a ``"__score__"`` row for the
    instrument's scale score when ``include_score`` (compared on respondent scores; it is
    not part of the Holm family, which covers the items only). A row whose group has
    fewer valid answers than the suppression threshold has no statistics and
    ``suppressed=True``.

    Examples
    --------
    Checked by hand and against scipy: for x = [4, 4, 5, 3] and y = [2, 3, 3, 1], U1 = 15
    (scipy agrees) and the rank-biserial correlation is 2 * 15 / 16 - 1 = 0.875 (group 1 higher).
    """
    inst = _instrument(instrument)
    g1, g2 = groups
    rows = valid_answers(data, inst)
    positive = list(inst.scale.positive) or None
    # one pass over the rows: arrays of codes per (item, group)
    keyed = rows[rows[by].astype(str).isin([str(g1), str(g2)])]
    arrays = {(str(i), str(g)): part.to_numpy(dtype=float)
              for (i, g), part in keyed.groupby([keyed["item"].astype(str), keyed[by].astype(str)])["code"]}
    empty = np.array([], dtype=float)
    out = []
    for item in inst.rated_items:
        x = arrays.get((item, str(g1)), empty)
        y = arrays.get((item, str(g2)), empty)
        out.append({"item": item, "group1": g1, "group2": g2, **_compare(x, y, positive)})
    frame = pd.DataFrame(out)
    frame = _suppress(frame, suppression)
    ok = frame["p"].notna() & ~frame["suppressed"]
    frame["p_holm"] = np.nan
    if ok.any():
        frame.loc[ok, "p_holm"] = multipletests(frame.loc[ok, "p"].to_numpy(), method="holm")[1]
    if include_score and len(rows):
        s = score(rows, inst)
        col = score_column(inst)
        s = s.dropna(subset=[col])
        x = s.loc[s[by] == g1, col].to_numpy(dtype=float) if by in s else np.array([])
        y = s.loc[s[by] == g2, col].to_numpy(dtype=float) if by in s else np.array([])
        extra = pd.DataFrame([{"item": SCORE, "group1": g1, "group2": g2, **_compare(x, y, None)}])
        extra = _suppress(extra, suppression)
        extra["p_holm"] = extra["p"]
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame.reindex(columns=COLUMNS)


def _suppress(frame: pd.DataFrame, suppression: Suppression | None) -> pd.DataFrame:
    frame = frame.copy()
    if suppression is None:
        frame["suppressed"] = False
        return frame
    small = suppression.is_small(frame["n1"].to_numpy()) | suppression.is_small(frame["n2"].to_numpy()) \
        | (frame["n1"].to_numpy() == 0) | (frame["n2"].to_numpy() == 0)
    small = np.atleast_1d(small)
    stat_cols = [c for c in frame.columns if c not in ("item", "group1", "group2", "n1", "n2")]
    frame[stat_cols] = frame[stat_cols].astype(float)
    frame.loc[small, stat_cols] = np.nan
    frame["suppressed"] = small
    return frame

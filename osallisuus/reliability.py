"""Reliability: Cronbach's alpha with a Feldt confidence interval, corrected item-total
correlations and alpha-if-item-deleted, per instrument and phase.

Neither scipy nor statsmodels provides Cronbach's alpha, so it is computed here from
pandas' variances; its confidence interval uses scipy's F distribution (Feldt 1965, as in
pingouin's ``cronbach_alpha``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .scoring import _instrument, item_matrix
from .suppression import Suppression


def cronbach_alpha(items: pd.DataFrame, ci: float = 0.95) -> dict:
    """Cronbach's alpha of a respondents x items table (complete cases only).

    Returns
    -------
    dict
        ``alpha``, ``ci_low``, ``ci_high`` (Feldt), ``n`` complete cases, ``k`` items.

    Examples
    --------
    Checked by hand: items [1, 2, 3, 4], [2, 3, 3, 5], [1, 3, 4, 4] have variances
    5/3, 4.75/3 and 6/3 (sum 5.25); the totals 4, 8, 10, 13 have variance 14.25, so
    alpha = 3/2 * (1 - 5.25/14.25) = 0.9474.

    >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [1, 3, 4, 4]}))["alpha"], 4)
    0.9474
    """
    complete = items.dropna()
    n, k = complete.shape
    if k < 2 or n < 3:
        return {"alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": int(n), "k": int(k)}
    item_var = complete.var(axis=0, ddof=1).sum()
    total_var = complete.sum(axis=1).var(ddof=1)
    alpha = k / (k - 1) * (1 - item_var / total_var) if total_var > 0 else np.nan
    # Feldt: (1 - alpha) / (1 - alpha_hat) ~ F(n - 1, (n - 1)(k - 1))
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - ci) / 2
    low = 1 - (1 - alpha) * stats.f.isf(tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return {"alpha": float(alpha), "ci_low": float(low), "ci_high": float(high), "n": int(n), "k": int(k)}


def item_statistics(items: pd.DataFrame) -> pd.DataFrame:
    """Per item: corrected item-total correlation (item vs the sum of the *other* items),
    alpha if the item is deleted, and n (complete cases)."""
    complete = items.dropna()
    total = complete.sum(axis=1)
    rows = []
    for col in complete.columns:
        rest = total - complete[col]
        r = complete[col].corr(rest) if complete[col].std() > 0 and rest.std() > 0 else np.nan
        rows.append({"item": col, "r_corrected": r,
                     "alpha_if_deleted": cronbach_alpha(complete.drop(columns=col))["alpha"],
                     "n": len(complete)})
    return pd.DataFrame(rows).set_index("item")


def reliability(data: pd.DataFrame, instrument, by=("phase",), suppression: Suppression | None = None) -> pd.DataFrame:
    """Alpha with CI per instrument and group (default: per phase).

    Groups with fewer complete answer sheets than the suppression threshold get no alpha
    (``suppressed`` is True).
    """
    inst = _instrument(instrument)
    by = [b for b in by]
    wide = item_matrix(data, inst, index=("respondent_id", *by))
    rows = []
    groups = wide.groupby(level=by, observed=True) if by else [((), wide)]
    for key, g in groups:
        res = cronbach_alpha(g)
        small = suppression is not None and suppression.is_small(res["n"])
        if small:
            res.update(alpha=np.nan, ci_low=np.nan, ci_high=np.nan)
        key = key if isinstance(key, tuple) else (key,)
        rows.append({"instrument": inst.id, **dict(zip(by, key)), **res, "suppressed": bool(small)})
    return pd.DataFrame(rows)

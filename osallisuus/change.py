"""Change across evaluation phases (baseline -> interim -> final).

Where pseudonymous respondent ids link two phases, the paired change is tested with the
Wilcoxon signed-rank test (scipy; ``zero_method="wilcox"``: zero differences are dropped);
the answers that cannot be linked are compared as independent samples with the
Mann–Whitney test. An ordinal logistic regression (statsmodels ``OrderedModel``, logit)
of the answer on phase and role gives odds ratios with 95 % intervals.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.weightstats import DescrStatsW

from .compare import rank_biserial
from .scoring import _instrument, score, score_column, valid_answers
from .suppression import Suppression

SCORE = "__score__"
MAX_MODEL_ROWS = 20_000   # OrderedModel rows; larger data is subsampled with a fixed seed


def paired_rank_biserial(diff: np.ndarray) -> float:
    """Matched-pairs rank-biserial correlation: (R+ - R-) / (R+ + R-), zeros dropped.
    Positive when values increased."""
    d = diff[diff != 0]
    if len(d) == 0:
        return 0.0
    ranks = stats.rankdata(np.abs(d))
    return float((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum())


def _values(data: pd.DataFrame, inst, item: str) -> pd.DataFrame:
    """respondent_id, phase, value for the score or one item."""
    if item == SCORE:
        s = score(data, inst)
        col = score_column(inst)
        return s[["respondent_id", "phase", col]].rename(columns={col: "value"}).dropna()
    rows = valid_answers(data, inst)
    rows = rows[rows["item"] == item]
    return rows[["respondent_id", "phase", "code"]].rename(columns={"code": "value"})


def _small(suppression, *ns) -> bool:
    return any(n == 0 for n in ns) or (suppression is not None and any(bool(suppression.is_small(n)) for n in ns))


def change_between(data: pd.DataFrame, instrument, from_phase: str = "baseline", to_phase: str = "final",
                   suppression: Suppression | None = None, items: bool = True) -> pd.DataFrame:
    """Change of the score (``item == "__score__"``) and of each item between two phases.

    Two rows per item: ``test == "wilcoxon"`` on the linked respondents (``n`` pairs,
    ``effect`` = matched-pairs rank-biserial, positive = increase) and
    ``test == "mannwhitney"`` on the unlinked answers (``n = n_from + n_to``, ``effect`` =
    rank-biserial with the later phase as group 1, positive = higher later).

    Examples
    --------
    Checked against scipy: the paired differences of the test data are passed to
    ``scipy.stats.wilcoxon`` directly and give the same statistic and p-value.
    """
    inst = _instrument(instrument)
    data = data[data["phase"].isin([from_phase, to_phase])]
    targets = [SCORE] + (list(inst.rated_items) if items else [])
    out = []
    for item in targets:
        v = _values(data, inst, item)
        a = v[v["phase"] == from_phase].drop_duplicates("respondent_id").set_index("respondent_id")["value"]
        b = v[v["phase"] == to_phase].drop_duplicates("respondent_id").set_index("respondent_id")["value"]
        linked = a.index.intersection(b.index)
        base = {"item": item, "from_phase": from_phase, "to_phase": to_phase}
        # linked: Wilcoxon signed-rank on the paired differences
        diff = (b.loc[linked] - a.loc[linked]).to_numpy(dtype=float)
        row = {**base, "test": "wilcoxon", "n": len(linked), "n_from": len(linked), "n_to": len(linked),
               "mean_from": a.loc[linked].mean(), "mean_to": b.loc[linked].mean()}
        if _small(suppression, len(linked)) or len(linked) < 2 or not np.any(diff != 0):
            row.update(statistic=np.nan, p=np.nan, effect=np.nan if _small(suppression, len(linked)) else 0.0,
                       suppressed=_small(suppression, len(linked)))
        else:
            res = stats.wilcoxon(diff, zero_method="wilcox", alternative="two-sided")
            row.update(statistic=float(res.statistic), p=float(res.pvalue), effect=paired_rank_biserial(diff),
                       suppressed=False)
        if row["suppressed"]:
            row.update(mean_from=np.nan, mean_to=np.nan)
        out.append(row)
        # unlinked: Mann–Whitney between the rest
        x = b.drop(linked).to_numpy(dtype=float)   # later phase = group 1
        y = a.drop(linked).to_numpy(dtype=float)
        row = {**base, "test": "mannwhitney", "n": len(x) + len(y), "n_from": len(y), "n_to": len(x),
               "mean_from": y.mean() if len(y) else np.nan, "mean_to": x.mean() if len(x) else np.nan}
        if _small(suppression, len(x), len(y)):
            row.update(statistic=np.nan, p=np.nan, effect=np.nan, suppressed=suppression is not None,
                       mean_from=np.nan, mean_to=np.nan)
            if not len(x) or not len(y):
                continue  # nothing unlinked to compare: no row
        else:
            res = stats.mannwhitneyu(x, y, alternative="two-sided")
            row.update(statistic=float(res.statistic), p=float(res.pvalue),
                       effect=rank_biserial(res.statistic, len(x), len(y)), suppressed=False)
        out.append(row)
    cols = ["item", "test", "from_phase", "to_phase", "n", "n_from", "n_to", "mean_from", "mean_to", "statistic", "p",
            "effect", "suppressed"]
    return pd.DataFrame(out, columns=cols)


def phase_summary(data: pd.DataFrame, instrument, by: str | None = None,
                  suppression: Suppression | None = None) -> pd.DataFrame:
    """Mean score per phase (and per ``by`` group) with n, sd and a 95 % t interval
    (statsmodels ``DescrStatsW.tconfint_mean``); small groups are flagged ``suppressed``."""
    inst = _instrument(instrument)
    s = score(data, inst)
    col = score_column(inst)
    s = s.dropna(subset=[col])
    keys = ["phase"] + ([by] if by else [])
    rows = []
    for key, g in s.groupby(keys, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        n = len(g)
        small = _small(suppression, n)
        vals = g[col].to_numpy(dtype=float)
        if n >= 2 and not small:
            d = DescrStatsW(vals)
            low, high = d.tconfint_mean(alpha=0.05)
            mean, sd = d.mean, d.std_mean * np.sqrt(n)
        else:
            mean = vals.mean() if n and not small else np.nan
            low = high = sd = np.nan
        rows.append({**dict(zip(keys, map(str, key))), "n": n, "mean": mean, "sd": sd, "ci_low": low, "ci_high": high,
                     "suppressed": small})
    return pd.DataFrame(rows, columns=keys + ["n", "mean", "sd", "ci_low", "ci_high", "suppressed"])


def ordinal_model(data: pd.DataFrame, instrument, item: str | None = None, covariates=("phase", "role"),
                  suppression: Suppression | None = None, seed: int = 1) -> pd.DataFrame:
    """Ordinal logistic regression of the answer on phase and role: odds ratios with 95 % CI.

    All rated items are pooled when ``item`` is None (answers of one respondent are then
    not independent: read the intervals as approximate). Reference levels: the earliest
    phase and the first role present (clients when they answered). Groups (phase x role)
    below the suppression threshold are left out before fitting. Above
    ``MAX_MODEL_ROWS`` answers a seeded random subsample is fitted.
    """
    inst = _instrument(instrument)
    rows = valid_answers(data, inst)
    if item is not None:
        rows = rows[rows["item"] == item]
    covariates = [c for c in covariates if c in rows.columns]
    if suppression is not None and len(rows):
        sizes = rows.groupby(covariates, observed=True)["respondent_id"].transform("nunique")
        rows = rows[~np.atleast_1d(suppression.is_small(sizes.to_numpy()))]
    if len(rows) > MAX_MODEL_ROWS:
        rows = rows.sample(MAX_MODEL_ROWS, random_state=seed)
    cols = ["term", "odds_ratio", "ci_low", "ci_high", "p", "n"]
    if len(rows) < 20 or rows["code"].nunique() < 3:
        return pd.DataFrame(columns=cols)
    X = []
    for c in covariates:
        cat = rows[c].astype(str)
        levels = [lvl for lvl in (rows[c].cat.categories if hasattr(rows[c], "cat") else sorted(cat.unique()))
                  if (cat == str(lvl)).any()]
        if len(levels) < 2:
            continue
        X.append(pd.get_dummies(pd.Categorical(cat, categories=[str(x) for x in levels]), prefix=c, drop_first=True,
                                dtype=float))
    if not X:
        return pd.DataFrame(columns=cols)
    exog = pd.concat(X, axis=1)
    exog.index = rows.index
    endog = pd.Series(pd.Categorical(rows["code"], ordered=True), index=rows.index)
    model = OrderedModel(endog, exog, distr="logit")
    res = model.fit(method="bfgs", disp=False, maxiter=500)
    conf = res.conf_int()
    out = []
    for term in exog.columns:
        out.append({"term": term, "odds_ratio": float(np.exp(res.params[term])),
                    "ci_low": float(np.exp(conf.loc[term, 0])), "ci_high": float(np.exp(conf.loc[term, 1])),
                    "p": float(res.pvalues[term]), "n": len(rows)})
    return pd.DataFrame(out, columns=cols)

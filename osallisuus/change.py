"""Change across evaluation phases (baseline -> interim -> final).

* :func:`change_between`: where pseudonymous respondent ids link two phases, the paired
  change is tested with the Wilcoxon signed-rank test (``scipy.stats.wilcoxon``,
  ``zero_method="wilcox"``: zero differences are dropped); the answers that cannot be
  linked are compared as independent samples with the Mann–Whitney test
  (``scipy.stats.mannwhitneyu``).
* :func:`phase_summary`: mean score per phase with a t-based 95 % interval, for the
  trajectory figure.
* :func:`ordinal_model`: ordinal logistic regression (statsmodels ``OrderedModel``,
  ``distr="logit"``) of the answer on phase and role, as odds ratios with 95 % intervals.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.base.model import LikelihoodModelResults
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.sandwich_covariance import cov_cluster
from statsmodels.tools.numdiff import approx_fprime

from .compare import rank_biserial
from .instruments import PHASES, Instrument
from .scoring import _instrument, item_matrix, score, score_column, valid_answers
from .suppression import Suppression

SCORE = "__score__"
CHANGE_COLUMNS = ["item", "test", "from_phase", "to_phase", "n", "n_pairs", "n_from", "n_to", "mean_from",
                  "mean_to", "median_diff", "statistic", "p", "effect", "suppressed"]
SUMMARY_COLUMNS = ["n", "mean", "sd", "ci_low", "ci_high", "suppressed"]
MODEL_COLUMNS = ["term", "variable", "level", "reference", "odds_ratio", "ci_low", "ci_high", "p", "n",
                 "n_respondents"]


def paired_rank_biserial(diff: np.ndarray) -> float:
    """Matched-pairs rank-biserial correlation of paired differences (later - earlier).

    ``(R+ - R-) / (R+ + R-)`` with the ranks of ``|diff|`` after dropping zero differences
    (as ``zero_method="wilcox"`` does). Positive when values increased; 0.0 when every
    difference is zero; NaN without pairs.

    Examples
    --------
    Checked by hand (Kerby 2014): differences 1, 2, -3 have ranks 1, 2, 3, so
    r = (1 + 2 - 3) / 6 = 0; differences 1, 2, 3 give +1.

    >>> paired_rank_biserial(np.array([1.0, 2.0, 3.0]))
    1.0
    """
    d = np.asarray(diff, dtype=float)
    if len(d) == 0:
        return np.nan
    d = d[d != 0]
    if len(d) == 0:
        return 0.0
    ranks = stats.rankdata(np.abs(d))
    return float((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum())


def _as_list(by) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _check_columns(data: pd.DataFrame, cols: Sequence[str], where: str) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"{where}: column(s) {missing} not in the data; columns are {list(data.columns)}")


def _small(suppression: Suppression | None, n: int) -> bool:
    return bool(suppression is not None and suppression.is_small(n))


def _phase_rows(table: pd.DataFrame, phase: str) -> pd.DataFrame:
    """Rows of one phase, indexed by respondent_id and the ``by`` columns."""
    mask = table.index.get_level_values("phase").astype(str) == phase
    return table[mask].droplevel("phase")


def _wilcoxon_row(a: pd.Series, b: pd.Series, suppression, method: str = "auto") -> dict:
    n = len(a)
    diff = b.to_numpy(dtype=float) - a.to_numpy(dtype=float)
    row = {"test": "wilcoxon", "n": n, "n_pairs": n, "n_from": n, "n_to": n,
           "mean_from": float(a.mean()), "mean_to": float(b.mean()), "median_diff": float(np.median(diff)),
           "statistic": np.nan, "p": np.nan, "effect": np.nan, "suppressed": _small(suppression, n)}
    if row["suppressed"]:
        row.update(mean_from=np.nan, mean_to=np.nan, median_diff=np.nan)
        return row
    with np.errstate(invalid="ignore", divide="ignore"):
        res = stats.wilcoxon(diff, zero_method="wilcox", alternative="two-sided", method=method)
    row.update(statistic=float(res.statistic), p=float(res.pvalue), effect=paired_rank_biserial(diff))
    return row


def _mannwhitney_row(a: pd.Series, b: pd.Series, suppression) -> dict:
    x, y = b.to_numpy(dtype=float), a.to_numpy(dtype=float)   # later phase = group 1
    small_from, small_to = _small(suppression, len(y)), _small(suppression, len(x))
    row = {"test": "mannwhitney", "n": len(x) + len(y), "n_pairs": 0, "n_from": len(y), "n_to": len(x),
           "mean_from": np.nan if small_from else float(y.mean()),
           "mean_to": np.nan if small_to else float(x.mean()),
           "median_diff": np.nan, "statistic": np.nan, "p": np.nan, "effect": np.nan,
           "suppressed": small_from or small_to}
    if not row["suppressed"]:
        res = stats.mannwhitneyu(x, y, alternative="two-sided")
        row.update(median_diff=float(np.median(x) - np.median(y)), statistic=float(res.statistic),
                   p=float(res.pvalue), effect=rank_biserial(res.statistic, len(x), len(y)))
    return row


def _groups(series: pd.Series, by: list[str]):
    """(key tuple, part) per ``by`` group of a Series indexed by respondent_id + by."""
    if not by:
        return [((), series)]
    if series.empty:
        return []
    return [((k if isinstance(k, tuple) else (k,)), part)
            for k, part in series.groupby(level=by, observed=True, sort=True)]


def change_between(data: pd.DataFrame, instrument: str | Instrument, from_phase: str = "baseline",
                   to_phase: str = "final", by: Sequence[str] | str | None = None,
                   suppression: Suppression | None = None, items: bool = True,
                   wilcoxon_method: str = "auto") -> pd.DataFrame:
    """Change of the score and of each item between two phases.

    Parameters
    ----------
    data : DataFrame
        Validated answers (long form).
    instrument : str or Instrument
    from_phase, to_phase : str
        The earlier and the later phase (``baseline``, ``interim``, ``final``).
    by : str or sequence of str, optional
        Grouping columns (e.g. ``"region"`` or ``"role"``): the tests are run within each
        group, and a respondent is linked only within the same group.
    suppression : Suppression, optional
        A test with fewer pairs (Wilcoxon) or fewer answers in either phase (Mann–Whitney)
        than the threshold is not run: its means, statistic, p and effect are NaN and
        ``suppressed=True``.
    items : bool
        Also test every rated item (default True); otherwise only the score.
    wilcoxon_method : {"auto", "exact", "asymptotic"}
        Passed to ``scipy.stats.wilcoxon``. With scipy's default ``"auto"`` a test of at
        most 13 pairs with ties or zeros is an exact permutation test (up to ~0.7 s per
        test; larger samples use the normal approximation in about a millisecond). Use
        ``"asymptotic"`` when many small groups must run quickly.

    Returns
    -------
    DataFrame
        Columns ``item`` (``"__score__"`` for the score, on 0-100 where the instrument
        reports so; items on their answer codes as given), the ``by`` columns, ``test``,
        ``from_phase``, ``to_phase``, ``n``, ``n_pairs``, ``n_from``, ``n_to``,
        ``mean_from``, ``mean_to``, ``median_diff``, ``statistic``, ``p``, ``effect``,
        ``suppressed``. Up to two rows per item and group:

        * ``test == "wilcoxon"``: respondents with a valid value (score or answer) in both
          phases. ``n = n_pairs``; ``statistic`` and ``p`` are scipy's
          (``zero_method="wilcox"``: pairs with no change are dropped from the test, as
          scipy does by default); ``median_diff`` is the median of
          the paired differences (later - earlier); ``effect`` is the matched-pairs
          rank-biserial correlation (positive = increase). Respondents whose value is
          missing in one phase are not pairs: their other value goes to the
          Mann–Whitney row.
        * ``test == "mannwhitney"``: the values that could not be linked, as independent
          samples (``n_from``, ``n_to``; ``n`` their sum). ``statistic`` is the later
          phase's U, ``effect`` the rank-biserial correlation (positive = higher in the
          later phase) and ``median_diff`` the difference of the medians.

        A row is present only when its test has data on both sides.

    Raises
    ------
    ValueError
        For an unknown or repeated phase or a missing ``by`` column.

    Examples
    --------
    Checked against scipy: the paired differences of the test data passed to
    ``scipy.stats.wilcoxon`` directly, and the unlinked scores to
    ``scipy.stats.mannwhitneyu``, give the same statistics and p-values (tests).
    """
    inst = _instrument(instrument)
    from_phase, to_phase = str(from_phase), str(to_phase)
    for ph in (from_phase, to_phase):
        if ph not in PHASES:
            raise ValueError(f"change_between: unknown phase {ph!r}; phases are {', '.join(PHASES)}")
    if from_phase == to_phase:
        raise ValueError(f"change_between: from_phase and to_phase are both {from_phase!r}")
    by = _as_list(by)
    _check_columns(data, ["respondent_id", "phase", *by], "change_between")
    index = ["respondent_id", "phase", *by]
    sub = data[data["phase"].astype(str).isin([from_phase, to_phase])]
    out_cols = ["item", *by, *CHANGE_COLUMNS[1:]]
    wide = item_matrix(sub, inst, index=index, reverse=False)   # items on the codes as given
    if wide.empty:
        return pd.DataFrame(columns=out_cols)
    col = score_column(inst)
    scores = score(sub, inst, index=index).set_index(index)[col]
    wide.insert(0, SCORE, scores.reindex(wide.index))
    targets = [SCORE] + (list(inst.rated_items) if items else [])
    before, after = _phase_rows(wide, from_phase), _phase_rows(wide, to_phase)
    # groups in the column's order (categories first), then per group the score and items
    group_keys = [k for k, _ in _groups(wide[SCORE], by)] if by else [()]
    empty = pd.Series([], dtype=float)
    parts = {}
    for item in targets:
        a, b = before[item].dropna(), after[item].dropna()
        linked_a, linked_b = a.index.isin(b.index), b.index.isin(a.index)
        pa = a[linked_a].sort_index()
        pb = b[linked_b].reindex(pa.index)
        parts[item] = {name: dict(_groups(ser, by)) for name, ser in
                       (("pa", pa), ("pb", pb), ("ua", a[~linked_a]), ("ub", b[~linked_b]))}
    rows = []
    for key in group_keys:
        for item in targets:
            base = {"item": item, **dict(zip(by, key)), "from_phase": from_phase, "to_phase": to_phase}
            part = parts[item]
            xa, xb = part["pa"].get(key, empty), part["pb"].get(key, empty)
            if len(xa):
                rows.append({**base, **_wilcoxon_row(xa, xb, suppression, wilcoxon_method)})
            ya, yb = part["ua"].get(key, empty), part["ub"].get(key, empty)
            if len(ya) and len(yb):
                rows.append({**base, **_mannwhitney_row(ya, yb, suppression)})
    out = pd.DataFrame(rows, columns=out_cols)
    return out.astype({"suppressed": bool}) if len(out) else out


def phase_summary(data: pd.DataFrame, instrument: str | Instrument, by: Sequence[str] | str | None = None,
                  suppression: Suppression | None = None, ci: float = 0.95) -> pd.DataFrame:
    """Mean score per phase (and per ``by`` group) with n, sd and a t interval.

    Parameters
    ----------
    data : DataFrame
        Validated answers.
    instrument : str or Instrument
    by : str or sequence of str, optional
        Grouping columns, e.g. ``"role"``.
    suppression : Suppression, optional
        A group with fewer scored respondents than the threshold gets NaN statistics and
        ``suppressed=True`` (its n is kept for the "<5" display).
    ci : float
        Confidence level (default 0.95).

    Returns
    -------
    DataFrame
        ``phase`` (text, in phase order), the ``by`` columns, ``n`` (scored respondents),
        ``mean``, ``sd`` (ddof=1), ``ci_low``, ``ci_high`` (mean ± t(ci, n-1) sd / sqrt(n);
        NaN for n < 2), ``suppressed``. Scores are on 0-100 where the instrument reports
        so (``scoring.score_column``).

    Examples
    --------
    Checked against ``statsmodels.stats.weightstats.DescrStatsW(x).tconfint_mean()`` and
    ``scipy.stats.t.interval`` on the same scores (tests).
    """
    if not (isinstance(ci, (int, float)) and 0 < ci < 1):
        raise ValueError(f"ci must be between 0 and 1; got {ci!r}")
    inst = _instrument(instrument)
    by = _as_list(by)
    _check_columns(data, ["respondent_id", "phase", *by], "phase_summary")
    keys = ["phase", *by]
    col = score_column(inst)
    s = score(data, inst, index=["respondent_id", *keys])
    if s.empty:
        return pd.DataFrame(columns=[*keys, *SUMMARY_COLUMNS])
    s = s.dropna(subset=[col])
    g = s.groupby(keys, observed=True, sort=True)[col].agg(n="count", mean="mean", sd="std").reset_index()
    n = g["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + ci / 2, n - 1) * g["sd"].to_numpy(dtype=float) / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    g["ci_low"], g["ci_high"] = g["mean"] - half, g["mean"] + half
    small = np.atleast_1d(suppression.is_small(n)) if suppression is not None else np.zeros(len(g), bool)
    g.loc[small, ["mean", "sd", "ci_low", "ci_high"]] = np.nan
    g["suppressed"] = small.astype(bool)
    for c in keys:
        g[c] = g[c].astype(str)
    return g[[*keys, *SUMMARY_COLUMNS]].astype({"n": int})


class _FrequencyWeightedOrderedModel(OrderedModel):
    """statsmodels' OrderedModel with frequency weights: each row stands for ``weight``
    identical answers (same covariates, same code).

    Only the log-likelihood is weighted (``loglikeobs`` times the weight) and the start
    values use weighted frequencies; estimates, the (numerical) Hessian and so the
    standard errors equal those of the model fitted on the expanded rows (tested).
    """

    def __init__(self, endog, exog, freq_weights, **kwds):
        super().__init__(endog, exog, **kwds)
        self.freq_weights = np.asarray(freq_weights, dtype=float)

    def loglikeobs(self, params):
        return self.freq_weights * super().loglikeobs(params)

    @property
    def start_params(self):
        freq = np.bincount(self.endog, weights=self.freq_weights) / self.freq_weights.sum()
        start_ppf = self.distr.ppf(np.clip(freq.cumsum(), 0, 1))
        start_threshold = self.transform_reverse_threshold_params(start_ppf)
        return np.concatenate((np.zeros(self.k_vars), start_threshold))


_CANONICAL_ORDER = {"phase": list(PHASES), "role": ["client", "professional", "manager", "organisation", "other"]}


def _levels(col: pd.Series) -> list[str]:
    """Levels present, in category order (canonical order for phase and role given as text)."""
    present = set(col.astype(str))
    if isinstance(col.dtype, pd.CategoricalDtype):
        order = [str(c) for c in col.cat.categories]
    else:
        order = _CANONICAL_ORDER.get(str(col.name), []) + sorted(present)
    return list(dict.fromkeys(lvl for lvl in order if lvl in present))


def ordinal_model(data: pd.DataFrame, instrument: str | Instrument, item: str | None = None,
                  covariates: Sequence[str] = ("phase", "role"), suppression: Suppression | None = None,
                  cluster: bool = True) -> pd.DataFrame:
    """Ordinal logistic regression of the answer code on phase and role: odds ratios.

    ``OrderedModel(code ~ covariates, distr="logit")`` from statsmodels, treatment coding
    with the first level present as reference (baseline for phase and client for role,
    unless absent). An odds ratio above 1 means higher answer codes than the reference.

    Parameters
    ----------
    data : DataFrame
        Validated answers.
    instrument : str or Instrument
    item : str, optional
        One rated item; None pools the answers to all rated items (codes as given, not
        reverse-keyed). Pooled answers are clustered within respondents (one respondent
        gives up to k answers per phase, and linked respondents answer in several phases),
        so by default the intervals and p-values use a respondent-clustered sandwich
        covariance (see ``cluster``). Pooling still weights respondents by the number of
        items they answered; fit single items for item-level claims.
    covariates : sequence of str
        Categorical columns (default phase and role); covariates with one level present
        are left out.
    suppression : Suppression, optional
        Answers of covariate cells (e.g. phase x role) with fewer respondents than the
        threshold are dropped before fitting, so no role (or phase) of a suppressed group
        is estimated.
    cluster : bool
        True (default): 95 % Wald intervals and p-values from the respondent-clustered
        (CRV1) covariance of ``statsmodels.stats.sandwich_covariance.cov_cluster``, which
        equals ``OrderedModel(...).fit(cov_type="cluster", cov_kwds={"groups": ids})`` on
        the individual answers (tested). False: the model-based (Hessian) covariance, valid
        only when every respondent gives one answer.

    Returns
    -------
    DataFrame
        One row per term (``term`` like ``"phase[T.final]"``, ``variable``, ``level``,
        ``reference``) with ``odds_ratio``, ``ci_low``, ``ci_high`` (95 %, Wald), ``p``
        (Wald, normal), ``n`` (answers used) and ``n_respondents``. Empty when there
        is nothing to estimate (fewer than two answer codes or no covariate with two levels).

    Notes
    -----
    The data are aggregated to one row per distinct (covariates, code) pattern with its
    count as a frequency weight (statsmodels' OrderedModel has no weights argument, so a
    subclass multiplies ``loglikeobs`` by the weight), so 10^6 answers fit as fast as a
    few dozen rows; the estimates equal the fit on the individual rows (no subsampling).
    The fit uses Newton-Raphson; a RuntimeWarning says if it did not converge.

    Examples
    --------
    Checked on simulated data with a known effect (tests): a latent logistic answer with
    log-odds +1.0 for the final phase recovers an odds ratio near e = 2.72 whose 95 %
    interval contains e; the weighted fit equals ``OrderedModel`` on the expanded rows.
    """
    inst = _instrument(instrument)
    covariates = list(covariates)
    _check_columns(data, ["respondent_id", *covariates], "ordinal_model")
    rows = valid_answers(data, inst)
    if item is not None:
        if item not in inst.rated_items:
            raise ValueError(f"ordinal_model: {item!r} is not a rated item of {inst.id}; "
                             f"items are {', '.join(inst.rated_items)}")
        rows = rows[rows["item"].astype(str) == item]
    empty = pd.DataFrame(columns=MODEL_COLUMNS)
    if rows.empty:
        return empty
    if suppression is not None and covariates:
        sizes = rows.groupby(covariates, observed=True)["respondent_id"].transform("nunique")
        rows = rows[~np.atleast_1d(suppression.is_small(sizes.to_numpy()))]
        if rows.empty:
            return empty
    used = [c for c in covariates if len(_levels(rows[c])) >= 2]
    if not used or rows["code"].nunique() < 2:
        return empty
    frame = pd.DataFrame({**{c: rows[c].astype(str).to_numpy() for c in used}, "code": rows["code"].to_numpy()})
    grouped = frame.groupby([*used, "code"], observed=True, sort=True)
    pattern = grouped.ngroup().to_numpy()                 # each answer's covariate-and-code pattern
    freq = grouped.size().rename("weight").reset_index()  # same order as the ngroup numbers
    levels = {c: _levels(rows[c]) for c in used}
    exog = pd.concat([pd.get_dummies(pd.Categorical(freq[c], categories=levels[c]), dtype=float)
                      .iloc[:, 1:].set_axis([f"{c}[T.{lvl}]" for lvl in levels[c][1:]], axis=1) for c in used],
                     axis=1)
    endog = pd.Series(pd.Categorical(freq["code"], categories=sorted(freq["code"].unique()), ordered=True))
    model = _FrequencyWeightedOrderedModel(endog, exog, freq["weight"].to_numpy(), distr="logit")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # convergence is checked below
            res = model.fit(method="newton", disp=False, maxiter=200)
        params = np.asarray(res.params)
        if cluster:
            # respondent-clustered sandwich (statsmodels cov_cluster, CRV1): per-answer scores are
            # their pattern's score; the bread is the inverse Hessian of the weighted likelihood
            per_pattern = approx_fprime(params, lambda q: OrderedModel.loglikeobs(model, q), centered=True)
            hessian_inv = np.linalg.inv(model.hessian(params))
            groups = pd.factorize(rows["respondent_id"])[0].astype(np.int64)
            cov = cov_cluster((per_pattern[pattern], hessian_inv), groups)
            conv = res.mle_retvals.get("converged", True)
            res = LikelihoodModelResults(model, params, normalized_cov_params=cov, scale=1.0)
        else:
            conv = res.mle_retvals.get("converged", True)
    except np.linalg.LinAlgError:
        warnings.warn(f"ordinal_model: no estimate for {inst.id} (singular information matrix, e.g. a group "
                      "answering only one code)", RuntimeWarning, stacklevel=2)
        return empty
    if not conv or not np.all(np.isfinite(params)):
        warnings.warn(f"ordinal_model: the fit for {inst.id} did not converge; read the odds ratios with care",
                      RuntimeWarning, stacklevel=2)
    conf = np.asarray(res.conf_int(alpha=0.05))
    pvalues = np.asarray(res.pvalues)
    n, n_resp = int(freq["weight"].sum()), int(rows["respondent_id"].nunique())
    out = []
    with np.errstate(over="ignore"):   # a separated group gives an infinite odds ratio, not a warning per term
        odds, low, high = np.exp(params), np.exp(conf[:, 0]), np.exp(conf[:, 1])
    for j, term in enumerate(exog.columns):
        variable, level = term.split("[T.", 1)
        out.append({"term": term, "variable": variable, "level": level[:-1], "reference": levels[variable][0],
                    "odds_ratio": float(odds[j]), "ci_low": float(low[j]), "ci_high": float(high[j]),
                    "p": float(pvalues[j]), "n": n, "n_respondents": n_resp})
    return pd.DataFrame(out, columns=MODEL_COLUMNS)

"""Change across evaluation phases (baseline -> interim -> final), measured on linked respondents.

* :func:`change_between`: where pseudonymous respondent ids link two phases, the paired
  change is tested with the Wilcoxon signed-rank test (``scipy.stats.wilcoxon``,
  ``zero_method="pratt"``: zero differences are kept in the ranking and dropped from the
  rank sums, Pratt 1959). This row (``design == "paired"``) is the only one that
  measures *change*. The answers that cannot be linked are compared as independent
  samples with the Mann–Whitney test (``scipy.stats.mannwhitneyu``); that row
  (``design == "independent"``) is a *difference between samples* (e.g. people who left
  vs people who joined) and is never described as change. With ``combined=True`` a
  third row (``design == "partially_paired"``) gives one estimate from all answers: the
  partially overlapping samples t-test of Derrick et al. (2017), see
  :func:`partially_overlapping_t`.
* :func:`phase_summary`: mean score per phase with a t-based 95 % interval, for the
  trajectory figure.
* :func:`ordinal_model`: ordinal logistic regression (statsmodels ``OrderedModel``,
  ``distr="logit"``) of the answer on phase and role, as odds ratios with 95 % intervals,
  respondent-clustered so that linked and unlinked respondents can be modelled together.

Every change row carries ``mean_diff = mean_to - mean_from`` (the direction a sentence
may state) and ``effect_measure`` naming its effect size (``rank_biserial`` or
``cohen_d_av``), whose size words follow one documented rule each
(:mod:`osallisuus.findings`).

References
----------
Pratt, J. W. (1959). Remarks on zeros and ties in the Wilcoxon signed rank procedures.
JASA 54(287), 655-667.
Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric
correlation. Comprehensive Psychology 3, 11.IT.3.1.
Derrick, B., Russ, B., Toher, D. & White, P. (2017). Test statistics for the comparison of
means for two samples that include both paired and independent observations. Journal of
Modern Applied Statistical Methods 16(1), 137-157. doi:10.22237/jmasm/1493597280.
Cumming, G. (2012). Understanding the new statistics: Effect sizes, confidence intervals, and
meta-analysis. Routledge (d_av with the root mean square of the two SDs, as R's
``effectsize::rm_d(method = "av")``).
Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative science.
Frontiers in Psychology 4, 863 (whose d_av divides by the plain mean of the two SDs instead).
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import special, stats
from statsmodels.base.model import LikelihoodModelResults
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.sandwich_covariance import cov_cluster
from statsmodels.tools.numdiff import approx_fprime

from .coded import text_codes
from .compare import rank_biserial
from .instruments import PHASES, Instrument
from .scoring import (_instrument, _level_codes, item_matrix, keyed_codes, mean_gives_count, score, score_column,
                      valid_answers)
from .suppression import Suppression
from .tables import caution_flags, score_bounds

__all__ = ["CHANGE_COLUMNS", "ZERO_METHOD", "paired_rank_biserial", "partially_overlapping_t", "change_between",
           "phase_summary", "ordinal_model"]

SCORE = "__score__"
CHANGE_COLUMNS = ["item", "test", "design", "from_phase", "to_phase", "n", "n_pairs", "n_from", "n_to",
                  "mean_from", "mean_to", "mean_diff", "median_diff", "statistic", "df", "p", "effect",
                  "effect_measure", "zero_method", "suppressed"]
ZERO_METHOD = "pratt"
SUMMARY_COLUMNS = ["n", "mean", "sd", "ci_low", "ci_high", "suppressed", "caution", "clipped", "pinned"]
MODEL_COLUMNS = ["term", "variable", "level", "reference", "odds_ratio", "ci_low", "ci_high", "p", "n",
                 "n_respondents"]


def paired_rank_biserial(diff: np.ndarray, zero_method: str = ZERO_METHOD) -> float:
    """Matched-pairs rank-biserial correlation of paired differences (later - earlier).

    Kerby's (2014) simple difference formula ``r = (R+ - R-) / T`` on the ranks of
    ``|diff|``. With ``zero_method="pratt"`` (default, as the test) zero differences are
    ranked with the others (Pratt 1959), count in neither R+ nor R-, and ``T`` is the sum
    of all ranks ``n(n + 1)/2`` including theirs, so unchanged respondents pull r towards
    0. With ``"wilcox"`` zero differences are dropped before ranking. Positive when the
    values mostly increased (in rank-weighted terms: r can be positive while the mean
    falls, when many small rises meet one large fall); 0.0 when every difference is zero;
    NaN without pairs.

    Examples
    --------
    Hand calculation (Pratt): differences 1, 2, -3, 0 rank as 2, 3, 4 and 1 (the zero
    ranks 1), so R+ = 5, R- = 4, T = 10 and r = 0.1; dropping the zero ("wilcox") ranks
    1, 2, 3 and gives r = 0. Six rises of 1 and one fall of 10: the rises tie at rank
    3.5 (R+ = 21), the fall ranks 7 (R- = 7), r = 14 / 28 = 0.5 although the mean
    difference is (6 - 10) / 7 < 0.

    >>> paired_rank_biserial(np.array([1.0, 2.0, -3.0, 0.0]))
    0.1
    """
    if zero_method not in ("pratt", "wilcox"):
        raise ValueError(f"zero_method must be 'pratt' or 'wilcox', got {zero_method!r}")
    d = np.asarray(diff, dtype=float)
    if len(d) == 0:
        return np.nan
    if zero_method == "wilcox":
        d = d[d != 0]
    if len(d) == 0 or not np.any(d):
        return 0.0
    ranks = stats.rankdata(np.abs(d))
    return float((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum())


def partially_overlapping_t(unpaired_from, unpaired_to, paired_from, paired_to, equal_var: bool = False) -> dict:
    """Partially overlapping samples t-test (Derrick, Russ, Toher & White 2017).

    One test of ``mean(to) - mean(from)`` using every answer: ``n_c`` linked respondents
    (``paired_from[i]`` and ``paired_to[i]`` belong to the same person) and ``n_a``, ``n_b``
    respondents seen only in the earlier / later phase.

    With ``n_1 = n_a + n_c`` and ``n_2 = n_b + n_c`` all values of each phase, their means
    and sample sd ``S_1``, ``S_2``, and ``r`` the Pearson correlation of the ``n_c`` pairs,
    the statistic (Welch form, ``T_new2``, default) is::

        t = (mean_2 - mean_1) / sqrt(S_1^2/n_1 + S_2^2/n_2 - 2 r S_1 S_2 n_c / (n_1 n_2))
        df = (n_c - 1) + (gamma - n_c + 1) / (n_a + n_b + 2 n_c) * (n_a + n_b)

    where ``gamma`` is the Welch-Satterthwaite df of the two phases. With
    ``equal_var=True`` (``T_new1``) the pooled sd replaces S_1 and S_2 and
    ``df = (n_c - 1) + (n_a + n_b + n_c - 1) / (n_a + n_b + 2 n_c) * (n_a + n_b)``.
    p is two-sided from Student's t (scipy). With no unpaired answers it is the paired
    t-test; with no pairs it is Welch's (or Student's) t-test.

    Assumptions (Derrick et al. 2017): answers of different respondents are independent;
    the linked respondents' two answers are correlated as estimated by ``r``; respondents
    who answered only once are missing completely at random, i.e. they come from the same
    population as the linked ones (if leavers differ from stayers, the estimate mixes
    change with a difference between people); the means are approximately normal (the
    authors report robust type I error for n_c >= 5 with Likert-type data, Derrick 2017).

    Returns
    -------
    dict
        ``mean_from``, ``mean_to``, ``mean_diff`` (to - from), ``statistic`` (t), ``df``,
        ``p``, ``effect`` (Cohen's d_av: ``mean_diff / sqrt((S_1^2 + S_2^2)/2)``, Cumming
        2012; Lakens 2013 divides by ``(S_1 + S_2)/2``), ``n_pairs``, ``n_from`` (n_1), ``n_to`` (n_2). NaN statistics when the
        variance is zero or a phase has fewer than two values.

    Examples
    --------
    Special cases are checked against scipy (tests): no unpaired values equals
    ``scipy.stats.ttest_rel``; no pairs equals ``ttest_ind(equal_var=False)``; a partially
    linked sample against a hand calculation (and the R package Partiallyoverlapping's
    ``Partover.test``, formula as above).
    """
    xa, xb = np.asarray(unpaired_from, float), np.asarray(unpaired_to, float)
    pc1, pc2 = np.asarray(paired_from, float), np.asarray(paired_to, float)
    if len(pc1) != len(pc2):
        raise ValueError(f"partially_overlapping_t: {len(pc1)} paired 'from' values but {len(pc2)} 'to' values")
    na, nb, nc = len(xa), len(xb), len(pc1)
    x1, x2 = np.concatenate([xa, pc1]), np.concatenate([xb, pc2])
    n1, n2 = len(x1), len(x2)
    out = {"mean_from": float(x1.mean()) if n1 else np.nan, "mean_to": float(x2.mean()) if n2 else np.nan,
           "statistic": np.nan, "df": np.nan, "p": np.nan, "effect": np.nan,
           "n_pairs": nc, "n_from": n1, "n_to": n2}
    out["mean_diff"] = out["mean_to"] - out["mean_from"]
    if n1 < 2 or n2 < 2:
        return out
    s1, s2 = x1.std(ddof=1), x2.std(ddof=1)
    r = 0.0
    if nc >= 2 and pc1.std() > 0 and pc2.std() > 0:
        r = float(stats.pearsonr(pc1, pc2).statistic)
    if equal_var:
        sp = np.sqrt(((n1 - 1) * s1 ** 2 + (n2 - 1) * s2 ** 2) / (n1 + n2 - 2))
        var = sp ** 2 * (1 / n1 + 1 / n2 - 2 * r * nc / (n1 * n2))
        df = (nc - 1) + (na + nb + nc - 1) / (na + nb + 2 * nc) * (na + nb)
    else:
        v1, v2 = s1 ** 2 / n1, s2 ** 2 / n2
        var = v1 + v2 - 2 * r * s1 * s2 * nc / (n1 * n2)
        gamma = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1)) if v1 + v2 > 0 else np.nan
        df = (nc - 1) + (gamma - nc + 1) / (na + nb + 2 * nc) * (na + nb)
    sd_av = np.sqrt((s1 ** 2 + s2 ** 2) / 2)
    if sd_av > 0:
        out["effect"] = float(out["mean_diff"] / sd_av)
    if not var > 0 or not df > 0:
        return out
    tval = out["mean_diff"] / np.sqrt(var)
    out.update(statistic=float(tval), df=float(df), p=float(2 * stats.t.sf(abs(tval), df)))
    return out


def _as_list(by) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _check_columns(data: pd.DataFrame, cols: Sequence[str], where: str) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValueError(f"{where}: column(s) {missing} not in the data; columns are {list(data.columns)}")


def _small(suppression: Suppression | None, n: int) -> bool:
    return bool(suppression is not None and suppression.is_small(n))


def _in_phases(data: pd.DataFrame, phases: list[str]) -> pd.DataFrame:
    """The rows of ``phases`` (compared as text, once per distinct value)."""
    codes, labels = text_codes(data["phase"])
    return data[np.isin(labels, phases)[codes]] if len(codes) else data


def _linked(person: np.ndarray, before: np.ndarray, after: np.ndarray) -> tuple[np.ndarray, ...]:
    """Of the rows ``before`` and ``after`` (positions, one per person in each), the linked pairs
    (before's rows sorted by person, after's in the same persons' order) and the unlinked rows."""
    linked_a, linked_b = np.isin(person[before], person[after]), np.isin(person[after], person[before])
    pa, pb = before[linked_a], after[linked_b]
    pa = pa[np.argsort(person[pa], kind="stable")]
    pb = pb[np.argsort(person[pb], kind="stable")]
    return pa, pb, before[~linked_a], after[~linked_b]


def _wilcoxon_row(a: np.ndarray, b: np.ndarray, suppression, method: str = "auto") -> dict:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = len(a)
    diff = b - a
    mean_from, mean_to = float(a.mean()), float(b.mean())
    row = {"test": "wilcoxon", "design": "paired", "n": n, "n_pairs": n, "n_from": n, "n_to": n,
           "mean_from": mean_from, "mean_to": mean_to, "mean_diff": mean_to - mean_from,
           "median_diff": float(np.median(diff)), "statistic": np.nan, "df": np.nan, "p": np.nan,
           "effect": np.nan, "effect_measure": "rank_biserial", "zero_method": ZERO_METHOD,
           "suppressed": _small(suppression, n)}
    if row["suppressed"]:
        row.update(mean_from=np.nan, mean_to=np.nan, mean_diff=np.nan, median_diff=np.nan)
        return row
    if not np.any(diff):   # nobody changed: no test (scipy cannot rank all-zero differences)
        row.update(effect=0.0)
        return row
    statistic, p = _signed_rank_test(diff, method)
    row.update(statistic=statistic, p=p, effect=paired_rank_biserial(diff))
    return row


_PERMUTED_UP_TO = 13    # scipy's "auto": at most this many differences with ties or zeros -> all 2^n signs


def _signed_rank_test(diff: np.ndarray, method: str) -> tuple[float, float]:
    """``scipy.stats.wilcoxon(diff, zero_method=ZERO_METHOD, method=method)``: statistic and p.

    With ``method="auto"`` scipy tests at most 13 differences with ties or zeros exactly, by a
    permutation test over all 2^n sign patterns, and evaluates its statistic once per pattern in
    Python (about 2 s for n = 13). That same test is run here through
    :func:`scipy.stats.permutation_test` with scipy's statistic computed for all patterns at once
    (:func:`_positive_rank_sum`): the same p-value in milliseconds (tests compare the two).
    """
    permuted = (method == "auto" and len(diff) <= _PERMUTED_UP_TO and np.isfinite(diff).all()
                and (not np.all(diff) or len(np.unique(np.abs(diff))) < len(diff)))
    with np.errstate(invalid="ignore", divide="ignore"):
        res = stats.wilcoxon(diff, zero_method=ZERO_METHOD, alternative="two-sided",
                             method="asymptotic" if permuted else method)
    if not permuted:
        return float(res.statistic), float(res.pvalue)
    exact = stats.permutation_test((diff,), _positive_rank_sum, permutation_type="samples", vectorized=True,
                                   n_resamples=9999, alternative="two-sided", axis=-1)
    return float(res.statistic), float(exact.pvalue)


def _positive_rank_sum(d: np.ndarray, axis: int = -1) -> np.ndarray:
    """The signed-rank statistic the permutation test permutes, R+ (the sum of the ranks of |d|
    over the positive differences, zeros handled by ``ZERO_METHOD``), of every row at once:
    scipy's own, which is R+ for a one-sided test (the p-value computed with it is not used).

    >>> float(_positive_rank_sum(np.array([0.0, 1.0, -1.0, 2.0])))    # Pratt: ranks 1, 2.5, 2.5, 4
    6.5
    """
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore")     # about the normal approximation's p, unused here
        return stats.wilcoxon(d, zero_method=ZERO_METHOD, alternative="greater", method="asymptotic",
                              axis=axis).statistic


def _mannwhitney_row(a: np.ndarray, b: np.ndarray, suppression) -> dict:
    x, y = np.asarray(b, dtype=float), np.asarray(a, dtype=float)   # later phase = group 1
    small_from, small_to = _small(suppression, len(y)), _small(suppression, len(x))
    row = {"test": "mannwhitney", "design": "independent", "n": len(x) + len(y), "n_pairs": 0,
           "n_from": len(y), "n_to": len(x),
           "mean_from": np.nan if small_from else float(y.mean()),
           "mean_to": np.nan if small_to else float(x.mean()), "mean_diff": np.nan,
           "median_diff": np.nan, "statistic": np.nan, "df": np.nan, "p": np.nan, "effect": np.nan,
           "effect_measure": "rank_biserial", "zero_method": None, "suppressed": small_from or small_to}
    if not row["suppressed"]:
        res = stats.mannwhitneyu(x, y, alternative="two-sided")
        row.update(mean_diff=row["mean_to"] - row["mean_from"], median_diff=float(np.median(x) - np.median(y)),
                   statistic=float(res.statistic), p=float(res.pvalue),
                   effect=rank_biserial(res.statistic, len(x), len(y)))
    return row


def _partial_row(pa: np.ndarray, pb: np.ndarray, ua: np.ndarray, ub: np.ndarray, suppression) -> dict:
    res = partially_overlapping_t(ua, ub, pa, pb)
    small = _small(suppression, res["n_from"]) or _small(suppression, res["n_to"])
    row = {"test": "partial_t", "design": "partially_paired", "n": res["n_from"] + res["n_to"] - res["n_pairs"],
           **res, "median_diff": np.nan, "effect_measure": "cohen_d_av", "zero_method": None, "suppressed": small}
    if small:
        row.update({k: np.nan for k in ("mean_from", "mean_to", "mean_diff", "statistic", "df", "p", "effect")})
    return row


def change_between(data: pd.DataFrame, instrument: str | Instrument, from_phase: str = "baseline",
                   to_phase: str = "final", by: Sequence[str] | str | None = None,
                   suppression: Suppression | None = None, items: bool = True,
                   wilcoxon_method: str = "auto", combined: bool = False) -> pd.DataFrame:
    """Change of the score and of each item between two phases, on linked respondents.

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
        most 13 pairs with ties or zeros is an exact permutation test over all 2^n sign
        patterns (run with the statistic vectorised: milliseconds); at most 50 pairs without
        ties or zeros get the exact null distribution, any other sample the normal
        approximation.
    combined : bool
        Also give one estimate from all answers, linked and unlinked together
        (``test == "partial_t"``, :func:`partially_overlapping_t`), when there are
        linked pairs and unlinked answers on at least one side (default False).

    Returns
    -------
    DataFrame
        Columns ``item`` (``"__score__"`` for the score, on 0-100 where the instrument
        reports so; items on their answer codes as given), the ``by`` columns, ``test``,
        ``design``, ``from_phase``, ``to_phase``, ``n``, ``n_pairs``, ``n_from``, ``n_to``,
        ``mean_from``, ``mean_to``, ``mean_diff`` (``mean_to - mean_from``: the direction a
        sentence states), ``median_diff``, ``statistic``, ``df``, ``p``, ``effect``,
        ``effect_measure``, ``zero_method``, ``suppressed``. Up to three rows per item and
        group:

        * ``test == "wilcoxon"``, ``design == "paired"`` (the change): respondents with a
          valid value (score or answer) in both phases. ``n = n_pairs``; ``statistic`` and
          ``p`` are scipy's with ``zero_method="pratt"`` (pairs with no change are ranked
          and then left out of the rank sums, Pratt 1959; stated in ``zero_method``);
          ``median_diff`` is the median of the paired differences (later - earlier);
          ``effect`` is the matched-pairs rank-biserial correlation
          (:func:`paired_rank_biserial`, ``effect_measure == "rank_biserial"``). When
          every difference is zero there is no test (p NaN) and effect 0. Respondents whose
          value is missing in one phase are not pairs: their other value goes to the
          Mann–Whitney row.
        * ``test == "mannwhitney"``, ``design == "independent"`` (a difference between
          samples, **not** change): the values that could not be linked, as independent
          samples (``n_from``, ``n_to``; ``n`` their sum). ``statistic`` is the later
          phase's U, ``effect`` the rank-biserial correlation (positive = higher in the
          later phase) and ``median_diff`` the difference of the medians.
        * ``test == "partial_t"``, ``design == "partially_paired"`` (only with
          ``combined=True``): all answers, ``n`` respondents, ``n_from``/``n_to`` values
          per phase, Welch-type t with its ``df``, ``effect`` Cohen's d_av
          (``effect_measure == "cohen_d_av"``).

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
    sub = _in_phases(data, [from_phase, to_phase])
    out_cols = ["item", *by, *CHANGE_COLUMNS[1:]]
    wide = item_matrix(sub, inst, index=index, reverse=False)   # items on the codes as given
    if wide.empty:
        return pd.DataFrame(columns=out_cols)
    scores = score(sub, inst, index=index)   # the same sheets as ``wide``, in the same order
    wide.insert(0, SCORE, scores[score_column(inst)].to_numpy())
    targets = [SCORE] + (list(inst.rated_items) if items else [])
    rows = _change_rows(wide[targets], by, from_phase, to_phase, suppression, wilcoxon_method, combined)
    out = pd.DataFrame(rows, columns=out_cols)
    return out.astype({"suppressed": bool}) if len(out) else out


def _change_rows(wide: pd.DataFrame, by: list[str], from_phase: str, to_phase: str, suppression,
                 wilcoxon_method: str, combined: bool) -> list[dict]:
    """:func:`change_between`'s rows from its sheets x (score, items) table: per ``by`` group (in
    the levels' order), then per column, the paired test of the linked respondents, the
    independent test of the others and, if ``combined``, the estimate from both."""
    phase = np.asarray(wide.index.get_level_values("phase").astype(str))
    person, _ = _level_codes(wide.index, ["respondent_id", *by])
    group, keys = _level_codes(wide.index, by)
    values = wide.to_numpy(dtype=float)
    rows = []
    for code, key in keys.items():
        mine = group == code
        for j, item in enumerate(wide.columns):
            answered = mine & ~np.isnan(values[:, j])
            pa, pb, ua, ub = _linked(person, np.flatnonzero(answered & (phase == from_phase)),
                                     np.flatnonzero(answered & (phase == to_phase)))
            (xa, xb), (ya, yb) = (values[pa, j], values[pb, j]), (values[ua, j], values[ub, j])
            base = {"item": item, **dict(zip(by, key)), "from_phase": from_phase, "to_phase": to_phase}
            if len(xa):
                rows.append({**base, **_wilcoxon_row(xa, xb, suppression, wilcoxon_method)})
            if len(ya) and len(yb):
                rows.append({**base, **_mannwhitney_row(ya, yb, suppression)})
            if combined and len(xa) and (len(ya) or len(yb)):
                rows.append({**base, **_partial_row(xa, xb, ya, yb, suppression)})
    return rows


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
        ``mean``, ``sd`` (ddof=1), ``ci_low``, ``ci_high`` (mean ± t(ci, n-1) sd / sqrt(n),
        clipped to the score's bounds :func:`osallisuus.tables.score_bounds`; NaN for
        n < 2), ``suppressed``, ``caution`` (n < 10: mark the mean and interval as
        uncertain, :data:`osallisuus.tables.CAUTION_N`), ``clipped`` (an end of the
        interval was cut at a bound) and ``pinned`` (with ``suppression``: a one-question
        instrument's mean withheld, ``suppressed`` too, because beside its n it would give a
        count under the threshold, :func:`osallisuus.scoring.mean_gives_count`). Scores are
        on 0-100 where the instrument reports so (``scoring.score_column``).

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
    s = s[s[col].notna()]
    g = s.groupby(keys, observed=True, sort=True)[col].agg(["count", "mean", "std"])
    n = g["count"].to_numpy(dtype=float)
    mean, sd = g["mean"].to_numpy(dtype=float), g["std"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + ci / 2, n - 1) * sd / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    low, high = score_bounds(inst)
    raw_low, raw_high = mean - half, mean + half
    out = {c: g.index.get_level_values(c).astype(str) for c in keys}
    out.update(n=n.astype(int), mean=mean, sd=sd, ci_low=np.fmax(raw_low, low), ci_high=np.fmin(raw_high, high))
    small = np.atleast_1d(suppression.is_small(n)) if suppression is not None else np.zeros(len(g), bool)
    # a one-question instrument's mean beside its n may give a count of one answer (a yes/no
    # question: 0.8 of 14 is 3 no): such a group's statistics are withheld as a small group's
    pinned = np.zeros(len(g), bool)
    if suppression is not None and len(inst.rated_items) == 1:
        pinned = np.array([mean_gives_count(v, inst, suppression.threshold)
                           for _, v in s.groupby(keys, observed=True, sort=True)[col]], dtype=bool) & ~small
    small = small | pinned
    for c in ("mean", "sd", "ci_low", "ci_high"):
        out[c] = np.where(small, np.nan, out[c])
    out.update(suppressed=small.astype(bool), caution=np.asarray(caution_flags(n), dtype=bool),
               clipped=(raw_low < low) | (raw_high > high), pinned=pinned)
    return pd.DataFrame(out, columns=[*keys, *SUMMARY_COLUMNS])


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

    def cdf(self, x):
        # the logistic cdf is scipy.special.expit, which scipy.stats.logistic.cdf calls inside
        # the support (0 and 1 at -inf and inf, as here) after about 0.1 ms of argument checks
        # per call; the fit calls it thousands of times
        if self.distr is stats.logistic:
            return special.expit(x)
        return super().cdf(x)

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
        One rated item; None pools the answers to all rated items. A reverse-keyed item's code
        k is taken as ``low + high - k`` (as in its score), so that a higher code always means
        more of what the instrument measures (a review found reverse-keyed statements pooled as
        given: odds ratios 1.40 instead of 2.08). Pooled answers are clustered within respondents (one respondent
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
    The fit uses BFGS followed by one Newton-Raphson step, which gives the Newton-Raphson
    estimate with two numerical Hessians instead of one per iteration; a RuntimeWarning says
    if it did not converge.

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
    if inst.reverse_items:
        rows = rows.assign(code=keyed_codes(rows, inst))
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
            res = model.fit(method="bfgs", disp=False, maxiter=500, skip_hessian=True)
            params, conv = np.asarray(res.params), res.mle_retvals.get("converged", True)
            # one Newton step from BFGS' optimum: the estimate of a full Newton-Raphson fit with
            # two numerical Hessians (this one and the covariance's) instead of one per iteration
            step = np.linalg.solve(model.hessian(params), model.score(params))
            params = params - step
            conv = conv or bool(np.max(np.abs(step)) < 1e-6)
            hessian_inv = np.linalg.inv(model.hessian(params))
        if cluster:
            # respondent-clustered sandwich (statsmodels cov_cluster, CRV1): per-answer scores are
            # their pattern's score; the bread is the inverse Hessian of the weighted likelihood
            per_pattern = approx_fprime(params, lambda q: OrderedModel.loglikeobs(model, q), centered=True)
            groups = pd.factorize(rows["respondent_id"])[0].astype(np.int64)
            cov = cov_cluster((per_pattern[pattern], hessian_inv), groups)
        else:
            cov = -hessian_inv
        res = LikelihoodModelResults(model, params, normalized_cov_params=cov, scale=1.0)
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

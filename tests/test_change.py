"""Change across phases: Wilcoxon and Mann–Whitney against scipy, phase means against
statsmodels' DescrStatsW, OrderedModel on simulated data with a known effect."""
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.weightstats import DescrStatsW

from tests.conftest import ROLES, coded_frame  # noqa: F401
from osallisuus.change import change_between, ordinal_model, paired_rank_biserial, phase_summary
from osallisuus.suppression import Suppression

ESIS = "osallisuusindikaattori"
CUTS = [-1.5, -0.3, 0.8, 2.0]          # latent thresholds of codes 1|2, 2|3, 3|4, 4|5


_frame = coded_frame


def _esis(n_linked=30, n_unlinked=20, rise=0.6, seed=4, region=lambda r: "Lappi"):
    """Indicator answers at baseline and final: the first n_linked respondents answer both times."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_linked + n_unlinked):
        base = rng.normal(3, 0.6)
        for phase, extra in (("baseline", 0.0), ("final", rise)):
            rid = f"L{r}" if r < n_linked else f"{phase[0]}{r}"
            for i in range(1, 11):
                v = int(np.clip(round(base + extra + rng.normal(0, 0.7)), 1, 5))
                rows.append({"respondent_id": rid, "phase": phase, "instrument": ESIS, "item": f"esis{i:02d}",
                             "code": v, "role": "client" if r % 2 else "professional", "region": region(r)})
    return _frame(rows)


def _scores(data, phase):
    """Indicator score by hand: 0-100 of the mean of the valid answers (at least 8 of 10)."""
    sub = data[(data["phase"] == phase) & ~data["missing_code"] & data["code"].notna()]
    per = sub.groupby("respondent_id")["code"].agg(["mean", "count"])
    return (per.loc[per["count"] >= 8, "mean"] - 1) / 4 * 100


def _item(data, phase, item):
    sub = data[(data["phase"] == phase) & (data["item"] == item) & ~data["missing_code"]]
    return sub.set_index("respondent_id")["code"]


def test_wilcoxon_on_linked_and_mannwhitney_on_unlinked_match_scipy():
    data = _esis()
    res = change_between(data, ESIS)
    a, b = _scores(data, "baseline"), _scores(data, "final")
    linked = [f"L{r}" for r in range(30)]
    diff = (b[linked] - a[linked]).to_numpy()
    ref = stats.wilcoxon(diff, zero_method="pratt")   # issue 9: Pratt (was wilcox)
    w = res[(res["item"] == "__score__") & (res["test"] == "wilcoxon")].iloc[0]
    assert (w["n"], w["n_pairs"], w["n_from"], w["n_to"]) == (30, 30, 30, 30)
    assert (w["statistic"], w["p"]) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue, rel=1e-12))
    assert w["median_diff"] == pytest.approx(np.median(diff))
    assert (w["mean_from"], w["mean_to"]) == (pytest.approx(a[linked].mean()), pytest.approx(b[linked].mean()))
    assert w["effect"] == pytest.approx(paired_rank_biserial(diff)) and w["effect"] > 0   # scores rose
    m = res[(res["item"] == "__score__") & (res["test"] == "mannwhitney")].iloc[0]
    rest_a, rest_b = a.drop(linked), b.drop(linked)
    ref = stats.mannwhitneyu(rest_b, rest_a)                          # later phase is group 1
    assert (m["n_from"], m["n_to"], m["n"], m["n_pairs"]) == (20, 20, 40, 0)
    assert (m["statistic"], m["p"]) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue, rel=1e-12))
    assert m["effect"] == pytest.approx(2 * ref.statistic / 400 - 1) and m["effect"] > 0
    # items: the same on the answer codes
    xa, xb = _item(data, "baseline", "esis04"), _item(data, "final", "esis04")
    d = (xb[linked] - xa[linked]).to_numpy()
    wi = res[(res["item"] == "esis04") & (res["test"] == "wilcoxon")].iloc[0]
    assert wi["p"] == pytest.approx(stats.wilcoxon(d, zero_method="pratt").pvalue, rel=1e-12)
    mi = res[(res["item"] == "esis04") & (res["test"] == "mannwhitney")].iloc[0]
    assert mi["p"] == pytest.approx(stats.mannwhitneyu(xb.drop(linked), xa.drop(linked)).pvalue, rel=1e-12)
    assert list(dict.fromkeys(res["item"])) == ["__score__"] + [f"esis{i:02d}" for i in range(1, 11)]
    assert len(change_between(data, ESIS, items=False)) == 2


def test_small_tied_samples_get_scipys_exact_permutation_p_value():
    # at most 13 differences with ties or zeros: scipy's "auto" runs an exact permutation test,
    # one Python call per sign pattern; the vectorised run must give the same statistic and p
    from osallisuus.change import _signed_rank_test
    rng = np.random.default_rng(7)
    samples = [rng.choice([-3, -2, -1, 0, 0, 1, 1, 2, 3, 0.5, -1.5], size=int(n)) for n in rng.integers(2, 11, 40)]
    samples += [np.array([1, 1, 2, 0, 0, -1, 2, 3, 1, 0, 0, 2, -1.0]),      # n = 13, zeros and ties
                np.array([4.0, -1, 2.5, 3, -2, 7, 1.5, 6, 5, -0.5, 8, 9]),     # no ties: scipy's exact distribution
                rng.choice([-2, -1, 0, 1, 2], size=20).astype(float)]          # n > 13: normal approximation
    checked = 0
    for d in samples:
        if not np.any(d):
            continue
        ref = stats.wilcoxon(d, zero_method="pratt", alternative="two-sided", method="auto")
        assert _signed_rank_test(d, "auto") == (float(ref.statistic), pytest.approx(float(ref.pvalue), rel=1e-12)), d
        checked += 1
    assert checked >= 35
    assert np.isnan(_signed_rank_test(np.array([1, 1, 0, np.nan, -1, 2.0]), "auto")).all()   # as scipy: NaN


def test_respondent_missing_an_item_in_one_phase_is_not_a_pair():
    # (more than 13 pairs: scipy's "auto" uses the normal approximation, which keeps the test quick)
    data = _esis(n_linked=16, n_unlinked=10)
    drop = (data["respondent_id"] == "L0") & (data["phase"] == "final") & (data["item"] == "esis02")
    res = change_between(data[~drop], ESIS).set_index(["item", "test"])
    assert res.loc[("esis02", "wilcoxon"), "n_pairs"] == 15
    assert (res.loc[("esis02", "mannwhitney"), "n_from"], res.loc[("esis02", "mannwhitney"), "n_to"]) == (11, 10)
    assert res.loc[("__score__", "wilcoxon"), "n_pairs"] == 16        # 9 of 10 answered: still scored


def test_only_unlinked_uses_mannwhitney():
    data = _esis(n_linked=0, n_unlinked=15)
    res = change_between(data, ESIS, items=False)
    assert list(res["test"]) == ["mannwhitney"]
    a, b = _scores(data, "baseline"), _scores(data, "final")
    assert res["p"].iloc[0] == pytest.approx(stats.mannwhitneyu(b, a).pvalue)


def test_paired_rank_biserial_by_hand():
    # "wilcox": differences 1, 2, -3 (and a zero, dropped): ranks 1, 2, 3 -> (1 + 2 - 3) / 6 = 0
    assert paired_rank_biserial(np.array([1.0, 2.0, -3.0, 0.0]), zero_method="wilcox") == pytest.approx(0.0)
    # "pratt" (default since issue 9): the zero ranks 1, then 1, 2, -3 rank 2, 3, 4:
    # (2 + 3 - 4) / (1 + 2 + 3 + 4) = 0.1
    assert paired_rank_biserial(np.array([1.0, 2.0, -3.0, 0.0])) == pytest.approx(0.1)
    # differences 2, -1, 3: ranks 2, 1, 3 -> (2 + 3 - 1) / 6 = 2/3
    assert paired_rank_biserial(np.array([2.0, -1.0, 3.0])) == pytest.approx(2 / 3)
    assert paired_rank_biserial(np.array([-1.0, -2.0])) == pytest.approx(-1.0)     # decrease -> negative


def test_few_linked_pairs_suppressed_and_by_groups():
    res = change_between(_esis(n_linked=3, n_unlinked=10), ESIS, items=False, suppression=Suppression(5))
    w = res[res["test"] == "wilcoxon"].iloc[0]
    assert w["suppressed"] and w[["p", "statistic", "effect", "mean_from", "mean_to", "median_diff"]].isna().all()
    m = res[res["test"] == "mannwhitney"].iloc[0]
    assert not m["suppressed"] and m["p"] > 0
    # by region: each group's rows equal the analysis of that region alone
    data = _esis(n_linked=30, n_unlinked=12, region=lambda r: "Kainuu" if r % 3 == 0 else "Lappi")
    by = change_between(data, ESIS, by="region", items=False, suppression=Suppression(5))
    assert by["suppressed"].any() and not by["suppressed"].all()      # Kainuu has 4 + 4 unlinked
    assert list(by.columns[:3]) == ["item", "region", "test"]
    for reg in ("Kainuu", "Lappi"):
        alone = change_between(data[data["region"] == reg], ESIS, items=False, suppression=Suppression(5))
        got = by[by["region"] == reg]
        assert got["p"].to_numpy() == pytest.approx(alone["p"].to_numpy(), nan_ok=True)
        assert list(got["suppressed"]) == list(alone["suppressed"])
        assert list(got["n"]) == list(alone["n"])


def test_bad_phases_raise():
    data = _esis(n_linked=5, n_unlinked=0)
    with pytest.raises(ValueError, match="unknown phase"):
        change_between(data, ESIS, from_phase="alku")
    with pytest.raises(ValueError, match="both"):
        change_between(data, ESIS, from_phase="final", to_phase="final")
    with pytest.raises(ValueError, match="not in the data"):
        phase_summary(data, ESIS, by="kunta")


def test_phase_summary_interval_matches_descrstatsw():
    data = _esis()
    summ = phase_summary(data, ESIS)
    assert list(summ["phase"]) == ["baseline", "final"]
    summ = summ.set_index("phase")
    for phase in ("baseline", "final"):
        s = _scores(data, phase).to_numpy()
        d = DescrStatsW(s)
        low, high = d.tconfint_mean(alpha=0.05)
        row = summ.loc[phase]
        assert (row["n"], row["mean"], row["sd"]) == (len(s), pytest.approx(s.mean()), pytest.approx(s.std(ddof=1)))
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    by_role = phase_summary(data, ESIS, by="role", suppression=Suppression(30))
    assert set(by_role.columns) >= {"phase", "role", "n", "mean", "ci_low", "ci_high", "suppressed"}
    small = by_role[by_role["n"] < 30]
    assert len(small) and small["suppressed"].all() and small["mean"].isna().all()
    assert by_role.loc[by_role["n"] >= 30, "mean"].notna().all()


def _simulated(n, beta_final=1.0, beta_prof=0.0, seed=7):
    """One answer per respondent from a latent logistic model with known log-odds."""
    rng = np.random.default_rng(seed)
    final = rng.integers(0, 2, n)
    prof = rng.integers(0, 2, n)
    code = 1 + np.searchsorted(CUTS, beta_final * final + beta_prof * prof + rng.logistic(size=n))
    frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(n)],
                          "phase": np.where(final, "final", "baseline"),
                          "role": np.where(prof, "professional", "client"),
                          "instrument": ESIS, "item": "esis01", "code": code.astype(float)})
    return _frame(frame.to_dict("records"))


def test_ordered_model_recovers_known_odds_ratio():
    res = ordinal_model(_simulated(3000), ESIS).set_index("term")
    assert list(res.index) == ["phase[T.final]", "role[T.professional]"]
    final = res.loc["phase[T.final]"]
    assert final["reference"] == "baseline" and final["n"] == 3000 and final["n_respondents"] == 3000
    assert final["ci_low"] < np.e < final["ci_high"]                  # true OR e^1 = 2.718 inside the 95 % CI
    assert final["odds_ratio"] == pytest.approx(np.e, rel=0.15)
    assert final["p"] < 1e-10
    role = res.loc["role[T.professional]"]
    assert role["ci_low"] < 1 < role["ci_high"]                       # simulated with no role effect


def test_weighted_fit_equals_orderedmodel_on_expanded_rows_with_clustering():
    # respondents answer three items in one or two phases: clustered answers
    rng = np.random.default_rng(3)
    rows = []
    for r in range(250):
        u, role = rng.normal(0, 1.2), ("professional" if r % 3 == 0 else "client")
        for phase in ("baseline", "final"):
            if phase == "final" and r % 4 == 0:
                continue
            for item in ("esis01", "esis02", "esis03"):
                lat = u + (1.0 if phase == "final" else 0) + 0.3 * (role == "professional") + rng.logistic()
                rows.append({"respondent_id": f"r{r}", "phase": phase, "role": role, "instrument": ESIS,
                             "item": item, "code": float(1 + np.searchsorted(CUTS, lat))})
    data = _frame(rows)
    exog = pd.DataFrame({"final": (data["phase"] == "final").astype(float),
                         "prof": (data["role"] == "professional").astype(float)})
    model = OrderedModel(pd.Series(pd.Categorical(data["code"], ordered=True)), exog, distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = model.fit(method="bfgs", disp=False, maxiter=2000)
        clustered = model.fit(method="bfgs", disp=False, maxiter=2000, cov_type="cluster",
                              cov_kwds={"groups": pd.factorize(data["respondent_id"])[0]})
    for cluster, ref in ((False, plain), (True, clustered)):
        got = ordinal_model(data, ESIS, cluster=cluster)
        assert got["odds_ratio"].to_numpy() == pytest.approx(np.exp(ref.params.iloc[:2]).to_numpy(), rel=1e-4)
        assert got["ci_low"].to_numpy() == pytest.approx(np.exp(ref.conf_int().iloc[:2, 0]).to_numpy(), rel=1e-3)
        assert got["p"].to_numpy() == pytest.approx(ref.pvalues.iloc[:2].to_numpy(), rel=1e-2)
    assert ordinal_model(data, ESIS)["n"].iloc[0] == len(data)
    # BFGS + one Newton step gives statsmodels' own Newton-Raphson estimate on the expanded rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        newton = model.fit(method="newton", disp=False, maxiter=200)
    assert ordinal_model(data, ESIS)["odds_ratio"].to_numpy() == pytest.approx(
        np.exp(newton.params.iloc[:2]).to_numpy(), rel=1e-7)


def test_ordinal_model_drops_suppressed_roles_and_absent_levels():
    data = _simulated(400, seed=2)
    extra = _frame([{"respondent_id": f"m{i}", "phase": "final", "role": "manager", "instrument": ESIS,
                     "item": "esis01", "code": c} for i, c in enumerate((5.0, 4.0, 2.0))])
    both = pd.concat([data, extra], ignore_index=True)
    assert "role[T.manager]" in set(ordinal_model(both, ESIS)["term"])
    res = ordinal_model(both, ESIS, suppression=Suppression(5))
    assert "role[T.manager]" not in set(res["term"]) and res["n"].iloc[0] == 400
    # no baseline answers: the earliest phase present is the reference
    interim = data.assign(phase=data["phase"].cat.rename_categories({"baseline": "interim", "interim": "baseline"}))
    interim["phase"] = pd.Categorical(interim["phase"].astype(str), ["baseline", "interim", "final"], ordered=True)
    res = ordinal_model(interim, ESIS, item="esis01").set_index("term")
    assert res.loc["phase[T.final]", "reference"] == "interim"
    with pytest.raises(ValueError, match="not a rated item"):
        ordinal_model(data, ESIS, item="esis99")
    assert ordinal_model(data[data["phase"] == "final"], ESIS, covariates=("phase",)).empty


# ---------------------------------------------------------------- issue 9: linked respondents
from osallisuus.change import partially_overlapping_t  # noqa: E402
from osallisuus.compare import compare_many  # noqa: E402
from osallisuus.errors import LinkedGroupsError  # noqa: E402


def _mixed_direction_esis():
    """62 linked respondents: 60 rise by one code on one item (+2.5 points), 2 fall from all 5 to
    all 1 (-100 points). Mean score 3200/62 = 51.61 -> 3150/62 = 50.81 (falls) while the ranks
    say most people rose."""
    rows = []
    for r in range(62):
        for phase in ("baseline", "final"):
            for i in range(1, 11):
                if r < 60:
                    code = 4 if (phase == "final" and i == 1) else 3
                else:
                    code = 5 if phase == "baseline" else 1
                rows.append({"respondent_id": f"R{r}", "phase": phase, "instrument": ESIS,
                             "item": f"esis{i:02d}", "code": code, "role": "client", "region": "Lappi"})
    return _frame(rows)


def test_mean_falls_while_rank_biserial_is_positive():
    res = change_between(_mixed_direction_esis(), ESIS, items=False)
    w = res[res["test"] == "wilcoxon"].iloc[0]
    assert w["design"] == "paired" and w["zero_method"] == "pratt" and w["effect_measure"] == "rank_biserial"
    # hand: means 3200/62 and 3150/62; difference -50/62
    assert w["mean_from"] == pytest.approx(3200 / 62) and w["mean_to"] == pytest.approx(3150 / 62)
    assert w["mean_diff"] == pytest.approx(-50 / 62) and w["mean_diff"] < 0
    # hand: the 60 rises of 2.5 rank 1..60 (tied, mean rank 30.5, R+ = 1830), the two falls rank
    # 61.5 each (R- = 123): r = (1830 - 123) / 1953 = 0.874 > 0
    assert w["effect"] == pytest.approx(1707 / 1953) and w["effect"] > 0
    ref = stats.wilcoxon([2.5] * 60 + [-100.0] * 2, zero_method="pratt")
    assert w["p"] == pytest.approx(ref.pvalue, rel=1e-12) and w["p"] < 0.001


def test_partially_overlapping_t_published_example():
    # Partiallyoverlapping::Partover.test help page (Derrick, Toher & White 2017, TQMP 13(2)):
    #   a.unpaired<-c(20,21,16,18,14,12,14,17); a.paired<-c(14,15,18,20,11,19,14,15)
    #   b.unpaired<-c(10,16,18,16,15,14,13,10); b.paired<-c(15,10,15,17,13,19,12,13)
    #   Partover.test(a.unpaired,b.unpaired,a.paired,b.paired,var.equal=TRUE)   # p.value = 0.026
    a_u, a_p = [20, 21, 16, 18, 14, 12, 14, 17], [14, 15, 18, 20, 11, 19, 14, 15]
    b_u, b_p = [10, 16, 18, 16, 15, 14, 13, 10], [15, 10, 15, 17, 13, 19, 12, 13]
    res = partially_overlapping_t(a_u, b_u, a_p, b_p, equal_var=True)
    assert round(res["p"], 3) == 0.026
    # hand: df = (8 - 1) + (8 + 8 + 8 - 1) / (8 + 8 + 16) * (8 + 8) = 7 + 11.5 = 18.5;
    # means 258/16 = 16.125 and 226/16 = 14.125, difference to - from = -2
    assert res["df"] == pytest.approx(18.5)
    assert (res["mean_from"], res["mean_to"], res["mean_diff"]) == (16.125, 14.125, -2.0)
    assert (res["n_pairs"], res["n_from"], res["n_to"]) == (8, 16, 16)


def test_partially_overlapping_t_reduces_to_scipy_paired_and_welch():
    rng = np.random.default_rng(3)
    x, y = rng.normal(50, 10, 12), rng.normal(55, 14, 12)
    paired = partially_overlapping_t([], [], x, y)              # only pairs: paired t-test
    ref = stats.ttest_rel(y, x)
    assert paired["statistic"] == pytest.approx(ref.statistic) and paired["p"] == pytest.approx(ref.pvalue)
    assert paired["df"] == pytest.approx(11)
    welch = partially_overlapping_t(x, y[:9], [], [])          # no pairs: Welch's t-test
    ref = stats.ttest_ind(y[:9], x, equal_var=False)
    assert welch["statistic"] == pytest.approx(ref.statistic) and welch["p"] == pytest.approx(ref.pvalue)
    student = partially_overlapping_t(x, y[:9], [], [], equal_var=True)
    ref = stats.ttest_ind(y[:9], x, equal_var=True)
    assert student["p"] == pytest.approx(ref.pvalue) and student["df"] == pytest.approx(19)


def test_partially_linked_sample_gives_three_labelled_rows():
    data = _esis(n_linked=30, n_unlinked=20)
    res = change_between(data, ESIS, items=False, combined=True).set_index("test")
    assert res.loc["wilcoxon", "design"] == "paired"
    assert res.loc["mannwhitney", "design"] == "independent"       # a difference between samples
    part = res.loc["partial_t"]
    assert part["design"] == "partially_paired" and part["effect_measure"] == "cohen_d_av"
    a, b = _scores(data, "baseline"), _scores(data, "final")
    linked = a.index.intersection(b.index)
    ref = partially_overlapping_t(a.drop(linked).to_numpy(), b.drop(linked).to_numpy(),
                                  a[linked].to_numpy(), b[linked].reindex(a[linked].index).to_numpy())
    assert part["p"] == pytest.approx(ref["p"]) and part["n"] == 70 and part["n_pairs"] == 30
    # the combined mean difference is the difference of all scores' means (hand: pandas means)
    assert part["mean_diff"] == pytest.approx(b.mean() - a.mean())
    # d_av as R's effectsize::rm_d(method = "av") and Cumming (2012) define it: the root mean square
    # of the two phases' SDs (a review expected Lakens's plain mean of the SDs; the text says which)
    assert part["effect"] == pytest.approx((b.mean() - a.mean()) / np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2))
    for test in ("wilcoxon", "mannwhitney", "partial_t"):
        row = res.loc[test]
        assert row["mean_diff"] == pytest.approx(row["mean_to"] - row["mean_from"])


def test_compare_many_by_phase_refuses_linked_respondents():
    data = _esis(n_linked=30, n_unlinked=20)
    with pytest.raises(LinkedGroupsError, match="30 respondent.*change_between"):
        compare_many(data, ESIS, by="phase")


def test_phase_summary_interval_clipped_to_0_100_with_caution():
    # three respondents: all 5s (100), all 5s (100), nine 5s and one 4 (mean 4.9 -> 97.5)
    rows = [{"respondent_id": f"R{r}", "phase": "final", "instrument": ESIS, "item": f"esis{i:02d}",
             "code": 4 if (r == 2 and i == 1) else 5, "role": "client", "region": "Lappi"}
            for r in range(3) for i in range(1, 11)]
    res = phase_summary(_frame(rows), ESIS).iloc[0]
    lo, hi = DescrStatsW(np.array([100.0, 100.0, 97.5])).tconfint_mean()
    assert hi > 100 and res["ci_high"] == 100 and res["ci_low"] == pytest.approx(lo)
    assert res["clipped"] and res["caution"] and res["mean"] == pytest.approx(297.5 / 3)


def test_ordinal_model_equals_newton_fit_on_example_region(example_dir):
    """BFGS alone stops short of the optimum (odds ratios 1.4e-7 off here); the Newton step
    brings them to statsmodels' own Newton-Raphson fit on the individual answers (8e-9 here;
    the expanded design written out by hand: treatment coding, baseline and client as
    references)."""
    import osallisuus
    from osallisuus.scoring import valid_answers
    data = osallisuus.validate(example_dir).data
    region = data[data["region"] == data["region"].cat.categories[0]]
    got = ordinal_model(region, ESIS, cluster=False).set_index("term")
    rows = valid_answers(region, osallisuus.load_instrument(ESIS)).reset_index(drop=True)
    exog = pd.DataFrame(index=rows.index)
    for term in got.index:
        variable, level = term[:-1].split("[T.")
        exog[term] = (rows[variable].astype(str) == level).astype(float)
    endog = pd.Series(pd.Categorical(rows["code"], ordered=True), index=rows.index)
    model = OrderedModel(endog, exog, distr="logit")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        newton = model.fit(method="newton", disp=False, maxiter=200)
    want = np.exp(newton.params.iloc[:len(got)].to_numpy())
    assert got["odds_ratio"].to_numpy() == pytest.approx(want, rel=5e-8)
    assert got["ci_low"].to_numpy() == pytest.approx(np.exp(newton.conf_int().iloc[:len(got), 0].to_numpy()), rel=1e-3)


def test_ordinal_model_reverses_reverse_keyed_items_before_pooling():
    """A REDCap reviewer's instrument had two reverse-keyed statements; the pooled model took
    their codes as given (final-phase OR 1.40 where the reversed answers give 2.08). Simulated
    here: a final-phase effect of log-odds 1 on what the instrument measures, one statement
    worded the other way (its answer 6 - code). Reference: statsmodels' OrderedModel on the
    pooled answers with that statement reversed by hand."""
    from osallisuus.instruments import parse_instrument
    doc = {"id": "kaksi", "version": "1", "name": {"fi": "Kaksi", "sv": "Två", "en": "Two"}, "source": "x",
           "wording": "provisional", "scale": "samaa_mielta_5", "answer": "rating",
           "items": [{"id": "a", "text": {"fi": "A", "sv": "A", "en": "A"}},
                     {"id": "b", "reverse": True, "text": {"fi": "B", "sv": "B", "en": "B"}}]}
    inst = parse_instrument(doc, "kaksi.yaml")
    rng = np.random.default_rng(11)
    rows = []
    for i in range(1500):
        final = i % 2
        for item in ("a", "b"):
            code = 1 + int(np.searchsorted(CUTS, 1.0 * final + rng.logistic()))
            rows.append({"respondent_id": f"r{i}", "phase": "final" if final else "baseline", "role": "client",
                         "instrument": "kaksi", "item": item, "code": float(6 - code if item == "b" else code)})
    data = pd.DataFrame(rows)
    data["phase"] = pd.Categorical(data["phase"], ["baseline", "interim", "final"], ordered=True)
    data["missing_code"] = False
    got = ordinal_model(data, inst, covariates=("phase",), cluster=False).set_index("term")
    assert got.loc["phase[T.final]", "ci_low"] < np.e < got.loc["phase[T.final]", "ci_high"]
    by_hand = np.where(data["item"] == "b", 6 - data["code"], data["code"])
    exog = pd.DataFrame({"phase[T.final]": (data["phase"] == "final").astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = OrderedModel(pd.Series(pd.Categorical(by_hand, ordered=True)), exog, distr="logit").fit(
            method="newton", disp=False, maxiter=200)
    assert got.loc["phase[T.final]", "odds_ratio"] == pytest.approx(np.exp(ref.params.iloc[0]), rel=1e-6)

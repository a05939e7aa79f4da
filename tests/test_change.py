"""Change across phases: Wilcoxon and Mann–Whitney against scipy; OrderedModel on simulated data."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from osallisuus.change import change_between, ordinal_model, paired_rank_biserial, phase_summary
from osallisuus.suppression import Suppression
from tests.conftest import answers


def _esis(n_linked=30, n_unlinked=20, rise=0.6, seed=4):
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n_linked + n_unlinked):
        base = rng.normal(3, 0.6)
        for phase, extra in (("baseline", 0.0), ("final", rise)):
            rid = f"L{r}" if r < n_linked else f"{phase[0]}{r}"
            for i in range(1, 11):
                v = int(np.clip(round(base + extra + rng.normal(0, 0.7)), 1, 5))
                rows.append({"respondent_id": rid, "phase": phase, "instrument": "osallisuusindikaattori",
                             "item": f"esis{i:02d}", "value": v, "role": "client" if r % 2 else "professional"})
    return answers(rows)


def _scores(data, phase):
    d = data[data["phase"] == phase].groupby("respondent_id")["code"].mean()
    return (d - 1) / 4 * 100


def test_wilcoxon_on_linked_matches_scipy():
    data = _esis()
    res = change_between(data, "osallisuusindikaattori", items=False)
    w = res[res["test"] == "wilcoxon"].iloc[0]
    a, b = _scores(data, "baseline"), _scores(data, "final")
    linked = [f"L{r}" for r in range(30)]
    diff = (b[linked] - a[linked]).to_numpy()
    ref = stats.wilcoxon(diff, zero_method="wilcox")
    assert (w["statistic"], w["p"], w["n"]) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue), 30)
    assert w["effect"] == pytest.approx(paired_rank_biserial(diff)) and w["effect"] > 0
    m = res[res["test"] == "mannwhitney"].iloc[0]
    rest_a, rest_b = a.drop(linked), b.drop(linked)
    ref = stats.mannwhitneyu(rest_b, rest_a)
    assert (m["statistic"], m["p"], m["n_from"], m["n_to"]) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue), 20, 20)


def test_paired_rank_biserial_by_hand():
    # differences 1, 2, -3: ranks 1, 2, 3 -> (1 + 2 - 3) / 6 = 0
    assert paired_rank_biserial(np.array([1.0, 2.0, -3.0, 0.0])) == pytest.approx(0.0)
    assert paired_rank_biserial(np.array([1.0, 2.0, 3.0])) == pytest.approx(1.0)


def test_few_linked_pairs_suppressed():
    res = change_between(_esis(n_linked=3, n_unlinked=10), "osallisuusindikaattori", items=False,
                         suppression=Suppression(5))
    w = res[res["test"] == "wilcoxon"].iloc[0]
    assert w["suppressed"] and np.isnan(w["p"]) and np.isnan(w["mean_from"])


def test_phase_summary_interval_matches_t_distribution():
    data = _esis()
    summ = phase_summary(data, "osallisuusindikaattori").set_index("phase")
    s = _scores(data, "final")
    lo, hi = stats.t.interval(0.95, len(s) - 1, loc=s.mean(), scale=stats.sem(s))
    assert summ.loc["final", "mean"] == pytest.approx(s.mean())
    assert (summ.loc["final", "ci_low"], summ.loc["final", "ci_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_ordered_model_recovers_known_odds_ratio():
    # latent logistic answer with log-odds +1.0 for the final phase and 0 for role
    rng = np.random.default_rng(7)
    n = 3000
    phase = rng.integers(0, 2, n)
    latent = 1.0 * phase + rng.logistic(size=n)
    code = 1 + np.searchsorted([-1.5, -0.3, 0.8, 2.0], latent)
    rows = [{"respondent_id": f"r{i}", "phase": "final" if p else "baseline", "instrument": "osallisuusindikaattori",
             "item": "esis01", "value": int(c), "role": "client" if i % 2 else "professional"}
            for i, (p, c) in enumerate(zip(phase, code))]
    res = ordinal_model(answers(rows), "osallisuusindikaattori").set_index("term")
    final = res.loc["phase_final"]
    se = (np.log(final["ci_high"]) - np.log(final["ci_low"])) / (2 * 1.959964)
    assert abs(np.log(final["odds_ratio"]) - 1.0) < 3 * se     # within 3 standard errors of the truth
    assert final["odds_ratio"] == pytest.approx(np.e, rel=0.2)
    role = res.loc["role_professional"]
    assert role["ci_low"] < 1 < role["ci_high"]

"""Cronbach's alpha against a hand calculation, a second formula, and a simulation with a known value."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from osallisuus.reliability import cronbach_alpha, item_statistics, reliability
from osallisuus.suppression import Suppression
from tests.conftest import answers


def test_alpha_by_hand():
    # item variances: a 5/3, b 4.75/3, c 6/3 -> sum 5.25; totals 4, 8, 10, 13 -> variance 42.75/3 = 14.25
    # alpha = 3/2 * (1 - 5.25 / 14.25) = 0.947368
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [1, 3, 4, 4]})
    assert cronbach_alpha(items)["alpha"] == pytest.approx(0.947368, abs=1e-6)


def test_alpha_equals_covariance_matrix_formula():
    rng = np.random.default_rng(3)
    latent = rng.normal(size=300)
    items = pd.DataFrame({f"i{j}": np.round(latent + rng.normal(size=300)) for j in range(6)})
    cov = np.cov(items.to_numpy(), rowvar=False)
    k = cov.shape[0]
    assert cronbach_alpha(items)["alpha"] == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def test_alpha_recovers_known_population_value_and_feldt_interval():
    # one factor, loading 0.7 for all 8 standardised items: inter-item r = 0.49,
    # standardised alpha = k r / (1 + (k - 1) r) = 8 * 0.49 / (1 + 7 * 0.49) = 0.8849
    rng = np.random.default_rng(11)
    n, k, lam = 20000, 8, 0.7
    f = rng.normal(size=n)
    items = pd.DataFrame({f"i{j}": lam * f + np.sqrt(1 - lam ** 2) * rng.normal(size=n) for j in range(k)})
    res = cronbach_alpha(items)
    true = k * lam ** 2 / (1 + (k - 1) * lam ** 2)
    assert res["alpha"] == pytest.approx(true, abs=0.005)
    assert res["ci_low"] < true < res["ci_high"]
    # Feldt interval written out with scipy's F quantiles
    df1, df2 = n - 1, (n - 1) * (k - 1)
    assert res["ci_low"] == pytest.approx(1 - (1 - res["alpha"]) * stats.f.ppf(0.975, df1, df2))
    assert res["ci_high"] == pytest.approx(1 - (1 - res["alpha"]) * stats.f.ppf(0.025, df1, df2))


def test_item_statistics_corrected_correlation_and_alpha_if_deleted():
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [5, 1, 4, 2, 3]})
    stats_ = item_statistics(items)
    rest = items["b"] + items["c"]
    assert stats_.loc["a", "r_corrected"] == pytest.approx(np.corrcoef(items["a"], rest)[0, 1])
    assert stats_.loc["c", "alpha_if_deleted"] == pytest.approx(cronbach_alpha(items[["a", "b"]])["alpha"])


def test_reliability_per_phase_and_suppressed_small_group():
    rows = []
    rng = np.random.default_rng(5)
    for phase, n in (("baseline", 30), ("final", 3)):
        for r in range(n):
            base = rng.integers(2, 5)
            for i in range(1, 11):
                rows.append({"respondent_id": f"{phase}{r}", "phase": phase, "instrument": "osallisuusindikaattori",
                             "item": f"esis{i:02d}", "value": int(np.clip(base + rng.integers(-1, 2), 1, 5))})
    res = reliability(answers(rows), "osallisuusindikaattori", suppression=Suppression(5)).set_index("phase")
    assert 0 < res.loc["baseline", "alpha"] < 1 and not res.loc["baseline", "suppressed"]
    assert res.loc["final", "suppressed"] and np.isnan(res.loc["final", "alpha"])

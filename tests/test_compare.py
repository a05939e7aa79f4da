"""Group comparison against scipy and statsmodels computed independently in the test."""
import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from osallisuus.compare import compare_groups, rank_biserial
from osallisuus.findings import describe_comparison
from osallisuus.instruments import load_instrument
from osallisuus.suppression import Suppression
from tests.conftest import answers

ITEMS = ["kuulluksi", "oma_tapa", "tasavertaisuus", "osallisuus", "paatoksenteko"]


def _data(n_client=12, n_prof=14, seed=1, shift=1):
    rng = np.random.default_rng(seed)
    rows = []
    for role, n, centre in (("client", n_client, 3 + shift), ("professional", n_prof, 3)):
        for r in range(n):
            for item in ITEMS:
                v = int(np.clip(round(centre + rng.normal(0, 0.8)), 1, 5))
                rows.append({"respondent_id": f"{role}{r}", "role": role, "instrument": "kehittajaryhma_palaute",
                             "item": item, "value": v})
    rows.append({"respondent_id": "client0", "role": "client", "instrument": "kehittajaryhma_palaute",
                 "item": "kommentit", "value": float("nan"), "text": "x"})
    return answers(rows)


def _arrays(data, item):
    sub = data[(data["item"] == item) & data["code"].notna()]
    return (sub.loc[sub["role"] == "client", "code"].to_numpy(), sub.loc[sub["role"] == "professional", "code"].to_numpy())


def test_matches_scipy_and_statsmodels():
    data = _data()
    res = compare_groups(data, "kehittajaryhma_palaute").set_index("item")
    ps = []
    for item in ITEMS:
        x, y = _arrays(data, item)
        ref = stats.mannwhitneyu(x, y, alternative="two-sided")
        assert res.loc[item, "U"] == pytest.approx(ref.statistic)
        assert res.loc[item, "p"] == pytest.approx(ref.pvalue)
        ps.append(ref.pvalue)
        k = int(np.isin(x, [4, 5]).sum())
        low, high = proportion_confint(k, len(x), method="wilson")
        assert (res.loc[item, "share_pos1_low"], res.loc[item, "share_pos1_high"]) == pytest.approx((low, high))
    assert res.loc[ITEMS, "p_holm"].to_numpy() == pytest.approx(multipletests(ps, method="holm")[1])
    assert "__score__" in res.index and "kommentit" not in res.index


def test_rank_biserial_sign_and_mean_rank_form():
    x, y = np.array([4, 4, 5, 3]), np.array([2, 3, 3, 1])
    u1 = stats.mannwhitneyu(x, y).statistic
    # by hand: x=4 beats all four y twice (8), x=5 beats four (4), x=3 beats 2 and 1 and ties two 3s (3): U1 = 15
    assert u1 == 15
    r = rank_biserial(u1, len(x), len(y))
    assert r == pytest.approx(2 * 15 / 16 - 1) and r > 0            # group 1 answers higher
    ranks = stats.rankdata(np.r_[x, y])
    assert r == pytest.approx(2 * (ranks[:4].mean() - ranks[4:].mean()) / (len(x) + len(y)))
    data = _data(shift=1)
    res = compare_groups(data, "kehittajaryhma_palaute").set_index("item")
    assert (res.loc[ITEMS, "rank_biserial"] > 0).all()            # clients were simulated higher


def test_wilson_by_hand():
    # Wilson: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), k = 7, n = 10
    z, n, p = stats.norm.ppf(0.975), 10, 0.7
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    from osallisuus.compare import _wilson
    assert _wilson(7, 10) == pytest.approx((0.7, centre - half, centre + half))


def test_group_of_three_is_suppressed_everywhere():
    data = _data(n_client=12, n_prof=3)
    res = compare_groups(data, "kehittajaryhma_palaute", suppression=Suppression(5))
    assert res["suppressed"].all()
    assert res[["p", "p_holm", "rank_biserial", "share_pos2", "mean2"]].isna().all().all()
    inst = load_instrument("kehittajaryhma_palaute")
    assert all(describe_comparison(row, inst, "fi") is None for _, row in res.iterrows())

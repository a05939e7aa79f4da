"""Group comparison against scipy and statsmodels computed independently in the test."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from tests.conftest import ROLES, coded_frame  # noqa: F401
from osallisuus.compare import _wilson, compare_groups, compare_many, rank_biserial
from osallisuus.findings import describe_comparison
from osallisuus.instruments import load_instrument
from osallisuus.suppression import Suppression

ITEMS = ["kuulluksi", "oma_tapa", "tasavertaisuus", "osallisuus", "paatoksenteko"]
PAL = "kehittajaryhma_palaute"


_frame = coded_frame


def _data(n_client=12, n_prof=14, seed=1, shift=1.0, eos=True):
    """Palaute answers: clients centred ``shift`` higher; some "En osaa sanoa" (9) and a text row."""
    rng = np.random.default_rng(seed)
    rows = []
    for role, n, centre in (("client", n_client, 3 + shift), ("professional", n_prof, 3)):
        for r in range(n):
            for item in ITEMS:
                if eos and r % 5 == 1 and item == "oma_tapa":
                    rows.append({"respondent_id": f"{role}{r}", "role": role, "instrument": PAL, "item": item,
                                 "code": 9, "missing_code": True})
                    continue
                v = int(np.clip(round(centre + rng.normal(0, 0.9)), 1, 5))
                rows.append({"respondent_id": f"{role}{r}", "role": role, "instrument": PAL, "item": item, "code": v})
    rows.append({"respondent_id": "client0", "role": "client", "instrument": PAL, "item": "kommentit",
                 "code": np.nan, "text": "Hyvä ryhmä"})
    return _frame(rows)


def _arrays(data, item, by="role", g1="client", g2="professional"):
    sub = data[(data["item"] == item) & ~data["missing_code"] & data["code"].notna()]
    return (sub.loc[sub[by] == g1, "code"].to_numpy(), sub.loc[sub[by] == g2, "code"].to_numpy())


def _scores(data, role):
    """Palaute score by hand: mean of the valid answers, at least 3 of 5 answered."""
    sub = data[(data["role"] == role) & ~data["missing_code"] & data["code"].notna()]
    per = sub.groupby("respondent_id")["code"].agg(["mean", "count"])
    return per.loc[per["count"] >= 3, "mean"].to_numpy()


def test_matches_scipy_and_statsmodels():
    data = _data()
    res = compare_groups(data, PAL)
    assert list(res["item"]) == ITEMS + ["__score__"]              # instrument order, text item left out
    res = res.set_index("item")
    ps = []
    for item in ITEMS:
        x, y = _arrays(data, item)
        assert 9 not in x and 9 not in y
        ref = stats.mannwhitneyu(x, y, alternative="two-sided")
        row = res.loc[item]
        assert (row["n1"], row["n2"]) == (len(x), len(y))
        assert row["U"] == pytest.approx(ref.statistic, rel=1e-12)
        assert row["p"] == pytest.approx(ref.pvalue, rel=1e-12)
        assert (row["median1"], row["mean2"]) == (pytest.approx(np.median(x)), pytest.approx(y.mean()))
        ps.append(ref.pvalue)
        for i, arr in ((1, x), (2, y)):
            k = int(np.isin(arr, [4, 5]).sum())
            low, high = proportion_confint(k, len(arr), alpha=0.05, method="wilson")
            assert row[f"share_pos{i}"] == pytest.approx(k / len(arr))
            assert (row[f"share_pos{i}_low"], row[f"share_pos{i}_high"]) == (pytest.approx(low), pytest.approx(high))
    assert res.loc["oma_tapa", "n1"] == 12 - 3                     # three "En osaa sanoa" left out
    # Holm over the five items only; the score row keeps its own p
    assert res.loc[ITEMS, "p_holm"].to_numpy() == pytest.approx(multipletests(ps, method="holm")[1], rel=1e-12)
    x, y = _scores(data, "client"), _scores(data, "professional")
    ref = stats.mannwhitneyu(x, y)
    score = res.loc["__score__"]
    assert (score["n1"], score["n2"]) == (len(x), len(y))
    assert (score["U"], score["p"], score["p_holm"]) == (pytest.approx(ref.statistic), pytest.approx(ref.pvalue),
                                                         pytest.approx(ref.pvalue))
    assert np.isnan(score["share_pos1"]) and not res["suppressed"].any()


def test_score_row_uses_0_100_scale_for_the_indicator():
    rng = np.random.default_rng(2)
    rows = [{"respondent_id": f"{role}{r}", "role": role, "instrument": "osallisuusindikaattori",
             "item": f"esis{i:02d}", "code": int(rng.integers(1, 6))}
            for role in ("client", "professional") for r in range(8) for i in range(1, 11)]
    data = _frame(rows)
    res = compare_groups(data, "osallisuusindikaattori").set_index("item")
    means = data[data["role"] == "client"].groupby("respondent_id")["code"].mean()
    assert res.loc["__score__", "mean1"] == pytest.approx(((means - 1) / 4 * 100).mean())


def test_rank_biserial_sign_and_mean_rank_form():
    x, y = np.array([4, 4, 5, 3]), np.array([2, 3, 3, 1])
    u1 = stats.mannwhitneyu(x, y).statistic
    # by hand: each 4 beats all four y (2 * 4 = 8), 5 beats four (4), 3 beats 2 and 1 and ties two 3s (2 + 1): U1 = 15
    assert u1 == 15
    r = rank_biserial(u1, len(x), len(y))
    assert r == pytest.approx(2 * 15 / 16 - 1) and r > 0           # group 1 answers higher -> positive
    ranks = stats.rankdata(np.r_[x, y])
    assert r == pytest.approx(2 * (ranks[:4].mean() - ranks[4:].mean()) / (len(x) + len(y)))
    assert rank_biserial(stats.mannwhitneyu(y, x).statistic, 4, 4) == pytest.approx(-r)
    res = compare_groups(_data(shift=1.5), PAL).set_index("item")
    assert (res.loc[ITEMS, "rank_biserial"] > 0).all()             # clients were simulated higher
    assert (res.loc[ITEMS, "mean1"] > res.loc[ITEMS, "mean2"]).all()
    swapped = compare_groups(_data(shift=1.5), PAL, groups=("professional", "client")).set_index("item")
    assert swapped["rank_biserial"].to_numpy() == pytest.approx(-res["rank_biserial"].to_numpy())
    for item in ITEMS:                                               # mean-rank form on the real rows
        x, y = _arrays(_data(shift=1.5), item)
        ranks = stats.rankdata(np.r_[x, y])
        assert res.loc[item, "rank_biserial"] == pytest.approx(
            2 * (ranks[:len(x)].mean() - ranks[len(x):].mean()) / (len(x) + len(y)))


def test_wilson_by_hand_and_against_statsmodels():
    # Wilson: (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), k = 7, n = 10
    z, n, p = stats.norm.ppf(0.975), 10, 0.7
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert _wilson(7, 10) == pytest.approx((0.7, centre - half, centre + half))
    assert centre - half == pytest.approx(0.3968, abs=1e-4) and centre + half == pytest.approx(0.8922, abs=1e-4)
    for k, n in ((0, 6), (6, 6), (13, 40)):
        assert _wilson(k, n)[1:] == pytest.approx(proportion_confint(k, n, method="wilson"))
    assert all(np.isnan(_wilson(0, 0)))


def test_group_of_three_is_suppressed_no_p_no_shares():
    data = _data(n_client=12, n_prof=3, eos=False)
    res = compare_groups(data, PAL, suppression=Suppression(5))
    assert res["suppressed"].all()
    assert res[["U", "p", "p_holm", "rank_biserial"]].isna().all().all()
    assert res[["median2", "mean2", "share_pos2", "share_pos2_low", "share_pos2_high"]].isna().all().all()
    assert res["mean1"].notna().all()
    # group 1's share is shown unless its positive answers or the rest number 1..4 (counted here
    # with pandas from the answers): share x n would give that count back
    big = _data(n_client=40, n_prof=40, eos=False)
    hidden = []
    for answers, frame in ((data, res), (big, compare_groups(big, PAL, suppression=Suppression(5)))):
        for _, row in frame[frame["item"] != "__score__"].iterrows():
            codes = _arrays(answers, row["item"])[0]
            k, rest = int((codes >= 4).sum()), int((codes < 4).sum())
            hide = 0 < k < 5 or 0 < rest < 5
            assert bool(row["share_pos1_withheld"]) is hide and bool(np.isnan(row["share_pos1"])) is hide, (k, rest)
            if not hide:
                assert row["share_pos1"] == pytest.approx(k / (k + rest))
            hidden.append(hide)
    assert any(hidden) and not all(hidden)
    inst = load_instrument(PAL)
    assert all(describe_comparison(row, inst, "fi") is None for _, row in res.iterrows())
    # an item cell below the threshold (many "En osaa sanoa") is suppressed alone
    rows = _data(n_client=12, n_prof=12, eos=False)
    eos = (rows["role"] == "professional") & (rows["item"] == "oma_tapa") & (rows["respondent_id"] != "professional0")
    rows.loc[eos, "code"], rows.loc[eos, "missing_code"] = 9.0, True
    res = compare_groups(rows, PAL, suppression=Suppression(5)).set_index("item")
    assert res.loc["oma_tapa", "suppressed"] and np.isnan(res.loc["oma_tapa", "p"])
    assert not res.loc[["kuulluksi", "__score__"], "suppressed"].any()
    ps = [stats.mannwhitneyu(*_arrays(rows, i)).pvalue for i in ITEMS if i != "oma_tapa"]
    tested = [i for i in ITEMS if i != "oma_tapa"]
    assert res.loc[tested, "p_holm"].to_numpy() == pytest.approx(multipletests(ps, method="holm")[1])


def test_other_grouping_columns_and_compare_many():
    rng = np.random.default_rng(9)
    rows = [{"respondent_id": f"{ph}{r}", "phase": ph, "region": reg, "instrument": "arvio_4",
             "item": it, "code": int(rng.integers(1, 5))}
            for ph in ("baseline", "interim", "final") for r in range(10) for reg in ["Lappi" if r % 2 else "Kainuu"]
            for it in ("suunnittelu", "johtaminen", "kokonaisuus")]
    data = _frame(rows)
    many = compare_many(data, "arvio_4", by="phase")
    pairs = list(dict.fromkeys(zip(many["group1"], many["group2"])))
    assert pairs == [("baseline", "interim"), ("baseline", "final"), ("interim", "final")]
    for g1, g2 in pairs:
        block = many[(many["group1"] == g1) & (many["group2"] == g2)].drop(columns="by").reset_index(drop=True)
        pd.testing.assert_frame_equal(block, compare_groups(data, "arvio_4", by="phase", groups=(g1, g2)))
    ref = compare_many(data, "arvio_4", by="phase", reference="baseline")
    assert set(zip(ref["group1"], ref["group2"])) == {("interim", "baseline"), ("final", "baseline")}
    by_region = compare_groups(data, "arvio_4", by="region", groups=("Lappi", "Kainuu")).set_index("item")
    x, y = _arrays(data, "johtaminen", by="region", g1="Lappi", g2="Kainuu")
    assert by_region.loc["johtaminen", "p"] == pytest.approx(stats.mannwhitneyu(x, y).pvalue)
    assert by_region.loc["johtaminen", "share_pos1"] == pytest.approx(np.isin(x, [3, 4]).mean())


def test_bad_arguments_raise_value_errors():
    data = _data()
    with pytest.raises(ValueError, match="not in the data"):
        compare_groups(data, PAL, by="kunta")
    with pytest.raises(ValueError, match="two group values"):
        compare_groups(data, PAL, groups=("client",))
    with pytest.raises(ValueError, match="same"):
        compare_groups(data, PAL, groups=("client", "client"))
    with pytest.raises(ValueError, match="reference"):
        compare_many(data, PAL, by="role", reference="manager")
    empty = compare_groups(data, PAL, groups=("client", "manager"))   # nobody answered as manager
    assert empty["p"].isna().all() and (empty["n2"] == 0).all()

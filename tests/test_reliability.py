"""Cronbach's alpha against a hand calculation, pingouin, the covariance-matrix formula and a
simulated population with a known value; Feldt's interval against its closed form."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.conftest import ROLES, coded_frame  # noqa: F401
from osallisuus.instruments import load_instrument, parse_instrument
from osallisuus.reliability import cronbach_alpha, item_statistics, reliability
from osallisuus.suppression import Suppression



_frame = coded_frame


def _long(matrix: pd.DataFrame, instrument: str, phase: str = "final", prefix: str = "r") -> list[dict]:
    return [{"respondent_id": f"{prefix}{i}", "phase": phase, "instrument": instrument, "item": item, "code": v}
            for i, row in enumerate(matrix.itertuples(index=False)) for item, v in zip(matrix.columns, row)
            if not pd.isna(v)]


def test_alpha_by_hand():
    # a = 1,2,3,4 (var 5/3); b = 2,3,3,5 (mean 3.25, squares 1.5625+.0625+.0625+3.0625 = 4.75 -> var 4.75/3);
    # c = 1,3,4,4 (mean 3, squares 4+0+1+1 = 6 -> var 6/3); sum of item variances 15.75/3 = 5.25
    # totals 4, 8, 10, 13 (mean 8.75, squares 22.5625+.5625+1.5625+18.0625 = 42.75) -> var 14.25
    # alpha = 3/2 * (1 - 5.25/14.25) = 1.5 * 0.631579 = 0.947368
    items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 5], "c": [1, 3, 4, 4]})
    res = cronbach_alpha(items)
    assert res["alpha"] == pytest.approx(0.947368, abs=1e-6)
    assert (res["n"], res["k"]) == (4, 3)


def test_alpha_and_feldt_interval_equal_pingouin():
    pg = pytest.importorskip("pingouin")
    rng = np.random.default_rng(3)
    latent = rng.normal(size=150)
    items = pd.DataFrame({f"i{j}": np.clip(np.round(3 + latent + rng.normal(size=150)), 1, 5) for j in range(6)})
    items.iloc[[3, 17, 40], [1, 4, 2]] = np.nan                       # listwise deletion drops 3 rows
    res = cronbach_alpha(items)
    ref_alpha, ref_ci = pg.cronbach_alpha(items, nan_policy="listwise")
    assert res["n"] == 147
    assert res["alpha"] == pytest.approx(ref_alpha, abs=1e-12)
    assert (res["ci_low"], res["ci_high"]) == (pytest.approx(ref_ci[0], abs=6e-4), pytest.approx(ref_ci[1], abs=6e-4))


def test_alpha_equals_covariance_matrix_formula():
    # independent route: alpha = k/(k-1) * (1 - trace(C) / sum(C)) from numpy's covariance matrix
    rng = np.random.default_rng(4)
    latent = rng.normal(size=300)
    items = pd.DataFrame({f"i{j}": np.round(latent + rng.normal(size=300)) for j in range(6)})
    cov = np.cov(items.to_numpy(), rowvar=False)
    k = cov.shape[0]
    assert cronbach_alpha(items)["alpha"] == pytest.approx(k / (k - 1) * (1 - np.trace(cov) / cov.sum()), rel=1e-12)


def test_alpha_recovers_known_population_value_and_feldt_closed_form():
    # one-factor model, loading 0.7 on 8 standardised items: inter-item r = 0.49, so the
    # population (standardised) alpha is k r / (1 + (k - 1) r) = 3.92 / 4.43 = 0.884876
    rng = np.random.default_rng(11)
    n, k, lam = 20000, 8, 0.7
    f = rng.normal(size=n)
    items = pd.DataFrame({f"i{j}": lam * f + np.sqrt(1 - lam ** 2) * rng.normal(size=n) for j in range(k)})
    res = cronbach_alpha(items)
    rbar = lam ** 2
    true = k * rbar / (1 + (k - 1) * rbar)
    assert true == pytest.approx(0.884876, abs=1e-6)
    assert res["alpha"] == pytest.approx(true, abs=0.005)
    assert res["ci_low"] < true < res["ci_high"]
    # Feldt: 1 - (1 - alpha) * F quantiles with df (n - 1, (n - 1)(k - 1)), written out with scipy
    df1, df2 = n - 1, (n - 1) * (k - 1)
    assert res["ci_low"] == pytest.approx(1 - (1 - res["alpha"]) * stats.f.ppf(0.975, df1, df2), rel=1e-12)
    assert res["ci_high"] == pytest.approx(1 - (1 - res["alpha"]) * stats.f.ppf(0.025, df1, df2), rel=1e-12)
    narrow = cronbach_alpha(items, ci=0.5)
    assert res["ci_low"] < narrow["ci_low"] < narrow["ci_high"] < res["ci_high"]


def test_item_statistics_against_independent_computation():
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 5, 4], "c": [5, 1, 4, 2, 3, np.nan],
                          "d": [1, 3, 3, 4, 5, 2]})
    out = item_statistics(items)
    complete = items.dropna()
    assert list(out.index) == ["a", "b", "c", "d"] and (out["n"] == 5).all()
    for col in items.columns:
        rest = complete.drop(columns=col).sum(axis=1)
        assert out.loc[col, "r_corrected"] == pytest.approx(np.corrcoef(complete[col], rest)[0, 1], rel=1e-12)
        assert out.loc[col, "alpha_if_deleted"] == pytest.approx(
            cronbach_alpha(complete.drop(columns=col))["alpha"], rel=1e-12)
    assert out.loc["c", "r_corrected"] < 0                      # c runs against the others


def test_item_statistics_alpha_if_deleted_equals_pingouin():
    pg = pytest.importorskip("pingouin")
    items = pd.DataFrame({"a": [1, 2, 3, 4, 5, 3], "b": [2, 2, 3, 5, 5, 4], "c": [5, 1, 4, 2, 3, 2],
                          "d": [1, 3, 3, 4, 5, 2]})
    out = item_statistics(items)
    for col in items.columns:
        assert out.loc[col, "alpha_if_deleted"] == pytest.approx(pg.cronbach_alpha(items.drop(columns=col))[0])


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="at least two items"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(ValueError, match="between 0 and 1"):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 2]}), ci=95)
    with pytest.raises(ValueError, match="numeric"):
        cronbach_alpha(pd.DataFrame({"a": ["x", "y"], "b": ["1", "2"]}))
    data = _frame(_long(pd.DataFrame({"esis01": [1, 2, 3], "esis02": [2, 2, 4]}), "osallisuusindikaattori"))
    with pytest.raises(ValueError, match="not in the data"):
        reliability(data, "osallisuusindikaattori", by=("kunta",))
    # degenerate but valid input: no variance / one complete case -> NaN, not an error
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [2, 2, 2], "b": [3, 3, 3]}))["alpha"])
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1, np.nan], "b": [2, 3]}))["alpha"])


def test_reliability_per_phase_equals_cronbach_on_the_item_matrix_and_suppresses_small_groups():
    rng = np.random.default_rng(5)
    inst = load_instrument("osallisuusindikaattori")
    rows, mats = [], {}
    for phase, n in (("baseline", 40), ("interim", 3), ("final", 25)):
        latent = rng.normal(size=n)
        m = pd.DataFrame({it: np.clip(np.round(3 + latent + rng.normal(0, 0.8, n)), 1, 5) for it in inst.rated_items})
        m.iloc[0, 2] = np.nan                                   # one skipped item: that sheet is not complete
        mats[phase] = m
        rows += _long(m, inst.id, phase, prefix=phase[0])
    res = reliability(_frame(rows), inst, suppression=Suppression(5)).set_index("phase")
    assert list(res.index) == ["baseline", "interim", "final"]
    for phase in ("baseline", "final"):
        ref = cronbach_alpha(mats[phase])
        assert res.loc[phase, "alpha"] == pytest.approx(ref["alpha"], rel=1e-12)
        assert res.loc[phase, "ci_low"] == pytest.approx(ref["ci_low"], rel=1e-12)
        assert (res.loc[phase, "n"], res.loc[phase, "k"]) == (len(mats[phase]) - 1, 10)
        assert not res.loc[phase, "suppressed"]
    assert res.loc["interim", "suppressed"]
    assert res.loc["interim", ["alpha", "ci_low", "ci_high"]].isna().all()
    # without suppression the small group is computed; by=() gives one row for all data
    assert not np.isnan(reliability(_frame(rows), inst).set_index("phase").loc["interim", "alpha"])
    assert len(reliability(_frame(rows), inst, by=())) == 1


def test_reliability_excludes_missing_codes_and_applies_reverse_keys():
    rng = np.random.default_rng(8)
    latent = rng.normal(size=30)
    items = ["kuulluksi", "oma_tapa", "tasavertaisuus", "osallisuus", "paatoksenteko"]
    m = pd.DataFrame({it: np.clip(np.round(3 + latent + rng.normal(0, 0.7, 30)), 1, 5) for it in items})
    rows = _long(m, "kehittajaryhma_palaute")
    # "En osaa sanoa" (code 9) counts as not answered: respondent r0 is no longer complete
    rows = [r for r in rows if not (r["respondent_id"] == "r0" and r["item"] == "oma_tapa")]
    rows.append({"respondent_id": "r0", "instrument": "kehittajaryhma_palaute", "item": "oma_tapa", "code": 9,
                 "missing_code": True})
    rows.append({"respondent_id": "r1", "instrument": "kehittajaryhma_palaute", "item": "kommentit",
                 "code": np.nan, "text": "hyvä"})
    # issue 9: alpha only for instruments declared reflective; the palaute set declares no
    # measurement model, so this test declares it reflective in a copy of its YAML document
    import yaml
    from osallisuus.settings import package_data
    doc = yaml.safe_load(package_data("instruments/kehittajaryhma_palaute.yaml").read_text(encoding="utf-8"))
    pal = parse_instrument({**doc, "measurement": "reflective"}, "test")
    res = reliability(_frame(rows), pal, by=()).iloc[0]
    assert res["n"] == 29 and res["k"] == 5 and res["n_sheets"] == 30 and res["missing_rule"] == "listwise"
    assert res["alpha"] == pytest.approx(cronbach_alpha(m.iloc[1:])["alpha"], rel=1e-12)

    # an instrument with a reverse-keyed item: alpha is that of the reversed matrix
    text = {"fi": "x", "sv": "x", "en": "x"}
    doc = {"id": "testi_rev", "wording": "seed", "source": "test", "name": text, "scale": "palaute5",
           "items": [{"id": it, "text": text, **({"reverse": True} if it == "oma_tapa" else {})} for it in items],
           "scoring": {"method": "mean", "min_answered": 3}, "measurement": "reflective"}
    inst = parse_instrument(doc, "test")
    flipped = m.copy()
    flipped["oma_tapa"] = 6 - m["oma_tapa"]                      # stored answers run the other way
    got = reliability(_frame(_long(flipped, "testi_rev")), inst, by=()).iloc[0]
    assert got["alpha"] == pytest.approx(cronbach_alpha(m)["alpha"], rel=1e-12)


# ---------------------------------------------------------------- issue 9
def test_alpha_only_for_reflective_instruments():
    m = pd.DataFrame({"a": [1, 2, 3, 4, 2], "b": [2, 3, 3, 5, 2], "c": [1, 3, 4, 4, 1]})
    assert load_instrument("osallisuusindikaattori").reflective and load_instrument("soc_g10").reflective
    for formative in ("arvio_4", "osallisuus_24"):
        inst = load_instrument(formative)
        assert inst.measurement == "formative" and not inst.reflective
        items = inst.rated_items[:3]
        rows = _long(m.set_axis(items, axis=1), formative)
        out = reliability(_frame(rows), inst)
        assert out.empty and "formative" in out.attrs["reason"]


def test_bad_measurement_key_is_a_clear_error():
    from osallisuus.errors import InstrumentError
    text = {"fi": "x", "sv": "x", "en": "x"}
    doc = {"id": "t", "wording": "seed", "source": "s", "name": text, "scale": "palaute5",
           "items": [{"id": "a", "text": text}], "measurement": "reflexive"}
    with pytest.raises(InstrumentError, match="measurement 'reflexive'; expected one of reflective, formative"):
        parse_instrument(doc, "t.yaml")


def test_missing_data_rule_and_interval_versus_pingouin():
    pingouin = pytest.importorskip("pingouin")
    # 6 sheets, one incomplete: listwise n = 5 (hand). Feldt with n = 5, k = 3 by hand from
    # scipy's F: 1 - (1 - alpha) * F.ppf(0.975, 4, 8) and 1 - (1 - alpha) * F.ppf(0.025, 4, 8)
    m = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 5, np.nan], "c": [1, 3, 4, 4, 5, 3]})
    res = cronbach_alpha(m)
    complete = m.dropna()
    assert res["n"] == 5
    low = 1 - (1 - res["alpha"]) * stats.f.ppf(0.975, 4, 8)
    high = 1 - (1 - res["alpha"]) * stats.f.ppf(0.025, 4, 8)
    assert (res["ci_low"], res["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    # pingouin listwise: the same alpha, but its interval uses n = 6 rows (documented difference)
    p_alpha, p_ci = pingouin.cronbach_alpha(m, nan_policy="listwise")
    assert p_alpha == pytest.approx(res["alpha"])
    assert p_ci[0] == pytest.approx(1 - (1 - res["alpha"]) * stats.f.ppf(0.975, 5, 10), abs=5e-4)
    assert p_ci[0] > res["ci_low"]                      # pingouin's interval is narrower
    # pingouin pairwise (its default): alpha from pairwise covariances differs from ours
    assert pingouin.cronbach_alpha(m)[0] != pytest.approx(res["alpha"])
    assert pingouin.cronbach_alpha(complete)[0] == pytest.approx(res["alpha"])   # complete data: all agree


def test_reliability_note_states_rule_and_n():
    from osallisuus.reliability import reliability_note
    row = {"n": 42, "n_sheets": 54}
    assert "n = 42/54" in reliability_note(row, "fi") and "Feldt" in reliability_note(row, "fi")
    assert "complete answer sheets" in reliability_note(row, "en") and "n = 42/54" in reliability_note(row, "sv")


def test_subscale_alpha_equals_pingouin_on_its_own_items():
    """A REDCap reviewer asked for the subscales' alphas (only the whole instrument's was shown).
    SOC-G-10's 'hallittavuus' is soc05..soc07: its alpha is pingouin's on those three columns of
    the complete sheets; an unknown subscale is a clear error."""
    pg = pytest.importorskip("pingouin")
    inst = load_instrument("soc_g10")
    rng = np.random.default_rng(11)
    latent = rng.normal(size=80)
    m = pd.DataFrame({i: np.clip(np.round(4 + latent + rng.normal(size=80)), 1, 7) for i in inst.rated_items})
    m.iloc[[2, 9], [5]] = np.nan                                       # two sheets lack soc06
    m.iloc[[4], [0]] = np.nan                                          # one lacks soc01 (another subscale)
    got = reliability(_frame(_long(m, "soc_g10")), inst, by=(), subscale="hallittavuus").iloc[0]
    ref_alpha, _ = pg.cronbach_alpha(m[["soc05", "soc06", "soc07"]], nan_policy="listwise")
    assert got["instrument"] == "soc_g10:hallittavuus" and (got["n"], got["k"]) == (78, 3)
    assert got["alpha"] == pytest.approx(ref_alpha, abs=1e-12)
    with pytest.raises(ValueError, match="no subscale 'voice'"):
        reliability(_frame(_long(m, "soc_g10")), inst, by=(), subscale="voice")

"""Holm over a declared primary family across instruments; exploratory rows unadjusted."""
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from osallisuus.errors import FamilyError
from osallisuus.multiplicity import adjust_family, adjust_report, default_family, family_note


def _tests():
    # two instruments' score comparisons and a change test are primary; items are exploratory
    return pd.DataFrame({
        "instrument": ["a", "a", "a", "b", "b", "b"],
        "item": ["__score__", "q1", "q2", "__score__", "q1", "__score__"],
        "test": ["mannwhitney", "mannwhitney", "mannwhitney", "mannwhitney", "mannwhitney", "wilcoxon"],
        "p": [0.01, 0.004, 0.2, 0.04, np.nan, 0.03],
    })


def test_primary_family_is_adjusted_together_across_instruments():
    t = _tests()
    t["family"] = default_family(t)
    out = adjust_family(t)
    primary = out["family"].eq("primary").to_numpy()
    # hand calculation: 0.01, 0.03, 0.04 -> x3, x2, x1 = 0.03, 0.06, 0.04 -> running max 0.03, 0.06, 0.06
    assert out.loc[primary, "p_holm"].round(10).tolist() == [0.03, 0.06, 0.06]
    # second reference: statsmodels on the same three p-values
    np.testing.assert_allclose(out.loc[primary, "p_holm"], multipletests([0.01, 0.04, 0.03], method="holm")[1])
    # exploratory rows keep their p and get no adjusted p, but are labelled
    assert out.loc[~primary, "p_holm"].isna().all()
    assert out.loc[~primary, "p"].tolist()[:2] == [0.004, 0.2]
    assert set(out.loc[~primary, "family"]) == {"exploratory"}
    assert out.attrs["family_size"] == 3
    assert {"p", "p_holm", "family"} <= set(out.columns)


def test_untested_primary_row_stays_out_of_the_family():
    t = pd.DataFrame({"item": ["__score__", "__score__"], "p": [0.02, np.nan]})
    t["family"] = default_family(t)
    out = adjust_family(t)
    assert out["p_holm"].iloc[0] == pytest.approx(0.02) and np.isnan(out["p_holm"].iloc[1])
    assert out.attrs["family_size"] == 1


def test_bad_family_label_names_the_row():
    t = pd.DataFrame({"p": [0.1, 0.2], "family": ["primary", "secondary"]})
    with pytest.raises(FamilyError, match="row 2 has family 'secondary'"):
        adjust_family(t)
    with pytest.raises(FamilyError, match="column 'family' is missing"):
        adjust_family(pd.DataFrame({"p": [0.1]}))


def test_custom_primary_rule_and_note():
    t = _tests()
    t["family"] = default_family(t, lambda row: row["test"] == "wilcoxon")
    assert t["family"].tolist() == ["exploratory"] * 5 + ["primary"]
    out = adjust_family(t)
    assert out["p_holm"].iloc[-1] == pytest.approx(0.03)
    for lang, one in (("fi", "yksi testi"), ("sv", "ett enda test"), ("en", "one test")):   # a family of one test
        assert one in family_note(out, lang) and "Holm" in family_note(out, lang)


def test_default_family_for_a_change_table_is_the_paired_score_test():
    t = pd.DataFrame({"item": ["__score__"] * 3 + ["q1"], "design": ["paired", "independent", "partially_paired",
                                                                      "paired"], "p": [0.01, 0.02, 0.03, 0.04]})
    assert default_family(t).tolist() == ["primary", "exploratory", "exploratory", "exploratory"]


def test_adjust_report_spans_instruments_and_kinds():
    change_a = pd.DataFrame({"item": ["__score__", "__score__", "q1"], "design": ["paired", "independent", "paired"],
                             "p": [0.01, 0.5, 0.001]})
    roles_b = pd.DataFrame({"item": ["q1", "__score__"], "p": [0.02, 0.02]})
    out = adjust_report({("a", "change"): change_a, ("b", "roles"): roles_b, ("c", "change"): pd.DataFrame()})
    primary = out[out["family"] == "primary"]
    assert list(zip(primary["instrument"], primary["kind"])) == [("a", "change"), ("b", "roles")]
    # hand: 0.01 and 0.02 -> x2, x1 = 0.02, 0.02 (running max)
    assert primary["p_holm"].tolist() == pytest.approx([0.02, 0.02])
    np.testing.assert_allclose(primary["p_holm"], multipletests([0.01, 0.02], method="holm")[1])
    assert out.loc[out["family"] == "exploratory", "p_holm"].isna().all() and len(out) == 5


def test_holm_by_hand_and_leaves_the_heap_as_it_was():
    import gc

    from osallisuus.multiplicity import holm
    assert gc.get_freeze_count() == 0          # nothing leaves the heap frozen (tests/test_heap.py)
    # by hand: sorted 0.01, 0.03, 0.04 -> 3*0.01 = 0.03, 2*0.03 = 0.06, max(1*0.04, 0.06) = 0.06
    assert np.allclose(holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])
    assert gc.get_freeze_count() == 0          # frozen only during the call
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        made = [[i] for i in range(200)]          # tracked objects a second freeze would add
        holm([0.2, 0.01])
        # a caller's freeze is left alone: neither unfrozen (0) nor frozen again (+200); a frozen
        # object whose last reference goes meanwhile leaves the count, so it may fall by a few
        assert frozen - 100 <= gc.get_freeze_count() <= frozen and len(made) == 200
    finally:
        gc.unfreeze()

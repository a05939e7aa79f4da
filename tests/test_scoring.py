"""Scoring on hand-calculated examples (the arithmetic is in each test)."""
import math

import numpy as np
import pytest

from osallisuus.instruments import load_instrument, parse_instrument
from osallisuus.scoring import item_matrix, score
from tests.conftest import answers


def _sheet(instrument, values: dict, rid="R1", **kw):
    return [{"respondent_id": rid, "instrument": instrument, "item": item, "value": v,
             "missing": v == 9, **kw} for item, v in values.items()]


def test_feedback_form_mean_leaves_out_en_osaa_sanoa():
    # (5 + 4 + 3) / 3 = 4.0; "En osaa sanoa" (9) is not an answer
    data = answers(_sheet("kehittajaryhma_palaute", {"kuulluksi": 5, "oma_tapa": 4, "tasavertaisuus": 9, "osallisuus": 3}))
    s = score(data, "kehittajaryhma_palaute")
    assert s.loc[0, "score"] == pytest.approx(4.0) and s.loc[0, "n_answered"] == 3


def test_min_answered_gives_no_score():
    # min_answered is 3: two valid answers (5, 4) and one EOS is not enough
    data = answers(_sheet("kehittajaryhma_palaute", {"kuulluksi": 5, "oma_tapa": 4, "tasavertaisuus": 9}))
    assert math.isnan(score(data, "kehittajaryhma_palaute").loc[0, "score"])


def test_participation_indicator_0_100():
    # ten answers 5,5,4,4,4,3,3,4,5,4: mean 41/10 = 4.1 -> (4.1 - 1) / 4 * 100 = 77.5
    vals = [5, 5, 4, 4, 4, 3, 3, 4, 5, 4]
    data = answers(_sheet("osallisuusindikaattori", {f"esis{i + 1:02d}": v for i, v in enumerate(vals)}))
    s = score(data, "osallisuusindikaattori")
    assert s.loc[0, "score"] == pytest.approx(4.1)
    assert s.loc[0, "score_0_100"] == pytest.approx(77.5)


def test_participation_indicator_missing_rule_default_8_of_10():
    eight = {f"esis{i:02d}": 3 for i in range(1, 9)}      # 8 answered -> (3-1)/4*100 = 50
    seven = {f"esis{i:02d}": 3 for i in range(1, 8)}      # 7 answered -> no score
    data = answers(_sheet("osallisuusindikaattori", eight, rid="A") + _sheet("osallisuusindikaattori", seven, rid="B"))
    s = score(data, "osallisuusindikaattori").set_index("respondent_id")
    assert s.loc["A", "score_0_100"] == pytest.approx(50.0)
    assert math.isnan(s.loc["B", "score_0_100"])


def test_soc_g10_subscales():
    soc = load_instrument("soc_g10")
    values = {item: (i % 7) + 1 for i, item in enumerate(soc.item_ids)}   # 1..7,1,2,3
    data = answers(_sheet("soc_g10", values))
    s = score(data, "soc_g10").iloc[0]
    assert s["score"] == pytest.approx(np.mean(list(values.values())))
    for sid, sub in soc.subscales.items():
        assert s[sid] == pytest.approx(np.mean([values[m] for m in sub["items"]]))


def test_reverse_keyed_item_and_prorated_sum():
    doc = {"id": "t", "wording": "provisional", "source": "test", "scale": "semanttinen_7",
           "name": {"fi": "t", "sv": "t", "en": "t"},
           "items": [{"id": f"q{i}", "text": {"fi": "x", "sv": "x", "en": "x"}, "reverse": i == 2} for i in (1, 2, 3)],
           "scoring": {"method": "sum", "min_answered": 2}}
    inst = parse_instrument(doc, "test")
    rows = [{"respondent_id": "R", "instrument": "t", "item": "q1", "value": 6},
            {"respondent_id": "R", "instrument": "t", "item": "q2", "value": 2},   # reversed: 1 + 7 - 2 = 6
            {"respondent_id": "S", "instrument": "t", "item": "q1", "value": 4},
            {"respondent_id": "S", "instrument": "t", "item": "q3", "value": 5}]
    data = answers(rows)
    wide = item_matrix(data, inst)
    assert wide.loc[("R", "Lappi", "final", "client"), "q2"] == 6
    s = score(data, inst).set_index("respondent_id")
    assert s.loc["R", "score"] == pytest.approx((6 + 6) / 2 * 3)   # prorated sum of 3 items
    assert s.loc["S", "score"] == pytest.approx((4 + 5) / 2 * 3)


def test_four_point_rating_and_school_grade():
    # arvio_4: 4, 3, EOS -> (4 + 3) / 2 = 3.5 ; grade 8
    data = answers(_sheet("arvio_4", {"suunnittelu": 4, "resursointi": 3, "johtaminen": 9})
                   + _sheet("kouluarvosana", {"arvosana": 8}))
    assert score(data, "arvio_4").loc[0, "score"] == pytest.approx(3.5)
    assert score(data, "kouluarvosana").loc[0, "score"] == 8


def test_helper_questions_rating_by_area():
    o24 = load_instrument("osallisuus_24")
    values = {item.id: (4 if item.area == list(o24.extra["areas"])[0] else 2) for item in o24.items}
    data = answers(_sheet("osallisuus_24", values))
    s = score(data, "osallisuus_24").iloc[0]
    assert s["score"] == pytest.approx(np.mean(list(values.values())))
    first_area = list(o24.extra["areas"])[0]
    assert s[first_area] == 4


def test_scores_of_the_example_match_a_pandas_pivot():
    """Every rated instrument of the example data, every respondent and subscale, against a
    second computation with pandas: ``pivot_table(aggfunc="first")`` of the valid answers,
    reverse keys, then ``DataFrame.mean``/``count`` and the instrument's ``min_answered``."""
    import osallisuus
    from osallisuus.scoring import DEFAULT_INDEX
    from tests.conftest import EXAMPLE
    data = osallisuus.validate(EXAMPLE).data
    checked = 0
    for inst_id in sorted(data["instrument"].astype(str).unique()):
        inst = load_instrument(inst_id)
        if not inst.rated_items:
            continue
        rows = data[(data["instrument"].astype(str) == inst_id) & data["code"].notna()
                    & ~data["missing_code"].astype(bool) & data["item"].astype(str).isin(inst.rated_items)]
        wide = rows.assign(item=rows["item"].astype(str)).pivot_table(
            index=list(DEFAULT_INDEX), columns="item", values="code", aggfunc="first", observed=True)
        for item in inst.reverse_items:
            if item in wide:
                wide[item] = inst.scale.low + inst.scale.high - wide[item]
        got = score(data, inst).set_index(list(DEFAULT_INDEX))
        groups = {"score": (list(inst.rated_items), inst.min_answered)}
        for sid, sub in inst.subscales.items():
            members = [m for m in sub["items"] if m in inst.rated_items]
            groups[sid] = (members, max(1, math.ceil(inst.min_answered * len(members) / len(inst.rated_items))))
        for column, (items, least) in groups.items():
            part = wide.reindex(columns=items)
            expected = part.mean(axis=1).where(part.count(axis=1) >= least)
            if inst.method != "mean":
                expected = expected * len(items)
            np.testing.assert_allclose(got.loc[expected.index, column].to_numpy(dtype=float),
                                       expected.to_numpy(dtype=float), rtol=1e-12, equal_nan=True)
            checked += 1
        assert (got.loc[wide.index, "n_answered"].to_numpy() == wide.count(axis=1).to_numpy()).all()
    assert checked >= 6


@pytest.mark.parametrize("index", [["respondent_id", "region", "phase", "role"], ["respondent_id", "phase"],
                                   ["phase", "role"], ["region"]])
def test_item_matrix_rows_are_pandas_groups_in_order(index):
    """The answer sheets (rows of ``item_matrix``) are found from category codes, not by a
    groupby: the same rows, keys, key types and order as ``pivot_table(aggfunc="first",
    observed=True)`` (which groups), here also with a missing role in some rows (no sheet)."""
    import pandas as pd

    import osallisuus
    from tests.conftest import EXAMPLE
    data = osallisuus.validate(EXAMPLE).data.copy()
    data.loc[data.index[:40], "role"] = np.nan          # a key missing: those answers are on no sheet
    for inst_id in ("osallisuusindikaattori", "soc_g10"):
        inst = load_instrument(inst_id)
        got = item_matrix(data, inst, index=index, reverse=False)
        rows = data[(data["instrument"] == inst_id) & data["code"].notna() & ~data["missing_code"]
                    & data["item"].isin(inst.rated_items)]
        expected = (rows.assign(item=rows["item"].astype(str))
                    .pivot_table(index=index, columns="item", values="code", aggfunc="first", observed=True)
                    .reindex(columns=inst.rated_items))
        expected.columns.name = None
        pd.testing.assert_frame_equal(got, expected, check_index_type=True)

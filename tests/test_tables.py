"""likert_table against Taulukko 3 of seed 004 (THL 2018), whose counts and means are printed."""
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest

from osallisuus.suppression import Suppression
from osallisuus.tables import TOTAL, likert_display, likert_table
from tests.conftest import answers

# Taulukko 3: Erittäin hyvin, Melko hyvin, Melko huonosti, Erittäin huonosti, En osaa sanoa; Keskiarvo
TAULUKKO_3 = {
    "suunnittelu": ([1, 3, 1, 0, 0], "3,0"), "resursointi": ([1, 1, 3, 0, 0], "2,6"),
    "aikataulutus": ([1, 3, 1, 0, 0], "3,0"), "johtaminen": ([0, 3, 2, 0, 0], "2,6"),
    "tyopajat_maakunnissa": ([3, 2, 0, 0, 0], "3,6"), "ohjausryhman_tyopajat": ([2, 3, 0, 0, 0], "3,4"),
    "ohjausryhman_tyoskentely": ([1, 3, 1, 0, 0], "3,0"), "kokeilujen_tukeminen": ([0, 5, 0, 0, 0], "3,0"),
    "arviointi": ([3, 2, 0, 0, 0], "3,6"), "digityokalu": ([0, 3, 1, 1, 0], "2,4"),
    "kokonaisuus": ([1, 3, 1, 0, 0], "3,0"),
}
CODES = [4, 3, 2, 1, 9]


def taulukko_3_answers():
    rows = []
    for item, (counts, _) in TAULUKKO_3.items():
        r = 0
        for code, c in zip(CODES, counts):
            for _ in range(c):
                rows.append({"respondent_id": f"m{r}", "instrument": "arvio_4", "item": item, "value": code,
                             "missing": code == 9, "role": "manager"})
                r += 1
    return answers(rows)


def test_reproduces_taulukko_3():
    table = likert_table(taulukko_3_answers(), "arvio_4")
    labels = ["Erittäin hyvin", "Melko hyvin", "Melko huonosti", "Erittäin huonosti", "En osaa sanoa"]
    assert list(table.columns[:5]) == labels
    for item, (counts, mean_text) in TAULUKKO_3.items():
        assert table.loc[item, labels].tolist() == counts
        assert f"{table.loc[item, 'mean']:.1f}".replace(".", ",") == mean_text
        assert table.loc[item, "n"] == sum(counts[:4])
    # Yhteensä: 13, 31, 10, 1, 0 and mean 3,0 (166 / 55)
    assert table.loc[TOTAL, labels].tolist() == [13, 31, 10, 1, 0]
    assert table.loc[TOTAL, "mean"] == pytest.approx(166 / 55)


def test_displayed_in_finnish_form():
    columns, rows, notes, totals = likert_display(likert_table(taulukko_3_answers(), "arvio_4"), "fi")
    assert columns == ["Erittäin hyvin", "Melko hyvin", "Melko huonosti", "Erittäin huonosti", "En osaa sanoa",
                       "n", "Keskiarvo*"]
    assert rows[totals[0]] == ["Yhteensä", "13", "31", "10", "1", "0", "55", "3,0"]   # Taulukko 3, seed 004
    assert any(r[-1] == "2,6" for r in rows)
    assert "Asteikko: 4 = erittäin hyvin, 1 = erittäin huonosti" in notes[0]


def test_en_osaa_sanoa_counted_but_not_in_mean():
    data = answers([{"respondent_id": f"r{i}", "instrument": "arvio_4", "item": "suunnittelu", "value": v,
                     "missing": v == 9} for i, v in enumerate([4, 4, 9, 9, 2])])
    row = likert_table(data, "arvio_4").loc["suunnittelu"]
    assert row["En osaa sanoa"] == 2 and row["n"] == 3 and row["mean"] == pytest.approx(10 / 3)
    assert row["median"] == 4


def test_grouped_by_role_and_suppressed():
    rows = [{"respondent_id": f"c{i}", "instrument": "arvio_4", "item": "suunnittelu", "value": 3, "role": "client"}
            for i in range(6)]
    rows += [{"respondent_id": f"p{i}", "instrument": "arvio_4", "item": "suunnittelu", "value": 2, "role": "professional"}
             for i in range(3)]
    table = likert_table(answers(rows), "arvio_4", by="role", suppression=Suppression(5))
    assert table.loc[("client", "suunnittelu"), "mean"] == 3
    prof = table.loc[("professional", "suunnittelu")]
    assert prof["suppressed"] and np.isnan(prof["mean"]) and np.isnan(prof["Melko huonosti"])


def test_small_counts_complementary_suppression():
    counts = pd.DataFrame([[12, 3, 9, 0], [7, 8, 6, 10], [2, 9, 11, 8]], columns=list("abcd"))
    mask = Suppression(5, small_counts=True).mask_counts(counts)
    assert mask.loc[0, "b"] and mask.loc[2, "a"]        # primary: 3 and 2
    # no row or column may have exactly one hidden cell (else a total gives it back)
    assert not (mask.sum(axis=1) == 1).any() and not (mask.sum(axis=0) == 1).any()
    assert not mask.loc[0, "d"]                          # zero reveals nobody: never needed


# ---------------------------------------------------------------- issue 9
from statsmodels.stats.weightstats import DescrStatsW  # noqa: E402

from osallisuus.instruments import load_instrument  # noqa: E402
from osallisuus.tables import (bounded_t_interval, caution_flags, distribution_shares, ordinal_note,  # noqa: E402
                               score_bounds)

# Row headings of Taulukko 3 exactly as printed in seed 004 (THL 2018), in instrument order
PRINTED_FI = ["Suunnittelu", "Resursointi", "Aikataulutus", "Johtaminen", "Työpajat maakunnissa (syksy 2016)",
              "Ohjausryhmän työpajat (2 kpl)", "Ohjausryhmän työskentely", "Paikallisten kokeilujen tukeminen",
              "Hankkeen arviointi (THL)", "Citruksen tuottama AKF työkalu", "Hankkeen toteutuminen kokonaisuudessaan"]


def test_taulukko_3_items_keep_their_printed_wording():
    inst = load_instrument("arvio_4")
    assert [inst.item_text(i, "fi") for i in inst.rated_items] == PRINTED_FI
    _, rows, _, _ = likert_display(likert_table(taulukko_3_answers(), "arvio_4"), "fi")
    assert "Citruksen tuottama AKF työkalu" in [r[0] for r in rows]


def test_distribution_shares_beside_means():
    table = likert_table(taulukko_3_answers(), "arvio_4")
    shares = distribution_shares(table)
    # hand: Resursointi 1, 1, 3, 0 of 5 -> 20 %, 20 %, 60 %, 0 %
    assert shares.loc["resursointi", ["Erittäin hyvin", "Melko hyvin", "Melko huonosti", "Erittäin huonosti"]
                      ].tolist() == pytest.approx([0.2, 0.2, 0.6, 0.0])
    assert shares.loc["resursointi", "Melko huonosti %"] == "60\u00a0%"
    # hand: the total row 13, 31, 10, 1 of 55: 13/55 = 23.6 % -> 24 %, 31/55 = 56.4 % -> 56 %
    assert shares.loc[TOTAL, "Erittäin hyvin %"] == "24\u00a0%" and shares.loc[TOTAL, "Melko hyvin %"] == "56\u00a0%"
    assert shares.loc["resursointi", "mean"] == pytest.approx(2.6) and shares.loc["resursointi", "caution"]
    assert not shares.loc[TOTAL, "caution"]                        # n = 55
    # a tie: 5 of 8 "Melko hyvin" with 3 "En osaa sanoa" -> 5/5 valid = 100 %, EOS 3/8 = 37.5 % -> 38 %
    data = answers([{"respondent_id": f"r{i}", "instrument": "arvio_4", "item": "suunnittelu", "value": v,
                     "missing": v == 9} for i, v in enumerate([3] * 5 + [9] * 3)])
    row = distribution_shares(likert_table(data, "arvio_4", lang="en", total=False)).loc["suunnittelu"]
    assert row["Fairly well %"] == "100%" and row["Fairly well"] == 1.0
    assert row.filter(like="%").tolist() == ["0%", "100%", "0%", "0%", "38%"]     # the last: En osaa sanoa
    assert row.iloc[-5] == pytest.approx(3 / 8)                                      # its share of all 8


def test_caution_below_ten():
    assert caution_flags([0, 9, 10, 55]).tolist() == [True, True, False, False]
    assert caution_flags(float("nan")) is True


def test_interval_respects_scale_bounds():
    # hand: 95, 100, 100 -> mean 98.333, sd 2.8868, t(0.975, 2) = 4.3027: 98.333 +- 7.171
    res = bounded_t_interval([95, 100, 100], 0, 100)
    lo, hi = DescrStatsW(np.array([95.0, 100, 100])).tconfint_mean()
    assert lo == pytest.approx(98.3333 - 4.302653 * 2.886751 / np.sqrt(3), rel=1e-5) and hi > 100
    assert res["ci_low"] == pytest.approx(lo) and res["ci_high"] == 100 and res["clipped"] and res["caution"]
    inside = bounded_t_interval([40, 50, 60, 55, 45, 50, 52, 48, 47, 53], 0, 100)
    lo, hi = DescrStatsW(np.array([40.0, 50, 60, 55, 45, 50, 52, 48, 47, 53])).tconfint_mean()
    assert (inside["ci_low"], inside["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))
    assert not inside["clipped"] and not inside["caution"]
    assert score_bounds("osallisuusindikaattori") == (0.0, 100.0) and score_bounds("arvio_4") == (1.0, 4.0)


def test_ordinal_note_names_reference_and_direction():
    model = pd.DataFrame({"term": ["phase[T.final]", "role[T.professional]"], "variable": ["phase", "role"],
                          "level": ["final", "professional"], "reference": ["baseline", "client"]})
    fi, en = ordinal_note(model, "fi"), ordinal_note(model, "en")
    assert "vaihe: alkuarviointi" in fi and "rooli: asiakkaat" in fi and "yli 1" in fi
    assert "phase: baseline" in en.lower() and "above 1 means" in en and "higher answers" in en


def _reader_ranges(shown: list[list[str]], ns: list[str], means: list[str], values, respondents: int, total: int):
    """A reader's integer programme, built from the printed table only (scipy's milp, not the
    package's engine): printed counts fixed, '<5' 1..4, '..' at least 5, a printed n the sum of
    the valid cells ('..': at least 5), a printed mean rounded half up to one decimal, the total
    row the sum of the item rows, and each item row's answers (missing column included) at most
    the respondents printed elsewhere. Returns the (min, max) of every '<5' cell."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    r, c, nv = len(shown), len(shown[0]), len(values)
    idx = lambda i, j: i * c + j  # noqa: E731
    lo, hi = np.zeros(r * c), np.full(r * c, 10_000.0)
    rows, low, high = [], [], []

    def add(coef: dict, a, b):
        row = np.zeros(r * c)
        for k, v in coef.items():
            row[k] = v
        rows.append(row), low.append(a), high.append(b)
    for i in range(r):
        for j in range(c):
            text = shown[i][j]
            lo[idx(i, j)], hi[idx(i, j)] = (1, 4) if text == "<5" else (5, 10_000) if text == ".." else (int(text),) * 2
        valid = {idx(i, j): 1 for j in range(nv)}
        add(valid, *((5, 10_000) if ns[i] == ".." else (int(ns[i]),) * 2))
        if means[i] != "..":
            m = float(means[i].replace(",", "."))
            add({idx(i, j): values[j] - (m - 0.05) for j in range(nv)}, -1e-9, np.inf)
            add({idx(i, j): values[j] - (m + 0.05) for j in range(nv)}, -np.inf, -1e-6)
        if i != total:
            add({idx(i, j): 1 for j in range(c)}, 0, respondents)
    for j in range(c):
        add({**{idx(i, j): -1 for i in range(r) if i != total}, idx(total, j): 1}, 0, 0)
    cons = LinearConstraint(np.array(rows), low, high)
    out = {}
    for i, j in ((i, j) for i in range(r) for j in range(c) if shown[i][j] == "<5"):
        cost = np.zeros(r * c)
        cost[idx(i, j)] = 1
        ends = [milp(s * cost, constraints=cons, integrality=np.ones(r * c), bounds=Bounds(lo, hi)) for s in (1, -1)]
        out[(i, j)] = (round(ends[0].fun), round(-ends[1].fun))
    return out


def _printed(counts, values, p):
    """The texts a reader sees: cells, n and means, as a report prints them."""
    nv = len(values)
    shown = [["<5" if p.primary[i, j] else ".." if p.hidden[i, j] else str(counts[i, j]) for j in range(counts.shape[1])]
             for i in range(len(counts))]
    ns = [".." if p.n_hidden[i] else str(counts[i, :nv].sum()) for i in range(len(counts))]
    means = [".." if p.mean_hidden[i] else
             str(Decimal(str(np.dot(counts[i, :nv], values) / counts[i, :nv].sum())).quantize(Decimal("0.1"), ROUND_HALF_UP))
             for i in range(len(counts))]
    return shown, ns, means


@pytest.mark.parametrize("counts, respondents", [
    ([[6, 10, 8, 1], [5, 9, 10, 0]], 25),          # n 24 of 25 respondents: one "En osaa sanoa" at most
    ([[7, 12, 20, 18, 3], [9, 14, 18, 20, 1], [5, 20, 22, 13, 2]], 60),
    ([[10, 20, 20, 18, 1], [12, 20, 20, 17, 0]], 69)])   # a privacy review's Etelä-Karjala case
def test_missing_answers_are_not_pinned_by_the_respondents(counts, respondents):
    """An item's n printed beside the respondents of the phase (Taulukko 1) bounded its "En osaa
    sanoa" cell: n = 68 of 69 respondents made a '<5' exactly 1 (a privacy review). With the
    respondents given, every '<5' cell of the printed table is still 1..4 to a reader who knows
    all of it (checked with scipy's milp, built from the printed texts), and the missing
    column's total is hidden with it (with the rows' n it told how many answered)."""
    from osallisuus.disclosure import protect_table
    counts = np.array(counts + [list(np.sum(counts, axis=0))])
    values, total = list(range(1, counts.shape[1])), len(counts) - 1
    p = protect_table(counts, values, total_row=total, respondents=respondents)
    shown, ns, means = _printed(counts, values, p)
    assert any(row[-1] == "<5" for row in shown[:-1]) and shown[-1][-1] in ("..", "<5")
    for cell, (low, high) in _reader_ranges(shown, ns, means, values, respondents, total).items():
        assert (low, high) == (1, 4), (cell, low, high, shown, ns, means)
    if respondents == 25:     # without the respondents the reader would have had the cell exactly
        plain = protect_table(counts, values, total_row=total)
        assert (1, 1) in _reader_ranges(*_printed(counts, values, plain), values, respondents, total).values()


def test_reverse_worded_statements_are_marked_and_not_added_up():
    """A REDCap reviewer's instrument had two negative statements: the answer table's total row
    added 'Completely agree' with a positive and with a negative statement as the same answer,
    so its mean (3.0 here) was neither the score's direction nor any statement's. By hand: 10
    people agree fully (5) with 'I was heard' and 10 disagree fully (1) with 'I was ignored';
    the pooled row would read mean (50 + 10) / 20 = 3.0, where every answer is the best one."""
    from osallisuus.instruments import parse_instrument
    doc = {"id": "own", "wording": "provisional", "source": "test", "scale": "samaa_mielta_5",
           "name": {"fi": "Oma", "sv": "Egen", "en": "Own"},
           "items": [{"id": "heard", "text": {"fi": "Minua kuultiin", "sv": "Jag blev hörd", "en": "I was heard"}},
                     {"id": "ignored", "reverse": True,
                      "text": {"fi": "Minut ohitettiin", "sv": "Jag blev förbigången", "en": "I was ignored"}}]}
    inst = parse_instrument(doc, "test")
    rows = [{"respondent_id": f"r{i}", "instrument": "own", "item": item, "value": value}
            for i in range(10) for item, value in (("heard", 5), ("ignored", 1))]
    table = likert_table(answers(rows), inst, lang="en")
    assert TOTAL not in table.index and table.attrs["no_total"] == "reverse"
    assert table.loc["heard", "mean"] == 5 and table.loc["ignored", "mean"] == 1
    columns, body, notes, totals = likert_display(table, "en", None, inst)
    assert [r[0] for r in body] == ["I was heard", "I was ignored (reverse-worded)"] and totals == []
    assert any("no total row" in n for n in notes), notes
    fi = likert_display(likert_table(answers(rows), inst, lang="fi"), "fi", None, inst)
    assert fi[1][1][0] == "Minut ohitettiin (käänteinen)" and any("yhteensä-riviä" in n for n in fi[2])
    # an instrument without reverse-worded statements keeps its total row and says nothing of them
    doc["items"][1].pop("reverse")
    plain = likert_display(likert_table(answers(rows), parse_instrument(doc, "test"), lang="en"), "en", None,
                           parse_instrument(doc, "test"))
    assert plain[3] == [2] and not any("reverse" in n for n in plain[2])

"""likert_table against Taulukko 3 of seed 004 (THL 2018), whose counts and means are printed."""
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

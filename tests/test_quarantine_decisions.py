"""Quarantine decisions for a tricky mix of rows, against reasons written out by hand.

Guards the vectorised validator (issue 12): every rule, stripped spaces, aliases, a value valid
on one scale but not on another, several reasons on one row in their order, duplicates found
only after stripping and alias mapping, a bad date that keeps its answer, a moved free text and
a short (ragged) row. The same rows given as a frame of plain text columns (the interactive
path) must give the same decisions as the file read by the reader.
"""
import numpy as np
import pandas as pd
import pytest

from osallisuus.survey import read_answers
from osallisuus.validation import check_answers, validate

HEADER = "respondent_id;region;phase;role;instrument;item;value;group;date;text"
ROWS = [  # spreadsheet row 2 onwards
    "A1;Lappi;final;asiakas;arvio_4;suunnittelu;Melko hyvin;;;",                 # 2 accepted
    " A1 ;Lappi ;Loppu;CLIENT;arvio_4;suunnittelu;4;;;",                          # 3 duplicate of 2
    "A2;Mars;mid;kummi;arvio_4;resursointi;7;;;",                                 # 4 three reasons
    ";Lappi;t0;client;arvio_4;resursointi;3,0;;;",                                # 5 empty id only
    "A3;Lappi;baseline;client;kehittajaryhma_palaute;kommentit;Hyvä ryhmä;;;",    # 6 text moved, accepted
    "A3;Lappi;baseline;client;kehittajaryhma_palaute;kuulluksi;;;;",              # 7 empty rated answer
    "A4;Lappi;baseline;client;kehittajaryhma_palaute;kommentit;;;;",              # 8 empty text item
    "A4;Lappi;baseline;client;arvio_5;q1;x;;;",                                   # 9 unknown instrument
    "A4;Lappi;baseline;client;arvio_4;budjetti;Hyvin;;;",                         # 10 unknown item
    "A5;Lappi;interim;client;arvio_4;kokonaisuus;En osaa sanoa;;31.02.2026;",     # 11 bad date, accepted
    "A5;Lappi;interim;client;arvio_4;kokonaisuus;5;;2026-06-01;",                 # 12 5 not on arvio_4
    "A5;Lappi;interim;client;kehittajaryhma_palaute;kuulluksi;5;;;",              # 13 5 fine on palaute5
    "A6;Lappi;final;client;arvio_4;johtaminen;1",                                 # 14 short row, accepted
    "A6;Lappi;final;client;arvio_4;johtaminen;Erittäin huonosti;;;",              # 15 duplicate of 14
    "A7;Lappi;final;client;arvio_4;suunnittelu; Fairly well ;;;",                 # 16 accepted (English label)
]
ARVIO_4 = ("(expected a code 1–4 / 9 or an answer label: Very well, Fairly well, Fairly poorly, Very poorly, "
           "Can't say)")
ROLES = "client, professional, manager, organisation, other / asiakkaat, ammattilaiset, johto, järjestöt, muut"
DUP = ("respondent {r} already answered arvio_4 in phase final on row {first} of the same file (duplicate: the first "
       "answer is kept; two different people with the same code must be fixed in the codes)")
EMPTY = "empty answer (expected a value or a text)"


def expected_reasons(file: str) -> dict[int, str]:
    """Each reason names its column (the header of the file: here the canonical names)."""
    return {
        3: "column respondent_id: " + DUP.format(r="A1", first=2),
        4: "; ".join([
            "column region: unknown region 'Mars' (expected a region such as Kanta-Häme, Etelä-Karjala, Keski-Suomi, "
            "Etelä-Pohjanmaa, Lappi; see 'osallisuus regions')",
            f"column role: unknown role 'kummi' (expected: {ROLES})",
            f"column value: value '7' is not on scale arvio_4 {ARVIO_4}"]),
        5: "column respondent_id: respondent id is empty (expected an id such as A017)",
        7: "column value: " + EMPTY,
        8: "column text: " + EMPTY,                # a free-text item: its answer is a text
        9: "column instrument: unknown instrument 'arvio_5' (expected: arvio_4, kehittajaryhma_palaute, kouluarvosana, "
           "osallisuus_24, osallisuusindikaattori, soc_g10)",
        10: "column item: instrument arvio_4 has no item 'budjetti' (expected: suunnittelu, resursointi, aikataulutus, "
            "johtaminen, tyopajat_maakunnissa, ohjausryhman_tyopajat, ohjausryhman_tyoskentely, kokeilujen_tukeminen, "
            "arviointi, digityokalu, kokonaisuus)",
        12: f"column value: value '5' is not on scale arvio_4 {ARVIO_4}",
        15: "column respondent_id: " + DUP.format(r="A6", first=14),
    }


@pytest.fixture
def tricky(tmp_path):
    path = tmp_path / "tricky.csv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_tricky_rows_quarantined_with_hand_written_reasons(tricky):
    report = validate(tricky, lang="en")
    q = report.quarantine
    assert dict(zip(q["source_row"].astype(int), q["reason"])) == expected_reasons(str(tricky))
    assert q.loc[q["source_row"] == 3, "respondent_id"].tolist() == [" A1 "]     # as read, not stripped
    assert report.n_input == len(ROWS) == report.n_accepted + report.n_quarantined
    acc = report.data.set_index("source_row")
    assert acc.index.tolist() == [2, 6, 11, 13, 14, 16]
    assert acc["code"].tolist()[:1] + acc["code"].tolist()[2:] == [3, 9, 5, 1, 3]
    assert np.isnan(acc.loc[6, "code"]) and acc.loc[6, "text"] == "Hyvä ryhmä"
    assert acc["missing_code"].tolist() == [False, False, True, False, False, False]
    assert acc["phase"].astype(str).tolist() == ["final", "baseline", "interim", "interim", "final", "final"]
    assert pd.isna(acc.loc[11, "date"])
    # the problem list: one line per reason, a bad date named though its answer is kept
    p = report.problems
    assert list(zip(p["row"], p["column"], p["value"]))[:6] == [
        (3, "respondent_id", "A1"), (4, "region", "Mars"), (4, "role", "kummi"), (4, "value", "7"),
        (5, "respondent_id", ""), (7, "value", "")]
    assert (11, "date", "31.02.2026") in set(zip(p["row"], p["column"], p["value"]))
    assert len(p) == 12


def test_plain_text_frame_gives_the_same_decisions(tricky):
    raw = read_answers(tricky).frame
    plain = pd.DataFrame({c: raw[c] if c == "source_row" else np.asarray(raw[c], dtype=object) for c in raw.columns})
    accepted, quarantine, problems = check_answers(plain, lang="en")
    report = validate(tricky, lang="en")
    assert dict(zip(quarantine["source_row"].astype(int), quarantine["reason"])) == expected_reasons(str(tricky))
    pd.testing.assert_frame_equal(accepted.reset_index(drop=True), report.data.reset_index(drop=True))
    pd.testing.assert_frame_equal(problems.reset_index(drop=True), report.problems.reset_index(drop=True))

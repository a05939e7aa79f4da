"""Reading real files: every encoding and delimiter variant, XLSX, wide exports, round trips."""
import pandas as pd
import pytest

from osallisuus import model
from osallisuus.errors import MappingError
from osallisuus.survey import read_answers, read_table
from osallisuus.validation import validate
from tests.conftest import canonical_row

ROWS = [canonical_row(respondent_id="R1", item="suunnittelu", value="Erittäin hyvin", text="Hyvä työpaja, kiitos!"),
        canonical_row(respondent_id="R1", item="resursointi", value="3,0"),
        canonical_row(respondent_id="R2", item="suunnittelu", value="melko huonosti"),
        canonical_row(respondent_id="R2", item="johtaminen", value="En osaa sanoa", role="työntekijä", region="Etelä-Karjala")]
EXPECTED_CODES = [4.0, 3.0, 2.0, 9.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_canonical_csv_variants(tmp_path, encoding, sep):
    path = tmp_path / "vastaukset.csv"
    path.write_bytes(pd.DataFrame(ROWS).to_csv(sep=sep, index=False).encode(encoding))
    report = validate(path)
    assert report.exit_code == 0, report.messages()
    assert report.data["code"].tolist() == EXPECTED_CODES
    assert report.data["text"].iloc[0] == "Hyvä työpaja, kiitos!"       # ä survives every encoding
    assert report.data["role"].astype(str).tolist() == ["client", "client", "client", "professional"]
    assert report.data["region"].astype(str).tolist()[-1] == "Etelä-Karjala"
    assert report.files[0].delimiter == sep


def test_xlsx(tmp_path):
    path = tmp_path / "vastaukset.xlsx"
    pd.DataFrame(ROWS).to_excel(path, index=False)
    report = validate(path)
    assert report.exit_code == 0, report.messages()
    assert report.data["code"].tolist() == EXPECTED_CODES


def test_decimal_comma_and_numbers_as_codes(tmp_path):
    path = tmp_path / "numerot.csv"
    rows = [canonical_row(respondent_id=f"R{i}", value=v) for i, v in enumerate(["4", "3,0", "2.0", " 1 ", "9"])]
    path.write_text(pd.DataFrame(rows).to_csv(sep=";", index=False), encoding="utf-8")
    report = validate(path)
    assert report.data["code"].tolist() == [4, 3, 2, 1, 9]
    assert report.data["missing_code"].tolist() == [False, False, False, False, True]


def _wide_export(tmp_path, encoding="utf-8-sig"):
    frame = pd.DataFrame({
        "Tunnus": ["a1", "a2", "a3"],
        "Alue": ["Lappi", "Lapin hyvinvointialue", "lappi"],
        "Olen": ["Asiakas", "Työntekijä", "Järjestön edustaja"],
        "Sain sanoa asiani ja tulin kuulluksi.": ["Erittäin hyvin", "", "En osaa sanoa"],
        "Miten kehittäjäryhmässä toteutui yhteinen päätöksenteko?": ["Melko huonosti", "Melko hyvin", "Erittäin hyvin"],
        "Vapaa sana": ["Kiitos", "", ""],
    })
    path = tmp_path / "webropol.csv"
    path.write_bytes(frame.to_csv(sep=";", index=False).encode(encoding))
    mapping = tmp_path / "webropol.mapping.yaml"
    mapping.write_text("""
format: wide
columns: {respondent_id: Tunnus, region: Alue, role: Olen}
constants: {phase: alkuarviointi}
instrument: kehittajaryhma_palaute
items:
  - {column: "Sain sanoa asiani ja tulin kuulluksi.", item: kuulluksi}
  - {column: "Miten kehittäjäryhmässä toteutui yhteinen päätöksenteko?", item: paatoksenteko}
  - {column: "Vapaa sana", item: kommentit, field: text}
""", encoding="utf-8")
    return path, mapping


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_wide_export_with_sidecar_mapping(tmp_path, encoding):
    path, _ = _wide_export(tmp_path, encoding)
    report = validate(path)
    assert report.exit_code == 0, report.messages()
    # 3 respondents x 2 rated items, one skipped, plus one comment = 6 answers
    assert report.n_input == 6 and report.n_accepted == 6
    d = report.data
    assert set(d["phase"].astype(str)) == {"baseline"}
    assert d.loc[d["item"] == "kommentit", "text"].tolist() == ["Kiitos"]
    assert set(d["region"].astype(str)) == {"Lappi"}
    # rows refer back to the export's own line numbers (header = row 1)
    assert sorted(d["source_row"].unique().tolist()) == [2, 3, 4]


def test_mapping_naming_a_missing_column_is_a_clear_error(tmp_path):
    path, mapping = _wide_export(tmp_path)
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("Olen}", "Rooli}"), encoding="utf-8")
    with pytest.raises(MappingError) as err:
        read_answers(path)
    assert "Rooli" in str(err.value) and "Olen" in str(err.value)


def test_delimiter_and_encoding_detected_by_read_table(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes("a;b\nä;2\n".encode("cp1252"))
    frame, enc, delim = read_table(p)
    assert (enc, delim) == ("cp1252", ";") and frame.loc[0, "a"] == "ä"


def test_wide_long_round_trip():
    long = pd.DataFrame([
        dict(respondent_id="R1", region="Lappi", phase="baseline", role="client", instrument="arvio_4",
             item="suunnittelu", value="4", text=pd.NA),
        dict(respondent_id="R1", region="Lappi", phase="baseline", role="client", instrument="arvio_4",
             item="resursointi", value="3", text="Resursseja oli liian vähän"),
        dict(respondent_id="R2", region="Lappi", phase="final", role="professional", instrument="arvio_4",
             item="suunnittelu", value="2", text=pd.NA),
    ])
    wide = model.to_wide(long)
    assert len(wide) == 2 and "arvio_4.resursointi.text" in wide.columns
    back = model.to_long(wide)
    key = ["respondent_id", "phase", "instrument", "item"]
    a = long.sort_values(key).reset_index(drop=True)[["respondent_id", "region", "phase", "role", "instrument", "item", "value", "text"]]
    b = back.sort_values(key).reset_index(drop=True)[a.columns]
    pd.testing.assert_frame_equal(a.astype(str), b.astype(str))


def test_example_export_round_trips_through_canonical_csv(tmp_path, example_dir):
    """The bundled Webropol export, written back in canonical form, validates to the same answers."""
    first = validate(example_dir / "webropol_alkuarviointi.csv")
    assert first.exit_code == 0, first.messages()[:5]
    canon = first.data[["respondent_id", "region", "phase", "role", "instrument", "item", "value", "group", "text"]]
    path = tmp_path / "canonical.csv"
    canon.to_csv(path, index=False)
    second = validate(path)
    assert second.exit_code == 0
    assert second.data["code"].fillna(-1).tolist() == first.data["code"].fillna(-1).tolist()


def test_repeated_header_is_named_by_column_letter_and_ambiguous_in_a_mapping(tmp_path):
    """Changed in issue 11: a repeated header (REDCap's 'Complete?') no longer rejects the file;
    each copy is named with its column letter, and a mapping naming the bare header is an error
    that lists the copies."""
    p = tmp_path / "export.csv"
    p.write_text("Tunnus;Tunnen;Tunnen;\na1;3;4;\n", encoding="utf-8")
    frame, _, _ = read_table(p)
    assert list(frame.columns) == ["Tunnus", "Tunnen (B)", "Tunnen (C)"]
    mapping = {"columns": {"respondent_id": "Tunnus"}, "constants": {"region": "Lappi", "phase": "baseline",
               "role": "client"}, "instrument": "arvio_4", "items": [{"column": "Tunnen", "item": "suunnittelu"}]}
    with pytest.raises(MappingError, match=r"'Tunnen \(B\)', 'Tunnen \(C\)'"):
        read_answers(p, mapping)


def test_survey_does_not_import_validation():
    """Issue 11: no import cycle survey <-> validation; read_survey lives in validation."""
    import osallisuus
    import osallisuus.survey as survey
    from pathlib import Path
    source = Path(survey.__file__).read_text(encoding="utf-8")
    assert "validation" not in source
    assert osallisuus.read_survey.__module__ == "osallisuus.validation"


def test_wide_export_joins_value_and_text_of_an_item_and_keeps_repeated_columns(tmp_path):
    """A wide export (own instrument, columns in an order of their own): each filled item cell
    is an answer (ids scoped by the file name); a value column and a text column of the same item make one answer; two value
    columns of one item make two (the validator then names the duplicate); a row with no filled
    item is rejected on its own line. Answers come by file row, then instrument and item."""
    (tmp_path / "vienti.csv").write_text(
        "Vapaa;Tunnus;Alue;Olen;Q1;Q1 perustelu;Q2;Q2b\n"
        "hei;A;Pirkanmaa;Asiakas;4;koska;;\n"
        ";B;Pirkanmaa;Asiakas;;vain tekstiä;3;5\n"
        ";C;Pirkanmaa;Asiakas;;;;\n"
        "; D ;Pirkanmaa;Asiakas; 2 ;  ;;\n", encoding="utf-8")
    (tmp_path / "vienti.mapping.yaml").write_text("""
format: wide
columns: {respondent_id: Tunnus, region: Alue, role: Olen}
constants: {phase: baseline}
instrument: asiointi
items:
  - {column: Vapaa, item: c_vapaa, field: text}
  - {column: Q2, item: b_odotus}
  - {column: Q1, item: a_palvelu}
  - {column: Q1 perustelu, item: a_palvelu, field: text}
  - {column: Q2b, item: b_odotus}
""", encoding="utf-8")
    raw = read_answers(tmp_path / "vienti.csv")
    got = raw.frame[["source_row", "respondent_id", "item", "value", "text", "source_column"]].astype(str)
    assert got.values.tolist() == [
        ["2", "vienti/A", "a_palvelu", "4", "koska", "Q1"],
        ["2", "vienti/A", "c_vapaa", "", "hei", "Vapaa"],
        ["3", "vienti/B", "a_palvelu", "", "vain tekstiä", "Q1 perustelu"],
        ["3", "vienti/B", "b_odotus", "3", "", "Q2"],
        ["3", "vienti/B", "b_odotus", "5", "", "Q2b"],
        ["5", "vienti/ D ", "a_palvelu", " 2 ", "", "Q1"],
    ]
    assert set(raw.frame["instrument"].astype(str)) == {"asiointi"}
    assert set(raw.frame["phase"].astype(str)) == {"baseline"}
    assert [(r.row, r.column, r.key) for r in raw.rejected] == [(4, "Vapaa", "read.no_answers")]
    assert raw.file_rows == 4
    # without the repeated column every item has one column of each kind (the dense join): the
    # same answers, less the second value of b_odotus
    mapping = (tmp_path / "vienti.mapping.yaml").read_text(encoding="utf-8").replace("  - {column: Q2b, item: b_odotus}\n", "")
    (tmp_path / "vienti.mapping.yaml").write_text(mapping, encoding="utf-8")
    again = read_answers(tmp_path / "vienti.csv").frame
    got = again[["source_row", "item", "value", "text", "source_column"]].astype(str).values.tolist()
    assert got == [["2", "a_palvelu", "4", "koska", "Q1"], ["2", "c_vapaa", "", "hei", "Vapaa"],
                   ["3", "a_palvelu", "", "vain tekstiä", "Q1 perustelu"], ["3", "b_odotus", "3", "", "Q2"],
                   ["5", "a_palvelu", " 2 ", "", "Q1"]]


def test_formula_check_reads_a_workbook_again_only_when_it_has_formulas(tmp_path):
    """A survey tool's workbook has no formulas: it is read once. One formula, even on another
    sheet or a shared one, sends it to the careful check (openpyxl writes the <f> elements)."""
    import openpyxl
    from osallisuus.reader import _has_formulas
    plain, formula = tmp_path / "plain.xlsx", tmp_path / "formula.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Tunnus", "Vastaus"])
    wb.active.append(["A", ""])
    wb.save(plain)
    wb.create_sheet("Laskenta").cell(row=1, column=1, value="=SUM(1,2)")
    wb.save(formula)
    assert not _has_formulas(plain) and _has_formulas(formula)
    assert _has_formulas(tmp_path / "missing.xlsx")          # cannot tell: the careful check runs

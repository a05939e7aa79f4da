"""A corpus of malformed and awkward input files, written by code so that every expectation
is stated next to the bytes that cause it.

Each :class:`Case` says how many input rows the file holds (as a person counting the
non-empty data rows in Excel would), which spreadsheet rows must be quarantined and in which
column, with which value; or, for a file that cannot be used at all, a phrase its message
must contain. Nothing here is computed by the package under test.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

HEADER = ["respondent_id", "region", "phase", "role", "instrument", "item", "value", "group", "date", "text"]


def row(rid="R1", value="Melko hyvin", item="suunnittelu", region="Lappi", role="asiakas", date="", text="",
        phase="final") -> list[str]:
    return [rid, region, phase, role, "arvio_4", item, value, "", date, text]


GOOD = [row("R1", "Erittäin hyvin", text="Hyvä työpaja"), row("R2", "Melko hyvin"), row("R3", "Melko huonosti")]


@dataclass
class Case:
    name: str                       # file name
    data: bytes | None = None       # file content (None: written by ``write``)
    rows: int = 3                   # input rows = accepted + quarantined
    bad: dict = field(default_factory=dict)   # spreadsheet row -> (column, value shown)
    unusable: str = ""              # phrase the file's message must contain
    mapping: dict | None = None
    note: str = ""                  # phrase a note (skipped rows/sheets) must contain
    write: object = None            # callable(path) for binary formats


def csv_bytes(rows: list[list[str]], sep=";", encoding="utf-8", eol="\n", header=HEADER, trailing="") -> bytes:
    def line(cells):
        out = []
        for c in cells:
            c = str(c)
            out.append('"' + c.replace('"', '""') + '"' if any(ch in c for ch in (sep, '"', "\n")) else c)
        return sep.join(out) + trailing
    text = eol.join([sep.join(header)] + [line(r) for r in rows]) + eol
    return text.encode(encoding)


def _xlsx(sheets: dict[str, list[list]], formula: str | None = None):
    def write(path: Path) -> None:
        import openpyxl
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, records in sheets.items():
            ws = wb.create_sheet(name)
            for r in records:
                ws.append(r)
            if formula and name == list(sheets)[-1]:
                ws.cell(row=3, column=7, value=formula)   # openpyxl saves no cached value
        wb.save(path)
    return write


def _ods(records: list[list]):
    def write(path: Path) -> None:
        pd.DataFrame(records[1:], columns=records[0]).to_excel(path, index=False, engine="odf")
    return write


DATA = Path(__file__).resolve().parent / "data"


def _xls(records: list[list]):
    """Writes an .xls with xlwt (not a dependency: tests/data/workbook.xls was made with it,
    ``_xls([HEADER] + GOOD + [row("R4", 7.0)])``, and is copied by the corpus)."""
    def write(path: Path) -> None:
        import xlwt
        wb = xlwt.Workbook()
        ws = wb.add_sheet("Vastaukset")
        for r, rec in enumerate(records):
            for c, v in enumerate(rec):
                ws.write(r, c, v)
        wb.save(str(path))
    return write


def _zip_text(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a spreadsheet")


def _fake_encrypted(path: Path) -> None:
    # An OLE compound file header followed by the stream name Office uses for encrypted OOXML.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64)


def _fake_xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)


WIDE_HEADER = ["Tunnus", "Alue", "Olen", "Vastausaika", "Suunnittelu", "Resursointi", "Vapaa sana"]
WIDE_MAPPING = {"columns": {"respondent_id": "Tunnus", "region": "Alue", "role": "Olen", "date": "Vastausaika"},
                "constants": {"phase": "final"}, "instrument": "arvio_4",
                "items": [{"column": "Suunnittelu", "item": "suunnittelu"}, {"column": "Resursointi", "item": "resursointi"},
                          {"column": "Vapaa sana", "item": "kommentit_ei", "field": "text"}]}
WIDE_MAPPING_2 = {**WIDE_MAPPING, "items": WIDE_MAPPING["items"][:2]}


def wide(rows: list[list[str]], **kw) -> bytes:
    return csv_bytes(rows, header=kw.pop("header", WIDE_HEADER[:6]), **kw)


W1 = ["a1", "Lappi", "Asiakas", "16.2.2026 17.33", "Erittäin hyvin", "Melko hyvin"]
W2 = ["a2", "Lappi", "Työntekijä", "2026-02-17", "Melko huonosti", "En osaa sanoa"]


def cases() -> list[Case]:
    ascii_rows = [row("R1"), row("R2"), row("R3")]
    c = [
        # ---- encodings
        Case("utf8.csv", csv_bytes(GOOD)),
        Case("utf8_bom.csv", csv_bytes(GOOD, encoding="utf-8-sig")),
        Case("utf16_excel_unicode_text.txt", csv_bytes(GOOD, sep="\t", encoding="utf-16", eol="\r\n")),
        Case("utf16_be.csv", b"\xfe\xff" + csv_bytes(GOOD, encoding="utf-16-be")),
        Case("cp1252.csv", csv_bytes(GOOD, encoding="cp1252")),
        Case("mac_roman.csv", csv_bytes(GOOD, encoding="mac_roman")),
        Case("mac_roman_bad_value.csv", csv_bytes(GOOD + [row("R4", "Ärsyttävä")], encoding="mac_roman"), rows=4,
             bad={5: ("value", "Ärsyttävä")}),
        Case("undecidable_encoding.csv", csv_bytes(ascii_rows).replace(b"R2", b"R\xa02"), unusable="encoding"),
        Case("utf16_no_bom.csv", csv_bytes(ascii_rows, encoding="utf-16-le"), unusable="NUL"),
        # ---- delimiters and Excel's sep= line
        Case("sep_line_semicolon.csv", b"sep=;\n" + csv_bytes(GOOD)),
        Case("sep_line_comma.csv", b"sep=,\r\n" + csv_bytes(GOOD, sep=",", eol="\r\n")),
        Case("sep_line_bad_value.csv", b"sep=;\n" + csv_bytes(GOOD + [row("R4", "7")]), rows=4, bad={5: ("value", "7")}),
        Case("bom_and_sep_line.csv", b"\xef\xbb\xbf" + b"sep=;\n" + csv_bytes(GOOD)),
        Case("tab.tsv", csv_bytes(GOOD, sep="\t")),
        Case("pipe.csv", csv_bytes(GOOD, sep="|")),
        Case("crlf.csv", csv_bytes(GOOD, eol="\r\n")),
        Case("cr_only.csv", csv_bytes(GOOD, eol="\r")),
        # ---- ragged rows
        Case("trailing_delimiter_on_rows.csv", csv_bytes(GOOD, trailing=";")),
        Case("trailing_delimiter_everywhere.csv", csv_bytes(GOOD, header=HEADER + [""], trailing=";")),
        Case("short_row.csv", csv_bytes(GOOD).replace(b"R2;Lappi;final;asiakas;arvio_4;suunnittelu;Melko hyvin;;;",
                                                      b"R2;Lappi;final;asiakas;arvio_4;suunnittelu"),
             bad={3: ("value", "")}),
        Case("long_row.csv", csv_bytes(GOOD).replace(b"R2;Lappi;final;asiakas;arvio_4;suunnittelu;Melko hyvin;;;",
                                                     b"R2;Lappi;final;asiakas;arvio_4;suunnittelu;Melko hyvin;;;;extra"),
             bad={3: ("(K)", "extra")}),
        Case("unbalanced_quote_middle.csv", csv_bytes(GOOD).replace(b"R2;Lappi", b'R2;"Lappi'), bad={3: ("region", "Lappi")}),
        Case("unbalanced_quote_last.csv", csv_bytes(GOOD).replace(b"R3;Lappi", b'R3;"Lappi'), bad={4: ("region", "Lappi")}),
        Case("unbalanced_quote_header.csv", csv_bytes(GOOD).replace(b"respondent_id;region", b'respondent_id;"region'),
             unusable="quotation"),
        Case("quote_inside_field.csv", csv_bytes(GOOD).replace(b"R2;", b'R"2;')),
        Case("multiline_text_then_bad.csv", csv_bytes([row("R1", text="rivi 1\nrivi 2\nrivi 3"), row("R2"), row("R3", "11")]),
             bad={4: ("value", "11")}),
        # ---- blank rows: numbered as Excel numbers them
        Case("blank_lines.csv", csv_bytes(GOOD + [row("R4", "Huono")]).replace(b"\nR2;", b"\n\n\nR2;"), rows=4,
             bad={7: ("value", "Huono")}, note="2"),
        Case("leading_blank_lines.csv", b"\n\n" + csv_bytes(GOOD + [row("R4", "x")]), rows=4, bad={7: ("value", "x")}),
        Case("delimiter_only_row.csv", csv_bytes(GOOD + [row("R4", "x")]).replace(b"\nR3;", b"\n;;;;;;;;;\nR3;"),
             rows=4, bad={6: ("value", "x")}, note="empty"),
        Case("only_blank_lines.csv", b"\n\n\n", unusable="header"),
        # ---- not a table, or nothing in it
        Case("empty.csv", b"", unusable="empty"),
        Case("header_only.csv", csv_bytes([]), unusable="no data rows"),
        Case("binary.csv", b"\x00\x01\x02\x03" * 100, unusable="NUL"),
        Case("zip_not_sheet.xlsx", write=_zip_text, unusable="zip"),
        Case("broken_zip.xlsx", b"PK\x03\x04 not really a workbook", unusable="damaged"),
        Case("encrypted.xlsx", write=_fake_encrypted, unusable="encrypted"),
        Case("garbage.xls", write=_fake_xls, unusable=".xls"),
        Case("html_as.xls", b"<html><body><table><tr><td>x</td></tr></table></body></html>", unusable="HTML"),
        Case("missing_columns.csv", b"respondent_id;value\nR1;3\n", unusable="mapping"),
        # ---- workbooks
        Case("xlsx_named.csv", write=_xlsx({"Vastaukset": [HEADER] + GOOD})),
        Case("empty_first_sheet.xlsx", write=_xlsx({"Tyhjä": [], "Data": [HEADER] + GOOD})),
        Case("two_sheets.xlsx", write=_xlsx({"Data": [HEADER] + GOOD, "Muistiinpanot": [["muistio"], ["x"]]}),
             note="Muistiinpanot"),
        Case("formula_no_cache.xlsx", write=_xlsx({"Data": [HEADER] + GOOD}, formula="=1+1"), bad={3: ("value", "")},
             note="=1+1"),
        Case("blank_rows.xlsx", write=_xlsx({"Data": [HEADER, GOOD[0], [None], [None], GOOD[1], row("R4", "9x")]}),
             bad={6: ("value", "9x")}),
        Case("title_rows_then_header.xlsx", write=_xlsx({"Data": [["Raportti 2026"], [], [HEADER[0]] + HEADER[1:]] + GOOD}),
             unusable="missing required"),
        Case("numbers_as_numbers.xlsx", write=_xlsx({"Data": [HEADER] + [row("R1", 4), row("R2", 3.0), row("R3", 2.5)]}),
             bad={4: ("value", "2.5")}),
        Case("workbook.ods", write=_ods([HEADER] + GOOD + [row("R4", "x")]), rows=4, bad={5: ("value", "x")}),
        Case("workbook.xls", (DATA / "workbook.xls").read_bytes(), rows=4, bad={5: ("value", "7")}),
        # ---- codes only in plain decimal form
        Case("code_exponent.csv", csv_bytes(GOOD + [row("R4", "4e0")]), rows=4, bad={5: ("value", "4e0")}),
        Case("code_underscore.csv", csv_bytes(GOOD + [row("R4", "1_0")]), rows=4, bad={5: ("value", "1_0")}),
        Case("code_fullwidth.csv", csv_bytes(GOOD + [row("R4", "４")]), rows=4, bad={5: ("value", "４")}),
        Case("code_inf.csv", csv_bytes(GOOD + [row("R4", "inf")]), rows=4, bad={5: ("value", "inf")}),
        Case("code_nan.csv", csv_bytes(GOOD + [row("R4", "NaN")]), rows=4, bad={5: ("value", "NaN")}),
        Case("code_hex.csv", csv_bytes(GOOD + [row("R4", "0x4")]), rows=4, bad={5: ("value", "0x4")}),
        Case("code_two_points.csv", csv_bytes(GOOD + [row("R4", "4.0.0")]), rows=4, bad={5: ("value", "4.0.0")}),
        Case("code_plain_ok.csv", csv_bytes([row("R1", " 3 "), row("R2", "4,0"), row("R3", "9")])),
        # ---- long values are cut in messages
        Case("long_value.csv", csv_bytes(GOOD + [row("R4", "x" * 1_000_000)]), rows=4, bad={5: ("value", "xxxx")}),
        Case("long_region.csv", csv_bytes(GOOD + [row("R4", region="Y" * 200_000)]), rows=4, bad={5: ("region", "YYY")}),
        # ---- headers
        Case("empty_header_cell.csv", csv_bytes(GOOD, header=HEADER[:7] + ["", "date", "text"])),
        Case("spaces_in_header.csv", csv_bytes(GOOD, header=[f" {h} " for h in HEADER])),
        Case("bad_date_kept.csv", csv_bytes(GOOD + [row("R4", date="31.2.2026")]), rows=4),
        Case("finnish_date.csv", csv_bytes(GOOD + [row("R4", date="16.2.2026 17.33")]), rows=4),
        # ---- wide exports through a mapping
        Case("wide_ok.csv", wide([W1, W2]), rows=4, mapping=WIDE_MAPPING_2),
        Case("wide_empty_row.csv", wide([W1, ["a3", "Lappi", "Asiakas", "", "", ""], W2]), rows=5,
             mapping=WIDE_MAPPING_2, bad={3: ("Suunnittelu", "")}),
        Case("wide_bad_date.csv", wide([W1, W2[:3] + ["huomenna"] + W2[4:]]), rows=4, mapping=WIDE_MAPPING_2),
        Case("wide_short_row.csv", wide([W1, W2[:5]]), rows=3, mapping=WIDE_MAPPING_2),
        Case("wide_unknown_key.csv", wide([W1]), mapping={**WIDE_MAPPING_2, "colums": {}}, unusable="did you mean 'columns'"),
        Case("wide_missing_column.csv", wide([W1], header=WIDE_HEADER[:5] + ["Resursoint"]), mapping=WIDE_MAPPING_2,
             unusable="did you mean 'Resursoint'"),
        Case("wide_two_header_rows.csv", csv_bytes([["", "", "", "", "Vastaus", "Vastaus"], W1, W2],
                                                   header=["Tunnus", "Alue", "Olen", "Vastausaika", "Suunnittelu", "Resursointi"]),
             rows=4, mapping={**WIDE_MAPPING_2, "header_rows": 2,
                              "items": [{"column": "Suunnittelu / Vastaus", "item": "suunnittelu"},
                                        {"column": "Resursointi / Vastaus", "item": "resursointi"}]}),
        Case("wide_title_row.csv", b"Kysely 2026;;;;;\n" + wide([W1, W2 + [""]]), rows=4,
             mapping={**WIDE_MAPPING_2, "skip_rows": 1}),
        Case("wide_numbers_out_of_range.csv", wide([W1[:4] + ["1", "7"]]), rows=2,
             mapping={**WIDE_MAPPING_2, "numbering": "from_top"}, bad={2: ("Resursointi", "7")}),
        Case("wide_flag_as_string.csv", wide([W1]), mapping={**WIDE_MAPPING_2, "shared_ids": "false"},
             unusable="true or false"),
        Case("yaml_alias_long.csv", wide([W1]), mapping={**WIDE_MAPPING_2, "items": [{"column": ["x" * 50] * 1000,
                                                                                   "item": "suunnittelu"}]},
             unusable="xxxxxx…"),
    ]
    return c


def write_case(folder: Path, case: Case) -> Path:
    path = folder / case.name
    if case.write is not None:
        case.write(path)
    else:
        path.write_bytes(case.data)
    return path

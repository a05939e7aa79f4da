"""The PDF, Word and Excel exporters on a hand-built report, each file opened with its own reader.

Readers: ``pdfinfo``/``pdftotext`` (poppler-utils) for the PDF, python-docx for Word, openpyxl
for Excel. The reference values are the display texts written into the sections below, never
anything our exporters computed.
"""
from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from osallisuus.errors import ExportError
from osallisuus.export import Exporter, ReportDocument, export, exporter_names, get_exporter, register_exporter
from osallisuus.report.model import Figure, Heading, ItemList, Paragraph, Quote, Section, Table

TITLE = "Osallisuuden arviointi: Alue A"
FIG_ALT = "Pylväskuvio: kehittäjäryhmän keskiarvo 3,0 ja johdon 4,2 asteikolla 1–5."
LONG_TEXT = ("Asiakkaat kertoivat, että heidän kokemuksiaan kuunneltiin kehittämisessä "
             "ja että palautteen perusteella tehtiin näkyviä muutoksia palveluihin.")
WIDE_COLUMNS = ["n / N", "Ka", "Mediaani", "Muutos", "95 %:n lv", "Testi", "p", "Osuus", "Huomio"]
WIDE_ROWS = [
    ["Kehittäjäryhmä", "26 / 39", "3,0", "3", "−0,12", "59,2–76,1", "Mann–Whitney", "0,031", "45 %", LONG_TEXT],
    ["Johto", "<5", "<5", "<5", "<5", "<5", "Mann–Whitney", "<5", "<5", "Pieni ryhmä: luvut piilotettu."],
    ["Järjestöt", "12 / 18", "4,25", "4", "0,40", "2,5–6,0", "Mann–Whitney", "0,200", "67 %", "=HYPERLINK(\"x\")"],
    ["Yhteensä", "43 / 62", "3,52", "4", "0,08", "−1,5–3,0", "Kruskal–Wallis", "0,012", "69 %", "+kaikki"],
]


def _png_figure() -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["Kehittäjäryhmä", "Johto"], [3.0, 4.2], color="#004d7a")
    ax.set_ylim(1, 5)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def sample_document(lang: str = "fi") -> ReportDocument:
    """A two-section report with a small table, a 9-column wide table, a figure and a quote."""
    small = Table(1, "Vastaajat rooleittain", "Taulukko", "Rooli", ["n", "Osuus"],
                  [["Asiakas", "17", "40 %"], ["Johto", "<5", "<5"], ["Yhteensä", "42", "100 %"]],
                  "taulukko-1", notes=["Alle 5 vastaajan ryhmät on piilotettu (<5)."],
                  total_rows=[2], numeric=[True, True])
    wide = Table(2, "Vertailu rooleittain, kaikki tunnusluvut", "Taulukko", "Rooli", WIDE_COLUMNS,
                 [list(r) for r in WIDE_ROWS], "taulukko-2",
                 notes=["Ka = keskiarvo, lv = luottamusväli.", "Testi: kaksisuuntainen."],
                 total_rows=[3], numeric=[True] * 8 + [False], wide=True)
    figure = Figure(1, "Keskiarvot rooleittain", "Kuvio", FIG_ALT, "image/png", _png_figure(), "kuvio-1")
    first = Section("title", lang, [Heading(TITLE, "otsikko", level=1),
                                    Paragraph("Arviointiraportti, syksy 2026.", style="subtitle")])
    body = Section("baseline", lang, [
        Heading("Lähtötilanne", "lahtotilanne"),
        Paragraph("Kyselyyn vastasi 42 henkilöä."),
        small, figure,
        Quote("Meitä kuunneltiin oikeasti.", "Kehittäjäryhmän jäsen", lang="fi"),
        Heading("Vertailu", "vertailu"),
        Heading("Roolit", "roolit", level=3),
        wide,
        ItemList(["Ensimmäinen havainto.", "Toinen havainto."]),
        Paragraph("Luvut on pyöristetty.", style="note"),
    ], findings=["Kehittäjäryhmä arvioi osallisuuden keskitasoiseksi."])
    return ReportDocument(TITLE, lang, [first, body])


def _cell_texts(table: Table) -> list[list[str]]:
    """What every format must show for ``table``: header row, then the rows."""
    return [[table.row_header, *table.columns], *[list(r) for r in table.rows]]


@pytest.fixture(scope="module")
def doc() -> ReportDocument:
    return sample_document()


# --- the registry ----------------------------------------------------------------------------

class _CaptionsExporter(Exporter):
    """A new format in a few lines: the table captions, one a line."""

    name = "captions"
    extension = ".txt"

    def export(self, document, path):
        path = Path(path)
        path.write_text("\n".join(tb.title for tb in document.tables()), encoding="utf-8")
        return path


def test_new_format_is_one_registered_exporter(doc, tmp_path, monkeypatch):
    import osallisuus.export as registry
    monkeypatch.setattr(registry, "_REGISTRY", dict(registry._REGISTRY))   # leave no trace for other tests
    register_exporter("captions", _CaptionsExporter)
    assert "captions" in exporter_names()
    assert registry.parse_formats("html, captions") == ["html", "captions"]
    out = export(doc, "captions", tmp_path / "r.txt")
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Taulukko 1. Vastaajat rooleittain", "Taulukko 2. Vertailu rooleittain, kaikki tunnusluvut"]


def test_built_in_formats_are_registered():
    assert {"html", "pdf", "docx", "xlsx"} <= set(exporter_names())
    for name, ext in (("pdf", ".pdf"), ("docx", ".docx"), ("xlsx", ".xlsx")):
        exporter = get_exporter(name)
        assert exporter.name == name and exporter.extension == ext


@pytest.mark.parametrize("call", [lambda: get_exporter("odt"), lambda: export(sample_document(), "odt", "x.odt")])
def test_unknown_format_names_the_known_ones(call, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError) as err:
        call()
    for name in ("'odt'", "html", "pdf", "docx", "xlsx"):
        assert name in str(err.value)
    assert not any(tmp_path.iterdir())


# --- Excel -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, value, fmt", [
    # hand-written: the value the text shows and the Excel format (ECMA-376 18.8.30) that shows it again
    ("3,0", "fi", 3.0, '0.0;"−"0.0;0.0'),
    ("17", "fi", 17, '0;"−"0;0'),
    ("−0,12", "fi", -0.12, '0.00;"−"0.00;0.00'),
    ("-0,12", "sv", -0.12, '0.00;"−"0.00;0.00'),
    ("+1,5", "fi", 1.5, '"+"0.0;"−"0.0;0.0'),
    ("45\u00a0%", "fi", 0.45, '0"\u00a0"%;"−"0"\u00a0"%;0"\u00a0"%'),
    ("12,5 %", "sv", 0.125, '0.0" "%;"−"0.0" "%;0.0" "%'),
    ("45%", "en", 0.45, '0%;"−"0%;0%'),
    ("0.031", "en", 0.031, '0.000;"−"0.000;0.000'),
])
def test_number_texts_become_numbers_with_the_same_display(text, lang, value, fmt):
    from osallisuus.export.xlsx import parse_number
    cell = parse_number(text, lang)
    assert cell is not None and cell.value == pytest.approx(value, abs=1e-15) and cell.number_format == fmt


@pytest.mark.parametrize("text, lang", [
    ("<5", "fi"), ("59,2–76,1", "fi"), ("26 / 39", "fi"), ("–", "fi"), ("<0,001", "fi"), ("3.5", "fi"),
    ("3,5", "en"), ("007", "fi"), ("−0,0", "fi"), ("Mann–Whitney", "fi"), ("", "fi"), ("1,2,3", "fi"),
])
def test_other_texts_stay_text(text, lang):
    from osallisuus.export.xlsx import parse_number
    assert parse_number(text, lang) is None


def test_sheet_names_are_valid_and_unique():
    from osallisuus.export.xlsx import sheet_names
    titles = ["Sisällys", "Taulukko 1", "taulukko 1", "Kysymys: mitä [a/b]?*\\", "x" * 40, "x" * 40, "History"]
    names = sheet_names(titles)
    assert names[:4] == ["Sisällys", "Taulukko 1", "taulukko 1 (2)", "Kysymys mitä a b"]
    assert names[4] == "x" * 31 and names[5] == "x" * 27 + " (2)" and names[6] == "History (2)"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_xlsx_tables_captions_numbers_and_properties(doc, tmp_path):
    from openpyxl import load_workbook
    path = export(doc, "xlsx", tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Sisällys", "Taulukko 1", "Taulukko 2"]
    assert wb.properties.title == TITLE and wb.properties.language == "fi"
    contents = wb["Sisällys"]
    assert contents["A1"].value == TITLE
    assert [(contents.cell(r, 1).value, contents.cell(r, 2).value) for r in (4, 5)] == [
        ("Taulukko 1", "Vastaajat rooleittain"), ("Taulukko 2", "Vertailu rooleittain, kaikki tunnusluvut")]
    assert contents["A5"].hyperlink.location == "'Taulukko 2'!A1"
    from osallisuus.export.xlsx import split_ranges
    for table, ws in zip(doc.tables(), (wb["Taulukko 1"], wb["Taulukko 2"])):
        table = split_ranges(table, "fi")          # a column of ranges is two columns of numbers
        assert ws["A1"].value == table.title and ws["A1"].font.b
        assert ws.freeze_panes == "B3"
        header = [c.value for c in ws[2]]
        assert header == [table.row_header, *table.columns]
        notes_row = 3 + len(table.rows) + 1
        assert [ws.cell(notes_row + i, 1).value for i in range(len(table.notes))] == table.notes
        for r in table.total_rows:
            assert ws.cell(3 + r, 2).font.b
    ws = wb["Taulukko 2"]
    columns = [c.value for c in ws[2]][1:]
    assert columns[columns.index("95 %:n lv: alaraja") + 1] == "95 %:n lv: yläraja"
    row = {h: c for h, c in zip(columns, ws[3][1:])}     # Kehittäjäryhmä
    assert (row["95 %:n lv: alaraja"].value, row["95 %:n lv: yläraja"].value) == (59.2, 76.1)
    low = columns.index("95 %:n lv: alaraja") + 2
    assert (ws.cell(6, low).value, ws.cell(6, low + 1).value) == (-1.5, 3.0)     # '−1,5–3,0' of the total
    assert ws.cell(6, low).number_format == '0.0;"−"0.0;0.0'                   # shown as the report writes it
    assert (row["Ka"].value, row["Ka"].number_format) == (3.0, '0.0;"−"0.0;0.0')
    assert (row["Muutos"].value, row["Muutos"].number_format) == (-0.12, '0.00;"−"0.00;0.00')
    assert row["Osuus"].value == pytest.approx(0.45) and row["Osuus"].data_type == "n"
    for key, text in (("n / N", "26 / 39"), ("Testi", "Mann–Whitney"), ("Huomio", LONG_TEXT)):
        assert row[key].value == text and row[key].data_type == "s"
    assert [c.value for c in ws[4][1:]] == split_ranges(doc.tables()[1], "fi").rows[1][1:]   # '<5' kept
    formula_like = ws.cell(5, 11)          # one column more: the range is two
    assert formula_like.value == '=HYPERLINK("x")' and formula_like.data_type == "s" and formula_like.quotePrefix
    assert ws.cell(6, 11).value == "+kaikki" and ws.cell(6, 11).quotePrefix


LO_FINNISH = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>fi-FI</value></prop></item>
</oor:items>
"""


@pytest.mark.slow
def test_xlsx_shows_the_reports_texts_in_libreoffice(doc, tmp_path):
    """LibreOffice (an independent spreadsheet), set to a Finnish locale, prints every cell
    as shown: numbers and texts alike must read exactly as in the report."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (libreoffice-calc-nogui) not installed")
    import csv

    from osallisuus.export.xlsx import split_ranges
    path = export(doc, "xlsx", tmp_path / "r.xlsx")
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LO_FINNISH, encoding="utf-8")
    # CSV filter options: comma, quote, UTF-8, from row 1, ..., 9th token true = "as shown", -1 = every sheet
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    for table in doc.tables():
        shown = list(csv.reader((tmp_path / f"r-Taulukko {table.number}.csv").open(encoding="utf-8")))
        assert shown[0][0] == table.title
        split = split_ranges(table, "fi")        # the limits of a range shown as the report writes them
        assert [row[:len(split.columns) + 1] for row in shown[1:len(split.rows) + 2]] == _cell_texts(split)


# --- PDF -------------------------------------------------------------------------------------

def _poppler(tool: str, *args) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (poppler-utils) not installed")
    return subprocess.run([tool, *map(str, args)], check=True, capture_output=True, text=True).stdout


def _struct_figure_alts(reader) -> list[str]:
    """/Alt of every /Figure in the PDF's structure tree (following /K children only)."""
    stack, alts = [reader.trailer["/Root"]["/StructTreeRoot"]], []
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                stack.append(node["/K"])
        elif isinstance(node, list):
            stack.extend(node)
    return alts


def _pdfua_part(xmp: str) -> str | None:
    """``pdfuaid:part`` of the XMP metadata, written as an attribute or as an element."""
    import xml.etree.ElementTree as ET
    ns = "{http://www.aiim.org/pdfua/ns/id/}part"
    for el in ET.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.rindex("</x:xmpmeta>") + len("</x:xmpmeta>")]).iter():
        if ns in el.attrib:
            return el.attrib[ns]
        if el.tag == ns:
            return (el.text or "").strip()
    return None


@pytest.fixture(scope="module")
def pdf_path(doc, tmp_path_factory) -> Path:
    return export(doc, "pdf", tmp_path_factory.mktemp("pdf") / "raportti.pdf")


@pytest.mark.slow
def test_pdf_is_tagged_pdf_ua_with_title_language_and_alt_text(pdf_path):
    info = _poppler("pdfinfo", pdf_path)
    assert "Tagged:          yes" in info
    assert f"Title:           {TITLE}" in info
    assert _pdfua_part(_poppler("pdfinfo", "-meta", pdf_path)) == "1"
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(pdf_path))
    assert reader.trailer["/Root"]["/Lang"] == "fi"
    assert _struct_figure_alts(reader) == [FIG_ALT]


def _pages(pdf_path) -> list[tuple[float, float, str]]:
    """(width, height, text) of every page."""
    info = _poppler("pdfinfo", "-f", 1, "-l", 99, pdf_path)
    sizes = [tuple(map(float, m)) for m in
             re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    return [(w, h, _poppler("pdftotext", "-f", i, "-l", i, pdf_path, "-"))
            for i, (w, h) in enumerate(sizes, 1)]


@pytest.mark.slow
def test_pdf_pages_numbers_running_title_and_wide_table(pdf_path, doc):
    pages = _pages(pdf_path)
    n = len(pages)
    for i, (_, _, text) in enumerate(pages, 1):
        assert re.search(rf"(^|\n){i}\s*/\s*{n}\n", text)        # page numbers "i / n"
        if i > 1:
            assert text.lstrip().startswith(TITLE)                      # running title
    wide = [p for p in pages if "Taulukko 2. Vertailu" in p[2]]
    assert len(wide) == 1
    width, height, text = wide[0]
    assert width > height                                               # a landscape page
    assert "Vertailu\n" in text and "Roolit" in text                  # with the headings that introduce it
    for row in WIDE_ROWS:                                               # header and rows with the caption
        for cell in row[:-1]:
            assert cell in text, cell                                   # one piece: '26 / 39', 'Mann–Whitney'
    for note in doc.tables()[1].notes:
        assert note in text
    small = next(p for p in pages if "Taulukko 1. Vastaajat" in p[2])[2]
    assert "Yhteensä" in small and doc.tables()[0].notes[0] in small


@pytest.mark.slow
def test_pdf_nothing_outside_the_page(pdf_path):
    """No word (of the last column either) reaches the page edge: nothing is clipped."""
    html = _poppler("pdftotext", "-bbox", pdf_path, "-")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S)
    assert pages
    words = 0
    for width, _, body in pages:
        for x_max, word in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', body):
            words += 1
            assert float(x_max) <= float(width) - 30, word            # margins are 16 mm = 45 pt
    assert "palveluihin." in html and words > 100                       # the long last-column text is there


# --- Word ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx_path(doc, tmp_path_factory) -> Path:
    return export(doc, "docx", tmp_path_factory.mktemp("docx") / "raportti.docx")


@pytest.mark.slow
def test_docx_title_language_headings_and_captions(docx_path):
    import docx
    from docx.oxml.ns import qn
    d = docx.Document(str(docx_path))
    assert d.core_properties.title == TITLE and d.core_properties.language == "fi"
    defaults = d.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert defaults.get(qn("w:val")) == "fi"
    styled = [(p.style.name, p.text) for p in d.paragraphs]
    assert styled[0] == ("Title", TITLE)
    assert [s for s in styled if s[0].startswith("Heading")] == [
        ("Heading 1", "Lähtötilanne"), ("Heading 1", "Vertailu"), ("Heading 2", "Roolit")]
    assert ("TOC Heading", "Sisällys") in styled
    assert [t for s, t in styled if s == "Table Caption"] == [
        "Taulukko 1. Vastaajat rooleittain", "Taulukko 2. Vertailu rooleittain, kaikki tunnusluvut"]
    assert ("Image Caption", "Kuvio 1. Keskiarvot rooleittain") in styled
    assert ("Table Note", "Ka = keskiarvo, lv = luottamusväli.") in styled
    assert d.styles["Table Caption"].paragraph_format.keep_with_next


@pytest.mark.slow
def test_docx_tables_have_the_reports_cells(docx_path, doc):
    import docx
    d = docx.Document(str(docx_path))
    got = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    assert got == [_cell_texts(t) for t in doc.tables()]
    total = d.tables[0].rows[3].cells[1].paragraphs[0].runs
    assert total and all(r.bold for r in total)                        # "Yhteensä" row in bold
    assert d.tables[0].rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    # the first column is each row's heading, as th scope="row" in the HTML (an accessibility review)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    looks = [t._tbl.tblPr.find(f"{w}tblLook") for t in d.tables]
    assert looks and all(lk is not None and lk.get(f"{w}firstColumn") == "1" for lk in looks)


@pytest.mark.slow
def test_docx_figure_keeps_image_and_alt_text_and_wide_table_is_landscape(docx_path, doc):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    d = docx.Document(str(docx_path))
    pics = list(d.element.body.iter(qn("wp:docPr")))
    assert [p.get("descr") for p in pics] == [FIG_ALT]
    images = [r.target_part.blob for r in d.part.rels.values() if "image" in r.reltype]
    assert images == [base64.b64decode(doc.figures()[0].data)]          # the same PNG bytes
    orientations = [s.orientation for s in d.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert d.sections[1].page_width > d.sections[1].page_height


@pytest.mark.slow
def test_docx_quote_in_another_language_is_marked(tmp_path):
    import docx
    from docx.oxml.ns import qn
    d = docx.Document(str(export(sample_document("sv"), "docx", tmp_path / "sv.docx")))
    assert d.core_properties.language == "sv"
    quote = next(p for p in d.paragraphs if p.text == "Meitä kuunneltiin oikeasti.")
    assert {r._r.rPr.find(qn("w:lang")).get(qn("w:val")) for r in quote.runs} == {"fi"}


@pytest.mark.slow
def test_docx_takes_an_organisations_reference_document(doc, tmp_path):
    import docx
    from osallisuus.export.docx import DocxExporter, default_reference_doc
    own = docx.Document(str(default_reference_doc()))
    own.styles["Normal"].font.name = "Georgia"
    own.save(str(tmp_path / "pohja.docx"))
    out = DocxExporter(reference_doc=tmp_path / "pohja.docx").export(doc, tmp_path / "r.docx")
    assert docx.Document(str(out)).styles["Normal"].font.name == "Georgia"


@pytest.mark.parametrize("content", [None, b"not a zip"])
def test_docx_bad_reference_document_is_a_clear_error(doc, tmp_path, content):
    from osallisuus.export.docx import DocxExporter
    ref = tmp_path / "pohja.docx"
    if content is not None:
        ref.write_bytes(content)
    with pytest.raises(ExportError, match="pohja.docx"):
        DocxExporter(reference_doc=ref).export(doc, tmp_path / "r.docx")
    assert not (tmp_path / "r.docx").exists()


def crowded_document() -> ReportDocument:
    """Twelve columns, three of them long texts, in a table not flagged wide."""
    columns = WIDE_COLUMNS[:8] + ["Huomio", "Lisätieto", "Kommentti"]
    rows = [[r[0], *r[1:6], "Mann–Whitney", *r[7:9], LONG_TEXT, LONG_TEXT, LONG_TEXT + " loppu."] for r in WIDE_ROWS]
    crowded = Table(1, "Ahdas taulukko", "Taulukko", "Rooli", columns, rows, "taulukko-1",
                    numeric=[True] * 5 + [False] + [True] * 2 + [False] * 3)
    return ReportDocument(TITLE, "fi", [Section("s", "fi", [Heading(TITLE, "t", level=1), crowded])])


@pytest.mark.slow
def test_pdf_crowded_table_not_flagged_wide_is_not_clipped(tmp_path):
    """The last column is not clipped, and '26 / 39', '59,2–76,1' and 'Mann–Whitney' stay on one line."""
    path = export(crowded_document(), "pdf", tmp_path / "ahdas.pdf")
    text = _poppler("pdftotext", path, "-")
    for row in WIDE_ROWS:
        for cell in (*row[1:6], "Mann–Whitney", *row[7:9]):
            assert cell in text, cell
    assert text.count("loppu.") == len(WIDE_ROWS)
    for width, _, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>',
                                     _poppler("pdftotext", "-bbox", path, "-"), re.S):
        assert all(float(x) <= float(width) - 30 for x in re.findall(r'xMax="([\d.]+)"', body))


def _words(pdf_path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every page's words as (x_min, y_min, x_max, y_max, text), from ``pdftotext -bbox``."""
    html = _poppler("pdftotext", "-bbox", pdf_path, "-")
    word = re.compile(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return [[(*map(float, m[:4]), m[4]) for m in word.findall(body)]
            for body in re.findall(r"<page [^>]*>(.*?)</page>", html, re.S)]


def _text_outside_cells(document, tmp_path) -> list[tuple[str, str]]:
    """Pairs of words printed on top of each other in the PDF of ``document``: a text that runs
    out of its table cell (a number that may not wrap, a word longer than its column) runs
    into the text of the next cell. Words overlap if they share most of a line's height and
    more than half a point of width."""
    from osallisuus.export.pdf import PDFExporter
    path = PDFExporter().export(document, tmp_path / "solut.pdf")
    clashes = []
    for words in _words(path):
        for k, (x0, y0, x1, y1, text) in enumerate(words):
            for a0, b0, a1, b1, other in words[k + 1:]:
                same_line = min(y1, b1) - max(y0, b0) > 0.5 * min(y1 - y0, b1 - b0)
                if same_line and min(x1, a1) - max(x0, a0) > 0.5:
                    clashes.append((text, other))
    return clashes


def _example_document():
    from osallisuus.report import RegionReport
    return RegionReport("Keski-Suomi", Path(__file__).resolve().parents[1] / "data" / "example").document()


@pytest.mark.slow
@pytest.mark.parametrize("make", [sample_document, crowded_document, _example_document],
                         ids=["sample", "crowded", "example"])
def test_pdf_column_widths_leave_no_text_outside_its_cell(make, tmp_path):
    """The printed tables have column widths from their texts (print_ready); no cell's text
    (numbers do not wrap) runs into the next cell on any page."""
    assert _text_outside_cells(make(), tmp_path) == []


def test_print_gives_tables_column_widths_and_the_screen_does_not():
    from osallisuus.export.pdf import print_ready, typst_report
    document = sample_document()
    printed = print_ready(document)
    for table in printed.tables():
        # tenths that add up to 100 exactly: more would draw a table wider than the page
        assert len(table.widths) == len(table.columns) + 1 and round(sum(table.widths), 6) == 100
    # the widths are for print only: not stored with the report in the notebook
    assert all("widths" not in b for s in printed.sections for b in s.to_dict()["blocks"])
    laid_out = [b for s in typst_report(document)["sections"] for part in s for b in part["blocks"] if b["kind"] == "table"]
    assert [b["widths"] for b in laid_out] == [t.widths for t in printed.tables()]
    assert "<colgroup>" not in document.html() and not any(t.widths for t in document.tables())


def test_pdf_text_outside_a_too_narrow_column_is_seen(monkeypatch, tmp_path):
    """The check above can fail: a numeric column given 2 % of the width overflows."""
    import osallisuus.export.pdf as pdf
    monkeypatch.setattr(pdf, "column_percents", lambda table, width: [98.0 - 2 * len(table.columns)]
                        + [2.0] * len(table.columns))
    clashes = _text_outside_cells(sample_document(), tmp_path)
    assert any("100" in pair for pair in clashes), clashes


@pytest.mark.slow
def test_docx_crowded_table_gets_a_landscape_section_it_fits(tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    d = docx.Document(str(export(crowded_document(), "docx", tmp_path / "ahdas.docx")))
    landscape = [s for s in d.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert len(landscape) == 1
    s = landscape[0]
    text_width = s.page_width - s.left_margin - s.right_margin            # EMU
    grid = sum(int(c.get(qn("w:w"))) for c in d.tables[0]._tbl.iter(qn("w:gridCol")))   # twips
    assert grid * 635 <= text_width                                    # 1 twip = 635 EMU


def test_settings_name_the_word_template(tmp_path):
    from osallisuus.export import exporter_options
    from osallisuus.settings import Settings
    (tmp_path / "pohjat").mkdir()
    (tmp_path / "pohjat" / "oma.docx").write_bytes(b"PK")
    settings = Settings(tmp_path, {"export": {"docx_reference": "pohjat/oma.docx"}})
    assert exporter_options(settings) == {"docx": {"reference_doc": tmp_path / "pohjat" / "oma.docx"}}
    assert get_exporter("docx", **exporter_options(settings)["docx"]).reference_doc == tmp_path / "pohjat" / "oma.docx"
    assert exporter_options(Settings(tmp_path, {})) == {}
    with pytest.raises(ExportError, match="puuttuu.docx"):
        exporter_options(Settings(tmp_path, {"export": {"docx_reference": "puuttuu.docx"}}))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pdf", "docx"])
def test_nothing_is_read_from_disk(name, tmp_path):
    """An image a notebook cell links to by file URL stays out: only the report's own data: images."""
    from osallisuus.report.model import Html
    secret = tmp_path / "secret.png"
    secret.write_bytes(base64.b64decode(_png_figure()))
    document = sample_document()
    document.sections[1].blocks.append(Html(f'<p><img src="{secret.as_uri()}" alt="x"></p>'))
    path = export(document, name, tmp_path / f"r.{name}")
    if name == "pdf":
        listing = _poppler("pdfimages", "-list", path).strip().splitlines()[2:]   # after two header lines
        assert [line.split()[2] for line in listing].count("image") == 1           # (smask: its alpha)
    else:
        import docx
        rels = docx.Document(str(path)).part.rels.values()
        assert sum("image" in r.reltype for r in rels) == 1


@pytest.mark.slow
def test_pdf_keeps_a_data_image_of_a_markdown_cell_with_its_alt_text(tmp_path):
    """A markdown cell's image given as a data: URI is in the PDF with its alt text, and one
    without alt text gets the default one (PDF/UA: every figure has alt text)."""
    from osallisuus.i18n import t
    from osallisuus.report.model import Html
    document = sample_document()
    document.sections[1].blocks.append(Html(f'<p><img src="data:image/png;base64,{_png_figure()}" alt="Oma kuva"></p>'))
    document.sections[1].blocks.append(Html(f'<p><img src="data:image/png;base64,{_png_figure()}"></p>'))
    path = export(document, "pdf", tmp_path / "r.pdf")
    listing = _poppler("pdfimages", "-list", path).strip().splitlines()[2:]
    assert [line.split()[2] for line in listing].count("image") == 3
    pypdf = pytest.importorskip("pypdf")
    assert sorted(_struct_figure_alts(pypdf.PdfReader(str(path)))) == sorted([FIG_ALT, "Oma kuva",
                                                                              t("export.default_alt", "fi")])


@pytest.mark.slow
def test_pdf_captions_stay_with_their_tables_and_figures(tmp_path):
    """Eight figures and eight tables between paragraphs of growing length, so that some fall
    at a page end: each caption is on the page of its image or its table's rows."""
    png = _png_figure()
    blocks = [Heading(TITLE, "t", level=1)]
    for i in range(1, 9):
        blocks.append(Paragraph(" ".join([LONG_TEXT] * i)))
        blocks.append(Figure(i, f"Kuva numero {i}", "Kuvio", f"Kuvio {i}", "image/png", png, f"k{i}"))
        blocks.append(Paragraph(" ".join([LONG_TEXT] * (9 - i))))
        blocks.append(Table(i, f"Taulu numero {i}", "Taulukko", "Rivi", ["n"],
                            [[f"Rivi{i}x{r}", str(r)] for r in range(1, 7)], f"t{i}", numeric=[True]))
    path = export(ReportDocument(TITLE, "fi", [Section("s", "fi", blocks)]), "pdf", tmp_path / "k.pdf")
    pages = [text for _, _, text in _pages(path)]
    image_pages = [int(line.split()[0]) for line in _poppler("pdfimages", "-list", path).splitlines()[2:]
                   if line.split()[2] == "image"]
    assert len(image_pages) == 8
    for i in range(1, 9):
        caption_page = next(n for n, text in enumerate(pages, 1) if f"Kuvio {i}. Kuva numero {i}" in text)
        assert caption_page == image_pages[i - 1], i
        table_page = next(n for n, text in enumerate(pages, 1) if f"Taulukko {i}. Taulu numero {i}" in text)
        assert f"Rivi{i}x1" in pages[table_page - 1] and f"Rivi{i}x6" in pages[table_page - 1], i


@pytest.mark.slow
def test_markdown_and_dataframe_cells_pass_into_pdf_and_word(tmp_path):
    """Output of notebook cells that are not ours (markdown, a DataFrame) is in the PDF and
    the Word file, without nbconvert's '¶' heading anchors."""
    import docx
    import pandas as pd
    from nbconvert.filters import markdown2html
    from osallisuus.report.model import Html
    document = sample_document()
    frame = pd.DataFrame({"alue": ["A", "B"], "arvo": ["3,1", "4,2"]})
    markdown = "## Oma lisäys\n\nOma teksti.\n\n---\n\nMerkit # $x$ @a [b] *c* `d` \\e."  # none of them Typst markup
    document.sections.append(Section("notebook", "fi", [Html(markdown2html(markdown)),
                                                        Html(frame.to_html(index=False))]))
    text = _poppler("pdftotext", export(document, "pdf", tmp_path / "r.pdf"), "-")
    assert "Oma lisäys\n" in text and "Oma teksti." in text and "¶" not in text
    assert "Merkit # $x$ @a [b] c d \\e." in text
    d = docx.Document(str(export(document, "docx", tmp_path / "r.docx")))
    assert ("Heading 1", "Oma lisäys") in [(p.style.name, p.text) for p in d.paragraphs]
    assert [[c.text for c in row.cells] for row in d.tables[-1].rows] == [["alue", "arvo"], ["A", "3,1"], ["B", "4,2"]]


def test_docx_notebook_cells_each_keep_their_own_content(tmp_path):
    """The notebook's HTML cells are read in one pandoc run, each in a div of its own; a cell
    whose tags are left open (its div would take in the next cells) is read on its own, so no
    cell's text moves into another's place or is lost. Each text is in the Word file once,
    in the order of the cells (python-docx reads it back)."""
    import docx
    from osallisuus.report.model import Html
    cells = ["<p>Ensimmäinen solu.</p>", "<div><p>Toinen solu, avoin div.", "<h2>Kolmas otsikko</h2><p>Kolmas solu.</p>"]
    document = ReportDocument(TITLE, "fi", [Section("notebook", "fi", [Html(c) for c in cells])])
    d = docx.Document(str(export(document, "docx", tmp_path / "r.docx")))
    texts = [p.text for p in d.paragraphs if p.text]
    assert texts == [TITLE, "Ensimmäinen solu.", "Toinen solu, avoin div.", "Kolmas otsikko", "Kolmas solu."], texts
    assert d.paragraphs[[p.text for p in d.paragraphs].index("Kolmas otsikko")].style.name == "Heading 1"


def test_docx_text_is_never_read_as_markup(tmp_path):
    """A report's texts go to pandoc as words, not as HTML or markdown: markup characters,
    a no-break space and line breaks in a cell come out as the same text."""
    import docx
    odd = "<b>ei</b> *ei* [ei](x) &amp; 12\u00a0345 \\e"
    table = Table(1, odd, "Taulukko", "Rivi", ["n"], [[odd, "12\u00a0345"]], "taulukko-1", numeric=[True])
    document = ReportDocument(TITLE, "fi", [Section("s", "fi", [Heading(odd, "h"), Paragraph(odd + "\nrivi"), table])])
    d = docx.Document(str(export(document, "docx", tmp_path / "r.docx")))
    texts = [p.text for p in d.paragraphs]
    assert odd in texts and f"{odd} rivi" in texts and f"Taulukko 1. {odd}" in texts
    assert [c.text for c in d.tables[0].rows[1].cells] == [odd, "12\u00a0345"]


@pytest.mark.slow
def test_pdf_long_table_repeats_its_header_row(tmp_path):
    rows = [[f"Vastaaja{r:03d}", str(r), f"{r % 100} %"] for r in range(1, 121)]
    long_table = Table(1, "Pitkä taulukko", "Taulukko", "Rivi", ["Määrä", "Osuus"], rows, "t1", numeric=[True, True])
    document = ReportDocument(TITLE, "fi", [Section("s", "fi", [Heading(TITLE, "t", level=1), long_table])])
    pages = [text for _, _, text in _pages(export(document, "pdf", tmp_path / "pitka.pdf"))]
    with_rows = [text for text in pages if "Vastaaja" in text]
    assert len(with_rows) >= 2
    assert all("Määrä" in text and "Osuus" in text for text in with_rows)   # the header row on every page
    assert sum(text.count("Taulukko 1. Pitkä taulukko") for text in pages) == 1
    assert all(any(f"Vastaaja{r:03d}" in text for text in pages) for r in range(1, 121))


def test_xlsx_without_tables_says_so(tmp_path):
    from openpyxl import load_workbook
    document = ReportDocument(TITLE, "sv", [Section("s", "sv", [Heading(TITLE, "t", level=1)])])
    wb = load_workbook(export(document, "xlsx", tmp_path / "tom.xlsx"))
    assert wb.sheetnames == ["Innehåll"] and wb["Innehåll"]["A4"].value == "Rapporten har inga tabeller."


def _svg_figure() -> str:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(["Kehittäjäryhmä", "Johto"], [3.0, 4.2], color="#004d7a")
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buf, format="svg")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


@pytest.mark.slow
def test_docx_svg_figure_becomes_png_with_its_alt_text(tmp_path):
    """pandoc puts an SVG into Word without a PNG fallback unless rsvg-convert is installed;
    the exporter hands it a PNG instead (read back with python-docx and Pillow)."""
    import docx
    from docx.oxml.ns import qn
    from PIL import Image
    figure = Figure(1, "Keskiarvot rooleittain", "Kuvio", FIG_ALT, "image/svg+xml", _svg_figure(), "kuvio-1")
    document = ReportDocument(TITLE, "fi", [Section("baseline", "fi", [Heading("Lähtötilanne", "l"), figure])])
    path = export(document, "docx", tmp_path / "r.docx")
    d = docx.Document(str(path))
    assert [p.get("descr") for p in d.element.body.iter(qn("wp:docPr"))] == [FIG_ALT]
    images = [r.target_part for r in d.part.rels.values() if "image" in r.reltype]
    assert [p.content_type for p in images] == ["image/png"]
    png = Image.open(io.BytesIO(images[0].blob))
    assert png.size == (4 * 144, round(2.5 * 144))             # a 4 x 2.5 in figure at 144 px per inch
    import numpy as np
    bars = (np.abs(np.asarray(png.convert("RGB"), dtype=int) - (0x00, 0x4D, 0x7A)).sum(axis=2) < 30).mean()
    assert bars > 0.05                                          # drawn: the two bars in #004d7a
    assert document.figures()[0].mime == "image/svg+xml"       # the document itself is not changed


@pytest.mark.slow
def test_docx_figures_drawn_together_keep_their_own_sizes_and_a_broken_one_is_named(tmp_path):
    """All SVG figures are drawn in one Typst run: each PNG still has its own figure's size
    (4 x 2.5 in and 6 x 3 in at 144 px per inch, read with Pillow), in the report's order;
    a figure that cannot be drawn is named in the error."""
    import docx
    from PIL import Image
    import matplotlib
    import matplotlib.pyplot as plt
    matplotlib.use("Agg")
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([1, 2, 3], [2, 3, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    wide = base64.b64encode(buf.getvalue()).decode("ascii")
    figures = [Figure(1, "Pienempi", "Kuvio", FIG_ALT, "image/svg+xml", _svg_figure(), "kuvio-1"),
               Figure(2, "Leveämpi", "Kuvio", "Viivakuvio.", "image/svg+xml", wide, "kuvio-2")]
    document = ReportDocument(TITLE, "fi", [Section("baseline", "fi", [Heading("Lähtötilanne", "l"), *figures])])
    d = docx.Document(str(export(document, "docx", tmp_path / "r.docx")))
    blips = [b.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
             for b in d.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")]
    sizes = [Image.open(io.BytesIO(d.part.related_parts[r].blob)).size for r in blips]
    assert sizes == [(4 * 144, round(2.5 * 144)), (6 * 144, 3 * 144)]
    broken = Figure(3, "Rikki", "Kuvio", "Rikki.", "image/svg+xml",
                    base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'><g>").decode("ascii"), "kuvio-3")
    document.sections[0].blocks.append(broken)
    with pytest.raises(ExportError, match="kuvio-3"):
        export(document, "docx", tmp_path / "broken.docx")


def test_pdf_rows_of_uneven_length_keep_their_columns(tmp_path):
    """Typst fills a table cell by cell: a short row is padded (its missing cells empty) and a
    long one widens the header, so no cell moves into another row or column."""
    from osallisuus.export.pdf import typst_report
    uneven = Table(1, "Epätasainen", "Taulukko", "Rivi", ["a", "b"], [["x", "1"], ["y", "2", "3", "4"]], "t1",
                   numeric=[True])
    document = ReportDocument(TITLE, "fi", [Section("s", "fi", [Heading(TITLE, "t", level=1), uneven])])
    block = next(b for section in typst_report(document)["sections"] for part in section for b in part["blocks"]
                 if b["kind"] == "table")
    assert block["header"] == ["Rivi", "a", "b", ""]
    assert block["rows"] == [["x", "1", "", ""], ["y", "2", "3", "4"]]
    assert block["numeric"] == [False, True, False, False]
    text = _poppler("pdftotext", "-layout", export(document, "pdf", tmp_path / "r.pdf"), "-")
    assert re.search(r"^x\s+1$", text, re.M) and re.search(r"^y\s+2\s+3\s+4$", text, re.M), text


def test_pdf_of_a_block_kind_it_does_not_know_is_a_clear_error(tmp_path):
    from dataclasses import dataclass

    @dataclass
    class Chart:
        kind: str = "chart"
    document = ReportDocument(TITLE, "fi", [Section("s", "fi", [Heading(TITLE, "t", level=1), Chart()])])
    with pytest.raises(ExportError, match="cannot write PDF r.pdf: the PDF cannot print a block of kind 'chart'"):
        export(document, "pdf", tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.slow
def test_pdf_heading_does_not_break_a_hyphenated_name(tmp_path):
    """'Keski-Suomi' at the end of a title too long for one line moves down whole, instead of
    'Keski-' on one line and 'Suomi' on the next (which readers of the text get as 'KeskiSuomi')."""
    title = "Osallisuuden ja yhteiskehittämisen arviointi: Keski-Suomi"
    document = ReportDocument(title, "fi", [Section("s", "fi", [Heading(title, "t", level=1),
                                                                Heading("Muutos SOC-G-10-mittarilla Keski-Suomessa", "m")])])
    text = _poppler("pdftotext", export(document, "pdf", tmp_path / "r.pdf"), "-")
    assert "\nKeski-Suomi\n" in text and "KeskiSuomi" not in text


@pytest.mark.slow
@pytest.mark.parametrize("blocks, first", [
    ([Heading("Osio", "o"), Paragraph("Tekstiä.")], "Otsikko"),               # no title heading: the document's
    ([Paragraph("Tekstiä.")], "Otsikko"),
    ([Heading("Oma otsikko", "t", level=1), Heading("Ali", "a", level=3)], "Oma otsikko"),   # one section
], ids=["no-title", "no-heading", "one-section"])
def test_pdf_opens_with_a_level_one_title_and_then_the_contents(blocks, first, tmp_path):
    """PDF/UA (Typst checks it) wants the first heading at level 1: a report that does not open
    with its title gets the document's, and the contents (a level-2 heading) follow the title
    even when the report is one section."""
    path = export(ReportDocument("Otsikko", "fi", [Section("s", "fi", blocks)]), "pdf", tmp_path / "r.pdf")
    lines = _poppler("pdftotext", path, "-").splitlines()
    assert lines[0] == first
    if any(isinstance(b, Heading) and b.level > 1 for b in blocks):
        assert lines[1] == "Sisällys"


@pytest.mark.slow
def test_pdf_without_system_fonts_uses_the_packages_dejavu_not_typsts_serif(tmp_path):
    """A machine with no fonts of its own (a slim container) would get Typst's built-in serif
    (Libertinus) for the report's text and no font for a figure's labels; the exporter brings
    DejaVu Sans from matplotlib's data (pdffonts lists what the PDF embeds)."""
    from osallisuus.export.pdf import PDFExporter
    figure = Figure(2, "Keskiarvot", "Kuvio", FIG_ALT, "image/svg+xml", _svg_figure(), "kuvio-2")
    document = sample_document()
    document.sections[1].blocks.append(figure)
    path = tmp_path / "r.pdf"
    path.write_bytes(PDFExporter(system_fonts=False).pdf_bytes(document))
    fonts = [line.split()[0].split("+")[-1] for line in _poppler("pdffonts", path).splitlines()[2:]]
    assert fonts and all(f.startswith("DejaVuSans") for f in fonts), fonts
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= set(fonts)
    assert "Lähtötilanne" in _poppler("pdftotext", path, "-")


def test_xlsx_stores_every_plain_number_as_a_number(tmp_path):
    """A reviewer found Holm p-values stored as text ('0,198') because the column also holds the
    word for an exploratory test. Every cell after the row labels that reads as a plain number
    ('0,198', '66,3', '12') is now a number in Excel, whatever else its column holds."""
    from openpyxl import load_workbook
    from osallisuus.report import RegionReport
    example = Path(__file__).resolve().parents[1] / "data" / "example"
    path = export(RegionReport("Etelä-Pohjanmaa", example).document(), "xlsx", tmp_path / "r.xlsx")
    plain = re.compile(r"^−?\d+(,\d+)?$")
    numbers = mixed = 0
    for ws in load_workbook(path).worksheets[1:]:
        for row in ws.iter_rows(min_row=3, min_col=2):
            for cell in row:
                if isinstance(cell.value, str):
                    assert not plain.match(cell.value), (ws.title, cell.coordinate, cell.value)
                elif isinstance(cell.value, (int, float)):
                    numbers += 1
        for col in ws.iter_cols(min_row=3, min_col=2):
            kinds = {type(c.value) for c in col if c.value is not None}
            mixed += str in kinds and (int in kinds or float in kinds)
    assert numbers > 100 and mixed > 0

"""osallisuus audit: clean on a hand-built clean report folder; each problem found at its place."""
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import openpyxl
import pytest

from osallisuus.audit import audit, audit_file

CLEAN_HTML = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Raportti</title>
<style>body { font-family: sans-serif; }</style></head><body>
<h1>Arviointi 2026</h1>
<p>Vastaajia oli 43 (n = 43). Asteikko 1–4, keskiarvo 3.2. Ryhmiä, joissa on alle 5 vastaajaa, ei näytetä.</p>
<table><thead><tr><th scope="col">Rooli</th><th scope="col">n</th><th scope="col">Keskiarvo</th></tr></thead>
<tbody><tr><th scope="row">Asiakkaat</th><td>17</td><td>3.1</td></tr>
<tr><th scope="row">Johto</th><td>&lt;5</td><td>–</td></tr></tbody></table>
<p>Lähde: <a href="https://thl.fi/osallisuus">THL</a>, Leemann ym. 2022. Yhteys osallisuus@example.fi.</p>
<blockquote><p>Ohjaaja [nimi] kuunteli minua, soitin [puhelinnumero].</p></blockquote>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="Kuvio: keskiarvot 1–4 asteikolla">
</body></html>"""

DIRTY_HTML = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">
<script src="https://cdn.example.com/lib.js"></script>
<link rel="stylesheet" href="//fonts.example.com/font.css">
<style>body { background: url('https://img.example.com/bg.png'); }</style></head><body>
<p>Luotettavuus: alfa 0.81, n = 3.</p>
<table><tr><th>Rooli</th><th>Vastaajia</th></tr><tr><td>Johto</td><td>4</td></tr></table>
<p>Aineisto: /home/arvioija/data/vastaukset.csv</p>
<blockquote><p>Kiitos Korhoselle, soita 040 123 4567</p></blockquote>
<img src="https://tracker.example.com/pixel.gif" alt="">
</body></html>"""


def _docx(path, paragraphs, table):
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row) + "</w:tr>"
                   for row in table)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {w}><w:body>{para}<w:tbl>{rows}</w:tbl></w:body></w:document>")


def _xlsx(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Taulukko"
    for row in rows:
        ws.append(row)
    wb.save(path)


def _notebook(path, source, html):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "<HTML>"})]
    nb.cells = [cell]
    nbformat.write(nb, str(path))


def _pdf(path, html):
    from weasyprint import HTML
    HTML(string=html).write_pdf(str(path))


@pytest.fixture
def clean(tmp_path):
    folder = tmp_path / "reports" / "alue"
    folder.mkdir(parents=True)
    (folder / "raportti.html").write_text(CLEAN_HTML, encoding="utf-8")
    (folder / ".manifest.json").write_text(json.dumps({"summary": {"respondents_final": 43, "mean": 3.2,
                                                                   "item_n": 17, "scale_min": 1}}))
    _docx(folder / "raportti.docx", ["Vastaajia 43, asteikko 1–4.", "Vuonna 2026."], [["Rooli", "n"], ["Asiakkaat", "17"]])
    _xlsx(folder / "taulukot.xlsx", [["Rooli", "n", "Keskiarvo"], ["Asiakkaat", 17, 3.1], ["Johto", "<5", None]])
    _notebook(folder / "alueraportti.ipynb", "region = 'alue'\nthreshold = 5", CLEAN_HTML)
    _pdf(folder / "raportti.pdf", CLEAN_HTML)
    return tmp_path / "reports"


def test_clean_folder_has_no_findings(clean):
    assert audit(clean, threshold=5) == []


def test_cli_clean_exits_zero(clean):
    res = subprocess.run([sys.executable, "-m", "osallisuus", "audit", str(clean), "--threshold", "5", "--lang", "en"],
                         capture_output=True, text=True)
    assert res.returncode == 0 and "clean" in res.stdout, res.stderr


def test_each_problem_is_found_at_its_place(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "r.html").write_text(DIRTY_HTML, encoding="utf-8")
    (folder / ".manifest.json").write_text(json.dumps({"summary": {"respondents_final": 4, "item_n": 43},
                                                       "data": "/work/projekti/data"}))
    _docx(folder / "r.docx", ["Muutos yhdistettiin 3 vastaajalla.", "Yhteys maija.virtanen@example.fi"],
          [["Rooli", "n"], ["Johto", "2"]])
    _xlsx(folder / "t.xlsx", [["Rooli", "N"], ["Johto", 1], ["Asiakkaat", 17], ["Polku", "C:\\Users\\arvioija\\data.csv"]])
    _notebook(folder / "nb.ipynb", "data_path = '/tmp/aineisto/vastaukset.csv'", "<p>n = 2</p>")
    _pdf(folder / "r.pdf", "<p>Reliabiliteetti n = 4</p><p>hetu 131052-308T</p>")
    lines = [str(f) for f in audit(folder, threshold=5)]
    expected = [
        ("r.html:line 2: external", "cdn.example.com"), ("r.html:line 3: external", "fonts.example.com"),
        ("r.html:line 4: external", "img.example.com"), ("r.html:line 5: count", "n = 3"),
        ("r.html:line 6 table row 2: count", "4 under column 'Vastaajia'"), ("r.html:line 7: path", "/home/arvioija"),
        ("r.html:line 8: personal", "Korhoselle"), ("r.html:line 8: personal", "040 123 4567"),
        ("r.html:line 9: external", "tracker.example.com"),
        (".manifest.json:summary.respondents_final: count", "4"), (".manifest.json:data: path", "/work/projekti"),
        ("r.docx:paragraph 1: count", "3 vastaajalla"), ("r.docx:paragraph 2: personal", "maija.virtanen@example.fi"),
        ("r.docx:table 1 row 2: count", "2 under column 'n'"),
        ("t.xlsx:Taulukko! row 2: count", "1 under column 'N'"), ("t.xlsx:Taulukko!B4: path", "local path 'C:"),
        ("nb.ipynb:cell 1 source: path", "/tmp/aineisto"), ("nb.ipynb:cell 1 line 1: count", "n = 2"),
        ("r.pdf:page 1: count", "n = 4"), ("r.pdf:page 1: personal", "131052-308T"),
    ]
    for place, what in expected:
        assert any(place in line and what in line for line in lines), (place, what, lines)
    assert not any("item_n" in line or "Asiakkaat" in line for line in lines)       # 43 and 17 are fine
    assert len(lines) == len(expected), lines
    res = subprocess.run([sys.executable, "-m", "osallisuus", "audit", str(folder), "--threshold", "5"],
                         capture_output=True, text=True)
    assert res.returncode == 1 and "Traceback" not in res.stderr and "r.html:line 5: count" in res.stderr


LIKERT_HTML = """<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><style>
table { border-collapse: collapse; font-size: 9pt } td, th { padding: 2pt 8pt }</style></head><body>
<table><caption>Taulukko 2. Vastausten jakaumat</caption>
<thead><tr><th>Kysymys</th><th>Täysin samaa mieltä</th><th>Jokseenkin samaa mieltä</th><th>Jokseenkin eri mieltä</th>
<th>n</th><th>Keskiarvo*</th></tr></thead><tbody>
<tr><th>Sain tarvitsemani tiedon palveluista ymmärrettävästi.</th><td>{a}</td><td>20</td><td>{b}</td><td>{n}</td><td>3,1</td></tr>
<tr><th>Yhteensä</th><td>{a}</td><td>20</td><td>{b}</td><td>{n}</td><td>3,1</td></tr>
</tbody></table><p>Vuonna 2026 asteikko 1–4.</p></body></html>"""


def test_answer_category_counts_found_by_column_in_html_and_pdf(tmp_path):
    """Counts 3 and 2 under answer-category columns (before the n column): found in the HTML
    table and, read by column from the words' boxes (``pdftotext -bbox``), in the PDF; '<5' and '..' are not."""
    dirty, clean = tmp_path / "dirty", tmp_path / "clean"
    for folder, cells in ((dirty, dict(a=3, b=2, n=25)), (clean, dict(a="&lt;5", b="..", n=25))):
        folder.mkdir()
        html = LIKERT_HTML.replace("{a}", str(cells["a"])).replace("{b}", str(cells["b"])).replace("{n}", str(cells["n"]))
        (folder / "r.html").write_text(html, encoding="utf-8")
        _pdf(folder / "r.pdf", html)
    lines = [str(f) for f in audit(dirty, threshold=5)]
    for name in ("r.html", "r.pdf"):
        assert any(name in x and "3 under column 'Täysin" in x for x in lines), (name, lines)
        assert any(name in x and "2 under column 'Jokseenkin" in x for x in lines), (name, lines)
    assert not any("'n'" in x or "20 under" in x or "25 under" in x for x in lines), lines
    assert audit(clean, threshold=5) == []


def test_grouped_counts_are_one_number_and_small_counts_are_still_found(tmp_path):
    """Counts of five or more digits are printed grouped (``120 934``; pdftotext turns the no-break
    space into a plain one): the audit reads each as one number, so neither its last three
    digits ("003") nor the run of six digits is a finding, while a real small count is."""
    nb = "\u00a0"
    folder = tmp_path / "reports"
    folder.mkdir()
    text = (f"<p>Luettiin 120{nb}934 vastausta: hyväksyttiin 120{nb}934, karanteeniin 1{nb}003 (n = 10{nb}003).</p>"
            f"<p>Muutos mitattiin 1{nb}003 vastaajalla (n = 1{nb}004).</p>"
            f"<table><tr><th>Rooli</th><th>n</th></tr><tr><td>Asiakkaat</td><td>12{nb}003</td></tr></table>")
    (folder / "r.html").write_text(f"<html lang='fi'><body>{text}</body></html>", encoding="utf-8")
    _pdf(folder / "r.pdf", "<style>td, th { padding: 2pt 8pt }</style>" + text + "<p>Johdossa 2 vastaajaa.</p>"
         f"<table><tr><th>Kohta</th><th>n</th><th>Ka</th></tr><tr><th>Yksi</th><td>3{nb}004</td><td>3,4</td></tr>"
         f"<tr><th>Kaksi</th><td>4</td><td>2,0</td></tr></table>")
    found = [str(f) for f in audit(folder, threshold=5)]
    assert len(found) == 2, found
    assert "r.pdf:page 1: count: '2 vastaajaa' (threshold 5)" in found[0] + found[1]
    assert any("count: 4 under column 'n'" in f for f in found), found


COMMENTED_HTML = """<!DOCTYPE html><html><head><title>Raportti</title>
<link rel="Stylesheet" href="https://x.example.com/a.css">
<script>var n = 3;</script></head><body>
<!-- Matti Meikäläinen 040 765 4321 -->
<p>Luvut <b>n = 4</b>.</p>
<blockquote>Maija Virtanen sanoi hyvää.</blockquote>
<p>Palautetta antoi <i>moni</i> ja 2 vastaajaa lisäksi.</p>
</body></html>"""


def test_html_comments_are_read_and_scripts_are_not(tmp_path):
    """Each finding at the line where it stands: a comment is read (a reader of the source sees
    it), a script's code is not text, a quote's names are personal data, text after an inline
    element is read at that element's line, and a stylesheet's ``rel`` is matched in any case."""
    page = tmp_path / "r.html"
    page.write_text(COMMENTED_HTML, encoding="utf-8")
    found = {(f.place, f.kind, f.detail) for f in audit_file(page, threshold=5)}
    assert found == {
        ("line 2", "external", "<link href='https://x.example.com/a.css'>"),
        ("line 4", "personal", "phone '040 765 4321'"),
        ("line 5", "count", "'n = 4' (threshold 5)"),
        ("line 6", "personal", "name 'Maija Virtanen'"),
        ("line 7", "count", "'2 vastaajaa' (threshold 5)"),
    }, found


def test_a_report_checksum_that_starts_with_digits_is_not_personal_data(tmp_path):
    """A new user's reports were all withheld: the audit took the first ten characters of the
    report's own data checksum ('Aineiston tarkiste (SHA-256): 3697825145df59…') for a personal
    number. A digit run that goes on as a hexadecimal word is not a number; the same digits
    standing alone still are."""
    import hashlib
    digest = next(h for h in (hashlib.sha256(str(i).encode()).hexdigest() for i in range(10000))
                  if h[:10].isdigit() and not h[10].isdigit())          # e.g. 10 digits, then a letter
    folder = tmp_path / "reports"
    folder.mkdir()
    page = CLEAN_HTML.replace("</body>", f"<p>Aineiston tarkiste (SHA-256): {digest}</p></body>")
    (folder / "raportti.html").write_text(page, encoding="utf-8")
    _docx(folder / "raportti.docx", [f"Aineiston tarkiste (SHA-256): {digest}"], [["Rooli", "n"], ["Asiakkaat", "17"]])
    assert audit(folder, threshold=5) == []
    (folder / "raportti.html").write_text(page.replace(digest, digest[:10]), encoding="utf-8")
    assert [f.kind for f in audit(folder, threshold=5)] == ["personal"]


def test_a_contents_page_number_before_a_heading_is_no_count(tmp_path):
    """Every English PDF of a review's project was withheld: its contents page read '… 3' at a
    line's end and the next entry 'Clients' and professionals' experiences', which the audit took
    for '3 Clients'. A count wrapped onto the next line ('3' / 'vastaajaa') is still found."""
    folder = tmp_path / "reports"
    folder.mkdir()
    _pdf(folder / "r.pdf", "<style>p { width: 12em }</style><p>Interim evaluation 3</p>"
         "<p>Clients' and professionals' experiences 4</p><p>Johdossa oli aivan vähän eli vain 2 vastaajaa.</p>")
    found = [str(f) for f in audit(folder, threshold=5)]
    assert len(found) == 1 and "'2" in found[0] and "vastaajaa'" in found[0], found


def test_a_count_before_any_space_on_the_line_is_found():
    """A reviewer: after the line-break fix, '3\u202fvastaajaa', '3\u2009vastaajaa' and a Windows
    line break were missed. Every same-line space counts, and a lower-case word after a line break."""
    from osallisuus.audit import _N_WORDS
    for text in ("3\u202fvastaajaa", "3\u2009vastaajaa", "3\r\nvastaajaa", "3 \n vastaajaa", "3\u00a0clients"):
        assert _N_WORDS.search(text), repr(text)
    assert not _N_WORDS.search("Interim 3\nClients' and professionals' experiences")


def test_a_count_under_a_heading_that_names_its_groups_is_found(tmp_path):
    """The comparison of roles heads its shared cells 'n: asiakkaat / ammattilaiset' (an
    accessibility review asked whose figure is first); the audit still reads those cells as counts."""
    folder = tmp_path / "reports"
    folder.mkdir()
    html = ("<table><caption>Taulukko 9. Vertailu</caption><thead><tr><th>Kysymys</th>"
            "<th>n: asiakkaat / ammattilaiset</th><th>Keskiarvo: asiakkaat / ammattilaiset</th></tr></thead>"
            "<tbody><tr><th>Väite</th><td>3 / 20</td><td>3,5 / 3,1</td></tr></tbody></table>")
    (folder / "r.html").write_text(f"<html lang='fi'><body>{html}</body></html>", encoding="utf-8")
    found = [str(f) for f in audit(folder, threshold=5)]
    assert any("r.html" in f and "3 under column 'n: asiakkaat / ammattilaiset'" in f for f in found), found
    assert not any("20 under" in f or "3,5" in f for f in found), found


def test_a_failed_notebooks_error_and_metadata_are_read_for_paths(tmp_path, monkeypatch):
    """A failed region's notebook names the file that broke it in its error output, and papermill
    keeps its paths in the metadata; both were unread, and the only path found was one under a
    fixed prefix in a cell's source, so a project in '/builds/…' passed (the project's CI)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("report = region_report(region)")
    cell.outputs = [nbformat.v4.new_output("error", ename="ReportError",
                                           evalue="/srv/hanke/aineisto/lappi.yaml: not valid YAML",
                                           traceback=["\x1b[0;31mReportError\x1b[0m: /tmp/x/lappi.yaml"])]
    nb.cells = [cell]
    nb.metadata["papermill"] = {"parameters": {"data_path": "/opt/hanke/data"}, "input_path": "/mnt/x.ipynb"}
    nbformat.write(nb, str(folder / "FAILED_r.ipynb"))
    monkeypatch.chdir("/")                       # no working folder to fall back on
    lines = [str(f) for f in audit(folder, threshold=5)]
    assert any("cell 1 error: path" in line and "/tmp/x/lappi.yaml" in line for line in lines), lines
    assert any("metadata.papermill.input_path: path" in line for line in lines), lines
    # '/srv/…' and '/opt/…' are under no fixed prefix: in a traceback and in papermill's metadata,
    # text a machine wrote, any absolute path is one (a code review: they were missed)
    assert any("cell 1 error: path" in line and "/srv/hanke/aineisto/lappi.yaml" in line for line in lines), lines
    assert any("parameters.data_path: path" in line and "/opt/hanke/data" in line for line in lines), lines
    # in prose, the folder the audit runs in is found; a web address and a similar name are not
    monkeypatch.setattr(Path, "cwd", lambda: Path("/srv/hanke"))
    (folder / "note.txt").write_text("lähde /srv/hanke/a.csv ja /srv/hankekuvaus.pdf, https://thl.fi/srv/hanke/a\n",
                                     encoding="utf-8")
    notes = [str(f) for f in audit(folder, threshold=5) if f.path.name == "note.txt"]
    assert len(notes) == 1 and "the local folder '/srv/hanke'" in notes[0], notes


def test_a_comparison_tables_counts_are_read_in_the_pdf_typst_lays_out(tmp_path):
    """The audit's PDF reader parsed no row of the comparison of roles: its rows hold shares
    ('53 % / 38 %') and a text cell ('eksploratiivinen'), so they looked like headings. A
    count 3 in the 'n' column of such a table, laid out by the report's own PDF exporter, is
    now found in the PDF as in the HTML; the shown 19, 24, 20 and the '..' are not."""
    from osallisuus.export import ReportDocument, export
    from osallisuus.report.model import Section, Table
    columns = ["n: asiakkaat / ammattilaiset", "Keskiarvo: asiakkaat / ammattilaiset",
               "Myönteisiä vastauksia: asiakkaat / ammattilaiset", "Efektikoko (r)", "p", "p (Holm, ensisijaiset)"]
    rows = [["Tunnen, että päivittäiset tekemiseni ovat merkityksellisiä.", ".. / 23", ".. / 3,3", ".. / 39 %",
             "0,30", "0,090", "eksploratiivinen"],
            ["Olen tarpeellinen muille ihmisille.", "19 / 24", "3,6 / 3,3", "53 % / 38 %", "0,22", "0,189",
             "eksploratiivinen"],
            ["Saan itse apua silloin, kun sitä todella tarvitsen.", "3 / 20", "3,0 / 3,4", "33 % / 41 %", "−0,01",
             "0,063", "0,285"]]
    table = Table(15, "Osallisuusindikaattori: Asiakkaat ja ammattilaiset (alkuarviointi)", "Taulukko", "Kysymys",
                  columns, rows, "taulukko-15", numeric=[True] * 5 + [False])
    folder = tmp_path / "reports"
    folder.mkdir()
    export(ReportDocument("Vertailu", "fi", [Section("roles", "fi", [table])]), "pdf", folder / "r.pdf")
    found = [str(f) for f in audit(folder, threshold=5)]
    assert any("r.pdf" in f and "'3' under column" not in f and "3 under column 'n: asiakkaat / ammattilaiset'" in f
               for f in found), found
    assert not any(re.search(r"\b(19|24|20|23) under", f) for f in found), found

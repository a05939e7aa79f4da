"""An executed notebook read back by ``document_from_notebook`` and written by the HTML exporter:
checked as text and in a real browser. (PDF, Word and Excel: tests/test_export_formats.py.)"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from osallisuus.errors import ExportError
from osallisuus.export import document_from_notebook, export, get_exporter, parse_formats
from tests.browser import (broken_images, broken_toc_links, external_requests, images_without_alt, page_for,
                           require_browser, run_axe, screenshot, serious_violations)

pytestmark = pytest.mark.slow   # runs a kernel and a browser (~6 s in all)

ROOT = Path(__file__).resolve().parents[1]
SECRET = "SALAINEN_PARAMETRI"
FIGURE_ALT = "Pylväskuvio: alue A 3, alue B 5."
PLAIN_ALT = "Viivakuvio nousee tasaisesti."

SECTION_CELL = f'''\
import matplotlib.pyplot as plt
from osallisuus.figures import figure_image
from osallisuus.report.model import Figure, Heading, Paragraph, Section, Table
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.bar(["A", "B"], [3, 5], color="#004d7a")
from IPython.display import display
mime, data, _ = figure_image(ax)
display(Section("tulokset", "fi", [
    Heading("Tulokset <ja> muuta", "tulokset", 2),
    Paragraph("Teksti & <b>ei lihavoitu</b>"),
    Table(1, "Vastaajat", "Taulukko", "Alue", ["n"], [["Lappi", "12"]], "taulukko-1", numeric=[True]),
    Heading("Tarkemmin", "tarkemmin", 3),
    Figure(1, "Esimerkki", "Kuvio", {FIGURE_ALT!r}, mime, data, "kuvio-1"),
]))


def show_png(fig):  # a plain image/png output, as plt.show() gives with the inline backend
    import io
    from IPython.display import Image
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    display(Image(buf.getvalue(), format="png"))
'''
HEADER_CELL = '''\
from osallisuus.report.model import Heading, Paragraph, Section
Section("header", "fi", [Heading("Alueraportti", "top", 1), Paragraph("Johdanto raporttiin.")])
'''


def _notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_code_cell('region = "Lappi"', metadata={"tags": ["parameters"]}),
        new_code_cell(f'region = "{SECRET}"\nprint(region)', metadata={"tags": ["injected-parameters"]}),
        new_code_cell(HEADER_CELL),
        new_markdown_cell("Käyttäjän oma huomautus *korostettuna*."),
        new_code_cell(SECTION_CELL),
        new_code_cell("fig, ax = plt.subplots(figsize=(3, 2)); ax.plot([1, 2, 3]); show_png(fig)",
                      metadata={"alt": PLAIN_ALT}),
        new_code_cell("fig, ax = plt.subplots(figsize=(3, 2)); ax.plot([3, 1]); show_png(fig)"),
        new_code_cell('print("PIILOTETTU_TULOSTE")', metadata={"tags": ["remove_output"]}),
        new_code_cell('print("POISTETTU_SOLU")', metadata={"tags": ["remove_cell"]}),
        new_code_cell('import warnings; warnings.warn("VAROITUS_LOKIIN")'),
    ]
    return nb


@pytest.fixture(scope="module")
def executed() -> nbformat.NotebookNode:
    nb = _notebook()
    NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb


@pytest.fixture(scope="module")
def html_file(executed, tmp_path_factory) -> Path:
    doc = document_from_notebook(executed, lang="fi", title="Testiraportti")
    return export(doc, "html", tmp_path_factory.mktemp("export") / "raportti.html")


@pytest.fixture(scope="module")
def page_html(html_file) -> str:
    return html_file.read_text(encoding="utf-8")


def test_outputs_only_no_code_no_parameters(executed, page_html):
    assert "print(region)" in executed.cells[1].source   # the cells are there and ran ...
    assert SECRET in "".join(o.get("text", "") for o in executed.cells[1].outputs)
    for gone in (SECRET, "figure_image", "plt.subplots", "import ", "PIILOTETTU_TULOSTE", "POISTETTU_SOLU",
                 "VAROITUS_LOKIIN", "In&nbsp;[", "Out["):  # ... but not in the page
        assert gone not in page_html, gone
    assert "Käyttäjän oma huomautus <em>korostettuna</em>" in page_html   # markdown cells are kept


def test_text_is_escaped_by_the_templates(page_html):
    assert "Tulokset &lt;ja&gt; muuta" in page_html and "&lt;b&gt;ei lihavoitu&lt;/b&gt;" in page_html
    assert "<b>" not in page_html


def test_document_lang_title_and_self_contained(page_html):
    assert page_html.startswith("<!DOCTYPE html>")
    soup = BeautifulSoup(page_html, "html.parser")
    assert soup.html["lang"] == "fi"
    assert soup.title.string == "Testiraportti"
    assert not soup.find_all(["script", "link", "iframe"])
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page_html)
    assert "font-size" in soup.style.string and "max-width" in soup.style.string


def test_figures_tables_and_alt_text(page_html):
    soup = BeautifulSoup(page_html, "html.parser")
    imgs = soup.find_all("img")
    assert len(imgs) == 3
    assert imgs[0]["src"].startswith("data:image/svg+xml;base64,")                 # the report's figure (SVG)
    assert all(img["src"].startswith("data:image/png;base64,") for img in imgs[1:])  # plain PNG outputs as they were
    fig = soup.find("figure")
    assert fig.img["alt"] == FIGURE_ALT
    assert fig.figcaption.get_text() == "Kuvio 1. Esimerkki"
    assert [img["alt"] for img in imgs[1:]] == [PLAIN_ALT, "Kuvio ilman tekstikuvausta"]   # cell metadata, default
    table = soup.find("table")
    assert table.caption.get_text() == "Taulukko 1. Vastaajat"
    assert [th.get("scope") for th in table.thead.find_all("th")] == ["col", "col"]
    assert table.tbody.th["scope"] == "row" and table.tbody.td["class"] == ["num"]


def test_default_alt_follows_language(executed):
    html = document_from_notebook(executed, lang="en", title="T").html()
    assert 'alt="Figure without a text description"' in html
    assert "No description has been provided" not in html


def test_table_of_contents_after_title(page_html):
    soup = BeautifulSoup(page_html, "html.parser")
    nav = soup.find("nav")
    assert nav["aria-label"] == "Sisällys"
    assert nav.find_previous("h1").get_text() == "Alueraportti"
    links = [(a["href"], a.get_text()) for a in nav.find_all("a")]
    assert links == [("#tulokset", "Tulokset <ja> muuta"), ("#tarkemmin", "Tarkemmin")]
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids
    for href, text in links:
        assert soup.find(id=href[1:]).get_text() == text


def test_in_real_browser(html_file, tmp_path):
    require_browser()
    with page_for(html_file) as page:
        assert page.evaluate("() => document.documentElement.lang") == "fi"
        violations = run_axe(page)
        assert not serious_violations(violations), violations
        assert not broken_toc_links(page)
        assert not broken_images(page)
        assert not images_without_alt(page)
        assert not external_requests(page)
        shot = screenshot(page, tmp_path / "raportti.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_write_is_atomic(executed, tmp_path):
    target = tmp_path / "raportti.html"
    target.write_text("vanha", encoding="utf-8")
    doc = document_from_notebook(executed, lang="sv", title="Rapport")
    assert export(doc, "html", target) == target
    assert '<html lang="sv">' in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["raportti.html"]


def test_errors_are_export_errors():
    with pytest.raises(ExportError, match="notebook"):
        document_from_notebook("ei muistio", lang="fi", title="x")   # type: ignore[arg-type]
    with pytest.raises(ExportError, match="unknown format 'odt'; formats: html, pdf, docx, xlsx"):
        get_exporter("odt")
    with pytest.raises(ExportError, match="unknown format"):
        parse_formats("html,odt")
    assert parse_formats("html, PDF,html") == ["html", "pdf"]

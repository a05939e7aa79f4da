"""notebook_to_html / html_to_pdf on a real executed notebook, checked as text and in a real browser."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from osallisuus.errors import ExportError
from osallisuus.export import html_to_pdf, notebook_to_html, write_html
from tests.browser import (broken_images, broken_toc_links, external_requests, images_without_alt, page_for,
                           require_browser, run_axe, screenshot, serious_violations)

pytestmark = pytest.mark.slow   # runs a kernel and a browser (~6 s in all)

ROOT = Path(__file__).resolve().parents[1]
SECRET = "SALAINEN_PARAMETRI"
FIGURE_ALT = "Pylväskuvio: alue A 3, alue B 5."
PLAIN_ALT = "Viivakuvio nousee tasaisesti."

FIGURE_CELL = f'''\
import matplotlib.pyplot as plt
from IPython.display import HTML, display
from osallisuus.figures import figure_html
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.bar(["A", "B"], [3, 5], color="#004d7a")
display(HTML(figure_html(ax, "Kuvio 1. Esimerkki", alt={FIGURE_ALT!r})))


def show_png(fig):  # a plain image/png output, as plt.show() gives with the inline backend
    import io
    from IPython.display import Image
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    plt.close(fig)
    display(Image(buf.getvalue(), format="png"))
'''
TABLE_CELL = '''\
display(HTML('<table class="osallisuus"><caption>Taulukko 1. Vastaajat</caption>'
             '<thead><tr><th scope="col">Alue</th><th scope="col">n</th></tr></thead>'
             '<tbody><tr><th scope="row">Lappi</th><td>12</td></tr></tbody></table>'))
'''


def _notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_code_cell('region = "Lappi"', metadata={"tags": ["parameters"]}),
        new_code_cell(f'region = "{SECRET}"\nprint(region)', metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("# Alueraportti\n\nJohdanto raporttiin.\n\n## Tulokset\n\nTekstiä.\n\n"
                          "### Tarkemmin\n\n## Tulokset\n\nSama otsikko toiseen kertaan."),
        new_code_cell(FIGURE_CELL),
        new_code_cell(TABLE_CELL),
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
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    return nb


@pytest.fixture(scope="module")
def page_html(executed) -> str:
    return notebook_to_html(executed, lang="fi", title="Testiraportti", toc_label="Sisällys",
                            default_alt="Kuvio ilman kuvausta")


@pytest.fixture(scope="module")
def html_file(page_html, tmp_path_factory) -> Path:
    return write_html_file(page_html, tmp_path_factory.mktemp("export") / "raportti.html")


def write_html_file(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_outputs_only_no_code_no_parameters(executed, page_html):
    assert "print(region)" in executed.cells[1].source   # the cells are there and ran ...
    assert SECRET in "".join(o.get("text", "") for o in executed.cells[1].outputs)
    for gone in (SECRET, "figure_html", "plt.subplots", "display(HTML", "import ",   # ... but not in the page
                 "PIILOTETTU_TULOSTE", "POISTETTU_SOLU", "VAROITUS_LOKIIN", "In&nbsp;[", "Out["):
        assert gone not in page_html, gone
    assert "¶" not in page_html and "anchor-link" not in page_html


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
    assert all(img["src"].startswith("data:image/png;base64,") for img in imgs)
    fig = soup.find("figure")       # the library's own <figure> passes through unchanged
    assert fig.img["alt"] == FIGURE_ALT
    assert fig.figcaption.get_text() == "Kuvio 1. Esimerkki"
    assert [img["alt"] for img in imgs[1:]] == [PLAIN_ALT, "Kuvio ilman kuvausta"]   # cell metadata, default
    table = soup.find("table")
    assert table.caption.get_text() == "Taulukko 1. Vastaajat"
    assert [th.get("scope") for th in table.thead.find_all("th")] == ["col", "col"]


def test_default_alt_follows_language(executed):
    assert 'alt="Figure without a text description"' in notebook_to_html(executed, lang="en")
    assert "No description has been provided" not in notebook_to_html(executed, lang="sv")


def test_table_of_contents_after_title(page_html):
    soup = BeautifulSoup(page_html, "html.parser")
    nav = soup.find("nav")
    assert nav["aria-label"] == "Sisällys"
    assert nav.find_previous("h1").get_text() == "Alueraportti"
    assert nav.find_previous("p").get_text() == "Johdanto raporttiin."
    links = [(a["href"], a.get_text()) for a in nav.find_all("a")]
    assert [t for _, t in links] == ["Tulokset", "Tarkemmin", "Tulokset"]
    ids = [el["id"] for el in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), ids                      # the repeated heading got its own id
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


def test_pdf_from_string_and_file(page_html, html_file, tmp_path):
    out = html_to_pdf(page_html, tmp_path / "a" / "raportti.pdf")
    assert out == tmp_path / "a" / "raportti.pdf"
    assert out.read_bytes()[:5] == b"%PDF-" and out.stat().st_size > 5_000
    out2 = html_to_pdf(html_file, tmp_path / "b.pdf")
    assert out2.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b.pdf", "raportti.pdf"]   # no temp files left


def test_write_html_atomic(executed, tmp_path):
    target = tmp_path / "raportti.html"
    target.write_text("vanha", encoding="utf-8")
    assert write_html(executed, target, lang="sv", title="Rapport") == target
    assert '<html lang="sv">' in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["raportti.html"]


def test_errors_are_export_errors(executed, tmp_path):
    with pytest.raises(ExportError, match="notebook"):
        notebook_to_html("ei muistio")   # type: ignore[arg-type]
    with pytest.raises(ExportError, match="language"):
        notebook_to_html(executed, lang='fi" onload="x')
    with pytest.raises(ExportError, match="no HTML file"):
        html_to_pdf(tmp_path / "puuttuu.html", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()

"""APA 7 references of the bundled instruments, checked against hand-written entries, and the
.bib file read back with an independent BibTeX parser (pybtex)."""
from __future__ import annotations

import pytest

from osallisuus.methods import apa_citation, apa_reference, methods_paragraph, references, references_section, write_bib

ALL = ["osallisuusindikaattori", "arvio_4", "kehittajaryhma_palaute", "soc_g10", "osallisuus_24", "kouluarvosana"]

# Written by hand from the APA 7 manual's patterns (journal article 10.1, report by a group or
# in a series 10.4, web page without a date 10.16; two works of one author without a date get
# "n.d.-a", "n.d.-b" ordered by title, 8.19) and the sources in docs (instruments.md, seeds 000
# and 004: the STM report's authors, series number and URN from its description page).
EXPECTED_EN = {
    "leemann2022": "Leemann, L., Martelin, T., Koskinen, S., Härkänen, T., & Isola, A.-M. (2022). Development and "
                   "psychometric evaluation of the Experiences of Social Inclusion Scale. *Journal of Human Development "
                   "and Capabilities*, *23*(3), 400–424. https://doi.org/10.1080/19452829.2021.1985440",
    "sihvo2018": "Sihvo, S., Isola, A.-M., Kivipelto, M., Linnanmäki, E., Lyytikäinen, M., & Sainio, S. (2018). "
                 "*Asiakkaiden osallistumisen toimintamalli: Loppuraportti* (Sosiaali- ja terveysministeriön raportteja "
                 "ja muistioita 16/2018). Sosiaali- ja terveysministeriö. http://urn.fi/URN:ISBN:978-952-00-3927-1",
    "sokra2021": "Sosiaalisen osallisuuden edistämisen koordinaatiohanke Sokra. (2021). *Arvio toimintamallista: "
                 "Palveluohjauksen mallin kehittäminen yhdessä paljon tukea tarvitsevien kanssa*. Terveyden ja "
                 "hyvinvoinnin laitos.",
    "julkunen2013": "Julkunen, J., Pietilä, A., & Gustavsson-Lilius, M. (2013). Kuntoutusryhmän koherenssin arviointi: "
                    "Kyselymenetelmän luotettavuus ja alustavia tuloksia validiteetista. *Kuntoutus*, (3).",
    "thl_24_apukysymysta": "Terveyden ja hyvinvoinnin laitos. (n.d.-a). *Edistääkö toiminta osallisuutta? 24 "
                           "apukysymystä*. https://thl.fi/",
    "thl_osallisuusindikaattori": "Terveyden ja hyvinvoinnin laitos. (n.d.-b). *Osallisuusindikaattori mittaa "
                                  "osallisuuden kokemusta*. https://thl.fi/",
}


def test_apa_reference_list_matches_hand_written_entries():
    refs = {r["key"]: r for r in references(ALL)}
    assert set(refs) == set(EXPECTED_EN)                    # the school grade scale has no source to cite
    for key, expected in EXPECTED_EN.items():
        assert apa_reference(refs[key], "en", italic="*") == expected, key


def test_finnish_no_date_and_citations():
    refs = {r["key"]: r for r in references(ALL)}
    assert apa_reference(refs["thl_24_apukysymysta"], "fi").startswith("Terveyden ja hyvinvoinnin laitos. (s.a.-a). ")
    assert apa_citation(refs["leemann2022"], "fi") == "Leemann ym., 2022"
    assert apa_citation(refs["leemann2022"], "en") == "Leemann et al., 2022"
    assert apa_citation(refs["sihvo2018"], "sv") == "Sihvo m.fl., 2018"
    one = {r["key"]: r for r in references(["osallisuusindikaattori"])}
    assert apa_citation(one["thl_osallisuusindikaattori"], "en") == "Terveyden ja hyvinvoinnin laitos, n.d."


def test_methods_paragraph_cites_every_source():
    text = methods_paragraph(["osallisuusindikaattori", "soc_g10"], lang="en")
    assert "(Terveyden ja hyvinvoinnin laitos, n.d.; Leemann et al., 2022)" in text
    assert "(Julkunen et al., 2013)" in text and "[" not in text


def test_reference_section_is_alphabetical_with_italics():
    section = references_section(ALL, "en")
    html = [b.html for b in section.blocks[1:]]
    assert [h[3:11] for h in html] == ["Julkunen", "Leemann,", "Sihvo, S", "Sosiaali",
                                      "Terveyde", "Terveyde"]
    assert "<em>Journal of Human Development and Capabilities</em>" in html[1]


def test_bib_read_back_by_pybtex(tmp_path):
    pybtex = pytest.importorskip("pybtex.database")
    path = write_bib(ALL, tmp_path / "lahteet.bib")
    bib = pybtex.parse_file(str(path), bib_format="bibtex")
    assert set(bib.entries) == set(EXPECTED_EN)
    art = bib.entries["leemann2022"]
    assert art.type == "article" and art.fields["doi"] == "10.1080/19452829.2021.1985440"
    assert [str(p) for p in art.persons["author"]][-1] == "Isola, A.-M."
    assert len(art.persons["author"]) == 5 and art.fields["pages"] == "400--424"
    rep = bib.entries["sihvo2018"]
    assert rep.type == "techreport" and rep.fields["institution"] == "Sosiaali- ja terveysministeriö"
    group = bib.entries["thl_osallisuusindikaattori"].persons["author"]                # braced: one group name
    assert [str(p) for p in group] == ["{Terveyden ja hyvinvoinnin laitos}"]


def test_thesis_chapter_numbers_its_tables_without_gaps():
    from pathlib import Path

    import osallisuus
    from osallisuus.methods import thesis_document
    root = Path(__file__).resolve().parents[1]
    report = osallisuus.RegionReport("Lappi", str(root / "data" / "example"))
    doc = thesis_document(report, ["design", "final"], "Tulokset")     # the interim section's tables left out
    assert [t.number for t in doc.tables()] == list(range(1, len(doc.tables()) + 1))
    assert [f.number for f in doc.figures()] == list(range(1, len(doc.figures()) + 1))
    final = report.section("final").tables()
    assert final[0].number > len(report.section("design").tables()) + 1    # the report keeps its own numbers
    assert doc.tables()[1].caption == final[0].caption and doc.tables()[1].number == 2


def test_methods_state_each_rule_and_cite_a_projects_own_instrument(tmp_path):
    """A student's thesis chapter said 'mean or prorated sum' and 'alpha was assessed' with no
    alpha anywhere, and its reference list and .bib were empty although the project's own
    instrument had a citation. Now each instrument's rule is stated (as the report's appendix),
    alpha only for an instrument a report shows it for, and a citation-only instrument of the
    project is listed and written to the .bib as a @misc with the citation as its note."""
    from osallisuus.instruments import parse_instrument
    from osallisuus.methods import methods_paragraph, references_section, write_bib
    doc = {"id": "oma", "version": "1", "name": {"fi": "Oma kysely", "sv": "Egen enkät", "en": "Own survey"},
           "source": "x", "wording": "provisional", "scale": "samaa_mielta_5", "answer": "rating",
           "citation": {"fi": "Oma kysely, Vaasan yliopisto 2026.", "sv": "Egen enkät, Vasa universitet 2026.",
                        "en": "Own survey, University of Vaasa 2026."},
           "items": [{"id": f"k{i}", "text": {"fi": f"K{i}", "sv": f"F{i}", "en": f"Q{i}"}} for i in range(1, 7)],
           "scoring": {"method": "mean", "min_answered": 5}}
    own = parse_instrument(doc, str(tmp_path / "oma.yaml"))
    text = methods_paragraph([own], lang="sv")
    assert "Egen enkät: poängen är medelvärdet av de besvarade frågorna, när minst 5 av 6 frågor besvarats." in text
    assert "alfa" not in text and "proportionerad" not in text
    assert "Cronbachs alfa" in methods_paragraph(["soc_g10"], lang="sv")      # its report shows alpha
    section = references_section([own], "sv")
    assert "Egen enkät, Vasa universitet 2026." in str(section.blocks[1].html)
    bib = write_bib([own], tmp_path / "lahteet.bib").read_text(encoding="utf-8")
    assert bib.startswith("@misc{oma,") and "note = {Own survey, University of Vaasa 2026.}" in bib

import pytest

from osallisuus.privacy import redact, safe_quote


@pytest.mark.parametrize("text, expected", [
    ("Soita 040 123 4567", "Soita [puhelinnumero]"),
    ("numero +358 50 765 4321.", "numero [puhelinnumero]."),
    ("maija.meikalainen@example.fi kiitos", "[sähköposti] kiitos"),
    ("Ohjaaja Maija Meikäläinen oli hyvä", "Ohjaaja [nimi] oli hyvä"),
    ("hetu 131052-308T", "hetu [henkilötunnus]"),
    ("asun Koulukatu 5 B 12", "asun [osoite]"),
    ("Ryhmässä oli 12 henkeä vuonna 2026.", "Ryhmässä oli 12 henkeä vuonna 2026."),   # numbers that are not data stay
])
def test_redact_finnish(text, expected):
    assert redact(text, "fi") == expected


def test_markers_follow_language_and_html_is_escaped():
    assert redact("Matti soitti", "en") == "[name] soitti"
    assert safe_quote("<script>alert(1)</script> Matti", "fi") == "&lt;script&gt;alert(1)&lt;/script&gt; [nimi]"


# --- Finnish morphology (Voikko), patterns and kept words. Expected strings are written by hand.
@pytest.mark.parametrize("text, expected", [
    ("Kiitos Korhoselle ja Virtasen tiimille.", "Kiitos [nimi] ja [nimi] tiimille."),      # inflected surnames
    ("Soitin Mattille eilen.", "Soitin [nimi] eilen."),                                       # unknown form, stem Matti
    ("KIITOS VIRTANEN", "KIITOS [nimi]"),                                                     # capitals
    ("sosiaalityöntekijä Kalliokoski auttoi", "sosiaalityöntekijä [nimi] auttoi"),            # worker named by title
    ("Tack till Erik Lindqvist och Ebba.", "Tack till [nimi] och [nimi]."),                   # Swedish names
    ("Tyttäreni Satu sai paikan.", "Tyttäreni [nimi] sai paikan."),                          # name inside a sentence
    ("Anna minulle aikaa.", "Anna minulle aikaa."),                                           # verb 'antaa' kept
    ("Onni oli myötä.", "Onni oli myötä."),                                                   # noun 'onni' kept
    ("Palvelupolku 2.0 otettiin käyttöön.", "Palvelupolku 2.0 otettiin käyttöön."),           # not an address
    ("Asun Koulukadulla 5 ja Rantatieltä 3 B muutin.", "Asun [osoite] ja [osoite] muutin."),  # inflected streets
    ("osoite 33100 Tampere", "osoite [osoite]"),
    ("tunnus 010120A123B ja 131052Y308T", "tunnus [henkilötunnus] ja [henkilötunnus]"),     # 2023 century signs
    ("ring +46 70 123 45 67", "ring [puhelinnumero]"),
    ("viesti matti(at)example.com tai maija at example dot fi",
     "viesti [sähköposti] tai [sähköposti]"),
    ("tili FI21 1234 5600 0007 85", "tili [tilinumero]"),
    ("auto ABC-123 pihassa", "auto [rekisterinumero] pihassa"),
    ("seuraa @maija_m ja facebook.com/maija.m", "seuraa [käyttäjätunnus] ja [verkko-osoite]"),
    ("asiakasnumeroni on 4471234", "asiakasnumeroni on [tunnistenumero]"),
    ("Kävin Tampereella 12.3.2026 klo 14.30, maksu 25,50 €.", "Kävin Tampereella 12.3.2026 klo 14.30, maksu 25,50 €."),
])
def test_redact_morphology_and_patterns(text, expected):
    assert redact(text, "fi") == expected


def test_markers_in_swedish():
    assert redact("Ring Karin på 040 123 4567", "sv") == "Ring [namn] på [telefonnummer]"


def test_missing_analyser_is_a_clear_error_not_a_weaker_redaction():
    # a fresh interpreter in which the libvoikko package cannot be imported
    import subprocess
    import sys
    code = ("import sys; sys.modules['libvoikko'] = None\n"
            "from osallisuus.privacy import redact\n"
            "from osallisuus.errors import PrivacyError\n"
            "try:\n    redact('Matti soitti')\nexcept PrivacyError as e:\n    print('ERR', e)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.stdout.startswith("ERR") and "libvoikko" in res.stdout and "voikko-fi" in res.stdout, res


def test_sentence_start_read_from_the_end_is_the_whole_prefix_search():
    # _starts_sentence reads only the last characters; the definition is the pattern searched over
    # all of text[:at]. Random texts of the characters that matter, every position
    import random
    from osallisuus.privacy import _SENTENCE_END, _starts_sentence
    alphabet = ["a", "B", " ", "\n", "\t", ".", "!", ":", ";", "•", "*", "-", "–", '"', "'", "“", "(", "«", "\u00a0"]
    rng = random.Random(7)
    texts = ["", " ", "\n", ".  (", "a - b", "Kiitos. \"Maija", *("".join(rng.choices(alphabet, k=rng.randint(1, 30)))
                                                             for _ in range(3000))]
    for text in texts:
        for at in range(len(text) + 1):
            assert _starts_sentence(text, at) == bool(_SENTENCE_END.search(text[:at])), (text, at)


def _needs_digit(items) -> bool:
    """Whether every match of a parsed regular expression (``re._parser``) has a digit: some
    item that must match once is a digit, a class of digits only, a repeat of at least one such,
    a group of such, or a choice of such in every branch (lookarounds match no character)."""
    from re import _constants as c

    def digit_member(op, av):
        return (op is c.CATEGORY and av is c.CATEGORY_DIGIT or op is c.LITERAL and chr(av).isdigit()
                or op is c.RANGE and all(chr(x).isdigit() for x in range(av[0], av[1] + 1)))

    for op, av in items:
        if (op is c.LITERAL and chr(av).isdigit()
                or op is c.IN and av and all(digit_member(*m) for m in av)
                or op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1 and _needs_digit(av[2])
                or op is c.SUBPATTERN and _needs_digit(av[-1])
                or op is c.ATOMIC_GROUP and _needs_digit(av)
                or op is c.BRANCH and all(_needs_digit(b) for b in av[1])):
            return True
    return False


def test_a_pattern_skipped_for_a_text_without_digits_needs_one():
    # _pattern_findings does not run a pattern marked DIGIT on a text without digits: each mark
    # must agree with the pattern's own syntax (a wrong DIGIT would let personal data through)
    from re import _parser

    from osallisuus.privacy import DIGIT, _patterns
    marks = [(kind, needs, _needs_digit(_parser.parse(pattern.pattern, pattern.flags)))
             for kind, pattern, needs in _patterns()]
    assert [(kind, needs) for kind, needs, found in marks if needs != found] == []
    assert {kind for kind, needs, _ in marks if needs == DIGIT} >= {"hetu", "phone", "iban", "number", "plate",
                                                                    "address"}
    # the checker itself: digits must be there / may be missing
    assert _needs_digit(_parser.parse(r"a(?:b|\d)\d{1,3}")) and _needs_digit(_parser.parse(r"(x|0)[0-9]"))
    assert not any(_needs_digit(_parser.parse(p)) for p in (r"[\w.]+@x", r"\d?", r"(?=\d)a", r"(a|\d)", r"[^\d]"))


def test_patterns_skipped_for_a_text_without_digits_find_nothing_in_one():
    # the same on data: the redaction corpus with its digits taken out
    import re
    from pathlib import Path

    import yaml

    from osallisuus.privacy import DIGIT, _patterns
    corpus = yaml.safe_load((Path(__file__).parent / "data" / "redaction_corpus.yaml").read_text(encoding="utf-8"))
    texts = [p["text"] for p in corpus["planted"]] + corpus["ordinary"]
    plain = [re.sub(r"\d", "", t) for t in texts]
    needing = [(kind, pattern) for kind, pattern, needs in _patterns() if needs == DIGIT]
    assert [(kind, m.group()) for text in plain for kind, pattern in needing for m in pattern.finditer(text)] == []
    # and the kinds that may lack one find their planted data without digits too
    kept = {kind for text in plain for kind, pattern, needs in _patterns() if needs != DIGIT
            for _ in pattern.finditer(text)}
    assert kept == {"email", "url", "handle"}


def test_participants_page_shows_quotes_without_personal_data_first(tmp_path, monkeypatch):
    """The participants' page shows two quotes a phase. A project whose first baseline text gives a
    phone number and whose next two do not must show those two, and no redaction marker, in its
    baseline section; a phase whose only text gives a phone number still shows it, redacted."""
    import re

    from osallisuus.report import RegionReport
    from tests import project_builder as pb

    data = pb.build(tmp_path)
    texts = data.index[(data["text"] != "") & (data["region"] == "Pirkanmaa") & (data["phase"] == "alkuarviointi")]
    clean = ["Kiitos, että kuuntelitte.", "Tietoa sai helposti ja selkeästi."]
    data.loc[texts[1], "text"], data.loc[texts[2], "text"] = clean
    data.to_csv(tmp_path / "aineisto" / "vastaukset.csv", sep=";", index=False, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    page = RegionReport("Pirkanmaa").participant_page()
    sections = re.split(r'id="plain-', page)
    baseline = next(s for s in sections if s.startswith("baseline"))
    final = next(s for s in sections if s.startswith("final"))
    for text in clean:
        assert text in baseline
    assert "[puhelinnumero]" not in baseline
    assert "[puhelinnumero]" in final and "040" not in page


@pytest.mark.parametrize("text, report_lang, expected", [
    ("Kiitos, että sain olla mukana!", "fi", "fi"),
    ("Ohjaaja Maija teki hyvää työtä.", "sv", "fi"),              # a name among Finnish words
    ("Det var bra att vi fick vara med.", "sv", "sv"),
    ("It was good to be heard.", "en", "en"),
    ("Det var bra att vi fick vara med.", "fi", "und"),           # not Finnish: Swedish or English?
    ("040 123 4567", "sv", "sv"),                                 # no words
])
def test_quote_language(text, report_lang, expected):
    from osallisuus.privacy import quote_language
    assert quote_language(text, report_lang) == expected


def test_quotes_are_marked_with_their_own_language_in_every_format(tmp_path, monkeypatch):
    """A Swedish free text in a Finnish report is marked 'und' (not 'fi', which would have a
    screen reader read it with Finnish rules), in a Swedish report 'sv'; Finnish texts stay 'fi'.
    The PDF (Typst, PDF/UA) accepts the mark and keeps the text."""
    import subprocess

    from osallisuus.export import export
    from osallisuus.report import RegionReport
    from tests import project_builder as pb

    data = pb.build(tmp_path)
    texts = data.index[(data["text"] != "") & (data["region"] == "Pirkanmaa") & (data["phase"] == "alkuarviointi")]
    data.loc[texts, "text"] = ["Det var bra att vi fick vara med."] + ["Kiitos, että kuuntelitte."] * (len(texts) - 1)
    data.to_csv(tmp_path / "aineisto" / "vastaukset.csv", sep=";", index=False, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for lang, mark in (("fi", "und"), ("sv", "sv")):
        report = RegionReport("Pirkanmaa", lang=lang)
        out = tmp_path / f"out_{lang}"
        out.mkdir()
        export(report.document(), "html", out / "r.html")
        export(report.document(), "pdf", out / "r.pdf")
        html = (out / "r.html").read_text(encoding="utf-8")
        assert f'<blockquote lang="{mark}"><p>Det var bra att vi fick vara med.</p>' in html, lang
        assert '<blockquote lang="fi"><p>Kiitos, että kuuntelitte.</p>' in html, lang
        assert f'<blockquote lang="{mark}"><p>Det var bra att vi fick vara med.</p>' in report.participant_page()
        pdf = subprocess.run(["pdftotext", str(out / "r.pdf"), "-"], capture_output=True, text=True, check=True).stdout
        assert "Det var bra att vi fick vara med." in pdf
    # axe-core (real chromium) takes 'und' as a valid language
    from tests.browser import page_for, require_browser, run_axe
    require_browser()
    with page_for(tmp_path / "out_fi" / "r.html") as page:
        assert "valid-lang" not in [v["id"] for v in run_axe(page)]


def test_participants_page_gives_the_contact_in_the_pages_language(tmp_path, monkeypatch):
    """The organisers' contact title may be given per language (the Swedish page said
    'Osallisuuskoordinaattori'); a title given once is shown as it is, in every language."""
    import yaml

    from osallisuus.report import RegionReport
    from osallisuus.settings import load_settings
    from tests import project_builder as pb

    pb.build(tmp_path)
    monkeypatch.chdir(tmp_path)
    folder = load_settings().path("feedback")
    folder.mkdir(parents=True, exist_ok=True)
    answer = {"answer": {"fi": "Kiitos.", "sv": "Tack.", "en": "Thank you."}, "contact": {
        "name": {"fi": "Osallisuuskoordinaattori", "sv": "Delaktighetskoordinator", "en": "Participation coordinator"},
        "email": "osallisuus@example.fi"}}
    path = folder / "pirkanmaa.yaml"
    path.write_text(yaml.safe_dump(answer, allow_unicode=True), encoding="utf-8")
    pages = {lang: RegionReport("Pirkanmaa", lang=lang).participant_page() for lang in ("fi", "sv", "en")}
    assert "Osallisuuskoordinaattori, osallisuus@example.fi" in pages["fi"]
    assert "Delaktighetskoordinator, osallisuus@example.fi" in pages["sv"] and "Osallisuus" + "koordinaattori" not in pages["sv"]
    assert "Participation coordinator, osallisuus@example.fi" in pages["en"]
    answer["contact"]["name"] = "Anna Projektinen"
    path.write_text(yaml.safe_dump(answer, allow_unicode=True), encoding="utf-8")
    assert "Anna Projektinen, osallisuus@example.fi" in RegionReport("Pirkanmaa", lang="sv").participant_page()


@pytest.mark.parametrize("text, expected", [
    ("contact me at jukka.makinen@pirha.example.fi", "contact me at [e-mail]"),
    ("email me at anna@virtanen.example.fi", "email me at [e-mail]"),
    ("osoite maija at example dot fi", "osoite [e-mail]"),
])
def test_an_address_after_an_at_word_is_redacted_whole(text, expected):
    """A REDCap reviewer's English report printed 'email [e-mail]@example.fi': the ' at '
    disguise matched 'me at jukka.makinen' first and left the employer's domain."""
    assert redact(text, "en") == expected


def test_an_english_sentence_starting_with_more_keeps_its_first_word():
    """A student's English feedback "More evening groups, please." came out as "[name] evening
    groups, please.": the analyser knows More as a Finnish surname. The name beside it still goes."""
    from osallisuus.privacy import find_personal_data
    text = "More evening groups, please. Maija Korhonen helped me."
    found = [text[f.start:f.end] for f in find_personal_data(text) if f.kind == "name"]
    assert "More" not in found and any("Maija" in f or "Korhonen" in f for f in found), found

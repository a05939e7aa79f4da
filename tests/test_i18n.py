"""Every user-facing text exists in fi, sv and en with the same fields."""
import re
import string

import pytest

from osallisuus import i18n


def test_every_key_has_three_languages_and_same_fields():
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    for key, texts in i18n.translations().items():
        assert set(texts) == {"fi", "sv", "en"}, key
        assert all(isinstance(v, str) and v.strip() for v in texts.values()), key
        assert fields(texts["fi"]) == fields(texts["sv"]) == fields(texts["en"]), key


def test_swedish_and_english_differ_from_finnish():
    same_allowed = re.compile(r"^([\W\d_]|\{\w+\})*$|^(n|p|p \(Holm\)|Median|Status|PDF|Word)$")  # fields, punctuation
    for key, texts in i18n.translations().items():
        for lang in ("sv", "en"):
            if texts[lang] == texts["fi"]:
                assert same_allowed.match(texts["fi"]) or key.startswith(("rep.quote_source", "rep.test.")), (key, lang)  # names of tests


def test_percent_signs_follow_each_languages_style():
    """The texts write per cent as the numbers do (:func:`i18n.fmt_percent`): '95 %' in
    Finnish and Swedish, '95%' in English."""
    for key, texts in i18n.translations().items():
        assert not re.search(r"\d[ \u00a0]%", texts["en"]), (key, "en")
        for lang in ("fi", "sv"):
            assert not re.search(r"\d%", texts[lang]), (key, lang)


def test_number_formats():
    # half up since issue 9 (was: either 3,0 or 3,1 accepted); see tests/test_numbers.py
    assert i18n.fmt_number(3.05, "fi") == "3,1"
    assert i18n.fmt_number(-0.25, "en", 2) == "\u22120.25"
    assert i18n.fmt_percent(0.456, "fi") == "46\u00a0%" and i18n.fmt_percent(0.456, "en") == "46%"


def test_unknown_language_is_a_clear_error():
    with pytest.raises(i18n.TranslationError, match="expected one of fi, sv, en"):
        i18n.t("tab.total", "de")


def test_dates_are_written_as_each_language_writes_them():
    """Written out by hand: Finnish and Finland-Swedish day.month.year, English the month's name
    (a reader abroad would take 4.11. for April 11th)."""
    import datetime
    day = datetime.date(2026, 11, 4)
    assert [i18n.fmt_date(day, lang) for lang in ("fi", "sv", "en")] == ["4.11.2026", "4.11.2026", "4 November 2026"]
    assert i18n.fmt_date(datetime.date(2027, 1, 31), "en") == "31 January 2027"


def test_the_participants_page_says_the_same_of_every_phase():
    """'Halfway, 14 people answered a survey about the group.' was printed on a new user's page
    whose interim survey was the same service survey as at the start and end (the wording came
    from the example's group questionnaire). Each phase's sentence is the start's with its own
    time word, as written here by hand."""
    expected = {"fi": {"baseline": "Alussa kyselyyn vastasi 14 ihmistä.",
                       "interim": "Puolivälissä kyselyyn vastasi 14 ihmistä.",
                       "final": "Lopussa kyselyyn vastasi 14 ihmistä."},
                "sv": {"baseline": "I början svarade 14 personer på enkäten.",
                       "interim": "I mitten svarade 14 personer på enkäten.",
                       "final": "I slutet svarade 14 personer på enkäten."},
                "en": {"baseline": "At the start, 14 people answered the survey.",
                       "interim": "Halfway, 14 people answered the survey.",
                       "final": "At the end, 14 people answered the survey."}}
    for lang, phases in expected.items():
        for phase, sentence in phases.items():
            assert i18n.t(f"plain.answered.{phase}", lang, n="14") == sentence, (lang, phase)


def test_a_sentence_about_one_thing_is_in_the_singular():
    """A new user's English report read 'the 1 tests of the primary outcomes are adjusted
    together', 'at least 1 of the 1 questions were answered' and '1 items'. A key may have a
    ``.one`` text for a count of 1 (:func:`i18n.t_count`), with a base text beside it."""
    from osallisuus.multiplicity import family_note
    import pandas as pd
    for key in i18n.translations():
        if key.endswith(".one"):
            assert key[:-4] in i18n.translations(), key
    one = pd.DataFrame({"family": ["primary"], "p": [0.04]})
    one.attrs["family_size"] = 1
    assert "the 1 tests" not in family_note(one, "en") and "one test" in family_note(one, "en")
    assert "1 testiä" not in family_note(one, "fi") and "yksi testi" in family_note(one, "fi")
    three = one.assign(p=0.01)
    three.attrs["family_size"] = 3
    assert "the 3 tests of the primary outcomes are adjusted together" in family_note(three, "en")
    rule = i18n.t_count("rep.app.rule_mean", "en", 1, instrument="Grade", min_answered=1, items=1)
    assert rule == "Grade: the score is the answer to its one question."
    assert "at least 2 of the 3 questions" in i18n.t_count("rep.app.rule_mean", "en", 3, instrument="X",
                                                              min_answered=2, items=3)

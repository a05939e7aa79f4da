"""Sentences never claim a difference the test does not support; sv and en carry no Finnish."""
import ast
import re
from pathlib import Path

import pandas as pd

import osallisuus.figures
import osallisuus.findings
from osallisuus.findings import describe_change, describe_comparison, describe_level, findings
from osallisuus.instruments import load_instrument
from osallisuus.suppression import Suppression

PAL = load_instrument("kehittajaryhma_palaute")
ESIS = load_instrument("osallisuusindikaattori")
COMPARATIVES_FI = ("paremmin", "myönteisemmin", "huonommin", "korkeampia", "matalampia", "hieman", "selvästi",
                   "huomattavasti")


def _row(**kw):
    base = dict(item="paatoksenteko", group1="client", group2="professional", n1=30, n2=40, mean1=4.1, mean2=3.7,
                p_holm=0.01, rank_biserial=0.4, suppressed=False)
    base.update(kw)
    return pd.Series(base)


def _change(**kw):
    base = dict(item="__score__", from_phase="baseline", to_phase="final", mean_from=62.0, mean_to=70.5,
                p=0.001, effect=0.45, n=40, test="wilcoxon", suppressed=False)
    base.update(kw)
    return pd.Series(base)


def test_significant_moderate_effect_names_both_groups_and_direction():
    s = describe_comparison(_row(), PAL, "fi")
    assert s == "Asiakkaat arvioivat yhteisen päätöksenteon toteutuneen selvästi paremmin kuin ammattilaiset (r = 0,40)."
    s = describe_comparison(_row(rank_biserial=-0.4), PAL, "fi")       # negative r: group 1 lower, r as printed
    assert s == "Asiakkaat arvioivat yhteisen päätöksenteon toteutuneen selvästi huonommin kuin ammattilaiset (r = −0,40)."
    s = describe_comparison(_row(rank_biserial=-0.4), PAL, "en")
    assert s.startswith("Clients felt that joint decision-making was realised clearly worse than professionals did "
                        "(r = −0.40)"), s


def test_degree_follows_effect_size():
    assert "hieman paremmin" in describe_comparison(_row(rank_biserial=0.2), PAL, "fi")
    assert "huomattavasti paremmin" in describe_comparison(_row(rank_biserial=0.6), PAL, "fi")
    same = describe_comparison(_row(rank_biserial=0.05), PAL, "fi")     # significant but |r| < 0.1
    assert "käytännössä samoin" in same and not any(w in same for w in COMPARATIVES_FI)
    # an item without a short phrase is quoted from the instrument
    s = describe_comparison(_row(item="kuulluksi", rank_biserial=0.2), PAL, "fi")
    assert s == ("Asiakkaat arvioivat kohdan ”Sain sanoa asiani ja tulin kuulluksi” hieman myönteisemmin "
                 "kuin ammattilaiset (r = 0,20).")


def test_not_significant_never_claims_a_difference():
    assert describe_comparison(_row(p_holm=0.05), PAL, "fi") is None          # an item: nothing said
    for lang, words in (("fi", COMPARATIVES_FI), ("en", ("better", "higher", "more", "slightly", "clearly"))):
        s = describe_comparison(_row(item="__score__", p_holm=0.3, rank_biserial=0.6), PAL, lang)
        assert s and not any(w in s for w in words), s
    assert "eivät eronneet tilastollisesti merkitsevästi" in describe_comparison(
        _row(item="__score__", p_holm=0.3), PAL, "fi")
    s = describe_change(_change(p=0.3), ESIS, "en")
    assert "not statistically significant" in s and not any(w in s for w in ("rose", "fell"))


def test_suppressed_or_small_groups_give_no_sentence():
    assert describe_comparison(_row(suppressed=True), PAL, "fi") is None
    assert describe_comparison(_row(n2=3), PAL, "fi", Suppression(5)) is None
    assert describe_comparison(_row(n2=3), PAL, "fi", Suppression(3)) is not None
    assert describe_change(_change(suppressed=True), ESIS, "fi") is None
    assert describe_change(_change(n=4), ESIS, "fi", Suppression(5)) is None
    rows = pd.DataFrame([_row(), _row(item="kuulluksi", suppressed=True, group2="manager"), _row(p_holm=0.5)])
    out = findings(rows, pd.DataFrame([_change()]), PAL, "fi", Suppression(5))
    assert len(out) == 2 and not any("Johto" in s or "johto" in s for s in out)


def test_change_and_level_sentences():
    s = describe_change(_change(), ESIS, "fi")
    assert "nousi selvästi" in s and "62,0 → 70,5" in s and "40 samaa vastaajaa" in s
    # issue 9: direction from the printed means (this line used to expect "laski" for 62,0 -> 70,5 with r < 0)
    assert "laski hieman" in describe_change(_change(mean_from=70.5, mean_to=62.0, effect=-0.2), ESIS, "fi")
    mixed = describe_change(_change(effect=-0.2), ESIS, "fi")
    assert "keskiarvo nousi (62,0 → 70,5)" in mixed and "ei ole yksiselitteinen" in mixed and "laski" not in mixed
    assert "pysyi käytännössä ennallaan" in describe_change(_change(effect=0.05), ESIS, "fi")
    s = describe_level(71.0, ESIS, "fi")
    assert "75,2" in s and "4,2 pistettä matalampi" in s
    assert "above" in describe_level(80.0, ESIS, "en")
    assert "”Melko hyvin”" in describe_level(4.1, PAL, "fi")
    assert describe_level(float("nan"), PAL, "fi") is None


def _words(text: str) -> set[str]:
    """Words of four letters or more, acronyms (ESIS) and survey names (FinSote) aside."""
    return {w.lower() for w in re.findall(r"[^\W\d_]{4,}", text) if not w.isupper()} - {"finsote"}


def test_swedish_and_english_have_no_finnish_words():
    cases = [
        lambda lang: describe_comparison(_row(), PAL, lang),
        lambda lang: describe_comparison(_row(item="kuulluksi", rank_biserial=-0.2), PAL, lang),
        lambda lang: describe_comparison(_row(item="__score__"), PAL, lang),
        lambda lang: describe_comparison(_row(item="__score__", p_holm=0.4), PAL, lang),
        lambda lang: describe_comparison(_row(rank_biserial=0.02), PAL, lang),
        lambda lang: describe_change(_change(), ESIS, lang),
        lambda lang: describe_change(_change(test="mannwhitney", p=0.2), ESIS, lang),
        lambda lang: describe_level(71.0, ESIS, lang),
        lambda lang: describe_level(4.1, PAL, lang),
        lambda lang: describe_level(71.65, ESIS, lang, ci=(67.4, 75.9)),
        lambda lang: describe_level(64.1, ESIS, lang, ci=(60.2, 68.1)),
    ]
    for case in cases:
        fi = _words(case("fi"))
        for lang in ("sv", "en"):
            s = case(lang)
            assert s and not (_words(s) & fi), (lang, s, _words(s) & fi)


def test_no_finnish_text_hard_coded_in_python():
    """User-facing text comes from translations.yaml: no string literal (docstrings aside) has å, ä or ö."""
    for module in (osallisuus.findings, osallisuus.figures):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                      and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        literals = [n.value for n in ast.walk(tree)
                    if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]
        assert not [s for s in literals if re.search("[åäöÅÄÖ]", s)], module.__name__


# ---------------------------------------------------------------- issue 9
from osallisuus.change import change_between  # noqa: E402
from osallisuus.findings import SIZE_RULES, rule_text, size_word  # noqa: E402
from tests.test_change import _mixed_direction_esis  # noqa: E402


def test_falling_mean_with_positive_r_never_says_rose():
    row = change_between(_mixed_direction_esis(), ESIS.id, items=False).iloc[0]
    assert row["effect"] > 0 and row["mean_to"] < row["mean_from"] and row["p"] < 0.001
    fi, en, sv = (describe_change(row, ESIS, lang) for lang in ("fi", "en", "sv"))
    # printed means 51,6 -> 50,8 (hand: 3200/62 = 51.61, 3150/62 = 50.81)
    assert "keskiarvo laski (51,6 → 50,8)" in fi and "nousi" not in fi
    assert "the mean fell (51.6 → 50.8)" in en and "rose" not in en
    assert "sjönk" in sv and "steg" not in sv
    assert "r = 0,87" in fi and "p < 0,001" in fi


def test_p_just_under_005_prints_more_digits_and_claims_the_change():
    s = describe_change(_change(p=0.0498), ESIS, "fi")
    assert "p = 0,0498" in s and "nousi" in s
    s = describe_change(_change(p=0.0502), ESIS, "en")
    assert "not statistically significant" in s


def test_primary_family_uses_holm_and_exploratory_is_labelled():
    primary = _change(p=0.01, p_holm=0.06, family="primary")
    s = describe_change(primary, ESIS, "fi")
    assert "ei ollut tilastollisesti merkitsevä" in s and "nousi" not in s
    s = describe_change(_change(p=0.01, p_holm=0.03, family="primary"), ESIS, "en")
    assert "p (Holm) = 0.030" in s and "rose" in s and "Exploratory" not in s
    s = describe_change(_change(p=0.01, p_holm=float("nan"), family="exploratory"), ESIS, "en")
    assert "rose" in s and "p = 0.010" in s and s.endswith("not adjusted for multiple comparisons.")
    s = describe_comparison(_row(p=0.01, p_holm=float("nan"), family="exploratory"), PAL, "fi")
    assert s.endswith("Eksploratiivinen tulos: p-arvoa ei ole korjattu monivertailun vuoksi.")
    assert describe_comparison(_row(p=0.01, p_holm=0.2, family="primary"), PAL, "fi") is None


def test_unlinked_samples_are_never_called_change():
    row = _change(test="mannwhitney", n=40, n_from=20, n_to=20, p=0.01, effect=0.4)
    fi, en = describe_change(row, ESIS, "fi"), describe_change(row, ESIS, "en")
    assert "ei muutoksesta" in fi and "nousi" not in fi and "keskiarvo" not in fi
    assert "not a change" in en and "rose" not in en and "scored clearly higher" in en
    # Finnish names both groups as those who answered in a phase, each unlinked: a review read
    # "vaiheessa loppuarviointiin vastanneet … kuin vaiheessa alkuarvioinnista vastanneet"
    assert "loppuarviointiin vastanneet, joiden vastauksia ei voitu yhdistää aiempiin" in fi and "vaiheessa" not in fi
    assert "kuin alkuarviointiin vastanneet, joiden vastauksia ei voitu yhdistää myöhempiin" in fi
    assert "could not be linked to later ones" in en
    same = describe_change(_change(test="mannwhitney", n=40, n_from=20, n_to=20, p=0.4, effect=0.1), ESIS, "fi")
    assert "alkuarviointiin ja loppuarviointiin vastanneet, joiden vastauksia ei voitu yhdistää" in same


def test_size_words_follow_one_rule_per_measure_on_printed_values():
    # Cohen (1988): r 0.10 / 0.30 / 0.50, d 0.20 / 0.50 / 0.80, on the value rounded half up
    assert [size_word(r) for r in (0.0949, 0.095, 0.2999, 0.3, 0.4951, 0.5)] == \
        [None, "small", "moderate", "moderate", "large", "large"]
    assert [size_word(d, "cohen_d_av") for d in (0.19, 0.2, 0.5, 0.8)] == [None, "small", "moderate", "large"]
    assert set(SIZE_RULES) == {"rank_biserial", "cohen_d_av"}
    for measure in SIZE_RULES:
        texts = [rule_text(measure, lang) for lang in ("fi", "sv", "en")]
        assert all("Cohen" in x and "1988" in x for x in texts)
    # a larger printed effect never gets a smaller word: words are monotone in |r|
    words = [describe_change(_change(effect=e), ESIS, "fi") for e in (0.15, 0.35, 0.6)]
    assert ["hieman" in words[0], "selvästi" in words[1], "huomattavasti" in words[2]] == [True] * 3
    d_row = _change(test="partial_t", effect=0.55, effect_measure="cohen_d_av", n=60, n_pairs=20)
    s = describe_change(d_row, ESIS, "en")
    assert "clearly" in s and "d = 0.55" in s and "partially overlapping" in s


def test_level_difference_is_the_difference_of_the_printed_values():
    # 75.25 prints as 75,3 (half up); the reference 75.2: hand 75.3 - 75.2 = 0.1 points above
    # (Python's round(75.25, 1) gives 75.2 and used to call it "equal" next to a printed 75,3)
    s = describe_level(75.25, ESIS, "fi")
    assert "75,3" in s and "0,1 pistettä korkeampi" in s
    assert "sama kuin vertailuarvo" in describe_level(75.24, ESIS, "fi")


def test_new_sentences_have_no_finnish_words_in_sv_and_en():
    cases = [
        lambda lang: describe_change(_change(effect=-0.2), ESIS, lang),                       # mixed
        lambda lang: describe_change(_change(test="mannwhitney", n_from=20, n_to=20, p=0.01), ESIS, lang),
        lambda lang: describe_change(_change(test="partial_t", effect=0.55, effect_measure="cohen_d_av",
                                             n_pairs=20, family="exploratory"), ESIS, lang),
        lambda lang: describe_comparison(_row(p=0.01, family="exploratory"), PAL, lang),
    ]
    for case in cases:
        fi = _words(case("fi"))
        for lang in ("sv", "en"):
            s = case(lang)
            assert s and not (_words(s) & fi), (lang, s, _words(s) & fi)


def test_level_on_a_scale_of_numbers_is_told_by_its_ends():
    """SOC-G-10's 1–7 points are labelled only by their numbers: "closest to the answer ”5”"
    would say nothing, so the sentence gives the words of the scale's ends instead (written by
    hand from scales.yaml); a scale with worded points keeps its nearest label."""
    soc = load_instrument("soc_g10")
    assert describe_level(5.24, soc, "fi") == (
        "Lyhennetty ryhmäkoherenssikysely (SOC-G-10): keskiarvo 5,2 asteikolla 1–7 "
        "(1 = erittäin vähän, 7 = erittäin paljon).")
    assert describe_level(5.24, soc, "sv").endswith("(1 = mycket lite, 7 = väldigt mycket).")
    assert "närmast" not in describe_level(5.24, soc, "sv")
    assert describe_level(4.1, PAL, "fi").endswith("lähimpänä vastausvaihtoehtoa ”Melko hyvin”.")


def test_a_difference_from_the_reference_says_whether_the_interval_holds_the_reference():
    """Kanta-Häme's final ESIS mean 71,7 (95 % t interval 67,4–75,9, recomputed with scipy in a
    review) against FinSote's 75,2: 3,5 points lower, but 75,2 lies inside the interval, so the
    sentence must not read as a firm difference. Judged on the printed numbers (by hand)."""
    inside = describe_level(71.652, ESIS, "fi", ci=(67.41, 75.89))
    assert "3,5 pistettä matalampi" in inside
    assert inside.endswith("Vertailuarvo on keskiarvon 95 %:n luottamusvälillä (67,4–75,9), joten ero voi johtua sattumasta.")
    outside = describe_level(64.14, ESIS, "en", ci=(60.2, 68.1))
    assert outside.endswith("The reference value lies outside the mean's 95% confidence interval (60.2–68.1).")
    # the interval's printed end equals the printed reference (75,17 -> 75,2): inside, as the reader sees it
    assert "inom" in describe_level(70.0, ESIS, "sv", ci=(64.83, 75.17))
    assert "utanför" in describe_level(70.0, ESIS, "sv", ci=(64.83, 75.14))
    # no interval, or an equal mean: the sentence as before
    assert "luottamus" not in describe_level(71.0, ESIS, "fi")
    assert "luottamus" not in describe_level(75.24, ESIS, "fi", ci=(70.0, 80.0))


def test_change_sentences_name_the_phases_as_a_sentence_does():
    """'från den inledande utvärderingen till slututvärderingen', 'from the baseline evaluation
    to the final evaluation' (not 'från inledande utvärdering till slututvärdering', 'from baseline
    to final'), and in Finnish inflected, 'alkuarvioinnista loppuarviointiin' (not 'vaiheesta
    alkuarviointi vaiheeseen loppuarviointi', which a reader review found broken). Written out by hand."""
    assert "keskiarvo nousi selvästi alkuarvioinnista loppuarviointiin (62,0 → 70,5;" in describe_change(_change(), ESIS, "fi")
    assert "vaiheesta" not in describe_change(_change(), ESIS, "fi")
    assert "från den inledande utvärderingen till slututvärderingen" in describe_change(_change(), ESIS, "sv")
    assert "from the baseline evaluation to the final evaluation" in describe_change(_change(), ESIS, "en")
    unlinked = _change(test="mannwhitney", n1=30, n2=28, effect=0.4)
    assert "svarande vid slututvärderingen vars svar" in describe_change(unlinked, ESIS, "sv")
    assert "respondents at the final evaluation whose answers" in describe_change(unlinked, ESIS, "en")


def test_a_comparison_names_its_phase_when_asked():
    """A Swedish student read 'Klienter och yrkespersoner skilde sig inte …' and 'Yrkespersoner
    fick tydligt högre poäng …' in one report's conclusions: one was the baseline, one the final
    phase, and neither said so. With phase the score's sentence names it."""
    same = describe_comparison(_row(item="__score__", p=0.3, p_holm=0.4), ESIS, "sv", phase="baseline")
    differ = describe_comparison(_row(item="__score__", p=0.001, p_holm=0.004), ESIS, "sv", phase="final")
    assert "i den inledande utvärderingen." in same and "i slututvärderingen (r = " in differ, (same, differ)
    assert ") (" not in differ
    en = describe_comparison(_row(item="__score__", p=0.001, p_holm=0.004), ESIS, "en", phase="final")
    assert "in the final evaluation (r = " in en and ") (" not in en, en
    fi = describe_comparison(_row(item="__score__", p=0.001, p_holm=0.004), ESIS, "fi", phase="final")
    assert "(loppuarviointi)" in fi, fi
    assert "utvärdering)" not in describe_comparison(_row(item="__score__", p=0.3, p_holm=0.4), ESIS, "sv")


def test_a_sentence_cites_r_with_the_sign_its_table_prints():
    """A review's table printed r = −0,25 (clients first) and the sentence below it '(r = 0,25)'.
    The sentence keeps the table's order of the groups and cites its r, sign and all: a negative
    r reads 'lower' (the table's note: a positive r is the first group higher)."""
    text = describe_comparison(_row(item="__score__", mean1=3.2, mean2=3.6, rank_biserial=-0.25), ESIS, "fi")
    assert text.startswith("Asiakkaat saivat") and "hieman matalampia pisteitä kuin ammattilaiset (r = −0,25)" in text, text
    text = describe_comparison(_row(item="esis01", mean1=3.2, mean2=3.6, rank_biserial=-0.35), ESIS, "en")
    assert text.startswith("Clients rated") and "less positively than professionals (r = −0.35)" in text, text
    text = describe_comparison(_row(item="__score__", rank_biserial=0.25), ESIS, "en")
    assert text.startswith("Clients") and "(r = 0.25)" in text, text

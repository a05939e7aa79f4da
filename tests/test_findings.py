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
    s = describe_comparison(_row(rank_biserial=-0.4), PAL, "fi")       # negative r: group 2 higher
    assert s.startswith("Ammattilaiset arvioivat") and "selvästi paremmin kuin asiakkaat" in s
    s = describe_comparison(_row(rank_biserial=-0.4), PAL, "en")
    assert s.startswith("Professionals felt that joint decision-making was realised clearly better than clients")


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
    assert "laski" in describe_change(_change(effect=-0.2), ESIS, "fi")
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

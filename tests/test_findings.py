"""Sentences never claim a difference the test does not support; sv and en carry no Finnish."""
import pandas as pd

from osallisuus.findings import describe_change, describe_comparison, describe_level
from osallisuus.instruments import load_instrument

PAL = load_instrument("kehittajaryhma_palaute")


def _row(**kw):
    base = dict(item="paatoksenteko", group1="client", group2="professional", n1=30, n2=40, mean1=4.1, mean2=3.7,
                p_holm=0.01, rank_biserial=0.2, suppressed=False)
    base.update(kw)
    return pd.Series(base)


def test_small_significant_difference_in_finnish():
    s = describe_comparison(_row(), PAL, "fi")
    assert s.startswith("Asiakkaat arvioivat") and "hieman myönteisemmin kuin ammattilaiset" in s
    assert "yhteinen päätöksenteko" in s


def test_direction_follows_sign_and_size():
    s = describe_comparison(_row(rank_biserial=-0.4), PAL, "en")
    assert s.startswith("Professionals rated") and "clearly more positively than clients" in s
    assert "markedly" in describe_comparison(_row(rank_biserial=0.6), PAL, "en")


def test_no_claim_without_significance_or_effect():
    assert describe_comparison(_row(p_holm=0.2), PAL, "fi") is None             # item: nothing said
    score = describe_comparison(_row(item="__score__", p_holm=0.2), PAL, "fi")
    assert "eivät eronneet tilastollisesti merkitsevästi" in score
    assert not any(w in score for w in ("paremmin", "myönteisemmin", "huonommin"))
    assert describe_comparison(_row(rank_biserial=0.05), PAL, "fi") is None      # negligible
    assert describe_comparison(_row(suppressed=True), PAL, "fi") is None


def test_swedish_and_english_have_no_finnish_words():
    for lang in ("sv", "en"):
        s = describe_comparison(_row(), PAL, lang)
        assert not any(w in s for w in ("Asiakkaat", "ammattilaiset", "hieman", "Miten", "kehittäjäryhmässä")), s


def test_change_sentences():
    esis = load_instrument("osallisuusindikaattori")
    row = pd.Series(dict(item="__score__", from_phase="baseline", to_phase="final", mean_from=62.0, mean_to=70.5,
                         p=0.001, effect=0.45, n=40, test="wilcoxon", suppressed=False))
    s = describe_change(row, esis, "fi")
    assert "nousi selvästi" in s and "62,0 → 70,5" in s and "40 samaa vastaajaa" in s
    assert "not statistically significant" in describe_change(row.copy().replace({0.001: 0.3}), esis, "en")
    assert "75,2" in describe_level(71.0, esis, "fi")

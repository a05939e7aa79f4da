"""Findings in words: short fi/sv/en sentences generated from test results.

Every word comes from ``translations.yaml`` (keys ``find.*``). The sentences never claim a
difference the test does not support, and never contradict the numbers they print:

* **Which p.** A row with a ``family`` column (:func:`osallisuus.multiplicity.adjust_family`)
  is judged by its Holm-adjusted ``p_holm`` when ``family == "primary"`` and by its
  unadjusted ``p`` when exploratory; an exploratory sentence ends with "Exploratory result:
  the p-value is not adjusted for multiple comparisons". Without a ``family`` column a
  comparison uses ``p_holm`` and a change uses ``p`` (as before). A difference is claimed
  only when that p < 0.05 (:func:`osallisuus.numbers.p_below`), and the p printed in a change
  sentence is formatted by :func:`osallisuus.numbers.format_p`, which never rounds to the
  other side of 0.05.
* **not significant**: no difference is claimed. For a single *item* comparison nothing is
  said; for a *score* and for a change the sentence says that the groups / phases did not
  differ statistically significantly.
* **Size words: one rule per effect-size measure** (:data:`SIZE_RULES`), applied to the
  printed (rounded, half up) effect size:

  - ``rank_biserial`` (Mann–Whitney and Wilcoxon; Kerby 2014): Cohen's (1988) benchmarks
    for a correlation, |r| < 0.10 negligible ("practically the same"), 0.10–0.29 small
    (``hieman``), 0.30–0.49 moderate (``selvästi``), >= 0.50 large (``huomattavasti``);
  - ``cohen_d_av`` (partially overlapping samples t-test; Cumming 2012): Cohen's (1988)
    benchmarks for d, < 0.20, 0.20–0.49, 0.50–0.79, >= 0.80.

  The rule texts for a methods appendix are ``find.rule.<measure>`` in fi, sv and en.
* **Direction of a change** comes from the difference of the printed means
  (``mean_to - mean_from`` after rounding). When the effect size points the other way (a
  mean that falls while most respondents rose: r > 0), the sentence says the mean fell and
  that the direction is not clear-cut (``find.change_mixed``); it never says "rose".
* **Unlinked samples** (``test == "mannwhitney"`` in a change table) are described as a
  difference between groups of respondents, never as change.
* **suppressed** rows (``suppressed`` True, or n1/n2/n below the suppression threshold) give
  ``None``: a sentence never mentions a group that is too small to show.

Items are named by a short phrase where the translation table has one
(``find.short.<instrument>.<item>``, e.g. fi "yhteisen päätöksenteon toteutuneen":
"Asiakkaat arvioivat yhteisen päätöksenteon toteutuneen hieman paremmin kuin ammattilaiset");
otherwise the instrument's own item text is quoted.

Direction of a comparison: ``rank_biserial > 0`` means group 1 answered higher (see
:mod:`osallisuus.compare`); the sentence prints that r. Higher codes count as "better" when
the scale's positive answers are its high codes; for reverse-keyed items, or scales without
a known positive end, the neutral wording "higher answers" is used instead.

References
----------
Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed. Erlbaum.
Cumming, G. (2012). Understanding the new statistics: Effect sizes, confidence intervals, and
meta-analysis. Routledge.
Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric
correlation. Comprehensive Psychology 3, 11.IT.3.1.
Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative science.
Frontiers in Psychology 4, 863.
"""
from __future__ import annotations

import math

import pandas as pd

from .i18n import fmt_number, phase_in_sentence, phase_label, role_label, t, translations
from .numbers import format_count, format_effect, format_p, p_below, round_half_up
from .suppression import Suppression

__all__ = ["ALPHA", "SIZE_RULES", "size_word", "degree", "describe_comparison", "describe_change",
           "describe_level", "findings", "short_label", "rule_text"]

ALPHA = 0.05
SCORE = "__score__"
#: measure -> (thresholds for small, moderate, large; decimals printed; symbol)
SIZE_RULES = {
    "rank_biserial": ((0.10, 0.30, 0.50), 2, "r"),   # Cohen (1988) for r; Kerby (2014)
    "cohen_d_av": ((0.20, 0.50, 0.80), 2, "d"),      # Cohen (1988) for d; d_av as Cumming (2012)
}


def size_word(value: float, measure: str = "rank_biserial") -> str | None:
    """'small', 'moderate' or 'large' by the measure's rule; None when negligible.

    The rule is applied to the value as printed (rounded half up to the rule's decimals),
    so a printed r = 0,10 is "small" even when the unrounded r is 0.0996.

    Examples
    --------
    >>> size_word(0.0996), size_word(0.29), size_word(-0.5), size_word(0.45, "cohen_d_av")
    ('small', 'small', 'large', 'small')
    """
    if measure not in SIZE_RULES:
        raise ValueError(f"no size rule for effect measure {measure!r}; rules exist for {', '.join(SIZE_RULES)}")
    (small, moderate, large), decimals, _ = SIZE_RULES[measure]
    v = abs(float(round_half_up(value, decimals)))
    if v < small:
        return None
    return "small" if v < moderate else "moderate" if v < large else "large"


def degree(r: float) -> str | None:
    """``size_word(r, "rank_biserial")``: 'small', 'moderate' or 'large'; None when negligible."""
    return size_word(r, "rank_biserial")


def rule_text(measure: str, lang: str = "fi") -> str:
    """The documented size-word rule of ``measure`` in ``lang`` (for a methods appendix)."""
    if measure not in SIZE_RULES:
        raise ValueError(f"no size rule for effect measure {measure!r}; rules exist for {', '.join(SIZE_RULES)}")
    return t(f"find.rule.{measure}", lang)


def _bad(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _threshold(suppression: Suppression | None) -> int:
    if suppression is not None:
        return suppression.threshold
    try:  # the project's threshold; sentences are published, so never "no suppression"
        return Suppression.from_settings().threshold
    except Exception:  # noqa: BLE001 - a broken settings file is reported elsewhere
        return Suppression().threshold


def _too_small(threshold: int, *ns) -> bool:
    for n in ns:
        if _bad(n) or int(n) < threshold:
            return True
    return False


def _item_text(item: str, instrument, lang: str) -> str:
    """The item's own wording without its final punctuation (the instrument name for the score)."""
    if item == SCORE:
        return instrument.name[lang]
    return instrument.item_text(item, lang).strip().rstrip(".?!:")


def short_label(item: str, instrument, lang: str) -> str | None:
    """The item's short phrase for sentences (``find.short.<instrument>.<item>``), if any."""
    key = f"find.short.{instrument.id}.{item}"
    return t(key, lang) if key in translations() else None


def _group(code, lang: str, capital: bool) -> str:
    try:
        label = role_label(str(code), lang)
    except KeyError:
        label = str(code)
    return label[:1].upper() + label[1:] if capital else label[:1].lower() + label[1:]


def _higher_is_better(instrument, item: str) -> bool:
    scale = instrument.scale
    if not scale.positive:
        return False
    middle = (scale.low + scale.high) / 2
    positive_high = min(scale.positive) > middle
    reverse = item != SCORE and item in instrument.reverse_items
    return positive_high and not reverse


def _judged_p(row: pd.Series, default: str) -> tuple[float | None, str, bool]:
    """(p to judge by, its column, exploratory?) from the row's declared family, if any."""
    family = row.get("family")
    if isinstance(family, str) and family:
        if family == "primary":
            return row.get("p_holm"), "p_holm", False
        return row.get("p"), "p", True
    return row.get(default), default, False


def _with_note(sentence: str, exploratory: bool, lang: str) -> str:
    return f"{sentence} {t('find.exploratory', lang)}" if exploratory else sentence


def _p_text(p: float, column: str, lang: str) -> str:
    """'p = 0,012', 'p < 0,001' or 'p (Holm) = 0,030', as format_p prints it."""
    text = format_p(p, lang, ALPHA)
    name = "p (Holm)" if column == "p_holm" else "p"
    return f"{name} {text}" if text.startswith("<") else f"{name} = {text}"


def describe_comparison(row: pd.Series, instrument, lang: str = "fi",
                        suppression: Suppression | None = None, note: bool = True,
                        phase: str | None = None) -> str | None:
    """A sentence for one row of :func:`osallisuus.compare.compare_groups`, or None.

    Parameters
    ----------
    row : Series or dict
        With item, group1, group2 (role codes), n1, n2, mean1, mean2, p_holm, rank_biserial
        and suppressed.
    instrument : Instrument
    lang : "fi", "sv" or "en"
    suppression : Suppression, optional
        Rows with n1 or n2 below its threshold give None (default: the project's threshold).
    note : bool
        Append "exploratory result: the p-value is not adjusted" to rows outside the confirmatory
        family (False when the caller introduces a list of such sentences once).
    phase : str, optional
        Name the phase after the instrument's score ("Palvelukysely (loppuarviointi)"), for a
        report that compares the same instrument's groups in two phases (two unnamed sentences
        read as one contradicting the other).

    Returns
    -------
    str or None
        None for a suppressed row, for a non-significant item, or when a statistic is missing.
    """
    if bool(row.get("suppressed", False)) or _too_small(_threshold(suppression), row.get("n1"), row.get("n2")):
        return None
    p, _, exploratory = _judged_p(row, "p_holm")
    exploratory = exploratory and note
    r = row.get("rank_biserial")
    if _bad(p) or _bad(r):
        return None
    item = str(row["item"])
    g1, g2 = row["group1"], row["group2"]
    label = _item_text(item, instrument, lang)
    if phase and item == SCORE:
        named = phase_in_sentence(phase, lang)
        label = t("find.item_in_phase", lang, item=label, phase=named)
    r_text = fmt_number(float(r), lang, 2)   # as the table prints it, its sign too
    if not p_below(p, ALPHA):
        if item != SCORE:
            return None
        return _with_note(t("find.no_difference", lang, group1=_group(g1, lang, True),
                            group2=_group(g2, lang, False), item=label), exploratory, lang)
    d = degree(float(r))
    if d is None:
        key = "find.same_score" if item == SCORE else "find.same"
        return _with_note(t(key, lang, group1=_group(g1, lang, True), group2=_group(g2, lang, False), item=label,
                            r=r_text), exploratory, lang)
    # the groups in the table's order and r with its sign: a positive r is the first group higher
    # (the table's note), so a negative one reads '… lower than …' (a review saw −0,25 and 0,25)
    first, second = _group(g1, lang, True), _group(g2, lang, False)
    values = dict(higher=first, lower=second) if r > 0 else dict(first=first, second=second)
    values.update(item=label, degree=t(f"find.degree.{d}", lang), r=r_text)
    if item == SCORE:
        key = "find.difference_score"
    elif not _higher_is_better(instrument, item):
        key = "find.difference_higher"
    elif short_label(item, instrument, lang):
        key, values["short"] = "find.difference_short", short_label(item, instrument, lang)
    else:
        key = "find.difference"
    return _with_note(t(key if r > 0 else f"{key}_lower", lang, **values), exploratory, lang)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def describe_change(row: pd.Series, instrument, lang: str = "fi",
                    suppression: Suppression | None = None, pairs_hidden: bool = False) -> str | None:
    """A sentence for one row of :func:`osallisuus.change.change_between`, or None.

    * Not significant (see the module notes for which p): "the change was not
      statistically significant" (for unlinked samples: "did not differ").
    * Direction from the printed means: ``mean_to - mean_from`` after rounding half up to
      one decimal; size word from the row's ``effect`` by the rule of its
      ``effect_measure`` (default ``rank_biserial``) as printed.
    * Significant, and the effect size points the same way as the printed means: "the mean
      rose/fell slightly/clearly/markedly (62,0 → 70,5; r = 0,45; p = 0,001; …)";
      negligible effect: "stayed practically the same".
    * Significant, but the effect size points the other way, or the printed means are
      equal: ``find.change_mixed`` ("… the mean fell (50,0 → 49,7) while the effect size
      of the individual changes points the other way"); never "rose" for a falling mean.
    * ``test == "mannwhitney"`` (unlinked respondents): a difference between groups of
      respondents, never a change (``find.samples_differ`` / ``find.samples_same``).
    * ``pairs_hidden``: the table hides the linked respondents' number and means (fewer than the
      threshold answered in one phase only): no sentence on the linked respondents, and the
      partially paired sentence does not say how many answered in both phases.
    """
    if bool(row.get("suppressed", False)) or (pairs_hidden and row.get("test") == "wilcoxon"):
        return None
    ns = [row.get("n_from"), row.get("n_to")] if not _bad(row.get("n_from")) else [row.get("n")]
    if _too_small(_threshold(suppression), *ns):
        return None
    p, p_col, exploratory = _judged_p(row, "p")
    effect = row.get("effect")
    if _bad(p) or _bad(effect):
        return None
    measure = row.get("effect_measure") if isinstance(row.get("effect_measure"), str) else "rank_biserial"
    _, decimals, symbol = SIZE_RULES[measure]
    frm, to = phase_in_sentence(str(row["from_phase"]), lang, "from"), phase_in_sentence(str(row["to_phase"]), lang, "to")
    item = str(row.get("item", SCORE))
    label = _item_text(item, instrument, lang)
    label = t("find.item_named", lang, text=label) if item != SCORE else label[:1].upper() + label[1:]
    test = row.get("test")
    if test == "wilcoxon":
        who = t("find.linked", lang, n=format_count(row["n"]))
    elif test == "partial_t" and pairs_hidden:
        who = t("find.partial_hidden", lang, k=_threshold(suppression))
    elif test == "partial_t" and 0 < int(row["n_pairs"]) < _threshold(suppression):
        # neither the pairs nor the distinct respondents (the phases' totals less the pairs)
        who = t("find.partial_few", lang, k=_threshold(suppression))
    elif test == "partial_t":
        who = t("find.partial", lang, n=format_count(row["n"]), n_pairs=format_count(row["n_pairs"]))
    else:
        who = t("find.unlinked", lang, n=format_count(row["n"]))
    # those who answered in a phase: Finnish 'alkuarviointiin vastanneet' (both phases in the "to" form)
    answered = {f"{end}_answered": phase_in_sentence(str(row[f"{end}_phase"]), lang, "to") for end in ("from", "to")}
    values = dict(item=label, from_phase=frm, to_phase=to, who=who, **answered,
                  mean_from=fmt_number(row.get("mean_from"), lang), mean_to=fmt_number(row.get("mean_to"), lang),
                  stats=f"{symbol} = {format_effect(effect, lang, decimals)}; {_p_text(p, p_col, lang)}")
    unlinked = test == "mannwhitney"
    if not p_below(p, ALPHA):
        keep = {k: v for k, v in values.items() if k in ("item", "from_phase", "to_phase", "who", "from_answered",
                                                         "to_answered")}
        return _with_note(t("find.samples_same" if unlinked else "find.no_change", lang, **keep), exploratory, lang)
    if _bad(row.get("mean_from")) or _bad(row.get("mean_to")):
        return None
    printed = round_half_up(row["mean_to"], 1) - round_half_up(row["mean_from"], 1)
    d = size_word(float(effect), measure)
    mixed = _sign(float(printed)) != _sign(float(round_half_up(effect, decimals)))
    if d is None and not (unlinked and printed):
        key = "find.change_negligible"
    elif mixed:
        values["direction"] = t("find.same_mean" if printed == 0 else "find.up" if printed > 0 else "find.down", lang)
        key = "find.change_mixed"
    elif unlinked:
        values.update(direction=t("find.higher" if printed > 0 else "find.lower", lang),
                      degree=t(f"find.degree.{d}", lang) if d else "")
        key = "find.samples_differ"
    else:
        values.update(direction=t("find.up" if printed > 0 else "find.down", lang), degree=t(f"find.degree.{d}", lang))
        key = "find.change"
    sentence = " ".join(t(key, lang, **values).split())   # an empty degree leaves no double space
    return _with_note(sentence, exploratory, lang)


def describe_level(mean: float, instrument, lang: str = "fi", on_0_100: bool | None = None,
                   ci: tuple[float, float] | None = None, phase: str | None = None) -> str | None:
    """Place a mean score in words.

    A 0–100 score (``instrument.percent_of_range``, or ``on_0_100=True``) is set against the
    instrument's published reference value when it has one (osallisuusindikaattori: FinSote
    2019 adult population mean 75.2), as a plain numeric difference (no test is implied).
    With the mean's 95 % interval ``ci`` the sentence adds whether the reference value lies
    inside it (then the difference may be chance) or outside, judged on the printed numbers,
    so that the sentence agrees with what it shows.
    A mean on the answer scale (e.g. 1–5) is described by the nearest answer label, or, where
    that label is only its number (a semantic differential 1–7), by the words of the scale's ends.
    With ``phase`` the sentence names it after the instrument ("Palvelukysely (loppuarviointi):
    …"), for a report that gives the same instrument's level in two phases.
    """
    if _bad(mean):
        return None
    mean = float(mean)
    name = instrument.name[lang] + (f" ({phase_label(phase, lang).lower()})" if phase else "")
    on_0_100 = instrument.percent_of_range if on_0_100 is None else on_0_100
    ref = (instrument.reference or {}).get("value")
    if on_0_100:
        if ref is None:
            return t("find.level_0_100", lang, instrument=name, mean=fmt_number(mean, lang))
        ref = float(ref)
        diff = round_half_up(mean, 1) - round_half_up(ref, 1)   # the difference of the printed values
        label = (instrument.reference.get("label") or {}).get(lang) or t("find.reference", lang)
        key = "find.level_equal" if diff == 0 else "find.level_above" if diff > 0 else "find.level_below"
        sentence = t(key, lang, instrument=name, mean=fmt_number(mean, lang), ref=fmt_number(ref, lang),
                     ref_label=label, diff=fmt_number(abs(diff), lang))
        return sentence + _reference_in_interval(ref, ci, lang) if diff != 0 else sentence
    scale = instrument.scale
    nearest = min(scale.points, key=lambda p: abs(p.code - mean))
    values = dict(instrument=name, mean=fmt_number(mean, lang), low=fmt_number(scale.low, lang, 0),
                  high=fmt_number(scale.high, lang, 0))
    ends = [(scale.anchors.get(end) or {}).get(lang) for end in ("low", "high")]
    if nearest.label[lang].strip() == fmt_number(nearest.code, lang, 0) and all(ends):
        # a point labelled only by its number ("closest to the answer 5" says nothing): the ends' words
        return t("find.level_anchors", lang, **values, low_label=ends[0], high_label=ends[1])
    return t("find.level_scale", lang, **values, label=nearest.label[lang])


def _reference_in_interval(ref: float, ci, lang: str) -> str:
    """' The reference value lies within (outside) the mean's 95 % interval (low–high).' on the
    printed (rounded half up) numbers; '' without an interval."""
    if ci is None or any(_bad(x) for x in ci):
        return ""
    low, high = (round_half_up(float(x), 1) for x in ci)
    inside = low <= round_half_up(ref, 1) <= high
    return " " + t("find.reference_inside" if inside else "find.reference_outside", lang,
                   low=fmt_number(ci[0], lang), high=fmt_number(ci[1], lang))


def findings(comparisons: pd.DataFrame | None, changes: pd.DataFrame | None, instrument, lang: str = "fi",
             suppression: Suppression | None = None) -> list[str]:
    """All sentences the results support: comparisons first, then changes; suppressed rows say nothing."""
    out = []
    for frame, func in ((comparisons, describe_comparison), (changes, describe_change)):
        if frame is None or len(frame) == 0:
            continue
        for _, row in frame.iterrows():
            sentence = func(row, instrument, lang, suppression)
            if sentence:
                out.append(sentence)
    return out

"""Findings in words: short fi/sv/en sentences generated from test results.

Every word comes from ``translations.yaml`` (keys ``find.*``). The sentences are hedged by
significance and effect size and never claim a difference the test does not support:

* **not significant** (Holm-corrected ``p_holm`` >= 0.05 for a comparison, ``p`` >= 0.05 for a
  change): no difference is claimed. For a single *item* nothing is said (a report would
  otherwise fill up with non-findings); for the instrument's *score* (``item == "__score__"``)
  and for a change the sentence says that the groups / phases did not differ statistically
  significantly;
* **significant**, described by the rank-biserial r: |r| < 0.1 "no practical difference"
  (``käytännössä samoin``), 0.1–0.3 small (``hieman``), 0.3–0.5 moderate (``selvästi``),
  >= 0.5 large (``huomattavasti``);
* **suppressed** rows (``suppressed`` True, or n1/n2/n below the suppression threshold) give
  ``None``: a sentence never mentions a group that is too small to show.

Items are named by a short phrase where the translation table has one
(``find.short.<instrument>.<item>``, e.g. fi "yhteisen päätöksenteon toteutuneen":
"Asiakkaat arvioivat yhteisen päätöksenteon toteutuneen hieman paremmin kuin ammattilaiset");
otherwise the instrument's own item text is quoted. A project adds short phrases for its own
instruments with the same keys.

Direction: ``rank_biserial > 0`` means group 1 answered higher (see
:mod:`osallisuus.compare`). Higher codes count as "better" when the scale's positive answers
are its high codes; for reverse-keyed items, or scales without a known positive end, the
neutral wording "higher answers" is used instead.
"""
from __future__ import annotations

import math

import pandas as pd

from .i18n import fmt_number, phase_label, role_label, t, translations
from .suppression import Suppression

ALPHA = 0.05
SCORE = "__score__"


def degree(r: float) -> str | None:
    """'small', 'moderate' or 'large' for |r|; None when negligible (|r| < 0.1)."""
    r = abs(r)
    if r < 0.1:
        return None
    return "small" if r < 0.3 else "moderate" if r < 0.5 else "large"


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


def describe_comparison(row: pd.Series, instrument, lang: str = "fi",
                        suppression: Suppression | None = None) -> str | None:
    """A sentence for one row of :func:`osallisuus.compare.compare_groups`, or None.

    Parameters
    ----------
    row : Series
        With item, group1, group2 (role codes), n1, n2, mean1, mean2, p_holm, rank_biserial
        and suppressed.
    instrument : Instrument
    lang : "fi", "sv" or "en"
    suppression : Suppression, optional
        Rows with n1 or n2 below its threshold give None (default: the project's threshold).

    Returns
    -------
    str or None
        None for a suppressed row, for a non-significant item, or when a statistic is missing.
    """
    if bool(row.get("suppressed", False)) or _too_small(_threshold(suppression), row.get("n1"), row.get("n2")):
        return None
    p, r = row.get("p_holm"), row.get("rank_biserial")
    if _bad(p) or _bad(r):
        return None
    item = str(row["item"])
    g1, g2 = row["group1"], row["group2"]
    label = _item_text(item, instrument, lang)
    r_text = fmt_number(abs(float(r)), lang, 2)
    if p >= ALPHA:
        if item != SCORE:
            return None
        return t("find.no_difference", lang, group1=_group(g1, lang, True), group2=_group(g2, lang, False), item=label)
    d = degree(float(r))
    if d is None:
        key = "find.same_score" if item == SCORE else "find.same"
        return t(key, lang, group1=_group(g1, lang, True), group2=_group(g2, lang, False), item=label, r=r_text)
    hi, lo = (g1, g2) if r > 0 else (g2, g1)
    values = dict(higher=_group(hi, lang, True), lower=_group(lo, lang, False), item=label,
                  degree=t(f"find.degree.{d}", lang), r=r_text)
    if item == SCORE:
        return t("find.difference_score", lang, **values)
    if not _higher_is_better(instrument, item):
        return t("find.difference_higher", lang, **values)
    short = short_label(item, instrument, lang)
    if short:
        return t("find.difference_short", lang, short=short, **values)
    return t("find.difference", lang, **values)


def describe_change(row: pd.Series, instrument, lang: str = "fi",
                    suppression: Suppression | None = None) -> str | None:
    """A sentence for one row of :func:`osallisuus.change.change_between`, or None.

    ``effect`` > 0 is an increase. Not significant: "the change was not statistically
    significant"; significant but |effect| < 0.1: "stayed practically the same".
    """
    if bool(row.get("suppressed", False)):
        return None
    ns = [row.get("n_from"), row.get("n_to")] if not _bad(row.get("n_from")) else [row.get("n")]
    if _too_small(_threshold(suppression), *ns):
        return None
    p, effect = row.get("p"), row.get("effect")
    if _bad(p) or _bad(effect):
        return None
    frm, to = phase_label(str(row["from_phase"]), lang).lower(), phase_label(str(row["to_phase"]), lang).lower()
    item = str(row.get("item", SCORE))
    label = _item_text(item, instrument, lang)
    label = t("find.item_named", lang, text=label) if item != SCORE else label[:1].upper() + label[1:]
    key = "find.linked" if row.get("test") == "wilcoxon" else "find.unlinked"
    who = t(key, lang, n=int(row["n"]))
    values = dict(item=label, from_phase=frm, to_phase=to, who=who,
                  mean_from=fmt_number(row.get("mean_from"), lang), mean_to=fmt_number(row.get("mean_to"), lang))
    if p >= ALPHA:
        return t("find.no_change", lang, **{k: v for k, v in values.items() if k not in ("mean_from", "mean_to")})
    d = degree(float(effect))
    if d is None:
        return t("find.change_negligible", lang, **values)
    direction = t("find.up" if effect > 0 else "find.down", lang)
    return t("find.change", lang, direction=direction, degree=t(f"find.degree.{d}", lang), **values)


def describe_level(mean: float, instrument, lang: str = "fi", on_0_100: bool | None = None) -> str | None:
    """Place a mean score in words.

    A 0–100 score (``instrument.percent_of_range``, or ``on_0_100=True``) is set against the
    instrument's published reference value when it has one (osallisuusindikaattori: FinSote
    2019 adult population mean 75.2), as a plain numeric difference (no test is implied).
    A mean on the answer scale (e.g. 1–5) is described by the nearest answer label.
    """
    if _bad(mean):
        return None
    mean = float(mean)
    name = instrument.name[lang]
    on_0_100 = instrument.percent_of_range if on_0_100 is None else on_0_100
    ref = (instrument.reference or {}).get("value")
    if on_0_100:
        if ref is None:
            return t("find.level_0_100", lang, instrument=name, mean=fmt_number(mean, lang))
        ref = float(ref)
        diff = round(mean, 1) - round(ref, 1)
        label = (instrument.reference.get("label") or {}).get(lang) or t("find.reference", lang)
        key = "find.level_equal" if abs(diff) < 0.05 else "find.level_above" if diff > 0 else "find.level_below"
        return t(key, lang, instrument=name, mean=fmt_number(mean, lang), ref=fmt_number(ref, lang),
                 ref_label=label, diff=fmt_number(abs(diff), lang))
    scale = instrument.scale
    nearest = min(scale.points, key=lambda p: abs(p.code - mean))
    return t("find.level_scale", lang, instrument=name, mean=fmt_number(mean, lang),
             low=fmt_number(scale.low, lang, 0), high=fmt_number(scale.high, lang, 0), label=nearest.label[lang])


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

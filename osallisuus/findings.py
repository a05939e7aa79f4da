"""Findings in words: short fi/sv/en sentences generated from test results.

Sentences are hedged by significance and effect size and never claim a difference the
test does not support:

* a comparison or change with Holm-corrected p >= 0.05 gives no claim of a difference
  (for an item nothing is said; for the instrument's score, that no statistically
  significant difference was found);
* a significant difference is described by its rank-biserial r: |r| < 0.1 negligible
  (nothing said), 0.1-0.3 small ("hieman"), 0.3-0.5 moderate ("selvästi"), >= 0.5 large
  ("huomattavasti");
* suppressed rows (a group below the threshold) give no sentence at all.
"""
from __future__ import annotations

import math

import pandas as pd

from .i18n import fmt_number, phase_label, role_label, t

ALPHA = 0.05
SCORE = "__score__"


def degree(r: float) -> str | None:
    """'small', 'moderate' or 'large' for |r|, None when negligible."""
    r = abs(r)
    if r < 0.1:
        return None
    return "small" if r < 0.3 else "moderate" if r < 0.5 else "large"


def _bad(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _item_label(item: str, instrument, lang: str) -> str:
    return instrument.name[lang] if item == SCORE else instrument.item_text(item, lang).rstrip(".?")


def _group(code: str, lang: str, capital: bool) -> str:
    try:
        label = role_label(code, lang)
    except KeyError:
        label = str(code)
    return label[:1].upper() + label[1:] if capital else label[:1].lower() + label[1:]


def describe_comparison(row: pd.Series, instrument, lang: str = "fi") -> str | None:
    """A sentence for one row of :func:`osallisuus.compare.compare_groups`, or None."""
    if bool(row.get("suppressed", False)) or _bad(row.get("p_holm")) or _bad(row.get("rank_biserial")):
        return None
    g1, g2 = _group(row["group1"], lang, True), _group(row["group2"], lang, False)
    item = _item_label(row["item"], instrument, lang)
    if row["p_holm"] >= ALPHA:
        if row["item"] != SCORE:
            return None
        return t("find.no_difference", lang, group1=g1, group2=g2, item=item)
    d = degree(row["rank_biserial"])
    if d is None:
        return None
    higher, lower = (g1, g2) if row["rank_biserial"] > 0 else (_group(row["group2"], lang, True), _group(row["group1"], lang, False))
    return t("find.difference", lang, higher=higher, lower=lower, item=item, degree=t(f"find.degree.{d}", lang),
             r=fmt_number(abs(row["rank_biserial"]), lang, 2))


def describe_change(row: pd.Series, instrument, lang: str = "fi") -> str | None:
    """A sentence for one row of :func:`osallisuus.change.change_between`, or None."""
    if bool(row.get("suppressed", False)) or _bad(row.get("p")) or _bad(row.get("effect")):
        return None
    frm, to = phase_label(row["from_phase"], lang).lower(), phase_label(row["to_phase"], lang).lower()
    item = _item_label(row.get("item", SCORE), instrument, lang)
    key = "find.linked" if row.get("test") == "wilcoxon" else "find.unlinked"
    who = t(key, lang, n=int(row["n"]))
    if row["p"] >= ALPHA:
        return t("find.no_change", lang, item=item, from_phase=frm, to_phase=to, who=who)
    d = degree(row["effect"])
    if d is None:
        return None
    direction = t("find.up" if row["effect"] > 0 else "find.down", lang)
    return t("find.change", lang, item=item, direction=direction, degree=t(f"find.degree.{d}", lang), from_phase=frm,
             to_phase=to, mean_from=fmt_number(row["mean_from"], lang), mean_to=fmt_number(row["mean_to"], lang), who=who)


def describe_level(mean: float, instrument, lang: str = "fi") -> str | None:
    """Place a mean score against the instrument's published reference, if it has one."""
    if _bad(mean):
        return None
    ref = instrument.reference.get("value") if instrument.reference else None
    if ref is None:
        return t("find.level", lang, instrument=instrument.name[lang], mean=fmt_number(mean, lang))
    return t("find.level_ref", lang, instrument=instrument.name[lang], mean=fmt_number(mean, lang),
             ref=fmt_number(ref, lang), ref_label=instrument.reference["label"][lang].lower())


def findings(comparisons: pd.DataFrame | None, changes: pd.DataFrame | None, instrument, lang: str = "fi") -> list[str]:
    """All sentences the results support, comparisons first."""
    out = []
    for frame, func in ((comparisons, describe_comparison), (changes, describe_change)):
        if frame is None:
            continue
        for _, row in frame.iterrows():
            s = func(row, instrument, lang)
            if s:
                out.append(s)
    return out

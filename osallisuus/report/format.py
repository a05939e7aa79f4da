"""Display texts shared by several sections: p-values, test names, model terms."""
from __future__ import annotations

import math
from types import SimpleNamespace

from pandas import notna

from ..disclosure import SECONDARY
from ..tables import records
from ..i18n import fmt_number, phase_label, role_label, t
from ..numbers import format_count, format_p

__all__ = ["quoted", "and_list", "fmt_p", "fmt_holm", "test_label", "term_label", "records", "rows_of", "few_pairs", "few_unlinked", "change_rows",
           "CHANGE_TABLE_COLUMNS"]

#: column keys of a change table after its item column (:func:`change_rows`)
CHANGE_TABLE_COLUMNS = ("rep.col.design", "rep.col.test", "rep.col.n", "rep.col.from", "rep.col.to",
                  "rep.col.effect_any", "rep.col.p_plain", "mult.col_p_holm")
_SYMBOL = {"rank_biserial": "r", "cohen_d_av": "d"}


def quoted(texts, lang: str) -> str:
    """Texts in the language's quotation marks, comma-separated ('”A”, ”B”'; '“A”, “B”')."""
    return ", ".join(t("rep.quoted", lang, text=x) for x in texts)


def and_list(words: list[str], lang: str) -> str:
    """'a, b ja c' / 'a, b och c' / 'a, b and c'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {t('rep.and', lang)} {words[-1]}"


def rows_of(frame) -> list[SimpleNamespace]:
    """:func:`records` with the columns as attributes (``r.item``), like ``frame.itertuples()``."""
    return [SimpleNamespace(**r) for r in records(frame)]


def fmt_p(p, lang: str) -> str:
    """A p-value as printed (:func:`osallisuus.numbers.format_p`: '< 0,001' below that, more
    places whenever rounding would reach 0,05); '–' for none."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    return format_p(p, lang)


def fmt_holm(row, lang: str) -> str:
    """The Holm-adjusted p of a primary test, or 'exploratory' for a test outside the family."""
    if str(getattr(row, "family", "")) != "primary":
        return t("mult.exploratory", lang)
    return fmt_p(getattr(row, "p_holm", None), lang)


def test_label(code: str, lang: str) -> str:
    """'wilcoxon' -> 'Wilcoxon (Pratt)', 'mannwhitney' -> 'Mann–Whitney', 'partial_t' -> …"""
    return t(f"rep.test.{code}", lang) if code in ("wilcoxon", "mannwhitney", "partial_t") else str(code)


def term_label(term: str, lang: str) -> str:
    """'phase[T.final]' -> 'Loppuarviointi', 'role[T.professional]' -> 'Ammattilaiset'."""
    for prefix, func in (("phase", phase_label), ("role", role_label)):
        if term.startswith(prefix):
            code = term.split(".")[-1].rstrip("]") if "T." in term else term.split("_", 1)[-1]
            try:
                return func(code, lang)
            except KeyError:
                return term
    return term


def few_pairs(ch, suppression) -> set:
    """Items whose linked respondents are 1..threshold-1: the phases' totals (public) less the
    unlinked respondents would give their number back, so the unlinked row hides its n and means."""
    return {str(r.item) for r in rows_of(ch[ch["design"] == "paired"]) if suppression.is_small(int(r.n))}


def few_unlinked(ch, suppression) -> set:
    """Items with 1..threshold-1 respondents who answered in one phase only: the phases' totals
    (public) less the linked respondents would give their number back, and the linked means with
    the phases' means their mean (one final-only respondent's score, in a student's small region),
    so the linked row hides its n and means (:func:`change_rows`)."""
    small = suppression.is_small
    return {str(r.item) for r in rows_of(ch[ch["test"] == "mannwhitney"])
            if any(notna(v) and small(int(v)) for v in (r.n_from, r.n_to))}


def _n_cell(r, sym: str, small, hidden=(False, False)) -> str:
    """The row's n: the pairs, or the answers of each phase ('..' for a phase whose answer table
    hides the item's n: linked and unlinked answers add up to it)."""
    if r.design == "paired":
        return sym if small(r.n) else format_count(r.n)
    return " / ".join(SECONDARY if h else sym if small(v) else format_count(v)
                      for v, h in zip((r.n_from, r.n_to), hidden))


def change_rows(ch, inst, lang: str, suppression, hidden=None, few=()) -> list[list[str]]:
    """Rows of a change table (:func:`osallisuus.change.change_between`) as a report prints them:
    the item, then :data:`CHANGE_TABLE_COLUMNS`. A suppressed row shows the symbol; the unlinked row of
    an item with 1..threshold-1 pairs (:func:`few_pairs`, and the items of ``few``: a table
    pooling several reports' groups) hides its n and means, and so does the linked row of an item
    with 1..threshold-1 respondents in one phase only (:func:`few_unlinked`); ``hidden(phase, item)`` says what a
    phase's answer table hides of the item (a set of ``"mean"``, ``"n"`` and, for a pooled
    table, ``"pairs"``: its linked count), and that is hidden here too."""
    sym, small = suppression.symbol, suppression.is_small
    hidden = hidden or (lambda phase, item: set())
    rows, few, unlinked = [], few_pairs(ch, suppression) | set(few), few_unlinked(ch, suppression)
    for r in rows_of(ch):
        label = inst.name[lang] if r.item == "__score__" else inst.item_text(r.item, lang)
        start = [label, t(f"rep.design.{r.design}", lang), test_label(r.test, lang)]
        effect = f"{_SYMBOL.get(r.effect_measure, '')} = {fmt_number(r.effect, lang, 2)}" if notna(r.effect) else "–"
        if bool(r.suppressed):
            rows.append(start + [sym, "–", "–", "–", "–", "–"])
        elif (r.test == "mannwhitney" and str(r.item) in few) or (r.design == "paired" and str(r.item) in unlinked):
            rows.append(start + [SECONDARY, SECONDARY, SECONDARY, effect, fmt_p(r.p, lang), fmt_holm(r, lang)])
        else:
            what = [hidden(phase, r.item) for phase in (r.from_phase, r.to_phase)]
            means = [SECONDARY if "mean" in w else fmt_number(m, lang) for w, m in zip(what, (r.mean_from, r.mean_to))]
            n_hidden = tuple("n" in w for w in what)
            n_cell = SECONDARY if r.design == "paired" and "pairs" in what[0] else _n_cell(r, sym, small, n_hidden)
            rows.append(start + [n_cell, *means, effect, fmt_p(r.p, lang), fmt_holm(r, lang)])
    return rows

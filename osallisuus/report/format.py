"""Display texts shared by several sections: p-values, test names, model terms."""
from __future__ import annotations

import math
from types import SimpleNamespace

from ..i18n import phase_label, role_label, t
from ..numbers import format_p

__all__ = ["fmt_p", "fmt_holm", "test_label", "term_label", "records", "rows_of"]


def records(frame) -> list[dict]:
    """The rows of a (small) result table as dicts, ``frame.to_dict("records")`` in a column at
    a time: a table of tests has some forty columns, and pandas makes rows one cell at a time."""
    columns = [str(c) for c in frame.columns]
    return [dict(zip(columns, values)) for values in zip(*(frame[c].tolist() for c in frame.columns))]


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

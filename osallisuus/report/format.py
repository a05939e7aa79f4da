"""Display texts shared by several sections: p-values, test names, model terms."""
from __future__ import annotations

import math

from ..i18n import fmt_number, phase_label, role_label

__all__ = ["fmt_p", "test_label", "term_label"]


def fmt_p(p, lang: str) -> str:
    """A p-value as printed: three decimals, '< 0,001' below that, '–' for none."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "–"
    if p < 0.001:
        return "< " + fmt_number(0.001, lang, 3)
    return fmt_number(p, lang, 3)


def test_label(code: str) -> str:
    """'wilcoxon' -> 'Wilcoxon', 'mannwhitney' -> 'Mann–Whitney' (names, the same in every language)."""
    return {"wilcoxon": "Wilcoxon", "mannwhitney": "Mann–Whitney"}.get(str(code), str(code))


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

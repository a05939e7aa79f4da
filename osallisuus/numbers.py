"""Display numbers: one formatter for every number a reader sees.

Rounding is **decimal half up** on the number as written (Finnish reports, Excel and SPSS
round this way): a float is turned into ``decimal.Decimal`` from its shortest ``str`` form
(``str(2.675) == "2.675"``), so the binary representation error of the float (2.675 is
stored as 2.67499999...) does not decide the rounding, and ties round away from zero
(``decimal.ROUND_HALF_UP``): 2.55 -> 2.6, 3.05 -> 3.1, 62.5 % -> 63 %, 0.125 -> 0.13,
-2.55 -> -2.6. A value that rounds to zero is printed without a sign.

Finnish and Swedish write a decimal comma, English a decimal point; negative numbers get a
real minus sign (U+2212). p-values are printed by :func:`format_p` so that a printed p and
any claim about it never disagree. Counts of five or more digits are grouped by threes with a
no-break space (:func:`format_count`: ``12 345``), as Finnish and Swedish style guides and ISO
80000-1 write them; a run of six digits would also read as a customer or personal number.

References
----------
Python ``decimal`` module, ``ROUND_HALF_UP``: "Round to nearest with ties going away from
zero". Microsoft Excel ``ROUND`` and SPSS display rounding use the same rule.
Kotimaisten kielten keskus, Kielitoimiston ohjepankki, "Numeroiden ryhmittely"; Språkrådet,
*Svenska skrivregler*, "Siffror och tal"; ISO 80000-1:2022, 7.3.1 (digits grouped by threes
with a space, never a point or comma).
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Integral, Real

from .errors import NumberFormatError
from .settings import LANGUAGES

__all__ = ["NumberFormatError", "NONE", "MINUS", "GROUP", "to_decimal", "round_half_up", "format_number",
           "format_count", "format_counts", "format_percent", "percent_from_counts", "format_p", "format_effect", "p_below"]

NONE = "\u2013"     # en dash: no value
MINUS = "\u2212"    # real minus sign
GROUP = "\u00a0"    # no-break space between digit groups: a count never breaks across lines
_P_FLOOR = Decimal("0.001")
_MAX_P_DECIMALS = 12



def _missing(x) -> bool:
    if x is None:
        return True
    if isinstance(x, Decimal):
        return x.is_nan()
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def to_decimal(x) -> Decimal:
    """The number as written: ``Decimal(str(float(x)))`` for floats, exact for integers.

    Examples
    --------
    >>> to_decimal(2.675)
    Decimal('2.675')
    >>> to_decimal(51 / 20)
    Decimal('2.55')
    """
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise NumberFormatError(f"expected a number, got the truth value {x!r}")
    if isinstance(x, Integral):
        return Decimal(int(x))
    if isinstance(x, Real) or hasattr(x, "__float__"):
        value = float(x)
        if not math.isfinite(value):
            raise NumberFormatError(f"expected a finite number, got {x!r}")
        return Decimal(str(value))   # str of a float is its shortest round-tripping form
    raise NumberFormatError(f"expected a number, got {x!r} ({type(x).__name__})")


def round_half_up(x, decimals: int = 0) -> Decimal:
    """``x`` rounded to ``decimals`` places, ties away from zero, on the decimal value as written.

    Examples
    --------
    Hand-checked ties: 51/20 = 2.55 -> 2.6; 61/20 = 3.05 -> 3.1; 0.125 -> 0.13; and the
    float trap 2.675 (stored as 2.67499999999999982236431605997495353221893310546875,
    which Python's ``round`` gives as 2.67) -> 2.68.

    >>> str(round_half_up(51 / 20, 1)), str(round_half_up(2.675, 2))
    ('2.6', '2.68')
    """
    if not isinstance(decimals, int) or decimals < 0:
        raise NumberFormatError(f"decimals must be a whole number >= 0, got {decimals!r}")
    quantum = Decimal(1).scaleb(-decimals)
    try:
        return to_decimal(x).quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise NumberFormatError(f"{x!r} cannot be rounded to {decimals} decimals") from None


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise NumberFormatError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return lang


def _write(d: Decimal, lang: str) -> str:
    """A rounded Decimal in the language's notation (decimal sign, minus sign, no '-0')."""
    if d == 0:
        d = abs(d)
    text = format(d, "f")
    if text.startswith("-"):
        text = MINUS + text[1:]
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def format_number(x, lang: str = "fi", decimals: int = 1) -> str:
    """``x`` rounded half up to ``decimals`` places, as ``lang`` writes it; '–' for none.

    Examples
    --------
    >>> format_number(51 / 20, "fi"), format_number(61 / 20, "sv"), format_number(-2.55, "en")
    ('2,6', '3,1', '−2.6')
    """
    _check_lang(lang)
    if _missing(x):
        return NONE
    return _write(round_half_up(x, decimals), lang)


def format_count(n) -> str:
    """A whole count as a reader sees it: digits grouped by threes with a no-break space from
    five digits on (``12 345``; ``1234`` stays as it is); '–' for none. The same in every
    language (fi, sv and en).

    Examples
    --------
    >>> format_count(748116), format_count(1234), format_count(10000), format_count(-25000)
    ('748\xa0116', '1234', '10\xa0000', '−25\xa0000')
    """
    if _missing(n):
        return NONE
    value = int(n)
    if value != n:
        raise NumberFormatError(f"count {n!r}: expected a whole number")
    return _grouped(value, 5)


def _grouped(value: int, from_digits: int) -> str:
    digits = str(abs(value))
    if len(digits) >= from_digits:
        digits = f"{int(digits):,}".replace(",", GROUP)
    return (MINUS if value < 0 else "") + digits


def format_counts(values) -> list[str]:
    """Counts shown together (the parts of a sum, a list) as :func:`format_count`, grouped
    alike: when one has five or more digits, four-digit ones are grouped too (Kielitoimisto's
    guidance on grouping digits: in a table or list with larger numbers, four-digit numbers
    are grouped as well), so that "15 453 + 3 602 = 19 055" does not read "15 453 + 3602".

    Examples
    --------
    >>> format_counts([15453, 3602, 19055]), format_counts([1234, 56])
    (['15\xa0453', '3\xa0602', '19\xa0055'], ['1234', '56'])
    """
    checked = [format_count(v) for v in values]          # the same checks and '–' for none
    if not any(len(c.lstrip(MINUS)) >= 5 for c in checked):
        return checked
    return [c if _missing(v) else _grouped(int(v), 4) for c, v in zip(checked, values)]


def _percent_text(d: Decimal, lang: str, decimals: int) -> str:
    num = _write(d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), lang)
    return f"{num}\u00a0%" if lang in ("fi", "sv") else f"{num}%"


def format_percent(share, lang: str = "fi", decimals: int = 0) -> str:
    """A share 0..1 as a percentage ('63 %' in fi and sv, '63%' in en), rounded half up.

    The share is multiplied by 100 in decimal arithmetic, so 0.625 -> 62.5 -> 63 %.
    """
    _check_lang(lang)
    if _missing(share):
        return NONE
    if not isinstance(decimals, int) or decimals < 0:
        raise NumberFormatError(f"decimals must be a whole number >= 0, got {decimals!r}")
    return _percent_text(to_decimal(share) * 100, lang, decimals)


def percent_from_counts(k: int, n: int, lang: str = "fi", decimals: int = 0) -> str:
    """``k`` of ``n`` as a percentage computed exactly from the counts (5 of 8 -> '63 %').

    Examples
    --------
    >>> percent_from_counts(5, 8, "en")
    '63%'
    """
    _check_lang(lang)
    if _missing(k) or _missing(n) or int(n) == 0:
        return NONE
    if int(k) != k or int(n) != n or k < 0 or n < 0 or k > n:
        raise NumberFormatError(f"percent_from_counts: expected whole counts 0 <= k <= n, got k={k!r}, n={n!r}")
    return _percent_text(Decimal(int(k)) * 100 / Decimal(int(n)), lang, decimals)


def p_below(p, alpha: float = 0.05) -> bool:
    """True when ``p < alpha`` (NaN/None: False). The one rule for claiming a difference."""
    return not _missing(p) and float(p) < float(alpha)


def format_p(p, lang: str = "fi", alpha: float = 0.05, decimals: int = 3) -> str:
    """A p-value for print: '< 0,001' below 0.001, otherwise ``decimals`` places, half up,
    with more places whenever rounding would reach or cross ``alpha``.

    The printed value is always on the same side of ``alpha`` as ``p`` itself, so a
    sentence that claims a difference exactly when ``p < alpha`` (:func:`p_below`) never
    contradicts the printed p: 0.0498 prints as 0,0498, 0.04996 as 0,04996, never 0,050.
    A p at or above ``alpha`` cannot round below it (rounding half up never goes down past
    a value at or above alpha that has fewer places), so it keeps ``decimals`` places.

    Examples
    --------
    >>> format_p(0.0498, "fi"), format_p(0.0004, "en"), format_p(0.0125, "sv")
    ('0,0498', '< 0.001', '0,013')
    """
    _check_lang(lang)
    if _missing(p):
        return NONE
    value = to_decimal(p)
    if value < 0 or value > 1:
        raise NumberFormatError(f"a p-value must lie between 0 and 1, got {p!r}")
    if value < _P_FLOOR:
        return "< " + _write(_P_FLOOR, lang)
    a = to_decimal(alpha)
    places = decimals
    shown = round_half_up(value, places)
    while value < a <= shown and places < _MAX_P_DECIMALS:
        places += 1
        shown = round_half_up(value, places)
    return _write(shown, lang)


def format_effect(x, lang: str = "fi", decimals: int = 2) -> str:
    """An effect size (r, rank-biserial, d, odds ratio) with ``decimals`` places, half up."""
    return format_number(x, lang, decimals)

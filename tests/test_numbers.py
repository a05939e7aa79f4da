"""Display numbers round half up on the decimal value as written (hand-checked references)."""
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

from osallisuus import i18n
from osallisuus.errors import NumberFormatError
from osallisuus.numbers import (format_effect, format_number, format_p, format_percent, p_below,
                                percent_from_counts, round_half_up)


# Hand calculation: a mean of 20 answers summing to 51 is 2.55 exactly; half up gives 2.6
# (Python's round/format gives 2.5 because 2.55 is stored as 2.54999...). 61/20 = 3.05 -> 3.1.
@pytest.mark.parametrize("total, expected", [(51, "2,6"), (61, "3,1"), (49, "2,5"), (50, "2,5")])
def test_mean_ties_round_half_up(total, expected):
    assert format_number(total / 20, "fi", 1) == expected
    assert i18n.fmt_number(total / 20, "fi", 1) == expected        # existing callers get half up too


def test_percentages_from_counts_and_shares():
    # 5 / 8 = 62.5 % exactly -> 63 % half up (Python's f"{62.5:.0f}" gives 62)
    assert percent_from_counts(5, 8, "fi") == "63\u00a0%"
    assert format_percent(5 / 8, "en") == "63%"
    assert i18n.fmt_percent(5 / 8, "sv") == "63\u00a0%"
    # 1 / 8 = 12.5 % -> 13 %; 3 / 8 = 37.5 % -> 38 %; 1 / 3 = 33.33 % -> 33 %
    assert [percent_from_counts(k, n, "en") for k, n in ((1, 8), (3, 8), (1, 3))] == ["13%", "38%", "33%"]
    assert percent_from_counts(1, 8, "fi", 1) == "12,5\u00a0%"
    with pytest.raises(NumberFormatError, match="k <= n"):
        percent_from_counts(9, 8)


def test_effect_size_and_float_traps():
    assert format_effect(0.125, "fi") == "0,13"          # f"{0.125:.2f}" gives 0.12 (half even)
    assert format_effect(-0.125, "en") == "\u22120.13"    # ties away from zero, real minus sign
    # 2.675 is stored as 2.67499999999999982236431605997495353221893310546875 (Decimal(2.675)),
    # so float rounding gives 2.67; half up on the value as written (2.675) gives 2.68.
    assert Decimal(2.675) < Decimal("2.675") and round(2.675, 2) == 2.67
    assert format_number(2.675, "fi", 2) == "2,68"
    assert format_number(1.005, "en", 2) == "1.01"
    assert str(round_half_up(np.float64(0.125), 2)) == "0.13"
    # the same rule as Decimal's own ROUND_HALF_UP on the written literal
    for text in ("0.045", "12.345", "99.995", "0.5", "1.5", "2.5"):
        ref = Decimal(text).quantize(Decimal("0.01") if "." in text[:-2] else Decimal("1"), rounding=ROUND_HALF_UP)
        assert round_half_up(float(text), -ref.as_tuple().exponent) == ref


def test_language_signs_and_missing():
    assert format_number(-2.55, "fi") == "\u22122,6"
    assert format_number(-0.04, "fi") == "0,0"        # no minus sign on a value that rounds to zero
    assert format_number(3, "en", 0) == "3"
    assert format_number(None, "fi") == format_number(float("nan"), "fi") == "\u2013"
    with pytest.raises(NumberFormatError, match="expected one of fi, sv, en"):
        format_number(1.0, "de")
    with pytest.raises(NumberFormatError, match="expected a number"):
        format_number("abc", "fi")


@pytest.mark.parametrize("p, fi", [
    (0.0498, "0,0498"),      # just under 0.05: 3 places would print 0,050 -> one more place
    (0.04996, "0,04996"),    # two more places needed (0,0500 still reaches 0.05)
    (0.049, "0,049"),
    (0.05, "0,050"),         # at alpha: not below, prints as itself
    (0.0504, "0,050"),       # above alpha: rounds to 0,050, still not below 0.05
    (0.0125, "0,013"),       # a tie, half up
    (0.00099, "< 0,001"),
    (0.001, "0,001"),
    (0.9996, "1,000"),
])
def test_p_values_never_disagree_with_the_claim(p, fi):
    text = format_p(p, "fi")
    assert text == fi
    if not text.startswith("<"):
        printed = float(text.replace(",", "."))
        assert (printed < 0.05) == p_below(p)     # the printed p is on the same side of 0.05
    assert format_p(p, "en") == fi.replace(",", ".")


def test_p_with_another_alpha_and_bad_values():
    assert format_p(0.00996, "en", alpha=0.01) == "0.00996"
    assert format_p(float("nan"), "fi") == "\u2013" and not p_below(float("nan"))
    with pytest.raises(NumberFormatError, match="between 0 and 1"):
        format_p(1.2, "fi")


def test_counts_grouped_by_threes_from_five_digits():
    """Kielitoimiston ohjepankki, "Numeroiden ryhmittely": five or more digits are grouped by
    threes from the right with a space (a no-break space, so a count never breaks across lines);
    four digits stay together. The expected texts are written out by hand."""
    from osallisuus.numbers import format_count
    nb = "\u00a0"
    assert [format_count(n) for n in (0, 4, 999, 1234, 9999)] == ["0", "4", "999", "1234", "9999"]
    assert format_count(10000) == f"10{nb}000"
    assert format_count(748116) == f"748{nb}116"
    assert format_count(1234567) == f"1{nb}234{nb}567"
    assert format_count(-25000) == f"\u221225{nb}000"
    assert format_count(12.0) == "12" and format_count(None) == "\u2013"
    with pytest.raises(NumberFormatError):
        format_count(2.5)


def test_counts_shown_together_are_grouped_alike():
    """In a list or sum with five-digit numbers, four-digit ones are grouped too (Kielitoimisto:
    "taulukoissa ja luetteloissa, joissa on myös suurempia lukuja"); written out by hand."""
    from osallisuus.numbers import format_counts
    nb = "\u00a0"
    assert format_counts([15453, 3602, 19055]) == [f"15{nb}453", f"3{nb}602", f"19{nb}055"]
    assert format_counts([1234, 999, 2233]) == ["1234", "999", "2233"]
    assert format_counts([10000, 0, None, -1500]) == [f"10{nb}000", "0", "\u2013", f"\u22121{nb}500"]
    with pytest.raises(NumberFormatError):
        format_counts([12345, 2.5])


def test_validation_summary_groups_its_counts_alike():
    """The appendix's data check: accepted + quarantined = total, all grouped alike."""
    import pandas as pd
    from osallisuus.validation import FileSummary, ValidationReport
    nb = "\u00a0"
    report = ValidationReport(data=pd.DataFrame({"code": range(15453)}), quarantine=pd.DataFrame({"x": range(3602)}),
                              problems=pd.DataFrame(), files=[FileSummary("a.csv", answers=19055)], lang="fi")
    assert f"hyväksyttiin 15{nb}453, karanteeniin 3{nb}602 (15{nb}453 + 3{nb}602 = 19{nb}055)" in report.summary()

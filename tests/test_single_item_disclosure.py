"""A one-question instrument's mean is its answers' mean: beside its n it can give a count back.

A new user's English project had a yes/no question ("Was a care plan made together with you?",
Yes = 1, No = 0) shown, as one question is, by a sentence with its mean. "Care plan question:
mean 0.8 (n = 14)" says 11 or 12 yes of 14 with a mean rounded to 0.8, i.e. 10.5 <= yes < 11.9:
11 yes and 3 no, a count under 5 that no table printed; the change table, its sentence and the
figure of means by role printed the same 0.8 (and a role's 0.5 of 8: 4 yes, 4 no). Reference
values here come from enumerating every table of counts a reader could think of, with
``decimal`` for the rounding, not from the library."""
from __future__ import annotations

import itertools
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup


def _shown(counts, values) -> Decimal:
    n = sum(counts)
    total = sum(Decimal(str(v)) * c for v, c in zip(values, counts))
    return (total / n).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _pinned_by_enumeration(counts, values, k=5) -> bool:
    """Every count vector with the same n and the same shown mean; a count of 1..k-1 whose
    possible values all lie in 1..k-1 is pinned."""
    n, shown = sum(counts), _shown(counts, values)
    fits = [c for c in itertools.product(range(n + 1), repeat=len(counts))
            if sum(c) == n and _shown(c, values) == shown]
    for j, true in enumerate(counts):
        possible = {c[j] for c in fits}
        if 1 <= true < k and min(possible) >= 1 and max(possible) <= k - 1:
            return True
    return False


def test_mean_pins_agrees_with_enumerating_every_table():
    from osallisuus.disclosure import mean_pins
    rng = np.random.default_rng(32)
    cases = [([11, 3], [1, 0]), ([8, 10], [1, 0]), ([4, 4], [1, 0]), ([17, 22], [1, 0]), ([4, 1], [7, 6])]
    for _ in range(60):
        values = [[1, 0], [3, 2, 1], [4, 3, 2, 1]][rng.integers(0, 3)]
        counts = [int(x) for x in rng.integers(0, 7, size=len(values))]
        if sum(counts):
            cases.append((counts, values))
    seen = set()
    for counts, values in cases:
        expected = _pinned_by_enumeration(counts, values)
        assert mean_pins(counts, values, 5) == expected, (counts, values)
        seen.add(expected)
    assert seen == {True, False}


YESNO = {
    "id": "care_plan", "version": "1", "name": {"fi": "Suunnitelmakysymys", "sv": "Planfrågan", "en": "Plan question"},
    "source": "A project's own question (test).", "wording": "official", "translations": "project",
    "scale": {"points": [{"code": 1, "label": {"fi": "Kyllä", "sv": "Ja", "en": "Yes"}},
                         {"code": 0, "label": {"fi": "Ei", "sv": "Nej", "en": "No"}}],
              "missing": [], "positive": [1]},
    "answer": "rating",
    "items": [{"id": "made", "text": {"fi": "Tehtiinkö suunnitelma?", "sv": "Gjordes en plan?",
                                      "en": "Was a plan made with you?"}}],
    "scoring": {"method": "mean"},
}


@pytest.fixture(scope="module")
def yes_no_report(tmp_path_factory):
    """Kainuu: baseline 18 clients (8 yes), interim 14 of them (11 yes); a plan with the
    question as a primary outcome in both phases."""
    root = tmp_path_factory.mktemp("yesno")
    (root / "data").mkdir()
    (root / "instruments").mkdir()
    (root / "instruments" / "care_plan.yaml").write_text(yaml.safe_dump(YESNO, allow_unicode=True), encoding="utf-8")
    rows = []
    for phase, n, yes in (("baseline", 18, 8), ("interim", 14, 11)):
        for i in range(n):
            rows.append((f"K{i:02d}", "Kainuu", phase, "client", "care_plan", "made", "Yes" if i < yes else "No"))
    pd.DataFrame(rows, columns=["respondent_id", "region", "phase", "role", "instrument", "item", "value"]).to_csv(
        root / "data" / "answers.csv", index=False)
    plan = {"phases": {"baseline": {"instruments": ["care_plan"], "roles": ["client"]},
                       "interim": {"instruments": ["care_plan"], "roles": ["client"]}},
            "primary_outcomes": [{"instrument": "care_plan", "phase": "baseline"},
                                 {"instrument": "care_plan", "phase": "interim"}]}
    (root / "data" / "arviointisuunnitelma.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    (root / "osallisuus.yaml").write_text(yaml.safe_dump(
        {"paths": {"data": "data", "reports": "reports", "instruments": ["instruments"]}, "language": "en"}),
        encoding="utf-8")
    from osallisuus.report import RegionReport
    from osallisuus.settings import load_settings
    report = RegionReport("Kainuu", root / "data", lang="en", settings=load_settings(root / "osallisuus.yaml"))
    text = BeautifulSoup(report._repr_html_(), "html.parser").get_text(" ")
    return report, " ".join(text.split())


def test_a_yes_no_means_that_give_a_count_are_not_printed(yes_no_report):
    report, text = yes_no_report
    # the reader's arithmetic: 11 yes and 3 no of 14 are pinned by 0.8; 8 of 18 (0.4) are not
    assert _pinned_by_enumeration([11, 3], [1, 0]) and not _pinned_by_enumeration([8, 10], [1, 0])
    assert "mean 0.4 (n = 18)" in text                              # baseline: printed
    assert "0.8" not in text, text[:4000]                           # interim: nowhere (sentence, tables, figure)
    assert "Plan question: 14 respondents. The mean is not shown" in text
    summary = report.summary()["outcomes"]                           # the cross-region index's row
    assert sorted(v for v in summary.values() if v is not None) == [0.4]
    assert list(summary.values()).count(None) == 1

"""A master's student's English project: own data with two regions, baseline and final only,
clients and professionals, an instrument of the student's own and one small region.

Reference values are computed here from the raw rows with plain pandas, or come from what the
README promises (tables numbered in the order the notebook shows them).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml


def _instrument(iid: str, text: str) -> dict:
    return {"id": iid, "version": "1", "name": {"fi": iid, "sv": iid, "en": text}, "source": "own",
            "wording": "official", "scale": "samaa_mielta_5", "answer": "rating",
            "items": [{"id": f"{iid}{k}", "text": {"fi": f"{iid}{k}", "sv": f"{iid}{k}", "en": f"{text} {k}"}}
                      for k in (1, 2, 3)],
            "scoring": {"method": "mean", "min_answered": 2}}


def _project(root: Path, rows: list[dict], plan: dict | None = None) -> Path:
    (root / "own").mkdir()
    for iid, text in (("aa", "First form"), ("bb", "Second form")):
        (root / "own" / f"{iid}.yaml").write_text(yaml.safe_dump(_instrument(iid, text)), encoding="utf-8")
    (root / "osallisuus.yaml").write_text("paths: {data: data, instruments: [own]}\nlanguage: en\n",
                                          encoding="utf-8")
    (root / "data").mkdir()
    pd.DataFrame(rows).to_csv(root / "data" / "answers.csv", index=False)
    if plan is not None:
        (root / "data" / "arviointisuunnitelma.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    return root / "osallisuus.yaml"


def _answers(region: str, ids: list[str], phases: tuple[str, ...], instruments=("bb", "aa"), shift=0):
    """Rows of ``ids`` in ``phases``; the instruments in the order given (the data's order)."""
    rows = []
    for n, rid in enumerate(ids):
        for phase in phases:
            for iid in instruments:
                for k in (1, 2, 3):
                    value = 1 + (n * 7 + k * 3 + (shift if phase == "final" else 0) + len(iid)) % 5
                    rows.append({"respondent_id": rid, "region": region, "phase": phase, "role": "client",
                                 "instrument": iid, "item": f"{iid}{k}", "value": value})
    return rows


def _number(caption: str) -> int:
    return int(re.match(r"\D*(\d+)", caption).group(1))


def test_change_tables_are_numbered_in_the_order_the_plans_notebook_shows_them(tmp_path):
    """A student's two instruments were answered in both phases; the data listed the second
    instrument of the plan first. The notebook written from the plan showed 'Table 10' (the
    plan's first instrument) before 'Table 8': the change section was built in the data's order."""
    from osallisuus.plan import load_plan
    from osallisuus.report import RegionReport
    from osallisuus.report.model import Figure, Table
    from osallisuus.report.notebook import report_notebook
    from osallisuus.settings import load_settings
    plan = {"phases": {p: {"instruments": ["aa", "bb"], "roles": ["client"]} for p in ("baseline", "final")},
            "primary_outcomes": [{"instrument": "aa", "phase": "final"}]}
    ids = [f"k{i}" for i in range(12)]
    settings_file = _project(tmp_path, _answers("Kainuu", ids, ("baseline", "final"), shift=1), plan)
    settings = load_settings(settings_file)
    nb = report_notebook(load_plan(tmp_path / "data" / "arviointisuunnitelma.yaml", settings), settings,
                         region="Kainuu", lang="en")
    calls = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("report.view(")]
    report = RegionReport("Kainuu", tmp_path / "data", lang="en", settings=settings)
    shown = {"table": [], "figure": []}
    for call in calls:
        section = eval(call, {"report": report})            # noqa: S307 - the notebook's own calls
        for block in section.blocks:
            if isinstance(block, Table):
                shown["table"].append(block.number)
            elif isinstance(block, Figure):
                shown["figure"].append(block.number)
    change_calls = [c for c in calls if '"change_table"' in c]
    assert change_calls == ['report.view("change_table", instrument="aa")',
                            'report.view("change_table", instrument="bb")']
    for kind, numbers in shown.items():
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), (kind, numbers)


def test_one_respondent_answering_in_one_phase_only_cannot_be_worked_out_of_the_change_table(tmp_path, monkeypatch):
    """A student's small region: 7 clients at baseline, 6 at the end, 5 of them in both. The
    report printed the final phase's mean of 6 and the linked respondents' 5 and their means, so
    6 x mean - 5 x linked mean gave the one final-only client's own score (82.7 for a true 82.5).
    The linked row hides its n and means, no sentence or note gives the 5, and the notebook's
    change table (by region, and pooled with a larger region) does not either."""
    import osallisuus
    from osallisuus.report import RegionReport
    from osallisuus.report.model import Paragraph, Table
    from osallisuus.settings import load_settings
    small = _answers("Kainuu", [f"k{i}" for i in range(5)], ("baseline", "final"), shift=1) + \
        _answers("Kainuu", ["k5", "k6"], ("baseline",)) + _answers("Kainuu", ["k7"], ("final",), shift=4)
    large = _answers("Pirkanmaa", [f"p{i}" for i in range(20)], ("baseline", "final"), shift=2) + \
        _answers("Pirkanmaa", [f"q{i}" for i in range(6)], ("baseline",)) + \
        _answers("Pirkanmaa", [f"r{i}" for i in range(6)], ("final",), shift=3)
    settings_file = _project(tmp_path, small + large)
    raw = pd.DataFrame(small)
    raw = raw[raw["instrument"] == "aa"]
    scores = raw.groupby(["respondent_id", "phase"])["value"].mean().unstack()
    linked = scores.dropna()
    assert len(linked) == 5 and scores["baseline"].count() == 7 and scores["final"].count() == 6
    printed_linked_mean = f"{float(linked['final'].mean()):.1f}"

    report = RegionReport("Kainuu", tmp_path / "data", lang="en", settings=load_settings(settings_file))
    section = report.view("change_table", instrument="aa")
    table = next(b for b in section.blocks if isinstance(b, Table))
    score_rows = [r for r in table.rows if r[0] == "First form"]
    same = next(r for r in score_rows if r[1] == "same respondents")
    assert same[3:6] == ["..", "..", ".."], same                 # n, at start, at end
    assert not any(printed_linked_mean == cell for r in score_rows for cell in r[4:6] if r[1] != "all respondents")
    text = " ".join([*table.notes, *(b.text for s in report.sections() for b in s.blocks if isinstance(b, Paragraph))])
    assert "(5)" not in text and "5 linked" not in text and "5 of them" not in text, text
    assert "fewer than 5 answered in one phase only" in text

    monkeypatch.chdir(tmp_path)                                 # the notebook's project: its own instruments
    data = osallisuus.reportable(osallisuus.load_data(str(tmp_path / "data"), str(settings_file)).data, 5)
    by_region = osallisuus.change_shown(data, "aa", "baseline", "final", by="region", items=False, lang="en",
                                        suppression=5)
    kainuu = by_region[(by_region.iloc[:, 0] == "Kainuu") & (by_region.iloc[:, 2] == "same respondents")]
    assert list(kainuu.iloc[0, 4:7]) == ["..", "..", ".."], kainuu
    pooled = osallisuus.change_shown(data, "aa", "baseline", "final", items=False, lang="en", suppression=5)
    same_pooled = pooled[pooled.iloc[:, 1] == "same respondents"].iloc[0]
    assert same_pooled.iloc[3] == "..", same_pooled            # 25 pooled less Pirkanmaa's 20 gave 5
    numbers = osallisuus.change_shown(data, "aa", "baseline", "final", by="region", items=False, suppression=5)
    k = numbers[numbers["region"].astype(str) == "Kainuu"]
    assert k[k["design"] == "paired"][["n", "n_pairs", "mean_from", "mean_to"]].isna().all(axis=None)
    assert k[k["design"] == "partially_paired"][["n", "n_pairs"]].isna().all(axis=None)


@pytest.mark.parametrize("choice, known", [({"region": "Lappi"}, "Kainuu"), ({"role": "manager"}, "client"),
                                           ({"instrument": "soc_g10"}, "aa, bb")])
def test_the_explorer_names_a_parameter_the_data_has_no_answers_for(tmp_path, monkeypatch, choice, known):
    """02_tutustu run with a region, role or instrument the student's data does not have stopped
    with ipywidgets' 'TraitError: Invalid selection: value not found' and 22 lines of traceback."""
    import osallisuus
    from osallisuus.errors import OsallisuusError
    settings_file = _project(tmp_path, _answers("Kainuu", [f"k{i}" for i in range(6)], ("baseline", "final")))
    monkeypatch.chdir(tmp_path)
    data = osallisuus.load_data(str(tmp_path / "data"), str(settings_file)).data
    with pytest.raises(OsallisuusError, match=re.escape(f"{list(choice.values())[0]!r}") + ".*" + known):
        osallisuus.explorer(data, phase="final", lang="en", suppression=5, **choice)
    assert osallisuus.explorer(data, phase="final", region="Kainuu", role="client", instrument="aa", lang="en",
                               suppression=5) is not None


def test_free_texts_name_a_phase_the_data_does_not_have_and_an_empty_selection_gives_no_quotes(tmp_path, monkeypatch):
    """06_avoimet_vastaukset with phase=interim on data without an interim phase (or role=manager
    on clients only) stopped with KeyError: 'text' in theme_quotes."""
    import osallisuus
    from osallisuus.errors import OsallisuusError
    settings_file = _project(tmp_path, _answers("Kainuu", [f"k{i}" for i in range(6)], ("baseline", "final")))
    monkeypatch.chdir(tmp_path)
    data = osallisuus.load_data(str(tmp_path / "data"), str(settings_file)).data
    with pytest.raises(OsallisuusError, match="'interim'.*baseline, final"):
        osallisuus.free_texts(data, phase="interim", lang="en")
    with pytest.raises(OsallisuusError, match="'manager'.*client"):
        osallisuus.free_texts(data, role="manager", lang="en")
    texts = osallisuus.free_texts(data, phase="final", lang="en")      # no written answers at all
    codebook = osallisuus.load_codebook("", str(settings_file))
    quotes = osallisuus.theme_quotes(osallisuus.code_themes(texts, codebook), codebook, lang="en", suppression=5)
    assert len(texts) == 0 and len(quotes) == 0 and list(quotes.columns) == ["theme", "quote"]

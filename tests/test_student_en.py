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

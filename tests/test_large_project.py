"""A project with more than 100 000 answers publishes its reports.

Its counts run to six digits. Written as ``748116`` they would read as customer or personal
numbers to the audit (and to a reader), and the audit would stop every report of the project;
they are grouped by threes with a no-break space instead (``748 116``), as Finnish reports
write them, and the audit reads a grouped number as one number.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests import project_builder as pb

pytestmark = pytest.mark.slow
GROUP = "\u00a0"


def _cli(args, cwd):
    return subprocess.run([sys.executable, "-m", "osallisuus", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("iso")
    data = pb.build(root)
    own = data[data["region"] == data["region"].iloc[0]]
    copies = -(-120_000 // len(own))
    extra = pd.concat([own.assign(respondent_id=own["respondent_id"] + f"-{k}", region="Kainuu")
                       for k in range(copies)], ignore_index=True)
    extra.to_csv(root / "aineisto" / "kainuu.csv", sep=";", index=False, encoding="utf-8")
    res = _cli(["reports", "--region", "Kainuu", "--format", "html,pdf,docx,xlsx", "--no-progress"], root)
    return {"root": root, "res": res, "total": len(data) + len(extra), "region_total": len(extra)}


def test_large_project_publishes_and_its_audit_is_clean(large):
    assert large["total"] > 100_000
    res = large["res"]
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    audit = _cli(["audit", "julkaisut"], large["root"])
    assert audit.returncode == 0, audit.stdout[-2000:]


def test_counts_are_grouped_in_the_report(large):
    folder = next(p for p in (large["root"] / "julkaisut").iterdir() if p.is_dir())
    html = (folder / "raportti.html").read_text(encoding="utf-8")
    shown = f"{large['region_total']:,}".replace(",", GROUP)      # 123 456 written by hand-built rule
    assert f"Tämän alueen vastauksia raportissa: {shown}." in html
    text = re.sub(r"<[^>]+>|data:[^\"']+", " ", html)
    assert not re.search(r"(?<!\w)\d{6,}(?!\w)", text)        # no six-digit number in the text (a hash is no number)

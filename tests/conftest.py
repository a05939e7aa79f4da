"""Shared fixtures. Tests use the real package data and the bundled example files."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"


@pytest.fixture(autouse=True)
def _project_cwd(monkeypatch):
    """Run every test from the repository root so the project's osallisuus.yaml applies."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("OSALLISUUS_CONFIG", raising=False)


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE


def answers(rows: list[dict], **defaults) -> pd.DataFrame:
    """A validated-answers frame built by hand: fills region/phase/role defaults and codes."""
    base = {"region": "Lappi", "phase": "final", "role": "client", "group": "", "text": ""}
    frame = pd.DataFrame([{**base, **defaults, **r} for r in rows])
    frame["code"] = frame["value"].astype(float)
    frame["missing_code"] = frame.get("missing", False)
    if "missing" in frame:
        frame = frame.drop(columns="missing")
    for c in ("region", "instrument", "item"):
        frame[c] = frame[c].astype("category")
    frame["phase"] = pd.Categorical(frame["phase"], ["baseline", "interim", "final"], ordered=True)
    frame["role"] = pd.Categorical(frame["role"], ["client", "professional", "manager", "organisation", "other"],
                                   ordered=True)
    frame["value"] = frame["value"].astype(str)
    return frame


ROLES = ["client", "professional", "manager", "organisation", "other"]


def coded_frame(rows: list[dict]) -> pd.DataFrame:
    """Validated answers built by hand from rows that give ``code`` (the data contract's columns)."""
    base = {"region": "Lappi", "phase": "final", "role": "client", "group": "", "date": "", "text": "",
            "missing_code": False, "source_file": "test.csv"}
    f = pd.DataFrame([{**base, **r} for r in rows])
    f["code"] = f["code"].astype(float)
    f["value"] = f["code"].astype(str)
    f["missing_code"] = f["missing_code"].astype(bool)
    f["source_row"] = np.arange(len(f)) + 2
    for c in ("region", "instrument", "item"):
        f[c] = f[c].astype("category")
    f["phase"] = pd.Categorical(f["phase"], ["baseline", "interim", "final"], ordered=True)
    f["role"] = pd.Categorical(f["role"], ROLES, ordered=True)
    return f


def write_canonical(path: Path, rows: list[dict], sep: str = ",", encoding: str = "utf-8") -> Path:
    frame = pd.DataFrame(rows)
    path.write_text(frame.to_csv(sep=sep, index=False), encoding=encoding)
    return path


def canonical_row(**kw) -> dict:
    row = {"respondent_id": "R1", "region": "Lappi", "phase": "final", "role": "asiakas",
           "instrument": "arvio_4", "item": "suunnittelu", "value": "Melko hyvin"}
    row.update(kw)
    return row


if os.environ.get("CI"):
    # In CI nothing is skipped for lack of tools: a missing browser is a failure.
    os.environ.setdefault("OSALLISUUS_REQUIRE_BROWSER", "1")

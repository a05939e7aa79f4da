"""Shared helpers for the benchmarks: synthetic data sets of a chosen size from the example data."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"


def canonical_example() -> pd.DataFrame:
    """All example answers in canonical long form (text), via the package's own reader."""
    import osallisuus
    data = osallisuus.validate(EXAMPLE).data
    cols = ["respondent_id", "region", "phase", "role", "instrument", "item", "value", "group", "text"]
    out = data[cols].astype(object)
    out["role"] = data["role"].astype(str)
    out["phase"] = data["phase"].astype(str)
    return out


def scaled(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` answer rows: copies of the example with fresh respondent ids, cut to size."""
    base = canonical_example()
    copies = int(np.ceil(rows / len(base)))
    parts = []
    for k in range(copies):
        part = base.copy()
        part["respondent_id"] = part["respondent_id"].astype(str) + f"-{k}"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:rows]


def write_scaled(path: Path, rows: int) -> Path:
    """``scaled(rows).to_csv(path, index=False)``, written copy by copy (memory stays small at 10^7 rows)."""
    base = canonical_example()
    ids = base["respondent_id"].astype(str)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        k, left = 0, rows
        while left > 0:
            part = base.iloc[:left].copy()
            part["respondent_id"] = ids.iloc[:left] + f"-{k}"
            part.to_csv(fh, index=False, header=k == 0)
            left -= len(part)
            k += 1
    return path


def regions_22(out: Path) -> Path:
    """The example data expanded to all 22 regions (every region gets a copy of a pilot region's
    answers under new ids), in canonical files, with participant counts; returns the folder."""
    from osallisuus.regions import list_regions
    import yaml
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    base = canonical_example()
    pilots = list(dict.fromkeys(base["region"]))
    parts, participants = [], []
    doc = yaml.safe_load((EXAMPLE / "osallistujat.yaml").read_text(encoding="utf-8"))
    for i, region in enumerate(list_regions()):
        src = pilots[i % len(pilots)]
        part = base[base["region"] == src].copy()
        part["region"] = region.name["fi"]
        part["respondent_id"] = part["respondent_id"].astype(str) + f"-{region.id}"
        parts.append(part)
        participants += [{**p, "region": region.name["fi"]} for p in doc["participants"] if p["region"] == src]
    pd.concat(parts, ignore_index=True).to_csv(out / "vastaukset.csv", index=False)
    (out / "osallistujat.yaml").write_text(yaml.safe_dump({"participants": participants}, allow_unicode=True),
                                          encoding="utf-8")
    return out

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


START = pd.Timestamp("2025-01-06 08:00")


def _stamps(ids: pd.Series, copy: int) -> pd.Series:
    """A submission time of its own for each respondent of copy ``copy`` (Finnish form, to the
    minute, as a survey tool writes it): real exports have about as many distinct times as
    respondents, so the scaled files must too."""
    codes, uniques = pd.factorize(ids)
    minutes = copy * len(uniques) + np.arange(len(uniques))
    texts = (START + pd.to_timedelta(minutes, unit="min")).strftime("%d.%m.%Y %H:%M")
    return pd.Series(np.asarray(texts, dtype=object)[codes], index=ids.index)


def scaled(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` answer rows: copies of the example with fresh respondent ids and times, cut to size."""
    base = canonical_example()
    copies = int(np.ceil(rows / len(base)))
    parts = []
    for k in range(copies):
        part = base.copy()
        part["respondent_id"] = part["respondent_id"].astype(str) + f"-{k}"
        part["date"] = _stamps(base["respondent_id"], k)
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
            part["date"] = _stamps(ids, k).iloc[:left]
            part.to_csv(fh, index=False, header=k == 0)
            left -= len(part)
            k += 1
    return path


def write_wide_export(folder: Path, answers: int) -> Path:
    """The example's Webropol export (one row per respondent, one column per question, answers as
    labels, its mapping file beside it) grown to about ``answers`` answers: rows repeated under
    fresh respondent ids, each with a submission time of its own. Returns the export's path."""
    import yaml
    mapping = next(EXAMPLE.glob("*.mapping.yaml"))
    doc = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    if doc.get("format") != "wide":
        raise SystemExit(f"{mapping} is not a wide export's mapping")
    export = mapping.with_name(mapping.name.replace(".mapping.yaml", ".csv"))
    sep = doc.get("delimiter", ";")
    base = pd.read_csv(export, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    items = [e["column"] for e in doc["items"]]
    per_row = max(1.0, float((base[items].apply(lambda c: c.str.strip()) != "").to_numpy().sum()) / len(base))
    rows = max(1, int(round(answers / per_row)))
    big = pd.concat([base] * int(np.ceil(rows / len(base))), ignore_index=True).iloc[:rows]
    id_col, date_col = doc["columns"]["respondent_id"], doc["columns"].get("date")
    big[id_col] = [f"W{i:08d}" for i in range(len(big))]
    if date_col:
        big[date_col] = _stamps(big[id_col], 0).to_numpy()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / export.name
    big.to_csv(path, sep=sep, index=False, encoding="utf-8-sig")
    shutil.copy(mapping, folder / mapping.name)
    return path


def regions_22(out: Path) -> Path:
    """The example data expanded to all 22 regions (every region gets a copy of a pilot region's
    answers under new ids, each respondent a submission time of its own, as in a real export),
    in canonical files, with participant counts; returns the folder."""
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
    answers = pd.concat(parts, ignore_index=True)
    answers["date"] = _stamps(answers["respondent_id"], 0)
    answers.to_csv(out / "vastaukset.csv", index=False)
    (out / "osallistujat.yaml").write_text(yaml.safe_dump({"participants": participants}, allow_unicode=True),
                                          encoding="utf-8")
    return out

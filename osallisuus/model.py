"""Canonical data model: the tidy long table, and wide <-> long conversion.

One row per answer::

    respondent_id, region, phase, role, instrument, item, value [, group, date, text]

The wide form has one row per respondent sheet (respondent, region, phase, role, group,
date) and one column per ``instrument.item`` answer; free texts go to
``instrument.item.text`` columns.
"""
from __future__ import annotations

import pandas as pd

from .survey import CANONICAL, OPTIONAL, REQUIRED

SHEET = ["respondent_id", "region", "phase", "role", "group", "date"]
SEP = "."


def to_wide(long: pd.DataFrame) -> pd.DataFrame:
    """Long answers -> one row per respondent sheet, one column per ``instrument.item``.

    Examples
    --------
    >>> long = pd.DataFrame({"respondent_id": ["a", "a"], "region": "Lappi", "phase": "final",
    ...     "role": "client", "instrument": "arvio_4", "item": ["suunnittelu", "johtaminen"],
    ...     "value": ["4", "3"]})
    >>> list(to_wide(long).columns)
    ['respondent_id', 'region', 'phase', 'role', 'arvio_4.suunnittelu', 'arvio_4.johtaminen']
    """
    frame = long.copy()
    sheet = [c for c in SHEET if c in frame.columns]
    for c in sheet:
        frame[c] = frame[c].astype(str)
    frame["_col"] = frame["instrument"].astype(str) + SEP + frame["item"].astype(str)
    order = list(dict.fromkeys(frame["_col"]))
    values = frame.pivot(index=sheet, columns="_col", values="value").reindex(columns=order)
    parts = [values]
    if "text" in frame.columns:
        has_text = frame[frame["text"].fillna("").astype(str) != ""]
        if len(has_text):
            texts = has_text.pivot(index=sheet, columns="_col", values="text")
            texts.columns = [f"{c}{SEP}text" for c in texts.columns]
            parts.append(texts)
    wide = pd.concat(parts, axis=1)
    wide.columns.name = None
    return wide.reset_index()


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """Inverse of :func:`to_wide`: one row per non-empty answer, canonical column order."""
    sheet = [c for c in SHEET if c in wide.columns]
    answer_cols = [c for c in wide.columns if c not in sheet]
    text_cols = [c for c in answer_cols if c.endswith(SEP + "text")]
    value_cols = [c for c in answer_cols if c not in text_cols]
    long = wide.melt(id_vars=sheet, value_vars=value_cols, var_name="_col", value_name="value")
    if text_cols:
        texts = wide.melt(id_vars=sheet, value_vars=text_cols, var_name="_col", value_name="text")
        texts["_col"] = texts["_col"].str.slice(0, -len(SEP + "text"))
        long = long.merge(texts, on=[*sheet, "_col"], how="outer")
    else:
        long["text"] = pd.NA
    empty_value = long["value"].isna() | (long["value"].astype(str) == "")
    empty_text = long["text"].isna() | (long["text"].astype(str) == "")
    long = long[~(empty_value & empty_text)].copy()
    split = long["_col"].str.split(SEP, n=1, expand=True)
    long["instrument"], long["item"] = split[0], split[1]
    cols = [c for c in CANONICAL if c in long.columns or c in REQUIRED]
    for c in OPTIONAL:
        if c in cols and c not in long.columns:
            long[c] = pd.NA
    return long[cols].reset_index(drop=True)

"""Scores of every region, for the comparison figure and the index (computed once per batch worker)."""
from __future__ import annotations

import pandas as pd

from ..instruments import Instrument
from ..regions import resolve_region

__all__ = ["region_table"]

_SUMMARIES: dict[tuple, pd.DataFrame] = {}


def region_table(ctx, inst: Instrument, phase: str) -> pd.DataFrame:
    """Mean score per region (each region's small groups removed) with a 95 % interval.

    Regions whose score rests on fewer respondents than the threshold are left out.
    """
    from ..change import phase_summary
    key = (id(ctx.all_data), inst.id, phase, ctx.suppression.threshold)
    if key not in _SUMMARIES:
        if len(_SUMMARIES) > 32:
            _SUMMARIES.clear()
        rows = ctx.all_data[(ctx.all_data["instrument"] == inst.id) & (ctx.all_data["phase"] == phase)]
        _SUMMARIES[key] = phase_summary(rows, inst, by="region", suppression=ctx.suppression)
    summ = _SUMMARIES[key]
    summ = summ[~summ["suppressed"].astype(bool) & (summ["n"] >= 2)]
    return pd.DataFrame({"region": [resolve_region(str(r)).label(ctx.lang) for r in summ["region"]],
                         "mean": summ["mean"].to_numpy(), "ci_low": summ["ci_low"].to_numpy(),
                         "ci_high": summ["ci_high"].to_numpy(), "n": summ["n"].to_numpy()},
                        columns=["region", "mean", "ci_low", "ci_high", "n"])

"""Regions side by side: the evaluation plan's primary outcomes per region, with intervals.

Every region's small groups (fewer respondents in a region, phase and role than the
threshold) are removed first, as in the region reports; a region whose outcome rests on
fewer respondents than the threshold gets no mean, no interval and no count (``suppressed``).
Regions are never ranked by their means alone: the table and the figure always carry the
95 % interval, and overlapping intervals mean the data do not tell the regions apart.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .interactive import as_suppression, prepare, require_answered
from .plan import EvaluationPlan, infer_plan, load_plan, plan_for
from .settings import Settings, load_settings
from .suppression import Suppression

__all__ = ["region_outcomes", "plot_region_outcomes"]

COLUMNS = ["outcome", "instrument", "phase", "region", "n", "mean", "ci_low", "ci_high", "suppressed"]


def _plan(data, plan, validated: pd.DataFrame, settings: Settings) -> EvaluationPlan:
    if isinstance(plan, EvaluationPlan):
        return plan
    if plan:
        return load_plan(plan, settings)
    if isinstance(data, (str, os.PathLike)):
        return plan_for(Path(data).resolve(), validated, settings)
    return infer_plan(validated, settings)


def region_outcomes(data, plan=None, suppression: Suppression | int | None = None,
                    settings: Settings | None = None) -> pd.DataFrame:
    """Mean score of each primary outcome per region, with n and a 95 % t interval.

    Parameters
    ----------
    data : DataFrame or path-like
        Answers of every region (validated, canonical long form, or a file/folder).
    plan : EvaluationPlan or path-like, optional
        Default: the plan beside the data (``arviointisuunnitelma.yaml``), else one inferred.
    suppression : Suppression or int, optional
        Threshold (default: settings, 5).

    Returns
    -------
    DataFrame
        ``outcome`` (instrument:phase), ``instrument``, ``phase``, ``region``, ``n``, ``mean``,
        ``ci_low``, ``ci_high`` (:func:`osallisuus.change.phase_summary`), ``suppressed``; a
        suppressed region has NaN n, mean and interval.

    Examples
    --------
    The means are those of :func:`osallisuus.change.phase_summary` per region (the notebook
    tests check them against plain pandas on the example data).
    """
    from .change import phase_summary
    settings = settings or load_settings()
    validated = prepare(data, settings)
    sup = as_suppression(suppression)
    the_plan = _plan(data, plan, validated, settings)
    kept = sup.drop_small_groups(validated, by=("region", "phase", "role"))
    parts = []
    for o in the_plan.primary:
        rows = kept[(kept["instrument"].astype(str) == o.instrument) & (kept["phase"].astype(str) == o.phase)]
        if rows.empty:
            continue
        summ = phase_summary(rows, o.instrument, by="region", suppression=sup)
        summ = summ.assign(outcome=o.key, instrument=o.instrument, phase=o.phase)
        parts.append(summ)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["region"] = out["region"].astype(str)
    out["suppressed"] = out["suppressed"].astype(bool)
    out["n"] = out["n"].astype(float).where(~out["suppressed"])      # no count under the threshold either
    out.loc[out["suppressed"], ["mean", "ci_low", "ci_high"]] = np.nan
    return out[COLUMNS].reset_index(drop=True)


def plot_region_outcomes(table: pd.DataFrame, outcome: str | None = None, ax=None, lang: str = "fi",
                         highlight: str | None = None):
    """A dot-and-interval (forest) plot of one outcome of :func:`region_outcomes`.

    ``outcome`` is one value of the ``outcome`` column (default: the first). Suppressed regions
    are left out with a note. Returns the matplotlib Axes.
    """
    from .errors import OsallisuusError
    from .figures import region_comparison
    from .instruments import load_instrument
    from .scoring import score_column
    outcomes = list(dict.fromkeys(table["outcome"]))
    if not outcomes:
        raise OsallisuusError("no primary outcome with answers: nothing to plot")
    outcome = outcome or outcomes[0]
    if outcome not in outcomes:
        raise OsallisuusError(f"no outcome {outcome!r}; outcomes: {', '.join(outcomes)}")
    rows = table[table["outcome"] == outcome]
    require_answered("highlight", highlight, rows["region"].astype(str), lang)   # it highlighted nothing, silently
    inst = load_instrument(str(rows["instrument"].iloc[0]))
    frame = rows.assign(n=rows["n"].fillna(0))[["region", "mean", "ci_low", "ci_high", "n", "suppressed"]]
    reference = inst.reference if score_column(inst) == "score_0_100" else None  # a 0-100 reference only
    return region_comparison(frame, ax=ax, lang=lang, highlight=highlight, reference=reference or None,
                             xlabel=inst.name[lang])

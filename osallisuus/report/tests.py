"""Every statistical test of one region's report, computed once and adjusted as one family.

The evaluation plan's primary outcomes form the multiplicity family: the score test of each
primary instrument in its phase (clients vs professionals in that phase, and the paired
change test towards that phase) is Holm-adjusted together with the others
(:func:`osallisuus.multiplicity.adjust_report`); every other test is exploratory, reported
with its unadjusted p and labelled so. Sections read their tables from here, so a table, its
note and its sentences all use the same adjusted values.
"""
from __future__ import annotations

import pandas as pd

from ..multiplicity import PRIMARY, adjust_report
from ..vocab import PHASES

__all__ = ["GROUPS", "report_tests", "change_instruments", "is_primary_row"]

GROUPS = ("client", "professional")
SCORE = "__score__"


def change_instruments(ctx) -> list[str]:
    """Rated instruments answered in two or more phases in this region, in the order the plan's
    notebook shows their change (:mod:`osallisuus.report.notebook`): by the first phase that has
    them, in the plan's order within it (the data's order made 'Table 10' come before 'Table 8')."""
    ordered = dict.fromkeys(i for p in PHASES for i in ctx.instruments_in(p))
    return [i for i in ordered if len(_phases_of(ctx, i)) >= 2 and ctx.instrument(i).answer == "rating"]


def _phases_of(ctx, inst_id: str) -> list[str]:
    """The phases in which the region answered ``inst_id`` (from each phase's instruments, found
    once per build; no selection of the instrument's rows per phase)."""
    return [p for p in PHASES if inst_id in ctx.instruments_in(p)]


def is_primary_row(ctx, row: pd.Series) -> bool:
    """A score test of a plan's primary outcome (for change: the paired test towards its phase)."""
    kind, phase = str(row["kind"]).split("|")
    if str(row.get("item")) != SCORE or not ctx.plan.is_primary(str(row["instrument"]), phase):
        return False
    return kind != "change" or str(row.get("design")) == "paired"


def _role_tests(ctx) -> dict:
    from ..compare import compare_groups
    parts = {}
    for phase in PHASES:
        for inst_id in ctx.instruments_in(phase):
            inst = ctx.instrument(inst_id)
            rows = ctx.rows(inst_id, phase)
            if inst.answer == "text" or not set(GROUPS) <= set(rows["role"].astype(str)):
                continue
            cmp = compare_groups(rows, inst, by="role", groups=GROUPS, suppression=ctx.suppression)
            if len(cmp) and not cmp["suppressed"].all():
                parts[(inst_id, f"roles|{phase}")] = cmp
    return parts


def _change_tests(ctx) -> dict:
    from ..change import change_between
    parts = {}
    for inst_id in change_instruments(ctx):
        phases = _phases_of(ctx, inst_id)
        ch = change_between(ctx.data, ctx.instrument(inst_id), phases[0], phases[-1], suppression=ctx.suppression,
                            combined=True)
        parts[(inst_id, f"change|{phases[-1]}")] = ch.assign(from_phase=phases[0], to_phase=phases[-1])
    return parts


def report_tests(ctx) -> dict[tuple[str, str], pd.DataFrame]:
    """``(instrument, "roles|<phase>" or "change|<to phase>") -> table`` with ``family``, ``p``
    and ``p_holm`` (NaN for exploratory rows); ``attrs["family_size"]`` on each table."""
    parts = {**_role_tests(ctx), **_change_tests(ctx)}
    if not parts:
        return {}
    adjusted = adjust_report(parts, is_primary=lambda row: is_primary_row(ctx, row))
    size = int((adjusted["family"].eq(PRIMARY) & adjusted["p"].notna()).sum())
    out = {}
    for key, frame in adjusted.groupby(["instrument", "kind"], sort=False):
        frame = frame.reset_index(drop=True)
        frame.attrs["family_size"] = size
        out[key] = frame
    return out

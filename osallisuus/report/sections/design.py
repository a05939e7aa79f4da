"""Development work and evaluation design: phases, instruments, respondents, response rates."""
from __future__ import annotations

import yaml

from ...errors import ReportError
from ...fileio import load_yaml
from ...numbers import format_count
from ...regions import resolve_region
from ...vocab import PHASES, ROLES
from ..model import Paragraph, Section
from . import section

PARTICIPANTS_FILE = "osallistujat.yaml"


def invited(ctx) -> dict:
    """(phase, role) -> participants invited, from ``osallistujat.yaml`` beside the data."""
    f = (ctx.path if ctx.path.is_dir() else ctx.path.parent) / PARTICIPANTS_FILE
    if not f.is_file():
        return {}
    try:
        doc = load_yaml(f) or {}
        fi = ctx.region.name["fi"]
        return {(r["phase"], r["role"]): int(r["participants"]) for r in doc.get("participants", [])
                if resolve_region(r["region"]).name["fi"] == fi}
    except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
        raise ReportError(f"{f.name}: cannot read participant counts: {exc}") from None


@section("design")
def design(ctx) -> Section:
    blocks = [ctx.heading("rep.h.design")]
    for phase in ctx.phases_present():
        names = ", ".join(ctx.iname(i) for i in ctx.instruments_in(phase))
        blocks.append(Paragraph(ctx.t("rep.design_phase", phase=ctx.phase_label(phase), instruments=names)))
    blocks.append(Paragraph(ctx.t("rep.plan_file") if ctx.plan.source else ctx.t("rep.plan_inferred"), "note"))
    participants = invited(ctx)
    # groups removed by suppression are not listed at all: the note says small groups are left
    # out, and no row, total or rate can give their size back
    counts = ctx.respondent_counts
    rows = []
    for phase in PHASES:
        for role in (r for r in ROLES if (phase, r) in counts.index):
            n = int(counts[(phase, role)])
            asked = participants.get((phase, role))
            rows.append([ctx.phase_label(phase), ctx.role_label(role), format_count(n), format_count(asked) if asked else "–",
                         ctx.pct(n / asked) if asked else "–"])
    ctx.making("design_table")
    blocks.append(ctx.table(ctx.t("rep.cap.design"), ctx.t("rep.col.phase"),
                            [ctx.t("rep.col.role"), ctx.t("rep.col.respondents"), ctx.t("rep.col.participants"),
                             ctx.t("rep.col.rate")], rows, notes=[ctx.t("sup.note_design", k=ctx.suppression.threshold)], row_headers=2))
    return Section("design", ctx.lang, blocks)

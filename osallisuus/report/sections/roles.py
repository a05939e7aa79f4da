"""Clients compared with professionals, for every rated instrument answered by both."""
from __future__ import annotations

import pandas as pd

from ...multiplicity import family_note
from ..format import fmt_holm, fmt_p
from ..model import Paragraph, Section
from ..tests import GROUPS
from . import section


def _comparison_table(ctx, inst, cmp: pd.DataFrame, phase: str):
    sym = ctx.suppression.symbol
    rows = []
    for r in cmp.itertuples():
        label = inst.name[ctx.lang] if r.item == "__score__" else inst.item_text(r.item, ctx.lang)
        if r.suppressed:
            rows.append([label, sym, sym, "–", "–", "–", "–"])
            continue
        rows.append([label, f"{int(r.n1)} / {int(r.n2)}", f"{ctx.num(r.mean1)} / {ctx.num(r.mean2)}",
                     f"{ctx.pct(r.share_pos1)} / {ctx.pct(r.share_pos2)}", ctx.num(r.rank_biserial, 2),
                     fmt_p(r.p, ctx.lang), fmt_holm(r, ctx.lang)])
    caption = ctx.t("rep.cap.compare", instrument=inst.name[ctx.lang], group1=ctx.role_label(GROUPS[0]),
                    group2=ctx.role_label(GROUPS[1]), phase=ctx.phase_label(phase).lower())
    columns = [ctx.t(k) for k in ("rep.col.n", "rep.col.mean", "rep.col.share_pos", "rep.col.effect", "rep.col.p_plain",
                                  "mult.col_p_holm")]
    return ctx.table(caption, ctx.t("rep.col.item"), columns, rows,
                     notes=[ctx.t("rep.compare_note"), family_note(cmp, ctx.lang)])


def _distribution_figure(ctx, inst, phase: str):
    """The answers of the two groups per category, beside the comparison of their means."""
    from ...figures import likert_bars
    rows = ctx.rows(inst.id, phase)
    rows = rows[rows["role"].astype(str).isin(GROUPS)]
    ax = likert_bars(rows, inst, by="role", lang=ctx.lang, suppression=ctx.suppression)
    return ctx.figure(ax, ctx.t("rep.cap.compare_shares", instrument=inst.name[ctx.lang],
                                group1=ctx.role_label(GROUPS[0]).lower(), group2=ctx.role_label(GROUPS[1]).lower(),
                                phase=ctx.phase_label(phase).lower()))


@section("roles")
def roles(ctx) -> Section:
    from ...findings import describe_comparison
    blocks, findings = [ctx.heading("rep.h.roles")], []
    for (inst_id, kind), cmp in ctx.tests.items():
        if not kind.startswith("roles|"):
            continue
        inst, phase = ctx.instrument(inst_id), kind.split("|")[1]
        ctx.making("role_table", inst_id, phase)
        blocks.append(_comparison_table(ctx, inst, cmp, phase))
        ctx.making("role_figure", inst_id, phase)
        blocks.append(_distribution_figure(ctx, inst, phase))   # what the compared means hide
        for r in cmp.to_dict("records"):
            sentence = describe_comparison(pd.Series(r), inst, ctx.lang, suppression=ctx.suppression)
            if sentence:
                blocks.append(Paragraph(sentence))
                if r.get("family") == "primary":
                    findings.append(sentence)
    if len(blocks) == 1:
        blocks.append(Paragraph(ctx.t("rep.no_data")))
    return Section("roles", ctx.lang, blocks, findings)

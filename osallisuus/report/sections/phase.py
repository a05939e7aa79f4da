"""One evaluation phase: every instrument answered in it, shown by its views."""
from __future__ import annotations

from ..model import Heading, Paragraph, Section
from ..views import instrument_blocks


def phase_section(ctx, phase: str) -> Section:
    ids = ctx.instruments_in(phase)
    if not ids and ctx.plan.source and phase not in ctx.plan.phases:
        return Section(phase, ctx.lang, [])     # a phase the project's plan does not have: no section (two reviews)
    blocks = [ctx.heading(f"rep.h.{phase}", text=ctx.phase_label(phase))]
    if not ids:
        key = "rep.no_data" if ctx.plan.instruments(phase) else "rep.phase_not_planned"
        blocks.append(Paragraph(ctx.t(key)))
        return Section(phase, ctx.lang, blocks)
    for inst_id in ids:
        inst = ctx.instrument(inst_id)
        shown = instrument_blocks(ctx, inst, phase)
        if not shown:
            continue
        if len(ids) > 1:
            blocks.append(Heading(inst.name[ctx.lang], f"{phase}-{inst.id}", 3))
        blocks.extend(shown)
    return Section(phase, ctx.lang, blocks)

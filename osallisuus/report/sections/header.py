"""Title block: title, date and version, a notice on synthetic data, introduction."""
from __future__ import annotations

from ... import __version__
from ...i18n import fmt_date
from ...vocab import PHASES
from ..format import and_list
from ..model import Heading, Paragraph, Section
from . import section


@section("header")
def header(ctx) -> Section:
    blocks = [Heading(ctx.t("rep.title", region=ctx.region_name), "top", 1)]
    project = ctx.plan.project.get(ctx.lang)
    if project:
        blocks.append(Paragraph(project, "subtitle"))
    blocks.append(Paragraph(ctx.t("rep.subtitle", date=fmt_date(ctx.created, ctx.lang), version=__version__), "subtitle"))
    if ctx.synthetic:
        blocks.append(Paragraph(ctx.t("rep.synthetic"), "warning"))
    planned = [p for p in PHASES if p in ctx.plan.phases]
    intro = ctx.t("rep.intro")
    if ctx.plan.source and 0 < len(planned) < len(PHASES):      # the project's own plan has fewer phases
        intro += " " + ctx.t("rep.intro_phases", phases=and_list([ctx.phase_label(p).lower() for p in planned], ctx.lang))
    blocks.append(Paragraph(intro))
    return Section("header", ctx.lang, blocks)

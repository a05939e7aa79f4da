"""Participants' own words: a spread of redacted quotes per phase."""
from __future__ import annotations

import numpy as np

from ...privacy import redacted_quote
from ..model import Heading, Paragraph, Quote, Section
from . import section

QUOTES_PER_PHASE = 6


@section("voices")
def voices(ctx, per_phase: int = QUOTES_PER_PHASE) -> Section:
    blocks = [ctx.heading("rep.h.voices"), Paragraph(ctx.t("rep.voices_intro"))]
    texts = ctx.data[ctx.data["text"].fillna("") != ""]
    if texts.empty:
        return Section("voices", ctx.lang, blocks + [Paragraph(ctx.t("rep.voices_none"))])
    for phase in ctx.phases_present():
        sub = texts[texts["phase"] == phase]
        if sub.empty:
            continue
        # a deterministic spread of quotes: distinct texts, evenly through the data
        uniq = sub.drop_duplicates("text")
        pick = uniq.iloc[np.linspace(0, len(uniq) - 1, min(per_phase, len(uniq))).astype(int)]
        blocks.append(Heading(ctx.phase_label(phase), f"voices-{phase}", 3))
        for r in pick.itertuples():
            source = ctx.t("rep.quote_source", instrument=ctx.iname(str(r.instrument)),
                           phase=ctx.phase_label(phase).lower())
            text, lang = redacted_quote(str(r.text), ctx.lang)
            blocks.append(Quote(text, source, lang))
    if any(isinstance(b, Quote) and b.lang != ctx.lang for b in blocks):     # Finnish answers in a Swedish report
        blocks.insert(2, Paragraph(ctx.t("rep.voices_original")))
    return Section("voices", ctx.lang, blocks)

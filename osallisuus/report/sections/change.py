"""Change across phases, measured on linked respondents (see :mod:`osallisuus.report.tests`)."""
from __future__ import annotations

import pandas as pd

from ...disclosure import SECONDARY
from ...i18n import phase_in_sentence
from ...multiplicity import family_note
from ...tables import ordinal_note
from ..format import CHANGE_TABLE_COLUMNS, change_rows, few_pairs, few_unlinked, fmt_p, quoted, records, term_label
from ..model import Heading, Paragraph, Section
from . import section


def _change_table(ctx, inst, ch: pd.DataFrame, first: str, last: str):
    sym, small = ctx.suppression.symbol, ctx.suppression.is_small

    def hidden(phase, item):   # a mean or n the phase's answer table hides is hidden here too
        return ({"mean"} if ctx.hidden_in(inst.id, phase, item) == "mean" else set()) | \
            ({"n"} if ctx.n_hidden_in(inst.id, phase, item) else set())
    rows = change_rows(ch.assign(from_phase=first, to_phase=last), inst, ctx.lang, ctx.suppression, hidden)
    paired = ch.loc[ch["design"] == "paired", "n"]
    n_pairs = int(paired.max()) if len(paired) else 0
    caption = ctx.t("rep.cap.change", instrument=inst.name[ctx.lang], from_phase=phase_in_sentence(first, ctx.lang, "from"),
                    to_phase=phase_in_sentence(last, ctx.lang, "to"))
    columns = [ctx.t(k) for k in CHANGE_TABLE_COLUMNS]
    unlinked = few_unlinked(ch, ctx.suppression)
    pairs_hidden = small(n_pairs) or "__score__" in unlinked
    notes = [ctx.t("rep.change_note", n_pairs=(sym if small(n_pairs) else SECONDARY) if pairs_hidden else n_pairs),
             family_note(ch, ctx.lang)]
    reversed_here = [i for i in inst.reverse_items if i in set(ch["item"].astype(str))]
    if reversed_here:                                           # a fall is for the better (a review)
        notes.append(ctx.t("rep.change_note_reverse",
                           items=quoted([inst.item_text(i, ctx.lang) for i in reversed_here], ctx.lang)))
    if few_pairs(ch, ctx.suppression):
        notes.append(ctx.t("sup.secondary_pairs", k=ctx.suppression.threshold, mark=SECONDARY))
    if unlinked:
        notes.append(ctx.t("sup.secondary_unlinked", k=ctx.suppression.threshold, mark=SECONDARY))
    if any(SECONDARY in row[4:6] or SECONDARY in row[3] for row in rows if row[3] != SECONDARY):
        notes.append(ctx.t("sup.secondary_other", k=ctx.suppression.threshold, mark=SECONDARY))
    return ctx.table(caption, ctx.t("rep.col.item"), columns, rows, notes=notes, row_headers=2)   # item and design


def _ordinal_table(ctx, inst):
    from ...change import ordinal_model
    om = ordinal_model(ctx.data, inst, suppression=ctx.suppression)
    if not len(om):
        return None
    rows = [[term_label(r.term, ctx.lang), ctx.num(r.odds_ratio, 2), f"{ctx.num(r.ci_low, 2)}–{ctx.num(r.ci_high, 2)}",
             fmt_p(r.p, ctx.lang)] for r in om.itertuples()]
    # the covariates the model kept (one with a single level present, e.g. only clients, is dropped)
    terms = " + ".join(ctx.t(f"rep.ordinal_term.{v}") for v in dict.fromkeys(om["variable"].astype(str)))
    return ctx.table(ctx.t("rep.cap.ordinal", instrument=inst.name[ctx.lang], terms=terms), ctx.t("rep.col.term"),
                     [ctx.t("rep.col.or"), ctx.t("rep.col.ci"), ctx.t("rep.col.p_plain")], rows,
                     notes=[ordinal_note(om, ctx.lang), ctx.t("mult.exploratory_note")])


@section("change")
def change(ctx) -> Section:
    from ...change import phase_summary
    from ...figures import trajectory
    from ...findings import describe_change
    blocks, findings = [ctx.heading("rep.h.change")], []
    tables = [(inst_id, kind, ch) for (inst_id, kind), ch in ctx.tests.items() if kind.startswith("change|")]
    if not tables:
        return Section("change", ctx.lang, blocks + [Paragraph(ctx.t("rep.no_change"))])
    for inst_id, _, ch in tables:
        inst = ctx.instrument(inst_id)
        first, last = str(ch["from_phase"].iloc[0]), str(ch["to_phase"].iloc[0])
        if len(tables) > 1:
            blocks.append(Heading(inst.name[ctx.lang], f"change-{inst.id}", 3))
        ctx.making("change_table", inst.id)
        blocks.append(_change_table(ctx, inst, ch, first, last))
        few, unlinked = few_pairs(ch, ctx.suppression), few_unlinked(ch, ctx.suppression)
        for r in records(ch[ch["item"] == "__score__"]):
            if r["test"] == "mannwhitney" and r["item"] in few:
                continue            # its n and means would give the linked respondents back
            if any(ctx.hidden_in(inst.id, ph, "__score__") == "mean" for ph in (first, last)):
                r = {**r, "mean_from": float("nan"), "mean_to": float("nan")}   # hidden in the table: not in words
            sentence = describe_change(r, inst, ctx.lang, suppression=ctx.suppression,
                                       pairs_hidden=r["item"] in unlinked)
            if sentence:
                blocks.append(Paragraph(sentence))
                if r.get("family") == "primary":
                    findings.append(sentence)
        summary = phase_summary(ctx.data, inst, by="role", suppression=ctx.suppression)
        ctx.making("trajectory_figure", inst.id)
        ax = trajectory(summary, lang=ctx.lang, suppression=ctx.suppression)
        blocks.append(ctx.figure(ax, ctx.t("rep.cap.trajectory", instrument=inst.name[ctx.lang])))
        ctx.making("ordinal_table", inst.id)
        table = _ordinal_table(ctx, inst)
        if table is not None:
            blocks.append(table)
    return Section("change", ctx.lang, blocks, findings)

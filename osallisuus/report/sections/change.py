"""Change across phases for every instrument answered in two or more phases."""
from __future__ import annotations

import pandas as pd

from ...vocab import PHASES
from ..format import fmt_p, term_label, test_label
from ..model import Heading, Paragraph, Section
from . import section


def change_instruments(ctx) -> list[str]:
    data = ctx.data
    return [str(i) for i in data["instrument"].astype(str).unique()
            if data.loc[data["instrument"] == i, "phase"].nunique() >= 2 and ctx.instrument(str(i)).answer == "rating"]


def _change_table(ctx, inst, ch: pd.DataFrame, first: str, last: str):
    sym = ctx.suppression.symbol
    rows = []
    for r in ch.itertuples():
        label = inst.name[ctx.lang] if r.item == "__score__" else inst.item_text(r.item, ctx.lang)
        if bool(getattr(r, "suppressed", False)):
            rows.append([label, test_label(r.test), sym, "–", "–", "–", "–"])
        else:
            rows.append([label, test_label(r.test), str(int(r.n)), ctx.num(r.mean_from), ctx.num(r.mean_to),
                         ctx.num(r.effect, 2), fmt_p(r.p, ctx.lang)])
    paired = ch.loc[ch["test"] == "wilcoxon", "n"]
    n_pairs = int(paired.max()) if len(paired) else 0
    linked = sym if ctx.suppression.is_small(n_pairs) else str(n_pairs)
    caption = ctx.t("rep.cap.change", instrument=inst.name[ctx.lang], from_phase=ctx.phase_label(first).lower(),
                    to_phase=ctx.phase_label(last).lower())
    columns = [ctx.t(k) for k in ("rep.col.test", "rep.col.n", "rep.col.from", "rep.col.to", "rep.col.effect",
                                  "rep.col.p_plain")]
    return ctx.table(caption, ctx.t("rep.col.item"), columns, rows, notes=[ctx.t("rep.linked", n_pairs=linked)])


def _ordinal_table(ctx, inst):
    from ...change import ordinal_model
    om = ordinal_model(ctx.data, inst, suppression=ctx.suppression)
    if not len(om):
        return None
    rows = [[term_label(r.term, ctx.lang), ctx.num(r.odds_ratio, 2), f"{ctx.num(r.ci_low, 2)}–{ctx.num(r.ci_high, 2)}",
             fmt_p(r.p, ctx.lang)] for r in om.itertuples()]
    return ctx.table(ctx.t("rep.cap.ordinal", instrument=inst.name[ctx.lang]), ctx.t("rep.col.term"),
                     [ctx.t("rep.col.or"), ctx.t("rep.col.ci"), ctx.t("rep.col.p_plain")], rows)


@section("change")
def change(ctx) -> Section:
    from ...change import change_between, phase_summary
    from ...figures import trajectory
    from ...findings import describe_change
    blocks, findings = [ctx.heading("rep.h.change")], []
    ids = change_instruments(ctx)
    if not ids:
        return Section("change", ctx.lang, blocks + [Paragraph(ctx.t("rep.no_data"))])
    for inst_id in ids:
        inst = ctx.instrument(inst_id)
        phases = [p for p in PHASES if len(ctx.rows(inst_id, p))]
        first, last = phases[0], phases[-1]
        if len(ids) > 1:
            blocks.append(Heading(inst.name[ctx.lang], f"change-{inst.id}", 3))
        ch = change_between(ctx.data, inst, first, last, suppression=ctx.suppression)
        blocks.append(_change_table(ctx, inst, ch, first, last))
        for r in ch[ch["item"] == "__score__"].to_dict("records"):
            r.setdefault("from_phase", first)
            r.setdefault("to_phase", last)
            sentence = describe_change(pd.Series(r), inst, ctx.lang)
            if sentence:
                blocks.append(Paragraph(sentence))
                findings.append(sentence)
        summary = phase_summary(ctx.data, inst, by="role", suppression=ctx.suppression)
        ax = trajectory(summary, lang=ctx.lang, suppression=ctx.suppression)
        blocks.append(ctx.figure(ax, ctx.t("rep.cap.trajectory", instrument=inst.name[ctx.lang])))
        table = _ordinal_table(ctx, inst)
        if table is not None:
            blocks.append(table)
    return Section("change", ctx.lang, blocks, findings)

"""Clients compared with professionals, for every rated instrument answered by both."""
from __future__ import annotations

import pandas as pd

from ...disclosure import SECONDARY
from ...i18n import fmt_number
from ...instruments import missing_answer
from ...multiplicity import family_note
from ...numbers import format_count
from ...vocab import PHASES
from ..format import fmt_holm, fmt_p, quoted, records, rows_of
from ..model import ItemList, Paragraph, Section
from ..tests import GROUPS
from ..views import role_bars_figure, views_for, withheld_items
from . import section


def _share(ctx, share, withheld: bool, hidden: str) -> tuple[str, str]:
    """A group's share of positive answers and why it is withheld ('' when shown): 'table' when
    the answer table hides counts of the item, 'share' when :func:`~osallisuus.compare.compare_groups`
    withheld it because it would give back a count under the threshold (the positive answers or
    the others 1..threshold-1)."""
    if hidden:
        return SECONDARY, "table"
    if withheld:
        return SECONDARY, "share"
    return ctx.pct(share), ""


def _positive_options(scale, lang: str) -> str:
    """The scale's positive answers as a reader finds them on the form: '8–10', or '4–5 (Melko
    hyvin, Erittäin hyvin)' where the options have words."""
    codes = sorted(p.code for p in scale.points if p.code in set(scale.positive))
    if not codes:
        return ""
    num = lambda c: fmt_number(c, lang, 0)  # noqa: E731
    valid = sorted(scale.valid_codes)
    run = len(codes) > 1 and valid[valid.index(codes[0]):valid.index(codes[0]) + len(codes)] == codes
    text = f"{num(codes[0])}–{num(codes[-1])}" if run else ", ".join(num(c) for c in codes)
    words = [p.label[lang] for p in sorted(scale.points, key=lambda p: p.code)
             if p.code in codes and p.label[lang].strip() != num(p.code)]
    return f"{text} ({', '.join(words)})" if words else text


def _comparison_table(ctx, inst, cmp: pd.DataFrame, phase: str):
    sym = ctx.suppression.symbol
    rows, why = [], set()
    for r in rows_of(cmp):
        label = inst.name[ctx.lang] if r.item == "__score__" else inst.item_text(r.item, ctx.lang)
        if r.suppressed:
            rows.append([label, sym, sym, "–", "–", "–", "–"])
            continue
        # a one-item instrument's score is its item: the score row hides what the item row hides
        item = inst.rated_items[0] if r.item == "__score__" and len(inst.rated_items) == 1 else r.item
        hidden = ctx.hidden_in(inst.id, phase, item)
        # a group whose n and share, beside the respondents and the total, would give a small count
        kept = ctx.role_stats_shown(inst.id, phase, item, GROUPS) if item != "__score__" else set(GROUPS)
        means = [SECONDARY if hidden == "mean" or g not in kept else ctx.num(m) for g, m in zip(GROUPS, (r.mean1, r.mean2))]
        counts = [SECONDARY if ctx.n_hidden_in(inst.id, phase, item) or g not in kept else format_count(n)
                  for g, n in zip(GROUPS, (r.n1, r.n2))]
        shares = [(SECONDARY, "respondents") if g not in kept and not hidden and r.item != "__score__"
                  else _share(ctx, share, withheld, hidden)
                  for g, share, withheld in zip(GROUPS, (r.share_pos1, r.share_pos2),
                                                (r.share_pos1_withheld, r.share_pos2_withheld))]
        why |= {w for _, w in shares} - {""}
        rows.append([label, " / ".join(counts), " / ".join(means), " / ".join(s for s, _ in shares),
                     ctx.num(r.rank_biserial, 2), fmt_p(r.p, ctx.lang), fmt_holm(r, ctx.lang)])
    caption = ctx.t("rep.cap.compare", instrument=inst.name[ctx.lang], group1=ctx.role_label(GROUPS[0]),
                    group2=ctx.role_label(GROUPS[1]).lower(), phase=ctx.phase_label(phase).lower())
    # the two groups' figures share a cell: the heading says whose is first (an accessibility review)
    pair = dict(group1=ctx.role_label(GROUPS[0]).lower(), group2=ctx.role_label(GROUPS[1]).lower())
    columns = [ctx.t("rep.col.pair", column=ctx.t(k), **pair) for k in ("rep.col.n", "rep.col.mean", "rep.col.share_pos")]
    columns += [ctx.t(k) for k in ("rep.col.effect", "rep.col.p_plain", "mult.col_p_holm")]
    notes = [ctx.t("rep.compare_note")]
    if inst.reverse_items:      # their r, means and shares are of the statement as worded (a review)
        notes.append(ctx.t("rep.compare_note_reverse",
                           items=quoted([inst.item_text(i, ctx.lang) for i in inst.reverse_items], ctx.lang)))
    positive = _positive_options(inst.scale, ctx.lang)
    if positive:
        notes.append(ctx.t("rep.share_pos_note", positive=positive))
    notes.append(family_note(cmp, ctx.lang))
    # each reason for a '..' that occurs, and only those: the answer table's hidden counts, a share's own small count
    # the group note's example is the scale's "can't say" answer: none for a scale without one (a review)
    group_key = "sup.secondary_group" if inst.scale.missing else "sup.secondary_group_plain"
    notes += [ctx.t(key, k=ctx.suppression.threshold, mark=SECONDARY, missing=missing_answer([inst], ctx.lang))
              for reason, key in (("table", "sup.secondary_other"), ("share", "sup.secondary_share"),
                                  ("respondents", group_key)) if reason in why]
    return ctx.table(caption, ctx.t("rep.col.item"), columns, rows, notes=notes)


def _distribution_figure(ctx, inst, phase: str):
    """The answers of the two groups per category, beside the comparison of their means; when
    only these two groups answered, the phase's figure by role already drew the same bars, and
    a sentence points to it instead of a second copy (a student found Figur 1 and 3 alike)."""
    from ..context import view_key
    rows = ctx.rows(inst.id, phase)     # every role: the others count in what the two groups' bars leave
    same = ctx.figure_of.get(view_key("likert_figure", inst.id, phase))
    if same and set(rows["role"].astype(str)) <= set(GROUPS):
        return Paragraph(ctx.t("rep.figure_same", number=same))
    withhold = withheld_items(ctx, inst, phase) if "likert_table" in views_for(inst) else set()
    caption = ctx.t("rep.cap.compare_shares", instrument=inst.name[ctx.lang], group1=ctx.role_label(GROUPS[0]).lower(),
                    group2=ctx.role_label(GROUPS[1]).lower(), phase=ctx.phase_label(phase).lower())
    return role_bars_figure(ctx, rows, inst, withhold, caption, groups=GROUPS)


def _sentences(ctx, inst, cmp: pd.DataFrame, phase: str | None = None) -> tuple[list, list[str]]:
    """Paragraphs for the instrument score and primary items; the exploratory item differences
    as one list under one lead sentence (a sentence each would bury the confirmatory result).
    ``phase`` names the phase in the score's sentence (the instrument is compared in two)."""
    from ...findings import SCORE, describe_comparison
    blocks, findings, exploratory = [], [], []
    for r in records(cmp):
        listed = r.get("family") not in (None, "", "primary") and r["item"] != SCORE
        sentence = describe_comparison(r, inst, ctx.lang, suppression=ctx.suppression, note=not listed, phase=phase)
        if not sentence:
            continue
        if listed:
            exploratory.append(sentence)
            continue
        blocks.append(Paragraph(sentence))
        if r.get("family") == "primary":
            findings.append(sentence)
    if exploratory:
        blocks += [Paragraph(ctx.t("rep.roles_exploratory", count=len(exploratory))), ItemList(exploratory)]
    return blocks, findings


@section("roles")
def roles(ctx) -> Section:
    blocks, findings = [ctx.heading("rep.h.roles")], []
    compared = [inst_id for inst_id, kind in ctx.tests if kind.startswith("roles|")]
    for (inst_id, kind), cmp in ctx.tests.items():
        if not kind.startswith("roles|"):
            continue
        inst, phase = ctx.instrument(inst_id), kind.split("|")[1]
        ctx.making("role_table", inst_id, phase)
        blocks.append(_comparison_table(ctx, inst, cmp, phase))
        ctx.making("role_figure", inst_id, phase)
        blocks.append(_distribution_figure(ctx, inst, phase))   # what the compared means hide
        more, primary = _sentences(ctx, inst, cmp, phase if compared.count(inst_id) > 1 else None)
        blocks += more
        findings += primary
    if len(blocks) == 1:     # no phase with both groups (one may have been left out as small)
        blocks.append(Paragraph(ctx.t("rep.roles_none", k=ctx.suppression.threshold)))
    else:                    # a phase compared elsewhere but not here must not vanish without a word
        compared_in = {kind.split("|")[1] for _, kind in ctx.tests if kind.startswith("roles|")}
        for phase in PHASES:
            roles = set(ctx.rows(None, phase)["role"].astype(str)) if phase not in compared_in else set()
            if roles & set(GROUPS):
                blocks.append(Paragraph(ctx.t("rep.roles_phase_none", phase=ctx.phase_label(phase),
                                              k=ctx.suppression.threshold)))
    return Section("roles", ctx.lang, blocks, findings)

"""How an instrument is shown in its phase's section: small registered views.

An instrument's YAML lists its views under ``report.show`` (e.g. ``[likert_table,
likert_figure]``); without that list they follow from what the instrument is
(:func:`default_views`). Each view takes the report context, the instrument and the phase
and returns blocks (tables, figures, paragraphs) — never HTML. A new way of showing an
instrument is one function registered here and named in YAML.
"""
from __future__ import annotations

from typing import Callable

import pandas as pd

from ..errors import ReportError
from ..instruments import Instrument, missing_answer
from ..numbers import format_count
from ..scoring import score_column
from .model import Paragraph

__all__ = ["VIEWS", "view", "default_views", "views_for", "instrument_blocks", "withheld_items"]

VIEWS: dict[str, Callable] = {}


def view(name: str):
    """Register a view function ``f(ctx, instrument, phase) -> list[Block]`` as ``name``."""
    def deco(func):
        VIEWS[name] = func
        return func
    return deco


def default_views(inst: Instrument) -> list[str]:
    """Views that follow from the instrument's metadata when its YAML lists none."""
    if inst.extra.get("areas"):
        return ["area_table"]
    if inst.answer == "text":
        return []                                   # open questions appear among the quotes
    if inst.percent_of_range:
        return ["score_table", "region_figure"]
    if inst.subscales:
        return ["score_table", "subscale_table", "reliability"]
    if len(inst.rated_items) == 1:
        return ["score_sentence"]
    return ["likert_table", "likert_figure"]


def views_for(inst: Instrument) -> list[str]:
    shown = (inst.extra.get("report") or {}).get("show")
    if shown is None:
        return default_views(inst)
    if not isinstance(shown, list) or any(v not in VIEWS for v in shown):
        bad = [v for v in (shown if isinstance(shown, list) else [shown]) if v not in VIEWS]
        raise ReportError(f"{inst.path}: report.show {bad!r}: expected views among {', '.join(VIEWS)}")
    return list(shown)


def instrument_blocks(ctx, inst: Instrument, phase: str) -> list:
    blocks = []
    for name in views_for(inst):
        ctx.making(name, inst.id, phase)
        blocks.extend(ctx.claim(b) for b in VIEWS[name](ctx, inst, phase) if b is not None)
    if inst.provisional:
        # only the scale's labels provisional: say so, or an instrument marked official reads as unconfirmed
        only_scale = inst.wording != "provisional" and not any(i.provisional for i in inst.items)
        blocks.append(Paragraph(ctx.t("rep.provisional_scale" if only_scale else "rep.provisional",
                                      instrument=inst.name[ctx.lang], scale=inst.scale.id,
                                      note=inst.note.get(ctx.lang, "")), "note"))
    return blocks


def _phase_word(ctx, phase: str) -> str:
    return ctx.phase_label(phase).lower()


# ------------------------------------------------------------------- views
@view("likert_table")
def likert_table_view(ctx, inst: Instrument, phase: str) -> list:
    """Answer distribution per item with n and mean (Taulukko 3 of THL 2018)."""
    from ..tables import likert_display
    columns, body, notes, totals = likert_display(ctx.answer_table(inst.id, phase), ctx.lang, ctx.suppression, inst)
    caption = ctx.t("rep.cap.items", instrument=inst.name[ctx.lang], phase=_phase_word(ctx, phase))
    return [ctx.table(caption, ctx.t("tab.item"), columns, body, notes=notes, total_rows=totals)]


def withheld_items(ctx, inst: Instrument, phase: str) -> set[str]:
    """Items with a hidden count in the phase's answer table (:func:`likert_table`, all roles):
    a figure of the same answers by role leaves them out, or its bars would give the counts back."""
    return set(ctx.hidden_counts.get((inst.id, phase), {}))


def role_bars_figure(ctx, rows, inst: Instrument, withhold: set[str], caption: str, groups=None):
    """Diverging bars of ``rows`` by role (:func:`osallisuus.figures.likert_bars`; only the roles
    ``groups``, if given, the others counting in what the bars leave of the total), or the
    sentence that stands for them when every bar would be withheld, found without drawing them."""
    from ..figures import likert_bars, likert_has_bars
    if not likert_has_bars(rows, inst, by="role", suppression=ctx.suppression, withhold=withhold, groups=groups):
        return ctx.figure_left_out(caption)
    return ctx.figure(likert_bars(rows, inst, by="role", lang=ctx.lang, suppression=ctx.suppression,
                                  withhold=withhold, groups=groups), caption)


@view("likert_figure")
def likert_figure_view(ctx, inst: Instrument, phase: str) -> list:
    """Diverging bars of the answers, by role."""
    caption = ctx.t("rep.cap.likert_roles", instrument=inst.name[ctx.lang], phase=_phase_word(ctx, phase))
    return [role_bars_figure(ctx, ctx.rows(inst.id, phase), inst, withheld_items(ctx, inst, phase), caption)]


def _score_notes(ctx, inst: Instrument) -> list[str]:
    if score_column(inst) != "score_0_100":
        return []
    note = ctx.t("rep.score_0_100")
    if inst.reference.get("value"):
        note += " " + ctx.t("rep.reference", label=inst.reference["label"][ctx.lang], value=ctx.num(inst.reference["value"]))
    return [note]


@view("score_table")
def score_table_view(ctx, inst: Instrument, phase: str) -> list:
    """Mean score with a 95 % interval per role and in total."""
    from ..change import phase_summary
    rows = ctx.rows(inst.id, phase)
    if rows.empty:
        return []
    per_role = phase_summary(rows, inst, by="role", suppression=ctx.suppression)
    total = phase_summary(rows, inst, suppression=ctx.suppression).assign(role=None)
    body, sym = [], ctx.suppression.symbol
    rows_shown = pd.concat([per_role, total], ignore_index=True)
    for r in rows_shown.itertuples():
        label = ctx.role_label(r.role) if r.role else ctx.t("tab.total")
        if r.suppressed or r.n == 0:
            body.append([label, sym, sym, "–"])
        else:
            n = f"{format_count(r.n)}*" if getattr(r, "caution", False) else format_count(r.n)
            body.append([label, n, ctx.num(r.mean), f"{ctx.num(r.ci_low)}–{ctx.num(r.ci_high)}"])
    shown = rows_shown[~rows_shown["suppressed"].astype(bool)]
    notes = _score_notes(ctx, inst)
    if "caution" in shown and shown["caution"].astype(bool).any():
        notes.append(ctx.t("rep.caution"))
    if "clipped" in shown and shown["clipped"].astype(bool).any():
        notes.append(ctx.t("rep.clipped"))
    caption = ctx.t("rep.cap.score_roles", instrument=inst.name[ctx.lang], phase=_phase_word(ctx, phase))
    return [ctx.table(caption, ctx.t("rep.col.role"), [ctx.t("rep.col.n"), ctx.t("rep.col.mean"), ctx.t("rep.col.ci")],
                      body, notes=notes, total_rows=[len(body) - 1])]


@view("subscale_table")
def subscale_table_view(ctx, inst: Instrument, phase: str) -> list:
    """Mean of each subscale."""
    if not inst.subscales:
        return []
    s = ctx.scores(inst.id, phase)
    body, sym = [], ctx.suppression.symbol
    for sid, sub in inst.subscales.items():
        vals = s[sid].dropna() if sid in s else pd.Series(dtype=float)
        small = ctx.suppression.is_small(len(vals)) or len(vals) == 0
        body.append([sub["label"][ctx.lang], sym if small else format_count(len(vals)), sym if small else ctx.num(vals.mean())])
    caption = ctx.t("rep.cap.subscales", instrument=inst.name[ctx.lang])
    return [ctx.table(caption, ctx.t("rep.col.area"), [ctx.t("rep.col.n"), ctx.t("rep.col.mean")], body)]


@view("reliability")
def reliability_view(ctx, inst: Instrument, phase: str) -> list:
    """Cronbach's alpha with its interval (complete cases)."""
    from ..reliability import reliability
    rel = reliability(ctx.rows(inst.id, phase), inst, by=("phase",), suppression=ctx.suppression)
    if not len(rel):
        return []
    from ..reliability import reliability_note
    r = rel.iloc[0]
    if ctx.suppression.is_small(int(r["n"])):
        return []
    if _answer_table_hides(ctx, inst, phase):
        # its n (complete sheets: no skip, no "En osaa sanoa") beside the respondents would pin
        # a hidden cell of the answer table (a privacy review: '<5' found to be 1)
        return [Paragraph(ctx.t("rep.rel_withheld", instrument=inst.name[ctx.lang]), "note")]
    body = [_alpha_row(ctx, inst.name[ctx.lang], r)]
    for sid, sub in inst.subscales.items():
        part = reliability(ctx.rows(inst.id, phase), inst, by=("phase",), suppression=ctx.suppression, subscale=sid)
        if len(part) and part.iloc[0]["k"] >= 2 and not part.iloc[0]["suppressed"]:
            body.append(_alpha_row(ctx, sub["label"][ctx.lang], part.iloc[0]))
    notes = [reliability_note(r, ctx.lang, missing_answer([inst], ctx.lang))] + ([ctx.t("rep.rel_subscales")] if len(body) > 1 else [])
    if inst.reliability_reference:
        ref = inst.reliability_reference
        notes.append(ctx.t("rep.rel_reference", alpha=ctx.num(ref["alpha"], 2), n=format_count(ref["n"])))
    return [ctx.table(ctx.t("rep.cap.reliability", instrument=inst.name[ctx.lang]), ctx.t("rep.col.scale_part"),
                      [ctx.t("rep.col.n"), ctx.t("rep.col.alpha"), ctx.t("rep.col.ci")], body, notes=notes)]


def _answer_table_hides(ctx, inst: Instrument, phase: str) -> bool:
    """Whether the phase's published answer table of ``inst`` hides any figure."""
    if "likert_table" not in views_for(inst):
        return False
    marks = ctx.answer_table(inst.id, phase).attrs.get("marks")
    return marks is not None and bool((marks != "").any().any())


def _alpha_row(ctx, name: str, r) -> list:
    return [name, format_count(r["n"]), ctx.num(r["alpha"], 2), f"{ctx.num(r['ci_low'], 2)}–{ctx.num(r['ci_high'], 2)}"]


@view("region_figure")
def region_figure_view(ctx, inst: Instrument, phase: str) -> list:
    """The score of every region with its interval, this region highlighted."""
    from ..figures import region_comparison
    from .regions import region_table
    table = region_table(ctx, inst, phase)
    if len(table) < 2:
        return []
    ref = inst.reference.get("value") if score_column(inst) == "score_0_100" else None
    ref_label = inst.reference.get("label", {}).get(ctx.lang) if ref else None
    ax = region_comparison(table, lang=ctx.lang, highlight=ctx.region_name, reference=(ref, ref_label) if ref else None,
                           suppression=ctx.suppression)   # the plan's threshold, as region_table's
    return [ctx.figure(ax, ctx.t("rep.cap.regions", instrument=inst.name[ctx.lang], phase=_phase_word(ctx, phase)))]


@view("area_table")
def area_table_view(ctx, inst: Instrument, phase: str) -> list:
    """Ratings and the number of written answers per participation area (``areas`` in the YAML)."""
    rows = ctx.rows(inst.id, phase)
    s = ctx.scores(inst.id, phase)
    body, sym = [], ctx.suppression.symbol
    for aid, area in (inst.extra.get("areas") or {}).items():
        items = [i.id for i in inst.items if i.area == aid]
        vals = s[aid].dropna() if aid in s else pd.Series(dtype=float)
        texts = int((rows["item"].isin(items) & (rows["text"].fillna("") != "")).sum())
        small = ctx.suppression.is_small(len(vals)) or len(vals) == 0
        body.append([area["label"][ctx.lang], sym if small else format_count(len(vals)), sym if small else ctx.num(vals.mean()),
                     sym if ctx.suppression.is_small(texts) else format_count(texts)])
    note = (inst.extra.get("rating_note") or {}).get(ctx.lang, "")
    return [ctx.table(ctx.t("rep.cap.areas", instrument=inst.name[ctx.lang]), ctx.t("rep.col.area"),
                      [ctx.t("rep.col.n"), ctx.t("rep.col.mean"), ctx.t("rep.col.texts")], body, notes=[note])]


@view("score_sentence")
def score_sentence_view(ctx, inst: Instrument, phase: str) -> list:
    """One sentence with the mean of a single-question instrument (e.g. a school grade)."""
    s = ctx.scores(inst.id, phase)[score_column(inst)].dropna()
    if not len(s) or ctx.suppression.is_small(len(s)):
        return []
    if len(inst.rated_items) == 1 and ctx.hidden_in(inst.id, phase, inst.rated_items[0]) == "mean":   # yes/no: 0.8 of 14 is 3 no
        return [Paragraph(ctx.t("rep.score_sentence_withheld", instrument=inst.name[ctx.lang], n=format_count(len(s)),
                                k=ctx.suppression.threshold))]
    return [Paragraph(ctx.t("rep.score_sentence", instrument=inst.name[ctx.lang], mean=ctx.num(s.mean()), n=format_count(len(s))))]

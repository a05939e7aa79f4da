"""Conclusions (the main findings, summarised) and the appendix on methods and data quality."""
from __future__ import annotations

import functools
import importlib.metadata

from ...disclosure import SECONDARY
from ...numbers import format_count
from ...instruments import missing_answer
from ...scoring import score_column, subscale_min_answered
from ...tables import bounded_t_interval, score_bounds
from ..context import data_fingerprint
from ..model import ItemList, Paragraph, Section
from . import section

PACKAGES = ("osallisuus", "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill",
            "nbconvert", "typst")


def _outcome_levels(ctx) -> list[str]:
    """One sentence per primary outcome of the plan: its mean in this region."""
    from ...findings import describe_level
    out = []
    for o in ctx.plan.primary:
        rows = ctx.rows(o.instrument, o.phase)
        if rows.empty:
            continue
        inst = ctx.instrument(o.instrument)
        s = ctx.scores(o.instrument, o.phase)[score_column(inst)].dropna()
        hidden = ctx.hidden_in(o.instrument, o.phase, "__score__") == "mean"   # a yes/no question's 0.8 of 14
        if len(s) and not ctx.suppression.is_small(len(s)) and not hidden:
            interval = bounded_t_interval(s, *score_bounds(inst))     # as the score tables show it
            twice = sum(p.instrument == o.instrument for p in ctx.plan.primary) > 1   # then say which phase
            sentence = describe_level(interval["mean"], inst, ctx.lang, ci=(interval["ci_low"], interval["ci_high"]),
                                      phase=o.phase if twice else None)
            if sentence:
                out.append(sentence)
    return out


@section("conclusions")
def conclusions(ctx) -> Section:
    blocks = [ctx.heading("rep.h.conclusions")]
    main = list(dict.fromkeys(_outcome_levels(ctx) + list(getattr(ctx, "main_findings", []))))
    if main:
        blocks.append(Paragraph(ctx.t("rep.conclusions_intro")))
        blocks.append(ItemList(main))
    else:
        blocks.append(Paragraph(ctx.t("rep.no_findings")))
    blocks.append(Paragraph(ctx.t("rep.conclusion_feedback")))
    return Section("conclusions", ctx.lang, blocks)


def _scoring_rules(ctx) -> list[str]:
    rules = []
    for inst_id in sorted(map(str, ctx.data["instrument"].astype(str).unique())):
        inst = ctx.instrument(inst_id)
        if inst.answer == "text" or not inst.rated_items:
            continue
        key = "rep.app.rule_0_100" if score_column(inst) == "score_0_100" else "rep.app.rule_mean"
        rules.append(ctx.t_count(key, len(inst.rated_items), instrument=inst.name[ctx.lang],
                                 min_answered=inst.min_answered, items=len(inst.rated_items)))
        for sid, sub in inst.subscales.items():      # a subscale's rule (a reviewer found it nowhere)
            rules.append(ctx.t_count("rep.app.rule_subscale", len(sub["items"]), instrument=inst.name[ctx.lang],
                                     subscale=sub["label"][ctx.lang], min_answered=subscale_min_answered(inst, sid),
                                     items=len(sub["items"])))
    return rules


def _versions() -> list[list[str]]:
    return [list(row) for row in _installed()]


@functools.lru_cache(maxsize=1)
def _installed() -> tuple[tuple[str, str], ...]:
    """(package, version) of :data:`PACKAGES` as installed, read once per process (23 ms: the
    package metadata is searched on the whole path each time)."""
    rows = []
    for pkg in PACKAGES:
        try:
            rows.append((pkg, importlib.metadata.version(pkg)))
        except importlib.metadata.PackageNotFoundError:
            continue
    return tuple(rows)


@section("appendix")
def appendix(ctx) -> Section:
    sup = ctx.suppression
    missing = missing_answer([ctx.instrument(str(i)) for i in ctx.data["instrument"].astype(str).unique()], ctx.lang)
    blocks = [ctx.heading("rep.h.appendix"),
              # not the whole input's answer count: with every region's count in the report it
              # gives the answers of the groups left out, and so their size
              Paragraph(ctx.t("rep.app.validation", files=format_count(len(ctx.validation.files)),
                              unusable=format_count(len(ctx.validation.unusable_files)),
                              quarantined=format_count(ctx.validation.n_quarantined)) + " "
                        + ctx.t("rep.app.region_rows", n=format_count(len(ctx.data)))),
              Paragraph(ctx.t("rep.app.suppressed" if sup.removed else "rep.app.no_suppressed", k=sup.threshold)),
              Paragraph(ctx.t("rep.app.disclosure", k=sup.threshold)),
              ItemList(ctx.t("rep.app.disclosure_points", k=sup.threshold, km1=sup.threshold - 1, missing=missing,
                             mark=SECONDARY).split("\n")),
              Paragraph(ctx.t("rep.app.methods", missing=missing)),
              ItemList(_scoring_rules(ctx)),
              Paragraph(ctx.t("rep.app.redaction"))]
    rows = []
    for inst_id in sorted(map(str, ctx.data["instrument"].astype(str).unique())):
        inst = ctx.instrument(inst_id)
        status = ctx.t(f"rep.app.wording.{'provisional' if inst.provisional else inst.wording}")
        citation = (inst.extra.get("citation") or {}).get(ctx.lang) or inst.source
        rows.append([inst.name[ctx.lang], status, citation])
    ctx.making("instruments_table")
    blocks.append(ctx.table(ctx.t("rep.app.instruments"), ctx.t("rep.app.instrument"),
                            [ctx.t("rep.app.wording"), ctx.t("rep.app.source")], rows))
    ctx.making("versions_table")
    blocks.append(ctx.table(ctx.t("rep.app.versions"), ctx.t("rep.app.package"), [ctx.t("rep.app.version")], _versions()))
    blocks.append(Paragraph(ctx.t("rep.app.data_hash", hash=data_fingerprint(ctx.path))))
    params = [["region", ctx.region.id], ["data", ctx.path.name], ["lang", ctx.lang],
              ["suppression_threshold", str(sup.threshold)],
              ["plan", ctx.plan.source or ctx.t("rep.plan_none")]]
    ctx.making("parameters_table")
    blocks.append(ctx.table(ctx.t("rep.app.parameters"), ctx.t("rep.app.parameter"), [ctx.t("rep.app.value")], params))
    return Section("appendix", ctx.lang, blocks)

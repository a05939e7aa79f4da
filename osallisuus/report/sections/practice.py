"""Promising-practice assessment (lupaava käytäntö) recorded by the evaluator per region.

The evaluator writes ``paths.practice``/<region id>.yaml::

    criteria:
      tarve: {rating: met, evidence: {fi: "...", sv: "...", en: "..."}}
    dimensions:
      oma_elama: {evidence: {fi: "...", sv: "...", en: "..."}}

Criteria, dimensions and rating labels are data (``practice_criteria.yaml``). Without a file
the section says the assessment has not been recorded.
"""
from __future__ import annotations

import functools

from ...errors import ReportError
from ...fileio import read_yaml_file, safe_load
from ...settings import package_data
from ..model import Heading, Paragraph, Section
from . import section


@functools.lru_cache(maxsize=1)
def criteria() -> dict:
    return safe_load(package_data("practice_criteria.yaml").read_text(encoding="utf-8"))


def read_assessment(ctx) -> dict | None:
    path = ctx.settings.path("practice") / f"{ctx.region.id}.yaml"
    doc = read_yaml_file(path)
    if doc is None:
        return None
    known = criteria()
    for cid, entry in (doc.get("criteria") or {}).items():
        if cid not in known["criteria"]:
            raise ReportError(f"{path.name}: unknown criterion {cid!r}; expected one of {', '.join(known['criteria'])}")
        rating = (entry or {}).get("rating", "unknown")
        if rating not in known["ratings"]:
            raise ReportError(f"{path.name}: criteria.{cid}.rating {rating!r}; expected one of {', '.join(known['ratings'])}")
    for did in doc.get("dimensions") or {}:
        if did not in known["dimensions"]:
            raise ReportError(f"{path.name}: unknown dimension {did!r}; expected one of {', '.join(known['dimensions'])}")
    return doc


def _evidence(entry: dict | None, lang: str) -> str:
    ev = (entry or {}).get("evidence") or {}
    return str(ev.get(lang) or ev.get("fi") or "") if isinstance(ev, dict) else str(ev)


@section("practice")
def practice(ctx) -> Section:
    blocks = [ctx.heading("rep.h.practice")]
    doc = read_assessment(ctx)
    if doc is None:
        return Section("practice", ctx.lang, blocks + [Paragraph(ctx.t("prac.missing"), "note")])
    known = criteria()
    rows = []
    for cid, c in known["criteria"].items():
        entry = (doc.get("criteria") or {}).get(cid) or {}
        rows.append([c["label"][ctx.lang], known["ratings"][entry.get("rating", "unknown")][ctx.lang],
                     _evidence(entry, ctx.lang) or "–"])
    ctx.making("practice_table")
    blocks.append(ctx.table(ctx.t("prac.caption"), ctx.t("prac.criterion"), [ctx.t("prac.rating"), ctx.t("prac.evidence")],
                            rows, notes=[ctx.t("prac.note")]))
    dims = doc.get("dimensions") or {}
    if dims:
        blocks.append(Heading(ctx.t("prac.dimensions"), "practice-dimensions", 3))
        for did, label in known["dimensions"].items():
            text = _evidence(dims.get(did), ctx.lang)
            if text:
                blocks.append(Paragraph(f"{label[ctx.lang]}. {text}"))
    return Section("practice", ctx.lang, blocks)

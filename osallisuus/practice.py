"""Promising-practice assessment (lupaava käytäntö) recorded by the evaluator per region.

The evaluator writes ``paths.practice``/<region id>.yaml::

    criteria:
      tarve: {rating: met, evidence: {fi: "...", sv: "...", en: "..."}}
      ...
    dimensions:
      oma_elama: {evidence: {fi: "...", sv: "...", en: "..."}}

Criteria, dimensions and rating labels are data (``practice_criteria.yaml``). The
section renders a table of criteria with ratings and evidence, and the evidence per
participation dimension; without a file it says the assessment has not been recorded.
"""
from __future__ import annotations

import functools
import html

import pandas as pd
import yaml

from .errors import ReportError
from .fileio import read_yaml_file
from .i18n import t
from .settings import package_data
from .tables import html_table


@functools.lru_cache(maxsize=1)
def criteria() -> dict:
    return yaml.safe_load(package_data("practice_criteria.yaml").read_text(encoding="utf-8"))


def read_assessment(report) -> dict | None:
    path = report.settings.path("practice") / f"{report.region_info.id}.yaml"
    doc = read_yaml_file(path)
    if doc is None:
        return None
    known = criteria()
    for cid, entry in (doc.get("criteria") or {}).items():
        if cid not in known["criteria"]:
            raise ReportError(f"{path}: unknown criterion {cid!r}; expected one of {', '.join(known['criteria'])}")
        rating = (entry or {}).get("rating", "unknown")
        if rating not in known["ratings"]:
            raise ReportError(f"{path}: criteria.{cid}.rating {rating!r}; expected one of {', '.join(known['ratings'])}")
    for did in doc.get("dimensions") or {}:
        if did not in known["dimensions"]:
            raise ReportError(f"{path}: unknown dimension {did!r}; expected one of {', '.join(known['dimensions'])}")
    return doc


def _text(entry: dict | None, lang: str) -> str:
    ev = (entry or {}).get("evidence") or {}
    return str(ev.get(lang) or ev.get("fi") or "") if isinstance(ev, dict) else str(ev)


def practice_section(report) -> str:
    lang = report.lang
    known = criteria()
    parts = [report._heading("rep.h.practice")]
    doc = read_assessment(report)
    if doc is None:
        parts.append(f'<p class="note">{html.escape(t("prac.missing", lang))}</p>')
        return "".join(parts)
    rows = []
    for cid, c in known["criteria"].items():
        entry = (doc.get("criteria") or {}).get(cid) or {}
        rating = known["ratings"][entry.get("rating", "unknown")][lang]
        rows.append((c["label"][lang], rating, _text(entry, lang) or "–"))
    frame = pd.DataFrame(rows, columns=["_", t("prac.rating", lang), t("prac.evidence", lang)]).set_index("_")
    parts.append(report._html_table(frame, t("prac.caption", lang), row_header=t("prac.criterion", lang),
                                    note=t("prac.note", lang)))
    dims = doc.get("dimensions") or {}
    if dims:
        parts.append(f"<h3 id=\"practice-dimensions\">{html.escape(t('prac.dimensions', lang))}</h3>")
        for did, label in known["dimensions"].items():
            text = _text(dims.get(did), lang)
            if text:
                parts.append(f"<p><strong>{html.escape(label[lang])}.</strong> {html.escape(text)}</p>")
    return "".join(parts)

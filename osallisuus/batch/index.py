"""The cross-region index page: every region's report, respondents and the plan's primary outcomes.

The index lists every region that has a report in the output folder in that language (read
from the regions' manifests), not only the regions of the latest run, plus this run's
failures. Its outcome columns are the evaluation plan's primary outcomes.
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from ..fileio import atomic_write_text, without_folders
from ..regions import region_name_in
from ..i18n import fmt_date, fmt_number, phase_label, t
from ..instruments import load_instrument
from ..plan import plan_for
from ..render import render
from ..settings import Settings
from ..vocab import PHASES
from .outputs import FORMAT_EXTENSIONS, output_names

__all__ = ["write_index", "index_rows"]


def _manifests(reports_dir: Path, lang: str) -> dict[str, dict]:
    name = output_names(lang)["manifest"]
    found = {}
    for path in sorted(reports_dir.glob(f"*/{name}")):
        if path.parent.is_symlink():
            continue
        try:
            found[path.parent.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return found


def index_rows(results, reports_dir: Path, lang: str) -> list[dict]:
    """One row per region: from this run's results, then every other region reported before."""
    names = output_names(lang)
    rows, seen = [], set()
    manifests = _manifests(reports_dir, lang)
    for r in results:
        seen.add(r.region_id)
        rows.append({"id": r.region_id, "name": (r.summary or {}).get("region") or region_name_in(r.region, lang),
                     "status": r.status,
                     "error": without_folders(r.error.splitlines()[0]) if r.error else "", "summary": r.summary or {},
                     "outputs": r.outputs})
    for rid, m in manifests.items():
        if rid not in seen:
            rows.append({"id": rid, "name": m.get("summary", {}).get("region", rid), "status": "ok", "error": "",
                         "summary": m.get("summary", {}), "outputs": m.get("outputs", {})})
    for row in rows:
        row["links"] = [{"href": f"{row['id']}/{row['outputs'][k]}", "label": label}
                        for k, label in (("participants", t("batch.participants" if row["summary"].get("feedback", True)
                                                             else "batch.participants_unanswered", lang)),
                                         *((f, t(f"batch.link.{f}", lang)) for f in FORMAT_EXTENSIONS if f != "html"))
                        if k in row["outputs"]]
        row["href"] = f"{row['id']}/{names['html']}" if "html" in row["outputs"] else None
    return sorted(rows, key=lambda r: r["name"])


def _outcome_label(inst, phase: str, lang: str) -> str:
    """'ESIS, loppuarviointi (keskiarvo, asteikko 0–100)': the columns' means are on different
    scales (1–5, 1–7, 0–100; an accessibility review read them side by side)."""
    from ..tables import score_bounds
    low, high = (fmt_number(v, lang, 0) for v in score_bounds(inst))
    return t("batch.col.outcome", lang, instrument=inst.name[lang], phase=phase_label(phase, lang).lower(),
             low=low, high=high)


def _outcome_cell(value, respondents, k: int, lang: str) -> str:
    """An outcome's mean; '<k' when the phase had respondents but too few; '–' when none answered
    in that phase (a review's region with no final answers read showed '<5' beside a 0)."""
    if value is not None:
        return fmt_number(value, lang)
    return f"<{k}" if respondents else "–"


def write_index(results, reports_dir: Path, lang: str, data_path: Path, settings: Settings,
                threshold: int | None = None) -> Path:
    """``index.html`` (``index_<lang>.html`` for other languages) in ``reports_dir``."""
    from ..report import load_validated
    plan = plan_for(data_path, load_validated(data_path, settings, lang).data, settings)
    k = threshold or plan.threshold or settings.suppression_threshold
    rows = index_rows(results, reports_dir, lang)
    phases = [p for p in PHASES if any(r["summary"].get("respondents", {}).get(p) for r in rows)]
    outcomes = [{"key": o.key, "phase": o.phase,
                 "label": _outcome_label(load_instrument(o.instrument, settings), o.phase, lang)} for o in plan.primary]
    for r in rows:
        resp = r["summary"].get("respondents", {})
        values = r["summary"].get("outcomes", {})
        r["cells"] = [str(resp.get(p, "–")) for p in phases] + [_outcome_cell(values.get(o["key"]), resp.get(o["phase"]), k, lang)
                                                                 for o in outcomes]
    columns = [t(f"batch.col.{p}", lang) for p in phases] + [o["label"] for o in outcomes]
    page = render("index.html.j2", lang=lang, title=t("batch.title", lang), t=lambda key, **kw: t(key, lang, **kw),
                  date=fmt_date(_dt.date.today(), lang), columns=columns, rows=rows, k=k)
    path = reports_dir / ("index.html" if lang == "fi" else f"index_{lang}.html")
    return atomic_write_text(path, page)

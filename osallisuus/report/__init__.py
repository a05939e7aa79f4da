"""One region's assessment report, built from the instruments and the evaluation plan.

>>> import osallisuus
>>> report = osallisuus.RegionReport("Lappi", "data/example")      # doctest: +SKIP
>>> report.section("final")                                          # doctest: +SKIP

:class:`RegionReport` prepares a :class:`~osallisuus.report.context.ReportContext` (data,
plan, suppression, language) and builds every section of the layout once, in order, so
table and figure numbers are fixed per report: showing a section again (re-running a
notebook cell) shows the same numbers. Sections are data (:mod:`osallisuus.report.model`);
the notebook displays them and the exporters turn them into HTML, PDF, Word and Excel.
"""
from __future__ import annotations

import os

from ..errors import ReportError
from ..scoring import score, score_column
from ..settings import Settings
from ..vocab import PHASES
from .context import ReportContext, data_fingerprint, load_validated, resolve_path
from .model import MIME_TYPE, Section
from .sections import layout, section_function

__all__ = ["RegionReport", "ReportContext", "Section", "MIME_TYPE", "data_fingerprint", "load_validated",
           "resolve_path"]


class RegionReport:
    """Everything one region's report shows.

    Parameters
    ----------
    region : str
        Region name, id or alias (see ``osallisuus regions``).
    data_path : path-like, optional
        File or folder of answers (default: ``paths.data`` of the settings).
    lang : {'fi', 'sv', 'en'}
    suppression_threshold : int, optional
        Default: the evaluation plan's threshold, else the settings' (5).
    settings : Settings, optional
    """

    def __init__(self, region: str, data_path: str | os.PathLike | None = None, lang: str = "fi",
                 suppression_threshold: int | None = None, settings: Settings | None = None):
        self.context = ReportContext(region, data_path, lang, suppression_threshold, settings)
        self._sections: dict[str, Section] | None = None

    # convenient views of the context
    @property
    def lang(self) -> str:
        return self.context.lang

    @property
    def region_name(self) -> str:
        return self.context.region_name

    @property
    def data(self):
        return self.context.data

    @property
    def plan(self):
        return self.context.plan

    def _build(self) -> dict[str, Section]:
        if self._sections is None:
            built: dict[str, Section] = {}
            for name in layout():
                if name == "conclusions":
                    self.context.main_findings = [f for s in built.values() for f in s.findings]
                built[name] = section_function(name)(self.context)
            self._sections = built
        return self._sections

    def section_names(self) -> list[str]:
        return list(self._build())

    def section(self, name: str) -> Section:
        """The section ``name`` (see :meth:`section_names`), built once with the whole report."""
        sections = self._build()
        if name not in sections:
            raise ReportError(f"no section {name!r}; sections: {', '.join(sections)}")
        return sections[name]

    def sections(self) -> list[Section]:
        return list(self._build().values())

    def title(self) -> str:
        return self.context.t("rep.title", region=self.region_name)

    def document(self):
        """The report as a :class:`~osallisuus.export.ReportDocument` (without a notebook)."""
        from ..export.document import ReportDocument
        return ReportDocument(self.title(), self.lang, self.sections(), self.context.created)

    def summary(self) -> dict:
        """One row of the cross-region index: respondents per phase and the plan's primary outcomes.

        Counts and means rest on the suppressed data; a mean of fewer respondents than the
        threshold is None.
        """
        ctx = self.context
        row = {"region": self.region_name, "region_id": ctx.region.id, "respondents": {}, "outcomes": {}}
        for phase in PHASES:
            n = int(ctx.data.loc[ctx.data["phase"] == phase, "respondent_id"].nunique())
            row["respondents"][phase] = n
        for o in ctx.plan.primary:
            rows = ctx.rows(o.instrument, o.phase)
            inst = ctx.instrument(o.instrument)
            s = score(rows, inst, settings=ctx.settings)[score_column(inst)].dropna() if len(rows) else []
            small = len(s) == 0 or ctx.suppression.is_small(len(s))
            row["outcomes"][o.key] = None if small else float(s.mean())
        return row

    def participant_page(self) -> str:
        """The plain-language page for participants, as a complete HTML document."""
        from .participants import participant_page
        return participant_page(self.context)

    def _repr_html_(self) -> str:
        return "\n".join(s.html for s in self.sections())

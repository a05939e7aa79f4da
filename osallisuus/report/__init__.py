"""One region's assessment report, built from the instruments and the evaluation plan.

>>> import osallisuus
>>> report = osallisuus.RegionReport("Lappi", "data/example")      # doctest: +SKIP
>>> report.section("final")                                          # doctest: +SKIP
>>> report.view("likert_table", instrument="arvio_4", phase="final")  # doctest: +SKIP

:class:`RegionReport` prepares a :class:`~osallisuus.report.context.ReportContext` (data,
plan, suppression, language) and builds every section of the layout once, in order, so
table and figure numbers are fixed per report: showing a section again (re-running a
notebook cell) shows the same numbers. A section also shows in parts: :meth:`RegionReport.intro`
(its heading and opening text) and one :meth:`RegionReport.view` per table or figure, which is
how the generated region-report notebook (:mod:`osallisuus.report.notebook`) has one visible
call per table. Sections are data (:mod:`osallisuus.report.model`);
the notebook displays them and the exporters turn them into HTML, PDF, Word and Excel.
"""
from __future__ import annotations

import os
import weakref

from ..errors import ReportError
from ..heap import frozen_heap
from ..scoring import score_column
from ..settings import Settings
from ..numbers import round_half_up
from ..vocab import PHASES
from .context import ReportContext, data_fingerprint, load_validated, resolve_path, view_key
from .model import MIME_TYPE, Heading, Section
from .sections import layout, section_function
from .views import VIEWS

SECTION_VIEWS = ("design_table", "change_table", "trajectory_figure", "ordinal_table", "role_table", "role_figure",
                 "practice_table", "instruments_table", "versions_table", "parameters_table")

__all__ = ["RegionReport", "ReportContext", "Section", "MIME_TYPE", "data_fingerprint", "load_validated",
           "resolve_path"]


_LIVE: "weakref.WeakValueDictionary[tuple, RegionReport]" = weakref.WeakValueDictionary()


def _report_key(region_id: str, path, lang: str, threshold: int | None, settings: Settings) -> tuple:
    """What makes two reports the same: region, data, language, threshold asked for, settings
    (file and content: a changed settings file is another key)."""
    return (region_id, str(path), lang, threshold or None, str(settings.file), repr(settings.raw))


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
        self._parts: dict[str, dict[str, list]] = {}
        self._added: dict[str, Section] = {}
        _LIVE[_report_key(self.context.region.id, self.context.path, lang, suppression_threshold,
                          self.context.settings)] = self

    @classmethod
    def existing(cls, region: str, data_path=None, lang: str = "fi", suppression_threshold: int | None = None,
                 settings: Settings | None = None) -> "RegionReport":
        """The report of these arguments that is still in use in this process (e.g. the one a
        notebook just built, with its statistics computed), else a new one.

        The data files are not looked at again: use it right after the report was built (the
        batch does, in the same kernel, for the participants' page and the index row)."""
        from ..regions import resolve_region
        from ..settings import load_settings
        settings = settings or load_settings()
        key = _report_key(resolve_region(region).id, resolve_path(data_path, settings), lang, suppression_threshold,
                          settings)
        found = _LIVE.get(key)
        return found if found is not None else cls(region, data_path, lang, suppression_threshold, settings)

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

    @property
    def suppression(self):
        """The report's protection rule (its threshold: the given one, the plan's or the settings')."""
        return self.context.suppression

    @frozen_heap()
    def _build(self) -> dict[str, Section]:
        if self._sections is None:
            built: dict[str, Section] = {}
            for name in layout():
                if name == "conclusions":
                    self.context.main_findings = [f for s in built.values() for f in s.findings]
                self.context.current_view = ""
                built[name] = section_function(name)(self.context)
            self.context.current_view = ""
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

    def parts(self, name: str) -> dict[str, list]:
        """The blocks of section ``name`` by view key ('' for the heading and opening text).

        A table or figure belongs to the view that made it, with the text that follows it
        (notes, sentences) up to the next table or figure; a subheading goes with the table
        or figure right after it.
        """
        if name not in self._parts:
            blocks = self.section(name).blocks
            view_of = self.context.view_of
            parts: dict[str, list] = {"": []}
            current = ""
            for i, block in enumerate(blocks):
                key = view_of.get(id(block))
                nxt = view_of.get(id(blocks[i + 1])) if i + 1 < len(blocks) else None
                if key:
                    current = key
                elif isinstance(block, Heading) and block.level >= 3 and nxt:
                    current = nxt
                parts.setdefault(current, []).append(block)
            self._parts[name] = parts
        return self._parts[name]

    def intro(self, name: str) -> Section:
        """Section ``name`` without its views: the heading and opening text (and anything no view made)."""
        sec = self.section(name)
        return Section(sec.key, sec.lang, list(self.parts(name)[""]), list(sec.findings))

    def view(self, name: str, instrument: str | None = None, phase: str | None = None) -> Section:
        """One table or figure of the report (with its notes), as the report shows it.

        ``name`` is a view of :data:`~osallisuus.report.views.VIEWS` (with ``instrument`` and
        ``phase``) or a section's own table or figure (``design_table``, ``change_table``,
        ``trajectory_figure``, ``ordinal_table``, ``role_table``, ``role_figure``,
        ``practice_table``, ``instruments_table``, ``versions_table``, ``parameters_table``).
        A view the layout does not show (e.g. a figure an instrument's YAML leaves out) is
        made on request, numbered after the report's own; the exporters renumber tables and
        figures in the order the notebook shows them. A view with nothing to show for this
        region gives an empty section.
        """
        key = view_key(name, instrument, phase)
        for sec in self.sections():
            blocks = self.parts(sec.key).get(key)
            if blocks:
                return Section(sec.key, sec.lang, list(blocks))
        if name in VIEWS and instrument and phase:
            return self._added_view(name, instrument, phase, key)
        if name not in VIEWS and name not in SECTION_VIEWS:
            raise ReportError(f"no view {name!r}; views: {', '.join([*VIEWS, *SECTION_VIEWS])}")
        return Section(phase or name, self.lang, [])

    def _added_view(self, name: str, instrument: str, phase: str, key: str) -> Section:
        if key not in self._added:
            self._build()
            ctx = self.context
            blocks = []
            if len(ctx.rows(instrument, phase)):
                ctx.making(name, instrument, phase)
                blocks = [b for b in VIEWS[name](ctx, ctx.instrument(instrument), phase) if b is not None]
                ctx.current_view = ""
            self._added[key] = Section(phase, self.lang, blocks)
        return self._added[key]

    def sections(self) -> list[Section]:
        """The report's sections in order, those with nothing to show (a phase outside the plan) left out."""
        return [s for s in self._build().values() if s.blocks]

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
        from .participants import read_feedback
        row = {"region": self.region_name, "region_id": ctx.region.id, "respondents": {}, "outcomes": {},
               "feedback": read_feedback(ctx) is not None}   # the organisers' answer to participants
        for phase in PHASES:
            # as Taulukko 1 adds them up, per role: a person who answered in two roles counts in
            # each, else distinct people less the roles' sum gave those few back (a privacy review)
            row["respondents"][phase] = ctx.respondents_in(phase)
        for o in ctx.plan.primary:
            rows = ctx.rows(o.instrument, o.phase)
            inst = ctx.instrument(o.instrument)
            s = ctx.scores(o.instrument, o.phase)[score_column(inst)].dropna() if len(rows) else []
            small = len(s) == 0 or ctx.suppression.is_small(len(s)) \
                or ctx.hidden_in(o.instrument, o.phase, "__score__") == "mean"   # a yes/no question's 0.8 of 14
            # as the index prints it: the manifest beside the reports keeps no more than is shown
            row["outcomes"][o.key] = None if small else float(round_half_up(float(s.mean()), 1))
        return row

    def participant_page(self) -> str:
        """The plain-language page for participants, as a complete HTML document."""
        from .participants import participant_page
        return participant_page(self.context)

    def _repr_html_(self) -> str:
        return "\n".join(s.html for s in self.sections())

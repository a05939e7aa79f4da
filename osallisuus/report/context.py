"""What every section of one region's report works from, prepared once.

:class:`ReportContext` reads and validates the data (once per process and file state, so a
warm batch worker pays for it once), keeps the region's rows after small groups are removed,
holds the evaluation plan, the suppression rule and the language, and numbers tables and
figures as sections create them.
"""
from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import i18n
from ..disclosure import SECONDARY
from ..errors import ReportError, SmallRegionError
from ..instruments import Instrument, load_instrument
from ..plan import EvaluationPlan, find_plan, infer_plan, load_plan
from ..regions import resolve_region
from ..settings import Settings, load_settings
from ..suppression import Suppression
from ..survey import input_files
from ..validation import ValidationReport, validate
from ..vocab import PHASES
from .model import Figure, Heading, Paragraph, Table

__all__ = ["ReportContext", "resolve_path", "data_fingerprint", "load_validated", "view_key"]

WIDE_TABLE_COLUMNS = 7          # tables with more columns than this print on a landscape page
_NUMERIC = re.compile(r"^[<>−\-–+]?\s*[\d\s.,]*\d[\d\s.,]*\s*(%|\u00a0%)?(\s*[–/]\s*[<>]?[\d.,\s%\u00a0]+)?$|^[–<]\d*$|^$"
                      rf"|^{re.escape(SECONDARY)}$")
_CACHE: dict[tuple, ValidationReport] = {}


def view_key(name: str, instrument: str | None = None, phase: str | None = None) -> str:
    """The key of one notebook call ``report.view(name, instrument=..., phase=...)``.

    >>> view_key("likert_table", "x", "final"), view_key("design_table")
    ('likert_table|x|final', 'design_table||')
    """
    return f"{name}|{instrument or ''}|{phase or ''}"


def is_numeric_text(text: str) -> bool:
    """Numbers ('3,5', '<5', '12 %', '59,2–76,1', '6*' with a note's mark), the mark of a
    number hidden so that another cannot be calculated ('..') and pairs of them ('4 / 5',
    '.. / ..', '– / –': two groups side by side) align right; words align left.

    >>> [is_numeric_text(t) for t in ("26 / 39", "52 % / ..", ".. / ..", "– / –", "Asiakkaat / omaiset")]
    [True, True, True, True, False]
    """
    return all(_NUMERIC.match(part.strip()) for part in str(text).strip().rstrip("*").split(" / "))


_ALL: dict[tuple, object] = {}   # every region's rows, and the inferred plan, per validated data


def resolve_path(path: str | os.PathLike | None, settings: Settings, default_key: str = "data") -> Path:
    """A user-given path: absolute, relative to the working directory if it exists there,
    else relative to the project root (so notebooks run from ``notebooks/`` find ``data/``)."""
    if path in (None, ""):
        return settings.path(default_key).resolve()
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p.resolve()
    return (settings.root / p).resolve()


def data_fingerprint(path: Path) -> str:
    """SHA-256 over the input files' names and bytes (and the YAML files beside them)."""
    h = hashlib.sha256()
    files = input_files(path) if path.is_dir() else [path]
    extra = sorted(path.rglob("*.y*ml")) if path.is_dir() else []
    for f in sorted(set(files) | set(extra)):
        h.update(str(f.relative_to(path) if path.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def load_validated(path: Path, settings: Settings, lang: str) -> ValidationReport:
    """Validate the data once per process and file state (a warm worker reuses it across regions)."""
    files = input_files(path, settings.input_ignore)
    key = (str(path), str(settings.root), lang, tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _CACHE:
        _CACHE.clear()
        _ALL.clear()
        _CACHE[key] = validate(path, settings=settings, lang=lang)
    return _CACHE[key]


def _without_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (its data not copied) without the validation's notes in ``attrs``, which no
    section reads: pandas deep-copies a frame's ``attrs`` into every frame and column made
    from it, some two thousand times in one region's report."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def respondents_shown(counts: pd.Series, phase: str, roles) -> int:
    """Of ``counts`` (respondents per (phase, role), as the design table prints them), the sum for
    ``phase`` over the roles in ``roles``: how many people a reader knows could have answered."""
    present = set(pd.Series(roles).astype(str))
    return int(sum(int(n) for (ph, role), n in counts.items() if str(ph) == phase and str(role) in present))

class ReportContext:
    """The data, plan, rules and numbering of one region's report.

    Parameters
    ----------
    region : str
        Region name, id or alias (see ``osallisuus regions``).
    data_path : path-like, optional
        File or folder of answers (default: ``paths.data`` of the settings).
    lang : {'fi', 'sv', 'en'}
    suppression_threshold : int, optional
        Default: the plan's threshold, else the settings' (5).
    settings : Settings, optional
    """

    def __init__(self, region: str, data_path=None, lang: str = "fi", suppression_threshold: int | None = None,
                 settings: Settings | None = None):
        self.settings = settings or load_settings()
        self._instruments: dict[str, Instrument] = {}
        self._answer_tables: dict[tuple[str, str], pd.DataFrame] = {}
        self._rows: dict[tuple, pd.DataFrame] = {}
        self._role_stats: dict[tuple, object] = {}
        self._scores: dict[tuple, pd.DataFrame] = {}
        self._instruments_in: dict[str, list[str]] = {}
        self.lang = i18n.check_lang(lang)
        self.region = resolve_region(region)
        self.region_name = self.region.label(self.lang)
        self.path = resolve_path(data_path, self.settings)
        if not self.path.exists():
            raise ReportError(f"data path {self.path} does not exist")
        self.validation = load_validated(self.path, self.settings, self.lang)
        if self.validation.exit_code == 2:
            raise ReportError("input unusable: " + "; ".join(self.validation.messages(5)))
        data = self.validation.data
        self.plan: EvaluationPlan = self._plan(data)
        threshold = suppression_threshold or self.plan.threshold or self.settings.suppression_threshold
        self.suppression = Suppression.from_settings(self.settings, threshold)
        mine = _without_attrs(data[data["region"] == self.region.name["fi"]])
        if mine.empty:
            have = ", ".join(sorted(map(str, data["region"].unique())))
            raise ReportError(f"no answers for region {self.region.name['fi']!r} in the data; regions with answers: {have}")
        self.data = self.suppression.drop_small_groups(mine, by=("phase", "role"))
        if self.data.empty:   # every group is under the threshold: no report at all, only this notice
            raise SmallRegionError(i18n.t("batch.no_report", self.lang, k=self.suppression.threshold))
        self.all_data = self._all_regions(data)
        self.synthetic = self.plan.synthetic
        self.created = _dt.date.today()
        self.tables = 0
        self.figures = 0
        self.current_view = ""      # key of the view whose tables and figures are being made
        self.view_of: dict[int, str] = {}   # id(block) -> view key, for RegionReport.view
        self.figure_of: dict[str, int] = {}  # view key -> the number of the figure it made

    def _plan(self, data: pd.DataFrame) -> EvaluationPlan:
        """The project's plan file if there is one (read each time: it may have been edited),
        else the plan inferred from every region's answers, once per validated data."""
        path = find_plan(self.path, self.settings)
        if path:
            return load_plan(path, self.settings)
        key = ("plan", id(self.validation), str(self.settings.root), str(self.settings.file))
        if key not in _ALL:
            _ALL[key] = infer_plan(data, self.settings)
        return _ALL[key]

    def _all_regions(self, data: pd.DataFrame) -> pd.DataFrame:
        """Every region's rows, small groups removed the same way (for comparisons across regions)."""
        key = (id(self.validation), self.suppression.threshold)
        if key not in _ALL:
            _ALL[key] = _without_attrs(Suppression(self.suppression.threshold).drop_small_groups(
                data, by=("region", "phase", "role")))
        return _ALL[key]

    # ----------------------------------------------------------- vocabulary
    def t(self, key: str, **values) -> str:
        return i18n.t(key, self.lang, **values)

    def t_count(self, key: str, count: int, **values) -> str:
        """:func:`osallisuus.i18n.t_count` in the report's language."""
        return i18n.t_count(key, self.lang, count, **values)

    def num(self, x, decimals: int = 1) -> str:
        return i18n.fmt_number(x, self.lang, decimals)

    def pct(self, x) -> str:
        return i18n.fmt_percent(x, self.lang)

    def phase_label(self, phase: str) -> str:
        return i18n.phase_label(phase, self.lang)

    def role_label(self, role: str) -> str:
        return i18n.role_label(role, self.lang)

    def instrument(self, instrument_id: str) -> Instrument:
        if instrument_id not in self._instruments:
            self._instruments[instrument_id] = load_instrument(instrument_id, self.settings)
        return self._instruments[instrument_id]

    def iname(self, instrument_id: str) -> str:
        return self.instrument(instrument_id).name[self.lang]

    # --------------------------------------------------------------- data
    def rows(self, instrument: str | None = None, phase: str | None = None) -> pd.DataFrame:
        """The region's answers to ``instrument`` in ``phase`` (either may be None: all), selected
        once per build: sections, tables, figures and tests ask for the same rows many times.
        Read them, do not change them."""
        key = (instrument or None, phase or None)
        if key not in self._rows:
            mask = pd.Series(True, index=self.data.index)
            if instrument:
                mask &= self.data["instrument"] == instrument
            if phase:
                mask &= self.data["phase"] == phase
            self._rows[key] = self.data[mask]
        return self._rows[key]

    def scores(self, instrument: str, phase: str | None = None) -> pd.DataFrame:
        """:func:`osallisuus.scoring.score` of the region's answers to ``instrument`` in ``phase``,
        computed once per build (the score table, the figure, the conclusions and the
        design table show the same scores). Read it, do not change it."""
        key = (instrument, phase or None)
        if key not in self._scores:
            from ..scoring import score
            self._scores[key] = score(self.rows(instrument, phase), self.instrument(instrument),
                                      settings=self.settings)
        return self._scores[key]

    def phases_present(self) -> list[str]:
        return [p for p in PHASES if (self.data["phase"] == p).any()]

    def instruments_in(self, phase: str) -> list[str]:
        """The phase's instruments with answers: in the plan's order, then any others the data has
        (found once per build)."""
        if phase not in self._instruments_in:
            present = [str(i) for i in self.rows(phase=phase)["instrument"].astype(str).unique()]
            planned = [i for i in self.plan.instruments(phase) if i in present]
            self._instruments_in[phase] = planned + [i for i in present if i not in planned]
        return list(self._instruments_in[phase])

    def answer_table(self, instrument: str, phase: str) -> pd.DataFrame:
        """The phase's answer table of ``instrument`` (:func:`osallisuus.tables.likert_table`, all
        roles, protected), made once: the table view shows it and :attr:`hidden_counts` reads
        what it hides. Read it, do not change it."""
        key = (instrument, phase)
        if key not in self._answer_tables:
            from ..tables import likert_table
            rows = self.rows(instrument, phase)
            self._answer_tables[key] = likert_table(rows, self.instrument(instrument), lang=self.lang,
                                                    suppression=self.suppression,
                                                    respondents=self.respondents_shown(phase, rows["role"]))
        return self._answer_tables[key]

    @functools.cached_property
    def respondent_counts(self) -> pd.Series:
        """Respondents per (phase, role), as the design table (Taulukko 1) prints them."""
        return self.data.groupby(["phase", "role"], observed=True)["respondent_id"].nunique()

    def respondents_in(self, phase: str) -> int:
        """The phase's respondents as the design table (Taulukko 1) adds them up: per role."""
        counts = self.respondent_counts
        return respondents_shown(counts, phase, [role for _, role in counts.index])

    def respondents_shown(self, phase: str, roles: pd.Series) -> int:
        """The respondents the design table shows for ``phase`` and the roles in ``roles``: what a
        reader knows of how many people could have answered a table of those roles."""
        return respondents_shown(self.respondent_counts, phase, roles)

    @functools.cached_property
    def hidden_counts(self) -> dict[tuple[str, str], dict[str, str]]:
        """Per (instrument, phase) with an answer table: item -> what its row hides ("cells",
        or "mean" when the mean is hidden too). Other tables of the same answers (the comparison
        of roles, the change table, figures) must not give those back (:mod:`osallisuus.disclosure`)."""
        from ..tables import TOTAL
        from .views import views_for
        from ..scoring import mean_gives_count, score_column
        out: dict = {}
        for phase in self.phases_present():
            for inst_id in self.instruments_in(phase):
                inst = self.instrument(inst_id)
                if "likert_table" not in views_for(inst):
                    # no answer table, but a one-question instrument's mean is its answers' mean: beside
                    # its n it may give a count (a yes/no question's 0.8 of 14 answers is 3 no)
                    if len(inst.rated_items) == 1 and mean_gives_count(
                            self.scores(inst_id, phase)[score_column(inst)], inst, self.suppression.threshold):
                        out[(inst_id, phase)] = {inst.rated_items[0]: "mean"}
                    continue
                marks = self.answer_table(inst_id, phase).attrs.get("marks")
                if marks is None:
                    continue
                hides = (marks != "").any(axis=1).tolist()
                out[(inst_id, phase)] = {str(i): "mean" if mean else "cells" for i, mean, hide
                                         in zip(marks.index, marks["mean"].tolist(), hides) if hide and i != TOTAL}
        return out

    def hidden_in(self, instrument: str, phase: str, item: str) -> str:
        """'' (nothing hidden), 'cells' or 'mean' for an item of the phase's answer table; the score
        (``__score__``) of a one-question instrument is its item's answer and hides what the item does."""
        rated = self.instrument(instrument).rated_items
        if str(item) == "__score__" and len(rated) == 1:
            item = rated[0]
        return self.hidden_counts.get((instrument, phase), {}).get(str(item), "")

    def n_hidden_in(self, instrument: str, phase: str, item: str) -> bool:
        """Whether the phase's answer table hides the item's n (``..``): with the respondents of
        the phase it would bound the item's "En osaa sanoa" answers. The comparison of roles and
        the change table then hide that phase's n of the item too (theirs add up to it)."""
        from .views import views_for
        if (instrument, phase) not in self.hidden_counts or "likert_table" not in views_for(self.instrument(instrument)):
            return False            # no answer table published: its n hides nothing (a one-question mean only)
        marks = self.answer_table(instrument, phase).attrs.get("marks")
        return marks is not None and str(item) in marks.index and marks.at[str(item), "n"] != ""

    def role_stats_shown(self, instrument: str, phase: str, item: str, groups) -> set[str]:
        """Of ``groups`` (the roles a comparison table prints), those whose n, mean and share of
        positive answers for ``item`` may be printed beside what the report shows elsewhere: the
        answer table's total (taken as known, hidden cells too), the design table's respondents
        of each role and the bars by role (:meth:`~osallisuus.suppression.Suppression.shown_groups`,
        taken as drawn).

        - A group's share gives its positive and other answers: each 0 or at least the threshold,
          and so what the groups printed or drawn leave of the total, or subtracting gives it back.
        - A group's n beside its respondents gives its "En osaa sanoa" and skipped answers
          together (s); with the item's "En osaa sanoa" total that may pin a group's "En osaa
          sanoa" to 1..threshold-1 (a review derived exactly 1 client from a client n of 21 beside
          22 respondents, nobody having skipped). Each group's smallest and largest possible
          number, between 0 and its s and adding up to the total, must not both lie in
          1..threshold-1; nor those of the groups not printed, together.

        Groups are left out, smallest first, until both hold."""
        key = (instrument, phase, str(item), tuple(groups))
        if key not in self._role_stats:
            self._role_stats[key] = self._role_stats_shown(instrument, phase, str(item), [str(g) for g in groups])
        return self._role_stats[key]

    def _role_tally(self, instrument: str, phase: str) -> dict[str, dict[str, np.ndarray]]:
        """Item -> role -> answers per scale code (valid codes, then the missing ones), counted once
        per instrument and phase."""
        key = ("tally", instrument, phase)
        if key not in self._role_stats:
            scale = self.instrument(instrument).scale
            codes = [p.code for p in scale.points] + [p.code for p in scale.missing]
            self._role_stats[key] = _tally_by_role(self.rows(instrument, phase), codes)
        return self._role_stats[key]

    def _role_stats_shown(self, instrument: str, phase: str, item: str, groups: list[str]) -> set[str]:
        sup, inst = self.suppression, self.instrument(instrument)
        counts = self._role_tally(instrument, phase).get(item, {})
        if not sup.small_counts or not counts:
            return set(groups)
        scale = inst.scale
        drawn = set(sup.shown_groups(counts))       # bars a figure may draw: their counts are public
        valid, positive = len(scale.points), np.isin([p.code for p in scale.points], list(scale.positive))
        respondents = {str(r): int(n) for (ph, r), n in self.respondent_counts.items() if str(ph) == phase}
        split = {g: np.array([v[:valid][positive].sum(), v[:valid][~positive].sum()]) for g, v in counts.items()}
        clean = lambda v: bool(np.all((v == 0) | ~np.atleast_1d(sup.is_small(v))))   # noqa: E731
        printed = [g for g in groups if g in counts and (g in drawn or clean(split[g]))]
        while True:
            extra = [g for g in printed if g not in drawn]
            rest = [split[g] for g in counts if g not in drawn and g not in printed]
            bad = [] if not rest or clean(np.sum(rest, axis=0)) else extra
            bad = bad or _cant_say_pinned(counts, drawn, extra, respondents, valid, sup)
            if not bad:
                return set(printed) | {g for g in groups if g not in counts}
            printed.remove(min(bad, key=lambda g: (int(counts[g][:valid].sum()), g)))

    @functools.cached_property
    def tests(self) -> dict:
        """Every test of the report, adjusted as one family (see :mod:`osallisuus.report.tests`)."""
        from .tests import report_tests
        return report_tests(self)

    # ------------------------------------------------------------ blocks
    def heading(self, key: str, level: int = 2, text: str | None = None) -> Heading:
        return Heading(text if text is not None else self.t(key), key.replace(".", "-"), level)

    def paragraph(self, text: str, style: str = "") -> Paragraph:
        return Paragraph(text, style)

    def table(self, caption: str, row_header: str, columns: list[str], rows: list[list], *,
              notes: list[str] | tuple = (), total_rows: list[int] | tuple = (), row_headers: int = 1) -> Table:
        """A numbered table; numbers are fixed in the order tables are made. ``row_headers``:
        how many leading cells of a row name it (phase and role: 2)."""
        self.tables += 1
        texts = [[str(c) for c in row] for row in rows]
        numeric = [all(is_numeric_text(r[j + 1]) for r in texts) if texts else False for j in range(len(columns))]
        return self.claim(Table(self.tables, caption, self.t("tab.table"), row_header, [str(c) for c in columns],
                                texts, f"taulukko-{self.tables}", [n for n in notes if n], list(total_rows), numeric,
                                wide=len(columns) > WIDE_TABLE_COLUMNS, row_headers=row_headers))

    def figure(self, ax, caption: str) -> Figure | Paragraph:
        """A numbered figure from a matplotlib Axes (closed afterwards) with its generated alt text;
        a figure in which every bar was withheld (:func:`osallisuus.figures.is_empty`) becomes a
        sentence saying why, since a figure of nothing tells the reader nothing."""
        from ..figures import alt_text, figure_image, figure_values, is_empty
        if is_empty(ax):
            import matplotlib.pyplot as plt
            plt.close(ax.figure)
            return self.figure_left_out(caption)
        self.figures += 1
        self.figure_of[self.current_view] = self.figures
        values, short = figure_values(ax), alt_text(ax, short=True)
        mime, data, alt = figure_image(ax, self.settings.figure_format)
        label = self.t("tab.figure")
        if values:
            short = self.t("fig.values_pointer", head=short or caption)
        return self.claim(Figure(self.figures, caption, label, alt or caption, mime, data, f"kuvio-{self.figures}",
                                 short_alt=short if values else "", values=values))

    def figure_left_out(self, caption: str) -> Paragraph:
        """The sentence that stands for a figure in which every bar was withheld (see :meth:`figure`;
        a view that knows it before drawing, e.g. by :func:`osallisuus.figures.likert_has_bars`,
        skips the drawing)."""
        return self.claim(Paragraph(self.t("rep.figure_none", caption=caption, k=self.suppression.threshold), "note"))

    def claim(self, block):
        """Record ``block`` as made by the current view; returns it."""
        if self.current_view and block is not None:
            self.view_of[id(block)] = self.current_view
        return block

    def making(self, name: str, instrument: str | None = None, phase: str | None = None) -> None:
        """Tag the tables and figures made next as view ``name`` (see :func:`view_key`)."""
        self.current_view = view_key(name, instrument, phase)


def _tally_by_role(rows: pd.DataFrame, codes: list) -> dict[str, dict[str, np.ndarray]]:
    """Item -> role -> answers of ``rows`` per code of ``codes`` (in that order), for the
    (item, role) pairs with any such answer, in the items' and roles' (category) order.
    Counted on the columns' codes: a groupby of three columns costs five times more."""
    position = {code: j for j, code in enumerate(codes)}
    column = np.array([position.get(code, -1) for code in rows["code"].tolist()], dtype=np.int64)
    item_code, items = pd.factorize(rows["item"], sort=True)
    role_code, roles = pd.factorize(rows["role"], sort=True)
    keep = (column >= 0) & (item_code >= 0) & (role_code >= 0)
    counts = np.zeros((len(items), len(roles), len(codes)), int)
    np.add.at(counts, (item_code[keep], role_code[keep], column[keep]), 1)
    out: dict[str, dict[str, np.ndarray]] = {}
    for i, r in zip(*np.nonzero(counts.any(axis=2))):
        out.setdefault(str(items[i]), {})[str(roles[r])] = counts[i, r].copy()
    return out


def _cant_say_pinned(counts: dict, drawn: set, printed: list, respondents: dict, valid: int, sup) -> list:
    """Of the groups ``printed`` (n shown, bar not drawn), those to leave out because a reader
    could put some "En osaa sanoa" count in 1..threshold-1 (see
    :meth:`ReportContext.role_stats_shown`): a printed group's own, or (all of ``printed`` then)
    that of the groups neither printed nor drawn, together. Each group's count lies between
    0 and its respondents less its n (a drawn group's is known), and they add up to the total."""
    missing = {g: int(v[valid:].sum()) for g, v in counts.items()}
    total = sum(missing.values())
    answered = {g: int(v[:valid].sum()) for g, v in counts.items()}
    known = drawn | set(printed)
    ranges = {g: (missing[g], missing[g]) for g in drawn}
    ranges |= {g: (0, respondents.get(g, answered[g] + missing[g]) - answered[g]) for g in printed}
    others = [g for g in respondents if g not in known]
    if others:                                  # their n together: the total's less those shown
        ranges["__others__"] = (0, sum(respondents[g] for g in others) - sum(answered.get(g, 0) for g in others))
    low, high = sum(lo for lo, _ in ranges.values()), sum(hi for _, hi in ranges.values())
    pinned = []
    for g, (lo, hi) in ranges.items():
        least, most = max(lo, total - (high - hi)), min(hi, total - (low - lo))
        if g not in drawn and least >= 1 and sup.is_small(most):     # 1 <= least <= most < threshold
            pinned.append(g)
    if "__others__" in pinned:
        return list(printed)
    return pinned

"""One region's assessment report, section by section.

:class:`RegionReport` holds a region's validated, suppressed data and renders each
section of a THL/Sokra-style assessment as accessible HTML. The notebook
``notebooks/alueraportti.ipynb`` only displays these sections one per cell; the
batch runner and benchmarks use the same object, so every number comes from one
place.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import html
import importlib.metadata
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import yaml

from . import __version__, i18n
from .errors import ReportError
from .i18n import fmt_number, fmt_percent, phase_label, role_label, t
from .instruments import load_instrument
from .privacy import safe_quote
from .regions import resolve_region
from .scoring import score, score_column
from .settings import Settings, load_settings
from .suppression import Suppression
from .survey import input_files
from .tables import html_table, likert_table, render_likert_table
from .validation import ValidationReport, validate

PHASES = ("baseline", "interim", "final")
SECTION_ORDER = ("header", "design", "baseline", "interim", "final", "change", "roles", "voices",
                 "practice", "conclusions", "appendix")
PACKAGES = ("osallisuus", "pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn",
            "papermill", "nbconvert", "weasyprint")

_CACHE: dict[tuple, ValidationReport] = {}
_REGION_SCORES: dict[tuple, pd.DataFrame] = {}
_ALL_SUPPRESSED: dict[tuple, pd.DataFrame] = {}


def resolve_path(path: str | os.PathLike | None, settings: Settings, default_key: str = "example_data") -> Path:
    """A user-given path: absolute, relative to the working directory if it exists there,
    else relative to the project root (so notebooks run from ``notebooks/`` find ``data/``)."""
    if path in (None, ""):
        return settings.path(default_key)
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p.resolve()
    return (settings.root / p).resolve()


def data_fingerprint(path: Path) -> str:
    """SHA-256 over the input files' names and bytes (and mapping / YAML files beside them)."""
    h = hashlib.sha256()
    files = input_files(path) if path.is_dir() else [path]
    extra = sorted(path.rglob("*.y*ml")) if path.is_dir() else []
    for f in sorted(set(files) | set(extra)):
        h.update(str(f.relative_to(path) if path.is_dir() else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def load_validated(path: Path, settings: Settings, lang: str) -> ValidationReport:
    """Validate the data once per process and file state (a warm worker reuses it across regions)."""
    files = input_files(path)
    key = (str(path), lang, tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = validate(path, settings=settings, lang=lang)
    return _CACHE[key]


@dataclass
class Section:
    """A piece of report HTML; shows itself in Jupyter."""

    html: str
    key: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


@dataclass
class RegionReport:
    """Everything one region's report shows.

    Parameters
    ----------
    region : str
        Region name, id or alias (see ``osallisuus regions``).
    data_path : path-like, optional
        File or folder of answers (default: the settings' example data).
    lang : {'fi', 'sv', 'en'}
    suppression_threshold : int, optional
        Default from the settings (5).
    """

    region: str
    data_path: str | os.PathLike | None = None
    lang: str = "fi"
    suppression_threshold: int | None = None
    settings: Settings | None = None
    _tables: int = field(default=0, init=False)
    _figures: int = field(default=0, init=False)
    findings_: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.settings = self.settings or load_settings()
        self.lang = i18n.check_lang(self.lang)
        self.region_info = resolve_region(self.region)
        self.region_name = self.region_info.label(self.lang)
        self.path = resolve_path(self.data_path, self.settings)
        if not self.path.exists():
            raise ReportError(f"data_path {self.path} does not exist")
        self.suppression = Suppression.from_settings(self.settings, self.suppression_threshold)
        self.validation = load_validated(self.path, self.settings, self.lang)
        if self.validation.exit_code == 2:
            raise ReportError("input unusable: " + "; ".join(self.validation.messages(5)))
        data = self.validation.data
        fi_name = self.region_info.name["fi"]
        mine = data[data["region"] == fi_name]
        if mine.empty:
            have = ", ".join(sorted(map(str, data["region"].unique())))
            raise ReportError(f"no answers for region {self.region!r} in {self.path}; regions with answers: {have}")
        self.n_rows_region = len(mine)
        self.data = self.suppression.drop_small_groups(mine, by=("phase", "role"))
        # other regions, suppressed the same way, for the cross-region comparison
        key = (id(self.validation), self.suppression.threshold)
        if key not in _ALL_SUPPRESSED:
            _ALL_SUPPRESSED.clear()
            _ALL_SUPPRESSED[key] = Suppression(self.suppression.threshold).drop_small_groups(
                data, by=("region", "phase", "role"))
        self.all_data = _ALL_SUPPRESSED[key]
        self.synthetic = self.path == self.settings.path("example_data").resolve() or "example" in self.path.parts
        self.generated = _dt.date.today()

    # ----------------------------------------------------------- helpers
    def _t(self, key: str, **kw) -> str:
        return t(key, self.lang, **kw)

    def _num(self, x, decimals: int = 1) -> str:
        return fmt_number(x, self.lang, decimals)

    def _table_caption(self, text: str) -> str:
        self._tables += 1
        return text

    def _figure(self, ax, caption: str) -> str:
        from .figures import figure_html
        self._figures += 1
        return figure_html(ax, f"{self._t('tab.figure')} {self._figures}. {caption}")

    def _html_table(self, frame: pd.DataFrame, caption: str, **kw) -> str:
        self._tables += 1
        return html_table(frame, f"{self._t('tab.table')} {self._tables}. {caption}", **kw)

    def _likert(self, instrument: str, caption: str, rows: pd.DataFrame | None = None, by: str | None = None) -> str:
        table = likert_table(self.data if rows is None else rows, instrument, by=by, lang=self.lang,
                             suppression=self.suppression)
        self._tables += 1
        return render_likert_table(table, self._tables, caption, self.lang, self.suppression,
                                   group_label=lambda g: role_label(g, self.lang))

    def _heading(self, key: str, level: int = 2) -> str:
        return f'<h{level} id="{key.replace(".", "-")}">{html.escape(self._t(key))}</h{level}>'

    def instruments_in(self, phase: str) -> list[str]:
        rows = self.data[self.data["phase"] == phase]
        return [str(i) for i in rows["instrument"].unique() if (rows["instrument"] == i).any()]

    def _rows(self, instrument: str, phase: str | None = None) -> pd.DataFrame:
        mask = self.data["instrument"] == instrument
        if phase:
            mask &= self.data["phase"] == phase
        return self.data[mask]

    def _iname(self, instrument: str) -> str:
        return load_instrument(instrument, self.settings).name[self.lang]

    def _provisional_note(self, instrument: str) -> str:
        inst = load_instrument(instrument, self.settings)
        if not inst.provisional:
            return ""
        return f'<p class="note">{html.escape(self._t("rep.provisional", instrument=inst.name[self.lang], note=inst.note.get(self.lang, "")))}</p>'

    def _score_by_role(self, instrument: str, phase: str) -> str:
        rows = self._rows(instrument, phase)
        if rows.empty:
            return ""
        from .change import phase_summary
        col = score_column(instrument)
        # means and t intervals per role and in total come from the one summary function
        per_role = phase_summary(rows, instrument, by="role", suppression=self.suppression)
        total = phase_summary(rows, instrument, suppression=self.suppression).assign(role=None)
        out = []
        for r in pd.concat([per_role, total], ignore_index=True).itertuples():
            label = role_label(r.role, self.lang) if r.role else self._t("tab.total")
            if r.suppressed or r.n == 0:
                out.append((label, self.suppression.symbol, self.suppression.symbol, "–"))
            else:
                out.append((label, str(int(r.n)), self._num(r.mean), f"{self._num(r.ci_low)}–{self._num(r.ci_high)}"))
        frame = pd.DataFrame(out, columns=["_", self._t("rep.col.n"), self._t("rep.col.mean"), self._t("rep.col.ci")]).set_index("_")
        caption = self._t("rep.cap.score_roles", instrument=self._iname(instrument), phase=phase_label(phase, self.lang).lower())
        note = self._t("rep.score_0_100") if col == "score_0_100" else ""
        inst = load_instrument(instrument, self.settings)
        if inst.reference.get("value") and col == "score_0_100":
            note += " " + self._t("rep.reference", label=inst.reference["label"][self.lang],
                                  value=self._num(inst.reference["value"]))
        return self._html_table(frame, caption, row_header=self._t("rep.col.role"), note=note.strip(),
                                bold_rows=[self._t("tab.total")])

    # ----------------------------------------------------------- sections
    def header(self) -> Section:
        parts = [f'<h1 id="top">{html.escape(self._t("rep.title", region=self.region_name))}</h1>',
                 f'<p class="subtitle">{html.escape(self._t("rep.subtitle", date=self.generated.strftime("%d.%m.%Y"), version=__version__))}</p>']
        if self.synthetic:
            parts.append(f'<p class="warning" role="note"><strong>{html.escape(self._t("rep.synthetic"))}</strong></p>')
        parts.append(f"<p>{html.escape(self._t('rep.intro'))}</p>")
        return Section("".join(parts), "header")

    def design(self) -> Section:
        names = {}
        for phase in PHASES:
            ids = self.instruments_in(phase)
            names[phase] = ", ".join(self._iname(i) for i in ids) or self._t("rep.none")
        parts = [self._heading("rep.h.design"),
                 f"<p>{html.escape(self._t('rep.design_text', **names))}</p>"]
        participants = self._participants()
        rows = []
        # groups removed by suppression are not listed at all (not even as "<5"): the note says
        # that small groups are left out, and no row, total or rate can give their size back
        counts = self.data.groupby(["phase", "role"], observed=True)["respondent_id"].nunique()
        for phase in PHASES:
            for role in [r for r in i18n.roles() if (phase, r) in counts.index]:
                n = int(counts[(phase, role)])
                invited = participants.get((phase, role))
                rate = fmt_percent(n / invited, self.lang) if invited else "–"
                rows.append((phase_label(phase, self.lang), role_label(role, self.lang), str(n),
                             str(invited) if invited else "–", rate))
        frame = pd.DataFrame(rows, columns=[self._t("rep.col.phase"), self._t("rep.col.role"), self._t("rep.col.respondents"),
                                            self._t("rep.col.participants"), self._t("rep.col.rate")])
        frame = frame.set_index(self._t("rep.col.phase"))
        parts.append(self._html_table(frame, self._t("rep.cap.design"), row_header=self._t("rep.col.phase"),
                                      note=self.suppression.note(self.lang)))
        return Section("".join(parts), "design")

    def _participants(self) -> dict:
        f = (self.path if self.path.is_dir() else self.path.parent) / "osallistujat.yaml"
        if not f.is_file():
            return {}
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
            fi = self.region_info.name["fi"]
            return {(r["phase"], r["role"]): int(r["participants"]) for r in doc.get("participants", [])
                    if resolve_region(r["region"]).name["fi"] == fi}
        except (KeyError, TypeError, ValueError, yaml.YAMLError) as exc:
            raise ReportError(f"{f}: cannot read participant counts: {exc}") from None

    def baseline(self) -> Section:
        parts = [self._heading("rep.h.baseline")]
        phase = "baseline"
        ids = self.instruments_in(phase)
        if not ids:
            return Section("".join(parts) + f"<p>{self._t('rep.no_data')}</p>", "baseline")
        from .figures import likert_bars
        for inst in ids:
            rows = self._rows(inst, phase)
            if load_instrument(inst, self.settings).percent_of_range:
                parts.append(self._score_by_role(inst, phase))
                continue
            parts.append(self._likert(inst, self._t("rep.cap.items", instrument=self._iname(inst), phase=phase_label(phase, self.lang).lower()), rows))
            ax = likert_bars(rows, inst, by="role", lang=self.lang, suppression=self.suppression)
            parts.append(self._figure(ax, self._t("rep.fig.palaute_roles")))
            parts.append(self._provisional_note(inst))
        return Section("".join(parts), "baseline")

    def interim(self) -> Section:
        parts = [self._heading("rep.h.interim")]
        ids = self.instruments_in("interim")
        if not ids:
            return Section("".join(parts) + f"<p>{self._t('rep.no_data')}</p>", "interim")
        from .reliability import reliability
        for inst_id in ids:
            inst = load_instrument(inst_id, self.settings)
            rows = self._rows(inst_id, "interim")
            parts.append(self._score_by_role(inst_id, "interim"))
            if inst.subscales:
                s = score(rows, inst, settings=self.settings)
                table = []
                for sid, sub in inst.subscales.items():
                    vals = s[sid].dropna()
                    n = len(vals)
                    table.append((sub["label"][self.lang], str(n) if not self.suppression.is_small(n) else self.suppression.symbol,
                                  self._num(vals.mean()) if not self.suppression.is_small(n) and n else self.suppression.symbol))
                frame = pd.DataFrame(table, columns=["_", self._t("rep.col.n"), self._t("rep.col.mean")]).set_index("_")
                parts.append(self._html_table(frame, self._t("rep.cap.subscales", instrument=inst.name[self.lang]),
                                              row_header=self._t("rep.col.area")))
            rel = reliability(rows, inst, by=("phase",), suppression=self.suppression)
            if len(rel):
                r = rel.iloc[0]
                frame = pd.DataFrame([(inst.name[self.lang], str(int(r["n"])), self._num(r["alpha"], 2),
                                       f"{self._num(r['ci_low'], 2)}–{self._num(r['ci_high'], 2)}")],
                                     columns=["_", self._t("rep.col.n"), self._t("rep.col.alpha"), self._t("rep.col.ci")]).set_index("_")
                parts.append(self._html_table(frame, self._t("rep.cap.reliability"), row_header=self._t("rep.col.item")))
            parts.append(self._provisional_note(inst_id))
        return Section("".join(parts), "interim")

    def final(self) -> Section:
        parts = [self._heading("rep.h.final")]
        ids = self.instruments_in("final")
        if not ids:
            return Section("".join(parts) + f"<p>{self._t('rep.no_data')}</p>", "final")
        if "osallisuusindikaattori" in ids:
            parts.append(self._heading("rep.h.final_esis", 3))
            parts.append(self._score_by_role("osallisuusindikaattori", "final"))
            parts.append(self._region_figure("osallisuusindikaattori", "final"))
            parts.append(self._provisional_note("osallisuusindikaattori"))
        if "osallisuus_24" in ids:
            parts.append(self._heading("rep.h.final_24", 3))
            parts.append(self._areas_table())
            parts.append(self._provisional_note("osallisuus_24"))
        if "arvio_4" in ids:
            parts.append(self._heading("rep.h.final_arvio", 3))
            parts.append(self._likert("arvio_4", self._t("rep.cap.arvio"), self._rows("arvio_4", "final")))
        if "kouluarvosana" in ids:
            s = score(self._rows("kouluarvosana", "final"), "kouluarvosana", settings=self.settings)["score"].dropna()
            if not self.suppression.is_small(len(s)) and len(s):
                parts.append(f"<p>{html.escape(self._t('rep.grade', mean=self._num(s.mean()), n=len(s)))}</p>")
        return Section("".join(parts), "final")

    def _areas_table(self) -> str:
        inst = load_instrument("osallisuus_24", self.settings)
        rows = self._rows("osallisuus_24", "final")
        s = score(rows, inst, settings=self.settings)
        areas = inst.extra.get("areas", {})
        table = []
        for aid, area in areas.items():
            items = [i.id for i in inst.items if i.area == aid]
            vals = s[aid].dropna() if aid in s else pd.Series(dtype=float)
            n = len(vals)
            texts = int(((rows["item"].isin(items)) & (rows["text"].fillna("") != "")).sum())
            small = self.suppression.is_small(n) or n == 0
            table.append((area["label"][self.lang], self.suppression.symbol if small else str(n),
                          self.suppression.symbol if small else self._num(vals.mean()), str(texts)))
        frame = pd.DataFrame(table, columns=["_", self._t("rep.col.n"), self._t("rep.col.mean"), self._t("rep.col.texts")]).set_index("_")
        note = inst.extra.get("rating_note", {}).get(self.lang, "")
        return self._html_table(frame, self._t("rep.cap.areas"), row_header=self._t("rep.col.area"), note=note)

    def region_table(self, instrument: str, phase: str) -> pd.DataFrame:
        """Mean score per region (all regions, each suppressed the same way) with a 95 % CI."""
        from .change import phase_summary
        # the same for every region of a batch: computed once per worker process
        key = (id(self.validation), instrument, phase, self.suppression.threshold)
        if key not in _REGION_SCORES:
            rows = self.all_data[(self.all_data["instrument"] == instrument) & (self.all_data["phase"] == phase)]
            _REGION_SCORES.clear() if len(_REGION_SCORES) > 16 else None
            _REGION_SCORES[key] = phase_summary(rows, instrument, by="region", suppression=self.suppression)
        summ = _REGION_SCORES[key]
        summ = summ[~summ["suppressed"].astype(bool) & (summ["n"] >= 2)]
        return pd.DataFrame({"region": [resolve_region(str(r)).label(self.lang) for r in summ["region"]],
                             "mean": summ["mean"].to_numpy(), "ci_low": summ["ci_low"].to_numpy(),
                             "ci_high": summ["ci_high"].to_numpy(), "n": summ["n"].to_numpy()},
                            columns=["region", "mean", "ci_low", "ci_high", "n"])

    def _region_figure(self, instrument: str, phase: str) -> str:
        from .figures import region_comparison
        table = self.region_table(instrument, phase)
        if len(table) < 2:
            return ""
        inst = load_instrument(instrument, self.settings)
        ref = inst.reference.get("value") if score_column(instrument) == "score_0_100" else None
        ref_label = inst.reference.get("label", {}).get(self.lang) if ref else None
        ax = region_comparison(table, lang=self.lang, highlight=self.region_name,
                               reference=(ref, ref_label) if ref else None)
        return self._figure(ax, self._t("rep.cap.regions", instrument=inst.name[self.lang], phase=phase_label(phase, self.lang).lower()))

    def _change_instruments(self) -> list[str]:
        return [i for i in self.data["instrument"].unique()
                if self.data.loc[self.data["instrument"] == i, "phase"].nunique() >= 2]

    def change(self) -> Section:
        from .change import change_between, ordinal_model, phase_summary
        from .figures import trajectory
        from .findings import describe_change
        parts = [self._heading("rep.h.change")]
        ids = [str(i) for i in self._change_instruments()]
        if not ids:
            return Section("".join(parts) + f"<p>{self._t('rep.no_data')}</p>", "change")
        for inst_id in ids:
            inst = load_instrument(inst_id, self.settings)
            phases = [p for p in PHASES if (self._rows(inst_id, p)).shape[0]]
            first, last = phases[0], phases[-1]
            ch = change_between(self.data, inst, first, last, suppression=self.suppression)
            score_row = ch[ch["item"] == "__score__"] if "item" in ch else ch
            rows = []
            for r in ch.itertuples():
                label = inst.name[self.lang] if getattr(r, "item", "__score__") == "__score__" else inst.item_text(r.item, self.lang)
                sup = bool(getattr(r, "suppressed", False))
                test = {"wilcoxon": "Wilcoxon", "mannwhitney": "Mann–Whitney"}.get(getattr(r, "test", ""), str(getattr(r, "test", "")))
                rows.append((label, test, self.suppression.symbol if sup else str(int(r.n)),
                             "–" if sup else self._num(r.mean_from), "–" if sup else self._num(r.mean_to),
                             "–" if sup else self._num(r.effect, 2), "–" if sup else _fmt_p(r.p, self.lang)))
            frame = pd.DataFrame(rows, columns=["_", self._t("rep.col.test"), self._t("rep.col.n"), self._t("rep.col.from"),
                                                self._t("rep.col.to"), self._t("rep.col.effect"), self._t("rep.col.p_plain")]).set_index("_")
            n_pairs = int(ch.loc[ch["test"] == "wilcoxon", "n"].max()) if (ch["test"] == "wilcoxon").any() else 0
            parts.append(self._html_table(frame, self._t("rep.cap.change", instrument=inst.name[self.lang],
                                                         from_phase=phase_label(first, self.lang).lower(),
                                                         to_phase=phase_label(last, self.lang).lower()),
                                          row_header=self._t("rep.col.item"), note=self._t("rep.linked", n_pairs=n_pairs)))
            for r in score_row.to_dict("records"):
                r.setdefault("from_phase", first)
                r.setdefault("to_phase", last)
                sentence = describe_change(pd.Series(r), inst, self.lang)
                if sentence:
                    self.findings_.append(sentence)
                    parts.append(f"<p>{html.escape(sentence)}</p>")
            summary = phase_summary(self.data, inst, by="role", suppression=self.suppression)
            ax = trajectory(summary, lang=self.lang, suppression=self.suppression)
            parts.append(self._figure(ax, self._t("rep.cap.trajectory", instrument=inst.name[self.lang])))
            om = ordinal_model(self.data, inst, suppression=self.suppression)
            if len(om):
                rows = [(_term_label(r.term, self.lang), self._num(r.odds_ratio, 2),
                         f"{self._num(r.ci_low, 2)}–{self._num(r.ci_high, 2)}", _fmt_p(r.p, self.lang)) for r in om.itertuples()]
                frame = pd.DataFrame(rows, columns=["_", self._t("rep.col.or"), self._t("rep.col.ci"), self._t("rep.col.p_plain")]).set_index("_")
                parts.append(self._html_table(frame, self._t("rep.cap.ordinal", instrument=inst.name[self.lang]),
                                              row_header=self._t("rep.col.term")))
        return Section("".join(parts), "change")

    def roles(self) -> Section:
        from .compare import compare_groups
        from .findings import describe_comparison
        parts = [self._heading("rep.h.roles")]
        any_table = False
        for phase in PHASES:
            for inst_id in self.instruments_in(phase):
                inst = load_instrument(inst_id, self.settings)
                if inst.answer == "text":
                    continue
                rows = self._rows(inst_id, phase)
                present = set(rows["role"].astype(str))
                if not {"client", "professional"} <= present:
                    continue
                cmp = compare_groups(rows, inst, by="role", groups=("client", "professional"), suppression=self.suppression)
                if cmp.empty or cmp["suppressed"].all():
                    continue
                any_table = True
                g1, g2 = role_label("client", self.lang), role_label("professional", self.lang)
                table = []
                for r in cmp.itertuples():
                    label = inst.name[self.lang] if r.item == "__score__" else inst.item_text(r.item, self.lang)
                    if r.suppressed:
                        table.append((label, self.suppression.symbol, self.suppression.symbol, "–", "–", "–", "–"))
                        continue
                    table.append((label, f"{int(r.n1)} / {int(r.n2)}", f"{self._num(r.mean1)} / {self._num(r.mean2)}",
                                  f"{fmt_percent(r.share_pos1, self.lang)} / {fmt_percent(r.share_pos2, self.lang)}",
                                  self._num(r.rank_biserial, 2), _fmt_p(r.p_holm, self.lang), ""))
                frame = pd.DataFrame([row[:6] for row in table],
                                     columns=["_", self._t("rep.col.n"), self._t("rep.col.mean"), self._t("rep.col.share_pos"),
                                              self._t("rep.col.effect"), self._t("rep.col.p")]).set_index("_")
                parts.append(self._html_table(frame, self._t("rep.cap.compare", instrument=inst.name[self.lang], group1=g1,
                                                             group2=g2, phase=phase_label(phase, self.lang).lower()),
                                              row_header=self._t("rep.col.item"), note=self._t("rep.compare_note")))
                for r in cmp.to_dict("records"):
                    sentence = describe_comparison(pd.Series(r), inst, self.lang)
                    if sentence:
                        self.findings_.append(sentence)
                        parts.append(f"<p>{html.escape(sentence)}</p>")
        if not any_table:
            parts.append(f"<p>{self._t('rep.no_data')}</p>")
        return Section("".join(parts), "roles")

    def voices(self, per_phase: int = 6) -> Section:
        parts = [self._heading("rep.h.voices"), f"<p>{html.escape(self._t('rep.voices_intro'))}</p>"]
        texts = self.data[self.data["text"].fillna("") != ""]
        if texts.empty:
            parts.append(f"<p>{self._t('rep.voices_none')}</p>")
            return Section("".join(parts), "voices")
        for phase in PHASES:
            sub = texts[texts["phase"] == phase]
            if sub.empty:
                continue
            # a deterministic spread of quotes: distinct texts, evenly through the data
            uniq = sub.drop_duplicates("text")
            pick = uniq.iloc[np.linspace(0, len(uniq) - 1, min(per_phase, len(uniq))).astype(int)]
            parts.append(f"<h3 id=\"voices-{phase}\">{html.escape(phase_label(phase, self.lang))}</h3>")
            for r in pick.itertuples():
                src = self._t("rep.quote_source", instrument=self._iname(str(r.instrument)), phase=phase_label(phase, self.lang).lower())
                parts.append(f'<figure class="quote"><blockquote lang="fi"><p>{safe_quote(r.text, self.lang)}</p></blockquote>'
                             f"<figcaption>{html.escape(src)}</figcaption></figure>")
        return Section("".join(parts), "voices")

    def practice(self) -> Section:
        from .practice import practice_section
        return Section(practice_section(self), "practice")

    def write_participant_page(self, output_dir: str | os.PathLike = "reports") -> Section:
        """Write the plain-language page for participants; shows nothing in the report."""
        from .participants import write_participant_page
        write_participant_page(self, output_dir)
        return Section("", "participants")

    def conclusions(self) -> Section:
        parts = [self._heading("rep.h.conclusions")]
        if self.findings_:
            parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in dict.fromkeys(self.findings_)) + "</ul>")
        else:
            parts.append(f"<p>{html.escape(self._t('rep.no_findings'))}</p>")
        parts.append(f"<p>{html.escape(self._t('rep.conclusion_feedback'))}</p>")
        return Section("".join(parts), "conclusions")

    def appendix(self) -> Section:
        parts = [self._heading("rep.h.appendix")]
        parts.append(f"<p>{html.escape(self._t('rep.app.validation', summary=self.validation.summary()))} "
                     f"{html.escape(self._t('rep.app.region_rows', n=self.n_rows_region))}</p>")
        if self.suppression.removed:   # said without naming the group or its size
            parts.append(f"<p>{html.escape(self._t('rep.app.suppressed', k=self.suppression.threshold))}</p>")
        else:
            parts.append(f"<p>{html.escape(self._t('rep.app.no_suppressed', k=self.suppression.threshold))}</p>")
        esis = load_instrument("osallisuusindikaattori", self.settings)
        parts.append(f"<p>{html.escape(self._t('rep.app.methods', min_answered=esis.min_answered))}</p>")
        parts.append(f"<p>{html.escape(self._t('rep.app.redaction'))}</p>")
        rows = []
        for inst_id in sorted(map(str, self.data["instrument"].unique())):
            inst = load_instrument(inst_id, self.settings)
            status = self._t(f"rep.app.wording.{'provisional' if inst.provisional else inst.wording}")
            rows.append((inst.name[self.lang], status, inst.source))
        frame = pd.DataFrame(rows, columns=["_", self._t("rep.app.wording"), self._t("rep.app.source")]).set_index("_")
        parts.append(self._html_table(frame, self._t("rep.app.instruments"), row_header=self._t("rep.app.instrument")))
        versions = []
        for pkg in PACKAGES:
            try:
                versions.append((pkg, importlib.metadata.version(pkg)))
            except importlib.metadata.PackageNotFoundError:
                continue
        frame = pd.DataFrame(versions, columns=["_", "version"]).set_index("_")
        frame.columns = [self._t("rep.app.version")]
        parts.append(self._html_table(frame, self._t("rep.app.versions"), row_header=self._t("rep.app.package")))
        parts.append(f"<p>{html.escape(self._t('rep.app.data_hash', hash=data_fingerprint(self.path)))}</p>")
        params = pd.DataFrame([("region", self.region), ("data_path", str(self.data_path or self.path)), ("lang", self.lang),
                               ("suppression_threshold", str(self.suppression.threshold))], columns=["_", "value"]).set_index("_")
        params.columns = [self._t("rep.app.value")]
        parts.append(self._html_table(params, self._t("rep.app.parameters"), row_header=self._t("rep.app.parameter")))
        return Section("".join(parts), "appendix")

    # ----------------------------------------------------------- whole report
    def sections(self) -> list[Callable[[], Section]]:
        """The report's sections in order (each a call returning a :class:`Section`)."""
        return [getattr(self, name) for name in SECTION_ORDER]

    def render(self) -> str:
        """All sections as one HTML fragment (what the notebook shows, without a kernel)."""
        return "\n".join(str(s()) for s in self.sections())

    def summary(self) -> dict:
        """One row of the cross-region index: counts and headline scores (suppressed data only)."""
        row = {"region": self.region_name, "region_id": self.region_info.id}
        for phase in PHASES:
            row[f"respondents_{phase}"] = int(self.data.loc[self.data["phase"] == phase, "respondent_id"].nunique())
        for inst_id, phase in (("kehittajaryhma_palaute", "baseline"), ("soc_g10", "interim"), ("osallisuusindikaattori", "final")):
            rows = self._rows(inst_id, phase)
            col = score_column(inst_id) if len(rows) else "score"
            s = score(rows, inst_id, settings=self.settings)[col].dropna() if len(rows) else pd.Series(dtype=float)
            row[f"{inst_id}_{phase}"] = float(s.mean()) if len(s) and not self.suppression.is_small(len(s)) else None
            row[f"{inst_id}_{phase}_n"] = int(len(s))
        return row


def _fmt_p(p, lang: str) -> str:
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "–"
    if p < 0.001:
        return "< 0,001" if lang in ("fi", "sv") else "< 0.001"
    return fmt_number(p, lang, 3)


def _term_label(term: str, lang: str) -> str:
    """'phase[T.final]' -> 'Loppuarviointi', 'role[T.professional]' -> 'Ammattilaiset'."""
    for prefix, func in (("phase", phase_label), ("role", role_label)):
        if term.startswith(prefix):
            code = term.split(".")[-1].rstrip("]") if "T." in term else term.split("_", 1)[-1]
            try:
                return func(code, lang)
            except KeyError:
                return term
    return term

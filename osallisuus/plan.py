"""The evaluation plan (arviointisuunnitelma): what a project measured and what its reports show.

A plan is a YAML file, by default ``arviointisuunnitelma.yaml`` beside the data (or the file
named by ``paths.plan`` in the settings)::

    project: {fi: Asiakkaiden osallisuus palveluohjauksessa}
    phases:
      baseline: {start: 2024-01-15, end: 2024-03-31, instruments: [palaute], roles: [client, professional]}
      final:    {instruments: [osallisuusindikaattori], roles: [client]}
    primary_outcomes:                 # the multiplicity family and the index columns
      - {instrument: osallisuusindikaattori, phase: final}
    comparisons: [roles, phases, regions]
    threshold: 5
    languages: [fi, sv]
    synthetic: false                  # true for simulated data: every report says so on top

``osallisuus plan DATA`` drafts one from the data (:func:`infer_plan`); without a plan file
the same inference is used, and the report says so.
"""
from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .errors import PlanError
from .fileio import load_yaml
from .instruments import load_instrument
from .settings import Settings, load_settings
from .vocab import LANGUAGES, PHASES, ROLES

__all__ = ["PLAN_FILE", "COMPARISONS", "Outcome", "PhasePlan", "EvaluationPlan", "load_plan", "infer_plan",
           "find_plan", "plan_for", "plan_to_yaml"]

PLAN_FILE = "arviointisuunnitelma.yaml"
COMPARISONS = ("roles", "phases", "regions", "groups")
_KEYS = ("project", "phases", "primary_outcomes", "comparisons", "threshold", "languages", "synthetic")
_PHASE_KEYS = ("start", "end", "instruments", "roles")


@dataclass(frozen=True)
class Outcome:
    instrument: str
    phase: str

    @property
    def key(self) -> str:
        return f"{self.instrument}_{self.phase}"


@dataclass(frozen=True)
class PhasePlan:
    phase: str
    instruments: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    start: _dt.date | None = None
    end: _dt.date | None = None


@dataclass(frozen=True)
class EvaluationPlan:
    """A project's evaluation plan.

    Attributes
    ----------
    phases : dict
        Phase code -> :class:`PhasePlan`, in the vocabulary's order.
    primary : tuple of Outcome
        Primary outcomes: adjusted together for multiplicity, shown in the index.
    source : str
        The plan file's name, or ``""`` when the plan was inferred from the data.
    """

    project: dict[str, str] = field(default_factory=dict)
    phases: dict[str, PhasePlan] = field(default_factory=dict)
    primary: tuple[Outcome, ...] = ()
    comparisons: tuple[str, ...] = COMPARISONS[:3]
    threshold: int | None = None
    languages: tuple[str, ...] = ("fi",)
    synthetic: bool = False
    source: str = ""

    def instruments(self, phase: str) -> tuple[str, ...]:
        entry = self.phases.get(phase)
        return entry.instruments if entry else ()

    def is_primary(self, instrument: str, phase: str | None = None) -> bool:
        return any(o.instrument == instrument and (phase is None or o.phase == phase) for o in self.primary)


# ------------------------------------------------------------------ reading
def _unknown(key: str, known, where: str) -> PlanError:
    close = difflib.get_close_matches(str(key), list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
    return PlanError(f"{where}: unknown key {key!r}{hint}")


def _list(value, where: str, allowed=None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanError(f"{where}: expected a list of names, got {value!r}")
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise PlanError(f"{where}: {', '.join(map(repr, bad))} not known; expected some of {', '.join(allowed)}")
    return tuple(value)


def _date(value, where: str) -> _dt.date | None:
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise PlanError(f"{where}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def _phase(code: str, doc, where: str, settings: Settings | None) -> PhasePlan:
    if code not in PHASES:
        raise _unknown(code, PHASES, where)
    doc = doc or {}
    if not isinstance(doc, dict):
        raise PlanError(f"{where}.{code}: expected a mapping with {', '.join(_PHASE_KEYS)}")
    for key in doc:
        if key not in _PHASE_KEYS:
            raise _unknown(key, _PHASE_KEYS, f"{where}.{code}")
    instruments = _list(doc.get("instruments"), f"{where}.{code}.instruments")
    for inst in instruments:
        load_instrument(inst, settings)   # an unknown instrument is an InstrumentError naming it
    return PhasePlan(code, instruments, _list(doc.get("roles"), f"{where}.{code}.roles", ROLES),
                     _date(doc.get("start"), f"{where}.{code}.start"), _date(doc.get("end"), f"{where}.{code}.end"))


def _outcomes(value, where: str, phases: dict) -> tuple[Outcome, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PlanError(f"{where}: expected a list of {{instrument, phase}}")
    out = []
    for n, o in enumerate(value):
        if not isinstance(o, dict) or set(o) != {"instrument", "phase"}:
            raise PlanError(f"{where}[{n}]: expected {{instrument: ..., phase: ...}}, got {o!r}")
        if o["phase"] not in phases or o["instrument"] not in phases[o["phase"]].instruments:
            raise PlanError(f"{where}[{n}]: {o['instrument']!r} is not an instrument of phase {o['phase']!r} in this plan")
        out.append(Outcome(o["instrument"], o["phase"]))
    return tuple(out)


def parse_plan(doc, where: str, settings: Settings | None = None) -> EvaluationPlan:
    """Check a plan document and build an :class:`EvaluationPlan` (errors name ``where`` and the key)."""
    if not isinstance(doc, dict):
        raise PlanError(f"{where}: a plan must be a YAML mapping")
    for key in doc:
        if key not in _KEYS:
            raise _unknown(key, _KEYS, where)
    raw_phases = doc.get("phases") or {}
    if not isinstance(raw_phases, dict) or not raw_phases:
        raise PlanError(f"{where}: phases: expected a mapping of phase -> instruments and roles")
    phases = {p: _phase(p, raw_phases[p], f"{where}: phases", settings) for p in PHASES if p in raw_phases}
    for code in raw_phases:
        if code not in PHASES:
            raise _unknown(code, PHASES, f"{where}: phases")
    threshold = doc.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 3):
        raise PlanError(f"{where}: threshold {threshold!r}: expected a whole number of at least 3")
    synthetic = doc.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise PlanError(f"{where}: synthetic {synthetic!r}: expected true or false")
    project = doc.get("project") or {}
    project = {lang: project for lang in LANGUAGES} if isinstance(project, str) else dict(project)
    return EvaluationPlan(project, phases, _outcomes(doc.get("primary_outcomes"), f"{where}: primary_outcomes", phases),
                          _list(doc.get("comparisons"), f"{where}: comparisons", COMPARISONS) or COMPARISONS[:3],
                          threshold, _list(doc.get("languages"), f"{where}: languages", LANGUAGES) or ("fi",),
                          synthetic, Path(where).name)


def load_plan(path: str | Path, settings: Settings | None = None) -> EvaluationPlan:
    path = Path(path)
    try:
        doc = load_yaml(path)
    except OSError as exc:
        raise PlanError(f"{path}: cannot read the plan: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: not valid YAML: {exc}") from None
    return parse_plan(doc, str(path), settings)


def find_plan(data_path: Path, settings: Settings) -> Path | None:
    """The plan beside the data, else ``paths.plan`` of the settings, else the plan file in the
    project folder (beside ``osallisuus.yaml``, where a new user had saved it), else None."""
    folder = data_path if data_path.is_dir() else data_path.parent
    if (folder / PLAN_FILE).is_file():
        return folder / PLAN_FILE
    configured = settings.raw.get("paths", {}).get("plan")
    if configured:
        path = settings.path("plan")
        if not path.is_file():
            raise PlanError(f"settings paths.plan: no plan file {path}")
        return path
    if settings.file is not None and (settings.root / PLAN_FILE).is_file():
        return settings.root / PLAN_FILE
    return None


# ---------------------------------------------------------------- inference
def _outcome_candidate(data: pd.DataFrame, ids: list[str], settings: Settings | None) -> str | None:
    """The phase's outcome: an instrument marked ``report.outcome`` (most respondents first), else
    the rated multi-item instrument with most respondents."""
    n = data.groupby("instrument", observed=True)["respondent_id"].nunique()
    insts = {i: load_instrument(i, settings) for i in ids}
    marked = [i for i in ids if insts[i].extra.get("report", {}).get("outcome")]
    rated = [i for i in ids if insts[i].answer == "rating" and len(insts[i].rated_items) > 1]
    pool = marked or rated
    return max(pool, key=lambda i: int(n.get(i, 0))) if pool else None


def infer_plan(data: pd.DataFrame, settings: Settings | None = None) -> EvaluationPlan:
    """A plan from validated data: phases, instruments and roles present; one primary outcome per phase."""
    phases, primary = {}, []
    for phase in PHASES:
        rows = data[data["phase"] == phase]
        if rows.empty:
            continue
        ids = [str(i) for i in rows["instrument"].astype(str).unique()]
        ids.sort(key=lambda i: (not load_instrument(i, settings).extra.get("report", {}).get("outcome"),
                                -rows.loc[rows["instrument"].astype(str) == i, "respondent_id"].nunique()))
        roles = [r for r in ROLES if (rows["role"].astype(str) == r).any()]
        dates = pd.to_datetime(rows["date"], errors="coerce").dropna() if "date" in rows else pd.Series([], dtype="datetime64[ns]")
        phases[phase] = PhasePlan(phase, tuple(ids), tuple(roles),
                                  dates.min().date() if len(dates) else None, dates.max().date() if len(dates) else None)
        best = _outcome_candidate(rows, ids, settings)
        if best:
            primary.append(Outcome(best, phase))
    language = (settings or load_settings()).language          # the project's own language first
    return EvaluationPlan({}, phases, tuple(primary), languages=(language,))


def plan_for(data_path: Path, data: pd.DataFrame, settings: Settings) -> EvaluationPlan:
    """The project's plan file if there is one, else the plan inferred from ``data``."""
    path = find_plan(data_path, settings)
    return load_plan(path, settings) if path else infer_plan(data, settings)


def plan_to_yaml(plan: EvaluationPlan, lang: str = "fi") -> str:
    """A commented plan file, e.g. to start from a draft made by :func:`infer_plan`; its
    comments in ``lang`` (the keys and codes stay as the file format has them)."""
    doc: dict = {"project": plan.project or {lang: "" for lang in plan.languages}}
    doc["phases"] = {}
    for code, p in plan.phases.items():
        entry: dict = {}
        if p.start:
            entry["start"] = p.start
        if p.end:
            entry["end"] = p.end
        entry["instruments"] = list(p.instruments)
        entry["roles"] = list(p.roles)
        doc["phases"][code] = entry
    doc["primary_outcomes"] = [{"instrument": o.instrument, "phase": o.phase} for o in plan.primary]
    doc["comparisons"] = list(plan.comparisons)
    if plan.threshold:
        doc["threshold"] = plan.threshold
    doc["languages"] = list(plan.languages)
    if plan.synthetic:
        doc["synthetic"] = True
    from .i18n import t
    head = "".join(f"# {line}\n" for line in t("plan.draft_head", lang, phases=", ".join(PHASES), roles=", ".join(ROLES),
                                                  comparisons=", ".join(COMPARISONS)).splitlines())
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)

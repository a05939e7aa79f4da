"""Instruments (questionnaires) and their response scales, read from YAML.

Built-in instruments live in ``osallisuus/data/instruments``; a project adds its
own by putting YAML files of the same form in a folder named in its settings
(``paths.instruments``). A schema check turns a bad file into an
:class:`~osallisuus.errors.InstrumentError` that names the file and the key.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InstrumentError
from .fileio import safe_load
from .settings import LANGUAGES, Settings, load_settings, package_data

WORDING_STATES = ("official", "seed", "provisional")
ANSWER_TYPES = ("rating", "text")
SCORING_METHODS = ("mean", "sum")
from .vocab import PHASES, vocabulary  # noqa: E402
MEASUREMENT_MODELS = ("reflective", "formative")


@dataclass(frozen=True)
class ScalePoint:
    code: float
    label: dict[str, str]


@dataclass(frozen=True)
class Scale:
    """A response scale: ordered answer points plus 'missing' answers such as En osaa sanoa."""

    id: str
    points: tuple[ScalePoint, ...]
    missing: tuple[ScalePoint, ...] = ()
    positive: tuple[float, ...] = ()
    provisional: bool = False
    source: str = ""
    anchors: dict = field(default_factory=dict)

    @property
    def valid_codes(self) -> list[float]:
        """Codes that count in means, in display order."""
        return [p.code for p in self.points]

    @property
    def missing_codes(self) -> list[float]:
        return [p.code for p in self.missing]

    @property
    def all_points(self) -> tuple[ScalePoint, ...]:
        return self.points + self.missing

    @property
    def low(self) -> float:
        return min(self.valid_codes)

    @property
    def high(self) -> float:
        return max(self.valid_codes)

    def labels(self, lang: str = "fi", include_missing: bool = True) -> list[str]:
        pts = self.all_points if include_missing else self.points
        return [p.label[lang] for p in pts]

    def label_of(self, code: float, lang: str = "fi") -> str:
        for p in self.all_points:
            if p.code == code:
                return p.label[lang]
        raise KeyError(code)

    def lookup(self) -> dict[str, float]:
        """Normalised answer text -> code: every label in every language, and the codes as text."""
        table: dict[str, float] = {}
        for p in self.all_points:
            for text in p.label.values():
                table[normalise_label(text)] = p.code
            code_text = _code_text(p.code)
            table.setdefault(code_text, p.code)
        return table


def missing_answer(instruments, lang: str = "fi") -> str:
    """The "can't say" answers of the instruments' scales as the questionnaires word them, for a
    sentence that quotes them: 'Vet inte' or 'Vet inte / Kan inte säga' (a Swedish review's
    report said "Kan inte säga" where the questionnaire and its table said "Vet inte"); the
    package's default label when no scale has one.

    >>> missing_answer([load_instrument("arvio_4")], "sv")
    'Kan inte säga'
    """
    from .i18n import t
    labels = dict.fromkeys(p.label.get(lang) or p.label.get("fi", "") for inst in instruments
                           for p in inst.scale.missing)
    return " / ".join(label for label in labels if label) or t("rep.missing_generic", lang)


def _code_text(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else str(code)


def normalise_label(text: Any) -> str:
    """Case- and space-insensitive form of an answer label, for matching."""
    return " ".join(str(text).replace("\u00a0", " ").split()).casefold()


def alias_table(section: str) -> dict[str, str]:
    """Every accepted spelling of a vocabulary section's codes ('phases', 'roles'), normalised
    (:func:`normalise_label`) -> the code: the code itself, its labels and its aliases."""
    table = {}
    for code, entry in vocabulary()[section].items():
        for spelling in (code, *entry["label"].values(), *entry.get("aliases", [])):
            table[normalise_label(spelling)] = code
    return table


@dataclass(frozen=True)
class Item:
    id: str
    text: dict[str, str]
    reverse: bool = False
    component: str | None = None
    area: str | None = None
    provisional: bool = False
    answer: str = "rating"  # "rating", or "text" for a free-text item (never scored)


@dataclass(frozen=True)
class Instrument:
    """One questionnaire: its items, response scale and scoring rule.

    Use :func:`load_instrument` rather than building one by hand.
    """

    id: str
    version: str
    name: dict[str, str]
    source: str
    wording: str
    scale: Scale
    items: tuple[Item, ...]
    answer: str = "rating"
    phase: str | None = None
    subscales: dict = field(default_factory=dict)
    scoring: dict = field(default_factory=dict)
    note: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    path: str = ""
    measurement: str | None = None
    reliability_reference: dict = field(default_factory=dict)   # published alpha and n: {alpha, n}

    @property
    def reflective(self) -> bool:
        """True only when the YAML declares ``measurement: reflective``: the items are
        indicators of one common trait, so internal consistency (Cronbach's alpha) is
        meaningful. ``formative`` sets (items that make up, rather than reflect, what is
        measured: checklists, ratings of separate parts) and undeclared instruments get no
        alpha."""
        return self.measurement == "reflective"

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def rated_items(self) -> list[str]:
        """Items answered on the scale (scored, tabulated): all but pure free-text items."""
        if self.answer == "text":  # open questions whose optional rating is still tabulated
            return self.item_ids
        return [i.id for i in self.items if i.answer == "rating"]

    @property
    def text_items(self) -> list[str]:
        return [i.id for i in self.items if i.answer == "text" or self.answer == "text"]

    @property
    def reverse_items(self) -> list[str]:
        return [i.id for i in self.items if i.reverse]

    @property
    def provisional(self) -> bool:
        """True when any wording (items or scale) is not confirmed from a published source."""
        return (self.wording == "provisional" or self.scale.provisional
                or any(i.provisional for i in self.items))

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise InstrumentError(
            f"instrument {self.id!r} has no item {item_id!r}; items are: {', '.join(self.item_ids)}")

    def item_text(self, item_id: str, lang: str = "fi") -> str:
        return self.item(item_id).text[lang]

    @property
    def method(self) -> str:
        return self.scoring.get("method", "mean")

    @property
    def min_answered(self) -> int:
        return int(self.scoring.get("min_answered", 1))

    @property
    def percent_of_range(self) -> bool:
        return bool(self.scoring.get("percent_of_range", False))


# --------------------------------------------------------------------- schema
def _need(doc: dict, key: str, where: str, types: type | tuple) -> Any:
    if key not in doc:
        raise InstrumentError(f"{where}: missing key {key!r}")
    value = doc[key]
    if not isinstance(value, types):
        names = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
        raise InstrumentError(f"{where}: key {key!r} is {_cut(value)}; expected {names}")
    return value


def _bool(doc: dict, key: str, where: str, default: bool = False) -> bool:
    """A YAML boolean; the string 'false' is an error, not true."""
    value = doc.get(key, default)
    if not isinstance(value, bool):
        raise InstrumentError(f"{where}: {key} is {_cut(value)}; expected true or false (a YAML boolean, no quotes)")
    return value


def _cut(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters (an expanded YAML alias can be huge)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _texts(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise InstrumentError(f"{where}: expected texts in {', '.join(LANGUAGES)}, got {_cut(value)}")
    missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        raise InstrumentError(f"{where}: text missing in {', '.join(missing)} (every text needs fi, sv and en)")
    return {lang: value[lang] for lang in LANGUAGES}


def _points(raw: Any, where: str) -> tuple[ScalePoint, ...]:
    if not isinstance(raw, list):
        raise InstrumentError(f"{where}: expected a list of {{code, label}}")
    out = []
    for n, p in enumerate(raw):
        w = f"{where}[{n}]"
        if not isinstance(p, dict):
            raise InstrumentError(f"{w}: expected {{code, label}}, got {_cut(p)}")
        code = _need(p, "code", w, (int, float))
        if isinstance(code, bool) or not math.isfinite(code):
            raise InstrumentError(f"{w}: code {code!r} is not a number")
        out.append(ScalePoint(float(code), _texts(p.get("label"), f"{w}.label")))
    return tuple(out)


def parse_scale(scale_id: str, doc: Any, where: str) -> Scale:
    """Check one scale definition and build a :class:`Scale`."""
    if not isinstance(doc, dict):
        raise InstrumentError(f"{where}: scale {scale_id!r} must be a mapping")
    points = _points(_need(doc, "points", where, list), f"{where}.points")
    if len(points) < 2:
        raise InstrumentError(f"{where}.points: a scale needs at least two points")
    missing = _points(doc.get("missing") or [], f"{where}.missing")
    codes = [p.code for p in points + missing]
    if len(set(codes)) != len(codes):
        raise InstrumentError(f"{where}: scale codes are not unique: {codes}")
    raw_positive = doc.get("positive") or []
    if not isinstance(raw_positive, list) or any(isinstance(c, bool) or not isinstance(c, (int, float)) for c in raw_positive):
        raise InstrumentError(f"{where}.positive: {_cut(raw_positive)}; expected a list of scale codes")
    positive = tuple(float(c) for c in raw_positive)
    bad = [c for c in positive if c not in [p.code for p in points]]
    if bad:
        raise InstrumentError(f"{where}.positive: codes {bad} are not points of the scale")
    return Scale(scale_id, points, missing, positive, _bool(doc, "provisional", where),
                 str(doc.get("source", "")), dict(doc.get("anchors") or {}))


@functools.lru_cache(maxsize=1)
def builtin_scales() -> dict[str, Scale]:
    path = package_data("scales.yaml")
    doc = safe_load(path.read_text(encoding="utf-8"))
    return {sid: parse_scale(sid, s, f"{path}:{sid}") for sid, s in doc.items()}


def parse_instrument(doc: Any, where: str, scales: dict[str, Scale] | None = None) -> Instrument:
    """Check an instrument document (a parsed YAML mapping) and build an :class:`Instrument`.

    Raises
    ------
    InstrumentError
        Naming ``where`` (the file) and the first key that is wrong.
    """
    scales = builtin_scales() if scales is None else scales
    if not isinstance(doc, dict):
        raise InstrumentError(f"{where}: an instrument file must be a YAML mapping")
    iid = _need(doc, "id", where, str)
    wording = _need(doc, "wording", where, str)
    if wording not in WORDING_STATES:
        raise InstrumentError(f"{where}: wording {_cut(wording)}; expected one of {', '.join(WORDING_STATES)}")
    answer = doc.get("answer", "rating")
    if answer not in ANSWER_TYPES:
        raise InstrumentError(f"{where}: answer {_cut(answer)}; expected one of {', '.join(ANSWER_TYPES)}")
    phase = doc.get("phase")
    if phase is not None and phase not in PHASES:
        raise InstrumentError(f"{where}: phase {_cut(phase)}; expected one of {', '.join(PHASES)}")
    raw_scale = _need(doc, "scale", where, (str, dict))
    if isinstance(raw_scale, str):
        if raw_scale not in scales:
            raise InstrumentError(f"{where}: scale {_cut(raw_scale)} is not defined; known scales: {', '.join(sorted(scales))}")
        scale = scales[raw_scale]
    else:
        scale = parse_scale(f"{iid}_scale", raw_scale, f"{where}.scale")
    raw_items = _need(doc, "items", where, list)
    if not raw_items:
        raise InstrumentError(f"{where}: items is empty")
    items, seen = [], set()
    for n, it in enumerate(raw_items):
        w = f"{where}: items[{n}]"
        if not isinstance(it, dict):
            raise InstrumentError(f"{w}: expected a mapping with id and text")
        item_id = _need(it, "id", w, str)
        if not item_id.strip():
            raise InstrumentError(f"{w}: id is empty")
        if item_id in seen:
            raise InstrumentError(f"{w}: duplicate item id {item_id!r}")
        seen.add(item_id)
        item_answer = it.get("answer", "rating" if answer == "rating" else "text")
        if item_answer not in ANSWER_TYPES:
            raise InstrumentError(f"{w}: answer {_cut(item_answer)}; expected one of {', '.join(ANSWER_TYPES)}")
        unknown = sorted(set(it) - ITEM_KEYS)
        if unknown:
            raise InstrumentError(f"{w}: unknown key {_cut(unknown[0])}{_nearest(unknown[0], ITEM_KEYS)}")
        items.append(Item(item_id, _texts(it.get("text"), f"{w}.text"), _bool(it, "reverse", w),
                          it.get("component"), it.get("area"), _bool(it, "provisional", w),
                          item_answer))
    subscales = doc.get("subscales") or {}
    if not isinstance(subscales, dict):
        raise InstrumentError(f"{where}: subscales must be a mapping")
    for sid, sub in subscales.items():
        w = f"{where}: subscales.{sid}"
        members = _need(sub, "items", w, list) if isinstance(sub, dict) else None
        if members is None:
            raise InstrumentError(f"{w}: expected a mapping with label and items")
        unknown = [m for m in members if m not in seen]
        if unknown:
            raise InstrumentError(f"{w}: unknown items {unknown}{_nearest(unknown[0], seen)}")
        if len(set(members)) != len(members):
            raise InstrumentError(f"{w}: an item is listed twice: {sorted({m for m in members if members.count(m) > 1})}")
        _texts(sub.get("label"), f"{w}.label")
    if not isinstance(doc.get("scoring") or {}, dict):
        raise InstrumentError(f"{where}: scoring must be a mapping")
    scoring = dict(doc.get("scoring") or {})
    if "percent_of_range" in scoring:
        _bool(scoring, "percent_of_range", f"{where}: scoring")
    method = scoring.get("method", "mean")
    if method not in SCORING_METHODS:
        raise InstrumentError(f"{where}: scoring.method {_cut(method)}; expected one of {', '.join(SCORING_METHODS)}")
    min_answered = scoring.get("min_answered", 1)
    n_scored = sum(1 for i in items if i.answer == "rating") if answer == "rating" else len(items)
    if isinstance(min_answered, bool):  # YAML true is not a count
        raise InstrumentError(f"{where}: scoring.min_answered {_cut(min_answered)}; expected a whole number from 1 to {n_scored}")
    if not isinstance(min_answered, int) or not 1 <= min_answered <= n_scored:
        raise InstrumentError(f"{where}: scoring.min_answered {min_answered!r}; expected a whole number from 1 to {n_scored}")
    measurement = doc.get("measurement")
    if measurement is not None and measurement not in MEASUREMENT_MODELS:
        raise InstrumentError(f"{where}: measurement {measurement!r}; expected one of {', '.join(MEASUREMENT_MODELS)}")
    known = {"id", "version", "name", "source", "wording", "translations", "note", "phase", "scale",
             "answer", "items", "subscales", "scoring", "terms", "reference", "reliability_reference",
             "measurement"}
    return Instrument(
        id=iid, version=str(doc.get("version", "")), name=_texts(doc.get("name"), f"{where}: name"),
        source=str(_need(doc, "source", where, str)), wording=wording, scale=scale, items=tuple(items),
        answer=answer, phase=phase, subscales=subscales, scoring=scoring,
        note=dict(doc.get("note") or {}), terms=dict(doc.get("terms") or {}),
        reference=dict(doc.get("reference") or {}),
        extra={k: v for k, v in doc.items() if k not in known}, path=where, measurement=measurement,
        reliability_reference=_reliability_reference(doc.get("reliability_reference"), where))


def _reliability_reference(value, where: str) -> dict:
    """``{alpha, n}`` of the instrument's published validation, or {}."""
    if value is None:
        return {}
    ok = isinstance(value, dict) and isinstance(value.get("alpha"), (int, float)) and 0 < value["alpha"] <= 1 \
        and isinstance(value.get("n"), int) and value["n"] > 0
    if not ok:
        raise InstrumentError(f"{where}: reliability_reference {_cut(value)}; expected {{alpha: 0.89, n: 847}} "
                              "(the published alpha, 0..1, and its number of respondents)")
    return {"alpha": float(value["alpha"]), "n": int(value["n"])}


ITEM_KEYS = {"id", "text", "reverse", "component", "area", "provisional", "answer", "note", "source"}


def _nearest(word: str, choices) -> str:
    import difflib
    close = difflib.get_close_matches(str(word), sorted(map(str, choices)), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _instrument_files(settings: Settings) -> list[Path]:
    files = sorted(package_data("instruments").glob("*.yaml"))
    for folder in settings.instrument_dirs:
        if not folder.is_dir():
            raise InstrumentError(f"paths.instruments: folder {folder} does not exist")
        files += sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return files


def _read(path: Path) -> Any:
    try:
        return safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InstrumentError(f"{path}: not valid YAML: {exc}") from None


_REGISTRIES: dict[tuple, dict[str, "Instrument"]] = {}


def _registry(settings: Settings) -> dict[str, Instrument]:
    key = (str(settings.root), tuple(map(str, settings.instrument_dirs)), repr(settings.raw.get("scoring")))
    if key in _REGISTRIES:
        return _REGISTRIES[key]
    registry: dict[str, Instrument] = {}
    for path in _instrument_files(settings):
        inst = parse_instrument(_read(path), str(path))
        override = settings.scoring_override(inst.id)
        if override:
            inst = parse_instrument({**_read(path), "scoring": {**inst.scoring, **override}}, str(path))
        registry[inst.id] = inst  # a project file with a built-in id replaces the built-in
    _REGISTRIES[key] = registry
    return registry


def list_instruments(settings: Settings | None = None) -> list[str]:
    """Ids of every instrument available: built-in ones and the project's own.

    Examples
    --------
    >>> "osallisuusindikaattori" in list_instruments()
    True
    """
    return sorted(_registry(settings or load_settings()))


def load_instrument(name: str, settings: Settings | None = None) -> Instrument:
    """The instrument with id ``name``.

    Raises
    ------
    InstrumentError
        If there is no such instrument; the message lists the valid ids.
    """
    registry = _registry(settings or load_settings())
    if name not in registry:
        raise InstrumentError(f"unknown instrument {name!r}; available: {', '.join(sorted(registry))}")
    return registry[name]


def load_instrument_file(path: str | Path) -> Instrument:
    """Check and load one instrument YAML file (for authors of new instruments)."""
    path = Path(path)
    if not path.is_file():
        raise InstrumentError(f"{path}: no such file")
    return parse_instrument(_read(path), str(path))

"""Validation of answers: every input row is accepted or quarantined with its reason.

:func:`validate` reads files (canonical or survey exports with a mapping), checks every
answer against the vocabulary, regions and instruments, and returns a
:class:`ValidationReport` whose counts always add up:
``answers read = accepted + quarantined``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import i18n
from .errors import InputFileError, OsallisuusError, OutputPathError
from .instruments import Instrument, list_instruments, load_instrument, normalise_label
from .reader import cut
from .regions import find_region, list_regions
from .settings import Settings, load_settings
from .vocab import PHASES
from .survey import CANONICAL, RawAnswers, input_files, read_answers

PHASE_ORDER = list(PHASES)
EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
QUARANTINE_COLUMNS = ["source_file", "source_row", "source_column", *CANONICAL, "reason"]

__all__ = ["validate", "read_survey", "check_answers", "ValidationReport", "FileSummary", "QUARANTINE_COLUMNS",
           "EXIT_OK", "EXIT_PROBLEMS", "EXIT_UNUSABLE"]


@dataclass
class FileSummary:
    path: str
    file_rows: int = 0
    answers: int = 0
    accepted: int = 0
    quarantined: int = 0
    encoding: str = ""
    delimiter: str = ""
    error: str = ""
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (translation key, fields)


@dataclass
class ValidationReport:
    """What :func:`validate` found.

    Attributes
    ----------
    data : DataFrame
        Accepted answers: canonical columns (region as its Finnish name, phase and role as
        canonical codes, ordered categoricals) plus ``code`` (the scale code, NaN when the
        answer is text only), ``missing_code`` (True for answers such as "En osaa sanoa"),
        ``source_file`` and ``source_row``.
    quarantine : DataFrame
        Rejected answers as read, with ``reason``.
    problems : DataFrame
        One row per problem: file, row, column, value, message.
    files : list of FileSummary
    """

    data: pd.DataFrame
    quarantine: pd.DataFrame
    problems: pd.DataFrame
    files: list[FileSummary] = field(default_factory=list)
    lang: str = "fi"
    quarantine_path: Path | None = None

    @property
    def n_accepted(self) -> int:
        return len(self.data)

    @property
    def n_quarantined(self) -> int:
        return len(self.quarantine)

    @property
    def n_input(self) -> int:
        return sum(f.answers for f in self.files)

    @property
    def unusable_files(self) -> list[FileSummary]:
        return [f for f in self.files if f.error]

    @property
    def exit_code(self) -> int:
        """0 all valid, 1 problems found (valid rows still usable), 2 input unusable."""
        if self.unusable_files or not self.files or self.n_input == 0:
            return EXIT_UNUSABLE
        return EXIT_PROBLEMS if self.n_quarantined or len(self.problems) else EXIT_OK

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK

    def messages(self, limit: int | None = None) -> list[str]:
        """Problem messages, each naming file, row, column and value."""
        lang = self.lang
        out = [i18n.t("val.file_unusable", lang, message=f.error) for f in self.unusable_files]
        out += [f"{f.path}: {i18n.t(key, lang, **params)}" for f in self.files for key, params in f.notes]
        # one line per file row and problem: a wide export's row holds many answers
        grouped = (self.problems.groupby(["file", "row", "column", "message"], sort=False).size()
                   .reset_index(name="answers")) if len(self.problems) else self.problems.assign(answers=[])
        rows = grouped if limit is None else grouped.head(max(0, limit - len(out)))
        for r in rows.itertuples():
            text = i18n.t("val.row_at", lang, file=r.file, row=r.row, column=r.column, message=r.message)
            if r.answers > 1:
                text += " " + i18n.t("val.answers", lang, n=r.answers)
            out.append(text)
        return out

    def summary(self) -> str:
        return i18n.t("val.summary", self.lang, files=len(self.files), unusable=len(self.unusable_files),
                      total=self.n_input, accepted=self.n_accepted, quarantined=self.n_quarantined)

    def write_quarantine(self, path: str | Path) -> Path:
        """Write the quarantined rows (with ``reason``) as a UTF-8 CSV with ``;``.

        Text cells that a spreadsheet would run as a formula are neutralised
        (:func:`osallisuus.fileio.write_csv`).
        """
        from .fileio import write_csv
        path = Path(path)
        try:
            write_csv(self.quarantine, path, sep=";")
        except OSError as exc:
            raise OutputPathError(i18n.t("val.q_cannot_write", self.lang, path=path,
                                         reason=exc.strerror or exc)) from None
        self.quarantine_path = path
        return path


def quarantine_target(path: str | Path, settings: Settings, inputs: Iterable[str | Path],
                      lang: str = "fi") -> Path:
    """Where the quarantine file named ``path`` goes, checked before anything is read or written.

    A bare file name (``karanteeni.csv``) goes into ``paths.quarantine`` of the settings
    (git-ignored); a path with a folder is taken as given. The file may not be, or lie
    inside, an input (a file or folder being validated), and every existing parent must be
    a folder.

    Raises
    ------
    OutputPathError
        Naming the path and what is wrong.
    """
    given = Path(path)
    target = settings.path("quarantine") / given if len(given.parts) == 1 else given
    target = target.resolve()
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputPathError(i18n.t("val.q_under_file", lang, path=path, parent=parent))
    if target.is_dir():
        raise OutputPathError(i18n.t("val.q_is_folder", lang, path=path))
    quarantine_dir = settings.path("quarantine").resolve()
    for item in map(Path, inputs):
        src = item.resolve()
        if target == src or (target.exists() and src.exists() and target.samefile(src)):
            raise OutputPathError(i18n.t("val.q_overwrites", lang, path=path, input=item, folder=quarantine_dir))
        if src.is_dir() and src in target.parents and quarantine_dir not in (target, *target.parents):
            raise OutputPathError(i18n.t("val.q_inside_input", lang, path=path, input=item, folder=quarantine_dir))
    return target


# ------------------------------------------------------------------ lookups
def _alias_table(section: str) -> dict[str, str]:
    table = {}
    for code, entry in i18n.vocabulary()[section].items():
        table[normalise_label(code)] = code
        for label in entry["label"].values():
            table[normalise_label(label)] = code
        for alias in entry.get("aliases", []):
            table[normalise_label(alias)] = code
    return table


def _map_uniques(values: np.ndarray, func) -> tuple[np.ndarray, np.ndarray]:
    """Apply ``func`` to each distinct value only: (mapped per row, uniques)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    mapped = np.array([func(u) for u in uniques], dtype=object)
    return mapped[codes], uniques


def _strip(values: np.ndarray) -> np.ndarray:
    out, _ = _map_uniques(values, lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    return out


_PLAIN_NUMBER = re.compile(r"[+\-\u2212]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H.%M", "%d.%m.%Y %H.%M.%S",
                "%d.%m.%Y klo %H.%M", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S")


def _parse_number(text: str) -> float | None:
    """A code written in plain decimal form ('4', '3,0', '-1'); not '4e0', '1_0' or full-width digits."""
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", ".").replace("\u2212", "-"))


def _parse_date(text: str):
    """A date in ISO, Finnish (23.11.2026 17.33) or Google Forms (2026/11/23 5:33:00 PM GMT+2) form."""
    if not text:
        return pd.NaT
    text = re.sub(r"\s+(GMT|UTC|[A-Z]{2,4})([+-]\d{1,2}(:?\d{2})?)?$", "", text.strip())
    for fmt in DATE_FORMATS:
        try:
            return pd.Timestamp(pd.to_datetime(text, format=fmt))
        except (ValueError, TypeError):
            continue
    return None


class _Problems:
    """Collects (row position, field, message) triples without building per-row objects."""

    def __init__(self) -> None:
        self.pos: list[np.ndarray] = []
        self.field: list[str] = []
        self.msg: list[np.ndarray] = []

    def add(self, positions: np.ndarray, messages: np.ndarray, field_name: str) -> None:
        if len(positions):
            self.pos.append(positions)
            self.field.append(field_name)
            self.msg.append(messages)

    def frame(self) -> pd.DataFrame:
        if not self.pos:
            return pd.DataFrame({"_pos": np.array([], dtype=np.int64), "field": [], "message": []})
        return pd.DataFrame({
            "_pos": np.concatenate(self.pos),
            "field": np.concatenate([np.full(len(p), f, dtype=object) for p, f in zip(self.pos, self.field)]),
            "message": np.concatenate(self.msg),
        })


def _messages_for(values: np.ndarray, bad: np.ndarray, make) -> tuple[np.ndarray, np.ndarray]:
    positions = np.flatnonzero(bad)
    msgs, _ = _map_uniques(values[positions], make) if len(positions) else (np.array([], dtype=object), None)
    return positions, msgs


# ----------------------------------------------------------------- checking
def check_answers(frame: pd.DataFrame, settings: Settings | None = None, lang: str = "fi"
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Check raw answers (text, canonical columns plus source columns).

    Returns
    -------
    (accepted, quarantine, problems)
    """
    settings = settings or load_settings()
    n = len(frame)
    cols = {c: _strip(frame[c].to_numpy(dtype=object)) for c in CANONICAL}
    problems = _Problems()
    tr = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731

    # respondent id
    problems.add(np.flatnonzero(cols["respondent_id"] == ""),
                 np.full(int((cols["respondent_id"] == "").sum()), tr("val.empty_id"), dtype=object), "respondent_id")

    # region, phase, role: aliases -> canonical
    examples = ", ".join(r.name["fi"] for r in list_regions() if r.pilot_2017)

    def region_name(v):
        r = find_region(v) if v else None
        return r.name["fi"] if r else None
    region, _ = _map_uniques(cols["region"], region_name)
    bad = np.equal(region, None)
    problems.add(*_messages_for(cols["region"], bad, lambda v: tr("val.unknown_region", value=cut(v), examples=examples)), "region")

    for fld, section in (("phase", "phases"), ("role", "roles")):
        table = _alias_table(section)
        mapped, _ = _map_uniques(cols[fld], lambda v, t=table: t.get(normalise_label(v)))
        expected = ", ".join(i18n.vocabulary()[section]) + " / " + ", ".join(
            e["label"]["fi"].lower() for e in i18n.vocabulary()[section].values())
        bad = np.equal(mapped, None)
        problems.add(*_messages_for(cols[fld], bad, lambda v, k=f"val.unknown_{fld}", e=expected: tr(k, value=cut(v), expected=e)), fld)
        cols[f"_{fld}"] = mapped

    # instrument and item
    known = list_instruments(settings)
    inst_ok = np.isin(cols["instrument"], known)
    problems.add(*_messages_for(cols["instrument"], ~inst_ok,
                                lambda v: tr("val.unknown_instrument", value=cut(v), expected=", ".join(known))), "instrument")
    code = np.full(n, np.nan)
    missing_code = np.zeros(n, dtype=bool)
    text = cols["text"].copy()
    value = cols["value"]
    for inst_id in pd.unique(cols["instrument"][inst_ok]):
        inst: Instrument = load_instrument(inst_id, settings)
        rows = np.flatnonzero(cols["instrument"] == inst_id)
        items = cols["item"][rows]
        item_ok = np.isin(items, inst.item_ids)
        bad_rows = rows[~item_ok]
        problems.add(*(_messages_for(cols["item"], np.isin(np.arange(n), bad_rows),
                                     lambda v, i=inst: tr("val.unknown_item", value=cut(v), instrument=i.id,
                                                          expected=", ".join(i.item_ids)))), "item")
        rows = rows[item_ok]
        is_text_item = np.isin(cols["item"][rows], [i.id for i in inst.items if i.answer == "text"]) \
            if inst.answer == "rating" else np.zeros(len(rows), dtype=bool)
        # A pure free-text item takes no rating: text typed into `value` is kept as the text.
        tr_rows = rows[is_text_item]
        move = tr_rows[(value[tr_rows] != "") & (text[tr_rows] == "")]
        text[move] = value[move]
        empty_text_item = tr_rows[text[tr_rows] == ""]
        problems.add(empty_text_item, np.full(len(empty_text_item), tr("val.empty_answer"), dtype=object), "text")
        rated = rows[~is_text_item]
        lookup = inst.scale.lookup()
        valid_codes = set(inst.scale.valid_codes) | set(inst.scale.missing_codes)

        def to_code(v, lookup=lookup, valid=valid_codes):
            if v == "":
                return np.nan
            c = lookup.get(normalise_label(v))
            if c is None:
                num = _parse_number(v)
                c = num if num is not None and num in valid else None
            return c
        mapped, _ = _map_uniques(value[rated], to_code)
        unknown = np.equal(mapped, None)
        scale = inst.scale
        codes_txt = "–".join(str(int(c)) if float(c).is_integer() else str(c) for c in (scale.low, scale.high))
        if scale.missing_codes:
            codes_txt += " / " + ", ".join(str(int(c)) for c in scale.missing_codes)
        labels_txt = ", ".join(scale.labels(lang))
        bad_pos = rated[unknown]
        msgs, _ = _map_uniques(value[bad_pos], lambda v, s=scale.id, c=codes_txt, lab=labels_txt:
                               tr("val.bad_value", value=cut(v), scale=s, codes=c, labels=lab)) if len(bad_pos) else (np.array([], dtype=object), None)
        problems.add(bad_pos, msgs, "value")
        good = rated[~unknown]
        codes_good = mapped[~unknown].astype(float)
        code[good] = codes_good
        missing_code[good] = np.isin(codes_good, scale.missing_codes)
        empty = good[np.isnan(codes_good) & (text[good] == "")]
        problems.add(empty, np.full(len(empty), tr("val.empty_answer"), dtype=object), "value")

    prob = problems.frame()
    bad_rows = np.zeros(n, dtype=bool)
    bad_rows[prob["_pos"].to_numpy(dtype=np.int64)] = True

    # dates (optional): a bad date is named and left out; the answer itself is kept
    dates, _ = _map_uniques(cols["date"], _parse_date)
    bad_date = np.equal(dates, None)
    dates[bad_date] = pd.NaT
    date_pos, date_msg = _messages_for(cols["date"], bad_date, lambda v: tr("val.bad_date", value=cut(v)))
    if len(date_pos):
        prob = pd.concat([prob, pd.DataFrame({"_pos": date_pos, "field": "date", "message": date_msg})],
                         ignore_index=True)

    # duplicates among rows that are otherwise fine: keep the first, quarantine the rest
    key = pd.DataFrame({"r": cols["respondent_id"], "p": cols["_phase"], "i": cols["instrument"], "q": cols["item"]})
    ok_idx = np.flatnonzero(~bad_rows)
    dup_mask = key.iloc[ok_idx].duplicated(keep="first").to_numpy()
    if dup_mask.any():
        sub = key.iloc[ok_idx].copy()
        sub["row"] = frame["source_row"].to_numpy()[ok_idx]
        sub["file"] = frame["source_file"].to_numpy()[ok_idx]
        grouped = sub.groupby(["r", "p", "i", "q"], sort=False)
        first_row = grouped["row"].transform("first").to_numpy()
        first_file = grouped["file"].transform("first").to_numpy()
        dpos = ok_idx[dup_mask]
        dmsg = np.array([tr("val.duplicate", respondent=cut(cols["respondent_id"][p]), instrument=cols["instrument"][p],
                             item=cols["item"][p], phase=cols["_phase"][p], first=fr, file=ff)
                         for p, fr, ff in zip(dpos, first_row[dup_mask], first_file[dup_mask])], dtype=object)
        extra = pd.DataFrame({"_pos": dpos, "field": "respondent_id", "message": dmsg})
        prob = pd.concat([prob, extra], ignore_index=True)
        bad_rows[dpos] = True

    # problems: name file, row, column (the file's own header) and value
    files = frame["source_file"].to_numpy(dtype=object)
    src_col = frame["source_column"].to_numpy(dtype=object)
    column_of = frame.attrs.get("columns", {})
    pos = prob["_pos"].to_numpy(dtype=np.int64)
    fields_ = prob["field"].to_numpy(dtype=object)
    prob_cols = [src_col[p] if f == "value" else column_of.get(files[p], {}).get(f, f) for p, f in zip(pos, fields_)]
    problems_df = pd.DataFrame({
        "file": files[pos], "row": frame["source_row"].to_numpy()[pos], "column": prob_cols,
        "value": [cut(cols[f][p]) if f in cols else "" for p, f in zip(pos, fields_)],
        "message": prob["message"].to_numpy(dtype=object), "_pos": pos,
    }).sort_values(["file", "row", "_pos"], kind="stable").drop(columns="_pos").reset_index(drop=True)

    # quarantine: rows as read, with every reason
    quarantined = prob[bad_rows[prob["_pos"].to_numpy(dtype=np.int64)]]
    reasons = quarantined.groupby("_pos", sort=True)["message"].agg("; ".join)
    q_idx = reasons.index.to_numpy(dtype=np.int64)
    quarantine = frame.iloc[q_idx][["source_file", "source_row", "source_column", *CANONICAL]].copy()
    quarantine["reason"] = reasons.to_numpy()
    quarantine = quarantine.reset_index(drop=True)

    keep = np.flatnonzero(~bad_rows)
    phase_cat = pd.CategoricalDtype(PHASE_ORDER, ordered=True)
    role_cat = pd.CategoricalDtype(i18n.roles(), ordered=True)
    accepted = pd.DataFrame({
        "respondent_id": pd.Series(cols["respondent_id"][keep], dtype="string"),
        "region": pd.Categorical(region[keep].astype(str)),
        "phase": pd.Categorical(cols["_phase"][keep].astype(str), dtype=phase_cat),
        "role": pd.Categorical(cols["_role"][keep].astype(str), dtype=role_cat),
        "instrument": pd.Categorical(cols["instrument"][keep].astype(str)),
        "item": pd.Categorical(cols["item"][keep].astype(str)),
        "value": pd.Series(value[keep], dtype="string"),
        "group": pd.Categorical(cols["group"][keep].astype(str)),
        "date": pd.to_datetime(pd.Series(dates[keep]), errors="coerce"),
        "text": pd.Series(text[keep], dtype="string"),
        "code": code[keep],
        "missing_code": missing_code[keep],
        "source_file": pd.Categorical(files[keep].astype(str)),
        "source_row": frame["source_row"].to_numpy()[keep],
    })
    return accepted, quarantine, problems_df


def _read_one(f: Path, mapping, settings: Settings, summaries: list[FileSummary]) -> RawAnswers | None:
    """Read one file; a file that cannot be used at all is recorded in ``summaries`` with its reason."""
    try:
        raw = read_answers(f, mapping, settings)
    except InputFileError as exc:
        summaries.append(FileSummary(str(f), error=str(exc)))
        return None
    except OsallisuusError as exc:  # a mapping error names the mapping; say which data file it was for
        summaries.append(FileSummary(str(f), error=f"{f}: {exc}"))
        return None
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:  # last resort: never a traceback
        summaries.append(FileSummary(str(f), error=f"{f}: cannot read the file ({type(exc).__name__}: {cut(exc, 200)})"))
        return None
    summaries.append(FileSummary(str(f), raw.file_rows, len(raw.frame) + len(raw.rejected), encoding=raw.encoding,
                                 delimiter=raw.delimiter, notes=list(raw.notes)))
    return raw


def _rejected_rows(raws: list[RawAnswers], lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """File rows that gave no answer: (quarantine rows, problem rows)."""
    q, p = [], []
    for raw in raws:
        for r in raw.rejected:
            msg = i18n.t(r.key, lang, **r.params)
            q.append({"source_file": str(raw.path), "source_row": r.row, "source_column": r.column,
                      **{c: "" for c in CANONICAL}, "value": r.value, "reason": msg})
            p.append({"file": str(raw.path), "row": r.row, "column": r.column, "value": r.value, "message": msg})
    return pd.DataFrame(q, columns=QUARANTINE_COLUMNS), pd.DataFrame(p, columns=["file", "row", "column", "value", "message"])


def read_survey(path: str | Path, mapping: str | Path | dict | None = None, **validate_kw: Any) -> pd.DataFrame:
    """Read a survey export or canonical file and return its valid answers.

    A shortcut for ``validate(path, mapping=mapping).data``: rows that fail validation
    are left out (use :func:`osallisuus.validate` to see and quarantine them).

    Parameters
    ----------
    path : path-like
        CSV (any delimiter; UTF-8, UTF-16, Windows-1252 or Mac Roman), XLSX, XLS or ODS.
    mapping : path-like or dict, optional
        Mapping YAML for a survey export (see :func:`osallisuus.mapping.load_mapping`).
    """
    return validate(path, mapping=mapping, **validate_kw).data


def validate(paths: str | Path | Iterable, *, mapping: str | Path | dict | None = None,
             settings: Settings | None = None, lang: str | None = None,
             quarantine: str | Path | None = None) -> ValidationReport:
    """Read and validate answer files.

    Parameters
    ----------
    paths : path-like or list
        Files or folders (searched recursively for CSV/XLSX). An export with a
        ``<name>.mapping.yaml`` beside it is read through that mapping.
    mapping : path-like or dict, optional
        A mapping applied to every file named (instead of side-car mappings).
    lang : {'fi', 'sv', 'en'}, optional
        Language of the problem messages (default: the settings' language).
    quarantine : path-like, optional
        Write the rejected rows here (always written when given, even if empty). A bare
        file name goes into ``paths.quarantine``; see :func:`quarantine_target`.

    Returns
    -------
    ValidationReport
        ``n_input == n_accepted + n_quarantined`` always holds.

    Examples
    --------
    >>> report = validate("data/example")            # doctest: +SKIP
    >>> report.exit_code, report.n_input == report.n_accepted + report.n_quarantined  # doctest: +SKIP
    (0, True)
    """
    settings = settings or load_settings()
    lang = i18n.check_lang(lang or settings.language)
    given = list(paths) if not isinstance(paths, (str, Path)) else [paths]
    files = input_files(given)
    quarantine_dir = settings.path("quarantine").resolve()
    named = {Path(p).resolve() for p in given}
    files = [f for f in files   # quarantine files of earlier runs found in a folder are not answers
             if f.resolve() in named or quarantine_dir not in f.resolve().parents]
    if quarantine is not None:
        extra = [mapping] if isinstance(mapping, (str, Path)) else []
        quarantine = quarantine_target(quarantine, settings, [*given, *files, *extra], lang)
    summaries: list[FileSummary] = []
    raws: list[RawAnswers] = []
    for f in files:
        raw = _read_one(f, mapping, settings, summaries)
        if raw is not None:
            raws.append(raw)
    framed = [r for r in raws if len(r.frame)]
    if framed:
        frame = pd.concat([r.frame for r in framed], ignore_index=True) if len(framed) > 1 else framed[0].frame
        frame.attrs["columns"] = {str(r.path): r.columns for r in framed}
        accepted, quarantined, problems = check_answers(frame, settings, lang)
    else:
        accepted = pd.DataFrame(columns=[*CANONICAL, "code", "missing_code", "source_file", "source_row"])
        quarantined = pd.DataFrame(columns=QUARANTINE_COLUMNS)
        problems = pd.DataFrame(columns=["file", "row", "column", "value", "message"])
    rq, rp = _rejected_rows(raws, lang)
    if len(rq):
        quarantined = pd.concat([quarantined, rq], ignore_index=True) if len(quarantined) else rq
        problems = pd.concat([problems, rp], ignore_index=True) if len(problems) else rp
        problems = problems.sort_values(["file", "row"], kind="stable", key=lambda c: c.map(str) if c.name == "file"
                                        else c).reset_index(drop=True)
    acc_counts = accepted["source_file"].astype(str).value_counts() if len(accepted) else {}
    q_counts = quarantined["source_file"].astype(str).value_counts() if len(quarantined) else {}
    for s in summaries:
        s.accepted = int(acc_counts.get(s.path, 0)) if len(accepted) else 0
        s.quarantined = int(q_counts.get(s.path, 0)) if len(quarantined) else 0
    report = ValidationReport(accepted, quarantined, problems, summaries, lang)
    if not files:
        report.files = []
        report.problems = pd.DataFrame({"file": [str(paths)], "row": ["-"], "column": ["-"], "value": [""],
                                        "message": [i18n.t("val.no_files", lang, paths=paths)]})
    if quarantine is not None:
        report.write_quarantine(quarantine)
    return report

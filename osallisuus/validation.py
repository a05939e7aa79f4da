"""Validation of answers: every input row is accepted or quarantined with its reason.

:func:`validate` reads files (canonical or survey exports with a mapping), checks every
answer against the vocabulary, regions and instruments, and returns a
:class:`ValidationReport` whose counts always add up:
``answers read = accepted + quarantined``.
"""
from __future__ import annotations

import re
from difflib import get_close_matches
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from . import i18n
from .errors import InputFileError, OsallisuusError, OutputPathError
from .coded import Coded, categorical_of, coded, concat_columns, plain_text, strings_of
from .instruments import Instrument, alias_table, list_instruments, load_instrument, normalise_label
from .numbers import format_count, format_counts
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
    found: bool = False     # found by searching a folder (not named by the user)


@dataclass
class ValidationReport:
    """What :func:`validate` found.

    Attributes
    ----------
    data : DataFrame
        Accepted answers: canonical columns (region as its Finnish name, phase and role as
        canonical codes, ordered categoricals; respondent id, region, instrument, item, group
        and source file categorical, in sorted order; value and text as strings) plus
        ``code`` (the scale code, NaN when the
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
        # a file found in a folder may be no answer file at all: say how to leave it out
        out = [i18n.t("val.file_unusable", lang, message=f.error) + (" " + i18n.t("val.ignore_hint", lang) if f.found else "")
               for f in self.unusable_files]
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

    def file_table(self) -> pd.DataFrame:
        """The files read, one row each, in the report's language: the file's name (not its
        folder: a notebook's output is shared, a local path is not), the rows in the file,
        answers, accepted and quarantined answers, encoding, delimiter and why a file could
        not be used. Accepted + quarantined = answers in every row.

        Examples
        --------
        >>> report = ValidationReport(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
        ...     [FileSummary("/home/a/data/final.csv", 3, 3, 2, 1, "utf-8", ";")], lang="en")
        >>> report.file_table().values.tolist()
        [['final.csv', '3', '3', '2', '1', 'utf-8', ';', '']]
        """
        keys = ("file", "file_rows", "answers", "accepted", "quarantined", "encoding", "delimiter", "error")
        c = format_count
        rows = [[Path(f.path).name, c(f.file_rows), c(f.answers), c(f.accepted), c(f.quarantined), f.encoding,
                 i18n.t("val.tab", self.lang) if f.delimiter == "\t" else f.delimiter,
                 f.error.replace(str(f.path), Path(f.path).name)]
                for f in self.files]
        return pd.DataFrame(rows, columns=[i18n.t(f"val.col.{k}", self.lang) for k in keys])

    def summary(self) -> str:
        c = format_count
        total, accepted, quarantined = format_counts([self.n_input, self.n_accepted, self.n_quarantined])
        return i18n.t("val.summary", self.lang, files=c(len(self.files)), unusable=c(len(self.unusable_files)),
                      total=total, accepted=accepted, quarantined=quarantined)

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
def _strip_one(v: Any) -> str:
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()


# a number where a date was expected, as Excel stores dates (days since 1899-12-30: 1982–2119)
_EXCEL_SERIAL = re.compile(r"[3-7]\d{4}(?:[.,]\d+)?")
_PLAIN_NUMBER = re.compile(r"[+\-\u2212]?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
# each field a run of digits of its own, separated by non-digits (_parse_dates relies on it: a
# format such as "%Y%m%d" would need a stand-in of its own)
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H.%M", "%d.%m.%Y %H.%M.%S",
                "%d.%m.%Y klo %H.%M", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S")


def _parse_number(text: str) -> float | None:
    """A code written in plain decimal form ('4', '3,0', '-1'); not '4e0', '1_0' or full-width digits."""
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", ".").replace("\u2212", "-"))


# a time zone after the time ("GMT+2", "EET"), not the "AM" / "PM" of a 12-hour time
_ZONE = re.compile(r"\s+(GMT|UTC|(?!(?:AM|PM)$)[A-Z]{2,4})([+-]\d{1,2}(:?\d{2})?)?$")


def _parse_date(text: str):
    """A date in ISO, Finnish (23.11.2026 17.33) or Google Forms (2026/11/23 5:33:00 PM GMT+2)
    form: a Timestamp, NaT for an empty text, None when no form fits."""
    return _parse_dates(np.array([text], dtype=object))[0]


def _parse_dates(texts: np.ndarray) -> np.ndarray:
    """:func:`_parse_date` of each text, with the work done a format at a time over many texts
    (an export where every respondent has a timestamp of their own has as many distinct dates
    as respondents).

    The first of :data:`DATE_FORMATS` that reads a text wins, as one text at a time. A format
    is tried only on texts whose shape it can read: texts with the same characters apart from
    their digits, and digit runs of the same lengths, are read by a format only if their
    stand-in is (the same shape with valid numbers: 1, 01, 2000), so a text is never denied a
    format that would read it.
    """
    out = np.full(len(texts), None, dtype=object)
    stripped = [str(t).strip() for t in texts]
    stripped = [_ZONE.sub("", t) if _UPPER.search(t) else t for t in stripped]
    shape_of, shapes = pd.factorize(np.array([t.translate(_NINES) for t in stripped], dtype=object))
    stand_ins = [_DIGITS.sub(_stand_in, shape) for shape in shapes]
    empty = np.array([not t for t in texts], dtype=bool)
    out[empty] = pd.NaT
    left = np.flatnonzero(~empty)
    values = np.array(stripped, dtype=object)
    for fmt in DATE_FORMATS:
        readable = np.array([_reads(fmt, s) for s in stand_ins], dtype=bool)
        try_now = left[readable[shape_of[left]]]
        if not len(try_now):
            continue
        read = pd.to_datetime(pd.Series(values[try_now], dtype=object), format=fmt, errors="coerce")
        ok = read.notna().to_numpy()
        out[try_now[ok]] = list(read[ok])
        left = np.setdiff1d(left, try_now[ok], assume_unique=True)
    return out


_DIGITS = re.compile(r"\d+")
_UPPER = re.compile("[A-Z]")
_NINES = str.maketrans("0123456789", "9" * 10)   # other digits stay as they are: their runs keep their lengths


def _stand_in(m: re.Match) -> str:
    """Valid numbers for a digit run of this length in any field (day, month, hour, minute, year)."""
    return {1: "1", 2: "01", 4: "2000"}.get(len(m.group()), m.group())


def _reads(fmt: str, text: str) -> bool:
    try:
        pd.to_datetime(text, format=fmt)
        return True
    except (ValueError, TypeError):
        return False


class _Problems:
    """Collects (row position, field, message) triples without building per-row objects."""

    def __init__(self) -> None:
        self.pos: list[np.ndarray] = []
        self.field: list[str] = []
        self.msg: list[np.ndarray] = []

    def add(self, positions: np.ndarray, messages: np.ndarray | str, field_name: str) -> None:
        if len(positions):
            self.pos.append(positions)
            self.field.append(field_name)
            self.msg.append(np.full(len(positions), messages, dtype=object) if isinstance(messages, str) else messages)

    def frame(self) -> pd.DataFrame:
        if not self.pos:
            return pd.DataFrame({"_pos": np.array([], dtype=np.int64), "field": [], "message": []})
        return pd.DataFrame({
            "_pos": np.concatenate(self.pos).astype(np.int64),
            "field": np.concatenate([np.full(len(p), f, dtype=object) for p, f in zip(self.pos, self.field)]),
            "message": np.concatenate(self.msg),
        })


def _flagged(col: Coded, bad: np.ndarray, make) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose distinct value is flagged ``bad``, and their messages (made once per value)."""
    bad = np.asarray(bad, dtype=bool)
    rows = np.flatnonzero(col.mask(bad))
    msgs = np.array([make(v) if b else None for v, b in zip(col.uniques, bad)] + [None], dtype=object)[:-1]
    return rows, msgs[col.codes[rows]]


def _combined_codes(*parts: Coded, first_seen: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, the mixed-radix key of each code) of the combinations of several columns.

    Codes are numbered as the combinations first appear; with ``first_seen=False`` and a key
    space no larger than the rows, in key order by counting instead of hashing (faster)."""
    key = np.zeros(len(parts[0].codes), dtype=np.int64)
    size = 1
    for p in parts:
        width = max(len(p.uniques), 1)
        if size * width >= 2 ** 62:  # keep the key in range: renumber what is combined so far
            key, seen = pd.factorize(key)
            key, size = key.astype(np.int64), len(seen)
        key = key * width + p.codes
        size *= width
    if not first_seen and size <= max(len(key), 1 << 16):
        present = np.bincount(key, minlength=size) > 0
        number = np.cumsum(present) - 1
        return number[key].astype(np.intp), np.flatnonzero(present).astype(np.int64)
    codes, keys = pd.factorize(key)
    return codes.astype(np.intp), np.asarray(keys, dtype=np.int64)


def _combined(*parts: Coded) -> Coded:
    """Distinct combinations of a few coded columns (instrument and item, say); each value a tuple."""
    codes, rest = _combined_codes(*parts, first_seen=False)
    digits = []
    for p in reversed(parts):
        rest, d = np.divmod(rest, max(len(p.uniques), 1))
        digits.append(p.uniques[d])
    uniques = np.empty(len(rest), dtype=object)
    uniques[:] = list(zip(*reversed(digits)))
    return Coded(codes, uniques)


# ----------------------------------------------------------------- checking
def _check_fields(cols: dict[str, Coded], problems: _Problems, tr) -> dict[str, Coded]:
    """Respondent id, region, phase and role: problems added; the canonical region, phase and role."""
    problems.add(np.flatnonzero(cols["respondent_id"].mask(cols["respondent_id"].uniques == "")),
                 tr("val.empty_id"), "respondent_id")
    pilots = ", ".join(r.name["fi"] for r in list_regions() if r.pilot_2017)
    names = sorted({n for r in list_regions() for n in r.name.values()})

    def examples(v: str) -> str:
        """The region names (any language) nearest the value ('Österbottten' -> 'Österbotten'), else the pilots'."""
        close = get_close_matches(str(v), names, n=1, cutoff=0.75)
        return ", ".join(close) if close else pilots

    def region_name(v):
        r = find_region(v) if v else None
        return r.name["fi"] if r else None
    out = {"region": cols["region"].map(region_name)}
    problems.add(*_flagged(cols["region"], np.equal(out["region"].uniques, None),
                           lambda v: tr("val.empty_region" if v == "" else "val.unknown_region", value=cut(v),
                                        examples=examples(v))), "region")
    for fld, section in (("phase", "phases"), ("role", "roles")):
        table = alias_table(section)
        out[fld] = cols[fld].map(lambda v, t=table: t.get(normalise_label(v)))
        expected = ", ".join(i18n.vocabulary()[section]) + " / " + ", ".join(
            e["label"]["fi"].lower() for e in i18n.vocabulary()[section].values())
        problems.add(*_flagged(cols[fld], np.equal(out[fld].uniques, None),
                               lambda v, f=fld, e=expected: tr(f"val.{'empty' if v == '' else 'unknown'}_{f}",
                                                               value=cut(v), expected=e)), fld)
    return out


def _scale_texts(inst: Instrument, lang: str) -> tuple[str, str]:
    scale = inst.scale
    codes_txt = "–".join(str(int(c)) if float(c).is_integer() else str(c) for c in (scale.low, scale.high))
    if scale.missing_codes:
        codes_txt += " / " + ", ".join(str(int(c)) for c in scale.missing_codes)
    return codes_txt, ", ".join(scale.labels(lang))


def _to_code(v: str, inst: Instrument) -> float | None:
    """A value's scale code: NaN for no value, None when it is not on the scale."""
    if v == "":
        return np.nan
    c = inst.scale.lookup().get(normalise_label(v))
    if c is None:
        num = _parse_number(v)
        c = num if num is not None and num in set(inst.scale.valid_codes) | set(inst.scale.missing_codes) else None
    return c


def _check_items(cols: dict[str, Coded], settings: Settings, problems: _Problems, tr
                 ) -> tuple[dict[str, Instrument], np.ndarray, Coded]:
    """Instrument and item of every row: (instruments, rows of rated items, text with moved free texts)."""
    inst_col, value, text = cols["instrument"], cols["value"], cols["text"]
    known = list_instruments(settings)
    inst_ok = np.isin(inst_col.uniques, known)
    problems.add(*_flagged(inst_col, ~inst_ok, lambda v: tr("val.empty_instrument" if v == "" else "val.unknown_instrument",
                                                            value=cut(v), expected=", ".join(known))), "instrument")
    instruments = {i: load_instrument(i, settings) for i in inst_col.uniques[inst_ok]}
    pair = _combined(inst_col, cols["item"])

    def kind(p):  # what the (instrument, item) pair is
        inst = instruments.get(p[0])
        if inst is None:
            return "unknown"
        if p[1] not in inst.item_ids:
            return "bad_item"
        is_text = inst.answer == "rating" and p[1] in [i.id for i in inst.items if i.answer == "text"]
        return "text" if is_text else "rated"
    kinds = pair.map(kind).uniques.astype(str)
    problems.add(*_flagged(pair, kinds == "bad_item", lambda p: tr(
        "val.empty_item" if p[1] == "" else "val.unknown_item", value=cut(p[1]), instrument=p[0],
        expected=", ".join(instruments[p[0]].item_ids))), "item")
    # A pure free-text item takes no rating: text typed into `value` is kept as the text.
    text_item = pair.mask(kinds == "text")
    move = text_item & value.mask(value.uniques != "") & text.mask(text.uniques == "")
    text = Coded(np.where(move, value.codes + len(text.uniques), text.codes),
                 np.concatenate([text.uniques, value.uniques]))
    problems.add(np.flatnonzero(text_item & text.mask(text.uniques == "")), tr("val.empty_answer"), "text")
    return instruments, np.flatnonzero(pair.mask(kinds == "rated")), text


def _check_values(cols: dict[str, Coded], settings: Settings, problems: _Problems, tr, lang: str
                  ) -> tuple[np.ndarray, np.ndarray, Coded]:
    """Instrument, item and value of every row: (code, missing_code, text with moved free texts).

    A value is looked up once per distinct (instrument, value) pair among the rated rows."""
    instruments, rated, text = _check_items(cols, settings, problems, tr)
    inst_col, value = cols["instrument"], cols["value"]
    answer = _combined(Coded(inst_col.codes[rated], inst_col.uniques), Coded(value.codes[rated], value.uniques))
    mapped = answer.map(lambda a: _to_code(a[1], instruments[a[0]])).uniques
    unknown = np.equal(mapped, None)
    texts = {i: _scale_texts(inst, lang) for i, inst in instruments.items()}
    bad, msgs = _flagged(answer, unknown, lambda a: tr(
        "val.bad_value", value=cut(a[1]), scale=instruments[a[0]].scale.id, codes=texts[a[0]][0], labels=texts[a[0]][1]))
    problems.add(rated[bad], msgs, "value")
    code_u = np.where(unknown, np.nan, mapped).astype(float)
    missing_u = np.array([c in instruments[a[0]].scale.missing_codes for a, c in zip(answer.uniques, code_u)],
                         dtype=bool)
    good = ~answer.mask(unknown)
    n = len(value.codes)
    code, missing_code = np.full(n, np.nan), np.zeros(n, dtype=bool)
    code[rated[good]] = code_u[answer.codes[good]]
    missing_code[rated[good]] = missing_u[answer.codes[good]]
    empty = rated[good & np.isnan(code[rated]) & text.mask(text.uniques == "")[rated]]
    problems.add(empty, tr("val.empty_answer"), "value")
    return code, missing_code, text


def _first_of_each(*parts: Coded) -> tuple[np.ndarray, np.ndarray]:
    """(group code per row, position of each group's first row), groups numbered as they first appear."""
    codes, _ = _combined_codes(*parts)
    seen = np.maximum.accumulate(np.concatenate([[-1], codes[:-1]])) if len(codes) else codes
    return codes, np.flatnonzero(codes > seen)


def _duplicates(cols: dict[str, Coded], phase: Coded, bad_rows: np.ndarray, frame: pd.DataFrame, tr,
                shown: Coded | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Rows that are otherwise fine but repeat an earlier answer (respondent, phase, instrument, item);
    the message names the respondent as ``shown`` (as the file has it, not scoped to its region)."""
    ok_idx = np.flatnonzero(~bad_rows)
    parts = [cols["respondent_id"], phase.dedupe(), cols["instrument"], cols["item"]]
    group, first = _first_of_each(*[Coded(p.codes[ok_idx], p.uniques) for p in parts])
    dup = np.ones(len(ok_idx), dtype=bool)
    dup[first] = False
    if not dup.any():
        return np.array([], dtype=np.int64), np.array([], dtype=object)
    dpos = ok_idx[dup]
    first_pos = ok_idx[first[group[dup]]]
    rows = frame["source_row"].to_numpy()
    source = coded(frame["source_file"])
    files, same = source.values(first_pos), source.codes[first_pos] == source.codes[dpos]
    rid, phases, insts = (p.values(dpos) for p in (cols["respondent_id"] if shown is None else shown, phase,
                                                   cols["instrument"]))
    # no item named: a wide export's duplicated row is then one line, '(9 answers)'
    dmsg = np.array([tr("val.duplicate" if sm else "val.duplicate_other_file", respondent=cut(r), instrument=i,
                        phase=ph, first=fr, file=ff)
                     for r, ph, i, fr, ff, sm in zip(rid, phases, insts, rows[first_pos], files, same)] + [None],
                    dtype=object)[:-1]
    return dpos, dmsg


def _problem_columns(prob: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """The column of each problem as the file names it (its own header, or '= value' for a
    mapping's constant): an answer's own column for its value, else the field's column."""
    pos = prob["_pos"].to_numpy(dtype=np.int64)
    fields_ = prob["field"].to_numpy(dtype=object)
    files = coded(frame["source_file"])
    column_of = frame.attrs.get("columns", {})
    column = np.empty(len(pos), dtype=object)
    for f in pd.unique(fields_):
        sel = np.flatnonzero(fields_ == f)
        if f == "value":
            column[sel] = coded(frame["source_column"]).values(pos[sel])
        else:
            names = np.array([column_of.get(fn, {}).get(f, f) for fn in files.uniques] + [None], dtype=object)[:-1]
            column[sel] = names[files.codes[pos[sel]]]
    return column


def _problem_table(prob: pd.DataFrame, cols: dict[str, Coded], frame: pd.DataFrame) -> pd.DataFrame:
    """One row per problem: file, row (as the spreadsheet shows it), column (the file's own header), value."""
    pos = prob["_pos"].to_numpy(dtype=np.int64)
    fields_ = prob["field"].to_numpy(dtype=object)
    files = coded(frame["source_file"])
    column = _problem_columns(prob, frame)
    value = np.empty(len(pos), dtype=object)
    for f in pd.unique(fields_):
        sel = np.flatnonzero(fields_ == f)
        value[sel] = coded(cols[f].values(pos[sel])).map(cut).values() if f in cols else ""
    return pd.DataFrame({
        "file": files.values(pos), "row": frame["source_row"].to_numpy()[pos], "column": column.tolist(),
        "value": value.tolist(), "message": prob["message"].to_numpy(dtype=object), "_pos": pos,
    }).sort_values(["file", "row", "_pos"], kind="stable").drop(columns="_pos").reset_index(drop=True)


def _quarantine_table(prob: pd.DataFrame, bad_rows: np.ndarray, frame: pd.DataFrame, tr) -> pd.DataFrame:
    """Quarantined rows as read, with every reason, each naming its column ('column region:
    unknown region …'; ``source_column`` is the column the answer itself came from)."""
    named = prob.assign(message=[tr("val.reason_at", column=c, message=m)
                                 for c, m in zip(_problem_columns(prob, frame), prob["message"])])
    quarantined = named[bad_rows[named["_pos"].to_numpy(dtype=np.int64)]]
    reasons = quarantined.groupby("_pos", sort=True)["message"].agg("; ".join)
    q_idx = reasons.index.to_numpy(dtype=np.int64)
    columns = ["source_file", "source_row", "source_column", *CANONICAL]
    quarantine = pd.DataFrame({c: plain_text(frame[c].iloc[q_idx].reset_index(drop=True)) for c in columns})
    quarantine["reason"] = reasons.to_numpy()
    return quarantine


def _accepted_table(keep: np.ndarray, cols: dict[str, Coded], canon: dict[str, Coded], dates: Coded,
                    text: Coded, code: np.ndarray, missing_code: np.ndarray, frame: pd.DataFrame) -> pd.DataFrame:
    """Accepted rows: categorical codes from the distinct values, nothing built per row."""
    phase_cat = pd.CategoricalDtype(PHASE_ORDER, ordered=True)
    role_cat = pd.CategoricalDtype(i18n.roles(), ordered=True)
    cat = lambda c, dtype=None: categorical_of(c.uniques, c.codes[keep], dtype)  # noqa: E731
    files = coded(frame["source_file"])
    used = np.flatnonzero(np.bincount(dates.codes[keep], minlength=len(dates.uniques))) if len(keep) else []
    remap = np.zeros(len(dates.uniques), dtype=np.intp)
    remap[used] = np.arange(len(used))
    date = pd.to_datetime(pd.Series(dates.uniques[used]), errors="coerce")
    return pd.DataFrame({
        "respondent_id": cat(cols["respondent_id"]),
        "region": cat(canon["region"]),
        "phase": cat(canon["phase"], phase_cat),
        "role": cat(canon["role"], role_cat),
        "instrument": cat(cols["instrument"]),
        "item": cat(cols["item"]),
        "value": strings_of(cols["value"].uniques, cols["value"].codes[keep]),
        "group": cat(cols["group"]),
        "date": date.iloc[remap[dates.codes[keep]]].reset_index(drop=True),
        "text": strings_of(text.uniques, text.codes[keep]),
        "code": code[keep],
        "missing_code": missing_code[keep],
        "source_file": cat(files),
        "source_row": frame["source_row"].to_numpy()[keep],
    })


def check_answers(frame: pd.DataFrame, settings: Settings | None = None, lang: str = "fi"
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Check raw answers (text, canonical columns plus source columns).

    Every check works on the distinct values of a column (or of a pair of columns) and
    reaches the rows through integer codes (:mod:`osallisuus.coded`): the cost grows with
    the rows only by vector operations.

    Returns
    -------
    (accepted, quarantine, problems)
    """
    settings = settings or load_settings()
    cols = {c: coded(frame[c]).map(_strip_one).dedupe() for c in CANONICAL}
    written = cols["respondent_id"]
    if not settings.exact_ids:
        cols["respondent_id"] = _one_spelling(written, _file_phase(frame, cols))
    problems = _Problems()
    tr = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    canon = _check_fields(cols, problems, tr)
    spelled = cols["respondent_id"]
    cols["respondent_id"] = _per_region(spelled, canon["region"])
    code, missing_code, text = _check_values(cols, settings, problems, tr, lang)
    prob = problems.frame()
    bad_rows = np.zeros(len(frame), dtype=bool)
    bad_rows[prob["_pos"].to_numpy(dtype=np.int64)] = True

    # dates (optional): a bad date is named and left out; the answer itself is kept
    dates = Coded(cols["date"].codes, _parse_dates(cols["date"].uniques))
    bad_date = np.equal(dates.uniques, None)
    date_pos, date_msg = _flagged(cols["date"], bad_date, lambda v: tr("val.bad_date", value=cut(v))
                                  + (tr("val.date_serial") if _EXCEL_SERIAL.fullmatch(v) else ""))
    dates.uniques[bad_date] = pd.NaT
    # duplicates among rows that are otherwise fine: keep the first, quarantine the rest
    dpos, dmsg = _duplicates(cols, canon["phase"], bad_rows, frame, tr, shown=spelled)
    bad_rows[dpos] = True
    extra = [pd.DataFrame({"_pos": p.astype(np.int64), "field": f, "message": m})
             for p, f, m in ((date_pos, "date", date_msg), (dpos, "respondent_id", dmsg)) if len(p)]
    if extra:
        prob = pd.concat([prob, *extra], ignore_index=True)
    keep = np.flatnonzero(~bad_rows)
    accepted = _accepted_table(keep, cols, canon, dates, text, code, missing_code, frame)
    accepted.attrs["respelled_ids"] = _respelled(written, spelled, keep, frame)
    accepted.attrs["regional_ids"] = _respelled(spelled, cols["respondent_id"], keep, frame)
    # a problem names the id as the file has it ('NP01'), not as scoped to its region
    return accepted, _quarantine_table(prob, bad_rows, frame, tr), _problem_table(prob, {**cols, "respondent_id": spelled},
                                                                                  frame)


def _file_phase(frame: pd.DataFrame, cols: dict[str, Coded]) -> np.ndarray:
    """A code per row for its (file, phase as written, any case)."""
    phase = cols["phase"].map(lambda v: str(v).strip().lower()).dedupe()
    return coded(frame["source_file"]).codes.astype(np.int64) * max(len(phase.uniques), 1) + phase.codes


def _one_spelling(ids: Coded, file_phase: np.ndarray) -> Coded:
    """Ids that differ only in capitals or spaces ('ab 12', 'AB12') as one, written as first seen: codes people
    type themselves to link their surveys come back as 'ab12', 'AB12' and 'AB 12' (a review's
    project linked half its panel). Spellings met side by side in one file and phase stay apart:
    there they are two people, or a duplicate the user should see as written."""
    keys = pd.Series(ids.uniques, dtype=object).str.replace(r"\s+", "", regex=True).str.upper()
    keys = keys.where(keys.notna(), pd.Series(ids.uniques, dtype=object))     # a non-text value as it is
    inner, distinct = pd.factorize(keys.to_numpy(dtype=object), use_na_sentinel=False)
    if len(distinct) == len(ids.uniques):
        return ids
    spellings = np.bincount(inner, minlength=len(distinct))
    rows = np.flatnonzero(spellings[inner[ids.codes]] > 1)         # only the ids written more ways than one
    occ = pd.DataFrame({"u": ids.codes[rows], "g": file_phase[rows]}).drop_duplicates()
    occ["k"] = inner[occ["u"].to_numpy()]
    clash = occ.groupby(["k", "g"])["u"].nunique()
    apart = np.isin(inner, clash[clash > 1].index.get_level_values("k").unique())
    key = np.where(apart, len(distinct) + np.arange(len(inner)), inner)
    merged, first = np.unique(key, return_index=True)          # the spelling met first in the files
    new = np.searchsorted(merged, key)
    return Coded(new.astype(np.intp)[ids.codes], ids.uniques[first])


def _per_region(ids: Coded, region: Coded) -> Coded:
    """An id written in two or more regions is a person of each region: 'NP01 (Pohjanmaa)' and
    'NP01 (Keski-Pohjanmaa)'. Codes people make up themselves collide across regions (a review's
    'NP01' was quarantined as a duplicate in one region and paired with another region's NP01 in a
    change test); a region's report and every pairing stay within the region. Rows whose region
    is unknown keep the id as written (they are quarantined for the region)."""
    region = region.dedupe()              # 'Österbotten' and 'Pohjanmaa' are one region
    names = np.asarray(list(region.uniques) + [None], dtype=object)[:-1]
    known = ~pd.isna(names)[region.codes] if len(names) else np.zeros(len(ids.codes), dtype=bool)
    key = ids.codes.astype(np.int64) * max(len(names), 1) + region.codes
    pairs = pd.unique(key[known])
    per_id = np.bincount(pairs // max(len(names), 1), minlength=len(ids.uniques))
    shared = known & (per_id[ids.codes] > 1)
    if not shared.any():
        return ids
    new_keys, inverse = np.unique(key[shared], return_inverse=True)
    u, r = new_keys // max(len(names), 1), new_keys % max(len(names), 1)
    labels = np.array([f"{ids.uniques[i]} ({names[j]})" for i, j in zip(u, r)] + [None], dtype=object)[:-1]
    codes = ids.codes.astype(np.intp).copy()
    codes[shared] = len(ids.uniques) + inverse
    return Coded(codes, np.concatenate([np.asarray(ids.uniques, dtype=object), labels]))


def _respelled(written: Coded, read: Coded, keep: np.ndarray, frame: pd.DataFrame) -> dict[str, tuple[int, str]]:
    """Per file: how many of its ids were read in another spelling, and one example."""
    if read is written:
        return {}
    was, now = written.values(keep), read.values(keep)
    differ = np.flatnonzero(was != now)
    if not len(differ):
        return {}
    rows = pd.DataFrame({"file": np.asarray(frame["source_file"].astype(str))[keep[differ]],
                         "was": was[differ], "now": now[differ]}).drop_duplicates(["file", "was"])
    return {f: (len(g), f"{cut(g['was'].iloc[0], 30)!r} = {cut(g['now'].iloc[0], 30)!r}")
            for f, g in rows.groupby("file", sort=False)}


def _note_respelled_ids(accepted: pd.DataFrame, summaries: dict) -> None:
    for attr, key in (("respelled_ids", "read.ids_respelled"), ("regional_ids", "read.ids_per_region")):
        for name, (n, example) in accepted.attrs.get(attr, {}).items():
            if name in summaries:
                summaries[name].notes.append((key, {"n": format_count(n), "example": example}))


def _counts(column: pd.Series) -> dict[str, int]:
    """Rows per value, keyed by the value as text (a categorical column is counted on its codes)."""
    return {str(k): int(v) for k, v in column.value_counts(sort=False).items()}


def _read_one(f: Path, mapping, settings: Settings, summaries: list[FileSummary], lang: str = "en") -> RawAnswers | None:
    """Read one file; a file that cannot be used at all is recorded in ``summaries`` with its reason
    (in ``lang``)."""
    try:
        raw = read_answers(f, mapping, settings)
    except InputFileError as exc:
        summaries.append(FileSummary(str(f), error=i18n.error_text(exc, lang)))
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


def _file_ids(raw: RawAnswers) -> set[str] | None:
    """The respondent ids of a file read with ids kept apart from other files' (a mapping
    without ``shared_ids``: each id is prefixed with the file's name), without the prefix; None
    for a file whose ids are not kept apart, or that numbers its rows 1, 2, 3 … (a tool's
    running number, the same in every export and no person's code)."""
    prefix = f"{raw.path.stem}/"
    ids = {str(v) for v in pd.unique(raw.frame["respondent_id"]) if str(v).strip()}
    if not ids or not all(v.startswith(prefix) for v in ids):
        return None
    own = {v[len(prefix):] for v in ids}
    if all(v.isdigit() for v in own) and {int(v) for v in own} == set(range(1, len(own) + 1)):
        return None
    return own


def _note_unlinked_ids(raws: list[RawAnswers], summaries: dict) -> None:
    """A note on each file whose respondent ids also stand in an earlier file, when both keep
    their ids apart: the same code then counts as two people, and a respondent who answered the
    baseline and the final survey is not linked (change is measured on linked respondents), which
    the mapping's ``shared_ids: true`` would do."""
    seen: list[tuple[str, set[str]]] = []
    for raw in raws:
        own = _file_ids(raw)
        if own is None:
            continue
        for name, earlier in seen:
            common = len(own & earlier)
            if common:
                summaries[str(raw.path)].notes.append(("read.ids_not_shared", {"n": format_count(common), "other": name}))
                break
        seen.append((raw.path.name, own))


def _note_role_changes(accepted: pd.DataFrame, summaries: dict) -> None:
    """A note on each file with respondent ids that another file links to answers in another role:
    a linked id is one person, whose role does not change between surveys, so an id that does
    is more likely a form's row number or a mistyped code (a review linked 53 random pairs
    through Microsoft Forms' response numbers without a word)."""
    if accepted.empty:
        return
    frame = pd.DataFrame({"id": accepted["respondent_id"].astype(str), "role": accepted["role"].astype(str),
                          "file": accepted["source_file"].astype(str)}).drop_duplicates()
    per_id = frame.groupby("id").agg(roles=("role", "nunique"), files=("file", "nunique"))
    changed = set(per_id.index[(per_id["roles"] > 1) & (per_id["files"] > 1)])
    if not changed:
        return
    rows = frame[frame["id"].isin(changed)]
    first = rows.groupby("id")["file"].min()
    for name, group in rows.groupby("file"):
        later = group[group["id"].map(first) != name]
        if len(later) and name in summaries:
            other = Path(rows[rows["id"].isin(later["id"])]["file"].min()).name
            summaries[name].notes.append(("read.ids_change_role", {"n": format_count(later["id"].nunique()),
                                                                   "other": other}))


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
    files = input_files(given, settings.input_ignore)
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
        raw = _read_one(f, mapping, settings, summaries, lang)
        summaries[-1].found = f.resolve() not in named
        if raw is not None:
            raws.append(raw)
    _note_unlinked_ids(raws, {s.path: s for s in summaries})
    framed = [r for r in raws if len(r.frame)]
    if framed:
        frame = concat_columns([r.frame for r in framed])
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
    _note_role_changes(accepted, {s.path: s for s in summaries})
    _note_respelled_ids(accepted, {s.path: s for s in summaries})
    acc_counts = _counts(accepted["source_file"]) if len(accepted) else {}
    q_counts = _counts(quarantined["source_file"]) if len(quarantined) else {}
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

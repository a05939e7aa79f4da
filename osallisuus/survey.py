"""Reading survey exports (Webropol, Microsoft Forms, LimeSurvey) into the canonical long table.

Two kinds of input are read:

* a CSV/XLSX already in the canonical long form (columns ``respondent_id, region, phase,
  role, instrument, item, value`` and optional ``group, date, text``): no mapping needed;
* a survey tool's export, wide (one row per respondent, one column per question) or long
  with other column names, described by a mapping YAML (see ``data/example/*.mapping.yaml``).

Everything is read as text so that the validator can report the exact value it rejects.
Rows are numbered as a spreadsheet shows them: the header is row 1, the first answer row 2.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .coded import Coded, categorical_of, coded, constant_column
from .errors import InstrumentError, MappingError
from .i18n import file_error
from .instruments import _code_text, load_instrument
from .mapping import CANONICAL, META_FIELDS, OPTIONAL, REQUIRED, Mapping, load_mapping, nearest
from .numbers import format_count
from .reader import RowProblem, Table, cut, detect_delimiter, detect_encoding, read_raw_table

__all__ = ["RawAnswers", "read_table", "read_answers", "input_files", "mapping_for", "load_mapping", "Mapping",
           "detect_encoding", "detect_delimiter", "REQUIRED", "OPTIONAL", "CANONICAL", "META_FIELDS", "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class RawAnswers:
    """Answers read from one file, still as text, one row per answer.

    Attributes
    ----------
    frame : DataFrame
        Canonical columns plus ``source_file``, ``source_row``, ``source_column``: text as it
        was in the file, as categoricals (codes into the distinct texts) for a CSV the fast
        reader parsed and for every wide export, otherwise as objects.
    path : Path
    columns : dict
        Canonical field -> the file's column it came from (or ``"= value"`` for a constant).
    file_rows : int
        Data rows in the file (for a wide export, respondents).
    encoding, delimiter, sheet : str
        What the file was read with.
    rejected : list of RowProblem
        File rows that gave no answer (unreadable, or no answer at all), each with its reason.
    notes : list
        What was skipped without losing data (blank rows, other sheets), as translation keys.
    """

    frame: pd.DataFrame
    path: Path
    columns: dict[str, str] = field(default_factory=dict)
    file_rows: int = 0
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    rejected: list[RowProblem] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)


# ---------------------------------------------------------------- raw tables
def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | int | None = None) -> tuple[pd.DataFrame, str, str]:
    """Read a CSV, XLSX, XLS or ODS file as text (see :func:`osallisuus.reader.read_raw_table`).

    Returns
    -------
    (frame, encoding, delimiter)
        Every cell a string ("" for an empty cell); header names stripped; an empty header
        named by its column letter, e.g. ``(L)``; a repeated one with its letter added.

    Raises
    ------
    InputFileError
        If the file is missing, empty, not a table, or has no data rows.
    """
    table = read_raw_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet)
    if table.frame.empty and not table.rejected:
        raise file_error(path, "file.no_rows")
    return table.frame, table.encoding, table.delimiter


# ------------------------------------------------------------------- mapping
def _recode(values: np.ndarray | pd.Categorical, table: dict[str, str] | None) -> np.ndarray | pd.Categorical:
    """Values recoded by ``table`` (looked up stripped), each distinct value once; text comes back."""
    if not table:
        return values
    return _recoded(coded(values), table).values()


def _recoded(values: Coded, table: dict[str, str] | None) -> Coded:
    """Distinct values recoded by ``table`` (looked up stripped)."""
    return values.map(lambda v: table.get(str(v).strip(), v)) if table else values


def _column(frame: pd.DataFrame, name: str) -> np.ndarray | pd.Categorical:
    """A column's text: a categorical column (a large CSV) stays codes, anything else becomes objects."""
    column = frame[name]
    return column.array if isinstance(column.dtype, pd.CategoricalDtype) else column.to_numpy(dtype=object)


def mapping_for(path: Path) -> Path | None:
    """The mapping file that sits beside an export: ``name.mapping.yaml`` for ``name.csv``."""
    for candidate in (path.with_suffix(".mapping.yaml"), path.with_suffix(".mapping.yml")):
        if candidate.is_file():
            return candidate
    return None


def _check_columns(frame: pd.DataFrame, wanted: list[str], path: Path, where: str) -> None:
    columns = [str(c) for c in frame.columns]
    for c in wanted:
        if c in columns:
            continue
        repeated = [k for k in columns if k.startswith(f"{c} (") and k.endswith(")")]
        if repeated:
            raise MappingError(f"{where}: column {cut(c)!r} appears {len(repeated)} times in {path}; name one of "
                               f"{', '.join(repr(cut(k)) for k in repeated)}")
        shown = ", ".join(repr(cut(k, 60)) for k in columns)
        raise MappingError(f"{where}: column {cut(c)!r} not found in {path}{nearest(c, columns)}; "
                           f"its {len(columns)} columns are {shown}")


def _numbers_table(inst_id: str, numbering: str, settings) -> dict[str, str]:
    """Option number -> scale code text for a tool that numbers options in order."""
    if numbering == "codes":
        return {}
    try:
        scale = load_instrument(inst_id, settings).scale
    except InstrumentError:
        return {}  # the validator names the unknown instrument
    points = list(scale.points) if numbering == "from_top" else sorted(scale.points, key=lambda p: p.code)
    points += list(scale.missing)
    return {str(n): _code_text(p.code) for n, p in enumerate(points, start=1)}


def _item_values(cells: Coded, entry: dict, mapping: Mapping, settings) -> Coded:
    """An item column's distinct values, recoded (numbering and value tables) for a value field."""
    if entry["field"] != "value":
        return cells
    table = {**_numbers_table(entry["instrument"], entry["numbering"], settings), **mapping.values, **entry["values"]}
    return _recoded(cells, table)


def _dates(values: np.ndarray, fmt: str | None) -> np.ndarray:
    """Dates written as ``fmt`` rewritten as ISO text; the rest left for the validator to name."""
    if not fmt:
        return values

    def one(v):
        try:
            return datetime.strptime(str(v).strip(), fmt).isoformat(sep=" ")
        except ValueError:
            return v
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return np.array([one(u) for u in uniques], dtype=object)[codes] if len(values) else values


def _meta(frame: pd.DataFrame, table: Table, mapping: Mapping) -> dict[str, np.ndarray]:
    """Respondent fields of a wide export, per file row: recoded, dates read, carried, ids scoped."""
    n = len(frame)
    meta = {}
    for name in META_FIELDS:
        if name in mapping.fields:
            meta[name] = _recode(frame[mapping.fields[name]].to_numpy(dtype=object), mapping.recode.get(name))
        elif name in mapping.constants:
            meta[name] = np.full(n, mapping.constants[name], dtype=object)
        elif name == "respondent_id":
            meta[name] = np.char.add(f"{table.path.stem}-", table.rows.astype(str)).astype(object)
        else:
            meta[name] = np.full(n, "", dtype=object)
    meta["date"] = _dates(meta["date"], mapping.date_format)
    _carry(meta, mapping.carry)
    if not mapping.shared_ids and "respondent_id" in mapping.fields:
        meta["respondent_id"] = _scoped(meta["respondent_id"], table.path)
    return meta


def _scoped(ids: np.ndarray, path: Path) -> np.ndarray:
    """Ids prefixed with the file name: two files numbering respondents 1..N do not collide."""
    text = pd.Series(ids, dtype=object).astype(str)
    scoped = (f"{path.stem}/" + text).to_numpy(dtype=object)
    return np.where(text.str.strip() != "", scoped, ids)


def _carry(meta: dict[str, np.ndarray], carried: tuple[str, ...]) -> None:
    """Fill an empty field from the same respondent's earlier row (REDCap: role asked at baseline only)."""
    ids = pd.Series(meta["respondent_id"], dtype=object).astype(str).str.strip()
    for name in carried:
        s = pd.Series(meta[name], dtype=object)
        s = s.where(s.astype(str).str.strip() != "")
        meta[name] = s.groupby(ids.to_numpy(), sort=False).ffill().fillna("").to_numpy(dtype=object)


_REPEATED = re.compile(r" \([A-Z]+\)$")     # the column letter the reader adds to a repeated header


def _canonical_columns(frame: pd.DataFrame, path) -> dict[str, str]:
    """A canonical file's columns: canonical name -> the file's header, matched regardless of
    case and spaces around it ('Respondent_ID', ' PHASE '). A name given to two columns ('value'
    twice, or 'Value' and 'value') is an error naming both: which one holds the answers?"""
    found: dict[str, list[str]] = {}
    for column in frame.columns:
        key = _REPEATED.sub("", str(column)).strip().lower()
        if key in CANONICAL:
            found.setdefault(key, []).append(str(column))
    for key, columns in found.items():
        if len(columns) > 1:
            raise file_error(path, "file.column_twice", column=key, columns=", ".join(columns))
    return {key: columns[0] for key, columns in found.items()}


def _from_long(table: Table, mapping: Mapping | None, settings=None) -> RawAnswers:
    frame, path = table.frame, table.path
    fields = mapping.fields if mapping else _canonical_columns(frame, path)
    constants = mapping.constants if mapping else {}
    if mapping:
        _check_columns(frame, list(fields.values()), path, mapping.source)
    else:
        missing = [c for c in REQUIRED if c not in fields]
        if missing:
            raise file_error(path, "file.columns_missing", missing=", ".join(missing),
                                          required=", ".join(REQUIRED), mapping=path.with_suffix(".mapping.yaml").name,
                                          name=path.name)
    n = len(frame)
    out = {}
    for name in CANONICAL:
        if name in fields:
            out[name] = _recode(_column(frame, fields[name]), mapping.recode.get(name) if mapping else None)
        elif name in constants:
            out[name] = constant_column(n, constants[name])
        elif name == "respondent_id" and mapping and mapping.generate_ids:
            out[name] = np.char.add(f"{path.stem}-", table.rows.astype(str)).astype(object)
        else:
            out[name] = constant_column(n, "")
    if mapping:
        out["date"] = _dates(out["date"], mapping.date_format)
        if mapping.values:
            out["value"] = _recode(out["value"], mapping.values)
        _carry(out, mapping.carry)
        if not mapping.shared_ids and "respondent_id" in fields:
            out["respondent_id"] = _scoped(out["respondent_id"], path)
    out["source_file"] = constant_column(n, str(path))
    out["source_row"] = table.rows
    out["source_column"] = constant_column(n, fields.get("value", "value"))
    cols = {**{k: v for k, v in fields.items()}, **{k: f"= {v}" for k, v in constants.items()}}
    return RawAnswers(pd.DataFrame(out), path, cols, n, rejected=list(table.rejected), notes=list(table.notes))


def _from_wide(table: Table, mapping: Mapping, settings=None) -> RawAnswers:
    """One answer row per filled item cell of a wide export, every column as categorical codes:
    value and text of the same item are joined on the respondent's row (integer keys), and rows
    come out ordered by file row, then instrument and item."""
    frame, path = table.frame, table.path
    _check_columns(frame, list(mapping.fields.values()) + [e["column"] for e in mapping.items], path, mapping.source)
    n, rows = len(frame), table.rows
    meta = _meta(frame, table, mapping)
    pos, entry, code, cells = _filled_cells(frame, mapping, settings)
    answered = np.zeros(n, dtype=bool)
    answered[pos] = True
    first_col = mapping.items[0]["column"]
    rejected = list(table.rejected)
    rejected += [RowProblem(int(rows[p]), first_col, "", "read.no_answers", {}) for p in np.flatnonzero(~answered)]
    pairs, pair_of = _item_pairs(mapping)
    is_text = np.array([e["field"] == "text" for e in mapping.items], dtype=bool)[entry]
    value_at, text_at = _join_value_text(pos.astype(np.int64) * len(pairs) + pair_of[entry], is_text)
    at = np.where(value_at >= 0, value_at, text_at)          # the answer's value cell, else its text cell
    where, source = pos[at], entry[at]
    blank = len(cells) - 1                                    # cells[-1] is "": the side that is missing
    out = {}
    for name in META_FIELDS:
        column = coded(meta[name])
        out[name] = categorical_of(column.uniques, column.codes[where])
    out["instrument"] = categorical_of(np.array([a for a, _ in pairs], dtype=object), pair_of[source])
    out["item"] = categorical_of(np.array([b for _, b in pairs], dtype=object), pair_of[source])
    out["value"] = categorical_of(cells, np.where(value_at >= 0, code[value_at], blank))
    out["text"] = categorical_of(cells, np.where(text_at >= 0, code[text_at], blank))
    answers = pd.DataFrame(out, columns=list(CANONICAL))
    answers["source_file"] = constant_column(len(answers), str(path))
    answers["source_row"] = rows[where]
    answers["source_column"] = categorical_of(np.array([e["column"] for e in mapping.items], dtype=object), source)
    cols = {**mapping.fields, **{k: f"= {v}" for k, v in mapping.constants.items()}}
    return RawAnswers(answers, path, cols, n, rejected=rejected,
                      notes=list(table.notes) + _unread(frame, mapping) + _undated(frame, mapping))


def _unread(frame: pd.DataFrame, mapping: Mapping) -> list[tuple[str, dict]]:
    """A note naming the export's filled columns that the mapping reads nowhere: a question left
    out of items: would otherwise lose its answers without a word (a tool's own columns, such as
    an IP address, are named too unless the mapping's ``not_read`` lists them; the note is no error)."""
    read = set(mapping.fields.values()) | {e["column"] for e in mapping.items} | set(mapping.not_read)
    unread = [str(c) for c in frame.columns if str(c) not in read and str(c).strip()
              and frame[c].fillna("").astype(str).str.strip().ne("").any()]
    if not unread:
        return []
    shown = ", ".join(repr(cut(c, 40)) for c in unread[:5]) + (" …" if len(unread) > 5 else "")
    return [("read.columns_unread", {"n": len(unread), "columns": shown})]


def _undated(frame: pd.DataFrame, mapping: Mapping) -> list[tuple[str, dict]]:
    """A note on rows without a date where most rows have one: some tools export unfinished
    answers so (LimeSurvey's empty submitdate; a review's report counted one as a respondent)."""
    column = mapping.fields.get("date")
    if column is None or column not in frame:
        return []
    empty = frame[column].fillna("").astype(str).str.strip().eq("")
    if not empty.any() or empty.mean() >= 0.5:
        return []
    return [("read.undated_rows", {"n": format_count(int(empty.sum())), "column": column})]


def _filled_cells(frame: pd.DataFrame, mapping: Mapping, settings) -> tuple[np.ndarray, ...]:
    """The filled item cells of a wide export, column by column in mapping order: (file row
    position, mapping entry, code into ``cells``, ``cells``), where ``cells`` holds every
    column's distinct (recoded) values one after the other and ends with ""."""
    pos, entry, code, cells, offset = [], [], [], [], 0
    for k, item in enumerate(mapping.items):
        column = _item_values(coded(_column(frame, item["column"])), item, mapping, settings)
        filled = np.array([str(u).strip() != "" for u in column.uniques], dtype=bool)
        at = np.flatnonzero(filled[column.codes])
        pos.append(at)
        entry.append(np.full(len(at), k, dtype=np.intp))
        code.append(column.codes[at] + offset)
        cells.append(column.uniques)
        offset += len(column.uniques)
    cells.append(np.array([""], dtype=object))
    return (np.concatenate(pos).astype(np.intp), np.concatenate(entry), np.concatenate(code),
            np.concatenate(cells).astype(object))


def _item_pairs(mapping: Mapping) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The distinct (instrument, item) pairs of a wide mapping, sorted, and each entry's pair."""
    pairs = sorted({(e["instrument"], e["item"]) for e in mapping.items})
    index = {p: k for k, p in enumerate(pairs)}
    return pairs, np.array([index[e["instrument"], e["item"]] for e in mapping.items], dtype=np.intp)


def _join_value_text(key: np.ndarray, is_text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The value cell and the text cell (positions into ``key``; -1: none) of each answer: a full
    outer join of the value cells and the text cells on ``key`` (file row and (instrument, item)
    pair as one integer), ordered by key, i.e. by file row, instrument and item."""
    value_keys, text_keys = key[~is_text], key[is_text]
    span = int(key.max()) + 1 if len(key) else 0
    if span <= 4 * len(key) + 1_000_000:           # the usual export: at most one value and one text per item
        counts = np.bincount(value_keys, minlength=span), np.bincount(text_keys, minlength=span)
        if counts[0].max(initial=0) <= 1 and counts[1].max(initial=0) <= 1:
            value_at, text_at = np.full(span, -1, dtype=np.intp), np.full(span, -1, dtype=np.intp)
            value_at[value_keys], text_at[text_keys] = np.flatnonzero(~is_text), np.flatnonzero(is_text)
            present = np.flatnonzero((counts[0] > 0) | (counts[1] > 0))
            return value_at[present], text_at[present]
    # an item in two columns: every value with every text of that item and row, as a database join
    values = pd.DataFrame({"key": value_keys, "v": np.flatnonzero(~is_text)})
    texts = pd.DataFrame({"key": text_keys, "t": np.flatnonzero(is_text)})
    merged = values.merge(texts, on="key", how="outer", sort=True).sort_values("key", kind="stable")
    return merged["v"].fillna(-1).to_numpy(dtype=np.intp), merged["t"].fillna(-1).to_numpy(dtype=np.intp)


def read_answers(path: str | Path, mapping: str | Path | dict | Mapping | None = None, settings=None) -> RawAnswers:
    """Read one file into a :class:`RawAnswers` (text, not yet validated).

    Without ``mapping``, a ``<name>.mapping.yaml`` beside the file is used if present;
    otherwise the file must be in the canonical long form.
    """
    path = Path(path)
    if mapping is None:
        found = mapping_for(path)
        mapping = load_mapping(found) if found else None
    elif not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    if mapping is None:
        table = read_raw_table(path, categorical=True)
        raw = _from_long(table, None, settings)
    else:
        table = read_raw_table(path, encoding=mapping.encoding, delimiter=mapping.delimiter, sheet=mapping.sheet,
                               header_rows=mapping.header_rows, skip_rows=mapping.skip_rows,
                               # a wide export has a row per respondent: ids and times are all distinct,
                               # so categories would cost more than they save
                               categorical=mapping.format != "wide")
        raw = (_from_wide if mapping.format == "wide" else _from_long)(table, mapping, settings)
    if raw.frame.empty and not raw.rejected:
        raise file_error(path, "file.no_rows")
    raw.encoding, raw.delimiter, raw.sheet = table.encoding, table.delimiter, table.sheet
    return raw


def input_files(paths: str | Path | list, ignore=()) -> list[Path]:
    """The data files named by ``paths``: files as given, folders searched recursively for
    tables (:data:`TABLE_SUFFIXES`; hidden files and Excel's ``~$`` lock files left out).

    ``ignore``: glob patterns (``fnmatch``, e.g. ``"*.txt"``, ``"muistiinpanot/*"``) of files
    found in a folder that hold no answers (settings ``input.ignore``); a pattern is matched
    against the file's path relative to the folder (with ``/``) and against its name. A file
    named in ``paths`` itself is always read.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("vastaukset.csv", "LUEMINUT.txt"):
    ...     _ = (folder / name).write_text("x")
    >>> [f.name for f in input_files(folder)], [f.name for f in input_files(folder, ignore=["LUEMINUT*"])]
    (['LUEMINUT.txt', 'vastaukset.csv'], ['vastaukset.csv'])
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix.lower() in TABLE_SUFFIXES and f.is_file()
                            and not f.name.startswith((".", "~$")) and not _ignored(f, p, ignore))
        else:
            files.append(p)
    return files


def _ignored(file: Path, folder: Path, patterns) -> bool:
    """Whether ``file``, found in ``folder``, matches one of the glob ``patterns``."""
    from fnmatch import fnmatch
    relative = file.relative_to(folder).as_posix()
    return any(fnmatch(relative, pattern) or fnmatch(file.name, pattern) for pattern in patterns)


def to_csv_text(frame: pd.DataFrame, sep: str = ";") -> str:
    """``frame`` as CSV text, formula-like text cells neutralised (:func:`osallisuus.fileio.csv_text`)."""
    from .fileio import csv_text
    return csv_text(frame, sep=sep)

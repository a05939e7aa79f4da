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

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .errors import InputFileError, MappingError

REQUIRED = ("respondent_id", "region", "phase", "role", "instrument", "item", "value")
OPTIONAL = ("group", "date", "text")
CANONICAL = REQUIRED + OPTIONAL
META_FIELDS = ("respondent_id", "region", "phase", "role", "group", "date")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
DELIMITERS = (";", ",", "\t", "|")


@dataclass
class RawAnswers:
    """Answers read from one file, still as text, one row per answer.

    Attributes
    ----------
    frame : DataFrame
        Canonical columns (all text) plus ``source_file``, ``source_row``, ``source_column``.
    path : Path
    columns : dict
        Canonical field -> the file's column it came from (or ``"= value"`` for a constant).
    file_rows : int
        Data rows in the file (for a wide export, respondents).
    encoding, delimiter : str
        What the file was read with.
    """

    frame: pd.DataFrame
    path: Path
    columns: dict[str, str] = field(default_factory=dict)
    file_rows: int = 0
    encoding: str = ""
    delimiter: str = ""


# ---------------------------------------------------------------- raw tables
def detect_encoding(head: bytes) -> str:
    """'utf-8-sig' for a BOM, 'utf-8' if the bytes decode, else Windows-1252 (older Excel exports)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "cp1252"


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample: ';' (Finnish Excel), ',', tab or '|'."""
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ","


def read_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | int | None = None) -> tuple[pd.DataFrame, str, str]:
    """Read a CSV or XLSX file as text.

    Returns
    -------
    (frame, encoding, delimiter)
        Every cell a string ("" for an empty cell); header names stripped.

    Raises
    ------
    InputFileError
        If the file is missing, empty, not a table, or has no data rows.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "no such file")
    if path.stat().st_size == 0:
        raise InputFileError(path, "the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise InputFileError(path, f"cannot read as an Excel workbook: {exc}") from None
        frame = frame.fillna("")
        enc, delim = "xlsx", ""
    else:
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
        enc = encoding or detect_encoding(head)
        sample = head.decode(enc, errors="replace")
        delim = delimiter or detect_delimiter(sample)
        try:
            frame = pd.read_csv(path, sep=delim, dtype=str, keep_default_na=False, encoding=enc,
                                skipinitialspace=False, engine="c")
        except UnicodeDecodeError:
            if encoding:
                raise InputFileError(path, f"cannot decode the file as {encoding}") from None
            enc = "cp1252"
            frame = pd.read_csv(path, sep=delim, dtype=str, keep_default_na=False, encoding=enc)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            raise InputFileError(path, f"cannot read as a {delim!r}-delimited CSV file: {exc}") from None
    _check_unique_header(path, enc, delim)
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputFileError(path, "the file has a header but no data rows")
    return frame, enc, delim


def _check_unique_header(path: Path, enc: str, delim: str) -> None:
    """pandas silently renames a repeated header to 'name.1'; a mapping would then read the
    wrong column. Repeated headers are an error naming them."""
    if enc == "xlsx":
        header = pd.read_excel(path, header=None, nrows=1, dtype=str, engine="openpyxl").iloc[0].tolist()
    else:
        with open(path, encoding=enc, errors="replace", newline="") as fh:
            header = next(csv.reader(fh, delimiter=delim), [])
    names = [str(h).strip() for h in header if str(h).strip() and str(h) != "nan"]
    dupes = sorted({h for h in names if names.count(h) > 1})
    if dupes:
        raise InputFileError(path, f"repeated column header(s) {dupes}: every column needs its own header")


# ------------------------------------------------------------------- mapping
@dataclass
class Mapping:
    """Where each canonical field of an export comes from. Built by :func:`load_mapping`."""

    format: str = "wide"
    fields: dict[str, str] = field(default_factory=dict)      # field -> column
    constants: dict[str, str] = field(default_factory=dict)   # field -> value
    items: list[dict[str, str]] = field(default_factory=list)  # {column, instrument, item, field}
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    generate_ids: bool = False
    recode: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {export label: canonical}
    source: str = ""


MAPPING_KEYS = {"format", "columns", "constants", "items", "encoding", "delimiter", "sheet",
                "instrument", "generate_respondent_id", "description", "recode"}


def load_mapping(mapping: str | Path | dict) -> Mapping:
    """Read and check a mapping YAML (or an already-parsed dict).

    The form::

        format: wide                     # wide (default) or long
        delimiter: ";"                   # optional; sniffed otherwise
        encoding: cp1252                 # optional; detected otherwise
        generate_respondent_id: false    # true: anonymous export, ids from file name + row
        recode:                          # optional: the export's own labels -> accepted values
          role: {"Asiakas / kehittäjäasiakas": client}
        columns:                         # canonical field -> export column
          respondent_id: Vastaajatunnus
          region: Alue
          role: Olen
        constants:                       # canonical field -> the same value on every row
          phase: baseline
        instrument: kehittajaryhma_palaute   # default instrument of the items below
        items:                           # wide only: export column -> item
          - {column: "Sain sanoa asiani ja tulin kuulluksi", item: kuulluksi}
          - {column: "Vapaa sana", item: kommentit, field: text}
    """
    if isinstance(mapping, dict):
        doc, where = mapping, "mapping"
    else:
        where = str(mapping)
        path = Path(mapping)
        if not path.is_file():
            raise MappingError(f"{where}: no such mapping file")
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise MappingError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise MappingError(f"{where}: a mapping file must be a YAML mapping")
    unknown = set(doc) - MAPPING_KEYS
    if unknown:
        raise MappingError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(MAPPING_KEYS)}")
    fmt = doc.get("format", "wide")
    if fmt not in ("wide", "long"):
        raise MappingError(f"{where}: format {fmt!r}; expected wide or long")
    fields = {str(k): str(v) for k, v in (doc.get("columns") or {}).items()}
    constants = {str(k): str(v) for k, v in (doc.get("constants") or {}).items()}
    allowed = set(CANONICAL) if fmt == "long" else set(META_FIELDS)
    for key in list(fields) + list(constants):
        if key not in allowed:
            raise MappingError(f"{where}: {key!r} is not a field a {fmt} mapping can set; expected one of {sorted(allowed)}")
    default_instrument = doc.get("instrument")
    items = []
    for n, entry in enumerate(doc.get("items") or []):
        if not isinstance(entry, dict) or "column" not in entry or "item" not in entry:
            raise MappingError(f"{where}: items[{n}] needs at least column and item, got {entry!r}")
        inst = entry.get("instrument", default_instrument)
        if not inst:
            raise MappingError(f"{where}: items[{n}] ({entry['column']!r}) names no instrument and no default instrument is set")
        fld = entry.get("field", "value")
        if fld not in ("value", "text"):
            raise MappingError(f"{where}: items[{n}].field {fld!r}; expected value or text")
        items.append({"column": str(entry["column"]), "instrument": str(inst), "item": str(entry["item"]), "field": fld})
    if fmt == "wide" and not items:
        raise MappingError(f"{where}: a wide mapping needs an items list")
    generate = bool(doc.get("generate_respondent_id", False))
    needed = [f for f in (REQUIRED if fmt == "long" else ("respondent_id", "region", "phase", "role"))
              if f not in fields and f not in constants and not (f == "respondent_id" and generate)
              and not (fmt == "long" and f in ("instrument",) and default_instrument)]
    if fmt == "wide":
        needed = [f for f in needed if f not in ("instrument", "item", "value")]
    if needed:
        raise MappingError(f"{where}: no column or constant given for {needed}")
    if fmt == "long" and default_instrument and "instrument" not in fields:
        constants.setdefault("instrument", str(default_instrument))
    recode = doc.get("recode") or {}
    if not isinstance(recode, dict) or not all(isinstance(v, dict) for v in recode.values()):
        raise MappingError(f"{where}: recode must map a field to {{export value: value}}")
    bad = [k for k in recode if k not in CANONICAL]
    if bad:
        raise MappingError(f"{where}: recode names unknown fields {bad}; expected some of {list(CANONICAL)}")
    recode = {k: {str(a): str(b) for a, b in v.items()} for k, v in recode.items()}
    return Mapping(fmt, fields, constants, items, doc.get("encoding"), doc.get("delimiter"),
                   doc.get("sheet"), generate, recode, where)


def _recode(values: np.ndarray, table: dict[str, str] | None) -> np.ndarray:
    if not table:
        return values
    return pd.Series(values, dtype=object).map(lambda v: table.get(str(v).strip(), v)).to_numpy(dtype=object)


def mapping_for(path: Path) -> Path | None:
    """The mapping file that sits beside an export: ``name.mapping.yaml`` for ``name.csv``."""
    for candidate in (path.with_suffix(".mapping.yaml"), path.with_suffix(".mapping.yml")):
        if candidate.is_file():
            return candidate
    return None


def _check_columns(frame: pd.DataFrame, wanted: list[str], path: Path, where: str) -> None:
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        shown = ", ".join(repr(c) for c in list(frame.columns)[:12])
        more = " …" if len(frame.columns) > 12 else ""
        raise MappingError(f"{where}: column(s) {missing} not found in {path}; its columns are {shown}{more}")


def _rows(n: int) -> np.ndarray:
    return np.arange(2, n + 2, dtype=np.int64)  # header is row 1


def _from_long(frame: pd.DataFrame, path: Path, mapping: Mapping | None) -> RawAnswers:
    fields = mapping.fields if mapping else {c: c for c in CANONICAL if c in frame.columns}
    constants = mapping.constants if mapping else {}
    if mapping:
        _check_columns(frame, list(fields.values()), path, mapping.source)
    else:
        missing = [c for c in REQUIRED if c not in frame.columns]
        if missing:
            raise InputFileError(path, f"missing required column(s) {', '.join(missing)}: a canonical file needs "
                                       f"{', '.join(REQUIRED)}; for a survey export give a mapping file "
                                       f"(--mapping, or {path.with_suffix('.mapping.yaml').name} beside it)")
    n = len(frame)
    out = {}
    for name in CANONICAL:
        if name in fields:
            out[name] = _recode(frame[fields[name]].to_numpy(dtype=object), mapping.recode.get(name) if mapping else None)
        elif name in constants:
            out[name] = np.full(n, constants[name], dtype=object)
        elif name == "respondent_id" and mapping and mapping.generate_ids:
            out[name] = np.char.add(f"{path.stem}-", _rows(n).astype(str)).astype(object)
        else:
            out[name] = np.full(n, "", dtype=object)
    out["source_file"] = np.full(n, str(path), dtype=object)
    out["source_row"] = _rows(n)
    out["source_column"] = np.full(n, fields.get("value", "value"), dtype=object)
    cols = {**{k: v for k, v in fields.items()}, **{k: f"= {v}" for k, v in constants.items()}}
    return RawAnswers(pd.DataFrame(out), path, cols, n)


def _from_wide(frame: pd.DataFrame, path: Path, mapping: Mapping) -> RawAnswers:
    _check_columns(frame, list(mapping.fields.values()) + [e["column"] for e in mapping.items], path, mapping.source)
    n = len(frame)
    rows = _rows(n)
    meta = {}
    for name in META_FIELDS:
        if name in mapping.fields:
            meta[name] = _recode(frame[mapping.fields[name]].to_numpy(dtype=object), mapping.recode.get(name))
        elif name in mapping.constants:
            meta[name] = np.full(n, mapping.constants[name], dtype=object)
        elif name == "respondent_id":
            meta[name] = np.char.add(f"{path.stem}-", rows.astype(str)).astype(object)
        else:
            meta[name] = np.full(n, "", dtype=object)
    # One frame per answer field, then value and text of the same item joined on the row.
    parts = []
    for entry in mapping.items:
        cells = frame[entry["column"]].to_numpy(dtype=object)
        parts.append(pd.DataFrame({"_pos": np.arange(n), "instrument": entry["instrument"], "item": entry["item"],
                                   "field": entry["field"], "cell": cells, "source_column": entry["column"]}))
    long = pd.concat(parts, ignore_index=True)
    long = long[long["cell"].astype(str).str.strip() != ""]
    values = long[long["field"] == "value"].drop(columns="field").rename(columns={"cell": "value"})
    texts = long[long["field"] == "text"].drop(columns="field").rename(columns={"cell": "text", "source_column": "_text_col"})
    keys = ["_pos", "instrument", "item"]
    merged = values.merge(texts, on=keys, how="outer", sort=False)
    merged["value"] = merged["value"].fillna("")
    merged["text"] = merged["text"].fillna("")
    merged["source_column"] = merged["source_column"].fillna(merged["_text_col"])
    merged = merged.sort_values(["_pos"], kind="stable").reset_index(drop=True)
    pos = merged["_pos"].to_numpy()
    out = {name: meta[name][pos] for name in META_FIELDS}
    out.update({"instrument": merged["instrument"].to_numpy(object), "item": merged["item"].to_numpy(object),
                "value": merged["value"].to_numpy(object), "text": merged["text"].to_numpy(object)})
    table = pd.DataFrame(out)[list(CANONICAL)]
    table["source_file"] = str(path)
    table["source_row"] = rows[pos]
    table["source_column"] = merged["source_column"].to_numpy(object)
    cols = {**mapping.fields, **{k: f"= {v}" for k, v in mapping.constants.items()}}
    return RawAnswers(table, path, cols, n)


def read_answers(path: str | Path, mapping: str | Path | dict | Mapping | None = None) -> RawAnswers:
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
        frame, enc, delim = read_table(path)
        raw = _from_long(frame, path, None)
    else:
        frame, enc, delim = read_table(path, encoding=mapping.encoding, delimiter=mapping.delimiter, sheet=mapping.sheet)
        raw = _from_wide(frame, path, mapping) if mapping.format == "wide" else _from_long(frame, path, mapping)
    raw.encoding, raw.delimiter = enc, delim
    return raw


def input_files(paths: str | Path | list) -> list[Path]:
    """The data files named by ``paths``: files as given, folders searched recursively."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix.lower() in TABLE_SUFFIXES and f.is_file()
                            and not f.name.startswith((".", "~$")))
        else:
            files.append(p)
    return files


def read_survey(path: str | Path, mapping: str | Path | dict | None = None, **validate_kw: Any) -> pd.DataFrame:
    """Read a survey export or canonical file and return its valid answers.

    A shortcut for ``validate(path, mapping=mapping).data``: rows that fail validation
    are left out (use :func:`osallisuus.validate` to see and quarantine them).

    Parameters
    ----------
    path : path-like
        CSV (``;`` or ``,``, UTF-8 with or without BOM, or Windows-1252) or XLSX.
    mapping : path-like or dict, optional
        Mapping YAML for a survey export (see :func:`load_mapping`).
    """
    from .validation import validate
    return validate(path, mapping=mapping, **validate_kw).data


def to_csv_text(frame: pd.DataFrame, sep: str = ";") -> str:
    """``frame`` as CSV text, formula-like text cells neutralised (:func:`osallisuus.fileio.csv_text`)."""
    from .fileio import csv_text
    return csv_text(frame, sep=sep)

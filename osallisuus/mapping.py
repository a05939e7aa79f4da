"""Mapping files: where each canonical field of a survey export comes from, and how its
values translate (labels, codes, a tool's own option numbers, date formats).

The form (every key optional unless said)::

    format: wide                     # wide (default; one row per respondent) or long
    delimiter: ";"                   # sniffed otherwise
    encoding: cp1252                 # detected otherwise
    sheet: Vastaukset                # workbook sheet (name or 0-based position)
    skip_rows: 2                     # title rows above the header
    header_rows: 2                   # header spans two rows (SurveyMonkey: question / sub-answer)
    generate_respondent_id: false    # true: anonymous export, ids from file name + row
    shared_ids: false                # true: the same id in two files is the same person;
                                     # false (default): ids are scoped by the file
    carry: [role, group]             # fill an empty field from the respondent's earlier row
    date_format: "%m/%d/%Y %H:%M:%S" # how the date column is written (strftime codes)
    numbering: codes                 # how numeric answers are read (default for every item):
                                     #   codes     - the number is the scale code
                                     #   from_top  - 1 = first option as listed (Webropol)
                                     #   from_bottom - 1 = the lowest point of the scale
    values: {"1": 4, "2": 3}         # export value -> scale code or label, for every item
    recode:                          # the export's own labels -> accepted values of a field
      role: {"Asiakas / kehittäjäasiakas": client}
    columns: {respondent_id: Tunnus, region: Alue, role: Olen}
    constants: {phase: baseline}
    instrument: kehittajaryhma_palaute   # default instrument of the items below
    items:                           # wide only: export column -> item; numbering and values
      - {column: "Sain sanoa asiani", item: kuulluksi, numbering: from_top}
      - {column: "Vapaa sana", item: kommentit, field: text}

An item block shares its recoding through a YAML anchor under a key starting with ``x-``
(such keys are ignored)::

    x-block: &block {instrument: arvio_4, numbering: from_top, values: {"6": "9"}}
    items:
      - {<<: *block, column: "Q1", item: suunnittelu}
      - {<<: *block, column: "Q2", item: resursointi}
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import MappingError
from .fileio import safe_load
from .reader import cut

__all__ = ["Mapping", "load_mapping", "MAPPING_KEYS", "ITEM_KEYS", "NUMBERINGS", "nearest", "FILL_IN"]

REQUIRED = ("respondent_id", "region", "phase", "role", "instrument", "item", "value")
OPTIONAL = ("group", "date", "text")
CANONICAL = REQUIRED + OPTIONAL
META_FIELDS = ("respondent_id", "region", "phase", "role", "group", "date")
MAPPING_KEYS = ("format", "columns", "constants", "items", "encoding", "delimiter", "sheet", "instrument",
                "generate_respondent_id", "description", "recode", "skip_rows", "header_rows", "shared_ids",
                "carry", "date_format", "numbering", "values", "tool", "not_read")
ITEM_KEYS = ("column", "instrument", "item", "field", "numbering", "values")
NUMBERINGS = ("codes", "from_top", "from_bottom")


@dataclass
class Mapping:
    """Where each canonical field of an export comes from. Built by :func:`load_mapping`."""

    format: str = "wide"
    fields: dict[str, str] = field(default_factory=dict)      # field -> column
    constants: dict[str, str] = field(default_factory=dict)   # field -> value
    items: list[dict[str, Any]] = field(default_factory=list)  # {column, instrument, item, field, numbering, values}
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    generate_ids: bool = False
    recode: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {export label: canonical}
    source: str = ""
    skip_rows: int = 0
    header_rows: int = 1
    shared_ids: bool = False
    carry: tuple[str, ...] = ()
    date_format: str | None = None
    numbering: str = "codes"
    values: dict[str, str] = field(default_factory=dict)
    not_read: tuple[str, ...] = ()   # columns left unread on purpose (a tool's bookkeeping, e-mail, IP)


def nearest(word: str, choices) -> str:
    """' (did you mean X?)' for the closest choice, or ''.

    Examples
    --------
    >>> nearest("colums", ["columns", "items"])
    " (did you mean 'columns'?)"
    """
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(doc: dict, allowed, where: str) -> None:
    for key in doc:
        if key not in allowed:
            raise MappingError(f"{where}: unknown key {cut(key)!r}{nearest(key, allowed)}; allowed: {', '.join(allowed)}")


def _flag(doc: dict, key: str, where: str) -> bool:
    value = doc.get(key, False)
    if not isinstance(value, bool):
        raise MappingError(f"{where}: {key} is {cut(value)!r}; expected true or false (without quotes)")
    return value


def _count(doc: dict, key: str, where: str, default: int, low: int) -> int:
    value = doc.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise MappingError(f"{where}: {key} is {cut(value)!r}; expected a whole number from {low} up")
    return value


def _text_table(value: Any, where: str, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise MappingError(f"{where}: {what} must map an export value to a value, got {cut(value)!r}")
    return {str(a).strip(): str(b) for a, b in value.items()}


def _numbering(value: Any, where: str) -> str:
    if value not in NUMBERINGS:
        raise MappingError(f"{where}: numbering {cut(value)!r}{nearest(value, NUMBERINGS)}; expected one of {', '.join(NUMBERINGS)}")
    return value


def _read_doc(mapping: str | Path | dict) -> tuple[dict, str]:
    if isinstance(mapping, dict):
        return mapping, "mapping"
    where, path = str(mapping), Path(mapping)
    if not path.is_file():
        raise MappingError(f"{where}: no such mapping file")
    try:
        doc = safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MappingError(f"{where}: not valid YAML (UTF-8): {cut(exc, 300)}") from None
    if not isinstance(doc, dict):
        raise MappingError(f"{where}: a mapping file must be a YAML mapping")
    return doc, where


def _items(doc: dict, where: str, numbering: str) -> list[dict[str, Any]]:
    default_instrument = doc.get("instrument")
    raw = doc.get("items") or []
    if not isinstance(raw, list):
        raise MappingError(f"{where}: items must be a list of {{column, item}}")
    items, used = [], {}
    for n, entry in enumerate(raw):
        w = f"{where}: items entry {n + 1}"
        if not isinstance(entry, dict) or "column" not in entry or "item" not in entry:
            raise MappingError(f"{w} needs at least column and item, got {cut(entry)!r}")
        _check_keys(entry, ITEM_KEYS, w)
        inst = entry.get("instrument", default_instrument)
        if not inst:
            raise MappingError(f"{w} ({cut(entry['column'])!r}) names no instrument and no default instrument is set")
        fld = entry.get("field", "value")
        if fld not in ("value", "text"):
            raise MappingError(f"{w}.field {cut(fld)!r}; expected value or text")
        key = (str(entry["column"]), fld)
        if key in used:   # two questions read from one column: one of them would be the other's answers
            raise MappingError(f"{w} ({cut(entry['column'])!r} -> {cut(entry['item'])!r}) reads the same column as "
                               f"items entry {used[key][0]} (-> {cut(used[key][1])!r}); each answer column is one "
                               f"question")
        used[key] = (n + 1, str(entry["item"]))
        items.append({"column": str(entry["column"]), "instrument": str(inst), "item": str(entry["item"]), "field": fld,
                      "numbering": _numbering(entry.get("numbering", numbering), w),
                      "values": _text_table(entry.get("values"), w, "values")})
    return items


#: what a mapping draft writes for a constant the user must give
FILL_IN = "FILL IN"


def _check_constants(constants: dict[str, str], recode: dict, where: str) -> None:
    """A constant region, phase or role that no row could have: one error naming the mapping
    and the key, not one message per row of the export (a typo such as 'phase: syksy2026'
    quarantined every answer)."""
    from .instruments import alias_table, normalise_label
    from .regions import find_region
    for key in ("region", "phase", "role"):
        value = constants.get(key)
        if value is None:
            continue
        if value == FILL_IN:
            raise MappingError(f"{where}: constants.{key} is still {FILL_IN!r}; give the {key} every row of the export "
                               "shares")
        value = str((recode.get(key) or {}).get(value, value))
        if key == "region":
            if find_region(value) is None:
                raise MappingError(f"{where}: constants.region {cut(value)!r} is no region (see 'osallisuus regions')")
            continue
        known = alias_table("phases" if key == "phase" else "roles")     # what validation accepts
        if normalise_label(value) not in known:
            raise MappingError(f"{where}: constants.{key} {cut(value)!r}{nearest(value, list(known))}; expected one of "
                               f"{', '.join(dict.fromkeys(known.values()))} (or a word for one of them)")


def load_mapping(mapping: str | Path | dict) -> Mapping:
    """Read and check a mapping YAML (or an already-parsed dict); see the module docstring.

    Raises
    ------
    MappingError
        Naming the file and the key; an unknown key names the nearest valid one.

    Examples
    --------
    >>> m = load_mapping({"columns": {"respondent_id": "Tunnus"}, "constants": {"region": "x", "phase": "final",
    ...                   "role": "client"}, "instrument": "i", "items": [{"column": "Q1", "item": "q1"}]})
    >>> m.items[0]["numbering"], m.shared_ids
    ('codes', False)
    """
    doc, where = _read_doc(mapping)
    doc = {k: v for k, v in doc.items() if not str(k).startswith("x-")}  # anchors for item blocks
    _check_keys(doc, MAPPING_KEYS, where)
    fmt = doc.get("format", "wide")
    if fmt not in ("wide", "long"):
        raise MappingError(f"{where}: format {cut(fmt)!r}; expected wide or long")
    for key in ("columns", "constants"):
        if not isinstance(doc.get(key) or {}, dict):
            raise MappingError(f"{where}: {key} must map a field to a {'column' if key == 'columns' else 'value'}")
    fields = {str(k): str(v) for k, v in (doc.get("columns") or {}).items()}
    for key, value in (doc.get("constants") or {}).items():
        if value is None or not str(value).strip():
            raise MappingError(f"{where}: constants.{key} is empty; give the value every row of the export shares")
    constants = {str(k): str(v) for k, v in (doc.get("constants") or {}).items()}
    allowed = list(CANONICAL) if fmt == "long" else list(META_FIELDS)
    for key in list(fields) + list(constants):
        if key not in allowed:
            raise MappingError(f"{where}: {cut(key)!r} is not a field a {fmt} mapping can set{nearest(key, allowed)}; "
                               f"expected one of {', '.join(allowed)}")
    numbering = _numbering(doc.get("numbering", "codes"), where)
    items = _items(doc, where, numbering)
    if fmt == "wide" and not items:
        raise MappingError(f"{where}: a wide mapping needs an items list")
    generate = _flag(doc, "generate_respondent_id", where)
    default_instrument = doc.get("instrument")
    base = REQUIRED if fmt == "long" else ("respondent_id", "region", "phase", "role")
    needed = [f for f in base if f not in fields and f not in constants and not (f == "respondent_id" and generate)
              and not (fmt == "long" and f == "instrument" and default_instrument)]
    if needed:
        raise MappingError(f"{where}: no column or constant given for {', '.join(needed)}")
    if fmt == "long" and default_instrument and "instrument" not in fields:
        constants.setdefault("instrument", str(default_instrument))
    recode = doc.get("recode") or {}
    if not isinstance(recode, dict) or not all(isinstance(v, dict) for v in recode.values()):
        raise MappingError(f"{where}: recode must map a field to {{export value: value}}")
    _check_constants(constants, recode, where)
    for k in recode:
        if k not in CANONICAL:
            raise MappingError(f"{where}: recode names unknown field {cut(k)!r}{nearest(k, CANONICAL)}; "
                               f"expected some of {', '.join(CANONICAL)}")
    carry = doc.get("carry") or []
    if not isinstance(carry, list) or any(c not in META_FIELDS[1:] for c in carry):
        raise MappingError(f"{where}: carry {cut(carry)!r}; expected a list of {', '.join(META_FIELDS[1:])}")
    date_format = doc.get("date_format")
    if date_format is not None and (not isinstance(date_format, str) or "%" not in date_format):
        raise MappingError(f"{where}: date_format {cut(date_format)!r}; expected strftime codes such as '%d.%m.%Y %H.%M'")
    not_read = doc.get("not_read") or []
    if not isinstance(not_read, list) or not all(isinstance(c, (str, int, float)) for c in not_read):
        raise MappingError(f"{where}: not_read {cut(not_read)!r}; expected a list of column names")
    return Mapping(fmt, fields, constants, items, doc.get("encoding"), doc.get("delimiter"), doc.get("sheet"),
                   generate, {k: _text_table(v, where, "recode") for k, v in recode.items()}, where,
                   _count(doc, "skip_rows", where, 0, 0), _count(doc, "header_rows", where, 1, 1),
                   _flag(doc, "shared_ids", where), tuple(carry), date_format, numbering,
                   _text_table(doc.get("values"), where, "values"), tuple(str(c) for c in not_read))

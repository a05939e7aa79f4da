"""Drafting a mapping from a survey export: ``osallisuus mapping EXPORT``.

The draft recognises the survey tool from its header signature where it can (Webropol,
Microsoft Forms, LimeSurvey, Google Forms, REDCap, SurveyMonkey), finds the respondent id,
date, role, region, group, phase and free-text columns, matches question columns to an
instrument's item texts in Finnish, Swedish and English (:class:`difflib.SequenceMatcher`
ratio of case- and space-normalised texts; a matrix header such as ``Kysymys:Väite`` or
``Question [Statement]`` is also matched by its statement part), decides how numeric answers
are read (scale codes, or option numbers counted from the top or bottom) and writes a
commented YAML mapping that says what it is unsure of.

References
----------
Export formats: see ``tests/data/README.md`` for the public sources used.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd

from . import i18n
from .errors import InputFileError, MappingError
from .instruments import Instrument, Scale, _code_text, load_instrument, normalise_label
from .mapping import FILL_IN, META_FIELDS, load_mapping
from .reader import Table, cut, read_raw_table
from .regions import find_region, list_regions
from .vocab import LANGUAGES, PHASES, ROLES

__all__ = ["Draft", "draft_mapping", "detect_tool", "TOOLS"]

# Header signatures (normalised header names) of each tool's export: (all of, some of), in the
# languages the tool exports in (Microsoft Forms names its own columns in the form's language)
TOOLS = {
    "surveymonkey": [({"respondent id", "collector id"}, {"start date", "end date"})],
    "limesurvey": [({"response id"}, {"date submitted", "last page", "start language"}),
                   ({"id", "submitdate"}, {"lastpage", "startlanguage"})],      # the question-code export
    "msforms": [({"id", "start time", "completion time"}, {"email", "name"}),
                ({"id", "starttid", "sluttid"}, {"e-post", "namn"}),
                ({"tunnus", "aloitusaika", "valmistumisaika"}, {"sähköposti", "nimi"})],
    "redcap": [({"redcap_event_name"}, {"record_id"})],
    "googleforms": [({"timestamp"}, {"aikaleima", "tidsstämpel"})],
    "webropol": [({"vastausaika"}, {"vastaajan tunnus", "vastaaja"})],
}
ID_NAMES = ["respondent id", "response id", "record_id", "id", "tunnus", "vastaajatunnus", "osallistujatunnus",
            "vastaajan tunnus", "respondent_id", "svarandekod"]
DATE_NAMES = ["completion time", "end date", "date submitted", "timestamp", "vastausaika", "aikaleima", "päivämäärä",
              "date", "datum", "submitdate", "tidsstämpel", "sluttid", "valmistumisaika", "tidpunkt", "aika",
              "vastauspäivä", "svarsdatum", "time"]
ROLE_NAMES = ["olen", "rooli", "role", "roll", "i am", "jag är", "vastaajaryhmä", "taustaryhmä", "vastaan",
              "vastaan roolissa", "olen vastaajana", "jag svarar som", "jag deltar som", "i am answering as",
              "i answer as", "answering as", "respondent group"]
REGION_NAMES = ["hyvinvointialue", "alue", "region", "välfärdsområde", "wellbeing services county",
                "redcap_data_access_group"]
GROUP_NAMES = ["kehittäjäryhmä", "ryhmä", "group", "grupp", "utvecklingsgrupp", "dev_group", "development group",
               "development_group"]
PHASE_NAMES = ["redcap_event_name", "vaihe", "phase", "fas", "event"]
IGNORE_NAMES = ["collector id", "start date", "start time", "email", "email address", "name", "first name", "last name",
                "ip address", "custom data 1", "last page", "start language", "seed", "token", "last modified time",
                "starttid", "e-post", "namn", "senaste ändringstid", "aloitusaika", "sähköposti", "nimi",
                "viimeksi muokattu", "lastpage", "startlanguage", "startdate", "datestamp", "ipaddr", "refurl",
                "date started", "date last action", "referrer url",
                # a tool's numbering of the answers (Webropol: Vastausnumero / Svarsnummer): no question
                "vastausnumero", "vastauksen numero", "svarsnummer", "response number", "response id"]
# words of a heading that asks for a person's own code (a respondent id that links two surveys)
CODE_WORDS = ["kod", "koodi", "code", "tunnus", "tunniste", "identifier"]
# words of a heading that asks for the respondent's OWN code (a pseudonym they make up)
OWN_WORDS = ["itsellesi", "oma", "omaa", "oman", "keksi", "keksimäsi", "own", "yourself", "egen", "eget", "egna",
             "själv"]
PHASE_WORDS = {"baseline": ["baseline", "alku", "start", "pre"], "interim": ["interim", "väli", "mid", "follow"],
               "final": ["final", "loppu", "end", "post", "slut"]}
US_DATES = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M", "%m/%d/%Y")
EU_SLASH_DATES = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")


@dataclass
class Draft:
    """A drafted mapping: ``text`` is the commented YAML; ``unsure`` what a person should check."""

    text: str
    mapping: dict
    tool: str = ""
    unsure: list[str] = field(default_factory=list)
    matched: dict[str, str] = field(default_factory=dict)     # column -> item
    instrument_text: str = ""


#: a message of the draft, rendered in the user's language at the end: (translation key, values)
Message = tuple[str, dict]


def _msg(key: str, **values) -> Message:
    return key, values


def _ratio(x: float, lang: str) -> str:
    """A similarity ratio as shown (two decimals, rounded half up, the language's decimal sign)."""
    return i18n.fmt_number(x, lang, 2)


def _nearest(word: str, choices, lang: str) -> str:
    """' (did you mean X?)' in ``lang`` for the closest choice, or ''."""
    plain = {unicodedata.normalize("NFKD", str(c)).encode("ascii", "ignore").decode(): str(c) for c in choices}
    word = unicodedata.normalize("NFKD", str(word)).encode("ascii", "ignore").decode()
    close = get_close_matches(word, list(plain), n=1, cutoff=0.5)
    return i18n.t("draft.did_you_mean", lang, choice=plain[close[0]]) if close else ""


def _text(message: Message, lang: str) -> str:
    """A :data:`Message` in ``lang``: a value given per language is taken in ``lang``, a ratio
    as :func:`_ratio`; ``cant_say`` adds how to give a scale a "can't say" answer."""
    key, values = message
    shown = {k: (v.get(lang, "") if isinstance(v, dict) else _ratio(v, lang) if isinstance(v, float) else v)
             for k, v in values.items()}
    cant_say = shown.pop("cant_say", False)
    return i18n.t(key, lang, **shown) + (i18n.t("draft.cant_say", lang, scale=shown["scale"]) if cant_say else "")


def _norm(text: str) -> str:
    return normalise_label(re.sub(r"[\"'“”.?!:]", "", str(text)))     # 'Olen:' is 'olen'


def detect_tool(columns: list[str]) -> str:
    """The survey tool whose header signature the columns carry, or ''.

    Examples
    --------
    >>> detect_tool(["Timestamp", "Olen", "Q [a]"])
    'googleforms'
    """
    names = {_norm(c) for c in columns}
    for tool, signatures in TOOLS.items():
        if any(must <= names or (must & names and some & names) for must, some in signatures):
            return tool
    if any(re.search(r"\S:\S", str(c)) for c in columns) and "vastausaika" in names:
        return "webropol"
    return ""


def _find(columns: list[str], names: list[str], used: set) -> str | None:
    norm = {c: _norm(c) for c in columns if c not in used}
    for n in names:
        for c, nc in norm.items():
            if nc == n:
                return c
    return None


# ----------------------------------------------------------------- reading
def _read(path: Path, sheet: int | str | None = None) -> tuple[Table, int, int, list[Message]]:
    """The export (one sheet of it) read with its header rows and title rows detected."""
    notes = []
    table = read_raw_table(path, sheet=sheet)
    skip = 0
    while skip < 5 and (len(table.rejected) > len(table.frame) or len(table.frame.columns) > 2 and sum(
            not re.fullmatch(r"\([A-Z]+\)", c) for c in table.frame.columns) <= max(1, len(table.frame.columns) // 3)):
        skip += 1
        table = read_raw_table(path, skip_rows=skip, sheet=sheet)
        notes = [_msg("draft.title_row", rows=skip, skip=skip)]        # one line for all the title rows
    header_rows = 1
    if len(table.frame):
        first = table.frame.iloc[0].astype(str).str.strip()
        others = first.iloc[1:]
        tool = detect_tool(list(table.frame.columns))
        if first.iloc[0] == "" and (tool in ("surveymonkey", "") and _looks_like_subheader(others, tool)
                                    or _matrix_subheader(list(table.frame.columns), first)):
            header_rows = 2
            table = read_raw_table(path, header_rows=2, skip_rows=skip, sheet=sheet)
            notes.append(_msg("draft.two_header_rows"))
    return table, skip, header_rows, notes


def _matrix_subheader(columns: list[str], cells: pd.Series) -> bool:
    """A matrix question's second header row (Webropol's Excel export): the question heads several
    columns (the reader tells them apart by their letters: 'Hur väl … (E)', '… (F)') and the row
    under it names each statement, a different text in each."""
    base = [re.sub(r" \([A-Z]+\)$", "", c) for c in columns]
    repeated = [i for i, b in enumerate(base) if base.count(b) > 1]
    texts = [str(cells.iloc[i]).strip() for i in repeated]
    return len(repeated) >= 2 and all(t and not _is_int(t) for t in texts) and len(set(texts)) == len(texts)


def _looks_like_subheader(cells: pd.Series, tool: str) -> bool:
    """A second header row: SurveyMonkey's 'Response' cells, or (unknown tool) a row of texts."""
    words = {"response", "open-ended response", "vastaus", "svar", "other (please specify)"}
    if any(_norm(c) in words for c in cells):
        return True
    return tool == "" and (cells != "").mean() > 0.8 and not any(_is_int(c) for c in cells)


# ------------------------------------------------------------------ values
def _values(frame: pd.DataFrame, col: str) -> list[str]:
    v = frame[col].astype(str).str.strip()
    return sorted(set(v[v != ""]))


def _is_int(text: str) -> bool:
    return re.fullmatch(r"[0-9]+", text, re.ASCII) is not None


# "3 - Melko hyvin", "Melko hyvin (3)"; the label has a letter, so a decimal ("3.5") is no pair
_LABEL_NUMBER = re.compile(r"^\s*(\d+)\s*[-.:=)]\s*(?=\D*[^\W\d_])(.+?)\s*$|^\s*(?=[^(]*[^\W\d_])(.+?)\s*\((\d+)\)\s*$")


def _split_label_number(text: str) -> tuple[str, str] | None:
    m = _LABEL_NUMBER.match(text)
    if not m:
        return None
    return (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))


def _scale_fit(values: list[str], scale: Scale, loose: bool = False) -> float:
    """Share of distinct values that are a label of the scale, a number, or 'n - label'; with
    ``loose`` also a "can't say" answer of any built-in scale and a text close to a label (a typo:
    the draft reads it as that label and says so), which a question's answers may hold too."""
    if not values:
        return 0.0
    lookup = scale.lookup()
    extra = _missing_labels() if loose else set()

    def fits(v: str) -> bool:
        key = normalise_label(v)
        if key in lookup or key in extra or _is_int(v) or ((p := _split_label_number(v)) and normalise_label(p[1]) in lookup):
            return True
        return loose and max(SequenceMatcher(None, key, k).ratio() for k in lookup) >= 0.8
    return sum(1 for v in values if fits(v)) / len(values)


def _numbering(values: set[str], scale: Scale, tool: str) -> tuple[str, dict, list[str]]:
    """How the answers of an item block are read: (numbering, values table, unsure notes)."""
    lookup = scale.lookup()
    pairs = [p for v in values if (p := _split_label_number(v))]
    table = {v: _code_text(lookup[normalise_label(p[1])]) for v in values
             if (p := _split_label_number(v)) and normalise_label(p[1]) in lookup}
    unsure = _near_labels(values, scale, table)
    if pairs:
        numbering = _direction_from_pairs(pairs, scale)
        return numbering or "codes", table, unsure + ([] if numbering else [_msg("draft.numbers_no_order")])
    numbering, notes = _numbers_rule({int(v) for v in values if _is_int(v)}, scale, tool)
    return numbering, table, unsure + notes


def _numbers_rule(nums: set[int], scale: Scale, tool: str) -> tuple[str, list[Message]]:
    """Plain numbers: scale codes, or option numbers (Webropol: always from the top)."""
    if not nums:
        return "codes", []
    codes = {int(c) for c in scale.valid_codes + scale.missing_codes if float(c).is_integer()}
    n_options = len(scale.all_points)
    first = scale.all_points[0].label
    if tool == "webropol":
        return "from_top", [_msg("draft.webropol_numbers", first=first)]
    if nums <= codes:
        if nums <= set(range(1, n_options + 1)) and tool in ("redcap", "limesurvey", "msforms"):
            return "codes", [_msg("draft.numbers_codes", low=min(nums), high=max(nums), first=first)]
        return "codes", []
    if nums <= set(range(1, n_options + 1)):
        return "from_top", [_msg("draft.numbers_from_top", low=min(nums), high=max(nums), scale=scale.id, first=first)]
    return "codes", [_msg("draft.numbers_unfit", numbers=sorted(nums)[:8], scale=scale.id)]


def _near_labels(values: set[str], scale: Scale, table: dict) -> list[str]:
    """Answer texts that are close to a scale label but not one (a typo, another wording): added
    to ``table`` and named as unsure; texts close to none are named too."""
    lookup = scale.lookup()
    unsure = []
    for v in sorted(values):
        key = normalise_label(v)
        if key in lookup or v in table or _is_int(v) or _split_label_number(v):
            continue
        ratio, label = max((SequenceMatcher(None, key, k).ratio(), k) for k in lookup)
        if ratio >= 0.8:
            table[v] = _code_text(lookup[label])
            unsure.append(_msg("draft.near_label", value=cut(v, 40), label=label, ratio=ratio))
        else:
            unsure.append(_msg("draft.no_label", value=cut(v, 40), scale=scale.id,
                               cant_say=key in _missing_labels()))
    return unsure


def _missing_labels() -> set[str]:
    """Every built-in scale's missing answers ('En osaa sanoa', 'Kan inte säga', "Can't say"),
    normalised as answers are."""
    from .instruments import builtin_scales
    return {normalise_label(p.label[lang]) for s in builtin_scales().values() for p in s.missing
            for lang in LANGUAGES}


def _direction_from_pairs(pairs: list[tuple[str, str]], scale: Scale) -> str:
    """'codes', 'from_top' or 'from_bottom': which numbering the 'n - label' pairs follow, or ''."""
    lookup = scale.lookup()
    known = [(int(n), lookup[normalise_label(lab)]) for n, lab in pairs if normalise_label(lab) in lookup]
    order_top = {p.code: i + 1 for i, p in enumerate(scale.all_points)}
    bottom = sorted(scale.points, key=lambda p: p.code) + list(scale.missing)
    order_bottom = {p.code: i + 1 for i, p in enumerate(bottom)}
    for name, test in (("codes", lambda n, c: n == c), ("from_top", lambda n, c: order_top[c] == n),
                       ("from_bottom", lambda n, c: order_bottom[c] == n)):
        if known and all(test(n, c) for n, c in known):
            return name
    return ""


# ---------------------------------------------------------- item matching
def _item_score(column: str, texts: list[str], item_id: str) -> float:
    col = _norm(column)
    parts = [col]
    for sep in (r"\[(.+)\]\s*$", r":\s*(.+)$", r"/\s*(.+)$", r"-\s*(.+)$"):
        m = re.search(sep, str(column))
        if m:
            parts.append(_norm(m.group(1)))
    parts += [_norm(re.sub(r"^\s*\d+[.)]\s*", "", str(column)))]
    best = 0.0
    for p in parts:
        if p == _norm(item_id) or p.endswith("_" + _norm(item_id)) or p.startswith(_norm(item_id) + "_"):
            return 1.0
        for t in texts:
            best = max(best, SequenceMatcher(None, p, _norm(t)).ratio())
    return best


def _match_items(frame: pd.DataFrame, columns: list[str], inst: Instrument) -> tuple[dict, dict]:
    """column -> (item, score), greedily by best score, one column per item."""
    scores = []
    rated = set(inst.rated_items)
    for c in columns:
        for it in inst.items:
            if it.id not in rated:
                continue
            s = _item_score(c, list(it.text.values()), it.id)
            if s >= 0.45:
                scores.append((s, c, it.id))
    taken_c, taken_i, out = set(), set(), {}
    for s, c, i in sorted(scores, key=lambda x: -x[0]):
        if c in taken_c or i in taken_i:
            continue
        taken_c.add(c)
        taken_i.add(i)
        out[c] = (i, s)
    return out, {it.id: it for it in inst.items}


# ------------------------------------------------------------ meta fields
def _role_recode(values: list[str]) -> tuple[dict, list[str]]:
    table = {}
    for code, entry in i18n.vocabulary()["roles"].items():
        for t in [code, *entry["label"].values(), *entry.get("label_one", {}).values(), *entry.get("aliases", [])]:
            table[normalise_label(t)] = code
    recode, unknown = {}, []
    for v in values:
        parts = [normalise_label(v)] + [normalise_label(p) for p in re.split(r"[/,;()]", v) if p.strip()]
        code = next((table[p] for p in parts if p in table), None)
        if code is None:
            close = [table[k] for k in table if SequenceMatcher(None, k, normalise_label(v)).ratio() > 0.85]
            code = close[0] if close else None
        if code is None:
            unknown.append(v)
        elif normalise_label(v) not in table:
            recode[v] = code
    return recode, unknown


def _phase_recode(values: list[str]) -> tuple[dict, list[str]]:
    recode, unknown = {}, []
    for v in values:
        low = v.lower()
        hits = [p for p, words in PHASE_WORDS.items() if any(w in low for w in words)]
        if len(hits) == 1:
            recode[v] = hits[0]
        else:
            unknown.append(v)
    return recode, unknown


def _date_format(values: list[str]) -> tuple[str | None, list[str]]:
    """A strftime format for dates the validator does not read by itself, or None."""
    from .validation import _parse_date
    sample = values[:200]
    if not sample or all(_parse_date(v) is not None for v in sample):
        return None, []
    day_first = any(int(m.group(1)) > 12 for v in sample if (m := re.match(r"(\d{1,2})/(\d{1,2})/", v)))
    month_first = any(int(m.group(2)) > 12 for v in sample if (m := re.match(r"(\d{1,2})/(\d{1,2})/", v)))
    candidates = EU_SLASH_DATES if day_first and not month_first else US_DATES
    for fmt in candidates:
        if all(_try(fmt, v) for v in sample):
            note = [] if day_first or month_first else [_msg("draft.dates_ambiguous", value=sample[0], fmt=fmt)]
            return fmt, note
    return None, [_msg("draft.dates_unknown", value=cut(sample[0]))]


def _try(fmt: str, text: str) -> bool:
    from datetime import datetime
    try:
        datetime.strptime(text.strip(), fmt)
        return True
    except ValueError:
        return False


def _fraction(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _meta_columns(frame: pd.DataFrame, columns: list[str], tool: str, sets: dict) -> tuple[dict, dict, dict, list, set]:
    """(columns, constants, recode, unsure notes, used columns) for the respondent fields."""
    used: set = set()
    cols, consts, recode, unsure = {}, {}, {}, []
    for fld, names in (("respondent_id", ID_NAMES), ("date", DATE_NAMES), ("phase", PHASE_NAMES),
                       ("region", REGION_NAMES), ("group", GROUP_NAMES), ("role", ROLE_NAMES)):
        if fld in sets:
            consts[fld] = sets[fld]
            continue
        c = _find(columns, names, used)
        if c is None and fld == "role":
            c = next((k for k in columns if k not in used and _values(frame, k)
                      and not _role_recode(_values(frame, k))[1]), None)
        if c is None and fld == "region":
            c = next((k for k in columns if k not in used and _values(frame, k)
                      and _fraction(_values(frame, k), find_region) == 1.0), None)
        if c is None and fld == "respondent_id":
            c = _code_column(frame, [k for k in columns if is_personal_code(k)], used, len(frame))
            if c is not None:
                unsure.append(_msg("draft.id_code_found", column=cut(c, 60)))
        if c is None:
            continue
        if fld == "respondent_id" and _counts_rows(frame[c]):
            used.add(c)                 # the counter is no question either
            c, note = _personal_code(frame, columns, c, used)
            unsure.append(note)
        used.add(c)
        cols[fld] = c
    return cols, consts, recode, unsure, used


def _counts_rows(column: pd.Series) -> bool:
    """Whether a column numbers its rows 1..N, each number once (a form's response counter); a
    number that comes back on other rows is a person's (REDCap's record_id across events)."""
    values = column.astype(str).str.strip()
    values = values[values != ""]
    if len(values) < 3 or not values.map(_is_int).all() or values.nunique() != len(values):
        return False
    nums = sorted(int(v) for v in values)
    return nums == list(range(nums[0], nums[0] + len(nums)))


def _personal_code(frame: pd.DataFrame, columns: list[str], counter: str, used: set) -> tuple[str, Message]:
    """A row counter found as the respondent id: a column whose heading asks for a code and whose
    values are nearly all different (a person's own code), with a note; else the counter, with a
    note that it cannot link two surveys."""
    filled = (frame[counter].astype(str).str.strip() != "").sum()
    code = _code_column(frame, columns, used | {counter}, filled)
    if code is not None:
        return code, _msg("draft.id_code", counter=counter, column=cut(code, 60))
    return counter, _msg("draft.id_counter", column=counter)


def _code_column(frame: pd.DataFrame, columns: list[str], used: set, filled: int) -> str | None:
    """A column whose heading asks for a code ('Keksi itsellesi tunniste …') and whose values are
    nearly all different and no row counter: a person's own code."""
    for c in columns:
        if c in used:
            continue
        words = set(re.findall(r"\w+", _norm(c)))
        vals = frame[c].astype(str).str.strip()
        vals = vals[(vals != "") & (vals != "nan")]
        if words & set(CODE_WORDS) and len(vals) >= 0.8 * filled and vals.nunique() >= 0.8 * len(vals) \
                and not _counts_rows(vals):
            return c
    return None


def is_personal_code(column: str) -> bool:
    """Whether a column's heading asks for the respondent's own code: a code word and an own word
    ('Keksi itsellesi tunniste …', 'Your own code'), not 'Postal code' or 'Koulun koodi'."""
    words = set(re.findall(r"\w+", _norm(column)))
    return bool(words & set(CODE_WORDS)) and bool(words & set(OWN_WORDS))


# ------------------------------------------------------------------ draft
def draft_mapping(path: str | Path, instrument: str | None = None, *, new_instrument: str | None = None,
                  scale: str | None = None, sets: dict | None = None, settings=None, lang: str | None = None) -> Draft:
    """Draft a mapping for the export at ``path``.

    Parameters
    ----------
    instrument : str, optional
        Id of the instrument the export's questions belong to.
    new_instrument, scale : str, optional
        Draft a new instrument with this id on this scale from the export's question texts.
    sets : dict, optional
        Constants from the command line (``region``, ``phase``, ``role``, ``group``) and
        mapping keys (``shared_ids``, ``numbering``…).
    lang : str, optional
        Language of the draft's comments, notes and errors (default: the settings' language).

    Raises
    ------
    MappingError
        If neither an instrument nor a new instrument is named, or nothing matches.

    Examples
    --------
    >>> d = draft_mapping("webropol.csv", "my_instrument", sets={"region": "Lappi"})   # doctest: +SKIP
    >>> print(d.text)                                                                   # doctest: +SKIP
    # Mapping drafted by 'osallisuus mapping' from webropol.csv.
    # Survey tool: webropol; 5 question columns matched.
    """
    path, sets = Path(path), dict(sets or {})
    if lang is None:
        from .settings import load_settings
        lang = (settings or load_settings()).language
    i18n.check_lang(lang)
    allowed = (*META_FIELDS[1:], "shared_ids", "sheet")
    for key in sets:
        if key not in allowed:
            raise MappingError(i18n.t("draft.unknown_key", lang, key=key, hint=_nearest(key, allowed, lang),
                                      allowed=", ".join(allowed)))
    best, wanted = None, _wanted_sheet(path, sets.pop("sheet", None), lang)
    filled = _table_sheets(path)
    for sheet in [wanted] if wanted is not None else _sheets(path):     # --set sheet=NAME: that one
        table, skip, header_rows, notes = _read(path, sheet)
        frame = table.frame
        columns = [str(c) for c in frame.columns]
        tool = detect_tool(columns)
        cols, consts, recode, unsure, used = _meta_columns(frame, columns, tool, sets)
        inst, inst_text = _instrument_for(path, frame, columns, used, instrument, new_instrument, scale, settings, lang)
        matched, items = _match_items(frame, [c for c in columns if c not in used and _norm(c) not in IGNORE_NAMES
                                              and not _tool_column(c)], inst)
        if best is None or len(matched) > len(best[-1]):
            best = (table, skip, header_rows, notes, frame, columns, tool, cols, consts, recode, unsure, used, inst,
                    inst_text, items, matched)
    (table, skip, header_rows, notes, frame, columns, tool, cols, consts, recode, unsure, used, inst, inst_text, items,
     matched) = best
    unsure = unsure + [_msg("draft.other_sheet", sheet=cut(n, 60), used=cut(table.sheet, 60))
                       for n in filled if n and n != table.sheet]
    if not matched:
        raise MappingError(i18n.t("draft.no_item_column", lang, file=path, instrument=inst.id,
                                  columns=", ".join(repr(cut(c, 60)) for c in columns)) + _codes_hint(columns, lang))
    unsure += _fill_meta(frame, cols, consts, recode, tool, sets)
    block_values = set().union(*(_values(frame, c) for c in matched))
    numbering, values_table, notes_n = _numbering(block_values, inst.scale, tool)
    unsure += notes_n
    fmt, notes_d = _date_format(_values(frame, cols["date"])) if "date" in cols else (None, [])
    unsure += notes_d
    text_cols = _text_columns(frame, columns, used | set(matched), inst.scale)
    doc, notes_t = _doc(inst, cols, consts, recode, matched, text_cols, numbering, values_table, fmt, table, skip,
                        header_rows, tool, sets)
    unsure += notes_t
    for c, (item, score) in matched.items():
        if score < 0.75:
            unsure.append(_msg("draft.loose_match", column=cut(c, 60), item=item, score=score))
    missing = [i for i in inst.rated_items if i not in {v[0] for v in matched.values()}]
    if missing:
        unsure.append(_msg("draft.items_missing", items=", ".join(missing)))
    notes, unsure = [_text(m, lang) for m in notes], [_text(m, lang) for m in unsure]
    text = _render(doc, path, tool, notes, unsure, matched, items, lang)
    # the draft passes the mapping schema; a constant left for the user to fill in stands for a valid one
    stand_in = {"region": list_regions()[0].name["fi"], "phase": PHASES[0], "role": ROLES[0]}
    load_mapping({**doc, "constants": {k: (stand_in.get(k, "x") if v == FILL_IN else v)
                                       for k, v in (doc.get("constants") or {}).items()}})
    return Draft(text, doc, tool, unsure, {c: v[0] for c, v in matched.items()}, inst_text)


def _codes_hint(columns: list[str], lang: str) -> str:
    """'. The headers are question codes …' when they are ('Q1[SQ001]', 'Q1_SQ001'), else ''."""
    codes = sum(bool(re.fullmatch(r"[A-Za-z]\w*(\[\w+\]|_SQ\d+)", str(c))) for c in columns) >= 2
    return ". " + i18n.t("draft.question_codes", lang) if codes else ""


def _wanted_sheet(path: Path, wanted: str | None, lang: str) -> str | int | None:
    """``--set sheet=`` as a sheet's name, else (all digits) its 0-based position, as ``sheet:`` in
    a mapping; a file that is not a workbook has no sheets to choose (an error, not silence)."""
    if wanted is None:
        return None
    if not read_raw_table(path).sheet:
        raise MappingError(i18n.t("draft.not_a_workbook", lang, file=path, sheet=wanted))
    try:
        read_raw_table(path, sheet=wanted)
        return wanted
    except InputFileError as exc:
        if exc.key == "file.no_sheet" and str(wanted).isdigit():
            return int(wanted)
        raise


def _table_sheets(path: Path) -> list[str]:
    """The names of a workbook's sheets that hold a table (two columns or more: not a cover
    page's lines), each named in the draft when it reads another ([] for a text file)."""
    first = read_raw_table(path)                # the first filled sheet; the reader's notes name the others
    if not first.sheet:
        return []
    return ([first.sheet] if len(first.frame.columns) >= 2 else []) + \
        [params["sheet"] for key, params in first.notes if key == "read.sheet_skipped" and params.get("table")]


def _sheets(path: Path) -> list[int | None]:
    """Sheets to try: every sheet with data of a workbook (the best-matching one is used), or [None]."""
    if not read_raw_table(path).sheet:
        return [None]
    out = []
    for k in range(50):
        try:
            if len(read_raw_table(path, sheet=k).frame):
                out.append(k)
        except InputFileError as exc:
            if exc.key == "file.no_sheet":
                break
    return out or [None]


def _fill_meta(frame, cols, consts, recode, tool, sets) -> list[Message]:
    unsure = []
    if "role" in cols:
        rec, unknown = _role_recode(_values(frame, cols["role"]))
        if rec:
            recode["role"] = rec
        if unknown:
            unsure.append(_msg("draft.roles_unknown", values=", ".join(repr(cut(u, 40)) for u in unknown[:6])))
    if "phase" in cols:
        rec, unknown = _phase_recode(_values(frame, cols["phase"]))
        recode["phase"] = rec
        if unknown:
            unsure.append(_msg("draft.phases_unknown", values=unknown[:6]))
    if "region" in cols:
        bad = [v for v in _values(frame, cols["region"]) if not find_region(v)]
        if bad:
            unsure.append(_msg("draft.regions_unknown", values=bad[:6]))
    for fld in ("region", "phase", "role"):
        if fld not in cols and fld not in consts:
            consts[fld] = FILL_IN
            unsure.append(_msg("draft.field_missing", field=fld))
    if "respondent_id" not in cols:
        unsure.append(_msg("draft.no_id"))
    return unsure


def _tool_column(column: str) -> bool:
    """A survey tool's own bookkeeping column: REDCap's form status (``*_complete``: 0, 1, 2) and
    its ``redcap_*`` fields, never a question (a review's draft made them items)."""
    name = _norm(column)
    return name.endswith("_complete") or name.startswith("redcap_")


def _text_columns(frame: pd.DataFrame, columns: list[str], used: set, scale: Scale) -> list[str]:
    """Columns of written answers: not a respondent field, not (mostly) answers on ``scale``,
    not dates, and long texts (15 characters on average)."""
    out = []
    for c in columns:
        if c in used or _norm(c) in IGNORE_NAMES or _tool_column(c):
            continue
        vals = _values(frame, c)
        if vals and _scale_fit(vals, scale) < 0.5 and np.mean([len(v) for v in vals]) > 15 and not _dates(vals):
            out.append(c)
    return out


def _dates(values: list[str]) -> bool:
    """Whether (nearly) every value is a date or a time stamp (a form's start or end time)."""
    from .validation import _parse_date
    sample = values[:200]
    return sum(_parse_date(v) is not None or any(_try(f, v) for f in US_DATES + EU_SLASH_DATES)
               for v in sample) >= 0.8 * len(sample)


def _instrument_for(path, frame, columns, used, instrument, new_instrument, scale, settings, lang):
    """The instrument the export's questions belong to, and the text of a drafted one ('' for a named one):
    its rated items are the columns of answers on ``scale``, its free-text items the columns of written answers."""
    if instrument:
        return load_instrument(instrument, settings), ""
    if not new_instrument:
        raise MappingError(i18n.t("draft.name_instrument", lang))
    from .instruments import builtin_scales, parse_instrument
    scales = builtin_scales()
    if scale not in scales:
        raise MappingError(i18n.t("draft.unknown_scale", lang, scale=scale, hint=_nearest(scale, scales, lang),
                                  scales=", ".join(sorted(scales))))
    questions = [c for c in columns if c not in used and _norm(c) not in IGNORE_NAMES and not _tool_column(c)
                 and _scale_fit(_values(frame, c), scales[scale], loose=True) >= 0.8]
    if not questions:
        raise MappingError(i18n.t("draft.no_scale_column", lang, file=path, scale=scale) + _codes_hint(columns, lang))
    written = _text_columns(frame, columns, used | set(questions), scales[scale])
    doc = _instrument_doc(new_instrument, scale, questions, written, path)
    inst = parse_instrument(doc, f"{new_instrument}.yaml")
    import yaml
    text = (f"# {i18n.t('draft.instrument_head', lang)}\n# {i18n.t('draft.instrument_translate', lang)}\n"
            f"# {i18n.t_count('draft.instrument_scoring', lang, len(questions), n=doc['scoring']['min_answered'], items=len(questions))}\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110))
    return inst, text


def _slug(text: str, taken: set) -> str:
    base = unicodedata.normalize("NFKD", str(text).lower()).encode("ascii", "ignore").decode()
    base = "_".join(re.findall(r"[a-z0-9]+", base)[:3]) or "q"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    taken.add(slug)
    return slug


def _instrument_doc(iid: str, scale: str, questions: list[str], written: list[str], path: Path) -> dict:
    """A drafted instrument: a rated item per question column, a free-text item (``answer: text``)
    per column of ``written`` answers; every text in every language the export's wording."""
    taken: set = set()
    items = []
    for q in [*questions, *written]:
        m = re.search(r"\[(.+)\]\s*$|:\s*(.+)$", q)
        text = (m.group(1) or m.group(2)) if m else q
        item = {"id": _slug(text, taken)} | ({"answer": "text"} if q in written else {})
        items.append(item | {"text": {lang: text for lang in LANGUAGES}, "provisional": True})
    from .i18n import t
    return {"id": iid, "version": "draft", "name": {lang: iid for lang in LANGUAGES},
            "source": f"Drafted from the question texts of the export {path.name}", "wording": "provisional",
            # what a report prints as the instrument's reference, in each language
            "citation": {lang: t("draft.citation", lang, file=path.name) for lang in LANGUAGES},
            "scale": scale, "answer": "rating", "items": items,
            # a score needs most of the questions answered (the report's default is 1 of them)
            "scoring": {"method": "mean", "min_answered": max(1, math.ceil(0.8 * len(questions)))}}


def _doc(inst, cols, consts, recode, matched, text_cols, numbering, values_table, fmt, table, skip, header_rows,
         tool, sets) -> tuple[dict, list[Message]]:
    """The mapping, and what a person should check about its columns of written answers."""
    doc: dict = {"format": "wide"}
    if tool:
        doc["tool"] = tool
    if table.sheet:
        doc["sheet"] = table.sheet
    if table.delimiter:
        doc["delimiter"] = table.delimiter
    if skip:
        doc["skip_rows"] = skip
    if header_rows > 1:
        doc["header_rows"] = header_rows
    if "shared_ids" in sets:
        doc["shared_ids"] = str(sets["shared_ids"]).lower() in ("true", "1", "yes")
    elif "respondent_id" in cols and is_personal_code(cols["respondent_id"]):
        doc["shared_ids"] = True        # a code the respondent typed links their surveys (a review lost a panel)
    if "respondent_id" not in cols:
        doc["generate_respondent_id"] = True
    if tool == "redcap" and "role" in cols:
        doc["carry"] = ["role"] + (["group"] if "group" in cols else [])
    if fmt:
        doc["date_format"] = fmt
    doc["columns"] = {k: v for k, v in cols.items() if k in META_FIELDS}
    doc["constants"] = {k: v for k, v in consts.items() if k in META_FIELDS}
    if recode:
        doc["recode"] = {k: v for k, v in recode.items() if v}
    doc["instrument"] = inst.id
    if numbering and numbering != "codes":
        doc["numbering"] = numbering
    if values_table:
        doc["values"] = values_table
    doc["items"] = [{"column": c, "item": item} for c, (item, _) in matched.items()]
    notes = _text_items(doc, inst, text_cols)
    read = set(cols.values()) | {e["column"] for e in doc["items"]}
    skipped = [c for c in table.frame.columns if str(c) not in read and (_norm(str(c)) in IGNORE_NAMES
                                                                       or _tool_column(str(c)))]
    if skipped:
        doc["not_read"] = [str(c) for c in skipped]
    return doc, notes


def _text_items(doc: dict, inst: Instrument, text_cols: list[str]) -> list[Message]:
    """Map each column of written answers to the instrument's free-text item its heading is most
    like (in order when alike), adding them to ``doc``'s items; a column left without one is named."""
    free = [i for i in inst.items if i.answer == "text"]
    notes = []
    for c in text_cols:
        if not free:
            notes.append(_msg("draft.text_column_unread", column=cut(c, 60), instrument=inst.id))
            continue
        item = max(free, key=lambda it: _item_score(c, list(it.text.values()), it.id))
        free.remove(item)
        doc["items"].append({"column": c, "item": item.id, "field": "text"})
        notes.append(_msg("draft.text_column", column=cut(c, 60), item=item.id))
    return notes


def _q(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _render(doc: dict, path: Path, tool: str, notes: list[str], unsure: list[str], matched: dict, items: dict,
            lang: str) -> str:
    import yaml
    lines = [f"# {i18n.t('draft.head', lang, file=path.name)}",
             f"# {i18n.t('draft.tool', lang, tool=tool or i18n.t('draft.tool_unknown', lang), n=len(matched))}",
             f"# {i18n.t('draft.check', lang)}"]
    mark = i18n.t("draft.note_mark", lang)
    lines += [f"# {mark}: {n}" for n in notes]
    lines += [f"# UNSURE: {u}" for u in unsure]
    body = {k: v for k, v in doc.items() if k not in ("items", "not_read")}
    lines.append(yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=110).rstrip())
    if doc.get("not_read"):
        lines.append(f"# {i18n.t('draft.not_read', lang)}")
        lines.append(yaml.safe_dump({"not_read": doc["not_read"]}, allow_unicode=True, sort_keys=False,
                                    width=110).rstrip())
    lines.append("items:")
    scores = {c: s for c, (_, s) in matched.items()}
    for e in doc["items"]:
        extra = f", field: {e['field']}" if e.get("field") else ""
        comment = ""
        if e["column"] in scores:
            it = items[e["item"]]
            text = it.text.get(lang) or it.text["fi"]
            comment = "  # " + i18n.t("draft.match", lang, score=_ratio(scores[e["column"]], lang),
                                      text=_q(text if len(text) <= 60 else text[:60] + "…"))
        lines.append(f"  - {{column: {_q(e['column'])}, item: {e['item']}{extra}}}{comment}")
    return "\n".join(lines) + "\n"

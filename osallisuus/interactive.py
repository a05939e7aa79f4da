"""Verbs for working with answers interactively (JupyterLab, the notebook collection).

Every verb accepts the canonical long form (the columns of a canonical CSV, as text) as well
as validated data (:func:`osallisuus.validate` ``.data``): canonical frames are validated and
coded on the fly by :func:`prepare`, and anything else gets an error saying what to call.
Items can be named by id or by the text a respondent saw.

>>> import pandas as pd, osallisuus
>>> answers = pd.DataFrame({"respondent_id": ["a1", "a2", "a3"], "region": "Lappi",
...     "phase": "final", "role": "client", "instrument": "arvio_4",
...     "item": "Resursointi", "value": ["Melko hyvin", "Erittäin hyvin", "Melko huonosti"]})
>>> row = osallisuus.likert_table(answers, "arvio_4", suppression=osallisuus.Suppression(1)).loc["resursointi"]
>>> int(row["n"]), float(row["mean"])      # (3 + 4 + 2) / 3
(3, 3.0)
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputFileError, OsallisuusError
from .i18n import t as i18n_t
from .instruments import Instrument, list_instruments, load_instrument, normalise_label
from .numbers import format_count
from .reading import display_name, for_reading, reading_notes
from .settings import Settings, load_settings
from .suppression import Suppression
from .survey import CANONICAL, REQUIRED
from .vocab import PHASES

__all__ = ["prepare", "find_instrument", "item_id", "pick_instrument", "pick_item", "filter_answers", "respondents",
           "linkage", "crosstab", "likert_table", "show_likert", "score", "compare", "selection_vs_rest", "plot", "to_excel",
           "neutralise_formulas", "explorer", "show", "as_suppression", "require_answered"]

VALIDATED = ("code", "missing_code")
SHEET_COLUMNS = ("region", "phase", "role", "group")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ------------------------------------------------------------------ input
def _item_ids(frame: pd.DataFrame, settings: Settings | None) -> pd.Series:
    """Item texts -> ids, per distinct (instrument, item) pair; unknown ones stay for validation to report."""
    pairs = frame[["instrument", "item"]].astype(str).drop_duplicates()
    known = set(list_instruments(settings))
    ids = {}
    for inst, item in pairs.itertuples(index=False):
        try:
            ids[(inst, item)] = item_id(inst, item) if inst in known else item
        except OsallisuusError:
            ids[(inst, item)] = item
    keys = pd.MultiIndex.from_frame(frame[["instrument", "item"]].astype(str))
    return pd.Series([ids[k] for k in keys], index=frame.index)


def _validate_frame(frame: pd.DataFrame, settings: Settings | None, lang: str) -> pd.DataFrame:
    from .validation import check_answers
    n = len(frame)
    frame = frame.assign(item=_item_ids(frame, settings))
    raw = {c: (frame[c].astype(object).where(frame[c].notna(), "").astype(str).to_numpy(dtype=object)
               if c in frame.columns else np.full(n, "", dtype=object)) for c in CANONICAL}
    raw = pd.DataFrame(raw)
    raw["source_file"] = "DataFrame"
    raw["source_row"] = np.arange(2, n + 2)  # as a spreadsheet of the frame shows it (header = row 1)
    raw["source_column"] = "value"
    accepted, quarantine, problems = check_answers(raw, settings, lang)
    if len(quarantine):
        first = "; ".join(f"row {r.row}, column {r.column}: {r.message}" for r in problems.head(3).itertuples())
        raise InputFileError("DataFrame", f"{len(quarantine)} of {n} answers are not valid ({first}). Call "
                                          "osallisuus.validate(path) to see every problem and keep the valid rows.")
    return accepted


def prepare(data, settings: Settings | None = None, lang: str = "fi") -> pd.DataFrame:
    """Validated, coded answers from validated data, a canonical long frame or a path.

    Parameters
    ----------
    data : DataFrame or path-like
        Validated data (returned as it is), a frame with the canonical columns
        (``respondent_id, region, phase, role, instrument, item, value`` [, ``group, date,
        text``]; validated and coded here: item texts become ids, answer labels codes), or a
        file or folder (read with :func:`osallisuus.validate`, keeping the valid rows).
    settings : Settings, optional
    lang : {'fi', 'sv', 'en'}
        Language of the error messages.

    Raises
    ------
    InputFileError
        When a canonical frame has invalid answers (naming row, column and problem), or
        the frame is in no known form (saying what to call instead).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a1"], "region": "Lappi", "phase": "final",
    ...     "role": "client", "instrument": "arvio_4", "item": "suunnittelu", "value": "Melko hyvin"})
    >>> prepare(frame)[["item", "code"]].values.tolist()
    [['suunnittelu', 3.0]]
    >>> prepare(frame.drop(columns="value"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    osallisuus.errors.InputFileError: DataFrame: not answers in canonical long form (missing value)...
    """
    if isinstance(data, (str, os.PathLike)):
        from .validation import validate
        return validate(Path(data), settings=settings, lang=lang).data
    if not isinstance(data, pd.DataFrame):
        raise InputFileError("data", f"expected a DataFrame or a path, got {type(data).__name__}")
    if all(c in data.columns for c in VALIDATED) and all(c in data.columns for c in REQUIRED):
        return data
    missing = [c for c in REQUIRED if c not in data.columns]
    if missing:
        raise InputFileError("DataFrame", f"not answers in canonical long form (missing {', '.join(missing)}); "
                             "for a survey export call osallisuus.validate(path) (with its mapping YAML), for a "
                             "wide table osallisuus.to_long(frame) first")
    return _validate_frame(data, settings or load_settings(), lang)


def find_instrument(instrument: str | Instrument, settings: Settings | None = None) -> Instrument:
    """An instrument by id or by its name in any language.

    Examples
    --------
    >>> find_instrument("Osa-alueiden toteutuminen (4-portainen arvio)").id
    'arvio_4'
    """
    if isinstance(instrument, Instrument):
        return instrument
    ids = list_instruments(settings)
    if instrument in ids:
        return load_instrument(instrument, settings)
    wanted = normalise_label(instrument)
    for i in ids:
        inst = load_instrument(i, settings)
        if any(normalise_label(n) == wanted for n in inst.name.values()):
            return inst
    raise OsallisuusError(f"no instrument {instrument!r}; instruments: {', '.join(ids)} (osallisuus instruments)")


def item_id(instrument: str | Instrument, item: str) -> str:
    """The id of an item given by id or by its text (in any language, case and spacing ignored).

    Examples
    --------
    >>> item_id("arvio_4", "Hankkeen toteutuminen kokonaisuudessaan")
    'kokonaisuus'
    >>> item_id("arvio_4", "kokonaisuus")
    'kokonaisuus'
    """
    inst = find_instrument(instrument)
    if item in inst.item_ids:
        return item
    wanted = normalise_label(item)
    for it in inst.item_ids:
        if any(normalise_label(t) == wanted for t in inst.item(it).text.values()):
            return it
    raise OsallisuusError(f"instrument {inst.id} has no item {item!r}; items: {', '.join(inst.item_ids)}")


# ---------------------------------------------------------------- verbs
def filter_answers(data, instrument: str | Instrument | None = None, items=None, region: str | None = None,
                   phase: str | None = None, role: str | None = None, group: str | None = None) -> pd.DataFrame:
    """The answers matching every choice given (None or "" means all).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a1", "a2"], "region": "Lappi", "phase": "final",
    ...     "role": ["client", "professional"], "instrument": "arvio_4", "item": "suunnittelu",
    ...     "value": ["Melko hyvin", "Erittäin hyvin"]})
    >>> filter_answers(frame, role="client")["respondent_id"].tolist()
    ['a1']
    """
    data = prepare(data)
    mask = pd.Series(True, index=data.index)
    if instrument:
        mask &= data["instrument"].astype(str) == find_instrument(instrument).id
    if items:
        inst = find_instrument(instrument)
        wanted = [item_id(inst, i) for i in ([items] if isinstance(items, str) else items)]
        mask &= data["item"].astype(str).isin(wanted)
    if region:
        from .regions import resolve_region
        mask &= data["region"].astype(str) == resolve_region(region).name["fi"]
    for col, value in (("phase", phase), ("role", role), ("group", group)):
        if value:
            mask &= data[col].astype(str) == value
    return data[mask]


def require_answered(column: str, value, known, lang: str = "fi") -> None:
    """Raise :class:`OsallisuusError` when a notebook parameter names a ``value`` of ``column``
    (region, phase, role ...) that is not among ``known``, the values the data has answers for
    (named in the message, in ``lang``); an empty ``value`` (all) passes."""
    known = [str(k) for k in known]
    if value and str(value) not in known:
        from . import i18n
        raise OsallisuusError(i18n.t("nb.no_answers_for", lang, column=column, value=repr(value),
                                     known=", ".join(known) or "–"))


def as_suppression(suppression: Suppression | int | None) -> Suppression:
    """A Suppression as given, one with threshold ``suppression``, or the settings' (None)."""
    if isinstance(suppression, Suppression):
        return suppression
    return Suppression.from_settings(load_settings(), suppression)


def pick_instrument(data, phase: str | None = None, instrument: str | None = None) -> str:
    """``instrument`` (id or name) if given, else the phase's main instrument: one marked
    ``report.outcome`` in its YAML, else a multi-item rating scale, else the one with most respondents.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a1"], "region": "Lappi", "phase": "final",
    ...     "role": "client", "instrument": "arvio_4", "item": "suunnittelu", "value": "4"})
    >>> pick_instrument(frame, "final")
    'arvio_4'
    """
    if instrument:
        return find_instrument(instrument).id
    rows = filter_answers(data, phase=phase)
    if rows.empty:
        raise OsallisuusError(f"no answers in phase {phase!r}; phases with answers: "
                              f"{', '.join(sorted(map(str, prepare(data)['phase'].unique())))}")
    n = rows.groupby("instrument", observed=True)["respondent_id"].nunique()

    def rank(i):  # an instrument marked as an outcome, then a multi-item rating scale, then most respondents
        inst = find_instrument(str(i))
        return (bool(inst.extra.get("report", {}).get("outcome")), len(inst.rated_items) > 1, int(n[i]))
    return str(max(n[n > 0].index, key=rank))


def pick_item(instrument: str | Instrument, item: str | None = None) -> str:
    """``item`` (id or text) if given, else the instrument's first rated item.

    Examples
    --------
    >>> pick_item("arvio_4")
    'suunnittelu'
    """
    inst = find_instrument(instrument)
    return item_id(inst, item) if item else inst.rated_items[0]


def change_shown(data, instrument: str | Instrument, from_phase: str, to_phase: str,
                 suppression: Suppression | int | None = None, lang: str | None = None,
                 **options) -> pd.DataFrame:
    """:func:`osallisuus.change.change_between` for a notebook to show: a row suppressed for a
    group under the threshold shows no count either (its n, pairs and phases' n empty; a review
    read 'n_to 2' from such a row), and the unlinked row of an item with 1..threshold-1 linked
    respondents shows no n or mean (each phase's answers less the unlinked ones would give the
    linked back), as in a report. ``options`` go to change_between (``by``, ``items``). With
    ``lang`` the table is for reading, as a report prints it (item wording, design, test, n,
    means, effect, p in that language; a ``by`` group by its name).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a", "b", "a", "c"], "region": "Lappi",
    ...     "phase": ["baseline", "baseline", "final", "final"], "role": "client",
    ...     "instrument": "arvio_4", "item": "suunnittelu", "value": "4"})
    >>> bool(change_shown(frame, "arvio_4", "baseline", "final", suppression=3, items=False)["n"].isna().all())
    True
    """
    from .change import change_between
    sup = as_suppression(suppression)
    data, inst = prepare(data), find_instrument(instrument)
    answered = sorted(set(data.loc[data["instrument"].astype(str) == inst.id, "phase"].astype(str)),
                      key=PHASES.index)
    for phase in (from_phase, to_phase):    # a phase without answers printed empty tables without a word
        require_answered("phase", phase, answered, lang or "fi")
    table = change_between(data, inst, from_phase, to_phase, suppression=sup, **options)
    by = options.get("by")
    if not len(table) or "suppressed" not in table:
        return table
    shown = _shown_in_reports(data, inst, from_phase, to_phase, sup)
    if lang is not None:
        return _change_for_reading(table, inst, sup, lang, by, shown)
    hidden = pd.DataFrame([_row_hidden(r, by, shown) for r in table.itertuples()], index=table.index,
                          columns=["n", "mean_from", "mean_to", "pairs"])
    linked_hidden = _few_unlinked_rows(table, sup, by)
    hide = table["suppressed"].astype(bool) | _few_pairs_rows(table, sup, by) | \
        (hidden["pairs"] & table["design"].ne("paired")) | (linked_hidden & table["design"].eq("paired"))
    for column in [c for c in ("n", "n_pairs", "n_from", "n_to") if c in table]:
        rows = hide | (hidden["pairs"] & table["design"].eq("paired")) | \
            (hidden["n"] & table["design"].ne("paired") & (column != "n_pairs")) | \
            (linked_hidden & table["design"].eq("partially_paired") & (column in ("n", "n_pairs")))
        table[column] = table[column].astype("Float64").mask(rows).astype("Int64")
    for column, extra in (("mean_from", "mean_from"), ("mean_to", "mean_to"), ("mean_diff", None),
                          ("median_diff", None)):
        more = hidden[extra] if extra else hidden["mean_from"] | hidden["mean_to"]
        table[column] = table[column].mask((hide & ~table["suppressed"].astype(bool)) | more)
    return table


def _shown_in_reports(data: pd.DataFrame, inst: Instrument, from_phase: str, to_phase: str,
                      sup: Suppression) -> dict:
    """What each region's report hides of this change, region -> {"items": {(phase, item): {"n",
    "mean"}}, "few": items with 1..threshold-1 linked respondents}: a notebook's table must not give
    back what a report hides, and a table pooling regions must not either (pooled less the other
    regions' reports gave a region's hidden linked count back: a privacy review)."""
    from .change import change_between
    from .report.context import respondents_shown
    from .report.format import few_pairs, few_unlinked
    from .report.views import views_for
    from .tables import likert_table as answer_table
    out = {}
    for region, rows in data.groupby("region", observed=True):
        items: dict = {}
        counts = rows.groupby(["phase", "role"], observed=True)["respondent_id"].nunique()   # as Taulukko 1
        if "likert_table" in views_for(inst):
            for phase in (from_phase, to_phase):
                answers = rows[(rows["phase"] == phase) & (rows["instrument"] == inst.id)]
                if not len(answers):
                    continue
                marks = answer_table(answers, inst, suppression=sup,
                                     respondents=respondents_shown(counts, phase, answers["role"])).attrs.get("marks")
                for item, m in ([] if marks is None else marks.iterrows()):
                    items[(phase, str(item))] = {k for k in ("n", "mean") if m[k] != ""}
        change = change_between(rows, inst, from_phase, to_phase, suppression=sup)
        # a report hiding its linked count (few pairs, or few answering in one phase only): a
        # pooled table less the other regions' would give it back
        out[str(region)] = {"items": items,
                            "few": few_pairs(change, sup) | few_unlinked(change, sup) if len(change) else set()}
    return out


def _hidden_by_reports(shown: dict, regions: list[str]):
    """``hidden(phase, item)``: what the reports of ``regions`` hide of the item in that phase (a set
    of "n" and "mean"), and for a table pooling regions "pairs" when any region's linked count is
    1..threshold-1 (:func:`osallisuus.report.format.change_rows`)."""
    regions = [r for r in regions if r in shown]

    def hidden(phase, item) -> set:
        out = set().union(*[shown[r]["items"].get((phase, str(item)), set()) for r in regions])
        pooled_few = len(regions) > 1 and any(str(item) in shown[r]["few"] for r in regions)
        return out | ({"pairs"} if pooled_few else set())
    return hidden


def _row_hidden(row, by, shown: dict) -> tuple[bool, bool, bool, bool]:
    """(n, mean_from, mean_to, pairs) hidden for one change-table row (:func:`_hidden_by_reports`)."""
    hidden = _hidden_by_reports(shown, [str(getattr(row, by))] if by == "region" else list(shown))
    first, last = hidden(row.from_phase, row.item), hidden(row.to_phase, row.item)
    return "n" in first | last, "mean" in first, "mean" in last, "pairs" in first


def _groups_of(table: pd.DataFrame, by) -> list:
    """``(group value or None, rows)`` of a change table, per group of ``by``."""
    if not by or by not in table:
        return [(None, table)]
    return [(g, part) for g, part in table.groupby(by, observed=True, sort=False)]


def _few_pairs_rows(table: pd.DataFrame, sup: Suppression, by) -> pd.Series:
    """The unlinked rows of items with 1..threshold-1 pairs (per group of ``by``)."""
    from .report.format import few_pairs
    hide = pd.Series(False, index=table.index)
    for _, part in _groups_of(table, by):
        few = few_pairs(part, sup)
        hide[part.index] = (part["design"] != "paired") & part["item"].astype(str).isin(few)
    return hide


def _few_unlinked_rows(table: pd.DataFrame, sup: Suppression, by) -> pd.Series:
    """The rows of items with 1..threshold-1 respondents in one phase only (per group of ``by``):
    their linked n and means, and the partially paired row's counts, would give those back."""
    from .report.format import few_unlinked
    hide = pd.Series(False, index=table.index)
    for _, part in _groups_of(table, by):
        hide[part.index] = part["item"].astype(str).isin(few_unlinked(part, sup))
    return hide


def _change_for_reading(table: pd.DataFrame, inst: Instrument, sup: Suppression, lang: str, by,
                        shown: dict) -> pd.DataFrame:
    from . import i18n
    from .report.format import CHANGE_TABLE_COLUMNS, change_rows
    columns = [i18n.t("rep.col.item", lang), *(i18n.t(k, lang) for k in CHANGE_TABLE_COLUMNS)]
    frames = []
    for group, part in _groups_of(table, by):
        hidden = _hidden_by_reports(shown, [str(group)] if by == "region" else list(shown))
        few = {str(r.item) for r in part.itertuples() if "pairs" in hidden(r.from_phase, r.item)}
        frame = pd.DataFrame(change_rows(part, inst, lang, sup, hidden, few), columns=columns)
        if group is not None:
            frame.insert(0, _column_label(by, lang), display_name(by, group, lang))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def reportable(data, suppression: Suppression | int | None = None) -> pd.DataFrame:
    """The answers a report may use: every respondent of a group (region, phase and role) with
    fewer respondents than the threshold removed, as the reports remove them before any
    statistic. A notebook that kept them printed totals that, less a report's, gave a removed
    group's size (a review: 61 in a notebook's region row against the report's 57 linked
    respondents, so 4 managers).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(7)], "region": "Lappi",
    ...     "phase": "final", "role": ["client"] * 5 + ["manager"] * 2, "instrument": "arvio_4",
    ...     "item": "suunnittelu", "value": "4"})
    >>> sorted(reportable(frame, 5)["role"].astype(str).unique())
    ['client']
    """
    return as_suppression(suppression).drop_small_groups(prepare(data), by=("region", "phase", "role"))


def respondents(data, by=("phase", "role"), suppression: Suppression | int | None = None,
                lang: str | None = None) -> pd.DataFrame:
    """Respondents (distinct ids) per group; a group under the threshold shows the symbol ("<5").

    With ``lang`` the table is for reading: headers and phase, role and region names in that
    language (a notebook's reader saw 'role', 'respondents' and 'client'); without, the codes.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(7)], "region": "Lappi",
    ...     "phase": "final", "role": ["client"] * 5 + ["professional"] * 2, "instrument": "arvio_4",
    ...     "item": "suunnittelu", "value": "4"})
    >>> respondents(frame, by=["role"], suppression=5)["respondents"].tolist()
    ['5', '<5']
    >>> respondents(frame, by=["role"], suppression=5, lang="sv").values.tolist()
    [['Klienter', '5'], ['Yrkespersoner', '<5']]
    """
    data = prepare(data)
    sup = as_suppression(suppression)
    by = [by] if isinstance(by, str) else list(by)
    n = data.groupby(by, observed=True)["respondent_id"].nunique()
    shown = [sup.symbol if sup.is_small(int(v)) else format_count(v) for v in n]
    table = pd.DataFrame({"respondents": shown}, index=n.index).reset_index()
    return table if lang is None else for_reading(table, lang, sup.threshold)


def linkage(data, suppression: Suppression | int | None = None) -> pd.DataFrame:
    """How many respondents answered which phases (the flow across phases): one row per
    combination of phases, respondents per combination ("<5" under the threshold).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a", "a", "b"], "region": "Lappi",
    ...     "phase": ["baseline", "final", "final"], "role": "client", "instrument": "arvio_4",
    ...     "item": "suunnittelu", "value": "4"})
    >>> linkage(frame, suppression=Suppression(1)).values.tolist()
    [['baseline + final', '1'], ['final', '1']]
    """
    data = prepare(data)
    sup = as_suppression(suppression)
    phases = data.groupby("respondent_id", observed=True)["phase"].agg(lambda s: set(map(str, s)))
    paths = phases.map(lambda ps: " + ".join(p for p in PHASES if p in ps))
    n = paths.value_counts().sort_index()
    return pd.DataFrame({"phases": n.index, "respondents": [sup.symbol if sup.is_small(int(v)) else format_count(v)
                                                            for v in n]})


def crosstab(data, instrument: str | Instrument, item: str, by: str = "role", lang: str = "fi",
             suppression: Suppression | int | None = None) -> pd.DataFrame:
    """Answer counts of one item (rows: scale labels in order) per group of ``by`` (columns).

    A group with fewer answers than the suppression threshold is shown empty (<NA>) and listed in
    ``attrs["suppressed"]``; percentages are for the reader to take from the counts. With
    ``small_counts`` (the default) a group is shown only when each of its counts is 0 or at least
    the threshold, and so is what the groups shown leave of the item's total (a notebook shows
    the total beside it: :meth:`~osallisuus.suppression.Suppression.shown_groups`); the others
    are empty as well, and ``attrs["hidden"]`` counts their empty cells.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(7)], "region": "Lappi",
    ...     "phase": "final", "role": ["client"] * 5 + ["professional"] * 2, "instrument": "arvio_4",
    ...     "item": "suunnittelu", "value": ["Melko hyvin"] * 4 + ["Erittäin hyvin"] * 3})
    >>> table = crosstab(frame, "arvio_4", "Suunnittelu", by="role", suppression=3)
    >>> table["client"].tolist()[:2], table.attrs["suppressed"], table.attrs["hidden"]
    ([<NA>, <NA>], ['professional'], 5)
    """
    inst = find_instrument(instrument)
    rows = filter_answers(data, inst, items=item)
    rows = rows[rows["code"].notna()]
    labels = inst.scale.labels(lang)
    codes = [p.code for p in inst.scale.all_points]
    table = pd.crosstab(rows["code"], rows[by].astype(str)).reindex(codes, fill_value=0)
    table.index = pd.Index(labels, name=inst.item_text(item_id(inst, item), lang))
    table.columns.name = by
    sup = as_suppression(suppression)
    small = [c for c in table.columns if sup.is_small(int(table[c].sum()))]
    shown = (sup.shown_groups({c: table[c].to_numpy(dtype=int) for c in table.columns}) if sup.small_counts
             else [c for c in table.columns if c not in small])
    table = table.astype("Int64")
    withheld = [c for c in table.columns if c not in shown]
    table[withheld] = pd.NA
    table.attrs.update(suppressed=small, hidden=len(table) * len([c for c in withheld if c not in small]))
    return table


def likert_table(data, instrument: str | Instrument, by: str | None = None, items=None, lang: str = "fi",
                 suppression: Suppression | int | None = None, total: bool = True) -> pd.DataFrame:
    """:func:`osallisuus.tables.likert_table` on any accepted input, optionally for some items.

    Suppression is on by default (the settings' threshold, 5); give a threshold or a
    :class:`~osallisuus.Suppression` to change it. The check takes the number of people who
    answered the instrument as known (a notebook shows it with :func:`respondents`).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a1", "a2"], "region": "Lappi", "phase": "final",
    ...     "role": "client", "instrument": "arvio_4", "item": "Suunnittelu",
    ...     "value": ["Melko hyvin", "Erittäin hyvin"]})
    >>> likert_table(frame, "arvio_4", items=["Suunnittelu"], suppression=Suppression(1))["mean"].tolist()
    [3.5, 3.5]
    """
    from .tables import likert_table as table
    inst = find_instrument(instrument)
    data = prepare(data)
    if items:
        data = filter_answers(data, inst, items=items)
    out = table(data, inst, by=by, lang=lang, suppression=as_suppression(suppression), total=total,
                respondents=_respondents_of(data, inst, by))
    if items:
        keep = [item_id(inst, i) for i in ([items] if isinstance(items, str) else items)]
        level = out.index.get_level_values("item")
        out = out[level.isin([*keep, "__total__"])]
    return out


def _respondents_of(data: pd.DataFrame, inst: Instrument, by: str | None):
    """How many people answered ``inst`` in ``data`` (per group of ``by``): what :func:`respondents`
    beside the table shows a reader, so the table's disclosure check takes it as known (an item's
    n against it bounds its "En osaa sanoa", :func:`osallisuus.disclosure.protect_table`)."""
    rows = data[data["instrument"].astype(str) == inst.id]
    if by:
        return {g: int(n) for g, n in rows.groupby(by, observed=True)["respondent_id"].nunique().items()}
    return int(rows["respondent_id"].nunique())


def score(data, instrument: str | Instrument, index=("respondent_id", "region", "phase", "role"),
          settings: Settings | None = None) -> pd.DataFrame:
    """:func:`osallisuus.scoring.score` on any accepted input.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": "a1", "region": "Lappi", "phase": "final", "role": "client",
    ...     "instrument": "arvio_4", "item": ["suunnittelu", "johtaminen"], "value": ["4", "3"]})
    >>> float(score(frame, "arvio_4")["score"].iloc[0])
    3.5
    """
    from .scoring import score as run
    return run(prepare(data, settings), find_instrument(instrument, settings), index=index, settings=settings)


def compare(data, instrument: str | Instrument, by: str = "role", groups=("client", "professional"),
            suppression: Suppression | int | None = None) -> pd.DataFrame:
    """:func:`osallisuus.compare.compare_groups` (Mann–Whitney per item and on the score)."""
    from .compare import compare_groups
    return compare_groups(prepare(data), find_instrument(instrument), by=by, groups=tuple(groups),
                          suppression=as_suppression(suppression))


def selection_vs_rest(data, instrument: str | Instrument, suppression: Suppression | int | None = None,
                      lang: str | None = None, **choices) -> pd.DataFrame:
    """The respondents chosen by ``choices`` (region, phase, role, group) against all the others.

    The others, not everyone: the two groups must not share respondents for the test. With
    ``lang`` the table is for reading, as a report's comparison prints it (item wording, n, means
    and shares as 'chosen / others', r and p, in that language); without, every statistic of
    :func:`osallisuus.compare.compare_groups` under its code name.
    """
    data = prepare(data)
    inst = find_instrument(instrument)
    rows = filter_answers(data, inst)
    chosen = filter_answers(rows, **{k: v for k, v in choices.items() if v}).index
    labelled = rows.assign(selection=np.where(rows.index.isin(chosen), "selected", "others"))
    table = compare(labelled, inst, by="selection", groups=("selected", "others"), suppression=suppression)
    if lang is None:
        return table
    sup = as_suppression(suppression)
    hidden = [_hidden_in_table(labelled[labelled["selection"] == g], inst, sup) for g in ("selected", "others")]
    return _comparison_for_reading(table, inst, sup, lang, hidden)


def _hidden_in_table(rows: pd.DataFrame, inst: Instrument, sup: Suppression) -> dict[str, set[str]]:
    """Per item, what the group's own answer table (:func:`likert_table`, as a notebook prints it)
    hides: 'n', 'mean' and 'cells' (then its share of positive answers would give a count back).
    A privacy review took the hidden n of Lappi's table from the chosen group's n beside it."""
    marks = likert_table(rows, inst, suppression=sup).attrs.get("marks")
    if marks is None:
        return {}
    cells = [c for c in marks.columns if c not in ("n", "mean")]
    return {str(item): {k for k, hide in (("n", m["n"] != ""), ("mean", m["mean"] != ""),
                                          ("cells", (m[cells] != "").any())) if hide}
            for item, m in marks.iterrows()}


def _comparison_for_reading(table: pd.DataFrame, inst: Instrument, sup: Suppression, lang: str,
                            hidden=({}, {})) -> pd.DataFrame:
    """A compare_groups table as a report prints one: texts in ``lang``, a suppressed row as the
    symbol, and per group what its own answer table hides ('..': ``hidden``, per group and item)."""
    from . import i18n
    from .disclosure import SECONDARY
    from .report.format import fmt_p

    def pair(item, a, b, fmt, what):
        return " / ".join(SECONDARY if what & hid.get(item, set()) else "–" if pd.isna(v) else fmt(v)
                          for v, hid in zip((a, b), hidden))
    out = []
    for r in table.itertuples():
        label = inst.name[lang] if r.item == "__score__" else inst.item_text(r.item, lang)
        if r.suppressed:
            out.append([label, sup.symbol, sup.symbol, "–", "–", "–", "–"])
            continue
        item = str(r.item)
        out.append([label, pair(item, r.n1, r.n2, format_count, {"n"}),
                    pair(item, r.mean1, r.mean2, lambda v: i18n.fmt_number(v, lang), {"mean"}),
                    pair(item, r.share_pos1, r.share_pos2, lambda v: i18n.fmt_percent(v, lang), {"n", "cells"}),
                    i18n.fmt_number(r.rank_biserial, lang, 2), fmt_p(r.p, lang),
                    "–" if pd.isna(getattr(r, "p_holm", np.nan)) else fmt_p(r.p_holm, lang)])
    columns = [i18n.t(k, lang) for k in ("rep.col.item", "rep.col.n", "rep.col.mean", "rep.col.share_pos",
                                          "rep.col.effect", "rep.col.p_plain", "mult.col_p_holm_items")]
    return pd.DataFrame(out, columns=columns)


def plot(data, instrument: str | Instrument, kind: str = "likert", by: str | None = None, ax=None,
         lang: str = "fi", suppression: Suppression | int | None = None):
    """A quick figure: ``kind="likert"`` stacked answer bars, ``"score"`` mean score with 95 % interval
    per group of ``by`` (default ``"phase"``). Returns the matplotlib Axes."""
    from . import figures
    inst = find_instrument(instrument)
    data = prepare(data)
    sup = as_suppression(suppression)
    if kind == "likert":
        return figures.likert_bars(data, inst, by=by, ax=ax, lang=lang, suppression=sup)
    if kind != "score":
        raise OsallisuusError(f"plot kind {kind!r}: choose 'likert' or 'score'")
    from .change import phase_summary
    from .i18n import phase_label, role_label
    by = by or "phase"
    summ = phase_summary(filter_answers(data, inst), inst, by=None if by == "phase" else by, suppression=sup)
    names = {"phase": lambda v: phase_label(v, lang), "role": lambda v: role_label(v, lang)}.get(by, str)
    table = pd.DataFrame({"region": [names(v) for v in summ[by]], "mean": summ["mean"], "ci_low": summ["ci_low"],
                          "ci_high": summ["ci_high"], "n": summ["n"], "suppressed": summ["suppressed"]})
    return figures.region_comparison(table, ax=ax, lang=lang, suppression=sup, xlabel=inst.name[lang])


def show(ax, dpi: int = 110):
    """The figure of ``ax`` (one Axes or several) as a PNG image a notebook displays; the figure is closed.

    The package draws off-screen (so reports render anywhere), which is why a notebook cell
    shows a figure with ``osallisuus.show(ax)``.
    """
    import io

    import matplotlib.pyplot as plt
    from IPython.display import Image
    fig = np.ravel(ax)[0].figure if not hasattr(ax, "figure") else ax.figure
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return Image(data=buffer.getvalue(), format="png")


def show_table(table: pd.DataFrame, rows: int = 20, lang: str | None = None,
               suppression: Suppression | int | None = None, instrument: str | Instrument | None = None):
    """The first ``rows`` rows of ``table`` as HTML a notebook displays with every text whole
    (pandas' own display cuts a cell at 50 characters: a quote would end mid-sentence); text is
    escaped, the index left out.

    With ``lang`` the table is read as a report prints it (:func:`osallisuus.reading.for_reading`):
    headers and phase, role, region and question names in that language, figures rounded half
    up to a report's decimals, a suppressed group's figures as the symbol of ``suppression``'s
    threshold, and the notes its flags call for under it; ``instrument`` names the questions of
    an ``item`` column. The table itself stays as it is, for further computing.

    Examples
    --------
    >>> import pandas as pd
    >>> html = show_table(pd.DataFrame({"text": ["Oli mukava tulla kuulluksi " * 3]})).data
    >>> "kuulluksi Oli mukava" in html and "..." not in html
    True
    >>> summary = pd.DataFrame({"phase": ["final"], "n": [8], "mean": [62.45], "caution": [True]})
    >>> html = show_table(summary, lang="en", suppression=5).data
    >>> "<td>8*</td>" in html and "<td>62.5</td>" in html and "very uncertain" in html
    True
    """
    from IPython.display import HTML

    from .render import render
    if lang is None:
        return HTML(table.head(rows).to_html(index=False, escape=True, na_rep="", border=0))
    sup = as_suppression(suppression)
    inst = find_instrument(instrument) if instrument else None
    frame = for_reading(table, lang, sup.threshold, inst, find_instrument)
    notes = reading_notes(table, lang, sup.threshold)
    if len(frame) > rows:
        notes.append(i18n_t("nb.rows_shown", lang, rows=format_count(rows), total=format_count(len(frame))))
    return HTML(render("notebook_table.html.j2", table=frame.head(rows).to_html(index=False, escape=True, border=0),
                       notes=notes))


def show_likert(table: pd.DataFrame, lang: str = "fi", suppression: Suppression | int | None = None):
    """A :func:`likert_table` as a report prints it, as HTML a notebook displays: the item's
    wording, whole counts, ``<5`` and ``..`` where the table hides a count, n, the mean with one
    decimal in the language's form, and the notes under the table (the scale, the suppression).
    ``suppression`` as given to :func:`likert_table`. The table itself stays as it is, for
    further computing.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a1", "a2"], "region": "Lappi", "phase": "final",
    ...     "role": "client", "instrument": "arvio_4", "item": "Suunnittelu",
    ...     "value": ["Melko hyvin", "Erittäin hyvin"]})
    >>> html = show_likert(likert_table(frame, "arvio_4", suppression=Suppression(1)), "fi", Suppression(1)).data
    >>> "<td>3,5</td>" in html and "Asteikko: 4 = erittäin hyvin" in html
    True
    """
    from IPython.display import HTML

    from .i18n import t
    from .render import render
    from .tables import likert_display
    columns, rows, notes, _ = likert_display(table, lang, as_suppression(suppression))
    frame = pd.DataFrame(rows, columns=[t("rep.col.item", lang), *columns])
    return HTML(render("notebook_table.html.j2", table=frame.to_html(index=False, escape=True, border=0),
                       notes=notes))


# ---------------------------------------------------------------- export
def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells (and headers) starting with = + - @ get a leading apostrophe, so a spreadsheet
    shows them as text instead of running them as formulas (CSV/formula injection).

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "ok", 3]}))["a"].tolist()
    ["'=1+1", 'ok', 3]
    """
    def fix(v):
        return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v
    out = table.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(fix)
    out.columns = [fix(c) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object:
        out.index = out.index.map(fix)
    return out


class SavedFile(os.PathLike):
    """Where a file was written (:func:`to_excel`, :func:`osallisuus.write_bib`,
    :func:`osallisuus.export_document`); shown in a notebook by file name only (a notebook that
    is shared must not carry the local folder), usable wherever a path is (``os.fspath``, and
    :class:`~pathlib.Path`'s attributes such as ``read_text`` and ``name``)."""

    def __init__(self, path: Path, lang: str = "fi"):
        self.path, self.lang = Path(path), lang

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def __getattr__(self, name: str):
        if name in ("path", "lang"):
            raise AttributeError(name)
        return getattr(self.path, name)

    def __repr__(self) -> str:
        from . import i18n
        return i18n.t("nb.saved", self.lang, name=self.path.name)


def to_excel(table: pd.DataFrame, path: str | os.PathLike, sheet: str = "taulukko", lang: str = "fi") -> SavedFile:
    """Save a table as an Excel sheet (formula-like texts neutralised); returns where it went.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = tempfile.mkdtemp()
    >>> to_excel(pd.DataFrame({"n": [5]}), Path(folder) / "taulukko.xlsx")
    Tallennettu: taulukko.xlsx
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise OsallisuusError(f"{path.name}: an Excel file name ends in .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_formulas(table).to_excel(path, sheet_name=sheet[:31])
    return SavedFile(path, lang)


def _options(data: pd.DataFrame, column: str, lang: str) -> list[tuple[str, str]]:
    from . import i18n
    values = [str(v) for v in (data[column].cat.categories if hasattr(data[column], "cat") else data[column].unique())
              if (data[column] == v).any()]
    return [(i18n.t("nb.all", lang), "")] + [(display_name(column, v, lang), v) for v in values]


def _column_label(column: str, lang: str) -> str:
    """A grouping column's heading in ``lang`` ('Alue' for region), or its name."""
    from . import i18n
    key = f"rep.col.{column}"
    return i18n.t(key, lang) if key in i18n.translations() else column


def _region_value(region: str) -> str:
    """The data's name of the region a parameter names by any of its names, its id or alias
    ('Österbotten', 'pohjanmaa' -> 'Pohjanmaa'), as :func:`filter_answers` reads it."""
    from .regions import resolve_region
    return resolve_region(region).name["fi"] if region else ""


def explorer(data, region: str = "", phase: str = "", role: str = "", group: str = "", instrument: str = "",
             lang: str = "fi", suppression: Suppression | int | None = None):
    """Dropdowns (ipywidgets) for region, phase, role, group and instrument, showing the Likert
    table and bars of the choice; the same choices as the notebook's parameters, which set the
    starting values. In JupyterLab the output follows the dropdowns; run by papermill it is the
    starting choice only (the cells after it show the parameters' choice as plain output)."""
    import ipywidgets as widgets
    from IPython.display import display

    from . import i18n
    data = prepare(data)
    region = _region_value(region)
    starts = {"region": region, "phase": phase, "role": role, "group": group}
    options = {col: _options(data, col, lang) for col in starts}
    names = [(find_instrument(i).name[lang], i) for i in sorted(map(str, data["instrument"].unique()))]
    options["instrument"] = names
    starts["instrument"] = pick_instrument(data, phase or None, instrument)
    for col, start in starts.items():   # a parameter the data has no answers for: say so, not a widget's TraitError
        require_answered(col, start, [value for _, value in options[col] if value], lang)
    boxes = {col: widgets.Dropdown(options=options[col], value=starts[col] or "",
                                   description=i18n.t(f"nb.{col}", lang)) for col in starts}

    def update(region, phase, role, group, instrument):
        rows = filter_answers(data, instrument, region=region, phase=phase, role=role, group=group)
        if rows.empty:
            print(i18n.t("nb.no_answers", lang))
            return
        display(likert_table(rows, instrument, lang=lang, suppression=suppression))
        display(show(plot(rows, instrument, lang=lang, suppression=suppression)))

    out = widgets.interactive_output(update, boxes)
    return widgets.VBox([widgets.HBox(list(boxes.values())[:3]), widgets.HBox(list(boxes.values())[3:]), out])

"""Scale and subscale scores per respondent, from an instrument's scoring rule.

The rule lives in the instrument file (``scoring: {method, min_answered,
percent_of_range}``): mean or (prorated) sum of the answered items after
reverse-keying, only when at least ``min_answered`` items have a valid answer.
Missing codes such as "En osaa sanoa" never count as answers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .instruments import Instrument, load_instrument
from .settings import Settings

DEFAULT_INDEX = ("respondent_id", "region", "phase", "role")


def _instrument(instrument: str | Instrument, settings: Settings | None = None) -> Instrument:
    return instrument if isinstance(instrument, Instrument) else load_instrument(instrument, settings)


def valid_answers(data: pd.DataFrame, instrument: str | Instrument) -> pd.DataFrame:
    """Rows of ``instrument`` with a valid scale answer (no missing code, no text-only row)."""
    inst = _instrument(instrument)
    mask = _valid_mask(data, inst)
    if mask is not None:
        return data[mask]
    mask = (data["instrument"] == inst.id) & data["code"].notna() & ~data["missing_code"].astype(bool)
    out = data[mask]
    return out[out["item"].isin(inst.rated_items)]


def _per_category(column: pd.Series, flags) -> np.ndarray:
    """Per row of a categorical column, its category's flag (False where the value is missing)."""
    return np.append(np.asarray(flags, dtype=bool), False)[column.array.codes]


def _valid_mask(data: pd.DataFrame, inst: Instrument) -> np.ndarray | None:
    """:func:`valid_answers`' rows as a boolean array, the instrument and the item compared once
    per category (not per row); None unless both columns are categorical (validated data)."""
    instrument, item = data["instrument"], data["item"]
    if not (isinstance(instrument.dtype, pd.CategoricalDtype) and isinstance(item.dtype, pd.CategoricalDtype)):
        return None
    rated = set(inst.rated_items)
    mask = _per_category(instrument, [c == inst.id for c in instrument.array.categories.tolist()])
    mask &= _per_category(item, [c in rated for c in item.array.categories.tolist()])
    code, missing = data["code"], data["missing_code"]
    mask &= ~np.isnan(code.to_numpy()) if code.dtype == np.float64 else code.notna().to_numpy()
    mask &= ~(missing.to_numpy() if missing.dtype == bool else missing.astype(bool).to_numpy())
    return mask


def _cells(sheet: np.ndarray, n_sheets: int, col: np.ndarray, codes: np.ndarray, n_items: int) -> np.ndarray:
    """Sheets x items array of each sheet's first code per item (NaN where none); rows without a
    sheet or a column (-1) are left out."""
    first = ~pd.Series(sheet.astype(np.int64) * n_items + col).duplicated().to_numpy()
    first &= (col >= 0) & (sheet >= 0)   # no column for other items, no row for a missing key (as groupby)
    matrix = np.full((n_sheets, n_items), np.nan)
    matrix[sheet[first], col[first]] = codes[first]
    return matrix


def _first_per_cell(rows: pd.DataFrame, index: list[str], items: list[str]) -> pd.DataFrame:
    """``pivot_table(index=index, columns="item", values="code", aggfunc="first", observed=True)``
    in one vectorised pass: a respondent's first valid code per item, rows sorted by ``index``."""
    sheet, keys = _sheets(rows, index)
    item = rows["item"]
    names = item.cat.categories.astype(str) if isinstance(item.dtype, pd.CategoricalDtype) else None
    col = (np.append(pd.Index(items).get_indexer(names), -1)[item.cat.codes.to_numpy()] if names is not None
           else pd.Index(items).get_indexer(item.astype(str)))
    matrix = _cells(sheet, len(keys), col, rows["code"].to_numpy(dtype=float), len(items))
    wide = pd.DataFrame(matrix, index=keys, columns=pd.Index(items, name="item"))
    return wide.loc[:, ~np.isnan(matrix).all(axis=0)]   # as pivot_table: no all-empty item column


def _sheets(rows: pd.DataFrame, index: list[str]) -> tuple[np.ndarray, pd.Index]:
    """Per row, the number of its answer sheet (-1 where a key is missing) and the sheets' keys
    in sorted order: ``groupby(index, observed=True, sort=True)``'s ``ngroup()`` and result
    index. With categorical keys (validated data) the sheets are found from the category codes
    in one ``np.unique`` (a groupby costs milliseconds of set-up on every call)."""
    columns = [rows[c] for c in index]
    if not len(rows) or not all(isinstance(c.dtype, pd.CategoricalDtype) for c in columns):
        grouped = rows.groupby(index, observed=True, sort=True)
        return grouped.ngroup().to_numpy(), grouped.size().index
    sheet, levels = _category_sheets(columns, index, slice(None))
    return sheet, _key_index(levels)


def _key_index(levels: dict[str, pd.Categorical]) -> pd.Index:
    """The sheets' keys as a row index (a MultiIndex with several key columns)."""
    if len(levels) > 1:
        return pd.MultiIndex.from_arrays(list(levels.values()), names=list(levels))
    (name, level), = levels.items()
    return pd.CategoricalIndex(level, name=name)


def _category_sheets(columns: list[pd.Series], index: list[str], rows) -> tuple[np.ndarray, dict]:
    """Per row of ``rows`` (positions or a slice) of categorical key ``columns``, its sheet number
    (-1 where a key is missing), and each key column's value per sheet (sorted as a groupby)."""
    codes = [c.array.codes[rows].astype(np.int64) for c in columns]
    sizes = [len(c.cat.categories) for c in columns]
    n_rows = len(codes[0]) if codes else 0
    missing = np.zeros(n_rows, dtype=bool)
    for c in codes:
        missing |= c < 0
    combined = np.ravel_multi_index([np.where(missing, 0, c) for c in codes], sizes) if sizes else np.zeros(n_rows, np.int64)
    unique, inverse = np.unique(combined[~missing], return_inverse=True)
    sheet = np.full(n_rows, -1, dtype=np.int64)
    sheet[~missing] = inverse
    parts = np.unravel_index(unique, sizes)
    return sheet, {name: pd.Categorical.from_codes(part, dtype=col.dtype)
                   for name, part, col in zip(index, parts, columns)}


_ANSWER_COLUMNS = ("instrument", "item", "code", "missing_code")


def _item_values(data: pd.DataFrame, inst: Instrument, index: list[str],
                 reverse: bool) -> tuple[np.ndarray, dict] | None:
    """:func:`item_matrix`'s values (a NumPy array) and row keys (per key column its values, see
    :func:`_category_sheets`), read from the category codes
    of the whole table without selecting its rows as a frame first; None where this does not
    apply (a key column not categorical, no valid answer): :func:`item_matrix` then pivots."""
    if not index or set(index) & set(_ANSWER_COLUMNS) or not all(
            isinstance(data[c].dtype, pd.CategoricalDtype) for c in index):
        return None
    mask = _valid_mask(data, inst)
    if mask is None or not mask.any():
        return None
    rows = np.flatnonzero(mask)
    sheet, keys = _category_sheets([data[c] for c in index], index, rows)
    n_sheets = len(next(iter(keys.values())))
    items = inst.rated_items
    position = {name: i for i, name in enumerate(items)}
    if len(position) < len(items):
        return None   # repeated item ids: item_matrix's pivot says so
    item = data["item"].array
    col = np.array([position.get(str(c), -1) for c in item.categories.tolist()] + [-1])[item.codes[rows]]
    matrix = _cells(sheet, n_sheets, col, data["code"].to_numpy(dtype=float)[rows], len(items))
    if reverse and inst.reverse_items:
        rev = [items.index(c) for c in inst.reverse_items if c in items]
        matrix[:, rev] = inst.scale.low + inst.scale.high - matrix[:, rev]
    return matrix, keys


def _level_codes(index: pd.MultiIndex, names: list[str]) -> tuple[np.ndarray, dict[int, tuple]]:
    """Per row of ``index``, one number for its values of the levels ``names`` (the same values,
    the same number; numbers in the order the levels sort, as ``sort_index`` and ``groupby``
    order them), and the values of each number present."""
    if not names:
        return np.zeros(len(index), dtype=np.int64), {0: ()}
    if not isinstance(index, pd.MultiIndex):
        index = pd.MultiIndex.from_arrays([index])
    where = [index.names.index(name) for name in names]
    combined = np.ravel_multi_index([index.codes[i].astype(np.int64) for i in where],
                                    [len(index.levels[i]) for i in where])
    present = np.unique(combined)
    parts = np.unravel_index(present, [len(index.levels[i]) for i in where])
    values = {int(c): tuple(index.levels[i][part[k]] for i, part in zip(where, parts))
              for k, c in enumerate(present)}
    return combined, values


def item_matrix(data: pd.DataFrame, instrument: str | Instrument, index=DEFAULT_INDEX,
                reverse: bool = True) -> pd.DataFrame:
    """Respondents x items table of valid codes (NaN where not answered), reverse keys applied.

    Columns are in the instrument's item order; rows are indexed by ``index``.
    """
    inst = _instrument(instrument)
    index = [c for c in index if c in data.columns]
    found = _item_values(data, inst, index, reverse)
    if found is not None:
        return pd.DataFrame(found[0], index=_key_index(found[1]), columns=list(inst.rated_items))
    rows = valid_answers(data[list(dict.fromkeys([*index, "instrument", "item", "code", "missing_code"]))], inst)
    if len(rows):
        wide = _first_per_cell(rows, index, inst.rated_items)
    else:
        wide = (rows.assign(item=rows["item"].astype(str))
                .pivot_table(index=index, columns="item", values="code", aggfunc="first", observed=True))
    wide = wide.reindex(columns=inst.rated_items)
    wide.columns.name = None
    if reverse and inst.reverse_items:
        rev = [c for c in inst.reverse_items if c in wide.columns]
        wide[rev] = inst.scale.low + inst.scale.high - wide[rev]
    return wide


def _rule(values: np.ndarray, method: str, min_answered: int, n_items: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``values`` (respondents x items, NaN where not answered): the mean of the
    answered items (``method`` 'mean') or that mean times ``n_items`` (a prorated sum,
    comparable across skipped items), NaN with fewer than ``min_answered`` answers; and the
    number answered."""
    answered = (~np.isnan(values)).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(np.isnan(values), 0.0, values).sum(axis=1) / answered
    result = mean if method == "mean" else mean * n_items
    return np.where(answered >= min_answered, result, np.nan), answered


def score(data: pd.DataFrame, instrument: str | Instrument, index=DEFAULT_INDEX,
          settings: Settings | None = None) -> pd.DataFrame:
    """Scores per respondent.

    Parameters
    ----------
    data : DataFrame
        Validated answers (see :func:`osallisuus.validate`).
    instrument : str or Instrument
    index : sequence of str
        Columns that identify one respondent's answer sheet.

    Returns
    -------
    DataFrame
        One row per respondent (``index`` as columns) with ``n_answered``, ``score`` (NaN
        when fewer than ``min_answered`` items were answered), ``score_0_100`` when the
        instrument reports on 0-100 (``(score - low) / (high - low) * 100``), and one
        column per subscale (scored with the same rule, its ``min_answered`` scaled to its
        share of items).

    Examples
    --------
    Checked by hand: answers 5, 4 and "En osaa sanoa" to a 1-5 mean scale with
    ``min_answered: 2`` score (5 + 4) / 2 = 4.5, i.e. (4.5 - 1) / 4 * 100 = 87.5 on 0-100.
    """
    inst = _instrument(instrument, settings)
    found = _item_values(data, inst, [c for c in index if c in data.columns], reverse=True)
    if found is None:
        wide = item_matrix(data, inst, index)
        keys = wide.index.to_frame(index=False)
        values = wide.to_numpy(dtype=float)
    else:
        values, keys = found
    method, min_ans = inst.method, inst.min_answered
    n_items = len(inst.rated_items)
    columns: dict[str, np.ndarray] = {}
    columns["score"], columns["n_answered"] = _rule(values, method, min_ans, n_items)
    if inst.percent_of_range and method == "mean":
        low, high = inst.scale.low, inst.scale.high
        columns["score_0_100"] = (columns["score"] - low) / (high - low) * 100
    position = {item: i for i, item in enumerate(inst.rated_items)}   # item_matrix's columns
    for sid, sub in inst.subscales.items():
        members = [position[m] for m in sub["items"] if m in position]
        sub_min = max(1, int(np.ceil(min_ans * len(members) / n_items)))
        columns[sid], _ = _rule(values[:, members], method, sub_min, len(members))
    if isinstance(keys, dict) and not set(keys) & set(columns):
        return pd.DataFrame({**keys, **columns})   # what the concatenation below gives, made in one go
    keys = pd.DataFrame(keys) if isinstance(keys, dict) else keys
    return pd.concat([keys, pd.DataFrame(columns, index=keys.index)], axis=1)


def keyed_codes(rows: pd.DataFrame, instrument: str | Instrument) -> np.ndarray:
    """The answers' codes in the direction of what the instrument measures: a reverse-keyed
    item's code k as ``low + high - k`` (as :func:`item_matrix` and the scores take it).

    >>> import pandas as pd
    >>> keyed_codes(pd.DataFrame({"item": ["esis01"], "code": [4.0]}), "osallisuusindikaattori").tolist()
    [4.0]
    """
    inst = _instrument(instrument)
    codes = rows["code"].to_numpy(dtype=float)
    if not inst.reverse_items:
        return codes
    reverse = rows["item"].astype(str).isin(inst.reverse_items).to_numpy()
    return np.where(reverse, inst.scale.low + inst.scale.high - codes, codes)


def subscale_min_answered(instrument: str | Instrument, subscale: str) -> int:
    """Answers a subscale's score needs: the instrument's ``min_answered`` scaled to the
    subscale's share of the rated items, rounded up, as :func:`score` applies it (SOC-G-10,
    8 of 10: 4 of 4, 3 of 3).

    >>> subscale_min_answered("soc_g10", "ymmarrettavyys"), subscale_min_answered("soc_g10", "hallittavuus")
    (4, 3)
    """
    inst = _instrument(instrument)
    members = [m for m in inst.subscales[subscale]["items"] if m in set(inst.rated_items)]
    return max(1, int(np.ceil(inst.min_answered * len(members) / len(inst.rated_items))))


def mean_gives_count(scores, instrument: str | Instrument, threshold: int) -> bool:
    """Whether the mean of a one-question instrument's ``scores`` (one decimal) with their n
    would give a count of 1..threshold-1 answers of one option
    (:func:`osallisuus.disclosure.mean_pins`): its score is the answer itself, so a yes/no
    question's mean 0.8 of 14 answers is 11 yes and 3 no. Always False for an instrument of
    several questions, whose score is a mean of answers."""
    from .disclosure import mean_pins
    inst = _instrument(instrument)
    if len(inst.rated_items) != 1:
        return False
    codes = np.array(sorted(p.code for p in inst.scale.points), dtype=float)
    values = codes
    if score_column(inst) == "score_0_100":
        values = (codes - inst.scale.low) / (inst.scale.high - inst.scale.low) * 100
    scores = np.asarray(scores, dtype=float)
    scores = scores[~np.isnan(scores)]
    counts = [int(np.isclose(scores, v).sum()) for v in values]
    return mean_pins(counts, values, threshold)


def score_column(instrument: str | Instrument) -> str:
    """Name of the score column a report shows: ``score_0_100`` where the instrument uses it."""
    inst = _instrument(instrument)
    return "score_0_100" if inst.percent_of_range and inst.method == "mean" else "score"

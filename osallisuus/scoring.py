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
    mask = (data["instrument"] == inst.id) & data["code"].notna() & ~data["missing_code"].astype(bool)
    out = data[mask]
    return out[out["item"].isin(inst.rated_items)]


def _first_per_cell(rows: pd.DataFrame, index: list[str], items: list[str]) -> pd.DataFrame:
    """``pivot_table(index=index, columns="item", values="code", aggfunc="first", observed=True)``
    in one vectorised pass: a respondent's first valid code per item, rows sorted by ``index``."""
    sheet, keys = _sheets(rows, index)
    item = rows["item"]
    names = item.cat.categories.astype(str) if isinstance(item.dtype, pd.CategoricalDtype) else None
    col = (np.append(pd.Index(items).get_indexer(names), -1)[item.cat.codes.to_numpy()] if names is not None
           else pd.Index(items).get_indexer(item.astype(str)))
    first = ~pd.Series(sheet.astype(np.int64) * len(items) + col).duplicated().to_numpy()
    first &= (col >= 0) & (sheet >= 0)   # no column for other items, no row for a missing key (as groupby)
    matrix = np.full((len(keys), len(items)), np.nan)
    matrix[sheet[first], col[first]] = rows["code"].to_numpy(dtype=float)[first]
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
    codes = [c.cat.codes.to_numpy().astype(np.int64) for c in columns]
    sizes = [len(c.cat.categories) for c in columns]
    missing = np.zeros(len(rows), dtype=bool)
    for c in codes:
        missing |= c < 0
    combined = np.ravel_multi_index([np.where(missing, 0, c) for c in codes], sizes) if sizes else np.zeros(len(rows), np.int64)
    unique, inverse = np.unique(combined[~missing], return_inverse=True)
    sheet = np.full(len(rows), -1, dtype=np.int64)
    sheet[~missing] = inverse
    parts = np.unravel_index(unique, sizes)
    levels = [pd.Categorical.from_codes(part, dtype=col.dtype) for part, col in zip(parts, columns)]
    keys = (pd.MultiIndex.from_arrays(levels, names=index) if len(index) > 1
            else pd.CategoricalIndex(levels[0], name=index[0]))
    return sheet, keys


def item_matrix(data: pd.DataFrame, instrument: str | Instrument, index=DEFAULT_INDEX,
                reverse: bool = True) -> pd.DataFrame:
    """Respondents x items table of valid codes (NaN where not answered), reverse keys applied.

    Columns are in the instrument's item order; rows are indexed by ``index``.
    """
    inst = _instrument(instrument)
    index = [c for c in index if c in data.columns]
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
    wide = item_matrix(data, inst, index)
    method, min_ans = inst.method, inst.min_answered
    n_items = len(inst.rated_items)
    values = wide.to_numpy(dtype=float)
    columns: dict[str, np.ndarray] = {}
    columns["score"], columns["n_answered"] = _rule(values, method, min_ans, n_items)
    if inst.percent_of_range and method == "mean":
        low, high = inst.scale.low, inst.scale.high
        columns["score_0_100"] = (columns["score"] - low) / (high - low) * 100
    position = {item: i for i, item in enumerate(wide.columns)}
    for sid, sub in inst.subscales.items():
        members = [position[m] for m in sub["items"] if m in position]
        sub_min = max(1, int(np.ceil(min_ans * len(members) / n_items)))
        columns[sid], _ = _rule(values[:, members], method, sub_min, len(members))
    keys = wide.index.to_frame(index=False)
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


def score_column(instrument: str | Instrument) -> str:
    """Name of the score column a report shows: ``score_0_100`` where the instrument uses it."""
    inst = _instrument(instrument)
    return "score_0_100" if inst.percent_of_range and inst.method == "mean" else "score"

"""Columns as integer codes into their distinct values, so that work is done once per value.

A million answer rows hold a few thousand distinct texts at most (respondent ids aside): the
validator strips, maps and checks each distinct text once and carries the result to the rows
by indexing with the codes (:class:`Coded`). Categorical columns (as the reader gives them)
already are codes and values; other columns are factorised once.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = ["Coded", "coded", "text_codes", "constant_column", "categorical_of", "strings_of", "plain_text", "concat_columns"]


@dataclass(frozen=True)
class Coded:
    """``uniques[codes]`` is the column: ``codes`` an integer per row, ``uniques`` an object array."""

    codes: np.ndarray
    uniques: np.ndarray

    def values(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The column's values (object array), of every row or of ``rows`` (positions)."""
        return self.uniques[self.codes if rows is None else self.codes[rows]]

    def map(self, func: Callable[[Any], Any]) -> "Coded":
        """``func`` applied to each distinct value once (the result may repeat values)."""
        return Coded(self.codes, np.array([func(u) for u in self.uniques] + [None], dtype=object)[:-1])

    def dedupe(self) -> "Coded":
        """Equal values (e.g. after stripping) share one code; ``None`` stays a value of its own."""
        inner, uniques = pd.factorize(self.uniques, use_na_sentinel=False)
        if len(uniques) == len(self.uniques):  # already distinct: the codes stand
            return Coded(self.codes, np.asarray(uniques, dtype=object))
        return Coded(inner.astype(np.intp)[self.codes], np.asarray(uniques, dtype=object))

    def mask(self, flags: np.ndarray) -> np.ndarray:
        """Rows whose value is flagged (``flags`` holds one bool per distinct value)."""
        return np.asarray(flags, dtype=bool)[self.codes]


def coded(column: pd.Series | pd.Categorical | np.ndarray) -> Coded:
    """Codes and distinct values of a column; a missing cell becomes the value NaN."""
    if isinstance(column, pd.Series):
        column = column.array
    if isinstance(column, pd.Categorical):
        codes = np.asarray(column.codes, dtype=np.intp)
        uniques = np.asarray(column.categories, dtype=object)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(uniques), codes)
            uniques = np.append(uniques, np.array([np.nan], dtype=object))
        return Coded(codes, uniques)
    codes, uniques = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=False)
    return Coded(codes.astype(np.intp), np.asarray(uniques, dtype=object))


def text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(codes, labels)`` of a column as text: ``labels[codes[i]]`` is the i-th value as
    ``str``, and a categorical column's missing value the label None (no group). The codes are
    ``intp`` (pandas keeps a categorical's codes in the smallest integer type: int8 codes
    multiplied into combined keys overflow). A categorical column's own categories are used;
    another column is factorised once (its missing values as the text 'nan', as ``astype(str)``
    writes them).

    Examples
    --------
    >>> codes, labels = text_codes(pd.Series(["b", "a", None], dtype="category"))
    >>> codes.tolist(), labels.tolist()
    ([1, 0, 2], ['a', 'b', None])
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = np.asarray(column.cat.categories.astype(str), dtype=object)
        codes = column.cat.codes.to_numpy().astype(np.intp)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(labels), codes)
            labels = np.append(labels, np.array([None], dtype=object))
        return codes, labels
    text = column if isinstance(column.dtype, pd.StringDtype) and not column.isna().any() else column.astype(str)
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    return codes.astype(np.intp, copy=False), np.asarray(uniques, dtype=object)


def constant_column(n: int, value: Any) -> pd.Categorical:
    """``n`` rows of one value, without building ``n`` objects."""
    return pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([value]))


def categorical_of(values: np.ndarray, codes: np.ndarray, dtype: pd.CategoricalDtype | None = None) -> pd.Categorical:
    """``pd.Categorical(values[codes].astype(str), dtype=dtype)`` built from the distinct values only.

    Without ``dtype`` the categories are the values that occur, sorted, exactly as pandas
    would infer them from the rows.
    """
    used = np.flatnonzero(np.bincount(codes, minlength=len(values))) if len(codes) else np.array([], dtype=np.intp)
    shown = np.asarray(values, dtype=object)[used].astype(str)
    if dtype is None:
        dtype = pd.Categorical(shown).dtype
    remap = np.full(len(values), -1, dtype=np.intp)
    remap[used] = dtype.categories.get_indexer(shown)
    return pd.Categorical.from_codes(remap[codes], dtype=dtype)


def strings_of(values: np.ndarray, codes: np.ndarray) -> pd.Series:
    """``pd.Series(values[codes], dtype="string")`` built from the distinct values only."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(values))) if len(codes) else np.array([], dtype=np.intp)
    remap = np.zeros(len(values), dtype=np.intp)
    remap[used] = np.arange(len(used))
    strings = pd.array(np.asarray(values, dtype=object)[used], dtype="string")
    return pd.Series(strings.take(remap[codes]))


def plain_text(column: pd.Series) -> pd.Series:
    """A categorical column as the text column a reader would have given (same dtype inference)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(pd.Series(np.asarray(column.cat.categories, dtype=object)).dtype)
    return column


def concat_columns(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames stacked; a column categorical in every frame stays categorical (categories united)."""
    if len(frames) == 1:
        return frames[0]
    out = {}
    for name in frames[0].columns:
        parts = [f[name] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts) and \
                len({p.cat.categories.dtype for p in parts}) == 1:
            out[name] = pd.Series(pd.api.types.union_categoricals([p.array for p in parts]))
        else:
            out[name] = pd.concat([plain_text(p) for p in parts], ignore_index=True)
    return pd.DataFrame(out)

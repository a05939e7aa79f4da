"""Small-cell suppression: the one mechanism tables, figures and sentences go through.

Respondents are vulnerable people, so no report may show a group of fewer than
``threshold`` respondents (default 5, ``suppression.threshold`` in the settings).

Two layers:

1. :meth:`Suppression.drop_small_groups` removes, before any statistic is computed, every
   respondent of a group (e.g. a role in a region and phase) smaller than the threshold.
   Because they are removed from *everything*, no total, difference or other table can
   reveal them (this is the secondary suppression: a total never includes a hidden group).
   What was removed is listed so the report can say so, without its size.
2. Cell masking: a statistic based on fewer valid answers than the threshold (e.g. an item
   many skipped) is shown as ``<5``; with ``small_counts`` (on by default) answer-category
   counts 1..threshold-1 are hidden too, with secondary suppression checked by integer
   programming so that no row's n, other count, total row or rounded mean gives a hidden
   count back (:mod:`osallisuus.disclosure`; :meth:`Suppression.mask_counts` is the simpler
   row-and-column rule for plain count tables without means).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import ThresholdError
from .settings import MIN_THRESHOLD, Settings, load_settings


@dataclass(frozen=True)
class SuppressedGroup:
    """A group left out of a report: its keys, never its size."""

    keys: dict


def checked_threshold(value) -> int:
    """``value`` as a threshold that may be published: a whole number >= :data:`MIN_THRESHOLD`.

    Raises
    ------
    ThresholdError
        Otherwise, naming the value and what is expected.

    Examples
    --------
    >>> checked_threshold(5), checked_threshold(3.0)
    (5, 3)
    """
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) \
        and float(value).is_integer() and value >= MIN_THRESHOLD
    if not ok:
        raise ThresholdError(f"suppression threshold {value!r}: expected a whole number of at least {MIN_THRESHOLD} "
                             f"(Statistics Finland and THL never publish groups or cells of 1 or 2; the usual is 5)")
    return int(value)


@dataclass
class Suppression:
    """Suppression rule with a threshold.

    Parameters
    ----------
    threshold : int
        Groups and cells with fewer answers than this are not shown (default 5).
    small_counts : bool
        Also hide answer-category counts 1..threshold-1 in frequency tables (default True).

    Examples
    --------
    >>> s = Suppression(5)
    >>> s.is_small(3), s.is_small(5), s.symbol
    (True, False, '<5')
    """

    threshold: int = 5
    small_counts: bool = True
    removed: list[SuppressedGroup] = field(default_factory=list)

    @classmethod
    def from_settings(cls, settings: Settings | None = None, threshold: int | None = None) -> "Suppression":
        """The settings' rule, or the settings' with ``threshold`` (a notebook's or a command's
        parameter: a whole number of at least :data:`~osallisuus.settings.MIN_THRESHOLD`, as in
        the settings file).

        Raises
        ------
        ThresholdError
            If ``threshold`` is not a whole number of at least 3.
        """
        settings = settings or load_settings()
        if threshold is None:
            return cls(int(settings.suppression_threshold), settings.suppress_small_counts)
        return cls(checked_threshold(threshold), settings.suppress_small_counts)

    @property
    def symbol(self) -> str:
        return f"<{self.threshold}"

    def is_small(self, n) -> np.ndarray | bool:
        """True where ``0 < n < threshold`` (an empty group reveals nobody)."""
        n = np.asarray(n)
        out = (n > 0) & (n < self.threshold)
        return bool(out) if out.ndim == 0 else out

    # ------------------------------------------------------------ layer 1
    def shown_groups(self, counts: dict) -> list:
        """The groups whose counts of one row (an item) may be shown beside that row's total.

        ``counts`` maps every group that answered (all of them: the total includes them all) to
        its counts, e.g. per answer category. A group is shown only when each of its counts is 0
        or at least the threshold; and since the total is shown, what the shown groups leave
        (the total less their counts: the groups not shown, together) must be 0 or at least the
        threshold in every count as well, or subtracting gives it back. While it is not, the
        smallest shown group (by its counts' sum) is not shown either; with no group shown, what
        is left is the total itself. Returned in the order of ``counts``.

        A privacy review derived a group's counts 3, 1 and 2 so: a figure by role showed the
        clients' bar and left out the professionals' (a count of 1), and the answer table gave
        the total of both.

        Examples
        --------
        Professionals have a count of 1: both bars would give it (total - clients), so neither is
        shown; with a third group, the clients and the managers leave 1 + 4 = 5:

        >>> s = Suppression(5)
        >>> s.shown_groups({"client": [17, 16, 14, 5], "professional": [7, 5, 3, 1]})
        []
        >>> s.shown_groups({"client": [17, 16, 14, 5], "professional": [7, 5, 0, 1], "manager": [5, 5, 0, 4]})
        ['client']
        """
        rows = {g: np.asarray(v, dtype=int) for g, v in counts.items() if np.asarray(v).sum() > 0}
        clean = lambda v: bool(np.all((v == 0) | ~np.atleast_1d(self.is_small(v))))   # noqa: E731
        shown = [g for g, v in rows.items() if clean(v) and not self.is_small(v.sum())]
        while shown:
            rest = [v for g, v in rows.items() if g not in shown]
            if not rest or clean(np.sum(rest, axis=0)):
                break
            shown.remove(min(shown, key=lambda g: (int(rows[g].sum()), str(g))))
        return shown

    def drop_small_groups(self, data: pd.DataFrame, by: list[str] = ("region", "phase", "role"),
                          id_col: str = "respondent_id") -> pd.DataFrame:
        """Remove respondents of groups with fewer than ``threshold`` respondents.

        The groups removed are appended to :attr:`removed`. Returns the remaining rows.
        """
        by = list(by)
        if data.empty:
            return data
        sizes = data.groupby(by, observed=True, sort=False)[id_col].nunique()
        small = sizes[(sizes > 0) & (sizes < self.threshold)]
        if small.empty:
            return data
        for key in small.index:
            key = key if isinstance(key, tuple) else (key,)
            self.removed.append(SuppressedGroup(dict(zip(by, (str(k) for k in key)))))
        idx = pd.MultiIndex.from_frame(data[by].astype(object)) if len(by) > 1 else pd.Index(data[by[0]].astype(object))
        small_idx = small.index if len(by) > 1 else small.index.astype(object)
        return data[~idx.isin(small_idx)]

    # ------------------------------------------------------------ layer 2
    def mask_stats(self, table: pd.DataFrame, n_col: str = "n", stat_cols: list[str] | None = None) -> pd.DataFrame:
        """Set statistics of rows whose ``n_col`` is small to NaN and flag them ``suppressed``.

        Returns a copy with a boolean ``suppressed`` column; formatting shows them as the symbol.
        """
        out = table.copy()
        small = self.is_small(out[n_col].to_numpy())
        small = np.atleast_1d(small)
        cols = stat_cols if stat_cols is not None else [c for c in out.columns
                                                        if c != n_col and pd.api.types.is_numeric_dtype(out[c])]
        if small.any():
            out[cols] = out[cols].astype(float)
            out.loc[small, cols] = np.nan
        out["suppressed"] = small | out.get("suppressed", False)
        return out

    def mask_counts(self, counts: pd.DataFrame) -> pd.DataFrame:
        """Boolean mask of count cells to hide (primary + complementary suppression).

        Primary: cells with 0 < count < threshold (only when ``small_counts`` is on).
        Complementary: a row or column with exactly one hidden cell gets its smallest
        other non-zero cell hidden too, repeated until stable, so a shown total cannot
        give a hidden cell back by subtraction.
        """
        values = counts.to_numpy(dtype=float)
        mask = np.zeros(values.shape, dtype=bool)
        if not self.small_counts:
            return pd.DataFrame(mask, index=counts.index, columns=counts.columns)
        mask |= (values > 0) & (values < self.threshold)
        for _ in range(values.size):
            changed = False
            for axis in (1, 0):
                m = mask if axis == 1 else mask.T
                v = values if axis == 1 else values.T
                for i in np.flatnonzero(m.sum(axis=1) == 1):
                    candidates = np.where(~m[i] & (v[i] > 0), v[i], np.inf)
                    if np.isfinite(candidates).any():
                        m[i, int(np.argmin(candidates))] = True
                        changed = True
            if not changed:
                break
        return pd.DataFrame(mask, index=counts.index, columns=counts.columns)

    def note(self, lang: str = "fi") -> str:
        from .i18n import t
        return t("sup.note", lang, k=self.threshold)

"""SLOW REFERENCE: osallisuus/disclosure.py as of commit 58b5256 (before the speed-up), so
tests/test_disclosure_speed.py and benchmarks/disclosure.py can check that the fast
implementation takes exactly the same decisions: every range solved by milp, no shortcuts.
Edited only where a RULE changed, never the search (2026-11-25, a privacy review: a row's
answers, missing columns included, bounded by the respondents a reader sees
(``respondents``); the total of a missing-answer column with hidden cells hidden; a row's n a
candidate when that bound is given).

Secondary (complementary) suppression of answer-category counts, checked by integer programming.

A frequency table such as Taulukko 3 (items x answer categories, a total row, each row's n and
mean) publishes more than its cells: the row's n is the sum of its valid cells, the total row
is the sum of the item rows, and the mean rounded to one decimal bounds the weighted sum of the
cells. Hiding a count of 3 as "<5" protects nobody if the row's n minus the shown cells, the
total row minus the other rows, or the mean gives it back.

The rule (Statistics Finland and THL practice: threshold 5, primary and secondary suppression):

1. **Primary**: a count 1..threshold-1 is shown as ``<5``. A row whose n is under the threshold
   shows no count, n or mean at all (its cells are sensitive too, 0..threshold-1).
2. **Check**: for each hidden sensitive cell, its smallest and largest value consistent with
   everything the table publishes is found with :func:`scipy.optimize.milp` (every count a
   whole number; shown cells fixed; ``<5`` cells 1..threshold-1; secondary cells at least the
   threshold; each row's n an equality; the total row the sum of the item rows; each shown
   mean ``m`` as ``sum((v - m + h) * x) >= 0`` and ``sum((v - m - h) * x) < 0`` with ``h``
   half a unit of the last shown decimal). A cell is protected when that range is as wide as
   what the ``<5`` labels alone say (the same programme with only the labels, the suppressed
   rows' n under the threshold and the total row as the sum): 1..threshold-1 for a ``<5``
   cell, unless a ``<5`` total of its column leaves less (two ``<5`` cells under a ``<5``
   total are each 1..3).
3. **Secondary**: while a cell is not protected, one more figure is hidden (shown as ``..``):
   the first of, in this order, the smallest other non-zero count of its row, the smallest
   other non-zero count of its column, the row's mean, then counts and means of other rows
   with hidden cells, that widens the cell's range on the side where it is too narrow; when
   none widens it alone, the first of them. A cell once protected stays protected (hiding
   more only widens ranges). The row's n is never hidden: the comparison and change tables
   print each item's n anyway. Should nothing be left to hide, every count and mean of the
   table is hidden.

Other tables of the same answers must not give back what this one hides; the report hides,
for an item with hidden counts, its bars in the figures by role and its groups' shares of
positive answers, and a hidden mean in the change and role tables too
(:attr:`osallisuus.report.context.ReportContext.hidden_counts`).

References
----------
Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E., Spicer,
K. and de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley: cell suppression of
frequency tables, feasibility intervals by linear programming, protection levels.

Examples
--------
Counts 2, 10, 20, 8 on a 1..4 scale (n = 40, mean 2,9 shown): hiding the 2 alone is undone by
n; hiding 2 and 10 is narrowed by the mean to 1..2; hiding 2, 10 and 8 leaves 1..4 (the mean
gives 2 * x4 - x1 in 14..17, so x1 = 1 with x4 = 8 and x1 = 4 with x4 = 9 both fit).

>>> p = protect_table(np.array([[2, 10, 20, 8]]), values=[1, 2, 3, 4])
>>> p.hidden.astype(int).tolist(), p.mean_hidden.tolist()
([[1, 1, 0, 1]], [False])
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["Protection", "protect_table", "cell_range", "SECONDARY"]

#: the mark of a figure hidden so that another cannot be calculated (Statistics Finland: "..")
SECONDARY = ".."
_BIG = 10 ** 6
_STRICT = 1e-6


@dataclass
class Protection:
    """What a table hides: ``primary`` and ``hidden`` (primary + secondary) cells, and per row
    ``n_hidden``, ``mean_hidden`` and ``suppressed`` (n under the threshold: nothing shown)."""

    primary: np.ndarray
    hidden: np.ndarray
    n_hidden: np.ndarray
    mean_hidden: np.ndarray
    suppressed: np.ndarray

    @property
    def secondary(self) -> np.ndarray:
        return self.hidden & ~self.primary


class _Table:
    """The reader's model of one published table (see the module docstring)."""

    def __init__(self, counts, values, total_row, threshold, decimals, positive=(), row_max=None):
        self.counts = np.asarray(counts, dtype=int)
        self.row_max = row_max
        self.positive = list(positive)
        self.r, self.c = self.counts.shape
        self.values = np.asarray(values, dtype=float)
        self.nv = len(self.values)                  # the first nv columns are valid answers
        self.total_row, self.k = total_row, threshold
        self.h = 0.5 * 10 ** -decimals
        n = self.counts[:, :self.nv].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = (self.counts[:, :self.nv] * self.values).sum(axis=1) / n
        self.shown_mean = [float(Decimal(str(m)).quantize(Decimal(1).scaleb(-decimals), "ROUND_HALF_UP"))
                           if k > 0 else np.nan for m, k in zip(mean, n)]
        self.n = n
        self._wanted: dict = {}

    def bounds(self, p: Protection) -> tuple[np.ndarray, np.ndarray]:
        lo = self.counts.astype(float).copy()
        hi = lo.copy()
        sec = p.hidden & ~p.primary
        lo[p.primary], hi[p.primary] = 1, self.k - 1
        lo[sec], hi[sec] = self.k, _BIG
        rows = np.flatnonzero(p.suppressed)
        lo[rows, :self.nv], hi[rows, :self.nv] = 0, self.k - 1
        return lo.ravel(), hi.ravel()

    def constraints(self, p: Protection, counts_known: bool = True) -> LinearConstraint | None:
        a, lo, hi = [], [], []
        idx = np.arange(self.r * self.c).reshape(self.r, self.c)
        if self.total_row is not None:
            for j in range(self.c):
                row = np.zeros(self.r * self.c)
                row[idx[:, j]] = -1
                row[idx[self.total_row, j]] = 1
                a.append(row), lo.append(0), hi.append(0)
        for i in range(self.r):
            valid = np.zeros(self.r * self.c)
            valid[idx[i, :self.nv]] = 1
            if p.suppressed[i]:
                a.append(valid), lo.append(1), hi.append(self.k - 1)
            elif p.n_hidden[i]:
                a.append(valid), lo.append(self.k if counts_known else 0), hi.append(np.inf)
            elif self.n[i] > 0:
                a.append(valid), lo.append(self.n[i]), hi.append(self.n[i])
            if counts_known and self.positive and not p.suppressed[i] and self.n[i] > 0:
                row = np.zeros(self.r * self.c)         # positive answers: public in the groups' shares
                row[idx[i, self.positive]] = 1
                total = self.counts[i, self.positive].sum()
                a.append(row), lo.append(total), hi.append(total)
            if counts_known and self.row_max is not None and i != self.total_row:
                row = np.zeros(self.r * self.c)
                row[idx[i]] = 1
                a.append(row), lo.append(0), hi.append(self.row_max)
            if not p.suppressed[i] and not p.mean_hidden[i] and self.n[i] > 0:
                m = self.shown_mean[i]
                for shift, low, high in ((-self.h, 0, np.inf), (self.h, -np.inf, -_STRICT)):
                    row = np.zeros(self.r * self.c)
                    row[idx[i, :self.nv]] = self.values - (m + shift)
                    a.append(row), lo.append(low), hi.append(high)
        return LinearConstraint(np.array(a), lo, hi) if a else None

    def labels_only(self, p: Protection) -> tuple[np.ndarray, np.ndarray, LinearConstraint | None]:
        """What the ``<5`` labels alone say: primary cells 1..k-1, a suppressed row's cells and n
        0..k-1 and 1..k-1, every other cell any whole number, the total row the sum of the rows."""
        lo, hi = np.zeros((self.r, self.c)), np.full((self.r, self.c), float(_BIG))
        lo[p.primary], hi[p.primary] = 1, self.k - 1
        rows = np.flatnonzero(p.suppressed)
        hi[rows, :self.nv] = self.k - 1
        blank = Protection(p.primary, p.hidden, np.ones(self.r, bool), np.ones(self.r, bool), p.suppressed)
        return lo.ravel(), hi.ravel(), self.constraints(blank, counts_known=False)

    def bound(self, p: Protection, cell: tuple[int, int], sign: int, model=None) -> int:
        """The smallest (``sign`` 1) or largest (-1) value of ``cell`` (milp)."""
        lo, hi, cons = model if model is not None else (*self.bounds(p), self.constraints(p))
        cost = np.zeros(self.r * self.c)
        cost[cell[0] * self.c + cell[1]] = sign
        res = milp(cost, integrality=np.ones_like(cost), bounds=Bounds(lo, hi),
                   constraints=[cons] if cons is not None else [])
        if res.status != 0:     # the true table is always feasible; a solver failure protects nothing
            return int(self.counts[cell])
        return int(round(sign * res.fun))

    def range_of(self, p: Protection, cell: tuple[int, int], model=None) -> tuple[int, int]:
        model = model if model is not None else (*self.bounds(p), self.constraints(p))
        return self.bound(p, cell, 1, model), self.bound(p, cell, -1, model)

    def wanted(self, p: Protection, cell) -> tuple[int, int]:
        """The cell's range from the labels alone (cached: the labels do not change)."""
        if cell not in self._wanted:
            self._wanted[cell] = self.range_of(p, cell, self.labels_only(p))
        return self._wanted[cell]

    def sensitive(self, p: Protection) -> list[tuple[int, int]]:
        cells = [tuple(x) for x in np.argwhere(p.primary)]
        for i in np.flatnonzero(p.suppressed):
            cells += [(i, j) for j in range(self.nv) if self.counts[i, j] < self.k]
        return sorted(set(cells), key=lambda x: (self.counts[x], x))


def cell_range(counts, values, protection: Protection, cell, total_row: int | None = None,
               threshold: int = 5, decimals: int = 1) -> tuple[int, int]:
    """Smallest and largest value of ``cell`` consistent with what the table shows (milp)."""
    return _Table(counts, values, total_row, threshold, decimals).range_of(protection, tuple(cell))


_DONE: dict = {}


def protect_table(counts, values, total_row: int | None = None, threshold: int = 5,
                  decimals: int = 1, positive=(), mean_shown: bool = True, respondents: int | None = None) -> Protection:
    """Primary and secondary suppression of a count table (see the module docstring).

    Parameters
    ----------
    counts : array of int, rows x columns
        The first ``len(values)`` columns are the valid answer categories (they make up the
        row's n and mean); further columns (e.g. "En osaa sanoa") are counted apart.
    values : sequence of float
        The scale value of each valid column (for the mean).
    total_row : int, optional
        Index of a row that is the sum of all the other rows.
    threshold : int
    decimals : int
        Decimals of the shown mean.
    positive : sequence of int
        Columns of the positive answers: their sum per row is taken as public (a comparison of
        groups shows each group's share of positive answers).
    mean_shown : bool
        False for a table of counts without means (e.g. a cross-tabulation).

    Returns
    -------
    Protection
        Computed once per table (the same table in a figure or another section reuses it).
    """
    counts = np.asarray(counts, dtype=int)
    key = (counts.tobytes(), counts.shape, tuple(values), total_row, threshold, decimals, tuple(positive), mean_shown,
           respondents)
    if key not in _DONE:
        if len(_DONE) > 256:
            _DONE.clear()
        _DONE[key] = _protect(counts, values, total_row, threshold, decimals, positive, mean_shown, respondents)
    p = _DONE[key]
    return Protection(p.primary.copy(), p.hidden.copy(), p.n_hidden.copy(), p.mean_hidden.copy(), p.suppressed.copy())


def _protect(counts, values, total_row, threshold, decimals, positive, mean_shown, respondents=None) -> Protection:
    t = _Table(counts, values, total_row, threshold, decimals, positive, respondents)
    small = (t.counts > 0) & (t.counts < threshold)
    suppressed = (t.n > 0) & (t.n < threshold)
    primary = small & ~suppressed[:, None]
    hidden = primary | (suppressed[:, None] & (np.arange(t.c) < t.nv)[None, :])
    p = Protection(primary, hidden, suppressed.copy(), suppressed | (not mean_shown), suppressed)
    protected: set = set()          # hiding more only widens ranges: a protected cell stays protected
    for _ in range(t.r * (t.c + 2) + 1):
        if t.total_row is not None:      # a missing-answer column's total with hidden cells is hidden
            items = np.arange(t.r) != t.total_row
            for j in range(t.nv, t.c):
                if p.hidden[items, j].any() and t.counts[t.total_row, j] > 0:
                    p.hidden[t.total_row, j] = True
        failing = _first_unprotected(t, p, protected)
        if failing is None:
            return p
        if not _hide_one_more(t, p, *failing):
            break
    # nothing left that would help: the row's n (public in other tables too) pins it; hide every
    # count and mean of the table
    p.hidden[:], p.mean_hidden[:] = True, True
    return p


def _first_unprotected(t: _Table, p: Protection, protected: set):
    """The first sensitive cell whose range is narrower than its labels' and the side (1: its
    smallest value is too high, -1: its largest too low), or None."""
    model = (*t.bounds(p), t.constraints(p))
    for cell in t.sensitive(p):
        if cell in protected:
            continue
        want = t.wanted(p, cell)
        if t.bound(p, cell, 1, model) > want[0]:
            return cell, 1
        if t.bound(p, cell, -1, model) < want[1]:
            return cell, -1
        protected.add(cell)
    return None


def _candidates(t: _Table, p: Protection, cell) -> list:
    i, j = cell
    group = range(t.nv) if j < t.nv else range(t.nv, t.c)
    out = []
    if not p.suppressed[i]:
        out += sorted((("cell", (i, jj)) for jj in group if not p.hidden[i, jj] and t.counts[i, jj] > 0),
                      key=lambda x: t.counts[x[1]])
    out += sorted((("cell", (ii, j)) for ii in range(t.r) if not p.hidden[ii, j] and t.counts[ii, j] > 0
                   and not p.suppressed[ii]), key=lambda x: t.counts[x[1]])
    if j < t.nv and not p.suppressed[i] and not p.mean_hidden[i]:
        out.append(("mean", i))
    if t.row_max is not None and not p.suppressed[i] and not p.n_hidden[i]:
        out.append(("n", i))
    return out


def _apply(p: Protection, candidate) -> Protection:
    q = Protection(p.primary, p.hidden.copy(), p.n_hidden.copy(), p.mean_hidden.copy(), p.suppressed)
    kind, where = candidate
    if kind == "cell":
        q.hidden[where] = True
    elif kind == "mean":
        q.mean_hidden[where] = True
    else:
        q.n_hidden[where] = True
    return q


def _further(t: _Table, p: Protection, near: list) -> list:
    """Everything else still shown that touches a hidden figure: cells of rows with hidden
    cells (smallest first), then those rows' means and n."""
    rows = [i for i in range(t.r) if p.hidden[i].any() and not p.suppressed[i]]
    cells = sorted((("cell", (i, j)) for i in rows for j in range(t.c)
                    if not p.hidden[i, j] and t.counts[i, j] > 0), key=lambda x: t.counts[x[1]])
    stats = [("mean", i) for i in rows if not p.mean_hidden[i]]
    if t.row_max is not None:
        stats += [("n", i) for i in [*rows, t.total_row] if i is not None and not p.n_hidden[i] and not p.suppressed[i]]
    return [o for o in cells + stats if o not in near]


def _hide_one_more(t: _Table, p: Protection, cell, sign: int) -> bool:
    near = _candidates(t, p, cell)
    options = near + _further(t, p, near)
    if not options:
        return False
    now = t.bound(p, cell, sign)
    choice = options[0]
    for option in options:
        if sign * t.bound(_apply(p, option), cell, sign) < sign * now:
            choice = option
            break
    q = _apply(p, choice)
    p.hidden, p.n_hidden, p.mean_hidden = q.hidden, q.n_hidden, q.mean_hidden
    return True

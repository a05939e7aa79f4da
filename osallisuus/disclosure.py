"""Secondary (complementary) suppression of answer-category counts, checked by integer programming.

A frequency table such as Taulukko 3 (items x answer categories, a total row, each row's n and
mean) publishes more than its cells: the row's n is the sum of its valid cells, the total row
is the sum of the item rows, and the mean rounded to one decimal bounds the weighted sum of the
cells. Hiding a count of 3 as "<5" protects nobody if the row's n minus the shown cells, the
total row minus the other rows, or the mean gives it back.

The rule (Statistics Finland and THL practice: threshold 5, primary and secondary suppression):

1. **Primary**: a count 1..threshold-1 is shown as ``<5``. A row whose n is under the threshold
   shows no count, n or mean at all (its cells are sensitive too, 0..threshold-1).
2. **Check**: for each hidden sensitive cell, its smallest and largest value consistent with
   everything the table publishes is found by integer programming (HiGHS; every count a
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
   more only widens ranges). A row's n is hidden only when the respondents a reader sees
   elsewhere are given (``respondents``, e.g. Taulukko 1 of a report): each item row's answers,
   its missing-answer columns ("En osaa sanoa") included, are then at most that many, and a
   shown n of 68 of 69 respondents leaves one "En osaa sanoa" at most; the report then hides
   that n in its comparison and change tables too. Should nothing be left to hide, every
   count and mean of the table is hidden.
4. **Missing-answer totals**: the total row's cell of a missing-answer column with a hidden
   cell is hidden as well: shown, it and the rows' n tell how many answered (when everyone
   answered every item, (sum of n + the total) / items) and so each row's missing answers.

Each range is found exactly but cheaply: only the connected part of the programme around the
cell is solved (shown cells are constants; rows are tied to each other only through hidden
cells; the parts of a programme are found once); a candidate for step 3 that a bound by duals
(below) proves not to widen the cell's range alone is passed over without a question of its
own (the relaxation of what the table shows is solved for its duals once a step, and the
bound is found for every candidate at once: each changes one variable's bounds or one row's
constraints); a run of the other candidates that, hidden
all at once, does not widen the cell's range is passed over with one question (hiding more
only widens, so none of them would alone); a part with few possible points is
enumerated, a larger one goes to the integer solver; solved parts are cached; and before that,
a question "is the range narrower than this?" is settled by exact arguments where they
suffice: the true count is itself feasible; the duals of a relaxation solved before for the
same cell prove a bound (weak duality: any multipliers of the constraints do) in every
programme that keeps the constraints they use, with that programme's own bounds (checked
before its parts are found); any whole-number table the solver found
for the same table before that keeps the programme's bounds and constraints (checked), the
bounds implied by the constraints (a range is exact when a known table reaches them), the
linear relaxation (a whole-number minimum is at least the relaxed one rounded up, and equals
it when the relaxation's optimum is itself a whole-number point), and a rounding of the
relaxation's optimum (each way of rounding its fractional values down or up when there are at
most ``_ROUNDINGS`` = 10 of them, else to the nearest) that keeps every bound and constraint
with the cell at or past the limit; a range's end itself (the bound a step starts from) is
the relaxation's rounded when a known table or such a rounding reaches it; only then is the integer
programme asked, with the cell kept at or past the limit (a solution exists only when the
range reaches the limit, and its optimum is then the whole range's; HiGHS finds it sooner so).
The programmes go to HiGHS, the solver behind :func:`scipy.optimize.milp`, through ``highspy``
with one reused instance, as arrays (scipy's setup per call was most of the time of these
small programmes); an answer other than an optimum is asked again through
:func:`scipy.optimize.milp` (a programme without the limit always has a solution, the true
table; one with it seldom has none, and HiGHS has wrongly called such programmes
infeasible). The decisions are those of solving every range by :func:`scipy.optimize.milp`
(``tests/test_disclosure_speed.py`` against ``tests/reference_disclosure.py``;
``benchmarks/disclosure.py`` measures the gain).

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

import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np

__all__ = ["Protection", "protect_table", "cell_range", "mean_pins", "SECONDARY"]

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
        self.row_max = row_max          # the reader's bound on each item row's answers (all columns)
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
        # "mean rounds below m + h" is sum((v - m - h) * x) < 0; with whole scale values every such
        # sum is a multiple of h, so it is sum <= -h: written as <= -h/2, far from the solver's
        # tolerances (a margin of 1e-6 lets HiGHS accept a sum of exactly 0 in some programmes)
        whole = np.allclose(self.values, np.round(self.values))
        self.strict = self.h / 2 if whole else _STRICT
        self._wanted: dict = {}
        self._solved: dict = {}
        self._constraints: dict = {}
        self._points = np.zeros((0, self.r * self.c))     # whole-number tables found by the solver
        self._models: dict = {}
        self._blocks: dict = {}
        self._bounds: dict = {}
        self._changes: dict = {}
        self._certificates: dict = {}     # (cell, sign) -> _Certificates of the relaxations solved
        self._relaxations: set = set()      # (part key, sign) of the relaxations solved for their duals

    def bounds(self, p: Protection) -> tuple[np.ndarray, np.ndarray]:
        """Each cell's bounds in the programme of what ``p`` shows (made once per state; read-only)."""
        key = (p.primary.tobytes(), p.hidden.tobytes(), p.suppressed.tobytes())
        if key not in self._bounds:
            if len(self._bounds) >= _MODELS:
                self._bounds.clear()
            self._bounds[key] = self._make_bounds(p)
        return self._bounds[key]

    def _make_bounds(self, p: Protection) -> tuple[np.ndarray, np.ndarray]:
        lo = self.counts.astype(float).copy()
        hi = lo.copy()
        sec = p.hidden & ~p.primary
        lo[p.primary], hi[p.primary] = 1, self.k - 1
        lo[sec], hi[sec] = self.k, _BIG
        rows = np.flatnonzero(p.suppressed)
        lo[rows, :self.nv], hi[rows, :self.nv] = 0, self.k - 1
        lo, hi = lo.ravel(), hi.ravel()
        lo.flags.writeable, hi.flags.writeable = False, False
        return lo, hi

    def constraints(self, p: Protection, counts_known: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The table's equations and inequalities as ``(A, lower, upper)``; they depend on which
        rows' n and mean are shown, not on which cells are hidden, so each set is built once."""
        return self._constraint_set(p, counts_known)[:3]

    def rows(self, p: Protection) -> tuple[list, frozenset]:
        """Each constraint of what ``p`` shows named by its content (coefficients and limits), in
        order and as a set: a constraint of another programme is one of these when its name is."""
        return self._constraint_set(p, True)[3:]

    def _constraint_set(self, p: Protection, counts_known: bool) -> tuple:
        """:meth:`constraints` and :meth:`rows`, made of the rows' blocks (:meth:`_block`)."""
        key = (p.suppressed.tobytes(), p.n_hidden.tobytes(), p.mean_hidden.tobytes(), counts_known)
        if key not in self._constraints:
            blocks = [self._block(None, (), counts_known)] + [self._block(i, self._state(p, i), counts_known)
                                                             for i in range(self.r)]
            names = [n for b in blocks for n in b[3]]
            self._constraints[key] = (np.vstack([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks]),
                                      np.concatenate([b[2] for b in blocks]), names, frozenset(names))
        return self._constraints[key]

    @staticmethod
    def _state(p: Protection, i: int) -> tuple[bool, bool, bool]:
        """What of row ``i`` the constraints depend on: suppressed, n hidden, mean hidden."""
        return bool(p.suppressed[i]), bool(p.n_hidden[i]), bool(p.mean_hidden[i])

    def _block(self, i: int | None, state: tuple, counts_known: bool = True) -> tuple:
        """The constraints of row ``i`` in ``state`` (:meth:`_state`), or with ``i`` None those
        of the total row's columns, as ``(A, lower, upper, names)``; each made once."""
        key = (i, state, counts_known)
        if key not in self._blocks:
            a, lo, hi = [], [], []
            if i is None:
                self._column_rows(a, lo, hi)
            else:
                self._row_rows(i, *state, counts_known, a, lo, hi)
            a = np.array(a) if a else np.zeros((0, self.r * self.c))
            lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
            self._blocks[key] = a, lo, hi, [x.tobytes() + y.tobytes() + z.tobytes() for x, y, z in zip(a, lo, hi)]
        return self._blocks[key]

    def _column_rows(self, a: list, lo: list, hi: list) -> None:
        """The total row as the sum of the item rows, a column at a time (appended to ``a``,
        ``lo``, ``hi``)."""
        if self.total_row is None:
            return
        idx = np.arange(self.r * self.c).reshape(self.r, self.c)
        for j in range(self.c):
            row = np.zeros(self.r * self.c)
            row[idx[:, j]] = -1
            row[idx[self.total_row, j]] = 1
            a.append(row), lo.append(0), hi.append(0)

    def _row_rows(self, i: int, suppressed: bool, n_hidden: bool, mean_hidden: bool, counts_known: bool,
                  a: list, lo: list, hi: list) -> None:
        """Row ``i``'s n, positive answers, answers against the respondents and mean (appended to
        ``a``, ``lo``, ``hi``)."""
        idx = np.arange(self.r * self.c).reshape(self.r, self.c)
        valid = np.zeros(self.r * self.c)
        valid[idx[i, :self.nv]] = 1
        if suppressed:
            a.append(valid), lo.append(1), hi.append(self.k - 1)
        elif n_hidden:
            a.append(valid), lo.append(self.k if counts_known else 0), hi.append(np.inf)
        elif self.n[i] > 0:
            a.append(valid), lo.append(self.n[i]), hi.append(self.n[i])
        if counts_known and self.positive and not suppressed and self.n[i] > 0:
            row = np.zeros(self.r * self.c)         # positive answers: public in the groups' shares
            row[idx[i, self.positive]] = 1
            total = self.counts[i, self.positive].sum()
            a.append(row), lo.append(total), hi.append(total)
        if counts_known and self.row_max is not None and i != self.total_row:
            # nobody answers an item twice: the row's answers are at most the respondents; with
            # its n shown that is its missing answers at most respondents - n (the same set of
            # tables, but the row's valid cells stay apart from its missing ones: smaller parts)
            row = np.zeros(self.r * self.c)
            shown_n = not suppressed and not n_hidden and self.n[i] > 0
            row[idx[i, self.nv:] if shown_n else idx[i]] = 1
            if row.any():
                a.append(row), lo.append(0), hi.append(self.row_max - (self.n[i] if shown_n else 0))
        if not suppressed and not mean_hidden and self.n[i] > 0:
            m = self.shown_mean[i]
            for shift, low, high in ((-self.h, 0, np.inf), (self.h, -np.inf, -self.strict)):
                row = np.zeros(self.r * self.c)
                row[idx[i, :self.nv]] = self.values - (m + shift)
                a.append(row), lo.append(low), hi.append(high)

    def labels_only(self, p: Protection) -> _Model:
        """What the ``<5`` labels alone say: primary cells 1..k-1, a suppressed row's cells and n
        0..k-1 and 1..k-1, every other cell any whole number, the total row the sum of the rows."""
        lo, hi = np.zeros((self.r, self.c)), np.full((self.r, self.c), float(_BIG))
        lo[p.primary], hi[p.primary] = 1, self.k - 1
        rows = np.flatnonzero(p.suppressed)
        hi[rows, :self.nv] = self.k - 1
        blank = Protection(p.primary, p.hidden, np.ones(self.r, bool), np.ones(self.r, bool), p.suppressed)
        return _Model(lo.ravel(), hi.ravel(), *self.constraints(blank, counts_known=False))

    def model(self, p: Protection) -> _Model:
        """The programme of what ``p`` shows; made once per state (the search asks about the same
        state again, e.g. a cell's range after another cell's question hid the same figures)."""
        key = (p.primary.tobytes(), p.hidden.tobytes(), p.n_hidden.tobytes(), p.mean_hidden.tobytes(),
               p.suppressed.tobytes())
        if key not in self._models:
            if len(self._models) >= _MODELS:
                self._models.clear()
            self._models[key] = _Model(*self.bounds(p), *self.constraints(p))
        return self._models[key]

    def bound(self, p: Protection, cell: tuple[int, int], sign: int, model=None) -> int:
        """The smallest (``sign`` 1) or largest (-1) value of ``cell``: only the part of the
        programme that shares a constraint with the cell counts (the rest, the true table, is
        feasible anyway); found by the relaxation where it suffices (:meth:`_relaxed_bound`),
        else a small part is enumerated, a larger one solved by HiGHS; cached."""
        shown = p if model is None else None       # the programme of what p shows (not the labels')
        model = model if model is not None else self.model(p)
        part = model.part(cell[0] * self.c + cell[1])
        key = (part.key, sign)
        if key not in self._solved:
            best = self._best_known(part, sign)
            if _implied_beyond(part, sign, best - sign):
                self._solved[key] = best    # a known table reaches the implied bound: that is the optimum
            else:
                self._solved[key] = self._relaxed_bound(part, sign, best, shown)
            if self._solved[key] is None:
                self._solved[key], point = _solve(part, sign)
                self._remember(part, point)
        value = self._solved[key]
        return int(self.counts[cell]) if value is None else value

    def _relaxed_bound(self, part: _Part, sign: int, best: int, p: Protection | None) -> int | None:
        """The cell's bound in ``part`` when the relaxation shows it, else None: the relaxation's
        bound rounded is at most as tight as the whole-number one, which is at most as tight as
        ``best`` (a known table's value) or a whole-number point that has the relaxation's
        bound; equal, they are the bound. With ``p`` (``part`` is of what ``p`` shows) the
        relaxation's duals are kept (:meth:`_certify`)."""
        relaxed, point, duals = _relaxed(part, sign)
        if p is not None:
            self._relaxations.add((part.key, sign))
        if p is not None and duals is not None:
            self._certify(p, part, sign, duals)
        if relaxed is None:
            return None
        value, whole = relaxed
        if whole:
            self._remember(part, None if point is None else np.round(point))
        if whole or value == best:
            return value
        rounded = None if point is None else _rounded(part, point, sign, value)
        self._remember(part, rounded)
        return None if rounded is None else value

    def beyond(self, p: Protection, cell: tuple[int, int], sign: int, limit: int, model=None) -> bool:
        """Whether ``cell``'s smallest value is above ``limit`` (``sign`` 1) or its largest below
        it (-1), i.e. ``sign * bound > sign * limit``, deciding first by exact cheap arguments:
        the true count is feasible (so the smallest is at most it), so is a whole-number table
        the solver found before if it keeps this programme's bounds and constraints, the bounds
        implied by the constraints, the linear relaxation (the whole-number bound is at
        least as tight, and the same when the relaxation's optimum is a whole-number point), and
        a rounding of the relaxation's optimum that keeps the part with the cell at or past
        ``limit`` (:func:`_rounded`); before any of these (without the programme's parts), a
        bound proved by the duals of a relaxation solved before (:meth:`_certified`)."""
        index = cell[0] * self.c + cell[1]
        if sign * self.counts[cell] <= sign * limit:
            return False                # the true table itself reaches the limit
        if self._certified(p, index, sign, limit):
            return True                 # a relaxation's duals prove a bound beyond the limit
        model = model if model is not None else self.model(p)
        part = model.part(index)
        if (part.key, sign) in self._solved:
            return sign * self.bound(p, cell, sign, model) > sign * limit
        if self._reaches(part, sign, limit):
            return False                # a whole-number table found before fits and reaches it
        if _implied_beyond(part, sign, limit):
            return True                 # the bounds the constraints imply are beyond it already
        relaxed, point, duals = _relaxed(part, sign)
        self._relaxations.add((part.key, sign))
        if duals is not None:
            self._certify(p, part, sign, duals)
        if relaxed is not None and relaxed[1]:
            self._solved[part.key, sign] = relaxed[0]
            self._remember(part, None if point is None else np.round(point))
        if relaxed is not None and (relaxed[1] or sign * relaxed[0] > sign * limit):
            return sign * relaxed[0] > sign * limit
        rounded = None if point is None else _rounded(part, point, sign, limit)
        if rounded is not None:
            self._remember(part, rounded)
            return False                # a rounding of the relaxed optimum fits and reaches the limit
        return self._solved_beyond(part, sign, limit)

    def _certify(self, p: Protection, part: _Part, sign: int, duals: np.ndarray) -> None:
        """Keep the bound that the duals ``y`` of the relaxation of ``part`` prove (weak
        duality): for every ``x`` with ``cl <= a @ x <= cu``, ``y @ a @ x`` is at least ``beta``
        (each ``y_r`` times ``cl_r`` when positive, ``cu_r`` when negative), so the cell's
        ``sign * x`` is at least ``beta`` plus the smallest of ``(e_cell * sign - a.T @ y) @ x``
        over the bounds. Any ``y`` gives a true bound (the duals only make it a good one), in
        every programme that has the constraints ``y`` uses, with its own bounds."""
        a, cl, cu = self.constraints(p)
        y = np.zeros(len(a))
        y[part.rows] = np.where(np.abs(duals) < 1e-9, 0.0, duals)
        use = np.flatnonzero(y)
        limits = np.where(y[use] > 0, cl[use], cu[use])
        if not np.isfinite(limits).all():
            return                      # a dual on a side without a limit: no bound (not optimal)
        names = self.rows(p)[0]
        found = self._certificates.setdefault((part.idx[part.cell], sign), _Certificates(a.shape[1]))
        found.add(a[use].T @ y[use], y[use] @ limits, frozenset(names[r] for r in use))

    def _certified(self, p: Protection, index: int, sign: int, limit: int) -> bool:
        """Whether a bound kept by :meth:`_certify` for the cell (variable ``index``) shows its
        smallest value above ``limit`` (``sign`` 1) or its largest below it (-1) in the
        programme of ``p``: a bound whose constraints ``p`` has too, found with ``p``'s bounds."""
        found = self._certificates.get((index, sign))
        return found is not None and found.beyond(*self.bounds(p), self.rows(p)[1], index, sign, limit)

    def may_widen(self, p: Protection, cell: tuple[int, int], sign: int, now: int, options: list) -> list:
        """The ``options`` that hidden alone might widen ``cell``'s bound ``now`` on side ``sign``:
        the others are proved not to by a bound of :meth:`_certify`, checked for every option at
        once (its constraints in the programme with the option hidden, with its bounds). The
        relaxation of what ``p`` shows is solved for its duals first unless a kept bound proves
        ``now`` already."""
        index = cell[0] * self.c + cell[1]
        if not self._certified(p, index, sign, now - sign):
            part = self.model(p).part(index)
            if (part.key, sign) not in self._relaxations:
                self._relaxations.add((part.key, sign))
                duals = _relaxed(part, sign)[2]
                if duals is not None:
                    self._certify(p, part, sign, duals)
        found = self._certificates.get((index, sign))
        if found is None:
            return options
        cells = [o for o in options if o[0] == "cell"]
        flat = np.array([i * self.c + j for _, (i, j) in cells], dtype=int)
        wide = self.bounds(_apply(p, *cells))       # each cell's bounds depend on that cell alone
        by_cell, by_stat = found.beyond_each(*self.bounds(p), self.rows(p)[1], index, sign, now - sign,
                                             flat, wide[0][flat], wide[1][flat],
                                             [self._changed(p, o) for o in options if o[0] != "cell"])
        by_cell, by_stat = iter(by_cell), iter(by_stat)
        return [o for o in options if not next(by_cell if o[0] == "cell" else by_stat)]

    def _changed(self, p: Protection, option) -> frozenset:
        """The names of the constraints of ``p`` that hiding a row's mean or n (``option``)
        removes or changes (found once per row, state and option)."""
        kind, i = option
        state = self._state(p, i)
        key = (kind, i, state)
        if key not in self._changes:
            suppressed, n_hidden, mean_hidden = state
            new = (suppressed, n_hidden or kind == "n", mean_hidden or kind == "mean")
            self._changes[key] = frozenset(self._block(i, state)[3]) - frozenset(self._block(i, new)[3])
        return self._changes[key]

    def _solved_beyond(self, part: _Part, sign: int, limit: int) -> bool:
        """:meth:`beyond` by the integer programme with the cell kept at or past ``limit``: it has
        a solution only when the cell's bound is not beyond the limit, and then the same optimum
        as the whole part (the optimum is within); asked so, the solver finds it sooner."""
        value, point = _solve(part, sign, limit)
        if value is None:
            return True
        self._solved[part.key, sign] = value
        self._remember(part, point)
        return False

    def _remember(self, part: _Part, point) -> None:
        """Keep a whole-number solution of ``part`` as a whole table (the true counts elsewhere:
        the parts share no constraint, so the table keeps every constraint the part's point does)."""
        if point is None:
            return
        table = self.counts.astype(float).ravel()
        table[part.idx] = point
        self._points = np.vstack([self._points[-(_POINTS - 1):], table])

    def _reaches(self, part: _Part, sign: int, limit: int) -> bool:
        """Whether a remembered whole-number table keeps every bound and constraint of ``part``
        with its cell at or past ``limit`` (``sign * x <= sign * limit``): a solution that shows
        the cell's smallest (largest) value is not above (below) the limit. Only the part is
        checked: its values there with the true counts elsewhere make a table that keeps the
        whole programme (no other constraint holds a variable of the part, and the true table
        keeps them all)."""
        points = self._points[:, part.idx]
        return len(_fitting(part, points[sign * points[:, part.cell] <= sign * limit])) > 0

    def _best_known(self, part: _Part, sign: int) -> int:
        """The smallest (``sign`` 1) or largest (-1) value of the part's cell among the whole
        tables known to keep the part: the true one and the remembered ones that fit there."""
        index = part.idx[part.cell]
        values = np.r_[self.counts.ravel()[index], _fitting(part, self._points[:, part.idx])[:, part.cell]]
        return int(sign * (sign * values).min())

    def range_of(self, p: Protection, cell: tuple[int, int], model=None) -> tuple[int, int]:
        model = model if model is not None else self.model(p)
        return self.bound(p, cell, 1, model), self.bound(p, cell, -1, model)

    def wanted(self, p: Protection, cell) -> tuple[int, int]:
        """The cell's range from the labels alone (cached: the labels do not change). A ``<5``
        cell of a shown row whose column total is neither ``<5`` nor in a suppressed total row
        is 1..threshold-1 (the total, any whole number, absorbs the column)."""
        if cell not in self._wanted:
            i, j = cell
            t = self.total_row
            free = t is None or (i != t and not p.primary[t, j] and not p.suppressed[t])
            if p.primary[cell] and not p.suppressed[i] and free and self.k > 1:
                self._wanted[cell] = (1, self.k - 1)
            else:
                self._wanted[cell] = self.range_of(p, cell, self.labels_only(p))
        return self._wanted[cell]

    def sensitive(self, p: Protection) -> list[tuple[int, int]]:
        cells = [tuple(x) for x in np.argwhere(p.primary)]
        for i in np.flatnonzero(p.suppressed):
            cells += [(i, j) for j in range(self.nv) if self.counts[i, j] < self.k]
        return sorted(set(cells), key=lambda x: (self.counts[x], x))


def cell_range(counts, values, protection: Protection, cell, total_row: int | None = None,
               threshold: int = 5, decimals: int = 1) -> tuple[int, int]:
    """Smallest and largest value of ``cell`` consistent with what the table shows (integer programming)."""
    return _Table(counts, values, total_row, threshold, decimals).range_of(protection, tuple(cell))


def mean_pins(counts, values, threshold: int = 5, decimals: int = 1) -> bool:
    """Whether a group's n and mean (rounded half up to ``decimals``), published without its
    answer counts, pin a count of 1..threshold-1: the count's smallest and largest value
    consistent with them both lie in that range. A yes/no question's mean is its share of
    yes: 0,8 of 14 answers leaves 11 yes and so 3 no, whatever else the report hides.

    ``counts`` are the group's answers per scale value ``values`` (the valid answers that make
    up n and the mean). Each count's range is found as :func:`protect_table` finds a hidden
    cell's: the table's own model of a row whose n and rounded mean are shown (every count a
    whole number from 0 to n, hidden), by integer programming.

    >>> mean_pins([11, 3], [1, 0]), mean_pins([17, 22], [1, 0])
    (True, False)
    """
    counts = np.asarray(counts, dtype=int)[None, :]
    n = int(counts.sum())
    if n == 0 or counts.shape[1] < 2:
        return False
    table = _Table(counts, values, None, threshold, decimals)
    shown = Protection(np.zeros(counts.shape, bool), np.ones(counts.shape, bool), np.zeros(1, bool),
                       np.zeros(1, bool), np.zeros(1, bool))     # every count hidden; n and mean shown
    model = _Model(np.zeros(counts.size), np.full(counts.size, float(n)), *table.constraints(shown))
    for j in np.flatnonzero((counts[0] > 0) & (counts[0] < threshold)):
        low, high = table.range_of(shown, (0, j), model)
        if 1 <= low and high <= threshold - 1:
            return True
    return False


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
    respondents : int, optional
        The number of respondents a reader can see elsewhere for the people this table counts
        (e.g. a design table's respondents of the phase): nobody answers an item twice, so an
        item row's answers, its missing-answer columns ("En osaa sanoa") included, are at most
        this. With a row's n shown that bounds its missing answers (n = 68 of 69 respondents
        leaves one "En osaa sanoa" at most).

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
        _hide_missing_totals(t, p)
        failing = _first_unprotected(t, p, protected)
        if failing is None:
            return p
        if not _hide_one_more(t, p, *failing):
            break
    # nothing left that would help: the row's n (public in other tables too) pins it; hide every
    # count and mean of the table
    p.hidden[:], p.mean_hidden[:] = True, True
    return p


def _hide_missing_totals(t: _Table, p: Protection) -> None:
    """Hide (as secondary) the total row's cell of a missing-answer column ("En osaa sanoa") that
    has a hidden cell. Shown, it and the rows' n give every row's answers when everyone answered
    every item: (sum of n + the total) / items is the number who answered, and each row's
    missing answers that number less its n (a privacy review derived 41 hidden cells so)."""
    if t.total_row is None or t.c == t.nv:
        return
    items = np.arange(t.r) != t.total_row
    for j in range(t.nv, t.c):
        if p.hidden[items, j].any() and t.counts[t.total_row, j] > 0:
            p.hidden[t.total_row, j] = True


def _first_unprotected(t: _Table, p: Protection, protected: set):
    """The first sensitive cell whose range is narrower than its labels' and the side (1: its
    smallest value is too high, -1: its largest too low), or None."""
    model = t.model(p)
    for cell in t.sensitive(p):
        if cell in protected:
            continue
        want = t.wanted(p, cell)
        if t.beyond(p, cell, 1, want[0], model):
            return cell, 1
        if t.beyond(p, cell, -1, want[1], model):
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
        out.append(("n", i))        # a row's n against the respondents bounds its missing answers
    return out


def _apply(p: Protection, *candidates) -> Protection:
    """``p`` with the ``candidates`` hidden too (a new Protection; ``p`` is left as it is)."""
    q = Protection(p.primary, p.hidden.copy(), p.n_hidden.copy(), p.mean_hidden.copy(), p.suppressed)
    for kind, where in candidates:
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
    if t.row_max is not None:       # the rows' n (their missing answers are bounded by the respondents)
        stats += [("n", i) for i in [*rows, t.total_row] if i is not None and not p.n_hidden[i] and not p.suppressed[i]]
    return [o for o in cells + stats if o not in near]


def _hide_one_more(t: _Table, p: Protection, cell, sign: int) -> bool:
    near = _candidates(t, p, cell)
    options = near + _further(t, p, near)
    if not options:
        return False
    now = t.bound(p, cell, sign)
    left = t.may_widen(p, cell, sign, now, options)     # the others are proved not to widen alone
    choice = _first_widening(t, p, cell, sign, now, left[:1]) or \
        _first_widening(t, p, cell, sign, now, left[1:]) or options[0]
    q = _apply(p, choice)
    p.hidden, p.n_hidden, p.mean_hidden = q.hidden, q.n_hidden, q.mean_hidden
    return True


def _first_widening(t: _Table, p: Protection, cell, sign: int, now: int, options: list):
    """The first of ``options`` that, hidden alone, widens ``cell``'s bound on side ``sign``
    beyond ``now``, or None. Hiding more only widens a range (every programme's solutions are
    solutions of the programme with more hidden), so when hiding all of a run of options at once
    does not widen the bound, none of them does alone: the run is passed over with one question
    instead of one per option (most often no option widens)."""
    if not options or t.beyond(_apply(p, *options), cell, sign, now - sign):
        return None
    if len(options) == 1:
        return options[0]
    half = len(options) // 2
    return (_first_widening(t, p, cell, sign, now, options[:half])
            or _first_widening(t, p, cell, sign, now, options[half:]))


_ENUMERATE = 20000      # at most this many candidate points are enumerated; beyond, the integer solver
_POINTS = 64            # whole-number tables remembered per table (the latest)
_MODELS = 512           # programmes kept per table
_TOL = 1e-7             # HiGHS' default feasibility tolerance
_ROUNDINGS = 10         # a relaxed optimum with at most this many fractional values is rounded every way
_CERTIFICATES = 32      # bounds by duals kept per cell and side (the latest)


class _Certificates:
    """Bounds proved by the duals of relaxations (:meth:`_Table._certify`) for one cell and
    side: per bound the sum ``a.T @ y`` of the constraints it uses (a row of ``g``), their
    limits' sum ``beta``, and the constraints' names."""

    def __init__(self, n: int):
        self.g, self.beta, self.needs = np.zeros((0, n)), np.zeros(0), []

    def add(self, g: np.ndarray, beta: float, needs: frozenset) -> None:
        self.g = np.vstack([self.g[-(_CERTIFICATES - 1):], g])
        self.beta = np.r_[self.beta[-(_CERTIFICATES - 1):], beta]
        self.needs = self.needs[-(_CERTIFICATES - 1):] + [needs]

    def beyond(self, lo, hi, names: frozenset, index: int, sign: int, limit: int) -> bool:
        """Whether a bound whose constraints are all in ``names`` puts ``sign * x[index]`` above
        ``sign * limit`` within the bounds ``lo``, ``hi``: the whole-number smallest is at least
        the bound rounded up (with the relaxation's margin of 1e-6)."""
        d = -self.g
        d[:, index] += sign
        low = self.beta + np.minimum(d * lo, d * hi).sum(axis=1)
        return any(self.needs[k] <= names for k in np.flatnonzero(low - 1e-6 > sign * limit))

    def beyond_each(self, lo, hi, names: frozenset, index: int, sign: int, limit: int,
                    cells: np.ndarray, cell_lo, cell_hi, changes: list) -> tuple[np.ndarray, list]:
        """:meth:`beyond` for each of several programmes that differ from the one of ``lo``,
        ``hi``, ``names`` in one figure: the variable of each of ``cells`` within
        ``cell_lo``..``cell_hi`` instead (the constraints the same), or the constraints named in
        each of ``changes`` removed or changed (the bounds the same)."""
        d = -self.g
        d[:, index] += sign
        terms = np.minimum(d * lo, d * hi)
        low = self.beta + terms.sum(axis=1)
        usable = np.array([needs <= names for needs in self.needs])
        wide = low[:, None] - terms[:, cells] + np.minimum(d[:, cells] * cell_lo, d[:, cells] * cell_hi)
        by_cell = (usable[:, None] & (wide - 1e-6 > sign * limit)).any(axis=0)
        ok = np.flatnonzero(usable & (low - 1e-6 > sign * limit))
        return by_cell, [any(not self.needs[k] & gone for k in ok) for gone in changes]


class _Sparse:
    """The non-zero entries of a constraint matrix ``a`` row by row (``row``, ``col``, ``value``;
    ``start``: where each row begins, as HiGHS takes them), and per-column minima and maxima of
    values given per entry."""

    def __init__(self, a: np.ndarray):
        self.row, self.col = np.nonzero(a)
        self.value = a[self.row, self.col]
        self.start = np.searchsorted(self.row, np.arange(len(a) + 1)).astype(np.int32)
        self.n = a.shape[1]
        self._order = np.argsort(self.col, kind="stable")
        self._columns, self._first = np.unique(self.col[self._order], return_index=True)

    def column_min(self, values: np.ndarray) -> np.ndarray:
        """Per column the smallest of ``values`` (one per entry); inf for a column without entries."""
        out = np.full(self.n, np.inf)
        out[self._columns] = np.minimum.reduceat(values[self._order], self._first)
        return out

    def column_max(self, values: np.ndarray) -> np.ndarray:
        """Per column the largest of ``values`` (one per entry); -inf for a column without entries."""
        out = np.full(self.n, -np.inf)
        out[self._columns] = np.maximum.reduceat(values[self._order], self._first)
        return out


@dataclass(eq=False)
class _Part:
    """The connected part of a programme around one cell: its free variables (``cell`` the
    index of the asked one), their bounds and the constraints on them, the fixed ones moved to
    the right-hand side."""

    cell: int
    idx: np.ndarray         # the variables' positions in the whole table
    rows: np.ndarray        # the constraints' positions in the programme's
    lo: np.ndarray
    hi: np.ndarray
    a: np.ndarray
    cl: np.ndarray
    cu: np.ndarray

    @cached_property
    def key(self) -> tuple:
        return (self.cell, self.lo.tobytes(), self.hi.tobytes(), self.a.shape, self.a.tobytes(),
                self.cl.tobytes(), self.cu.tobytes())

    @cached_property
    def sparse(self) -> _Sparse:
        """The constraints' non-zero entries (found once for the bounds and the solver)."""
        return _Sparse(self.a)

    @cached_property
    def tight(self) -> tuple[np.ndarray, np.ndarray] | None:
        """:func:`_tighten` of the part, found once."""
        return _tighten(self)


class _Model:
    """A programme: bounds ``lo``, ``hi`` of every cell and constraints ``cl <= a @ x <= cu``.
    Its variables fall into parts connected through constraints on free variables (fixed ones
    are constants); :meth:`part` finds the part of one cell (once)."""

    def __init__(self, lo, hi, a, cl, cu):
        self.lo, self.hi = lo, hi
        self.free = lo < hi
        fixed = ~self.free
        shift = a[:, fixed] @ lo[fixed]
        self.a, self.cl, self.cu = a, cl - shift, cu - shift
        self.touches = ((a != 0) & self.free[None, :]).astype(float)
        self._parts: dict = {}

    def part(self, cell: int) -> _Part:
        if cell not in self._parts:
            var, rows = _component(self.touches, cell)
            idx = np.flatnonzero(var)
            self._parts[cell] = _Part(int(np.searchsorted(idx, cell)), idx, np.flatnonzero(rows), self.lo[idx].copy(),
                                      self.hi[idx].copy(), self.a[np.ix_(rows, idx)], self.cl[rows], self.cu[rows])
        return self._parts[cell]


def _component(touches: np.ndarray, cell: int) -> tuple[np.ndarray, np.ndarray]:
    """The variables (columns, as a mask) and constraints (rows) connected to variable ``cell``
    in the graph joined where ``touches`` (0/1) is 1: grown from the cell, a constraint at a
    time step, until nothing joins."""
    var = np.zeros(touches.shape[1])
    var[cell] = 1
    while True:
        rows = touches @ var > 0
        new = (rows @ touches > 0) | (var > 0)
        if new.sum() == var.sum():
            return new, rows
        var = new.astype(float)


def _tighten(part: _Part) -> tuple[np.ndarray, np.ndarray] | None:
    """Bounds implied by the constraints (each variable against the others' extremes), a few
    rounds; None when the part is infeasible. Worked on the constraints' non-zero entries only
    (a few per row)."""
    lo, hi = part.lo.copy(), part.hi.copy()
    sparse = part.sparse
    if not len(sparse.value):
        return lo, hi
    row, col, a = sparse.row, sparse.col, sparse.value
    cl, cu, m = part.cl[row], part.cu[row], len(part.a)
    for _ in range(4):
        at_lo, at_hi = a * lo[col], a * hi[col]
        low, high = np.minimum(at_lo, at_hi), np.maximum(at_lo, at_hi)
        rest_min = np.bincount(row, low, m)[row] - low          # the row's other entries at their extremes
        rest_max = np.bincount(row, high, m)[row] - high
        one, other = (cu - rest_min) / a, (cl - rest_max) / a     # bounds are finite: no inf - inf
        up, down = np.maximum(one, other), np.minimum(one, other)   # as a > 0 or a < 0 (cl <= cu)
        new_lo = np.maximum(lo, sparse.column_max(np.ceil(down - _TOL)))
        new_hi = np.minimum(hi, sparse.column_min(np.floor(up + _TOL)))
        if (new_lo > new_hi).any():
            return None
        if (new_lo == lo).all() and (new_hi == hi).all():
            break
        lo, hi = new_lo, new_hi
    return lo, hi


def _implied_beyond(part: _Part, sign: int, limit: int) -> bool:
    """Whether the bounds implied by the part's constraints (:func:`_tighten`, which every
    whole-number solution keeps) already put the cell's smallest value above ``limit``
    (``sign`` 1) or its largest below it (-1)."""
    bounds = part.tight
    return bounds is not None and sign * bounds[0 if sign == 1 else 1][part.cell] > sign * limit


def _solve(part: _Part, sign: int, limit: int | None = None) -> tuple[int | None, np.ndarray | None]:
    """The cell's smallest (``sign`` 1) or largest (-1) whole value in the part (None when none
    is found) and a whole-number point of the part that has it; with a ``limit``, among the
    points with the cell at or past it (``sign * x <= sign * limit``)."""
    bounds = part.tight
    if bounds is None:
        return None, None
    lo, hi = bounds
    if limit is not None:
        lo, hi = lo.copy(), hi.copy()
        if sign == 1:
            hi[part.cell] = min(hi[part.cell], limit)
        else:
            lo[part.cell] = max(lo[part.cell], limit)
        if lo[part.cell] > hi[part.cell]:
            return None, None
    if np.log(hi - lo + 1).sum() <= np.log(_ENUMERATE):
        grid = np.indices((hi - lo + 1).astype(int)).reshape(len(lo), -1) + lo[:, None]
        sums = part.a @ grid
        ok = np.flatnonzero(((sums >= part.cl[:, None] - _TOL) & (sums <= part.cu[:, None] + _TOL)).all(axis=0))
        if not len(ok):
            return None, None
        best = ok[np.argmin(sign * grid[part.cell, ok])]
        return int(grid[part.cell, best]), grid[:, best]
    found = _optimum(part, lo, hi, sign, whole=True)
    if found is None:       # the true table is always feasible; a solver failure protects nothing
        return None, None
    point = np.round(found[1])
    return int(round(sign * found[0])), point if _keeps(part, point) else None


def _fitting(part: _Part, points: np.ndarray) -> np.ndarray:
    """The ``points`` (rows: values of the part's variables) that keep the part's bounds and
    constraints."""
    return points[_keeping(points, part.lo, part.hi, part.a, part.cl, part.cu)] if len(points) else points


def _keeps(part: _Part, x: np.ndarray) -> bool:
    """Whether the whole-number point ``x`` keeps the part's bounds and constraints."""
    return bool(_keeping(x[None, :], part.lo, part.hi, part.a, part.cl, part.cu)[0])


def _keeping(points: np.ndarray, lo, hi, a, cl, cu) -> np.ndarray:
    """Per row of ``points``: whether it keeps the bounds ``lo``..``hi`` and ``cl <= a @ x <= cu``
    (within HiGHS' feasibility tolerance)."""
    sums = points @ a.T
    return (((points >= lo) & (points <= hi)).all(axis=1)
            & ((sums >= cl - _TOL) & (sums <= cu + _TOL)).all(axis=1))


def _relaxed(part: _Part, sign: int) -> tuple[tuple[int, bool] | None, np.ndarray | None, np.ndarray | None]:
    """The whole-number bound implied by the linear relaxation (as tight or looser than the
    integer one) and whether it is the integer bound itself (the relaxation's optimum is a whole
    point that keeps every constraint), or None when it cannot be found; the relaxation's
    optimal point and its constraints' duals (None when the cell is fixed or no optimum was
    found; the duals also when HiGHS did not give them)."""
    lo, hi = part.lo, part.hi
    if lo[part.cell] == hi[part.cell]:
        return (int(lo[part.cell]), True), None, None
    found = _optimum(part, lo, hi, sign, whole=False)
    if found is None:
        return None, None, None
    fun, point, duals = found
    x = np.round(point)
    if np.abs(point - x).max() < 1e-9 and _keeps(part, x):
        return (int(x[part.cell]), True), point, duals
    value = sign * fun
    return (int(np.ceil(value - 1e-6)) if sign == 1 else int(np.floor(value + 1e-6)), False), point, duals


def _rounded(part: _Part, point: np.ndarray, sign: int, limit: int) -> np.ndarray | None:
    """A whole-number point of the part near ``point`` (the relaxation's optimum, a vertex with
    few fractional values) that keeps every bound and constraint with the cell at or past
    ``limit`` (``sign * x <= sign * limit``), or None: with at most :data:`_ROUNDINGS` fractional
    values each way of rounding them down or up, else ``point`` rounded to the nearest. The
    constraints' sums of the ways are built by doubling, a fractional value at a time (no
    matrix product: a large one starts BLAS threads that keep spinning)."""
    near = np.round(point)
    fractional = np.flatnonzero(np.abs(point - near) >= 1e-9)
    if len(fractional) > _ROUNDINGS:
        fractional = fractional[:0]
    down = near.copy()
    down[fractional] = np.floor(point[fractional])
    sums, cell = (part.a @ down)[None, :], np.array([down[part.cell]])
    for j in fractional:
        sums, cell = np.vstack([sums, sums + part.a[:, j]]), np.r_[cell, cell + (j == part.cell)]
    fit = (((sums >= part.cl - _TOL) & (sums <= part.cu + _TOL)).all(axis=1)
           & (sign * cell <= sign * limit))
    if not fit.any():
        return None
    way = np.argmax(fit)
    down[fractional] += (way >> np.arange(len(fractional))) & 1
    return down if _keeps(part, down) else None


_SOLVER = threading.local()


def _highs():
    """This thread's HiGHS instance (made once; silent). HiGHS is the solver behind
    :func:`scipy.optimize.milp` too; calling it through ``highspy`` with one reused instance
    saves scipy's per-call setup, most of the time of these small programmes."""
    highs = getattr(_SOLVER, "highs", None)
    if highs is None or _SOLVER.pid != os.getpid():
        import highspy                      # imported when first needed: 0.07 s
        with _quiet_stdout():               # some highspy versions print a banner on construction
            highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", 1)
        highs.setOptionValue("mip_rel_gap", 0.0)
        # the feasibility-jump heuristic (HiGHS >= 1.10) takes 3/4 of the time of these tiny
        # integer programmes and finds nothing the search does not; same optima without it
        highs.setOptionValue("mip_heuristic_run_feasibility_jump", False)
        _SOLVER.highs, _SOLVER.pid = highs, os.getpid()
    return highs


@contextmanager
def _quiet_stdout():
    """Standard output (the file descriptor, where C++ libraries print) sent nowhere for a while."""
    try:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):   # no standard output to silence
        yield
        return
    try:
        os.dup2(null, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved), os.close(null)


def _optimum(part: _Part, lo, hi, sign: int, whole: bool) -> tuple[float, np.ndarray, np.ndarray | None] | None:
    """The smallest ``sign * x[cell]`` over the part within bounds ``lo``, ``hi`` (whole numbers
    when ``whole``; else the linear relaxation), a point that reaches it and, for the relaxation,
    the constraints' duals (else None); None when HiGHS finds no optimum. The model goes to
    HiGHS as arrays (rows of non-zero entries)."""
    highs = _highs()
    import highspy
    n, sparse = len(lo), part.sparse
    cost = np.zeros(n)
    cost[part.cell] = sign
    highs.setOptionValue("presolve", "on" if whole else "off")   # a small LP is solved faster as it is
    highs.passModel(n, len(part.a), len(sparse.value), highspy.MatrixFormat.kRowwise,
                    highspy.ObjSense.kMinimize, 0.0, cost, lo, hi, part.cl, part.cu,
                    sparse.start, sparse.col.astype(np.int32), sparse.value, np.full(n, int(whole), dtype=np.int32))
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return _optimum_again(part, lo, hi, sign, whole)
    solution = highs.getSolution()
    duals = None if whole or not solution.dual_valid else np.asarray(solution.row_dual)
    return highs.getInfo().objective_function_value, np.asarray(solution.col_value), duals


def _optimum_again(part: _Part, lo, hi, sign: int, whole: bool) -> tuple[float, np.ndarray, None] | None:
    """:func:`_optimum` through :func:`scipy.optimize.milp` (scipy's own build of HiGHS). A
    programme without a limit on the cell has a solution (the true table), so any other answer
    from HiGHS is a solver fault (highspy 1.9 and 1.10 called some of these integer programmes
    infeasible in presolve); asking a second build keeps the decisions exact, and confirms that
    a programme with a limit (:meth:`_Table._solved_beyond`) has no solution."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    cost = np.zeros(len(lo))
    cost[part.cell] = sign
    res = milp(cost, integrality=np.full(len(lo), int(whole)), bounds=Bounds(lo, hi),
               constraints=[LinearConstraint(part.a, part.cl, part.cu)] if len(part.a) else [])
    return (res.fun, res.x, None) if res.status == 0 else None

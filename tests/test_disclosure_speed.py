"""The fast :func:`osallisuus.disclosure.protect_table` takes exactly the decisions of the slow
reference (``tests/reference_disclosure.py``, the milp-per-bound implementation of commit
58b5256, with the rules added since): on every answer table of the example data and on seeded random tables."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import reference_disclosure  # noqa: E402
from osallisuus import disclosure  # noqa: E402

FIELDS = ("primary", "hidden", "n_hidden", "mean_hidden", "suppressed")


def assert_same(kw):
    disclosure._DONE.clear()
    reference_disclosure._DONE.clear()
    new = disclosure.protect_table(**kw)
    old = reference_disclosure.protect_table(**kw)
    for field in FIELDS:
        assert np.array_equal(getattr(new, field), getattr(old, field)), (field, kw)


def random_table(seed: int) -> dict:
    """Counts 0..30 with many 1..4, 1-6 item rows, 2-5 valid categories and perhaps one more
    (e.g. "En osaa sanoa"), with or without a total row, means shown or not."""
    rng = np.random.default_rng(seed)
    rows, nv = rng.integers(1, 7), rng.integers(2, 6)
    extra = int(rng.integers(0, 2))
    pool = np.r_[np.zeros(3), np.arange(1, 5).repeat(3), np.arange(5, 31)]
    counts = rng.choice(pool, size=(rows, nv + extra)).astype(int)
    if rng.random() < 0.2:                       # a row with n under the threshold
        counts[0] = 0
        counts[0, : rng.integers(1, nv + 1)] = 1
    # the respondents a reader sees (at least every row's answers), for half the tables
    respondents = int(counts.sum(axis=1).max() + rng.integers(0, 5)) if rng.random() < 0.5 else None
    total = bool(rng.integers(0, 2))
    if total:
        counts = np.vstack([counts, counts.sum(axis=0)])
    return dict(counts=counts, values=list(range(1, nv + 1)), total_row=len(counts) - 1 if total else None,
                mean_shown=bool(rng.random() < 0.7), respondents=respondents)


@pytest.mark.parametrize("seed", range(300))
def test_same_decisions_on_random_tables(seed):
    assert_same(random_table(seed))


@pytest.mark.slow
def test_same_decisions_on_example_tables():
    """Every 12th of the example's tables (by region, phase, instrument, total and by role): the
    slow reference takes seconds a table; `python benchmarks/disclosure.py` compares all of them."""
    from disclosure import example_tables       # benchmarks/disclosure.py
    cases = example_tables()
    assert len(cases) > 100
    for label, kw in cases[::12]:
        assert_same(kw)


def test_the_solver_prints_nothing():
    """HiGHS (some highspy versions print a banner when an instance is made) must not write to
    standard output: in a notebook that would land in the report's cell output. A fresh process
    protects a table big enough to need the solver and prints only its own line."""
    code = (
        "import numpy as np\n"
        "from osallisuus import disclosure\n"
        "counts = np.array([[5, 23, 4, 2, 2], [6, 13, 14, 2, 1], [5, 13, 14, 2, 2], [4, 14, 10, 7, 1],\n"
        "                   [16, 17, 3, 0, 0], [2, 12, 13, 4, 5], [9, 17, 6, 1, 3]])\n"
        "counts = np.vstack([counts, counts.sum(axis=0)])\n"
        "p = disclosure.protect_table(counts, values=[4, 3, 2, 1], total_row=7, positive=(0, 1))\n"
        "print('solver used:', hasattr(disclosure._SOLVER, 'highs'), int(p.secondary.sum()) > 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "solver used: True True\n"
    assert "HiGHS" not in out.stderr


def test_a_programme_highs_leaves_unsolved_is_solved_again(monkeypatch):
    """Every programme of the check has a solution (the true table), so a HiGHS answer other
    than an optimum is a solver fault (highspy 1.9 and 1.10 called one of the random tables'
    integer programmes infeasible). Here a real HiGHS instance with a time limit of 0 stops
    every programme at once; each is then asked again through scipy's milp and the decisions
    stay the reference's."""
    import threading
    monkeypatch.setattr(disclosure, "_SOLVER", threading.local())     # a fresh instance, dropped afterwards
    disclosure._highs().setOptionValue("time_limit", 0.0)
    again = []
    real = disclosure._optimum_again
    monkeypatch.setattr(disclosure, "_optimum_again", lambda *a: again.append(a) or real(*a))
    for seed in (0, 1, 2, 3, 208):
        assert_same(random_table(seed))
    assert len(again) > 50


def test_the_cheap_answers_are_used_and_agree_with_the_integer_solver(monkeypatch):
    """Shortcuts answer most questions without a solver: a whole-number table found before that
    fits the programme and reaches the limit (answer: not beyond), the bounds the constraints
    imply (answer: beyond), both together (a known table at the implied bound: the optimum),
    a bound proved by the duals of a relaxation solved before (answer: beyond; also for each
    candidate hidden alone, which is then passed over), and a relaxation's bound that a known
    table or a rounding of its optimum reaches (the bound).
    Each answer they give is checked here against scipy's milp on the same programme, and each
    must be used on these tables, or the decisions test above would not test them."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    used = {"reaches": 0, "implied": 0, "known": 0, "certified": 0, "passed over": 0, "relaxed": 0}

    def exact(lo, hi, a, cl, cu, index, sign):
        cost = np.zeros(len(lo))
        cost[index] = sign
        res = milp(cost, integrality=np.ones(len(lo)), bounds=Bounds(lo, hi),
                   constraints=[LinearConstraint(a, cl, cu)] if len(a) else [])
        return round(res.fun * sign)

    reaches, implied, known = disclosure._Table._reaches, disclosure._implied_beyond, disclosure._Table._best_known
    certified, may_widen = disclosure._Table._certified, disclosure._Table.may_widen
    relaxed = disclosure._Table._relaxed_bound

    def checked_reaches(self, part, sign, limit):
        answer = reaches(self, part, sign, limit)
        if answer:
            used["reaches"] += 1
            assert sign * exact(part.lo, part.hi, part.a, part.cl, part.cu, part.cell, sign) <= sign * limit
        return answer

    def checked_known(self, part, sign):
        value = known(self, part, sign)
        used["known"] += 1
        assert sign * exact(part.lo, part.hi, part.a, part.cl, part.cu, part.cell, sign) <= sign * value
        return value

    def checked_implied(part, sign, limit):
        answer = implied(part, sign, limit)
        if answer:
            used["implied"] += 1
            assert sign * exact(part.lo, part.hi, part.a, part.cl, part.cu, part.cell, sign) > sign * limit
        return answer

    def checked_certified(self, p, index, sign, limit):
        answer = certified(self, p, index, sign, limit)
        if answer:
            used["certified"] += 1
            model = self.model(p)
            part = model.part(index)
            assert sign * exact(part.lo, part.hi, part.a, part.cl, part.cu, part.cell, sign) > sign * limit
        return answer

    def checked_may_widen(self, p, cell, sign, now, options):
        left = may_widen(self, p, cell, sign, now, options)
        for option in options:
            if option not in left:
                used["passed over"] += 1
                q = disclosure._apply(p, option)
                part = self.model(q).part(cell[0] * self.c + cell[1])
                assert sign * exact(part.lo, part.hi, part.a, part.cl, part.cu, part.cell, sign) == sign * now
        return left

    def checked_relaxed(self, part, sign, best, p):
        value = relaxed(self, part, sign, best, p)
        if value is not None:
            used["relaxed"] += 1
            assert exact(part.lo, part.hi, part.a, part.cl, part.cu, part.cell, sign) == value
        return value

    monkeypatch.setattr(disclosure._Table, "_reaches", checked_reaches)
    monkeypatch.setattr(disclosure._Table, "_relaxed_bound", checked_relaxed)
    monkeypatch.setattr(disclosure._Table, "may_widen", checked_may_widen)
    monkeypatch.setattr(disclosure._Table, "_certified", checked_certified)
    monkeypatch.setattr(disclosure, "_implied_beyond", checked_implied)
    monkeypatch.setattr(disclosure._Table, "_best_known", checked_known)
    for seed in range(40):
        assert_same(random_table(seed))
    counts = np.array([[2, 15, 4, 1, 5], [5, 10, 11, 1, 0], [3, 18, 5, 0, 1], [2, 12, 6, 3, 4], [16, 7, 2, 0, 2]])
    assert_same(dict(counts=np.vstack([counts, counts.sum(axis=0)]), values=[1, 2, 3, 4], total_row=5))
    assert min(used.values()) > 0, used

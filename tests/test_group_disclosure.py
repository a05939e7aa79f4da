"""Groups shown beside a total: no group's count under the threshold comes back by subtraction.

Two reviews derived such counts from the example's and a new user's reports: a figure by role
drew the clients' bar and left out the professionals' (total less clients = 3, 1 and 2), a
group's hidden share of positive answers was the total's less the other group's, and a role's n
in the comparison table beside its respondents in the design table gave exactly 1 "En osaa
sanoa". Reference values here are counted by hand or with pandas, not by the library."""
import numpy as np
import pandas as pd

from osallisuus.figures import alt_text, likert_bars
from osallisuus.suppression import Suppression


def _clean(v, k=5):
    return all(x == 0 or x >= k for x in v)


def test_shown_groups_leave_no_small_count_and_show_every_group_when_all_are_clean():
    rng = np.random.default_rng(28)
    sup = Suppression(5)
    for _ in range(400):
        groups = {f"g{i}": rng.choice([0, 0, 1, 2, 4, 5, 7, 12, 30], size=4) for i in range(rng.integers(1, 5))}
        shown = sup.shown_groups(groups)
        answered = {g: v for g, v in groups.items() if v.sum() > 0}
        for g in shown:                                     # each shown group clean and not small
            assert _clean(groups[g]) and groups[g].sum() >= 5
        rest = [v for g, v in answered.items() if g not in shown]
        if rest and shown:                                  # total less the shown = the rest, clean
            assert _clean(np.sum(rest, axis=0)), (groups, shown)
        if all(_clean(v) and v.sum() >= 5 for v in answered.values()):
            assert shown == list(answered)


def _answers(counts: dict[str, list[int]]) -> pd.DataFrame:
    """Long answers of one arvio_4 item: counts per role over codes 4, 3, 2, 1 and 9 (can't say)."""
    rows, n = [], 0
    for role, per_code in counts.items():
        for code, k in zip((4, 3, 2, 1, 9), per_code):
            for _ in range(k):
                rows.append({"respondent_id": f"r{n}", "region": "Lappi", "phase": "final", "role": role,
                             "instrument": "arvio_4", "item": "suunnittelu", "code": float(code),
                             "missing_code": code == 9})
                n += 1
    frame = pd.DataFrame(rows)
    frame["role"] = pd.Categorical(frame["role"], ["client", "professional", "manager", "organisation"])
    return frame


def test_a_bar_by_role_is_not_drawn_when_the_total_less_it_gives_a_small_count():
    """The new user's case: clients 17/16/14/5 + 5 can't say, professionals 7/5/3/1 + 2. The
    professionals' bar (a 1) was left out and the clients' drawn; total - clients = 7, 5, 3, 1, 2."""
    data = _answers({"client": [17, 16, 14, 5, 5], "professional": [7, 5, 3, 1, 2]})
    ax = likert_bars(data, "arvio_4", by="role", suppression=Suppression(5))
    assert not ax.patches or all(p.get_width() == 0 for p in ax.patches)
    assert "asiakkaat" not in alt_text(ax).lower()
    # a third group makes what the left-out groups leave clean: professionals + managers = 12/10/3+5/1+4/2+3
    data = _answers({"client": [17, 16, 14, 5, 5], "professional": [7, 5, 3, 1, 2], "manager": [5, 5, 5, 4, 3]})
    ax = likert_bars(data, "arvio_4", by="role", suppression=Suppression(5))
    alt = alt_text(ax).lower()
    assert "asiakkaat" in alt and "ammattilaiset" not in alt and "johto" not in alt
    left = pd.crosstab(data["code"], data["role"].astype(str))[["professional", "manager"]].sum(axis=1)
    assert _clean(left.tolist()), left


def _cant_say_range(known_n: dict, respondents: dict, n_total: int, cant_say_total: int, group: str) -> tuple:
    """A reader's smallest and largest "En osaa sanoa" count of ``group`` (scipy's milp): each
    role answered at most its respondents (valid + "En osaa sanoa"), the roles' n and "En osaa
    sanoa" add up to the item's totals, and the groups in ``known_n`` have that n."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    roles = list(respondents)
    m = len(roles)                      # variables: "En osaa sanoa" of each role, then its n
    rows, lo, hi = [], [], []
    for i, g in enumerate(roles):
        row = np.zeros(2 * m)
        row[i] = row[m + i] = 1
        rows.append(row), lo.append(0), hi.append(respondents[g])
        if g in known_n:
            row = np.zeros(2 * m)
            row[m + i] = 1
            rows.append(row), lo.append(known_n[g]), hi.append(known_n[g])
    for first, total in ((0, cant_say_total), (m, n_total)):
        row = np.zeros(2 * m)
        row[first:first + m] = 1
        rows.append(row), lo.append(total), hi.append(total)
    cons = LinearConstraint(np.array(rows), lo, hi)
    out = []
    for sense in (1, -1):
        c = np.zeros(2 * m)
        c[roles.index(group)] = sense
        res = milp(c, constraints=cons, integrality=np.ones(2 * m), bounds=Bounds(0, np.inf))
        assert res.status == 0, res.message
        out.append(round(sense * res.fun))
    return tuple(out)


def test_comparison_tables_print_no_group_n_that_pins_a_small_cant_say_count():
    """Every example region: from the groups' n in a comparison of clients and professionals, the
    respondents of each role (design table) and the item's totals (taken as known; counted here
    with pandas), a reader's range of a printed group's "En osaa sanoa" count (integer
    programming, scipy) is never within 1..4: it can be 0, or 5 and more. Before, Etelä-
    Pohjanmaa's clients gave exactly 1."""
    from pathlib import Path
    from osallisuus import disclosure
    from osallisuus.report import RegionReport
    from osallisuus.report.model import Table
    data = Path(__file__).resolve().parents[1] / "data" / "example"
    checked = 0
    for region in ("Etelä-Pohjanmaa", "Keski-Suomi", "Lappi"):
        disclosure._DONE.clear()
        report = RegionReport(region, data)
        ctx = report.context
        answers = ctx.data
        item_of = {it.text["fi"]: it.id for i in answers["instrument"].astype(str).unique()
                   for it in ctx.instrument(i).items}
        for section in report.sections():
            if section.key != "roles":
                continue
            for block in section.blocks:
                if not isinstance(block, Table):
                    continue
                phase = next(p for p in ("baseline", "interim", "final") if ctx.phase_label(p).lower() in block.caption)
                in_phase = answers[answers["phase"] == phase]
                respondents = {str(r): int(n) for r, n in
                               in_phase.groupby("role", observed=True)["respondent_id"].nunique().items()}
                for row in block.rows:
                    if row[0] not in item_of:       # the instrument's score row: scored respondents
                        continue
                    of_item = in_phase[(in_phase["item"].astype(str) == item_of[row[0]]) & in_phase["code"].notna()]
                    cant_say = of_item["missing_code"].astype(bool)
                    known = {g: int(n) for g, n in zip(("client", "professional"), row[1].split(" / ")) if n.isdigit()}
                    for g in known:
                        least, most = _cant_say_range(known, respondents, int((~cant_say).sum()), int(cant_say.sum()), g)
                        assert not (1 <= least and most <= 4), (region, row, g, least, most)
                        checked += 1
    assert checked > 10


def test_a_one_item_instruments_score_row_hides_what_its_item_row_hides():
    """The school grade is one item, so its comparison's score row is the item row: Keski-Suomi's
    item row hid the clients' n and mean while the score row printed 25 and 8,9 (a review)."""
    from pathlib import Path
    from osallisuus.report import RegionReport
    from osallisuus.report.model import Table
    data = Path(__file__).resolve().parents[1] / "data" / "example"
    checked = 0
    for region in ("Keski-Suomi", "Lappi", "Etelä-Karjala"):
        for block in RegionReport(region, data).section("roles").blocks:
            if isinstance(block, Table) and block.caption.startswith("Kouluarvosana"):
                item, score = block.rows
                assert item[1:3] == score[1:3], (region, item, score)
                checked += 1
    assert checked == 3

"""The interactive API: canonical long form accepted everywhere, item texts as well as ids,
the verbs the notebooks use, and the docstring examples of the new modules as doctests."""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import openpyxl
import numpy as np
import pandas as pd
import pytest

import osallisuus
from osallisuus.errors import InputFileError, OsallisuusError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
FINAL = EXAMPLE / "loppuarviointi.csv"


@pytest.fixture(scope="module")
def canonical() -> pd.DataFrame:
    """The final-phase CSV exactly as pandas reads it: the documented canonical long form."""
    return pd.read_csv(FINAL, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("module", ["interactive", "freetext", "methods", "sidebyside", "project", "instruments",
                                    "report.participants", "reading", "validation"])
def test_docstring_examples(module):
    mod = importlib.import_module(f"osallisuus.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0 or module == "sidebyside"


def test_likert_table_on_canonical_frame_matches_pandas(canonical):
    # the example: this raised KeyError: 'code' before
    table = osallisuus.likert_table(canonical, "osallisuusindikaattori", suppression=5)
    rows = canonical[(canonical["instrument"] == "osallisuusindikaattori") & (canonical["item"] == "esis03")]
    codes = pd.to_numeric(rows["value"])
    assert table.loc["esis03", "n"] == len(codes)
    assert table.loc["esis03", "mean"] == pytest.approx(codes.mean(), abs=0.05)   # published to one decimal
    assert f"{table.loc['esis03', 'mean']:.1f}" == f"{table.loc['esis03', 'mean']}"
    assert table.loc["esis03", "Täysin samaa mieltä"] == (codes == 5).sum()
    validated = osallisuus.validate(FINAL).data
    pd.testing.assert_frame_equal(table, osallisuus.likert_table(validated, "osallisuusindikaattori", suppression=5))


def test_item_texts_and_instrument_names(canonical):
    inst = osallisuus.load_instrument("osallisuusindikaattori")
    text = inst.item_text("esis03", "fi")
    assert osallisuus.item_id("osallisuusindikaattori", text.upper()) == "esis03"
    by_text = osallisuus.likert_table(canonical, inst.name["fi"], items=[text], suppression=5)
    assert list(by_text.index) == ["esis03", "__total__"]
    answers = canonical[canonical["instrument"] == "osallisuusindikaattori"].copy()
    answers["item"] = answers["item"].map(lambda i: inst.item_text(i, "fi"))          # as a survey tool names them
    assert osallisuus.prepare(answers)["item"].astype(str).str.startswith("esis").all()
    with pytest.raises(OsallisuusError, match="no item"):
        osallisuus.item_id("osallisuusindikaattori", "ei tällaista kysymystä")


def test_clear_errors_for_other_frames(canonical):
    with pytest.raises(InputFileError, match="canonical long form.*osallisuus.validate"):
        osallisuus.score(canonical.drop(columns=["instrument"]), "osallisuusindikaattori")
    bad = canonical.head(3).copy()
    bad.loc[bad.index[1], "phase"] = "syksy"
    with pytest.raises(InputFileError, match=r"row 3, column phase"):          # header is row 1
        osallisuus.prepare(bad)


def test_score_on_canonical_frame_matches_pandas(canonical):
    scores = osallisuus.score(canonical, "osallisuusindikaattori").reset_index()
    rows = canonical[canonical["instrument"] == "osallisuusindikaattori"]
    per = rows.assign(code=pd.to_numeric(rows["value"])).groupby("respondent_id")["code"].agg(["mean", "count"])
    per = per[per["count"] >= 8]
    expected = ((per["mean"] - 1) / 4 * 100).sort_index()
    got = scores.set_index("respondent_id")["score_0_100"].dropna()
    got.index = got.index.astype(str)          # ids are categorical in validated data
    pd.testing.assert_series_equal(got.sort_index(), expected, check_names=False, check_index_type=False)


def test_filter_and_crosstab_match_pandas(canonical):
    chosen = osallisuus.filter_answers(canonical, "osallisuusindikaattori", region="Lappi", role="client")
    raw = canonical[(canonical["instrument"] == "osallisuusindikaattori") & (canonical["region"] == "Lappi")
                    & (canonical["role"] == "client")]
    assert len(chosen) == len(raw)
    table = osallisuus.crosstab(canonical, "osallisuusindikaattori", "esis01", by="role", suppression=5)
    rows = canonical[(canonical["instrument"] == "osallisuusindikaattori") & (canonical["item"] == "esis01")]
    expected = pd.crosstab(pd.to_numeric(rows["value"]), rows["role"])
    left, shown = np.zeros(5, dtype=int), 0
    for role in expected.columns:
        want = [int(expected[role].get(c, 0)) for c in (5, 4, 3, 2, 1)]
        got = table[role].tolist()[:5]
        # a group is shown whole, as pandas counts it, and then has no count 1..4; or it is empty
        if all(g is pd.NA for g in got):
            left += want
        else:
            assert got == want and not any(0 < w < 5 for w in want), (role, want, got)
            shown += 1
    # what the empty groups leave of the total (shown beside it in a notebook) has no count 1..4 either
    assert not shown or not any(0 < v < 5 for v in left), left
    assert table.attrs["hidden"] == sum(v is pd.NA for role in expected.columns for v in table[role])


def test_crosstab_and_respondents_suppress_small_groups(canonical):
    few = canonical[canonical["role"] != "manager"]
    few = pd.concat([few, canonical[canonical["respondent_id"].isin(
        canonical.loc[canonical["role"] == "manager", "respondent_id"].unique()[:3])]])
    table = osallisuus.crosstab(few, "osallisuusindikaattori", "esis01", by="role", suppression=5)
    assert table.attrs["suppressed"] == ["manager"] and table["manager"].isna().all()
    shown = osallisuus.respondents(few, by=["role"], suppression=5).set_index("role")["respondents"]
    assert shown["manager"] == "<5"


def test_show_table_reads_a_result_as_a_report_prints_it():
    """A notebook showed phase_summary as pandas prints it (71.099737, 'baseline', 'client',
    flag columns). Read for a report: names, half-up rounding (2.25 -> 2,3 where Python's
    round gives 2.2), a small group's figures as '<5', a pinned mean as '..', flags as notes."""
    from bs4 import BeautifulSoup
    summary = pd.DataFrame({"phase": ["baseline", "final", "final"], "role": ["client", "client", "manager"],
                            "n": [3, 14, 8], "mean": [np.nan, np.nan, 2.25], "sd": [np.nan, np.nan, 0.5],
                            "ci_low": [np.nan, np.nan, 1.8320], "ci_high": [np.nan, np.nan, 2.6680],
                            "suppressed": [True, True, False], "caution": [False, False, True],
                            "clipped": [False, False, False], "pinned": [False, True, False]})
    assert round(2.25, 1) == 2.2                                   # what float formatting would print
    html = osallisuus.show_table(summary, lang="fi", suppression=5).data
    soup = BeautifulSoup(html, "html.parser")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in soup.find("tbody").find_all("tr")]
    assert [th.get_text() for th in soup.find_all("th")] == ["Vaihe", "Rooli", "n", "Keskiarvo", "Keskihajonta",
                                                             "95 %:n luottamusväli"]
    assert rows == [["Alkuarviointi", "Asiakkaat", "<5", "<5", "<5", "–"],
                    ["Loppuarviointi", "Asiakkaat", "14", "..", "..", "–"],
                    ["Loppuarviointi", "Johto", "8*", "2,3", "0,5", "1,8–2,7"]]
    notes = [p.get_text() for p in soup.find_all("p")]
    assert any("Alle 10 vastaajaa" in n for n in notes) and any(n.startswith("Tietosuojan vuoksi") for n in notes)
    assert any(n.startswith("..") and "keskiarvoa ei näytetä" in n for n in notes)
    assert "3" not in [c for r in rows for c in r]                 # the small group's n is nowhere


def test_to_excel_neutralises_formulas(tmp_path):
    table = pd.DataFrame({"vastaus": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "hyvä"], "n": [1, 2, 3, 4, 5]})
    path = osallisuus.to_excel(table, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [sheet.cell(row=r, column=2).value for r in range(2, 7)]
    assert cells == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "hyvä"]
    assert [sheet.cell(row=r, column=3).value for r in range(2, 7)] == [1, 2, 3, 4, 5]
    assert all(sheet.cell(row=r, column=2).data_type == "s" for r in range(2, 7))
    with pytest.raises(OsallisuusError, match=".xlsx"):
        osallisuus.to_excel(table, tmp_path / "t.csv")


def test_linkage_counts_match_pandas():
    data = osallisuus.validate(EXAMPLE).data
    shown = osallisuus.linkage(data, suppression=5).set_index("phases")["respondents"]
    final = set(pd.read_csv(FINAL, dtype=str)["respondent_id"])
    interim = set(pd.read_csv(EXAMPLE / "valiarviointi_soc_g10.csv", dtype=str)["respondent_id"])
    base = set(pd.read_csv(EXAMPLE / "webropol_alkuarviointi.csv", sep=";", encoding="utf-8-sig",
                           dtype=str)["Osallistujatunnus"])
    assert shown["baseline + interim + final"] == str(len(base & interim & final))
    assert shown["final"] == str(len(final - base - interim))


def test_free_text_redacted_and_themes():
    data = osallisuus.validate(EXAMPLE).data
    texts = osallisuus.free_texts(data, "kehittajaryhma_palaute", "kommentit")
    raw = pd.read_csv(EXAMPLE / "webropol_alkuarviointi.csv", sep=";", encoding="utf-8-sig", dtype=str)["Vapaa sana"]
    raw = raw.dropna()
    assert len(texts) == int((raw.str.strip() != "").sum())
    assert "respondent_id" not in texts.columns
    phones = raw[raw.str.contains(r"\d{3} ?\d{4}", regex=True)]
    assert len(phones) and not texts["text"].str.contains(r"\d{3} ?\d{4}", regex=True).any()
    book = {"themes": {"a": {"label": {"fi": "A"}, "stems": ["kuul"]}, "b": {"label": {"fi": "B"}, "stems": ["zzz"]}}}
    coded = osallisuus.code_themes(texts, book)
    counts = osallisuus.theme_counts(coded, book, suppression=5).set_index("theme")["answers"]
    expected = int(texts["text"].str.lower().str.contains(r"\bkuul", regex=True).sum())
    assert counts["A"] == str(expected) and counts["B"] == "0"
    quotes = osallisuus.theme_quotes(coded, book, per_theme=2, suppression=5)
    assert set(quotes["theme"]) == {"A"} and len(quotes) == 2


def test_theme_counts_by_group_cannot_be_worked_out_from_the_themes_total():
    """A review found 'Ilmapiiri' 25 in all and 12 / 0 / <5 / 10 by role: the '<5' was 3. Every
    table of counts the shown cells and the public total allow is enumerated here by brute force:
    the '<5' must still take each value 1..4."""
    import itertools
    book = {"themes": {"ilmapiiri": {"stems": ["ilmapiir"]}, "muu": {"stems": ["muu"]}}}
    groups = {"client": (12, 8), "manager": (0, 7), "organisation": (3, 6), "professional": (10, 9)}
    rows = [{"text": t, "role": role, "ilmapiiri": t == "ilmapiiri", "muu": t == "muu"}
            for role, counts in groups.items() for t, n in zip(("ilmapiiri", "muu"), counts) for _ in range(n)]
    coded = pd.DataFrame(rows)
    total = osallisuus.theme_counts(coded, book, suppression=5).set_index("theme")["answers"]
    by = osallisuus.theme_counts(coded, book, by="role", suppression=5).set_index("theme")
    assert total["ilmapiiri"] == "25" and by.loc["ilmapiiri", "organisation"] == "<5"
    row = by.loc["ilmapiiri"]
    assert (row == "..").any()                                        # something more is hidden
    unknown = [g for g in row.index if row[g] in ("<5", "..")]
    known = sum(int(row[g]) for g in row.index if g not in unknown)
    possible = set()
    for values in itertools.product(range(26), repeat=len(unknown)):
        cells = dict(zip(unknown, values))
        if known + sum(values) == 25 and all(1 <= cells[g] <= 4 for g in unknown if row[g] == "<5"):
            possible.add(cells["organisation"])
    assert possible == {1, 2, 3, 4}
    assert (by.loc["muu"] != "..").all()                              # nothing to protect there


def test_bib_and_methods_paragraph(tmp_path):
    plan = osallisuus.evaluation_plan(str(EXAMPLE))
    path = osallisuus.write_bib(plan, tmp_path / "lahteet.bib")
    text = path.read_text(encoding="utf-8")
    ids = {i for p in plan.phases.values() for i in p.instruments}
    keys = {str(r["key"]) for i in ids for r in osallisuus.find_instrument(i).extra.get("references") or []}
    assert keys and all(f"{{{k}," in text for k in keys) and text.count("\n@") == len(keys) - 1
    assert text.count("{") == text.count("}")
    paragraph = osallisuus.methods_paragraph(plan, threshold=5)
    assert "(Leemann ym., 2022)" in paragraph.replace("Terveyden ja hyvinvoinnin laitos, s.a.-b; ", "")
    assert "Cronbachin alfa" in paragraph
    section = osallisuus.questionnaire_section(plan)
    assert section.blocks[0].text == "Liite. Kyselylomake"


def test_region_outcomes_never_show_a_small_region(canonical):
    from osallisuus.plan import EvaluationPlan, Outcome
    plan = EvaluationPlan({}, {}, (Outcome("osallisuusindikaattori", "final"),))
    rows = canonical[canonical["instrument"] == "osallisuusindikaattori"]
    lappi = rows[rows["region"] == "Lappi"]
    few = lappi[lappi["respondent_id"].isin(lappi["respondent_id"].unique()[:4])]
    frame = pd.concat([rows[rows["region"] == "Keski-Suomi"], few])
    table = osallisuus.region_outcomes(frame, plan, suppression=5)
    shown = table.dropna(subset=["mean"])
    assert list(shown["region"]) == ["Keski-Suomi"]
    assert table.loc[table["region"] == "Lappi", ["n", "mean", "ci_low", "ci_high"]].isna().all().all()
    ax = osallisuus.plot_region_outcomes(table)
    assert "Lappi" not in [t.get_text() for t in ax.get_yticklabels()]


def _solutions(shown, hidden_kind, n, mean, values):
    """Every whole-number completion of a row (hand enumeration, not the package's solver):
    '<5' cells 1..4, '..' cells 5 or more, summing to n, with the mean rounded half up to the
    shown one decimal (sum(v * x) / n within [mean - 0,05, mean + 0,05))."""
    import itertools
    from decimal import ROUND_HALF_UP, Decimal
    free = [j for j, k in enumerate(hidden_kind) if k]
    rest = n - sum(x for x in shown if x is not None)
    ranges = [range(1, 5) if hidden_kind[j] == "primary" else range(5, rest + 1) for j in free]
    for combo in itertools.product(*ranges[:-1]):
        last = rest - sum(combo)
        if last not in ranges[-1]:
            continue
        cells = list(shown)
        for j, x in zip(free, (*combo, last)):
            cells[j] = x
        m = Decimal(sum(v * x for v, x in zip(values, cells))) / Decimal(n)
        if m.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) == Decimal(str(mean)):
            yield cells


def test_likert_table_as_returned_gives_no_hidden_count_back():
    """The table itself (as a notebook shows it or to_excel saves it) carries the mean to one
    decimal only: with full precision the mean and n would solve two hidden cells exactly."""
    from osallisuus.instruments import load_instrument
    data = osallisuus.load_data(EXAMPLE).data
    inst = load_instrument("osallisuusindikaattori")
    table = osallisuus.likert_table(osallisuus.filter_answers(data, inst.id, phase="final"), inst.id, suppression=5)
    labels, marks = table.attrs["labels"], table.attrs["marks"]
    code_of = {p.label["fi"]: p.code for p in inst.scale.points}        # the column's answer value
    values = [code_of[c] for c in labels if c in code_of]
    checked = 0
    for idx, row in table.drop(index="__total__").iterrows():
        assert pd.isna(row["mean"]) or round(row["mean"], 1) == row["mean"]
        kinds = [marks.at[idx, c] for c in labels[:len(values)]]
        if "primary" not in kinds or pd.isna(row["mean"]):
            continue
        shown = [None if k else int(row[c]) for k, c in zip(kinds, labels)]
        found = list(_solutions(shown, kinds, int(row["n"]), row["mean"], values))
        for j, k in enumerate(kinds):
            if k == "primary":
                assert len({cells[j] for cells in found}) > 1, (idx, j, found)
                checked += 1
    assert checked


def test_a_notebooks_answer_table_gives_no_count_with_its_respondents(example_dir):
    """Notebook 02 shows the respondents of the selection (osallisuus.respondents) right above its
    answer table: with an item's n they bounded its "En osaa sanoa" as in the reports. The
    table's check now takes those respondents as known. Read as a reader would (scipy's milp
    on the printed table and the printed respondents, tests/test_tables.py): every '<5' stays
    as wide as its marks allow."""
    import osallisuus
    from osallisuus.tables import likert_display
    from tests.test_tables import _reader_ranges
    data = osallisuus.validate(example_dir).data
    checked = 0
    for region in ("Lappi", "Etelä-Karjala"):
        selected = osallisuus.filter_answers(data, "arvio_4", region=region, phase="final")
        shown = osallisuus.respondents(selected, by=["role"], suppression=5)["respondents"]
        total = sum(int(v) for v in shown if v != "<5")
        table = osallisuus.likert_table(selected, "arvio_4", suppression=5)
        columns, rows, _, _ = likert_display(table, "fi", osallisuus.Suppression.from_settings(threshold=5))
        eos, n_at = columns.index("En osaa sanoa") + 1, columns.index("n") + 1
        cells = [r[1:eos + 1] for r in rows]
        values = list(range(eos - 1, 0, -1))
        ranges = _reader_ranges(cells, [r[n_at] for r in rows], [r[n_at + 1] for r in rows], values, total,
                                len(rows) - 1)
        for (i, j), got in ranges.items():
            k = sum(r[j] == "<5" for r in cells[:-1])
            wanted = (1, 4) if cells[-1][j] != "<5" else (k, 4) if i == len(rows) - 1 else (1, 4 - (k - 1))
            assert got == wanted, (region, rows[i][0], columns[j], got)
        checked += len(ranges)
    assert checked > 10


@pytest.mark.parametrize("given", ["Keski-Suomi", "Mellersta Finland", "keski_suomi"])
def test_explorer_starts_from_a_region_named_in_any_language(canonical, given):
    """Notebook 02 stopped with 'TraitError: Invalid selection' for a region given in Swedish or
    by its id, though its parameter promises 'name, id or abbreviation'; the dropdown now starts
    on the region and names the regions in the notebook's language."""
    box = osallisuus.explorer(canonical, region=given, phase="final", lang="sv", suppression=5)
    region = box.children[0].children[0]
    assert region.value == "Keski-Suomi"
    assert ("Mellersta Finland", "Keski-Suomi") in [tuple(o) for o in region.options]


def test_selection_vs_rest_reads_in_the_notebooks_language():
    """Notebook 02 printed compare_groups' code names (median1, share_pos1_low …); with lang the
    table reads as a report's comparison. Counts against pandas; the Holm column is multipletests'."""
    from statsmodels.stats.multitest import multipletests
    data = osallisuus.validate(FINAL).data
    final = osallisuus.filter_answers(data, phase="final")
    table = osallisuus.selection_vs_rest(final, "osallisuusindikaattori", suppression=5, lang="fi", region="Lappi")
    assert list(table.columns) == ["Kysymys", "n", "Keskiarvo", "Myönteisiä vastauksia", "Efektikoko (r)", "p",
                                   "p (Holm, mittarin kysymykset)"]
    rows = final[(final["instrument"] == "osallisuusindikaattori") & final["code"].notna() & ~final["missing_code"]]
    first = rows[rows["item"] == "esis01"]
    n1, n2 = int((first["region"] == "Lappi").sum()), int((first["region"] != "Lappi").sum())
    assert table.loc[0, "n"] == f"{n1} / {n2}"
    raw = osallisuus.selection_vs_rest(final, "osallisuusindikaattori", suppression=5, region="Lappi")
    items = raw[raw["item"] != "__score__"]
    holm = multipletests(items["p"], method="holm")[1]
    shown = table.loc[items.index, "p (Holm, mittarin kysymykset)"].str.replace(",", ".")
    for value, text in zip(holm, shown):
        assert text == (f"{value:.3f}" if value >= 0.001 else "< 0.001") or text == "1.000", (value, text)


def test_selection_vs_rest_gives_back_nothing_its_answer_table_hides():
    """A privacy review took Lappi's hidden n (items 1, 2 and 5 of the feedback form) from the
    chosen group's n that notebook 02 printed beside the answer table, and with it five '<5'
    cells exactly. The chosen group's n, mean and share now show '..' wherever its own answer
    table (as the notebook prints it) hides them."""
    data = osallisuus.validate(EXAMPLE).data
    base = osallisuus.filter_answers(data, phase="baseline")
    chosen = osallisuus.filter_answers(base, "kehittajaryhma_palaute", region="Lappi")
    marks = osallisuus.likert_table(chosen, "kehittajaryhma_palaute", suppression=5).attrs["marks"]
    table = osallisuus.selection_vs_rest(base, "kehittajaryhma_palaute", suppression=5, lang="fi", region="Lappi")
    inst = osallisuus.find_instrument("kehittajaryhma_palaute")
    checked = 0
    for item in inst.rated_items:
        row = table[table["Kysymys"] == inst.item_text(item, "fi")].iloc[0]
        n, mean, share = (row[c].split(" / ")[0] for c in ("n", "Keskiarvo", "Myönteisiä vastauksia"))
        assert (n == "..") == (marks.at[item, "n"] != ""), (item, n)
        assert (mean == "..") == (marks.at[item, "mean"] != ""), (item, mean)
        if (marks.loc[item].drop(["n", "mean"]) != "").any():
            assert share == "..", (item, share)
        checked += n == ".."
    assert checked >= 1


def test_change_shown_hides_what_would_give_a_few_linked_respondents_back():
    """Notebook 04 printed the unlinked row's n (17 / 17) beside phases of 20 answers each:
    20 - 17 = 3 linked respondents, whose own row the threshold hides. A report hides that row's
    n and means ('..'); the notebook now does too, and reads as a report does with lang."""
    rows = []
    for phase, ids in (("baseline", [f"a{i}" for i in range(20)]),
                       ("final", [f"a{i}" for i in range(3)] + [f"b{i}" for i in range(17)])):
        rows += [{"respondent_id": r, "region": "Lappi", "phase": phase, "role": "client", "instrument": "arvio_4",
                  "item": "suunnittelu", "value": str(1 + (k + (phase == "final")) % 4)} for k, r in enumerate(ids)]
    frame = pd.DataFrame(rows)
    table = osallisuus.change_shown(frame, "arvio_4", "baseline", "final", suppression=5)
    item = table[table["item"] == "suunnittelu"].set_index("design")
    assert bool(item.loc["paired", "suppressed"]) and pd.isna(item.loc["paired", "n"])
    assert pd.isna(item.loc["independent", "n_from"]) and pd.isna(item.loc["independent", "n_to"])
    assert pd.isna(item.loc["independent", "mean_from"]) and pd.isna(item.loc["independent", "mean_to"])
    readable = osallisuus.change_shown(frame, "arvio_4", "baseline", "final", suppression=5, lang="fi")
    row = readable[(readable["Kysymys"] == "Suunnittelu") & (readable["Vastaajat"] == "eri vastaajat")].iloc[0]
    assert (row["n"], row["Alussa"], row["Lopussa"]) == ("..", "..", ".."), row.tolist()
    # with more linked respondents nothing is hidden: n is the unlinked answers of each phase
    wide = osallisuus.change_shown(frame.assign(respondent_id=[r if r[0] == "a" else f"a{int(r[1:]) + 3}"
                                                               for r in frame["respondent_id"]]),
                                   "arvio_4", "baseline", "final", suppression=5, lang="en")
    assert "20" in wide.loc[wide["Respondents"] == "same respondents", "n"].tolist()


def _two_phase_project(tmp_path, people: dict[str, tuple[int, int]], cant_say=()):
    """A project of its own: a 4-statement instrument on arvio_4 shown as an answer table; per
    region (linked, unlinked per phase) clients answering baseline and final; ``cant_say`` holds
    (region, phase, person, item) answered 'En osaa sanoa' (9)."""
    import yaml
    text = lambda s: {"fi": s, "sv": s, "en": s}  # noqa: E731
    doc = {"id": "testi", "version": "1", "name": text("Testi"), "source": "x", "wording": "provisional",
           "scale": "arvio_4", "answer": "rating", "items": [{"id": f"v{j}", "text": text(f"Väite {j}")} for j in (1, 2)],
           "report": {"show": ["likert_table"]}}
    (tmp_path / "mittarit").mkdir(parents=True)
    (tmp_path / "mittarit" / "testi.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    (tmp_path / "osallisuus.yaml").write_text("paths: {data: data, instruments: [mittarit]}\n", encoding="utf-8")
    rows = []
    for region, (linked, unlinked) in people.items():
        for phase in ("baseline", "final"):
            ids = [f"{region}-L{i}" for i in range(linked)] + [f"{region}-{phase}-U{i}" for i in range(unlinked)]
            for k, rid in enumerate(ids):
                for j in (1, 2):
                    value = 9 if (region, phase, k, j) in cant_say else 1 + (k * j + (phase == "final")) % 4
                    rows.append({"respondent_id": rid, "region": region, "phase": phase, "role": "client",
                                 "instrument": "testi", "item": f"v{j}", "value": value})
    (tmp_path / "data").mkdir()
    pd.DataFrame(rows).to_csv(tmp_path / "data" / "v.csv", index=False)
    return tmp_path


def test_notebook_change_table_shows_what_the_report_shows_and_no_more(tmp_path):
    """A privacy review: notebook 04 printed the n and means a report's change table hides ('..'),
    because the answer table hides that item's n (an 'En osaa sanoa' of 1 beside the respondents);
    and its all-regions table less the other region's report gave a region's 3 linked respondents.
    For one region the notebook's table reads as the report's, cell for cell; pooled, a figure any
    region's report hides is hidden."""
    from osallisuus.report import RegionReport
    from osallisuus.report.model import Table
    from osallisuus.settings import load_settings
    root = _two_phase_project(tmp_path / "one", {"Lappi": (13, 14)}, cant_say={("Lappi", "baseline", 0, 1)})
    settings = load_settings(root / "osallisuus.yaml")
    report = RegionReport("Lappi", root / "data", settings=settings)
    change = next(b for b in report.section("change").blocks if isinstance(b, Table))
    data = osallisuus.reportable(osallisuus.load_data(str(root / "data"), str(root / "osallisuus.yaml")).data, 5)
    inst = osallisuus.load_instrument("testi", settings)
    notebook = osallisuus.change_shown(data, inst, "baseline", "final", suppression=5, lang="fi", combined=True)
    assert any(".." in c for r in change.rows for c in r[3:6]), change.rows      # the report hides some
    assert [r[:6] for r in change.rows] == notebook.iloc[:, :6].values.tolist()
    coded = osallisuus.change_shown(data, inst, "baseline", "final", suppression=5, combined=True)
    for i, r in enumerate(change.rows):              # without lang the same figures are empty
        if r[3].startswith(".."):
            assert pd.isna(coded.iloc[i]["n_from"]), coded.iloc[i]
        if r[4] == "..":
            assert pd.isna(coded.iloc[i]["mean_from"]), coded.iloc[i]
    pooled_root = _two_phase_project(tmp_path / "two", {"Lappi": (3, 19), "Kanta-Häme": (10, 12)})
    pooled_data = osallisuus.reportable(osallisuus.load_data(str(pooled_root / "data"),
                                                             str(pooled_root / "osallisuus.yaml")).data, 5)
    inst2 = osallisuus.load_instrument("testi", load_settings(pooled_root / "osallisuus.yaml"))
    pooled = osallisuus.change_shown(pooled_data, inst2, "baseline", "final", suppression=5, items=False)
    paired = pooled[pooled["design"] == "paired"].iloc[0]
    assert pd.isna(paired["n"]), pooled          # 13 pooled less Kanta-Häme's 10 would be Lappi's 3
    by_region = osallisuus.change_shown(pooled_data, inst2, "baseline", "final", suppression=5, items=False,
                                        by="region")
    assert int(by_region[(by_region["region"] == "Kanta-Häme") & (by_region["design"] == "paired")]["n"].iloc[0]) == 10


def test_the_packages_codebook_finds_themes_in_swedish_and_english_answers():
    """A Swedish review: every Swedish answer coded to no theme with the package's codebook, which
    had Finnish stems only, and nothing said so. By hand: each answer below belongs to the themes
    listed, in its own language."""
    book = osallisuus.load_codebook()
    texts = pd.DataFrame({"text": ["Jag blev hörd och min åsikt räknades.", "Stämningen var trygg och välkomnande.",
                                   "Vi fick veta vilka beslut förslagen ledde till.", "I was heard and could voice my opinion.",
                                   "We discussed together in a small group.", "Thank you, this was important to me.",
                                   "Sain sanoa asiani ja tulin kuulluksi."]})
    coded = osallisuus.code_themes(texts, book)
    keys = list(book["themes"])
    themes = [{k for k in keys if coded.loc[i, k]} for i in coded.index]
    assert themes == [{"kuulluksi_tuleminen"}, {"ilmapiiri"}, {"vaikuttaminen"}, {"kuulluksi_tuleminen"},
                      {"yhdessa_tekeminen"}, {"merkityksellisyys"}, {"kuulluksi_tuleminen"}], themes


def test_a_phase_or_region_without_answers_is_named_not_an_empty_table(canonical):
    """A student's notebooks printed empty change tables for ``from_phase = "interim"`` (their
    data had none) and a figure without its highlight for a region not in the data, without a
    word. Now each names the value and the ones with answers (pandas: the phases the instrument
    was answered in), in the notebook's language."""
    phases = set(canonical.loc[canonical["instrument"] == "osallisuusindikaattori", "phase"])
    assert "interim" not in phases
    with pytest.raises(OsallisuusError, match=r"'interim'.*answers exist for: final$"):
        osallisuus.change_shown(canonical, "osallisuusindikaattori", "interim", "final", suppression=5, lang="en")
    with pytest.raises(OsallisuusError, match=r"aineistossa ei ole vastauksia, joissa phase on 'interim'"):
        osallisuus.change_shown(canonical, "osallisuusindikaattori", "interim", "final", suppression=5)
    plan = osallisuus.evaluation_plan(str(EXAMPLE))
    outcomes = osallisuus.region_outcomes(canonical, plan, suppression=5)
    with pytest.raises(OsallisuusError, match=r"highlight 'Kainuu'.*Lappi"):
        osallisuus.plot_region_outcomes(outcomes, lang="en", highlight="Kainuu")

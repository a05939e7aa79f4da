"""`osallisuus mapping` on exports in six tools' formats, then `validate`: the counts per item
and answer equal those of the generated answers (tests/tool_exports.py), and the mapping
features the drafts rely on (numbering, values, dates, carried role, file-scoped ids)."""
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from osallisuus.errors import MappingError
from osallisuus.mapping import load_mapping
from osallisuus.validation import validate
from tests import tool_exports as tx

RESP = tx.answers()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "osallisuus", *args], capture_output=True, text=True)


def _counts(report):
    d = report.data[report.data["item"].astype(str) != "kommentit"]
    return {(i, c): n for (i, c), n in d.groupby(["item", "code"], observed=True).size().items()}


@pytest.mark.parametrize("tool", list(tx.WRITERS))
def test_export_through_mapping_and_validate(tmp_path, tool):
    name, write = tx.WRITERS[tool]
    export = tmp_path / name
    write(export, RESP)
    out = tmp_path / "draft.mapping.yaml"
    sets = ["--set", "region=Lappi"] + ([] if tool == "redcap" else ["--set", "phase=baseline"])
    res = _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, *sets, "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert f"tool: {tool}" in out.read_text(encoding="utf-8")
    res = _cli("validate", str(export), "--mapping", str(out), "--lang", "en")
    assert res.returncode == 0, res.stdout + res.stderr          # works as written
    report = validate(export, mapping=out)
    expected = tx.expected_counts(RESP, phases=2 if tool == "redcap" else 1)
    assert _counts(report) == dict(expected)
    assert report.n_input == report.n_accepted == sum(expected.values()) + (
        sum(1 for r in RESP if r.comment) if tool == "webropol" else 0)


def test_webropol_numbers_read_the_right_way_round(tmp_path):
    export = tmp_path / "webropol.csv"
    tx.webropol(export, RESP)
    out = tmp_path / "m.yaml"
    assert _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "region=Lappi",
                "--set", "phase=baseline", "--out", str(out)).returncode == 0
    report = validate(export, mapping=out)
    d = report.data[~report.data["missing_code"] & report.data["code"].notna()]
    # hand: option k (1 = top) stands for CODES[k - 1]; 1 = Erittäin hyvin = 5
    hand = [tx.CODES[o] for r in RESP for o in r.options if o is not None and tx.CODES[o] != 9]
    assert d["code"].mean() == pytest.approx(sum(hand) / len(hand))
    first = report.data[(report.data["source_row"] == 2) & (report.data["item"] == "kuulluksi")]["code"].iloc[0]
    assert first == tx.CODES[RESP[0].options[0]]


def test_redcap_role_carried_to_follow_up_and_events_to_phases(tmp_path):
    export = tmp_path / "redcap.csv"
    tx.redcap(export, RESP)
    out = tmp_path / "m.yaml"
    _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "region=Lappi", "--out", str(out))
    d = validate(export, mapping=out).data
    final = d[d["phase"] == "final"].drop_duplicates("respondent_id")
    want = {f"{export.stem}/{r.number}": tx.ROLES[r.role][0] for r in RESP}
    assert {k: str(v) for k, v in zip(final["respondent_id"], final["role"])} == want


def test_two_files_numbering_respondents_alike_do_not_collide(tmp_path):
    a, b = tmp_path / "ryhma_a.csv", tmp_path / "ryhma_b.csv"
    tx.limesurvey(a, RESP)
    tx.limesurvey(b, RESP[:10])
    out = tmp_path / "m.yaml"
    _cli("mapping", str(a), "--instrument", tx.INSTRUMENT, "--set", "region=Lappi", "--set", "phase=baseline",
         "--out", str(out))
    report = validate([a, b], mapping=out)
    assert report.n_quarantined == 0 and report.n_accepted == report.n_input
    shared = yaml.safe_load(out.read_text(encoding="utf-8")) | {"shared_ids": True}
    report = validate([a, b], mapping=shared, lang="en")
    assert report.n_quarantined == sum(1 for r in RESP[:10] for o in r.options if o is not None)
    assert str(a) in report.quarantine["reason"].iloc[0]          # the message names the other file


def test_new_instrument_drafted_from_question_texts(tmp_path):
    export = tmp_path / "forms.xlsx"
    tx.msforms(export, RESP)
    out = tmp_path / "m.yaml"
    res = _cli("mapping", str(export), "--new-instrument", "oma_palaute", "--scale", "palaute5",
               "--set", "region=Lappi", "--set", "phase=baseline", "--out", str(out))
    assert res.returncode == 0, res.stderr
    inst = yaml.safe_load((tmp_path / "oma_palaute.yaml").read_text(encoding="utf-8"))
    assert [i["text"]["fi"] for i in inst["items"]] == [t for _, t in tx.ITEMS]
    folder = tmp_path / "mittarit"
    folder.mkdir()
    (tmp_path / "oma_palaute.yaml").rename(folder / "oma_palaute.yaml")
    cfg = tmp_path / "osallisuus.yaml"
    cfg.write_text("paths:\n  instruments: [mittarit]\n", encoding="utf-8")
    res = _cli("--config", str(cfg), "validate", str(export), "--mapping", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"{sum(tx.expected_counts(RESP).values())} + 0" in res.stdout


def test_mapping_command_has_help():
    res = _cli("mapping", "--help")
    assert res.returncode == 0 and "Usage:" in res.stdout and "--new-instrument" in res.stdout


def test_mapping_command_usage_errors_without_traceback(tmp_path):
    export = tmp_path / "google.csv"
    tx.googleforms(export, RESP)
    for args in (["mapping", str(export)], ["mapping", str(export), "--new-instrument", "x"],
                 ["mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "region"],
                 ["mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "regoin=Lappi"],
                 ["mapping", str(tmp_path / "none.csv"), "--instrument", tx.INSTRUMENT]):
        res = _cli(*args)
        assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr


# ------------------------------------------------------------ mapping features
WIDE = {"columns": {"respondent_id": "id", "role": "rooli"}, "constants": {"region": "Lappi", "phase": "final"},
        "instrument": "arvio_4", "items": [{"column": "q", "item": "suunnittelu"}]}


def _wide(tmp_path, values, extra=""):
    p = tmp_path / "w.csv"
    p.write_text("id;rooli;q;pvm\n" + "".join(f"r{i};asiakas;{v};{extra}\n" for i, v in enumerate(values)),
                 encoding="utf-8")
    return p


@pytest.mark.parametrize("numbering, expected", [
    # arvio_4 as listed: Erittäin hyvin 4, Melko hyvin 3, Melko huonosti 2, Erittäin huonosti 1, En osaa sanoa 9
    ("from_top", [4, 3, 2, 1, 9]),
    ("from_bottom", [1, 2, 3, 4, 9]),
    ("codes", [1, 2, 3, 4]),
])
def test_numbering(tmp_path, numbering, expected):
    path = _wide(tmp_path, ["1", "2", "3", "4", "5"])
    report = validate(path, mapping={**WIDE, "numbering": numbering})
    assert report.data["code"].tolist() == expected
    assert report.n_input == 5 == report.n_accepted + report.n_quarantined


def test_values_per_item_override_global(tmp_path):
    path = _wide(tmp_path, ["A", "B", "x"])
    m = {**WIDE, "values": {"A": "Erittäin hyvin", "B": "1"},
         "items": [{"column": "q", "item": "suunnittelu", "values": {"B": "2"}}]}
    report = validate(path, mapping=m, lang="en")
    assert report.data["code"].tolist() == [4, 2] and report.n_quarantined == 1
    assert "'x'" in report.messages()[0] and "row 4" in report.messages()[0]


def test_date_format_and_bad_date_flagged_only(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("id;rooli;q;pvm\nr1;asiakas;4;11/23/2026 14:05\nr2;asiakas;3;31/31/2026 14:05\n", encoding="utf-8")
    m = {**WIDE, "columns": {**WIDE["columns"], "date": "pvm"}, "date_format": "%m/%d/%Y %H:%M"}
    report = validate(p, mapping=m, lang="en")
    assert report.n_accepted == 2 and report.n_quarantined == 0
    assert report.data["date"].iloc[0] == pd.Timestamp("2026-11-23 14:05")
    assert pd.isna(report.data["date"].iloc[1]) and "31/31/2026" in report.messages()[0]


@pytest.mark.parametrize("key, fix", [("colums", "columns"), ("numbring", "numbering"), ("header_row", "header_rows"),
                                      ("shared_id", "shared_ids")])
def test_unknown_mapping_key_names_nearest(key, fix):
    with pytest.raises(MappingError, match=f"did you mean '{fix}'"):
        load_mapping({**WIDE, key: 1})


def test_unknown_item_key_and_bad_numbering():
    with pytest.raises(MappingError, match="did you mean 'column'"):
        load_mapping({**WIDE, "items": [{"column": "q", "item": "x", "colum": "y"}]})
    with pytest.raises(MappingError, match="did you mean 'from_top'"):
        load_mapping({**WIDE, "numbering": "from-top"})


def test_draft_finds_the_answer_sheet_and_reads_number_label_pairs(tmp_path):
    """A workbook whose first sheet is a cover page; answers written '1 - Erittäin hyvin' (the
    number beside each label tells the direction: options numbered from the top)."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.title = "Kansilehti"
    wb.active.append(["Kysely 2026"])
    wb.active.append(["Tulokset seuraavalla välilehdellä"])
    ws = wb.create_sheet("Vastaukset")
    ws.append(["Tunnus", "Olen"] + [t for _, t in tx.ITEMS])
    for r in RESP:
        ws.append([r.number, tx.ROLES[r.role][1]] + [None if o is None else f"{o + 1} - {tx.OPTIONS[o]}"
                                                    for o in r.options])
    export = tmp_path / "kysely.xlsx"
    wb.save(export)
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"})
    assert draft.mapping["sheet"] == "Vastaukset" and draft.mapping.get("numbering") == "from_top"
    report = validate(export, mapping=draft.mapping)
    assert report.exit_code == 0, report.messages()[:3]
    assert _counts(report) == dict(tx.expected_counts(RESP))


def test_near_label_mapped_and_named_unsure(tmp_path):
    """A misspelt option ('Erittäin hyvn') is read as the nearest label and named as unsure."""
    export = tmp_path / "lime.csv"
    tx.limesurvey(export, RESP)
    text = export.read_bytes().decode("utf-8-sig").replace('"Erittäin hyvin"', '"Erittäin hyvn"')
    export.write_bytes(text.encode("utf-8-sig"))
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"})
    assert draft.mapping["values"] == {"Erittäin hyvn": "5"}
    assert any("Erittäin hyvn" in u for u in draft.unsure)
    assert _counts(validate(export, mapping=draft.mapping)) == dict(tx.expected_counts(RESP))


def test_draft_matches_swedish_and_english_headers_and_finds_group(tmp_path):
    """Headers in Swedish and English (typed by hand from the form, reworded slightly) still match
    their items; the group and free-text columns are found by name and content."""
    heads = ["Respondent", "Jag är", "Utvecklingsgrupp", "I could say what I had to say and was heard",
             "Jag fick delta på mitt eget sätt", "How well was equality between participants realised?",
             "Hur väl förverkligades deltagarnas delaktighet i utvecklingsgruppen", "Joint decision-making",
             "Kommentarer"]
    sv = {"Erittäin hyvin": "Mycket bra", "Melko hyvin": "Ganska bra", "Ei hyvin eikä huonosti": "Varken bra eller dåligt",
          "Melko huonosti": "Ganska dåligt", "Erittäin huonosti": "Mycket dåligt", "En osaa sanoa": "Kan inte säga"}
    rows = [[f"S{r.number}", "Klient" if r.role == 0 else "Anställd", "Grupp A" if r.number % 2 else "Grupp B"]
            + [sv[tx.OPTIONS[o]] if o is not None else "" for o in r.options]
            + ["Det var bra att få vara med i gruppen" if r.comment else ""] for r in RESP]
    export = tmp_path / "svenska.csv"
    export.write_text(tx._csv([heads] + rows, ";"), encoding="utf-8")
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "final"})
    items = {e["column"]: e["item"] for e in draft.mapping["items"]}
    assert items["Joint decision-making"] == "paatoksenteko" and items["Kommentarer"] == "kommentit"
    assert len(draft.matched) == 5
    assert draft.mapping["columns"]["group"] == "Utvecklingsgrupp"
    assert draft.mapping["columns"]["role"] == "Jag är"
    report = validate(export, mapping=draft.mapping)
    assert _counts(report) == dict(tx.expected_counts(RESP))
    assert set(report.data["group"].astype(str)) == {"Grupp A", "Grupp B"}


def test_item_block_recoding_through_an_anchor(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("id;rooli;q;r\nr1;asiakas;1;6\nr2;asiakas;5;2\n", encoding="utf-8")
    m = tmp_path / "w.mapping.yaml"
    m.write_text("""
x-block: &block {instrument: palaute_lohko, numbering: from_top}
columns: {respondent_id: id, role: rooli}
constants: {region: Lappi, phase: final}
items:
  - {<<: *block, column: q, item: suunnittelu}
  - {<<: *block, column: r, item: resursointi}
""".replace("palaute_lohko", "arvio_4"), encoding="utf-8")
    report = validate(path, lang="en")
    # arvio_4 options from the top: 1 = 4 (Erittäin hyvin), 2 = 3, 5 = 9 (En osaa sanoa); 6 is no option
    assert sorted(report.data["code"].tolist()) == [3, 4, 9]
    assert report.n_quarantined == 1 and "'6'" in report.messages()[0]


def test_draft_skips_a_title_row(tmp_path):
    export = tmp_path / "otsikko.csv"
    tx.googleforms(export, RESP)
    export.write_text("Palautekysely kevät 2026\n" + export.read_text(encoding="utf-8"), encoding="utf-8")
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"})
    assert draft.mapping["skip_rows"] == 1 and draft.tool == "googleforms"
    report = validate(export, mapping=draft.mapping)
    assert _counts(report) == dict(tx.expected_counts(RESP))
    assert report.data["source_row"].min() == 3          # title row 1, header row 2


@pytest.mark.slow
@pytest.mark.parametrize("tool", list(tx.WRITERS))
def test_export_through_mapping_to_a_report(tmp_path, tool):
    """mapping -> validate -> a report: the report's answer counts per item and option equal the
    generator's, for the respondents of roles large enough to be shown (5 or more)."""
    from osallisuus.report import RegionReport
    name, write = tx.WRITERS[tool]
    export = tmp_path / name
    write(export, RESP)
    draft = tmp_path / (export.name.rsplit(".", 1)[0] + ".mapping.yaml")     # beside the export, found by name
    sets = ["--set", "region=Lappi"] + ([] if tool == "redcap" else ["--set", "phase=baseline"])
    assert _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, *sets, "--out", str(draft)).returncode == 0
    shown_roles = {role for role, n in pd.Series([r.role for r in RESP]).value_counts().items() if n >= 5}
    kept = [r for r in RESP if r.role in shown_roles]
    expected = tx.expected_counts(kept)
    table = RegionReport("Lappi", tmp_path).section("baseline").tables()[0]
    labels = {text: item for item, text in tx.ITEMS}
    rows = [row for row in table.rows if row[0] in labels]
    assert len(rows) == len(tx.ITEMS), table.rows
    for row in rows:
        want = [expected[(labels[row[0]], float(code))] for code in tx.CODES]
        for w, cell in zip(want, row[1:1 + len(tx.CODES)]):
            # shown as counted; a count 1..4 as "<5", another hidden so that it cannot be solved as ".."
            assert cell == "<5" if 0 < w < 5 else cell in (str(w), ".."), (tool, row, want)


def test_a_decimal_answer_is_never_read_as_a_number_label_pair(tmp_path):
    """'3.5' looked like option 3 labelled '5' and was drafted as code 5 without a word (a review
    found it). The draft must leave it out of values: and name it, and validate quarantines it."""
    export = tmp_path / "lime.csv"
    tx.limesurvey(export, RESP)
    text = export.read_bytes().decode("utf-8-sig")
    first = text.index('"Erittäin hyvin"')
    export.write_bytes((text[:first] + '"3.5"' + text[first + len('"Erittäin hyvin"'):]).encode("utf-8-sig"))
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"}, lang="en")
    assert "3.5" not in (draft.mapping.get("values") or {})
    assert any("'3.5'" in u and "quarantined" in u for u in draft.unsure), draft.unsure
    report = validate(export, mapping=draft.mapping)
    assert list(report.quarantine["value"].astype(str)) == ["3.5"]
    assert report.n_input == report.n_accepted + report.n_quarantined


def test_two_questions_read_from_one_column_is_an_error_naming_both():
    """A copied items entry whose column was not changed read the same answers twice, silently
    (a review found it): every 'oma_tapa' answer was a copy of 'kuulluksi'."""
    items = [{"column": "Sain sanoa asiani", "item": "kuulluksi"}, {"column": "Q2", "item": "x"},
             {"column": "Sain sanoa asiani", "item": "oma_tapa"}]
    with pytest.raises(MappingError, match=r"items entry 3 \('Sain sanoa asiani' -> 'oma_tapa'\) reads the same column "
                                           r"as items entry 1 \(-> 'kuulluksi'\)"):
        load_mapping({**WIDE, "items": items})
    # the same column as a rating and as its free text is two fields, not two questions
    load_mapping({**WIDE, "items": [{"column": "Q", "item": "a"}, {"column": "Q", "item": "a_text", "field": "text"}]})


def test_a_question_left_out_of_the_mapping_is_named(tmp_path):
    """The example's Webropol export with its mapping less the first question: the 11 % of
    answers in that column were dropped without a word (a review found it). validate names
    the column; with the full mapping nothing is said."""
    import shutil
    from pathlib import Path
    example = Path(__file__).resolve().parents[1] / "data" / "example"
    full = yaml.safe_load((example / "webropol_alkuarviointi.mapping.yaml").read_text(encoding="utf-8"))
    shutil.copy(example / "webropol_alkuarviointi.csv", tmp_path / "w.csv")
    left_out = {**full, "items": full["items"][1:]}
    report = validate(tmp_path / "w.csv", mapping=left_out)
    notes = [m for m in report.messages() if "ei luettu" in m]
    assert len(notes) == 1 and repr(full["items"][0]["column"]) in notes[0]
    assert not [m for m in validate(tmp_path / "w.csv", mapping=full).messages() if "ei luettu" in m]


@pytest.mark.parametrize("constants, message", [
    ({"phase": "syksy2026"}, r"constants\.phase 'syksy2026'; expected one of baseline, interim, final"),
    ({"phase": None}, r"constants\.phase is empty"),
    ({"role": "clinet"}, r"constants\.role 'clinet' \(did you mean 'client'\?\)"),
    ({"region": "Narnia"}, r"constants\.region 'Narnia' is no region"),
    ({"region": "FILL IN"}, r"constants\.region is still 'FILL IN'"),
])
def test_a_constant_no_row_could_have_is_one_error_naming_the_key(constants, message):
    """'phase: syksy2026' quarantined all 5132 answers with 343 row messages (a review found it):
    one error naming the mapping's key instead. A recode or a word for the code is fine."""
    base = {**WIDE, "columns": {"respondent_id": "id"}, "constants": {"region": "Lappi", "phase": "final",
                                                                      "role": "client"}}
    with pytest.raises(MappingError, match=message):
        load_mapping({**base, "constants": {**base["constants"], **constants}})
    load_mapping({**base, "constants": {"region": "Lappi", "phase": "loppu", "role": "asiakas"}})
    load_mapping({**base, "constants": {**base["constants"], "phase": "syksy"}, "recode": {"phase": {"syksy": "final"}}})


def test_a_cant_say_answer_the_scale_lacks_says_how_and_the_draft_cites_in_each_language(tmp_path):
    """A new user's drafted instrument on samaa_mielta_5 met 'En osaa sanoa' answers: the draft
    said only 'add it under values:', with no code to recode it to (87 answers were then
    quarantined), and the drafted instrument's English source stood in the Finnish report.
    The unsure line now says it is a "can't say" answer and how to give the scale one, and the
    drafted instrument cites its export in fi, sv and en."""
    labels = ["Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin eri mieltä",
              "Täysin eri mieltä", "En osaa sanoa"]
    rows = ["Tunnus;Alue;1. Sain tietoa palveluista;2. Minua kuunneltiin"]
    rows += [f"t{i};Lappi;{labels[i % 5]};{labels[(i + 1) % 5]}" for i in range(20)] + ["t20;Lappi;En osaa sanoa;Täysin eri mieltä"]
    export = tmp_path / "kysely.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = _cli("mapping", str(export), "--new-instrument", "oma", "--scale", "samaa_mielta_5",
               "--set", "region=Lappi", "--set", "phase=baseline", "--set", "role=client", "--out", str(tmp_path / "m.yaml"))
    assert res.returncode == 0, res.stderr
    draft = (tmp_path / "m.yaml").read_text(encoding="utf-8") + res.stdout + res.stderr
    # the settings' language (Finnish) by default, English with --lang en
    line = next(x for x in draft.splitlines() if "En osaa sanoa" in x and "ei ole mikään asteikon" in x)
    assert "”en osaa sanoa” -vastaus" in line and "missing: [{code: 9" in line
    res = _cli("mapping", str(export), "--new-instrument", "oma", "--scale", "samaa_mielta_5", "--lang", "en",
               "--set", "region=Lappi", "--set", "phase=baseline", "--set", "role=client")
    line = next(x for x in res.stdout.splitlines() if "En osaa sanoa" in x and "matches no label" in x)
    assert "can't say" in line and "missing: [{code: 9" in line
    inst = yaml.safe_load((tmp_path / "oma.yaml").read_text(encoding="utf-8"))
    assert inst["citation"]["fi"] == "Laadittu kyselyviennin kysely.csv kysymyksistä (luonnos)"
    assert inst["citation"]["en"] == "Drafted from the question texts of the export kysely.csv"


def test_a_column_of_written_answers_is_drafted_as_free_text_and_read(tmp_path):
    """A new user's export had a column of written answers ('Mitä muuta haluaisit kertoa
    palvelusta?'); the drafted instrument and mapping left it out, so its answers were never read
    until the user added it by hand. The draft now makes it a free-text item (answer: text) and
    maps it with field: text, in the settings' language; validate then reads every written answer.
    With an instrument that has no free-text item, the draft names the column as not read."""
    labels = ["Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin eri mieltä",
              "Täysin eri mieltä"]
    comments = ["Henkilökunta oli ystävällistä ja kuunteli.", "", "Odotusaika oli liian pitkä minulle.", "",
                "Sain apua nopeammin kuin odotin."]
    rows = ["Tunnus;Alue;Sain tietoa palveluista;Minua kuunneltiin;Mitä muuta haluaisit kertoa palvelusta?"]
    rows += [f"t{i};Lappi;{labels[i % 5]};{labels[(i + 2) % 5]};{comments[i % 5]}" for i in range(20)]
    export = tmp_path / "kysely.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    res = _cli("mapping", str(export), "--new-instrument", "oma", "--scale", "samaa_mielta_5", "--lang", "sv",
               "--set", "region=Lappi", "--set", "phase=baseline", "--set", "role=client", "--out", str(tmp_path / "m.yaml"))
    assert res.returncode == 0, res.stderr
    mapping = yaml.safe_load((tmp_path / "m.yaml").read_text(encoding="utf-8"))
    inst = yaml.safe_load((tmp_path / "oma.yaml").read_text(encoding="utf-8"))
    free = [i for i in inst["items"] if i.get("answer") == "text"]
    assert [i["text"]["fi"] for i in free] == ["Mitä muuta haluaisit kertoa palvelusta?"]
    assert {"column": "Mitä muuta haluaisit kertoa palvelusta?", "item": free[0]["id"], "field": "text"} in mapping["items"]
    text = (tmp_path / "m.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Mappning som 'osallisuus mapping' gjorde utifrån exporten kysely.csv.")
    assert "ser ut som fria svar" in text
    # validate with the drafted instrument: 20 x 2 ratings and the 12 written answers (counted by hand)
    (tmp_path / "mittarit").mkdir()
    (tmp_path / "oma.yaml").rename(tmp_path / "mittarit" / "oma.yaml")
    (tmp_path / "osallisuus.yaml").write_text("paths:\n  instruments: mittarit\n", encoding="utf-8")
    from osallisuus.settings import load_settings
    report = validate(export, mapping=tmp_path / "m.yaml", settings=load_settings(tmp_path / "osallisuus.yaml"))
    written = report.data[report.data["item"].astype(str) == free[0]["id"]]
    assert len(written) == sum(1 for i in range(20) if comments[i % 5]) == 12
    assert report.n_input == report.n_accepted == 40 + 12
    # an instrument without a free-text item: the column is named as not read
    from osallisuus.mapping_draft import draft_mapping
    lines = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline", "role": "client"},
                          lang="en").unsure
    assert any("'Mitä muuta haluaisit kertoa palvelusta?' looks like written answers, but instrument" in u
               and "so it is not read" in u for u in lines), lines


def test_cli_messages_follow_the_language(tmp_path):
    """The instruments, regions and mapping commands and the error line spoke English to a
    Finnish user; they now speak the language asked for (or the settings' one)."""
    res = _cli("instruments", tx.INSTRUMENT, "--lang", "sv")
    assert res.returncode == 0 and "\nKälla: " in res.stdout and "\nSkala " in res.stdout, res.stdout
    res = _cli("instruments", tx.INSTRUMENT, "--lang", "fi")
    assert "\nLähde: " in res.stdout and "\nAsteikko " in res.stdout and "versio" in res.stdout
    # subscales and reverse keys are shown too (a REDCap reviewer could not see theirs)
    res = _cli("instruments", "soc_g10", "--lang", "en")
    assert "\nSubscales:\n  Comprehensibility: soc01, soc02, soc03, soc04\n" in res.stdout, res.stdout
    export = tmp_path / "x.csv"
    export.write_text("Tunnus;Sain tietoa\nt1;Täysin samaa mieltä\n", encoding="utf-8")
    res = _cli("mapping", str(export), "--new-instrument", "oma", "--scale", "samaa_mieltä_5")
    assert res.returncode == 2
    assert res.stderr.strip().startswith("virhe: --scale 'samaa_mieltä_5' (tarkoititko 'samaa_mielta_5'?); "
                                         "tunnetut asteikot:"), res.stderr


def test_a_swedish_forms_export_gets_its_code_column_dates_and_every_question(tmp_path):
    """A student's Swedish Microsoft Forms export (a review): the draft took Forms' 'ID', which
    numbers the rows, as the respondent id (with shared_ids it linked 53 random pairs), did not
    know the tool or its 'Sluttid', read 'Starttid' as written answers, and dropped a question
    whose answers held 'Kan inte säga' and a typo. Now: msforms, the code column as the id with
    an UNSURE line, Sluttid as the date, and all three questions."""
    labels = ["Helt av samma åsikt", "Delvis av samma åsikt", "Varken av samma eller annan åsikt",
              "Delvis av annan åsikt", "Helt av annan åsikt"]
    head = ["ID", "Starttid", "Sluttid", "E-post", "Namn", "Din kod (samma kod i båda enkäterna)", "Välfärdsområde",
            "Jag svarar som", "Jag blev hörd.", "Personalen lyssnade.", "Jag fick information."]
    rows = [";".join(head)]
    for i in range(1, 31):
        third = "Kan inte säga" if i % 7 == 0 else "Helt av samma åsikt!" if i == 5 else labels[(i + 2) % 5]
        rows.append(";".join([str(i), f"2025-09-{i % 28 + 1:02d} 10:{i:02d}:00", f"2025-09-{i % 28 + 1:02d} 10:{i + 5:02d}:00",
                              "anonymous", "", f"K{100 + 3 * i}", "Österbotten", "Klient", labels[i % 5],
                              labels[(i + 1) % 5], third]))
    export = tmp_path / "forms.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, new_instrument="hord", scale="samaa_mielta_5", sets={"phase": "baseline"}, lang="sv")
    assert draft.tool == "msforms"
    assert draft.mapping["columns"]["respondent_id"] == "Din kod (samma kod i båda enkäterna)"
    assert draft.mapping["columns"]["date"] == "Sluttid"
    assert any(u.startswith("kolumnen 'ID' numrerar raderna 1, 2, 3") for u in draft.unsure), draft.unsure
    assert [e["column"] for e in draft.mapping["items"]] == ["Jag blev hörd.", "Personalen lyssnade.", "Jag fick information."]
    assert not any("Starttid" in u for u in draft.unsure)
    # without a code column the counter stays, said to link nothing
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(";".join(r.split(";")[:5] + r.split(";")[6:]) for r in rows) + "\n", encoding="utf-8")
    draft = draft_mapping(plain, new_instrument="hord", scale="samaa_mielta_5", sets={"phase": "baseline"}, lang="en")
    assert draft.mapping["columns"]["respondent_id"] == "ID"
    assert any("do not write shared_ids: true" in u for u in draft.unsure), draft.unsure


def test_regions_and_plan_follow_the_settings_language(tmp_path):
    """With 'language: sv' in the settings, 'osallisuus regions' listed Finnish names and
    'osallisuus plan' drafted 'languages: [fi]' (a Swedish student's review)."""
    from pathlib import Path
    settings = tmp_path / "osallisuus.yaml"
    settings.write_text("language: sv\n", encoding="utf-8")
    res = _cli("--config", str(settings), "regions")
    assert res.returncode == 0 and "Mellersta Finland" in res.stdout and "Keski-Suomi" not in res.stdout, res.stdout
    example = Path(__file__).resolve().parents[1] / "data" / "example"
    res = _cli("--config", str(settings), "plan", str(example))
    assert res.returncode == 0, res.stderr
    plan = yaml.safe_load(res.stdout)
    assert plan["languages"] == ["sv"] and plan["project"] == {"sv": ""}


def test_a_redcap_longitudinal_record_id_is_the_person_and_its_status_columns_no_questions(tmp_path):
    """A REDCap review: the draft called record_id (1, 2, 3 … at every event) a form's row counter
    and told the user not to link by it, and a new instrument got 'kehittajaryhma_complete' (form
    status 0/1/2) as a question. A number that comes back at another event is a person's; REDCap's
    status and redcap_* columns are never questions."""
    export = tmp_path / "redcap_raw.csv"
    tx.redcap(export, RESP)
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, new_instrument="oma", scale="palaute5", sets={"region": "Lappi"}, lang="en")
    assert draft.mapping["columns"]["respondent_id"] == "record_id"
    assert not any("numbers the rows" in u for u in draft.unsure), draft.unsure
    assert not any(e["column"].endswith("_complete") for e in draft.mapping["items"]), draft.mapping["items"]
    assert "_complete" not in draft.instrument_text


def test_instruments_shows_reverse_keyed_items(tmp_path):
    """'osallisuus instruments ID' listed a project's items without saying which are reverse-keyed."""
    doc = {"id": "kaksi", "version": "1", "name": {"fi": "Kaksi", "sv": "Två", "en": "Two"}, "source": "x",
           "wording": "provisional", "scale": "samaa_mielta_5", "answer": "rating",
           "items": [{"id": "a", "text": {"fi": "A", "sv": "A", "en": "I was heard"}},
                     {"id": "b", "reverse": True, "text": {"fi": "B", "sv": "B", "en": "My views were ignored"}}]}
    (tmp_path / "mittarit").mkdir()
    (tmp_path / "mittarit" / "kaksi.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    (tmp_path / "osallisuus.yaml").write_text("paths: {instruments: [mittarit]}\n", encoding="utf-8")
    res = _cli("--config", str(tmp_path / "osallisuus.yaml"), "instruments", "kaksi", "--lang", "en")
    lines = res.stdout.splitlines()
    assert any(line.endswith("My views were ignored  (reverse-keyed)") for line in lines), res.stdout + res.stderr
    assert not any(line.endswith("I was heard  (reverse-keyed)") for line in lines)


def test_a_drafted_mapping_lists_the_tools_own_columns_as_not_read(tmp_path):
    """A REDCap reviewer's validation said 'filled columns not read: 3 ('…_complete', …)' for
    columns no mapping key could claim. The draft now lists them under not_read:, and validation
    names only what nobody decided about (a column added to the export later)."""
    export = tmp_path / "redcap_raw.csv"
    tx.redcap(export, RESP)
    out = tmp_path / "m.yaml"
    assert _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "region=Lappi",
                "--out", str(out), "--lang", "en").returncode == 0
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    status = [c for c in pd.read_csv(export, nrows=0).columns if c.endswith("_complete")]
    assert status and set(status) <= set(doc["not_read"]), doc.get("not_read")
    unread = lambda m: [x for x in validate(export, mapping=m, lang="en").messages() if "not read because" in x]  # noqa: E731
    assert unread(out) == []
    doc.pop("not_read")
    bare = tmp_path / "bare.yaml"
    bare.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert len(unread(bare)) == 1 and status[0] in unread(bare)[0], unread(bare)


def test_a_question_asking_for_the_respondents_own_code_is_the_id_and_links_surveys(tmp_path):
    """A review's Google Forms export asked 'Keksi itsellesi tunniste (…)': the draft made ids from
    the file's rows instead, so a duplicated submission counted twice and nobody was linked. The
    draft now takes that column and writes shared_ids: true; two exports then link by the code."""
    from osallisuus.mapping_draft import draft_mapping
    question = "Keksi itsellesi tunniste (kaksi kirjainta ja syntymäpäivä, esim. AB0312)"
    for name, codes in (("alku.csv", ["AB0101", "CD0202", "EF0303", "GH0404"]),
                        ("loppu.csv", ["ab0101", "CD 0202", "XY0909", "GH0404"])):
        pd.DataFrame({"Timestamp": ["2026/03/01 10:00:00 AM EET"] * 4, question: codes,
                      "Suunnittelu": ["Melko hyvin", "Erittäin hyvin", "Melko huonosti", "Melko hyvin"],
                      "Resursointi": ["Melko hyvin"] * 4}).to_csv(tmp_path / name, index=False)
    drafts = {}
    for name, phase in (("alku.csv", "baseline"), ("loppu.csv", "final")):
        d = draft_mapping(tmp_path / name, "arvio_4", sets={"region": "Lappi", "phase": phase, "role": "client"},
                          lang="en")
        assert d.mapping["columns"]["respondent_id"] == question and d.mapping["shared_ids"] is True, d.text
        assert any("asks for the respondent's own code" in u for u in d.unsure)
        drafts[name] = d
        (tmp_path / name.replace(".csv", ".mapping.yaml")).write_text(yaml.safe_dump(d.mapping, allow_unicode=True),
                                                                       encoding="utf-8")
    both = validate(tmp_path).data                     # each export beside its mapping, read together
    phases = both.groupby("respondent_id", observed=True)["phase"].nunique()
    assert int((phases == 2).sum()) == 3, phases        # AB0101, CD0202, GH0404 by hand


def test_a_limesurvey_question_code_export_is_recognised_and_the_user_told_how_to_export(tmp_path):
    """A review's LimeSurvey export had code headers (id, submitdate, lastpage, Q1[SQ001] …): the
    draft said 'tool not recognised' and drafted 'lastpage' as a question. It is LimeSurvey's, its
    own columns are no questions, and the error says how to export question texts."""
    from osallisuus.mapping_draft import detect_tool, draft_mapping
    export = tmp_path / "results-survey123.csv"
    frame = pd.DataFrame({"id": [1, 2, 3], "submitdate": ["2024-09-07 12:01:00"] * 3, "lastpage": [3, 3, 3],
                          "startlanguage": ["fi"] * 3, "TUNNISTE": ["A1", "B2", "C3"],
                          "Q1[SQ001]": ["A3", "A1", "A4"], "Q1[SQ002]": ["A5", "A2", "A4"]})
    frame.to_csv(export, index=False)
    assert detect_tool(list(frame.columns)) == "limesurvey"
    with pytest.raises(MappingError, match=r"Full question text.*Full answers"):
        draft_mapping(export, "arvio_4", sets={"region": "Lappi", "phase": "final", "role": "client"}, lang="en")
    with pytest.raises(MappingError, match=r"no column holds answers on scale samaa_mielta_5\. The headers are question codes"):
        draft_mapping(export, new_instrument="oma", scale="samaa_mielta_5", sets={"region": "Lappi"}, lang="en")


def test_not_read_must_be_a_list_of_columns():
    base = {"columns": {"respondent_id": "Tunnus"}, "constants": {"region": "Lappi", "phase": "final",
            "role": "client"}, "instrument": "arvio_4", "items": [{"column": "Q1", "item": "suunnittelu"}]}
    assert load_mapping({**base, "not_read": ["IP", "redcap_survey_identifier"]}).not_read == ("IP",
                                                                                            "redcap_survey_identifier")
    with pytest.raises(MappingError, match="not_read 'IP'; expected a list of column names"):
        load_mapping({**base, "not_read": "IP"})


def test_a_postal_or_school_code_is_no_persons_own_code():
    """A reviewer: 'What is your postal code?' would have become the respondent id with
    shared_ids: true, linking neighbours across surveys. Only a question for the respondent's own
    code counts."""
    from osallisuus.mapping_draft import is_personal_code
    assert is_personal_code("Keksi itsellesi tunniste (kaksi kirjainta + syntymäpäivä)")
    assert is_personal_code("Skriv din egen kod") and is_personal_code("Make up your own code")
    for heading in ("What is your postal code?", "Kirjoita kuntasi koodi", "Koulun koodi tai nimi", "Tunnus"):
        assert not is_personal_code(heading), heading


def _sheet_per_phase(path, sheets: dict, cover: str = ""):
    """A workbook with a sheet of answers per phase (``sheets``: title -> respondents), a cover
    page's line first when ``cover`` is given."""
    import openpyxl
    wb = openpyxl.Workbook()
    if cover:
        wb.active.title = "Kansilehti"
        wb.active.append([cover])
    else:
        wb.remove(wb.active)
    for title, people in sheets.items():
        ws = wb.create_sheet(title)
        ws.append(["Tunnus", "Olen"] + [text for _, text in tx.ITEMS])
        for r in people:
            ws.append([r.number, tx.ROLES[r.role][1]] + [None if o is None else tx.OPTIONS[o] for o in r.options])
    wb.save(path)
    return path


def test_the_draft_names_another_sheet_that_holds_a_table(tmp_path):
    """A Swedish evaluator's workbook had a sheet per phase; the draft wrote sheet: for one and
    said nothing of the other, whose respondents were then never read. The draft names it, and
    what to do; a cover page's lines are not named."""
    import openpyxl

    from osallisuus.mapping_draft import draft_mapping
    export = _sheet_per_phase(tmp_path / "kysely.xlsx", {"Alku": RESP, "Loppu": RESP}, cover="Kysely 2026")
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"}, lang="en")
    named = [u for u in draft.unsure if "holds data too" in u]
    assert draft.mapping["sheet"] == "Alku" and len(named) == 1 and "'Loppu'" in named[0], draft.unsure
    assert "Kansilehti" not in draft.text
    report = validate(export, mapping=draft.mapping, lang="en")
    notes = [m for m in report.messages() if "was not read" in m]      # validation names every filled sheet
    assert len(notes) == 2 and "'Loppu'" in notes[1] and "'Kansilehti'" in notes[0], notes


def test_a_role_question_with_a_colon_and_family_members_is_found(tmp_path):
    """A Swedish review: the role question 'Jag svarar som:' was never found ('ingen kolumn för
    role hittades'), its colon kept it from 'Jag svarar som', and 'anhörig' was no known role.
    By hand: 6 clients, 4 staff, 2 family members (read as 'other'), each counted once."""
    labels = ["Helt av samma åsikt", "Delvis av samma åsikt", "Delvis av annan åsikt"]
    roles = ["klient"] * 6 + ["personal"] * 4 + ["anhörig"] * 2
    frame = pd.DataFrame({"Din kod": [f"K{i}" for i in range(12)], "Jag svarar som:": roles,
                          "Jag blev hörd.": [labels[i % 3] for i in range(12)]})
    export = tmp_path / "enkat.csv"
    frame.to_csv(export, sep=";", index=False)
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, new_instrument="hord", scale="samaa_mielta_5",
                          sets={"phase": "baseline", "region": "Österbotten"}, lang="sv")
    assert draft.mapping["columns"]["role"] == "Jag svarar som:", draft.unsure
    assert not any("role" in u for u in draft.unsure), draft.unsure
    canonical = tmp_path / "kanonisk.csv"
    pd.DataFrame({"respondent_id": frame["Din kod"], "region": "Österbotten", "phase": "baseline",
                  "role": frame["Jag svarar som:"], "instrument": "arvio_4", "item": "suunnittelu",
                  "value": "Melko hyvin"}).to_csv(canonical, index=False)
    report = validate(canonical)
    counts = report.data.groupby("role", observed=True)["respondent_id"].nunique().to_dict()
    assert {k: v for k, v in counts.items() if v} == {"client": 6, "professional": 4, "other": 2}
    assert report.n_quarantined == 0


def test_a_webropol_matrix_workbook_with_title_rows_and_a_summary_sheet_is_drafted_right(tmp_path):
    """A Swedish review's Webropol workbook: a summary sheet first; on the answers' sheet two title
    rows, then the matrix question over six columns and, on the row below, each statement. The
    draft found neither the second header row nor a statement (it mapped the time column to one)
    and said 'skip_rows: 1', then 'skip_rows: 2'. Now: header_rows: 2, every statement, one
    title-row line, and the counts of the generated answers."""
    import openpyxl

    from osallisuus.mapping_draft import draft_mapping
    question = "Miten hyvin seuraavat toteutuivat?"
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "Yhteenveto"
    summary.append(["Kysymys", "Vaihtoehto", "Lukumäärä"])
    summary.append([question, "Erittäin hyvin", 12])
    ws = wb.create_sheet("Vastaukset")
    ws.append(["Palautekysely 2026"])
    ws.append(["Vastauksia: 40"])
    ws.append(["Vastausnumero", "Aika", "Olen:"] + [question] * len(tx.ITEMS))
    ws.append([None, None, None] + [text for _, text in tx.ITEMS])
    for r in RESP:
        ws.append([r.number, r.when.strftime("%d.%m.%Y %H:%M"), tx.ROLES[r.role][1]]
                  + [None if o is None else tx.OPTIONS[o] for o in r.options])
    export = tmp_path / "webropol.xlsx"
    wb.save(export)
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"}, lang="en")
    assert draft.mapping["sheet"] == "Vastaukset" and draft.mapping["skip_rows"] == 2
    assert draft.mapping["header_rows"] == 2 and draft.mapping["columns"]["role"] == "Olen:"
    assert sorted(draft.matched.values()) == sorted(item for item, _ in tx.ITEMS), draft.matched
    assert sum("look like titles" in line for line in draft.text.splitlines()) == 1
    report = validate(export, mapping=draft.mapping)
    assert _counts(report) == dict(tx.expected_counts(RESP))


def test_the_draft_reads_the_sheet_it_is_told_and_a_wrong_sheet_is_a_message_in_the_language(tmp_path):
    """A Swedish review: '--set sheet=Svar' was refused as an unknown key, and a workbook whose
    answers for each phase are on a sheet of their own could only be drafted for the first.
    '--set sheet=Loppu' drafts that sheet; a sheet that is not there is named in Swedish with the
    sheets there are, exit 2, no traceback."""
    export = _sheet_per_phase(tmp_path / "kysely.xlsx", {"Alku": RESP[:20], "Loppu": RESP[20:]})
    out = tmp_path / "loppu.mapping.yaml"
    res = _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "region=Lappi", "--set", "phase=final",
               "--set", "sheet=Loppu", "--out", str(out))
    assert res.returncode == 0, res.stderr
    report = validate(export, mapping=out)
    assert _counts(report) == dict(tx.expected_counts(RESP[20:])) and set(report.data["phase"].astype(str)) == {"final"}
    # the draft of one sheet names the other, and that a file takes one mapping (a re-check found it silent)
    assert "välilehdellä 'Alku' on myös tietoja" in out.read_text(encoding="utf-8")
    # a number is the sheet's position, as sheet: in a mapping (a code review: 'no sheet '1'')
    by_position = _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "region=Lappi",
                       "--set", "phase=final", "--set", "sheet=1")
    assert by_position.returncode == 0 and "sheet: Loppu" in by_position.stdout, by_position.stderr   # 0 Alku, 1 Loppu
    csv = tmp_path / "kysely.csv"
    tx.googleforms(csv, RESP)
    not_workbook = _cli("mapping", str(csv), "--instrument", tx.INSTRUMENT, "--set", "sheet=Loppu", "--lang", "en")
    assert not_workbook.returncode == 2 and "is not a workbook and has no sheets" in not_workbook.stderr
    res = _cli("mapping", str(export), "--instrument", tx.INSTRUMENT, "--set", "sheet=Nej", "--lang", "sv")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.strip() == f"fel: {export}: arbetsboken har inget blad 'Nej'; dess blad är 'Alku', 'Loppu'", res.stderr


def test_a_blank_answer_row_under_title_rows_is_named(tmp_path):
    """A Swedish review: with skip_rows (title rows above the header) a blank row among the answers
    vanished without the note a file without title rows gets. By hand: rows 1-2 titles, row 3
    the header, row 6 blank: named, and the 40 answers read."""
    export = tmp_path / "otsikko.csv"
    tx.googleforms(export, RESP)
    lines = export.read_text(encoding="utf-8").splitlines()
    lines = ["Palautekysely kevät 2026", "Vastauksia 40"] + lines[:3] + [""] + lines[3:]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from osallisuus.mapping_draft import draft_mapping
    draft = draft_mapping(export, tx.INSTRUMENT, sets={"region": "Lappi", "phase": "baseline"})
    assert draft.mapping["skip_rows"] == 2
    report = validate(export, mapping=draft.mapping, lang="en")
    assert _counts(report) == dict(tx.expected_counts(RESP))
    notes = [m for m in report.messages() if "blank" in m or "empty row" in m]
    assert len(notes) == 1 and " 6" in notes[0], report.messages()

"""Every validation rule, the quarantine invariant and the CLI's exit codes."""
import subprocess
import sys

import pandas as pd
import pytest

from osallisuus.validation import validate
from tests.conftest import canonical_row

GOOD = [canonical_row(respondent_id=f"R{i}") for i in range(3)]


def _write(tmp_path, rows, name="data.csv", sep=";"):
    path = tmp_path / name
    path.write_text(pd.DataFrame(rows).to_csv(sep=sep, index=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("field, bad, words", [
    ("value", "7", ["'7'", "arvio_4", "1–4"]),                       # outside the scale
    ("value", "Hyvin", ["'Hyvin'", "Very well"]),               # unknown label
    ("region", "Atlantis", ["'Atlantis'", "Lappi"]),
    ("phase", "puoliväli", ["'puoliväli'", "baseline"]),
    ("role", "kummi", ["'kummi'", "client"]),
    ("instrument", "arvio_5", ["'arvio_5'", "arvio_4"]),
    ("item", "budjetti", ["'budjetti'", "suunnittelu"]),
    ("respondent_id", "", ["respondent"]),
])
def test_each_rule_names_file_row_column_value(tmp_path, field, bad, words):
    rows = GOOD + [canonical_row(**{"respondent_id": "X9", field: bad})]
    path = _write(tmp_path, rows)
    report = validate(path, lang="en")
    assert report.exit_code == 1
    assert (report.n_accepted, report.n_quarantined) == (3, 1)
    msg = report.messages()[0]
    assert str(path) in msg and "row 5" in msg and f"column {field}" in msg, msg
    for w in words:
        assert w in msg, msg
    assert report.quarantine.loc[0, "source_row"] == 5 and report.quarantine.loc[0, "reason"]


def test_duplicate_answer_quarantined_keeping_first(tmp_path):
    rows = GOOD + [canonical_row(respondent_id="R1", value="Erittäin hyvin")]
    report = validate(_write(tmp_path, rows), lang="en")
    assert report.n_quarantined == 1 and "duplicate" in report.quarantine.loc[0, "reason"]
    assert "row 3" in report.quarantine.loc[0, "reason"]      # points at the first one
    kept = report.data[report.data["respondent_id"] == "R1"]
    assert kept["value"].tolist() == ["Melko hyvin"]


def test_counts_add_up_and_quarantine_file(tmp_path):
    rows = GOOD + [canonical_row(respondent_id="A", value="11"), canonical_row(respondent_id="B", region="Mars"),
                   canonical_row(respondent_id="C", region="Mars", value="x")]   # two problems, one row
    qfile = tmp_path / "karanteeni.csv"
    report = validate(_write(tmp_path, rows), quarantine=qfile)
    assert report.n_input == len(rows) == report.n_accepted + report.n_quarantined
    q = pd.read_csv(qfile, sep=";", dtype=str)
    assert len(q) == 3 and "reason" in q.columns
    assert ";" in q.loc[q["respondent_id"] == "C", "reason"].iloc[0]     # both reasons kept


def test_missing_required_columns_is_unusable(tmp_path):
    path = _write(tmp_path, [{"respondent_id": "R1", "value": "3"}])
    report = validate(path, lang="en")
    assert report.exit_code == 2
    assert "region" in report.messages()[0] and "mapping" in report.messages()[0]


@pytest.mark.parametrize("content", [b"", b"respondent_id;region;phase;role;instrument;item;value\n",
                                     b"PK\x03\x04 not really a workbook"])
def test_empty_or_unreadable_file_is_unusable(tmp_path, content):
    path = tmp_path / ("broken.xlsx" if content.startswith(b"PK") else "empty.csv")
    path.write_bytes(content)
    report = validate(path)
    assert report.exit_code == 2 and report.messages()


def test_bad_date_reported(tmp_path):
    """Changed in issue 11: a bad optional date is named and left out; the answer is kept."""
    report = validate(_write(tmp_path, GOOD + [canonical_row(respondent_id="D", date="31.2.2026")]), lang="en")
    assert report.n_quarantined == 0 and report.n_accepted == 4 and report.exit_code == 1
    msg = report.messages()[0]
    assert "31.2.2026" in msg and "row 5" in msg and "column date" in msg
    assert report.data.loc[report.data["respondent_id"] == "D", "date"].isna().all()


def test_messages_in_swedish(tmp_path):
    report = validate(_write(tmp_path, GOOD + [canonical_row(respondent_id="S", region="Atlantis")]), lang="sv")
    assert "okänd region" in report.messages()[0] and "rad 5" in report.messages()[0]


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "osallisuus", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_exit_codes_and_no_traceback(tmp_path, example_dir):
    ok = _cli("validate", str(example_dir))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = _write(tmp_path, GOOD + [canonical_row(respondent_id="Z", value="5", region="Narnia")])
    q = tmp_path / "q.csv"
    res = _cli("validate", str(bad), "--quarantine", str(q), "--lang", "en")
    assert res.returncode == 1
    assert "row 5" in res.stderr and "column value" in res.stderr and "column region" in res.stderr
    assert "3 + 1 = 4" in res.stdout and q.exists()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    res = _cli("validate", str(empty))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = _cli("instruments", "no_such")
    assert res.returncode == 2 and "Traceback" not in res.stderr and "osallisuusindikaattori" in res.stderr


def test_messages_left_unprinted_point_to_where_they_are(tmp_path):
    """'… and 3 more (all in the quarantine file)' was printed when no quarantine file was
    written (a review found it): without --quarantine the line says how to see them all."""
    bad = _write(tmp_path, GOOD + [canonical_row(respondent_id=f"Z{i}", value="7") for i in range(4)])
    res = _cli("validate", str(bad), "--max-messages", "1", "--lang", "en")
    assert res.returncode == 1 and "… and 3 more (see them all with --max-messages 4" in res.stderr
    assert "quarantine file)" not in res.stderr and not list(tmp_path.glob("*quarant*"))
    res = _cli("validate", str(bad), "--max-messages", "1", "--lang", "en", "--quarantine", str(tmp_path / "q.csv"))
    assert "… and 3 more (all in the quarantine file)" in res.stderr and (tmp_path / "q.csv").exists()


def test_example_data_is_valid_and_complete(example_dir):
    report = validate(example_dir)
    assert report.exit_code == 0, report.messages()[:5]
    d = report.data
    assert set(d["region"].astype(str)) == {"Etelä-Pohjanmaa", "Lappi", "Keski-Suomi", "Etelä-Karjala", "Kanta-Häme"}
    assert set(d["phase"].astype(str)) == {"baseline", "interim", "final"}
    base = d[(d["phase"] == "baseline") & (d["region"] == "Keski-Suomi") & (d["instrument"] == "kehittajaryhma_palaute")]
    assert base["respondent_id"].nunique() == 88
    assert base.loc[base["role"] == "client", "respondent_id"].nunique() == 31
    # exactly one region-role group below five respondents (Kanta-Häme managers)
    sizes = d.groupby(["region", "phase", "role"], observed=True)["respondent_id"].nunique()
    small = sorted({(r, role) for (r, p, role), n in sizes.items() if n < 5})
    assert small == [("Kanta-Häme", "manager")]


def test_dates_in_every_accepted_form_and_the_rest_named():
    """Each form of DATE_FORMATS read to the hand-written timestamp; a time-zone suffix dropped;
    an impossible or unknown date None, an empty one NaT."""
    import numpy as np
    from osallisuus.validation import _parse_dates
    ts = pd.Timestamp
    cases = {"2026-11-23": ts(2026, 11, 23), "23.11.2026": ts(2026, 11, 23), "1.2.2026": ts(2026, 2, 1),
             "2026-11-23 17:33:05": ts(2026, 11, 23, 17, 33, 5), "2026-11-23 17:33": ts(2026, 11, 23, 17, 33),
             "2026-11-23T17:33:05": ts(2026, 11, 23, 17, 33, 5), "2026-11-23T17:33": ts(2026, 11, 23, 17, 33),
             "23.11.2026 17:33": ts(2026, 11, 23, 17, 33), "23.11.2026 17:33:05": ts(2026, 11, 23, 17, 33, 5),
             "23.11.2026 17.33": ts(2026, 11, 23, 17, 33), "23.11.2026 7.05.09": ts(2026, 11, 23, 7, 5, 9),
             "23.11.2026 klo 17.33": ts(2026, 11, 23, 17, 33),
             "2026/11/23 5:33:00 PM GMT+2": ts(2026, 11, 23, 17, 33), "2026/11/23 12:00:00 AM": ts(2026, 11, 23),
             "2026/11/23 17:33:00": ts(2026, 11, 23, 17, 33),
             "31.2.2024": None, "29.2.2023": None, "2026-13-01": None, "23/11/2026": None, "eilen": None,
             "2026-11-23 25:00": None, "29.2.2024": ts(2024, 2, 29)}
    got = _parse_dates(np.array(["", *cases], dtype=object))
    assert got[0] is pd.NaT
    assert dict(zip(cases, got[1:])) == cases


def test_many_distinct_timestamps_read_back_exactly():
    """An export where every respondent has a timestamp of their own, written by strftime from
    known times in three forms (and a few impossible dates among them), reads back to those times."""
    import numpy as np
    from osallisuus.validation import _parse_dates
    rng = np.random.default_rng(5)
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900 * 24 * 60, 6000), unit="min")
    forms = ["%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y klo %H.%M"]
    texts = [t.strftime(forms[k % 3]) for k, t in enumerate(times)] + ["31.4.2025 10:00", "2025-02-29 08:00:00"]
    got = _parse_dates(np.array(texts, dtype=object))
    assert list(got[:-2]) == list(times)
    assert got[-2] is None and got[-1] is None


def test_canonical_headers_are_matched_regardless_of_case_and_spaces(tmp_path):
    """'Respondent_ID', 'PHASE', ' role ' were 'missing required columns' (a review found it):
    they are the canonical columns, and messages name the file's own header."""
    rows = [canonical_row(respondent_id=f"R{i}", value="7" if i == 0 else "Melko hyvin") for i in range(4)]
    frame = pd.DataFrame(rows).rename(columns={"respondent_id": "Respondent_ID", "phase": "PHASE", "role": " role ",
                                               "value": "Value"})
    path = tmp_path / "otsikot.csv"
    frame.to_csv(path, sep=";", index=False)
    report = validate(path, lang="en")
    assert (report.n_input, report.n_accepted, report.n_quarantined) == (4, 3, 1)
    assert report.problems["column"].tolist() == ["Value"] and report.problems["row"].tolist() == [2]
    assert sorted(report.data["respondent_id"].astype(str)) == ["R1", "R2", "R3"]


def test_an_excel_date_serial_is_named_as_one(tmp_path):
    """A date column stored as Excel's day numbers ('46056') was only 'not a valid date' (a
    review found it): the message says what the number is and how to fix it; the answer is kept."""
    rows = GOOD + [canonical_row(respondent_id="S1", date="46056"), canonical_row(respondent_id="S2", date="2026-02-03")]
    report = validate(_write(tmp_path, rows), lang="en")
    assert report.n_accepted == 5 and report.n_quarantined == 0
    messages = report.problems["message"].tolist()
    assert len(messages) == 1 and "'46056'" in messages[0] and "looks like an Excel date serial" in messages[0]


def test_a_note_in_the_data_folder_is_named_with_how_to_leave_it_out(tmp_path):
    """A project's data folder often holds a note beside the exports (LUEMINUT.txt). It was
    read as an answer file and made the whole input unusable, so every region failed, with
    nothing said about leaving it out. The message now says how, and settings
    ``input.ignore`` (glob patterns) leaves it out; a file named on the command line is read
    whatever the patterns say."""
    project = tmp_path / "hanke"
    folder = project / "aineisto" / "kevät"
    folder.mkdir(parents=True)
    _write(folder, GOOD, name="vastaukset.csv")
    (folder / "LUEMINUT.txt").write_text("Aineisto viety Webropolista 3.3.2026.\n", encoding="utf-8")
    res = _cli("validate", "aineisto", "--lang", "en", cwd=project)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    line = next(x for x in res.stderr.splitlines() if "LUEMINUT.txt" in x)
    assert "file cannot be used" in line and "input: ignore:" in line and "move it out of the data folder" in line
    (project / "osallisuus.yaml").write_text('input:\n  ignore: ["kevät/LUEMINUT*"]\n', encoding="utf-8")
    res = _cli("validate", "aineisto", "--lang", "en", cwd=project)
    assert res.returncode == 0, res.stderr
    assert "Files read: 1 (unusable: 0). Answers: 3; accepted 3" in res.stdout
    named = _cli("validate", "aineisto/kevät/LUEMINUT.txt", "--lang", "en", cwd=project)
    assert named.returncode == 2 and "input: ignore:" not in named.stderr    # named by the user: no hint
    (project / "osallisuus.yaml").write_text('input:\n  ignore: "*.txt"\n', encoding="utf-8")   # one pattern as text
    assert _cli("validate", "aineisto", cwd=project).returncode == 0


@pytest.mark.parametrize("blank, column, words", [
    ("region", "region", "region is empty"), ("phase", "phase", "evaluation phase is empty"),
    ("role", "role", "role is empty"), ("instrument", "instrument", "instrument is empty"),
    ("item", "item", "item is empty (instrument arvio_4 has the items: suunnittelu,")])
def test_an_empty_field_is_called_empty_not_unknown(tmp_path, blank, column, words):
    """A row cut short ('R2;Lappi;final;asiakas') was quarantined as "unknown instrument ''": a
    reader looks for a misspelt name in an empty cell. An empty field is now named as empty,
    with what was expected (a review of bad input found it)."""
    report = validate(_write(tmp_path, GOOD + [canonical_row(respondent_id="R9", **{blank: ""})]), lang="en")
    hit = report.problems[report.problems["row"].astype(int) == 5]
    assert hit["column"].tolist() == [column] and words in hit["message"].iloc[0], hit.to_dict("records")
    assert report.n_input == 4 == report.n_accepted + report.n_quarantined and report.n_quarantined == 1


def test_a_short_row_is_quarantined_with_its_empty_instrument(tmp_path):
    path = tmp_path / "lyhyt.csv"
    lines = pd.DataFrame(GOOD).to_csv(sep=";", index=False).splitlines()
    path.write_text("\n".join([*lines[:2], "R8;Lappi;final;asiakas", *lines[2:]]) + "\n", encoding="utf-8")
    report = validate(path, lang="fi")
    [message] = report.messages()
    assert message.startswith(f"{path}, rivi 3, sarake instrument: mittari puuttuu (odotettiin: ") and "arvio_4" in message
    assert (report.n_input, report.n_accepted, report.n_quarantined) == (4, 3, 1)


@pytest.mark.parametrize("header", [["value", "value"], ["value", "Value"]])
def test_a_canonical_column_given_twice_is_named(tmp_path, header):
    """'value' twice was reported as a missing 'value' column, and 'value' beside 'Value' read
    the first without a word: both name the column and its copies now."""
    frame = pd.DataFrame([canonical_row()])
    frame.insert(len(frame.columns), "extra", "3")
    text = frame.to_csv(sep=";", index=False).replace("value;extra", ";".join(header), 1)
    path = tmp_path / "kahdesti.csv"
    path.write_text(text, encoding="utf-8")
    report = validate(path, lang="en")
    assert report.exit_code == 2
    assert "column value appears more than once" in report.messages()[0] and header[1] in report.messages()[0]


@pytest.mark.parametrize("ids, shared, noted", [(["k-01", "k-02", "k-03"], False, True),
                                                (["k-01", "k-02", "k-03"], True, False),
                                                (["1", "2", "3"], False, False)])
def test_the_same_ids_in_two_exports_are_pointed_out(tmp_path, ids, shared, noted):
    """A new user's baseline and final exports carried the same participant codes; without
    shared_ids the 30 repeat respondents were not linked and change was tested on separate
    groups, with nothing said. Now the later file gets a note naming the other file, the count
    and the key; not when ids are shared, nor for a tool's running numbers 1, 2, 3."""
    import yaml
    from tests.corpus import W1, W2, WIDE_MAPPING_2, wide
    for name, phase in (("alku", "baseline"), ("loppu", "final")):
        rows = [[i, *(W1 if k % 2 else W2)[1:]] for k, i in enumerate(ids)]
        (tmp_path / f"{name}.csv").write_bytes(wide(rows))
        mapping = {**WIDE_MAPPING_2, "constants": {"phase": phase}, **({"shared_ids": True} if shared else {})}
        (tmp_path / f"{name}.mapping.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    report = validate(tmp_path, lang="en")
    notes = [m for m in report.messages() if "shared_ids: true" in m]
    assert report.n_input == report.n_accepted + report.n_quarantined
    if noted:
        assert len(notes) == 1 and "loppu.csv" in notes[0].split(":")[0] and "stand in alku.csv: 3;" in notes[0]
    else:
        assert not notes, notes


@pytest.mark.parametrize("flip", [True, False])
def test_shared_ids_that_link_answers_in_another_role_are_pointed_out(tmp_path, flip):
    """A student's mapping took Microsoft Forms' response numbers as ids with shared_ids: true:
    53 random pairs were linked as the same respondents, with nothing said, although linked ids
    jumped between clients and professionals. The later file now gets a note naming the other
    file and the count (here 2 of 3 ids change role when flipped); none when roles stay."""
    import yaml
    from tests.corpus import W1, W2, WIDE_MAPPING_2, wide
    ids = ["k-01", "k-02", "k-03"]
    for name, phase, swap in (("alku", "baseline", False), ("loppu", "final", flip)):
        rows = [[i, *((W2 if k % 2 else W1) if swap and k < 2 else (W1 if k % 2 else W2))[1:]] for k, i in enumerate(ids)]
        (tmp_path / f"{name}.csv").write_bytes(wide(rows))
        mapping = {**WIDE_MAPPING_2, "constants": {"phase": phase}, "shared_ids": True}
        (tmp_path / f"{name}.mapping.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    report = validate(tmp_path, lang="en")
    notes = [m for m in report.messages() if "another role" in m]
    assert report.n_input == report.n_accepted + report.n_quarantined
    if flip:
        assert len(notes) == 1 and notes[0].split(":")[0].endswith("loppu.csv"), notes
        assert "in another role in alku.csv: 2;" in notes[0]
    else:
        assert not notes, notes


def test_an_unknown_region_suggests_the_nearest_name_in_any_language(tmp_path):
    """'Österbottten' was answered with Finnish examples ('t.ex. Kanta-Häme, Etelä-Karjala…');
    the nearest region name in any language is suggested now, the pilot regions otherwise."""
    rows = [canonical_row(respondent_id="R1", region="Österbottten"), canonical_row(respondent_id="R2", region="Narnia")]
    report = validate(_write(tmp_path, rows), lang="sv")
    messages = report.messages()
    assert any("okänd region 'Österbottten' (förväntade en region, t.ex. Österbotten;" in m for m in messages), messages
    assert any("okänd region 'Narnia' (förväntade en region, t.ex. Kanta-Häme" in m for m in messages), messages


def test_codes_typed_in_other_capitals_or_spaces_are_one_person(tmp_path):
    """A review's panel typed its own codes: 'AB12' at baseline, 'ab12' or 'AB 12' at the end.
    Compared exactly, half the panel was not linked, without a word. By hand: 3 people in two
    files, each code respelled once; read as 3 respondents (linked), with a note naming the
    file, how many and an example; input.exact_ids: true keeps 6."""
    from osallisuus.settings import load_settings
    rows = {"alku.csv": ["AB12", "cd 34", "EF56"], "loppu.csv": ["ab12", "CD34", "ef 56"]}
    for name, ids in rows.items():
        phase = "baseline" if name == "alku.csv" else "final"
        pd.DataFrame([canonical_row(respondent_id=i, phase=phase) for i in ids]).to_csv(tmp_path / name, index=False)
    report = validate(tmp_path, lang="en")
    assert report.data["respondent_id"].nunique() == 3 and report.n_accepted == 6
    assert sorted(report.data["respondent_id"].astype(str).unique()) == ["AB12", "EF56", "cd 34"]
    notes = [m for m in report.messages() if "capitals and spaces" in m]
    assert len(notes) == 1 and notes[0].startswith(str(tmp_path / "loppu.csv")) and ": 3, e.g. 'ab12' = 'AB12'" in notes[0]
    (tmp_path / "osallisuus.yaml").write_text("input: {exact_ids: true}\n", encoding="utf-8")
    exact = validate([tmp_path / "alku.csv", tmp_path / "loppu.csv"], settings=load_settings(tmp_path / "osallisuus.yaml"))
    assert exact.data["respondent_id"].nunique() == 6 and not [m for m in exact.messages() if "exact_ids" in m]


def test_a_duplicated_wide_row_is_one_message_and_names_the_file_only_when_another(tmp_path):
    """A review's duplicated LimeSurvey submission gave nine lines, one per item, each saying ids
    in different files are different people (the same file, shared_ids already set). Now one
    line for the row, '(3 answers)'; a duplicate met in another file names that file."""
    export = tmp_path / "export.csv"
    pd.DataFrame({"Tunnus": ["K1", "K2", "K1"], "Q1": [4, 3, 4], "Q2": [3, 3, 3], "Q3": [2, 4, 2]}).to_csv(export, index=False)
    mapping = {"columns": {"respondent_id": "Tunnus"},
               "constants": {"region": "Lappi", "phase": "final", "role": "client"}, "instrument": "arvio_4",
               "shared_ids": True, "items": [{"column": c, "item": i} for c, i in
                                             (("Q1", "suunnittelu"), ("Q2", "resursointi"), ("Q3", "aikataulutus"))]}
    report = validate(export, mapping=mapping, lang="en")
    lines = [m for m in report.messages() if "already answered" in m]
    assert report.n_quarantined == 3 and len(lines) == 1, lines
    assert "row 4" in lines[0] and "on row 2 of the same file" in lines[0] and "(3 answers)" in lines[0], lines
    assert "shared_ids" not in lines[0]
    for name in ("a.csv", "b.csv"):
        pd.DataFrame([canonical_row(respondent_id="R1")]).to_csv(tmp_path / name, index=False)
    both = validate([tmp_path / "a.csv", tmp_path / "b.csv"], lang="en")
    line = next(m for m in both.messages() if "already answered" in m)
    assert line.startswith(str(tmp_path / "b.csv")) and f"on row 2 of {tmp_path / 'a.csv'}" in line, line


def test_two_spellings_side_by_side_in_one_file_and_phase_stay_two(tmp_path):
    """A reviewer: 'AB12' and 'ab12' in one file and phase were made one person and the second row
    quarantined as a duplicate. Side by side they stay apart (two people, or a duplicate the user
    sees as written), and so does the final phase's 'Ab12': which of the two would it be?"""
    pd.DataFrame([canonical_row(respondent_id="AB12", phase="baseline"),
                  canonical_row(respondent_id="ab12", phase="baseline")]).to_csv(tmp_path / "alku.csv", index=False)
    pd.DataFrame([canonical_row(respondent_id="Ab12")]).to_csv(tmp_path / "loppu.csv", index=False)
    report = validate(tmp_path, lang="en")
    assert report.n_quarantined == 0 and report.n_accepted == 3
    ids = report.data.groupby("phase", observed=True)["respondent_id"].agg(lambda s: sorted(s.astype(str)))
    assert ids["baseline"] == ["AB12", "ab12"] and ids["final"] == ["Ab12"]


def test_rows_without_a_date_where_others_have_one_are_named(tmp_path):
    """A review's LimeSurvey export held an unfinished response (empty submitdate): it was read as a
    respondent without a word (81 clients in Taulukko 1, 80 in the score). It is still read, with
    a note naming the column and how many (by hand: 1 of 4)."""
    export = tmp_path / "results.csv"
    pd.DataFrame({"id": ["1", "2", "3", "4"], "submitdate": ["2024-09-07 12:01:00", "", "2024-09-08 10:00:00",
                                                             "2024-09-09 09:30:00"],
                  "Q1": [4, 3, 2, 4]}).to_csv(export, index=False)
    mapping = {"columns": {"respondent_id": "id", "date": "submitdate"}, "date_format": "%Y-%m-%d %H:%M:%S",
               "constants": {"region": "Lappi", "phase": "final", "role": "client"}, "instrument": "arvio_4",
               "items": [{"column": "Q1", "item": "suunnittelu"}], "not_read": []}
    report = validate(export, mapping=mapping, lang="en")
    notes = [m for m in report.messages() if "without a date" in m]
    assert report.n_accepted == 4 and len(notes) == 1 and "column submitdate" in notes[0] and notes[0].endswith(
        "have one: 1; they were read, but if they are unfinished responses (e.g. LimeSurvey's empty submitdate), "
        "export completed responses only from the survey tool"), notes
    full = pd.read_csv(export, dtype=str, keep_default_na=False).assign(submitdate="2024-09-07 12:01:00")
    full.to_csv(export, index=False)
    assert not [m for m in validate(export, mapping=mapping, lang="en").messages() if "without a date" in m]


def test_the_same_code_in_two_regions_is_two_people(tmp_path):
    """A Swedish evaluator's made-up code 'NP01' was used in Österbotten and in Mellersta
    Österbotten: one region's final answers were quarantined as a duplicate of the other's, and
    the all-regions change test paired one region's baseline with the other's final. By hand:
    NP01 answered baseline and final in both regions (Swedish and Finnish region names), R9 only
    in Lappi: 5 answers, all accepted, 3 people, two linked pairs, each within its region."""
    from osallisuus.change import change_between
    rows = [canonical_row(respondent_id="NP01", region="Österbotten", phase="baseline", value="Melko huonosti"),
            canonical_row(respondent_id="NP01", region="Pohjanmaa", phase="final", value="Erittäin hyvin"),
            canonical_row(respondent_id="NP01", region="Keski-Pohjanmaa", phase="baseline", value="Erittäin hyvin"),
            canonical_row(respondent_id="NP01", region="Keski-Pohjanmaa", phase="final", value="Erittäin huonosti"),
            canonical_row(respondent_id="R9", region="Lappi", phase="final")]
    pd.DataFrame(rows).to_csv(tmp_path / "vastaukset.csv", index=False)
    report = validate(tmp_path, lang="en")
    assert report.n_quarantined == 0 and report.n_accepted == 5
    people = report.data.groupby("respondent_id", observed=True)["region"].agg(lambda s: set(s.astype(str)))
    assert people.to_dict() == {"NP01 (Pohjanmaa)": {"Pohjanmaa"}, "NP01 (Keski-Pohjanmaa)": {"Keski-Pohjanmaa"},
                                "R9": {"Lappi"}}
    notes = [m for m in report.messages() if "another region" in m]
    assert len(notes) == 1 and ": 1, e.g. 'NP01' = 'NP01 (" in notes[0], notes      # one code, per file
    # paired within each region: Pohjanmaa 2 -> 4 (Melko huonosti -> Erittäin hyvin), Keski-Pohjanmaa 4 -> 1
    ch = change_between(report.data, "arvio_4", "baseline", "final")
    row = ch[(ch["item"] == "suunnittelu") & (ch["design"] == "paired")].iloc[0]
    assert row["n_pairs"] == 2 and row["mean_diff"] == pytest.approx((2 + -3) / 2)


@pytest.mark.parametrize("chosen", [None, "Alku"])
def test_a_workbooks_other_filled_sheet_is_named_also_when_the_mapping_chose_one(tmp_path, chosen):
    """A Swedish evaluator's workbook had a sheet per phase; the mapping draft wrote sheet: for the
    first and the other phase's 46 respondents were never read, without a word (the index said 0
    answered). Every other filled sheet is named now, with what to do; an empty one is not."""
    import openpyxl
    path = tmp_path / "kysely.xlsx"
    wb = openpyxl.Workbook()
    for title, ids in (("Alku", ["K1", "K2"]), ("Loppu", ["K1", "K3"])):
        ws = wb.create_sheet(title)
        ws.append(["Tunnus", "Q1"])
        for i in ids:
            ws.append([i, 3])
    wb.remove(wb["Sheet"])
    wb.create_sheet("Tyhjä")
    wb.save(path)
    mapping = {"columns": {"respondent_id": "Tunnus"}, "constants": {"region": "Lappi", "phase": "baseline",
                                                                     "role": "client"},
               "instrument": "arvio_4", "items": [{"column": "Q1", "item": "suunnittelu"}]}
    if chosen:
        mapping["sheet"] = chosen
    report = validate(path, mapping=mapping, lang="en")
    assert report.n_accepted == 2 and report.n_input == 2
    notes = [m for m in report.messages() if "was not read" in m]
    assert len(notes) == 1 and "sheet 'Loppu' was not read (read 'Alku')" in notes[0] and "own mapping" in notes[0], notes


def test_a_duplicate_of_a_code_used_in_two_regions_is_named_as_the_file_has_it(tmp_path):
    """A code review: with 'NP01' in Pohjanmaa (twice) and in Lappi, the duplicate's message and
    its problem row said 'NP01 (Pohjanmaa)', a value no cell of the file holds."""
    rows = [canonical_row(respondent_id="NP01", region="Pohjanmaa"), canonical_row(respondent_id="NP01", region="Pohjanmaa"),
            canonical_row(respondent_id="NP01", region="Lappi")]
    pd.DataFrame(rows).to_csv(tmp_path / "v.csv", index=False)
    report = validate(tmp_path, lang="en")
    assert report.n_quarantined == 1 and report.n_accepted == 2
    assert report.problems["value"].astype(str).tolist() == ["NP01"], report.problems.to_dict("records")
    line = next(m for m in report.messages() if "already answered" in m)
    assert "NP01" in line and "(Pohjanmaa)" not in line, line

"""The malformed-input corpus (tests/corpus.py): no traceback, every input row accepted or
quarantined, and every message naming file, row (as the spreadsheet shows it), column, value
and what was expected."""
import subprocess
import sys

import pytest

from osallisuus.validation import validate
from tests.corpus import cases, write_case

CASES = cases()


def test_corpus_is_large_enough():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_file(tmp_path, case):
    path = write_case(tmp_path, case)
    report = validate(path, mapping=case.mapping, lang="en")
    msgs = report.messages()
    if case.unusable:
        assert report.exit_code == 2, msgs
        assert len(report.unusable_files) == 1 and str(path) in msgs[0], msgs
        assert case.unusable in msgs[0], msgs
        assert len(msgs[0]) < 3000
        return
    assert not report.unusable_files, msgs
    # every input row accounted for: the count a person makes by hand, split in two
    assert report.n_input == case.rows == report.n_accepted + report.n_quarantined, (report.summary(), msgs)
    assert sorted(report.quarantine["source_row"].astype(int).tolist()) == sorted(case.bad), msgs
    for r, (column, value) in case.bad.items():
        hit = report.problems[report.problems["row"].astype(int) == r]
        assert len(hit), msgs
        assert (hit["column"] == column).any(), (column, hit.to_dict("records"))
        assert any(value in v for v in hit["value"].astype(str)), (value, hit["value"].tolist())
    for p in report.problems.itertuples():
        assert p.file == str(path) and int(p.row) >= 2 and p.column
        assert "expected" in p.message, p.message
        assert len(p.message) < 1500, "long values are cut in messages"
    for m in msgs:
        assert str(path) in m and len(m) < 1500
    if case.note:
        assert any(case.note in m for m in msgs), msgs


@pytest.mark.parametrize("name", ["unbalanced_quote_middle.csv", "encrypted.xlsx", "mac_roman.csv",
                                  "wide_unknown_key.csv", "undecidable_encoding.csv"])
def test_cli_never_shows_a_traceback(tmp_path, name):
    import yaml
    case = next(c for c in CASES if c.name == name)
    path = write_case(tmp_path, case)
    args = [sys.executable, "-m", "osallisuus", "validate", str(path), "--lang", "en"]
    if case.mapping:
        (tmp_path / "m.yaml").write_text(yaml.safe_dump(case.mapping), encoding="utf-8")
        args += ["--mapping", str(tmp_path / "m.yaml")]
    res = subprocess.run(args, capture_output=True, text=True)
    assert "Traceback" not in res.stderr and res.returncode in (0, 1, 2), res.stderr
    if res.returncode:
        assert str(path) in res.stderr, res.stderr


def test_quarantine_path_under_a_file_is_a_clear_error(tmp_path):
    case = CASES[0]
    path = write_case(tmp_path, case)
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    res = subprocess.run([sys.executable, "-m", "osallisuus", "validate", str(path), "--quarantine",
                          str(blocker / "q.csv")], capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr and "quarantine" in res.stderr, res.stderr


_ENGLISH = ("the file", "cannot", "expected", "save it", "workbook", "missing", "header", "sheet", "encoding")


@pytest.mark.parametrize("case", [c for c in CASES if c.unusable and not c.mapping], ids=lambda c: c.name)
@pytest.mark.parametrize("lang, words", [("fi", ("tiedosto", "otsikkorivi", "merkistö", "työkirja", "sarakkeita",
                                                 "HTML")),
                                         ("sv", ("filen", "rubrikraden", "teckenkodningen", "arbetsboken", "kolumner", "kalkylblad",
                                                 "HTML"))])
def test_a_file_that_cannot_be_used_is_explained_in_the_run_language(tmp_path, case, lang, words):
    """Row messages were in Finnish or Swedish, but a file that could not be read at all was
    explained in English only (a robustness review found it): the file-level reasons are in
    the translation table now. Checked against the English run: the same file, a different text
    with a word of the language and none of the English wording."""
    path = write_case(tmp_path, case)
    english = validate(path, lang="en").messages()[0]
    message = validate(path, lang=lang).messages()[0]
    reason = message.split(str(path) + ":", 1)[1].replace(path.stem, "").replace("encoding:", "")  # names stay
    assert str(path) in message and message != english
    assert any(w in reason for w in words), reason
    assert not [w for w in _ENGLISH if w in reason], reason

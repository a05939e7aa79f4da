"""osallisuus._deferred: rfc3987_syntax (jsonschema's IRI check, under nbformat) is built on first
use, not when a notebook library is imported; what it answers is unchanged. Each check runs in a
fresh interpreter, as the CLI and the batch's workers do."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("rfc3987_syntax")

IRIS = ["http://example.com/ä", "https://thl.fi/osallisuus?x=1#a", "not an iri ::", "x:y", "", "http://[::1]/"]


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


CHECK = f"""
import json, sys
from jsonschema import FormatChecker
checker = FormatChecker()
print(json.dumps({{"answers": [checker.conforms(i, f) for i in {IRIS!r} for f in ("iri", "iri-reference")]}}))
"""


def test_importing_nbformat_after_osallisuus_builds_no_grammar():
    found = _run("import json, sys, osallisuus, nbformat, papermill\n"
                 "m = sys.modules['rfc3987_syntax']\n"
                 "print(json.dumps({'kind': type(m).__name__, 'lark': 'lark' in sys.modules}))")
    assert found == {"kind": "_Deferred", "lark": False}


def test_iri_checks_answer_as_without_the_stand_in():
    plain = _run(CHECK)                                  # the real package, imported by jsonschema
    deferred = _run("import osallisuus\n" + CHECK)       # the stand-in, loading it on first use
    assert deferred == plain
    assert True in plain["answers"] and False in plain["answers"]     # both kinds of answer seen


def test_the_package_and_its_submodules_import_as_before():
    found = _run("import json, osallisuus, sys, rfc3987_syntax\n"
                 "from rfc3987_syntax.syntax_helpers import parse\n"
                 "print(json.dumps({'ok': rfc3987_syntax.is_valid_syntax('iri', 'x:y'), "
                 "'parser': hasattr(rfc3987_syntax, 'syntax_parser'), "
                 "'real': type(sys.modules['rfc3987_syntax']).__name__}))")
    assert found == {"ok": True, "parser": True, "real": "module"}

"""`osallisuus init DIR` and `osallisuus notebooks`: a project a person can work in."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from osallisuus.errors import OsallisuusError
from osallisuus.plan import load_plan
from osallisuus.project import init_project, output_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
PACKAGE_NOTEBOOKS = ROOT / "osallisuus" / "notebooks"


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "osallisuus", *args], capture_output=True, text=True, cwd=cwd)


def test_init_empty_folder(tmp_path):
    target = tmp_path / "arviointi"
    res = _cli("init", str(target))
    assert res.returncode == 0, res.stderr
    for folder in ("data", "notebooks", "reports"):
        assert (target / folder).is_dir()
    for name in sorted(p.name for p in PACKAGE_NOTEBOOKS.glob("*.ipynb")):
        assert (target / "notebooks" / name).read_bytes() == (PACKAGE_NOTEBOOKS / name).read_bytes()
    settings = yaml.safe_load((target / "osallisuus.yaml").read_text(encoding="utf-8"))
    assert settings["paths"]["data"] == "data" and settings["paths"]["reports"] == "reports"
    assert settings["suppression"]["threshold"] >= 5
    ignored = (target / ".gitignore").read_text(encoding="utf-8").split()
    assert "data/" in ignored and "reports/" in ignored
    readme = (target / "README.fi.md").read_text(encoding="utf-8")
    assert "Seuraavat askeleet" in readme and "osallisuus validate" in readme
    assert yaml.safe_load((target / "koodikirja.yaml").read_text(encoding="utf-8"))["themes"]
    assert not (target / "arviointisuunnitelma.yaml").exists()          # no data, no plan


def test_init_never_overwrites(tmp_path):
    assert _cli("init", str(tmp_path)).returncode == 0
    (tmp_path / "README.fi.md").write_text("oma", encoding="utf-8")
    (tmp_path / "notebooks" / "02_tutustu.ipynb").unlink()        # a missing file is not a reason to write others
    res = _cli("init", str(tmp_path))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "README.fi.md" in res.stderr and "never overwrites" in res.stderr
    assert (tmp_path / "README.fi.md").read_text(encoding="utf-8") == "oma"
    assert not (tmp_path / "notebooks" / "02_tutustu.ipynb").exists()


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "x").write_text("", encoding="utf-8")
    with pytest.raises(OsallisuusError, match="is a file"):
        init_project(tmp_path / "x")


def test_init_drafts_a_plan_from_the_data(tmp_path):
    shutil.copytree(EXAMPLE, tmp_path / "data")
    (tmp_path / "data" / "arviointisuunnitelma.yaml").unlink()          # the draft must come from the answers
    written = init_project(tmp_path)
    plan_file = tmp_path / "arviointisuunnitelma.yaml"
    assert plan_file in written
    plan = load_plan(plan_file)
    canonical = [EXAMPLE / "valiarviointi_soc_g10.csv", EXAMPLE / "loppuarviointi.csv"]
    import pandas as pd
    raw = pd.concat([pd.read_csv(f, dtype=str) for f in canonical])
    for phase, rows in raw.groupby("phase"):
        assert set(plan.phases[phase].instruments) >= set(rows["instrument"])
        assert set(plan.phases[phase].roles) == set(rows["role"])
    assert {o.phase for o in plan.primary} == {"baseline", "interim", "final"}


def test_notebooks_command_lists_the_collection():
    res = _cli("notebooks")
    assert res.returncode == 0
    lines = res.stdout.strip().splitlines()
    names = sorted(p.name for p in PACKAGE_NOTEBOOKS.glob("*.ipynb"))
    assert [line.split()[0] for line in lines] == names
    for line, name in zip(lines, names):
        description = nbformat.read(PACKAGE_NOTEBOOKS / name, as_version=4).metadata["osallisuus"]["description"]
        assert line.endswith(description)


@pytest.mark.parametrize("command", [["init"], ["notebooks"], ["report-notebook"]])
def test_new_commands_have_help(command):
    res = _cli(*command, "--help")
    assert res.returncode == 0 and "Usage:" in res.stdout


def test_output_path_stays_in_reports(tmp_path):
    init_project(tmp_path)
    settings = tmp_path / "osallisuus.yaml"
    assert output_path("a/b.xlsx", settings) == tmp_path / "reports" / "a" / "b.xlsx"
    for bad in ("../x.xlsx", str(tmp_path / "x.xlsx")):
        with pytest.raises(OsallisuusError):
            output_path(bad, settings)


def _view_calls(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("report.view(")]


def test_report_notebook_from_the_plan(tmp_path):
    """With data, init writes the region report with one call per view the plan implies; later
    `osallisuus report-notebook` rewrites it only with --force; the batch runs it (paths.notebook)."""
    shutil.copytree(EXAMPLE, tmp_path / "data")
    init_project(tmp_path)
    notebook = tmp_path / "notebooks" / "alueraportti.ipynb"
    calls = _view_calls(notebook)
    plan = yaml.safe_load((EXAMPLE / "arviointisuunnitelma.yaml").read_text(encoding="utf-8"))
    for phase, spec in plan["phases"].items():                      # every planned instrument has a cell
        for inst in spec["instruments"]:
            assert any(f'instrument="{inst}", phase="{phase}"' in c for c in calls), (phase, inst)
    headings = [c.source for c in nbformat.read(notebook, as_version=4).cells
                if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert len(headings) == 11
    assert yaml.safe_load((tmp_path / "osallisuus.yaml").read_text(encoding="utf-8"))["paths"]["notebook"] == \
        "notebooks/alueraportti.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = nb.cells[:-1]                                        # an evaluator's edit
    nbformat.write(nb, notebook)
    refused = _cli("report-notebook", "--project", str(tmp_path))
    assert refused.returncode == 2 and "--force" in refused.stderr and len(_view_calls(notebook)) == len(calls) - 1
    assert _cli("report-notebook", "--project", str(tmp_path), "--force").returncode == 0
    assert _view_calls(notebook) == calls


@pytest.mark.parametrize("lang, readme, heading", [("sv", "README.sv.md", "# Utvärderingsprojekt"),
                                                   ("en", "README.en.md", "# Evaluation project")])
def test_init_makes_a_project_in_its_language(tmp_path, lang, readme, heading):
    """A Swedish student's 'osallisuus init' wrote README.fi.md and Finnish comments with
    language: fi. With --lang the settings say the language, in that language, and so does the
    README; the settings keep every key of the Finnish template."""
    from osallisuus.settings import load_settings
    res = subprocess.run([sys.executable, "-m", "osallisuus", "init", "--lang", lang, str(tmp_path / "p")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    root = tmp_path / "p"
    assert (root / readme).read_text(encoding="utf-8").startswith(heading) and not (root / "README.fi.md").exists()
    assert load_settings(root / "osallisuus.yaml").language == lang
    template = Path(__file__).resolve().parents[1] / "osallisuus" / "data" / "project" / "osallisuus.yaml"
    fi, own = yaml.safe_load(template.read_text(encoding="utf-8")), yaml.safe_load((root / "osallisuus.yaml").read_text(encoding="utf-8"))
    assert {k: v for k, v in own.items() if k != "language"} == {k: v for k, v in fi.items() if k != "language"}
    assert res.stdout.strip().splitlines()[-1].endswith(readme)
    # the notebooks are the language's: their first heading is the translation table's
    import nbformat

    from osallisuus import i18n
    explore = nbformat.read(root / "notebooks" / "02_tutustu.ipynb", as_version=4)
    assert explore.cells[0].source == i18n.t("nb.md.02_tutustu.1", lang) != i18n.t("nb.md.02_tutustu.1", "fi")


def test_notebook_descriptions_in_each_language_and_the_finnish_as_the_notebook_says():
    """A review's English user got Finnish descriptions from 'osallisuus notebooks'. Each notebook
    has one per language; the Finnish one is the notebook's own (written by make_notebooks.py)."""
    import nbformat

    from osallisuus.project import list_notebooks, notebook_dir
    fi, en = dict(list_notebooks("fi")), dict(list_notebooks("en"))
    assert set(fi) == set(en) and len(fi) >= 8
    for name, text in fi.items():
        own = nbformat.read(notebook_dir() / name, as_version=4).metadata["osallisuus"]["description"]
        assert text == own, (name, text, own)
        assert en[name] != text and en[name].split(":")[0].isascii(), (name, en[name])


def test_a_swedish_projects_report_notebook_is_swedish_and_makes_swedish_reports(tmp_path):
    """A Swedish review: 'osallisuus init --lang sv' with data (and 'report-notebook --force')
    wrote the region report's notebook in Finnish with lang "fi", so running it as the README says
    gave a Finnish report, and the batch published a Finnish alueraportti_sv.ipynb."""
    from osallisuus import i18n
    shutil.copytree(EXAMPLE, tmp_path / "data")
    res = _cli("init", "--lang", "sv", str(tmp_path))
    assert res.returncode == 0, res.stderr
    from osallisuus.project import PLAN_DRAFT
    assert (tmp_path / PLAN_DRAFT).read_text(encoding="utf-8").startswith("# Utvärderingsplan")   # its comments too
    for run in range(2):
        nb = nbformat.read(tmp_path / "notebooks" / "alueraportti.ipynb", as_version=4)
        params = next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        assert 'lang: str = "sv"' in params, params
        assert nb.cells[0].source == i18n.t("nb.report.intro", "sv")
        if not run:
            again = _cli("report-notebook", "--project", str(tmp_path), "--force")
            assert again.returncode == 0 and again.stdout.startswith("skrev "), again.stdout

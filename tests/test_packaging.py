"""The project installs as the README says, and its two dependency lists agree."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!\[ ;]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_deps = {_name(d): d.replace(" ", "") for d in project["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {_name(d): d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)}
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    for d in (pip_section[0]["pip"] if pip_section else []):
        if not d.startswith("-"):           # '-e .' installs the project itself
            conda[_name(d)] = d.replace(" ", "")
    conda.pop("python")
    conda.pop("pip")
    assert conda == pip_deps


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make reports" in readme and "make test" in readme
    assert re.search(r"^reports:", make, re.M) and re.search(r"^test:", make, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for folder in ("notebooks/", "osallisuus/", "data/example/", "reports/", "tests/", "benchmarks/"):
        assert folder in readme


@pytest.mark.parametrize("command", [[], ["validate"], ["reports"], ["example"], ["instruments"], ["regions"],
                                     ["plan"], ["audit"]])
def test_every_command_has_help(command):
    res = subprocess.run([sys.executable, "-m", "osallisuus", *command, "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "Usage:" in res.stdout and "Traceback" not in res.stderr


def test_notebook_is_thin_and_clean():
    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / "alueraportti.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    for name in ("region: str", "data_path: str", "lang: str", "suppression_threshold: int", "settings_file: str"):
        assert name in params[0].source
    # thin: no cell holds logic (no def, class, loop or import beyond the package)
    for c in code:
        assert not re.search(r"^\s*(def |class |for |while |import (?!osallisuus))", c.source, re.M), c.source
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_committed_notebook_matches_generator():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_notebook
    finally:
        sys.path.pop(0)
    import nbformat
    built = nbformat.writes(make_notebook.build())
    for path in make_notebook.TARGETS:   # the repository's copy and the one shipped in the package
        assert built.strip() == path.read_text(encoding="utf-8").strip(), path

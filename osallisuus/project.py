"""An evaluation project a person can work in: ``osallisuus init DIR`` and the notebook collection.

``init_project`` makes ``data/``, ``notebooks/`` (copies of the collection shipped in the
package), ``reports/``, ``osallisuus.yaml``, ``koodikirja.yaml`` (the free-text codebook), a
Finnish ``README.fi.md`` and a ``.gitignore`` that keeps data and reports out of git; when
``data/`` already holds answers it also drafts ``arviointisuunnitelma.yaml`` from them and
writes ``notebooks/alueraportti.ipynb`` from the plan, one cell per table or figure
(:mod:`osallisuus.report.notebook`; later :func:`write_project_report_notebook`). It never
overwrites a file.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat

from . import i18n
from .errors import OsallisuusError
from .numbers import format_count
from .settings import Settings, load_settings, package_data

__all__ = ["PROJECT_FILES", "project_files", "PLAN_DRAFT", "CODEBOOK", "notebook_dir", "list_notebooks", "init_project", "load_data",
           "evaluation_plan", "output_path", "response_rates", "PARTICIPANTS_FILE", "write_project_report_notebook",
           "language", "suppression_rule"]

PROJECT_FILES = {"osallisuus.yaml": "osallisuus.yaml", "README.fi.md": "README.fi.md", ".gitignore": "gitignore"}


def project_files(lang: str = "fi") -> dict[str, str]:
    """Target -> package source of a new project's files in ``lang``: the settings' comments and
    ``language:``, and the README (README.sv.md for a Swedish project)."""
    if lang == "fi":
        return dict(PROJECT_FILES)
    return {"osallisuus.yaml": f"osallisuus.{lang}.yaml", f"README.{lang}.md": f"README.{lang}.md",
            ".gitignore": "gitignore"}
PLAN_DRAFT = "arviointisuunnitelma.yaml"
CODEBOOK = "koodikirja.yaml"
NOTEBOOK = "alueraportti.ipynb"    # the region report, written from the plan when there are data
FOLDERS = ("data", "notebooks", "reports")
PARTICIPANTS_FILE = "osallistujat.yaml"


class ProjectError(OsallisuusError):
    """A project folder cannot be created as asked."""


def notebook_dir(lang: str = "fi") -> Path:
    """The folder of the notebook collection shipped in the package, in ``lang``: Finnish in
    ``notebooks/``, Swedish and English in ``notebooks/sv/`` and ``notebooks/en/`` (the same
    notebooks with their text translated; written by ``scripts/make_notebooks.py``)."""
    folder = package_data().parent / "notebooks"
    return folder if i18n.check_lang(lang) == "fi" else folder / lang


def list_notebooks(lang: str = "fi") -> list[tuple[str, str]]:
    """(file name, one-line description) of every notebook of the collection, in order; the
    description in ``lang`` (``nb.desc.<name>`` of the translation table).

    Examples
    --------
    >>> names = [name for name, _ in list_notebooks()]
    >>> "alueraportti.ipynb" in names
    True
    """
    out = []
    for path in sorted(notebook_dir().glob("*.ipynb")):
        key = f"nb.desc.{path.stem}"
        if key in i18n.translations():
            out.append((path.name, i18n.t(key, lang)))
            continue
        meta = nbformat.read(path, as_version=4).metadata.get("osallisuus", {})
        out.append((path.name, meta.get("description", "")))
    return out


def _planned_files(root: Path, lang: str = "fi") -> dict[Path, Path | None]:
    """Target -> package source (None: written from the data)."""
    files: dict[Path, Path | None] = {root / target: package_data("project", source)
                                      for target, source in project_files(lang).items()}
    files[root / CODEBOOK] = package_data("codebooks", "osallisuus_teemat.yaml")
    for path in sorted(notebook_dir(lang).glob("*.ipynb")):
        files[root / "notebooks" / path.name] = path
    return files


def _validated(root: Path):
    """The answers already in ``root/data`` (None if there are none or they are unusable)."""
    from .survey import input_files
    from .validation import validate
    data = root / "data"
    if not data.is_dir() or not input_files(data):
        return None
    report = validate(data, settings=load_settings(root / "osallisuus.yaml"))
    return None if report.exit_code == 2 or report.data.empty else report.data


def _draft_plan(root: Path, data) -> str | None:
    """A plan drafted from the answers already in ``root/data`` (None if there are none)."""
    from .plan import infer_plan, plan_to_yaml
    settings = load_settings(root / "osallisuus.yaml")
    return None if data is None else plan_to_yaml(infer_plan(data, settings), settings.language)


def _largest_region(data) -> str:
    n = data.groupby("region", observed=True)["respondent_id"].nunique()
    return str(n.sort_values(ascending=False, kind="stable").index[0]) if len(n) else ""


def write_project_report_notebook(folder: str | os.PathLike = ".", overwrite: bool = False) -> Path:
    """Write the project's ``notebooks/alueraportti.ipynb`` from its plan: one cell per table or figure.

    The plan is :func:`evaluation_plan`'s (the plan beside the data, ``paths.plan``, the
    project's draft, else one inferred from the data); the ``region`` parameter defaults to the
    region with most respondents.

    Raises
    ------
    ProjectError
        If the notebook exists and ``overwrite`` is False.
    """
    from .report.notebook import write_report_notebook
    settings = load_settings(Path(folder) / "osallisuus.yaml")
    target = settings.root / "notebooks" / NOTEBOOK
    if target.exists() and not overwrite:
        raise ProjectError(f"{target} exists; give --force to write it again from the plan (your edits are lost)")
    plan = evaluation_plan("", settings.file)
    # in the project's language: its headings, notes and the lang parameter's default (a Swedish
    # project's notebook was Finnish and made Finnish reports when run as it was)
    return write_report_notebook(target, plan, settings, _largest_region(load_data("", settings.file).data),
                                 lang=settings.language)


def init_project(folder: str | os.PathLike, lang: str = "fi") -> list[Path]:
    """Create an evaluation project in ``folder`` (created if missing); returns the files written.
    ``lang`` is the project's language: its settings' ``language`` and comments, and its README.

    Raises
    ------
    ProjectError
        If any file it would write exists already (nothing is written then).
    """
    root = Path(folder).resolve()
    if root.exists() and not root.is_dir():
        raise ProjectError(f"{root} is a file, not a folder")
    from .i18n import check_lang
    files = _planned_files(root, check_lang(lang))
    existing = [p for p in [*files, root / PLAN_DRAFT] if p.exists()]
    if existing:
        names = ", ".join(str(p.relative_to(root)) for p in existing)
        raise ProjectError(f"{root} already has {names}; nothing was written (osallisuus init never overwrites "
                           "files: move them away or choose another folder)")
    for name in FOLDERS:
        (root / name).mkdir(parents=True, exist_ok=True)
    written = []
    for target, source in files.items():
        shutil.copyfile(source, target)
        written.append(target)
    data = _validated(root)
    plan = _draft_plan(root, data)
    if plan is not None:
        (root / PLAN_DRAFT).write_text(plan, encoding="utf-8")
        written.append(root / PLAN_DRAFT)
        write_project_report_notebook(root, overwrite=True)     # replaces the copy made above
    return written


def _settings(settings_file: str | os.PathLike | None) -> Settings:
    return load_settings(settings_file or None)


def load_data(data_path: str | os.PathLike | None = "", settings_file: str | os.PathLike | None = ""):
    """Validate the project's answers (default: ``paths.data`` of the settings).

    A relative path is taken from the working directory if it exists there, else from the
    project root, so the same notebook runs in ``notebooks/`` of any project. Returns the
    :class:`~osallisuus.ValidationReport` (``.data`` the accepted answers).
    """
    from .report.context import load_validated, resolve_path
    settings = _settings(settings_file)
    path = resolve_path(data_path or None, settings)
    if not path.exists():
        raise ProjectError(f"no data at {path}: copy the answers there or give data_path")
    return load_validated(path, settings, settings.language)


def evaluation_plan(data_path: str | os.PathLike | None = "", settings_file: str | os.PathLike | None = ""):
    """The project's evaluation plan: ``arviointisuunnitelma.yaml`` beside the data, or
    ``paths.plan`` of the settings, or the project's draft, else one inferred from the data."""
    from .plan import find_plan, infer_plan, load_plan
    from .report.context import resolve_path
    settings = _settings(settings_file)
    path = resolve_path(data_path or None, settings)
    found = find_plan(path, settings)
    if found is None and (settings.root / PLAN_DRAFT).is_file():
        found = settings.root / PLAN_DRAFT
    if found is not None:
        return load_plan(found, settings)
    return infer_plan(load_data(data_path, settings_file).data, settings)


def language(lang: str = "", settings_file: str | os.PathLike | None = "") -> str:
    """The notebook's language: ``lang`` if given, else the project's (``language`` in
    osallisuus.yaml), so a Swedish project's notebooks speak Swedish without a parameter.

    >>> language("sv"), language("")
    ('sv', 'fi')
    """
    from .i18n import check_lang
    return check_lang(lang) if lang else _settings(settings_file).language


def suppression_rule(threshold: int = 0, data_path: str | os.PathLike | None = "",
                     settings_file: str | os.PathLike | None = ""):
    """The protection rule of a notebook, as the project's reports apply it: ``threshold`` if
    given (a whole number of at least 3), else the evaluation plan's beside the data (its
    ``threshold``), else the settings' (``suppression.threshold``, default 5). Notebooks had a
    default of their own, 5, and so showed groups of 5 to 9 in a project whose rule is 10.

    Examples
    --------
    >>> suppression_rule(7).threshold, suppression_rule().threshold
    (7, 5)
    """
    from .plan import find_plan, load_plan
    from .report.context import resolve_path
    from .suppression import Suppression
    settings = _settings(settings_file)
    if not threshold:
        found = find_plan(resolve_path(data_path or None, settings), settings)
        threshold = load_plan(found, settings).threshold if found else None
    return Suppression.from_settings(settings, threshold or None)


def output_path(name: str, settings_file: str | os.PathLike | None = "") -> Path:
    """``name`` inside the project's reports folder (``paths.reports``), which is created.

    Notebooks write their tables and files only here (never beside the data).
    """
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise ProjectError(f"{name}: give a name inside the reports folder, not a path out of it")
    folder = _settings(settings_file).path("reports")
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def _percent(respondents: int, participants: int) -> str:
    """Share in whole percent, rounded half up (Decimal, not float formatting)."""
    from decimal import ROUND_HALF_UP, Decimal
    return f"{(Decimal(100 * respondents) / Decimal(participants)).quantize(Decimal(1), ROUND_HALF_UP)} %"


def response_rates(data, data_path: str | os.PathLike | None = "", settings_file: str | os.PathLike | None = "",
                   by=("phase", "role"), suppression=None):
    """Respondents, participants invited (``osallistujat.yaml`` beside the data) and the response
    rate per group of ``by`` (columns of that file: region, phase, role). A group with fewer
    respondents than the threshold shows the symbol ("<5") and no rate; without a participants
    file the rate column is empty.

    Examples
    --------
    The rates are respondents / participants, e.g. 45 of 60 invited: ``_percent(45, 60)`` is '75 %'.

    >>> _percent(45, 60), _percent(1, 8)
    ('75 %', '13 %')
    """
    import pandas as pd

    from .fileio import read_yaml_file
    from .interactive import as_suppression, prepare
    from .report.context import resolve_path
    sup = as_suppression(suppression)
    by = [by] if isinstance(by, str) else list(by)
    data = prepare(data)
    n = data.groupby(by, observed=True)["respondent_id"].nunique()
    folder = resolve_path(data_path or None, _settings(settings_file))
    file = (folder if folder.is_dir() else folder.parent) / PARTICIPANTS_FILE
    invited = pd.Series(dtype=float)
    if file.is_file():
        doc = read_yaml_file(file) or {}
        invited = pd.DataFrame(doc.get("participants", [])).groupby(by)["participants"].sum()
    rows = []
    for key, count in n.items():
        key = key if isinstance(key, tuple) else (key,)
        asked = invited.get(key if len(key) > 1 else key[0]) if len(invited) else None
        small = bool(sup.is_small(int(count)))
        rows.append([*key, sup.symbol if small else format_count(count), "" if asked is None else format_count(asked),
                     "" if small or not asked else _percent(int(count), int(asked))])
    return pd.DataFrame(rows, columns=[*by, "respondents", "participants", "response_rate"])

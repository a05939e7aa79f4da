"""The region-report notebook, written from an evaluation plan: one visible call per table or figure.

:func:`report_notebook` writes the notebook the batch (``osallisuus reports``) executes for
every region: a parameters cell, one cell that prepares the report, and then for each section
of ``report_layout.yaml`` a markdown heading, the section's opening (``report.intro(...)``) and
one cell per table or figure with its arguments, e.g.
``report.view("likert_table", instrument="...", phase="final")``. An evaluator drops a table by
deleting its cell and adds one by writing another call; the exporters collect what the cells
show, in their order. Which views a phase shows comes from the plan's instruments and each
instrument's ``report.show`` (:func:`~osallisuus.report.views.views_for`); without a plan the
notebook shows whole sections (``report.section(...)``).

``osallisuus init`` writes this notebook from the project's plan; the batch runs the project's
notebook if there is one, and otherwise this one written from the plan it finds beside the data.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .. import i18n
from ..instruments import load_instrument
from ..plan import EvaluationPlan
from ..settings import Settings
from ..vocab import PHASES
from .sections import layout
from .tests import GROUPS
from .views import views_for

__all__ = ["report_notebook", "write_report_notebook", "finish", "SECTION_PARTS", "DESCRIPTION"]

#: the notebook's description (its metadata; ``osallisuus notebooks`` shows it in the user's language)
DESCRIPTION = i18n.t("nb.desc.alueraportti", "fi")

#: tables and figures a section makes on its own (not per instrument), in report order
SECTION_PARTS = {"design": ("design_table",), "practice": ("practice_table",),
                 "appendix": ("instruments_table", "versions_table", "parameters_table")}
CHANGE_PARTS = ("change_table", "trajectory_figure", "ordinal_table")
ROLE_PARTS = ("role_table", "role_figure")

# the parameters cell; its comments in the notebook's language (nb.report.param.* in the translations)
PARAMETERS = ("{head}\n"
              'region: str = "{region}"  # {region_note}\n'
              'data_path: str = ""  # {data_note}\n'
              'lang: str = "{lang}"  # {lang_note}\n'
              "suppression_threshold: int = 0  # {threshold_note}\n"
              'settings_file: str = ""  # {settings_note}')


def _parameters(region: str, lang: str) -> str:
    notes = {f"{key}_note": i18n.t(f"nb.report.param.{key}", lang)
             for key in ("region", "data", "lang", "threshold", "settings")}
    return PARAMETERS.format(head=i18n.t("nb.report.param.head", lang), region=region, lang=lang, **notes)


SETUP = ("import osallisuus\n\n"
         "report = osallisuus.RegionReport(region, data_path, lang=lang,\n"
         "                                 suppression_threshold=suppression_threshold or None,\n"
         "                                 settings=osallisuus.load_settings(settings_file or None))")


def _call(method: str, name: str, instrument: str | None = None, phase: str | None = None) -> str:
    args = [repr(name).replace("'", '"')]
    args += [f'instrument="{instrument}"'] if instrument else []
    args += [f'phase="{phase}"'] if phase else []
    return f"report.{method}({', '.join(args)})"


def _heading(name: str, lang: str) -> str:
    if name in PHASES:
        title = i18n.phase_label(name, lang)
    else:
        title = i18n.t(f"rep.h.{name}" if name not in ("header",) else f"nb.report.h.{name}", lang)
    return f"## {title}\n\n*{i18n.t(f'nb.report.{name}', lang)}*"


def _rated(inst_id: str, settings: Settings | None) -> bool:
    return load_instrument(inst_id, settings).answer == "rating"


def _view_calls(name: str, plan: EvaluationPlan, settings: Settings | None) -> list[str]:
    """The ``report.view`` calls of section ``name`` the plan implies (in report order)."""
    if name in PHASES:
        return [_call("view", v, i, name) for i in plan.instruments(name)
                for v in views_for(load_instrument(i, settings))]
    if name == "change":
        phases_of = {i: [p for p in PHASES if i in plan.instruments(p)] for p in PHASES for i in plan.instruments(p)}
        return [_call("view", v, i) for i, ps in phases_of.items() if len(ps) >= 2 and _rated(i, settings)
                for v in CHANGE_PARTS]
    if name == "roles":
        roles_of = {p: set(plan.phases[p].roles) if p in plan.phases else set() for p in PHASES}
        return [_call("view", v, i, p) for p in PHASES if set(GROUPS) <= roles_of[p] or not roles_of[p]
                for i in plan.instruments(p) if load_instrument(i, settings).answer != "text" for v in ROLE_PARTS]
    return [_call("view", v) for v in SECTION_PARTS.get(name, ())]


def _section_cells(name: str, plan: EvaluationPlan | None, settings: Settings | None, lang: str) -> list:
    note = {"tags": ["remove_cell"]}
    cells = [new_markdown_cell(_heading(name, lang), metadata=note)]
    calls = _view_calls(name, plan, settings) if plan is not None else []
    has_parts = name in PHASES or name in ("change", "roles") or name in SECTION_PARTS
    if plan is None or not has_parts:
        return cells + [new_code_cell(_call("section", name))]
    return cells + [new_code_cell(_call("intro", name))] + [new_code_cell(c) for c in calls]


def _intro(lang: str) -> str:
    return i18n.t("nb.report.intro", lang)


def report_notebook(plan: EvaluationPlan | None = None, settings: Settings | None = None, region: str = "",
                    lang: str = "fi") -> nbformat.NotebookNode:
    """The region-report notebook for ``plan`` (None: one cell per whole section).

    Parameters
    ----------
    plan : EvaluationPlan, optional
        Its phases' instruments decide the views; None gives ``report.section(...)`` cells.
    settings : Settings, optional
        Where instrument definitions are looked up.
    region : str
        Default of the ``region`` parameter (a region of the data, so the notebook runs as is).
    lang : {'fi', 'sv', 'en'}
        Language of the notebook's headings and notes.

    Examples
    --------
    >>> nb = report_notebook()
    >>> [c.source for c in nb.cells if c.cell_type == "code"][2:4]
    ['report.section("header")', 'report.section("design")']
    """
    note = {"tags": ["remove_cell"]}
    cells = [new_markdown_cell(_intro(lang), metadata=note),
             new_code_cell(_parameters(region, lang), metadata={"tags": ["parameters"]}),
             new_code_cell(SETUP, metadata=note)]
    for name in layout():
        if plan is not None and plan.source and name in PHASES and name not in plan.phases:
            continue            # a phase the project's plan does not have: no section
        cells.extend(_section_cells(name, plan, settings, lang))
    return finish(cells, DESCRIPTION)


def finish(cells: list, description: str) -> nbformat.NotebookNode:
    """A notebook of ``cells`` with stable cell ids, the kernelspec papermill needs and a description."""
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:02d}"  # stable ids: regenerating gives the same file
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["osallisuus"] = {"description": description}
    return nb


def write_report_notebook(path: str | Path, plan: EvaluationPlan | None = None, settings: Settings | None = None,
                          region: str = "", lang: str = "fi") -> Path:
    """Write :func:`report_notebook` to ``path`` (without outputs); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(report_notebook(plan, settings, region, lang), path)
    return path

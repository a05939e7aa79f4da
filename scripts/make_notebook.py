"""Write the region-report notebook (run after changing its cells; committed without outputs).

The notebook ships inside the package (``osallisuus/notebooks/alueraportti.ipynb``) so a
pip-installed project has it, and this repository keeps the same file in ``notebooks/`` for
JupyterLab and the papermill examples of the README (a test checks the two are identical).
Kept as code so the notebook stays thin and its JSON reviewable: ``python scripts/make_notebook.py``.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
TARGETS = [ROOT / "osallisuus" / "notebooks" / "alueraportti.ipynb", ROOT / "notebooks" / "alueraportti.ipynb"]

PARAMETERS = '''\
# Parameters: papermill injects new values in a cell after this one.
region: str = "Keski-Suomi"  # region name, id or alias (list: `osallisuus regions`)
data_path: str = ""  # answers: CSV/XLSX file or folder (empty: paths.data of the settings); relative paths start at the project root
lang: str = "fi"  # report language: fi, sv or en
suppression_threshold: int = 0  # groups and cells with fewer respondents are not shown (0: plan or settings, 5)
settings_file: str = ""  # project settings (osallisuus.yaml); empty: the nearest one upwards'''

INTRO = """# Alueraportti / Regional report

Run in JupyterLab: set the parameters below and *Run All*. In batch: `osallisuus reports`, or
`papermill alueraportti.ipynb out.ipynb -p region Lappi`.

Every number comes from the `osallisuus` library. The first code cell reads and checks the data
once, applies the evaluation plan and the suppression rule, and builds every section, so the
numbers of tables and figures stay the same if you run a cell again. Each later cell shows one
section; delete a cell to leave a section out, or add your own cells (their output goes into the
report too). The cells in *italics* below are notes for you and are not printed in the report."""

SECTIONS = [
    ("header", "Title, date and a notice if the data are synthetic."),
    ("design", "Phases, instruments and respondents per role, with response rates when participant "
               "counts are given (`osallistujat.yaml`). Groups under the threshold are left out entirely."),
    ("baseline", "Baseline (alkuarviointi): every instrument answered in this phase, shown the way its "
                 "YAML says (`report.show`): answer distributions, figures, scores with intervals."),
    ("interim", "Interim (väliarviointi): the same for the instruments of the middle phase."),
    ("final", "Final (loppuarviointi): the same for the final phase; scores of every region side by side."),
    ("change", "Change between the first and last phase an instrument was answered in: paired tests for "
               "linked respondents, a trajectory figure and an ordinal model."),
    ("roles", "Clients compared with professionals (Mann–Whitney, rank-biserial r, Holm-adjusted p)."),
    ("voices", "Participants' own words: a spread of redacted quotes per phase."),
    ("practice", "The evaluator's promising-practice assessment (`lupaava_kaytanto/<region>.yaml`)."),
    ("conclusions", "The main findings: primary outcomes of the plan and the differences found."),
    ("appendix", "Methods, data quality, instruments and their sources, package versions, parameters."),
]


DESCRIPTION = "Alueraportti: yhden alueen arviointiraportti osio kerrallaan (myös `osallisuus reports`)"


def build() -> nbformat.NotebookNode:
    note = {"tags": ["remove_cell"]}
    cells = [
        new_markdown_cell(INTRO, metadata=note),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\n\n"
                      "report = osallisuus.RegionReport(region, data_path, lang=lang,\n"
                      "                                 suppression_threshold=suppression_threshold or None,\n"
                      "                                 settings=osallisuus.load_settings(settings_file or None))",
                      metadata=note),
    ]
    for name, text in SECTIONS:
        cells.append(new_markdown_cell(f"*{name}: {text}*", metadata=note))
        cells.append(new_code_cell(f'report.section("{name}")'))
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


if __name__ == "__main__":
    nb = build()
    for path in TARGETS:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        print(f"wrote {path}")

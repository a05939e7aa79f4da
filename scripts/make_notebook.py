"""Write notebooks/alueraportti.ipynb (run once after changing the sections; the
committed notebook carries no outputs). Kept as code so the notebook stays thin and
its JSON reviewable: `python scripts/make_notebook.py`."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

PARAMETERS = '''\
# Parameters: papermill injects new values in a cell after this one.
region: str = "Keski-Suomi"  # region name, id or alias (list: `osallisuus regions`)
data_path: str = "data/example"  # answers: CSV/XLSX file or folder; relative paths start at the project root
lang: str = "fi"  # report language: fi, sv or en
suppression_threshold: int = 5  # groups and cells with fewer respondents are not shown
output_dir: str = "reports"  # folder for the participants' page (the batch writes HTML/PDF there too)'''

SECTIONS = ["design", "baseline", "interim", "final", "change", "roles", "voices", "practice",
            "conclusions", "appendix"]


def build() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(
            "# Alueraportti / Regional report\n\n"
            "Run in JupyterLab: set the parameters below and *Run All*. In batch: "
            "`osallisuus reports` or `papermill notebooks/alueraportti.ipynb out.ipynb -p region Lappi`.\n"
            "Every number comes from the `osallisuus` library; this notebook only shows the sections.",
            metadata={"tags": ["remove_cell"]}),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell("import osallisuus\n\n"
                      "report = osallisuus.RegionReport(region, data_path, lang=lang,\n"
                      "                                 suppression_threshold=suppression_threshold)\n"
                      "report.header()"),
    ]
    cells += [new_code_cell(f"report.{name}()") for name in SECTIONS]
    cells.append(new_code_cell("report.write_participant_page(output_dir)", metadata={"tags": ["remove_cell"]}))
    for i, cell in enumerate(cells):
        cell.id = f"cell-{i:02d}"  # stable ids: regenerating gives the same file
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


if __name__ == "__main__":
    path = ROOT / "notebooks" / "alueraportti.ipynb"
    nbformat.write(build(), path)
    print(f"wrote {path}")

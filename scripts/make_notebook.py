"""Write the region-report notebook (run after changing its cells; committed without outputs).

The notebook ships inside the package (``osallisuus/notebooks/alueraportti.ipynb``) so a
pip-installed project has it, and this repository keeps the same file in ``notebooks/`` for
JupyterLab and the papermill examples of the README (a test checks the two are identical).
This is the notebook without a plan: one cell per section. With a plan, the package writes
one cell per table or figure (:mod:`osallisuus.report.notebook`: ``osallisuus init`` with data,
``osallisuus report-notebook``, and the batch when a plan lies beside the data).
``python scripts/make_notebook.py``.
"""
from pathlib import Path

import nbformat

from osallisuus.report.notebook import finish, report_notebook  # noqa: F401  (finish: used by make_notebooks)

ROOT = Path(__file__).resolve().parents[1]
TARGETS = [ROOT / "osallisuus" / "notebooks" / "alueraportti.ipynb", ROOT / "notebooks" / "alueraportti.ipynb"]
DEFAULT_REGION = "Keski-Suomi"   # a region of the bundled example, so the notebook runs as it is


def build(lang: str = "fi") -> nbformat.NotebookNode:
    return report_notebook(None, region=DEFAULT_REGION, lang=lang)


if __name__ == "__main__":
    nb = build()
    for path in TARGETS:
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        print(f"wrote {path}")

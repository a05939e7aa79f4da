"""The programs the exporters run, both installed with the package as wheels: pandoc
(``pypandoc-binary``: Word, and a notebook's own HTML cells for the PDF) and Typst (``typst``:
the PDF, and Word's SVG figures as PNG)."""
from __future__ import annotations

from ..errors import ExportError

__all__ = ["pandoc_path", "typst_module", "PANDOC_TIMEOUT"]

PANDOC_TIMEOUT = 300   # seconds one pandoc run may take


def pandoc_path(purpose: str) -> str:
    """The pandoc executable.

    Raises
    ------
    ExportError
        If pandoc is missing; the message says what ``purpose`` needs it.
    """
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise ExportError(f"{purpose} needs pandoc (pip install pypandoc-binary): {exc}") from None


def typst_module(purpose: str):
    """The ``typst`` module (its ``compile`` and ``TypstError``).

    Raises
    ------
    ExportError
        If Typst is missing; the message says what ``purpose`` needs it.
    """
    try:
        import typst
        return typst
    except ImportError as exc:   # pragma: no cover - a dependency of the package
        raise ExportError(f"{purpose} needs Typst (pip install typst): {exc}") from None

"""The programs the exporters run, both installed with the package as wheels: pandoc
(``pypandoc-binary``: Word, and a notebook's own HTML cells for the PDF) and Typst (``typst``:
the PDF, and Word's SVG figures as PNG)."""
from __future__ import annotations

from pathlib import Path

from ..errors import ExportError

__all__ = ["pandoc_path", "run_pandoc", "typst_module", "typst_fonts", "PANDOC_TIMEOUT"]

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


def run_pandoc(args: list[str], data: bytes, purpose: str) -> bytes:
    """What pandoc writes to standard output, run with ``args`` on ``data``.

    Raises
    ------
    ExportError
        If pandoc is missing, fails or takes longer than :data:`PANDOC_TIMEOUT`; the message
        says what ``purpose`` it was run for, with the end of pandoc's own message.
    """
    import subprocess
    try:
        res = subprocess.run([pandoc_path(purpose), *args], input=data, capture_output=True, timeout=PANDOC_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportError(f"{purpose}: pandoc could not run: {exc}") from None
    if res.returncode != 0:
        message = " ".join(res.stderr.decode("utf-8", "replace").strip().splitlines()[-3:])
        raise ExportError(f"{purpose}: pandoc failed (exit {res.returncode}): {message}")
    return res.stdout


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


def typst_fonts() -> list[str]:
    """Font folders Typst reads besides the system's: matplotlib's own, with DejaVu Sans (the
    PDF's last choice of font and the figures' font) and DejaVu Sans Mono.

    A machine without fonts of its own (a slim container, a CI runner) would otherwise get
    Typst's built-in serif for the report's text and lose the figures' font; with matplotlib's
    fonts, which are installed wherever osallisuus is, the PDF and Word's figure images look the
    same everywhere. Typst takes folders, not single files; scanning this one costs a Typst run
    about 10 ms.
    """
    import matplotlib
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return [str(folder)] if folder.is_dir() else []

"""The exporter interface."""
from __future__ import annotations

from pathlib import Path

__all__ = ["Exporter"]


class Exporter:
    """Base class of an output format.

    Subclasses set ``name`` and ``extension`` and implement :meth:`export`, which writes the
    whole file atomically (a reader never sees half a file) and returns its path.
    """

    name: str = ""
    extension: str = ""

    def export(self, document, path: Path) -> Path:  # pragma: no cover - interface
        raise NotImplementedError

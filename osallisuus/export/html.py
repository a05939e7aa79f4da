"""HTML: one self-contained, accessible page (images as data: URIs, nothing loaded from the network)."""
from __future__ import annotations

from pathlib import Path

from ..fileio import atomic_write_text
from .base import Exporter

__all__ = ["HTMLExporter"]


class HTMLExporter(Exporter):
    name = "html"
    extension = ".html"

    def export(self, document, path: Path) -> Path:
        return atomic_write_text(path, document.html())

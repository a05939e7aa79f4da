"""The report's sections: one small module each, registered by name, ordered by data.

The order comes from ``osallisuus/data/report_layout.yaml``; the entry ``phases`` stands for
one section per evaluation phase in the vocabulary's order. A section function takes the
:class:`~osallisuus.report.context.ReportContext` and returns a
:class:`~osallisuus.report.model.Section`. Adding a section is one module with a
``@section("name")`` function and one line in the layout.
"""
from __future__ import annotations

import functools
import importlib
from typing import Callable


from ...errors import ReportError
from ...fileio import load_yaml
from ...settings import package_data
from ...vocab import PHASES

__all__ = ["SECTIONS", "section", "layout", "section_function"]

SECTIONS: dict[str, Callable] = {}
_MODULES = ("header", "design", "phase", "change", "roles", "voices", "practice", "closing")


def section(name: str):
    """Register ``f(ctx) -> Section`` as section ``name``."""
    def deco(func):
        SECTIONS[name] = func
        return func
    return deco


@functools.lru_cache(maxsize=1)
def _load() -> None:
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")


def section_function(name: str) -> Callable:
    _load()
    if name in PHASES:
        from .phase import phase_section
        return functools.partial(phase_section, phase=name)
    try:
        return SECTIONS[name]
    except KeyError:
        raise ReportError(f"unknown report section {name!r}; sections: {', '.join([*SECTIONS, *PHASES])}") from None


def layout(path=None) -> list[str]:
    """Section names in report order (``phases`` expanded to one per phase)."""
    _load()
    file = path or package_data("report_layout.yaml")
    doc = load_yaml(file)
    names: list[str] = []
    for entry in doc["sections"]:
        names.extend(PHASES if entry == "phases" else [entry])
    for name in names:
        section_function(name)   # unknown names fail here, naming the file's entry
    return names

"""The project's vocabulary, defined once: evaluation phases, respondent roles and languages.

They come from ``osallisuus/data/vocabulary.yaml`` (codes, labels in every language and the
spellings accepted on input); every module takes them from here.

>>> from osallisuus.vocab import PHASES, LANGUAGES
>>> PHASES
('baseline', 'interim', 'final')
>>> LANGUAGES
('fi', 'sv', 'en')
"""
from __future__ import annotations

import functools
from importlib import resources
from typing import Any

from .fileio import safe_load

__all__ = ["LANGUAGES", "PHASES", "ROLES", "vocabulary"]


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The parsed ``vocabulary.yaml``."""
    text = resources.files("osallisuus").joinpath("data", "vocabulary.yaml").read_text(encoding="utf-8")
    return safe_load(text)


LANGUAGES: tuple[str, ...] = tuple(vocabulary()["languages"])
PHASES: tuple[str, ...] = tuple(vocabulary()["phases"])
ROLES: tuple[str, ...] = tuple(vocabulary()["roles"])

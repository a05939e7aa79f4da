"""User-facing text in Finnish, Swedish and English, from translation tables.

All text that a user reads (report headings, captions, sentences, validation
messages) comes from ``osallisuus/data/translations.yaml`` through :func:`t`.
Labels of phases, roles, regions, scales and items come from their own data
files (``vocabulary.yaml``, ``regions.yaml``, instrument files).
"""
from __future__ import annotations

import functools
from typing import Any

import yaml

from . import numbers
from .errors import OsallisuusError
from .settings import LANGUAGES, package_data


class TranslationError(OsallisuusError):
    """A translation key is unknown or a language is not supported."""


@functools.lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, str]]:
    """The whole translation table: key -> {fi, sv, en}."""
    return yaml.safe_load(package_data("translations.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    return yaml.safe_load(package_data("vocabulary.yaml").read_text(encoding="utf-8"))


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise TranslationError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return lang


def t(key: str, lang: str = "fi", /, **values: Any) -> str:
    """Text ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Numbers passed through :func:`fmt_number` first get the language's decimal sign.
    """
    check_lang(lang)
    try:
        text = translations()[key][lang]
    except KeyError:
        raise TranslationError(f"no translation for {key!r} in {lang!r}") from None
    return text.format(**values) if values else text


def fmt_number(x: float | None, lang: str = "fi", decimals: int = 1) -> str:
    """A number as the language writes it, rounded half up: see :func:`osallisuus.numbers.format_number`.

    Decimal comma in fi and sv, point in en; a real minus sign; '–' for none.
    """
    return numbers.format_number(x, check_lang(lang), decimals)


def fmt_percent(x: float | None, lang: str = "fi", decimals: int = 0) -> str:
    """A share 0..1 as a percentage ('63 %' in fi and sv, '63%' in en), rounded half up:
    see :func:`osallisuus.numbers.format_percent`."""
    return numbers.format_percent(x, check_lang(lang), decimals)


def phase_label(phase: str, lang: str = "fi") -> str:
    return vocabulary()["phases"][phase]["label"][check_lang(lang)]


def role_label(role: str, lang: str = "fi", plural: bool = True) -> str:
    entry = vocabulary()["roles"][role]
    return (entry["label"] if plural else entry["label_one"])[check_lang(lang)]


def phases() -> list[str]:
    return list(vocabulary()["phases"])


def roles() -> list[str]:
    return list(vocabulary()["roles"])

"""User-facing text in Finnish, Swedish and English, from translation tables.

All text that a user reads (report headings, captions, sentences, validation
messages) comes from ``osallisuus/data/translations.yaml`` through :func:`t`.
Labels of phases, roles, regions, scales and items come from their own data
files (``vocabulary.yaml``, ``regions.yaml``, instrument files).
"""
from __future__ import annotations

import functools
from typing import Any

from . import numbers
from .errors import InputFileError, OsallisuusError
from .fileio import safe_load
from .settings import package_data
from .vocab import LANGUAGES, PHASES, ROLES
from .vocab import vocabulary as _vocabulary


class TranslationError(OsallisuusError):
    """A translation key is unknown or a language is not supported."""


@functools.lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, str]]:
    """The whole translation table: key -> {fi, sv, en}.

    ``translations.yaml`` plus every file in ``translations/`` (one per part of the package);
    a key defined twice is an error, so no file silently overrides another.
    """
    table = safe_load(package_data("translations.yaml").read_text(encoding="utf-8"))
    folder = package_data("translations")
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        part = safe_load(path.read_text(encoding="utf-8")) or {}
        twice = sorted(set(part) & set(table))
        if twice:
            raise TranslationError(f"{path.name}: keys already defined elsewhere: {', '.join(twice)}")
        table.update(part)
    return table


def vocabulary() -> dict[str, Any]:
    return _vocabulary()


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


def t_count(key: str, lang: str, count: int, /, **values: Any) -> str:
    """:func:`t` of ``key``, or of ``key.one`` when ``count`` is 1 and the table has that text: a
    sentence about one thing ("the test of the primary outcome", not "the 1 tests").

    Examples
    --------
    >>> t_count("cli.instrument_ok", "en", 1, file="a.yaml", instrument="x", n=1, scale="s")
    'a.yaml: OK (x, 1 item, scale s)'
    """
    one = f"{key}.one"
    return t(one if count == 1 and one in translations() else key, lang, **values)


def fmt_number(x: float | None, lang: str = "fi", decimals: int = 1) -> str:
    """A number as the language writes it, rounded half up: see :func:`osallisuus.numbers.format_number`.

    Decimal comma in fi and sv, point in en; a real minus sign; '–' for none.
    """
    return numbers.format_number(x, check_lang(lang), decimals)


def fmt_percent(x: float | None, lang: str = "fi", decimals: int = 0) -> str:
    """A share 0..1 as a percentage ('63 %' in fi and sv, '63%' in en), rounded half up:
    see :func:`osallisuus.numbers.format_percent`."""
    return numbers.format_percent(x, check_lang(lang), decimals)


def fmt_date(date, lang: str = "fi") -> str:
    """A date as the language writes it ('24.11.2026' in fi and sv, '24 November 2026' in en:
    a reader abroad does not misread day and month); the month forms and the order come from
    the translation table (``date.months``, ``date.format``).

    Examples
    --------
    >>> import datetime
    >>> fmt_date(datetime.date(2026, 11, 4), "fi"), fmt_date(datetime.date(2026, 11, 4), "en")
    ('4.11.2026', '4 November 2026')
    """
    month = t("date.months", lang).split()[date.month - 1]
    return t("date.format", lang, day=date.day, month=month, year=date.year)


def phase_label(phase: str, lang: str = "fi") -> str:
    return vocabulary()["phases"][phase]["label"][check_lang(lang)]


def file_error(path, key: str, **params) -> InputFileError:
    """An :class:`~osallisuus.errors.InputFileError` whose reason is ``key`` of the translation
    table: English in ``str(error)``, any language from :func:`error_text`."""
    return InputFileError(path, t(key, "en", **params), key=key, params=params)


def error_text(error: InputFileError, lang: str) -> str:
    """A file error's message in ``lang``, the file first (a Finnish run says it in Finnish)."""
    return f"{error.path}: {t(error.key, lang, **error.params)}" if error.key else str(error)


def phase_in_sentence(phase: str, lang: str = "fi", case: str = "") -> str:
    """The phase as a sentence names it ('slututvärderingen', 'the final evaluation'): the
    vocabulary's ``in_sentence``, else the label in lower case. ``case`` 'from' or 'to' gives
    the form after "from"/"to" where a language inflects it (``from_sentence``/``to_sentence``:
    Finnish 'alkuarvioinnista', 'loppuarviointiin').

    >>> phase_in_sentence("baseline", "fi", "from"), phase_in_sentence("final", "fi", "to")
    ('alkuarvioinnista', 'loppuarviointiin')
    >>> phase_in_sentence("final", "sv", "to")
    'slututvärderingen'
    """
    entry = vocabulary()["phases"][phase]
    lang = check_lang(lang)
    if case:
        form = (entry.get(f"{case}_sentence") or {}).get(lang)
        if form:
            return form
    return (entry.get("in_sentence") or {}).get(lang) or entry["label"][lang].lower()


def role_label(role: str, lang: str = "fi", plural: bool = True) -> str:
    entry = vocabulary()["roles"][role]
    return (entry["label"] if plural else entry["label_one"])[check_lang(lang)]


def phases() -> list[str]:
    return list(PHASES)


def roles() -> list[str]:
    return list(ROLES)

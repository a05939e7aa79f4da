"""Redaction of personal data in free-text answers before they appear in any report.

Respondents sometimes write phone numbers, e-mail addresses, names or personal
identity codes into comments. :func:`redact` replaces them with a marker such as
``[puhelinnumero]`` in the report's language. It is a safety net, not a guarantee:
the methods appendix says so, and evaluators still read the quotes before publishing.
"""
from __future__ import annotations

import functools
import html
import re

from . import i18n
from .settings import package_data

_PATTERNS = [
    # Finnish personal identity code (henkilötunnus): DDMMYY, century sign, 3 digits, check char
    ("hetu", re.compile(r"\b\d{6}[-+ABCDEFYXWVU]\d{3}[0-9A-Y]\b")),
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")),
    ("url", re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)),
    # phone numbers: +358 40 123 4567, 040-123 4567, 0401234567, (09) 123 456
    ("phone", re.compile(r"(?<!\w)(\+358[\s-]?|\(?0\d{1,2}\)?[\s-]?)\d{2,4}([\s-]?\d{2,4}){1,3}(?!\w)")),
    # street address: Koulukatu 5 B 12, Rantatie 3, Storgatan 4
    ("address", re.compile(r"\b[A-ZÅÄÖ][a-zåäö]+(katu|tie|polku|kuja|raitti|väylä|gatan|vägen)\s+\d+(\s*[A-Z]\b)?(\s*\d+)?")),
]


@functools.lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    lines = package_data("first_names.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@functools.lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    names = "|".join(sorted(map(re.escape, _first_names()), key=len, reverse=True))
    # a known first name, optionally followed by a capitalised surname
    return re.compile(rf"\b({names})\b(\s+[A-ZÅÄÖ][\wåäöÅÄÖ-]+)?")


def redact(text: str, lang: str = "fi") -> str:
    """Replace personal data in ``text`` with markers like ``[nimi]``.

    Examples
    --------
    >>> redact("Soita Maija Meikäläiselle 040 123 4567 tai maija@example.fi")
    'Soita [nimi] [puhelinnumero] tai [sähköposti]'
    """
    if not text:
        return text
    out = text
    for kind, pattern in _PATTERNS:
        out = pattern.sub(f"[{i18n.t('priv.' + kind, lang)}]", out)
    out = _name_pattern().sub(f"[{i18n.t('priv.name', lang)}]", out)
    return out


def safe_quote(text: str, lang: str = "fi") -> str:
    """A free-text answer ready for HTML: redacted, then escaped."""
    return html.escape(redact(str(text), lang))

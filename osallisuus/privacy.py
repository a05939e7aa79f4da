"""Redaction of personal data in free-text answers before they appear in any report.

Respondents sometimes write names, phone numbers, e-mail addresses, identity codes or
addresses into comments. :func:`redact` replaces each with a marker such as
``[puhelinnumero]`` in the report's language (``priv.*`` in the translation table).
It is a safety net, not a guarantee: the methods appendix says so, and evaluators still
read the quotes before publishing.

Two kinds of detector run on the original text and their findings are merged:

* **Patterns** for data with a fixed shape: henkilötunnus (every century sign, including
  ``Y X W V U`` and ``B C D E F`` introduced in 2023), e-mail with its disguises
  (``(at)``, ``[at]``, ``(a)``, `` at `` / `` dot ``), web addresses and social-media
  profiles, handles (``@name``), IBAN, Finnish and Nordic phone numbers (+358, +46, +47,
  +45 and domestic), customer and other personal numbers, licence plates, street
  addresses in inflected forms (``Koulukadulla 5``, ``Rantatieltä 3 B``) and postal
  codes with their town.
* **Person names** by the Finnish morphological analyser Voikko, whose dictionary knows
  first names and surnames (``etunimi``, ``sukunimi``) in every inflected form
  (``Virtasen``, ``Korhoselle``), in capitals too. A word that is also an ordinary word
  (*Anna* "give", *Onni* "luck", *Satu* "tale") is a name only when written with a
  capital inside a sentence or next to another name; at the start of a sentence it is
  kept. A capitalised word after a title (``sosiaalityöntekijä Virtanen``, ``kurator
  Wikström``) is a name even when the analyser does not know it, and so is a
  capitalised word after a first name (a surname). Words the analyser does not know are
  tried without a Finnish case ending (``Mattille``). Swedish names Voikko lacks, titles,
  kept words and number labels are data (``osallisuus/data/redaction.yaml``).

Place names (``paikannimi``) alone are *not* redacted: the region of a report is public
and a municipality or country named in passing ("asun Hämeenlinnassa") is no personal
datum; a town after a postal code is redacted with the code.

Voikko is required, not optional: without it person names would pass unredacted, so
:func:`redact` raises :class:`~osallisuus.errors.PrivacyError` naming the packages to
install (``pip install libvoikko`` and the C library with its Finnish dictionary, on
Debian/Ubuntu ``apt-get install libvoikko1 voikko-fi``) instead of silently doing less.

References
----------
Voikko, free linguistic software for Finnish: https://voikko.puimula.org/
Digital and Population Data Services Agency (DVV): the personal identity code and the
century signs added on 1 January 2023.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from . import i18n
from .errors import PrivacyError
from .fileio import safe_load
from .settings import package_data
from .vocab import LANGUAGES

__all__ = ["redact", "redacted_quote", "safe_quote", "quote_language", "find_personal_data", "Finding", "analyser_available", "is_person_name"]

PERSON_CLASSES = frozenset({"etunimi", "sukunimi"})
NAME_CLASSES = PERSON_CLASSES | {"paikannimi"}
INSTALL_HINT = ("redaction of names needs the Finnish morphological analyser Voikko: "
                "pip install libvoikko, and its C library with the Finnish dictionary "
                "(Debian/Ubuntu: apt-get install libvoikko1 voikko-fi; macOS: brew install libvoikko)")

# Finnish case endings tried on capitalised words the analyser does not know ("Mattille")
_ENDINGS = ("ineen", "ltä", "lta", "llä", "lla", "lle", "ssä", "ssa", "stä", "sta", "ksi",
            "ttä", "tta", "nä", "na", "tä", "ta", "in", "n", "a", "ä", "s")
_CONJUNCTIONS = frozenset({"ja", "sekä", "tai", "och", "eller", "and", "or"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(^|[.!?:;\n•*]|\s[-–])\s*[\"'“”«(]*\s*$")
_OPENING = "\"'“”«("   # the quotes and brackets _SENTENCE_END allows after the end of a sentence


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: ``text[start:end]`` is of ``kind`` (a ``priv.*`` key)."""

    start: int
    end: int
    kind: str


# ------------------------------------------------------------------------- data and analyser
@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return safe_load(package_data("redaction.yaml").read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _keep() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["keep"])


@functools.lru_cache(maxsize=1)
def _swedish_names() -> frozenset[str]:
    return frozenset(_data()["swedish_names"])


@functools.lru_cache(maxsize=1)
def _voikko():
    try:
        import libvoikko
    except ImportError:
        raise PrivacyError(f"{INSTALL_HINT} (the Python package libvoikko is not installed)") from None
    try:
        return libvoikko.Voikko("fi")
    except (OSError, libvoikko.VoikkoException) as exc:
        raise PrivacyError(f"{INSTALL_HINT} ({exc})") from None


def analyser_available() -> bool:
    """True when Voikko and its Finnish dictionary can be loaded."""
    try:
        _voikko()
    except PrivacyError:
        return False
    return True


@functools.lru_cache(maxsize=200_000)
def _analyses(word: str) -> tuple[tuple[str, str], ...]:
    """(class, base form) of each reading Voikko gives ``word``; empty when unknown."""
    return tuple((a.get("CLASS"), (a.get("BASEFORM") or "").lower()) for a in _voikko().analyze(word))


def _classes(word: str) -> frozenset[str]:
    """Word classes Voikko gives ``word`` (``etunimi``, ``nimisana``, ...); empty when unknown."""
    return frozenset(c for c, _ in _analyses(word))


def _common_word(word: str) -> bool:
    """True when a non-name reading of ``word`` is one of the ordinary words that are also names."""
    ordinary = _ordinary_words()
    return any(c not in NAME_CLASSES and base in ordinary for c, base in _analyses(word))


@functools.lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    return frozenset(w.lower() for w in _data()["ordinary_words"])


# ------------------------------------------------------------------------------- patterns
def _alternatives(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_AT = r"(?:@|\s*[(\[{<]\s*(?:at|a|ät|@)\s*[)\]}>]\s*|\s+(?:at|ät)\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|piste|punkt|\.)\s*[)\]}>]\s*|\s+(?:dot|piste|punkt)\s+)"
_TLD = r"(?:com|fi|se|no|dk|net|org|io|me|tv|eu|info|app|ax|is|de|uk|gl|ly|be)"
_STREET = (r"katu|kadu|tie|polku|polu|kuja|raitti|raiti|väylä|kaari|kaare|rinne|rintee|tori|aukio|"
           r"puistikko|bulevardi|esplanadi|gatan|gata|vägen|väg|gränd|stigen|stig|backen|torget|allén|"
           r"street|road|avenue|lane")


# case endings of a street name: Koulukadulla, Rantatieltä, Mäntypolun, tiehen, katuun
_CASE = r"n|lla|llä|lle|lta|ltä|ssa|ssä|sta|stä|na|nä|ksi|a|ä|ta|tä|hen|un|en|lta"


DIGIT, ANY = True, False   # every match of a pattern has a digit / may have none


@functools.lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern, bool]]:
    """(kind, pattern, DIGIT when every match has a digit): a pattern marked DIGIT is not run on
    a text without one; ``tests/test_privacy.py`` reads each pattern's syntax to check the mark."""
    labels = _alternatives(_data()["number_labels"])
    return [
        # henkilötunnus: DDMMYY, century sign (+ 1800s; - Y X W V U 1900s; A B C D E F 2000s), NNN, check
        ("hetu", re.compile(r"(?<![\w-])\d{6}[-+ABCDEFYXWVU]\d{3}[0-9A-Y](?![\w-])", re.I), DIGIT),
        # the address must end there: 'me at jukka.makinen@pirha.fi' once matched 'me at jukka.makinen'
        # (an ' at ' disguise) and left '@pirha.fi'
        ("email", re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,}}\b(?![@\w-]|\.\w)",
                             re.I), ANY),
        ("url", re.compile(rf"\bhttps?://[^\s<>\"]+|\bwww\.[^\s<>\"]+|\b(?:[\w-]+\.)+{_TLD}/[^\s<>\"]*", re.I), ANY),
        ("handle", re.compile(r"(?<![\w.@/\]])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"), ANY),
        ("iban", re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z0-9]{4}(?:\s?\d{4}){1,6}(?:\s?\d{1,4})?\b"), DIGIT),
        ("phone", re.compile(r"(?<![\w+])(?:(?:\+|00)(?:358|46|47|45|354)[\s-]?(?:\(0\)\s?)?\d{1,4}"
                             r"|\(?0\d{1,3}\)?)(?:[\s-]?\d{1,7}){1,4}(?![\w,.]\d)"), DIGIT),
        ("number", re.compile(
                              rf"\b(?:{labels})[^\W\d]*(?:\s+(?:numero|nro|nr|nummer|number|no)\w*)?"
                              rf"\s*(?:on|är|is)?\s*[:#.]?\s*(?P<x>[A-Z]{{0,3}}-?\d[\d\s-]{{2,}}\d)", re.I), DIGIT),
        # a run of 6+ digits standing alone (not the start of a checksum such as 3697825145df59…)
        ("number", re.compile(r"(?<![\w.,/-])\d{6,}(?!\d)(?![^\W\d_])(?![\w.,/]\d)"
                              r"(?!\s*(?:€|e\b|eur|kr\b|%|euro|kronor|dollar))", re.I), DIGIT),
        ("plate", re.compile(r"(?<![\w-])[A-ZÅÄÖ]{2,3}-\d{1,3}(?![\w-])"), DIGIT),
        ("address", re.compile(rf"\b[A-ZÅÄÖ][a-zåäöé-]+(?:{_STREET})(?:{_CASE})?\s+\d{{1,4}}(?![\d,.]\d)"
                               r"(?:\s?[A-H](?![\w-]))?(?:\s*(?:as\.?|lgh\.?|bst\.?)?\s*\d{1,3}(?![\d,.:]\d))?"),
         DIGIT),
        ("address", re.compile(r"(?<![\w-])(?:FI-|SE-)?\d{5}\s+[A-ZÅÄÖ][\wåäöÅÄÖ-]+"), DIGIT),
    ]


def _phone_ok(match: re.Match) -> bool:
    digits = sum(c.isdigit() for c in match.group())
    return digits >= (8 if match.group().lstrip("(").startswith(("+", "00")) else 7)


_DIGIT = re.compile(r"\d")


def _pattern_findings(text: str) -> list[Finding]:
    found = []
    digits = _DIGIT.search(text) is not None
    for kind, pattern, needs_digit in _patterns():
        if needs_digit and not digits:
            continue
        for m in pattern.finditer(text):
            if kind == "phone" and not _phone_ok(m):
                continue
            start, end = (m.start("x"), m.end("x")) if "x" in pattern.groupindex else m.span()
            if kind == "url":
                end = start + len(m.group().rstrip(".,;:!?)'\""))
            if kind == "address" and text[start:end].split()[0].lower() in _keep():
                continue
            if kind == "plate" and text[start:end].split("-")[0] in _data()["not_plates"]:
                continue
            found.append(Finding(start, end, kind))
    return found


# ---------------------------------------------------------------------------- person names
def is_person_name(word: str) -> bool:
    """True when ``word`` (any case, inflected) is a first name or surname and nothing else.

    Examples
    --------
    >>> is_person_name("maija"), is_person_name("Korhoselle"), is_person_name("osallisuus")
    (True, True, False)
    """
    word = word[:1].upper() + word[1:].lower()
    person, ordinary = _person_classes(word)
    return person and not ordinary


@functools.lru_cache(maxsize=1)
def _titles() -> tuple[frozenset[str], tuple[str, ...]]:
    """Titles as whole words, and the titles longer than five letters, which also match as the
    start of a word (inflected: ``sosiaalityöntekijälle``)."""
    titles = _data()["titles"]
    return frozenset(titles), tuple(t for t in titles if len(t) > 5)


def _is_title(word: str) -> bool:
    low = word.lower().rstrip(".")
    whole, prefixes = _titles()
    return low in whole or low.startswith(prefixes)


def _person_classes(word: str) -> tuple[bool, bool]:
    """(is a person name, is also an ordinary word) for one word, hyphenated and inflected too."""
    classes = _classes(word)
    if not classes and "-" in word:
        parts = word.split("-")
        if all(p[:1].isupper() for p in parts) and any(_person_classes(p)[0] for p in parts):
            return True, False
    if not classes:
        base = word[:-1] if word.endswith("s") and word[:-1] in _swedish_names() else word
        if base in _swedish_names():
            return True, False
        for ending in _ENDINGS:
            stem = word[:-len(ending)]
            if word.lower().endswith(ending) and len(stem) >= 3 and PERSON_CLASSES & _classes(stem):
                return True, False
        return False, False
    return bool(classes & PERSON_CLASSES), bool(classes - NAME_CLASSES)


def _name_findings(text: str) -> list[Finding]:
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    n = len(tokens)
    start_of_sentence = [_starts_sentence(text, s) for s, _, _ in tokens]
    capital = [w[:1].isupper() and w.lower() not in _keep() for _, _, w in tokens]
    upper = [len(w) > 1 and w.isupper() for _, _, w in tokens]
    info = [_person_classes(w) if capital[i] else (False, False) for i, (_, _, w) in enumerate(tokens)]
    name = [False] * n
    for i in range(n):
        person, ordinary = info[i]
        after_title = i > 0 and _is_title(tokens[i - 1][2]) and not start_of_sentence[i]
        if capital[i] and after_title and (info[i][0] or _classes(tokens[i][2]) - NAME_CLASSES
                                           or not _classes(tokens[i][2])):
            name[i] = True
        elif person and not ordinary and not upper[i]:
            name[i] = True
        elif person and not upper[i] and not (start_of_sentence[i] and _common_word(tokens[i][2])):
            name[i] = True
        elif person and upper[i] and not ordinary:
            name[i] = True
    for _ in range(2):   # neighbours: ambiguous names next to a name, surnames after a first name
        for i in range(n):
            if name[i] or not capital[i]:
                continue
            prev_name = i > 0 and name[i - 1] and _only_space(text, tokens[i - 1][1], tokens[i][0])
            next_name = i + 1 < n and name[i + 1] and _only_space(text, tokens[i][1], tokens[i + 1][0])
            paired = (i + 2 < n and name[i + 2] and tokens[i + 1][2].lower() in _CONJUNCTIONS
                      and _only_space(text, tokens[i][1], tokens[i + 1][0]))
            if info[i][0] and (prev_name or next_name or paired):
                name[i] = True
            elif prev_name and not start_of_sentence[i] and (upper[i] == upper[i - 1]):
                name[i] = True
    return [Finding(s, e, "name") for (s, e, _), is_name in zip(tokens, name) if is_name]


def _starts_sentence(text: str, at: int) -> bool:
    """True when ``text[:at]`` ends a sentence (``_SENTENCE_END``), read from its last few
    characters only: a match is one or two characters before a run of spaces, quotes and
    brackets, so the search starts there instead of at the beginning of a long text."""
    start = at
    while start > 0 and (text[start - 1].isspace() or text[start - 1] in _OPENING):
        start -= 1
    # with pos > 0 '^' does not match at pos, and endpos makes '$' match at ``at``
    return _SENTENCE_END.search(text, max(0, start - 2), at) is not None


def _only_space(text: str, a: int, b: int) -> bool:
    return text[a:b].strip() == ""


# ---------------------------------------------------------------------------------- public
def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in ``text``, merged and sorted, adjacent names joined.

    Raises
    ------
    PrivacyError
        When Voikko or its Finnish dictionary is not installed.
    """
    return list(_findings(text))


@functools.lru_cache(maxsize=16_384)
def _findings(text: str) -> tuple[Finding, ...]:
    """:func:`find_personal_data`, remembered: an audit reads the same cell texts, headings and
    notes in the notebook, the HTML, the Word file and the workbook (one region's audit asks
    about 4 500 texts, 700 of them different)."""
    patterns = _pattern_findings(text)
    names = [f for f in _name_findings(text)
             if not any(p.start < f.end and f.start < p.end for p in patterns)]
    merged: list[Finding] = []
    for f in sorted(patterns + names, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1].end:          # overlap: keep the wider span
            last = merged[-1]
            merged[-1] = Finding(last.start, max(last.end, f.end), last.kind)
        elif (merged and f.kind == merged[-1].kind == "name"
              and _only_space(text, merged[-1].end, f.start)):
            merged[-1] = Finding(merged[-1].start, f.end, "name")
        else:
            merged.append(f)
    return tuple(merged)


def redact(text: str, lang: str = "fi") -> str:
    """Replace personal data in ``text`` with markers like ``[nimi]`` in language ``lang``.

    Raises
    ------
    PrivacyError
        When Voikko or its Finnish dictionary is not installed (see the module notes).

    Examples
    --------
    >>> redact("Soita Maija Meikäläiselle 040 123 4567 tai maija@example.fi")
    'Soita [nimi] [puhelinnumero] tai [sähköposti]'
    >>> redact("Sosiaalityöntekijä Virtasen kanssa asuin Koulukadulla 5", "en")
    'Sosiaalityöntekijä [name] kanssa asuin [address]'
    """
    if not text:
        return text
    out = text
    for f in reversed(find_personal_data(text)):
        out = out[:f.start] + f"[{i18n.t('priv.' + f.kind, lang)}]" + out[f.end:]
    return out


def quote_language(text: str, report_lang: str) -> str:
    """The language to mark a participant's free text with (the ``lang`` of its quote, so that
    a screen reader reads it in the right voice): 'fi' when at least half of its words are
    words Voikko's Finnish dictionary knows; otherwise the report's language, the likeliest,
    or 'und' (undetermined, BCP 47) in a Finnish report, where a text that is not Finnish may
    be Swedish as well as English. A text without words takes the report's language.

    Examples
    --------
    >>> quote_language("Kiitos, että sain olla mukana!", "sv")
    'fi'
    >>> quote_language("Det var bra att vi fick vara med.", "sv"), quote_language("Det var bra.", "fi")
    ('sv', 'und')
    """
    words = _WORD.findall(text)
    if not words:
        return report_lang
    known = sum(bool(_analyses(w) or _analyses(w.lower())) for w in words)
    if 2 * known >= len(words):
        return "fi"
    return report_lang if report_lang != "fi" else "und"


def redacted_quote(text: str, report_lang: str) -> tuple[str, str]:
    """A participant's answer as a report quotes it: redacted, and the language it is marked with
    (:func:`quote_language`). The markers are in the quote's own language, as the quote's
    ``lang`` says: a Finnish answer in a Swedish report reads '[puhelinnumero]', not
    '[telefonnummer]' inside Finnish text (an accessibility review, WCAG 3.1.2).

    Examples
    --------
    >>> redacted_quote("Soita minulle numeroon 040 123 4567, kiitos paljon", "sv")
    ('Soita minulle numeroon [puhelinnumero], kiitos paljon', 'fi')
    """
    lang = quote_language(text, report_lang)
    return redact(text, lang if lang in LANGUAGES else report_lang), lang


def safe_quote(text: str, lang: str = "fi") -> str:
    """A free-text answer ready for HTML: redacted, then escaped."""
    return html.escape(redact(str(text), lang))

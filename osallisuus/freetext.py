"""Free-text answers for content analysis: redacted answers, a codebook of themes, theme
frequencies under suppression and quotes per theme.

A codebook is YAML (see ``osallisuus/data/codebooks/osallisuus_teemat.yaml``): themes with a
label per language and word stems; an answer belongs to a theme when one of its words starts
with one of the theme's stems. It is a transparent starting point for the evaluator's own
analysis, not a classifier: read the quotes, then refine the stems.

Every answer shown is redacted (:func:`osallisuus.privacy.redact`) and carries no respondent
id. A theme mentioned in fewer answers than the threshold shows its count as "<5" and gets no
quotes (their number would reveal the count).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from .errors import OsallisuusError
from .fileio import read_yaml_file
from .interactive import as_suppression, filter_answers, prepare, require_answered
from .numbers import format_count
from .privacy import redact
from .settings import package_data
from .suppression import Suppression

__all__ = ["DEFAULT_CODEBOOK", "load_codebook", "free_texts", "code_themes", "theme_counts", "theme_quotes"]

DEFAULT_CODEBOOK = "osallisuus_teemat.yaml"
PROJECT_CODEBOOK = "koodikirja.yaml"
TEXT_COLUMNS = ["region", "phase", "role", "instrument", "item", "text"]
_WORD = re.compile(r"\w+", re.UNICODE)


def _default_codebook(settings_file) -> Path:
    from .settings import load_settings
    own = load_settings(settings_file or None).root / PROJECT_CODEBOOK
    return own if own.is_file() else package_data("codebooks", DEFAULT_CODEBOOK)


def load_codebook(path: str | os.PathLike | None = None, settings_file: str | os.PathLike | None = None) -> dict:
    """A codebook: ``{"id", "name", "themes": {theme: {"label": {lang: text}, "stems": [...]}}}``.

    Default: the project's ``koodikirja.yaml`` (beside ``osallisuus.yaml``; ``osallisuus init``
    copies it there), else the codebook shipped with the package.

    Examples
    --------
    >>> book = load_codebook()
    >>> "stems" in next(iter(book["themes"].values()))
    True
    """
    source = Path(path) if path else _default_codebook(settings_file)
    where = source.name
    doc = read_yaml_file(source)
    themes = doc.get("themes") if isinstance(doc, dict) else None
    if not isinstance(themes, dict) or not themes:
        raise OsallisuusError(f"{where}: a codebook needs 'themes:' with at least one theme")
    for key, theme in themes.items():
        stems = theme.get("stems") if isinstance(theme, dict) else None
        if not isinstance(stems, list) or not all(isinstance(s, str) and s.strip() for s in stems):
            raise OsallisuusError(f"{where}: theme {key!r} needs 'stems:', a list of word beginnings")
        theme["stems"] = [s.strip().lower() for s in stems]
        theme.setdefault("label", {})
    return doc


def free_texts(data, instrument: str | None = None, item: str | None = None, region: str | None = None,
               phase: str | None = None, role: str | None = None, lang: str = "fi") -> pd.DataFrame:
    """The non-empty free-text answers, redacted, without respondent ids.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"respondent_id": ["a1"], "region": "Lappi", "phase": "baseline",
    ...     "role": "client", "instrument": "kehittajaryhma_palaute", "item": "kommentit", "value": "",
    ...     "text": ["Soita Maija Virtaselle 040 123 4567"]})
    >>> free_texts(frame)["text"].tolist()
    ['Soita [nimi] [puhelinnumero]']
    """
    data = prepare(data)
    for col, value in (("phase", phase), ("role", role)):   # a parameter the data does not have: say so
        require_answered(col, value, sorted(set(data[col].astype(str))), lang)
    rows = filter_answers(data, instrument, items=item if instrument else None, region=region, phase=phase,
                          role=role)
    rows = rows[rows["text"].fillna("").astype(str).str.strip() != ""]
    out = rows[TEXT_COLUMNS].astype({c: str for c in TEXT_COLUMNS}).reset_index(drop=True)
    out["text"] = [redact(t, lang) for t in out["text"]]
    return out


def code_themes(texts: pd.DataFrame, codebook: dict) -> pd.DataFrame:
    """``texts`` with one True/False column per theme of the codebook.

    Examples
    --------
    >>> book = {"themes": {"heard": {"stems": ["kuul"]}}}
    >>> code_themes(pd.DataFrame({"text": ["Tulin kuulluksi", "Ei"]}), book)["heard"].tolist()
    [True, False]
    """
    words = [set(_WORD.findall(str(t).lower())) for t in texts["text"]]
    out = texts.copy()
    for key, theme in codebook["themes"].items():
        stems = tuple(s.lower() for s in theme["stems"])
        out[key] = [any(w.startswith(stems) for w in ws) for ws in words]
    return out


def _label(codebook: dict, key: str, lang: str) -> str:
    return codebook["themes"][key].get("label", {}).get(lang) or key


def theme_counts(coded: pd.DataFrame, codebook: dict, by: str | None = None, lang: str = "fi",
                 suppression: Suppression | int | None = None) -> pd.DataFrame:
    """Answers per theme (and per group of ``by``) as display texts; counts under the threshold "<5".

    A theme's total is public (the table without ``by``), so with ``by`` a group's count could be
    worked out from the others (25 − 12 − 10 = 3): with ``small_counts`` (the default) further
    counts are hidden ("..") until no "<5" can be narrowed
    (:func:`osallisuus.disclosure.protect_table`, the theme's total as the row's n).

    Examples
    --------
    >>> book = {"themes": {"heard": {"stems": ["kuul"]}, "met": {"stems": ["tapa"]}}}
    >>> coded = code_themes(pd.DataFrame({"text": ["kuulin"] * 6 + ["tapasin"] * 2}), book)
    >>> theme_counts(coded, book, suppression=5).to_dict("records")
    [{'theme': 'heard', 'answers': '6'}, {'theme': 'met', 'answers': '<5'}]
    """
    sup = as_suppression(suppression)
    keys = list(codebook["themes"])
    counts = coded.groupby(by, observed=True)[keys].sum().T if by else coded[keys].sum().to_frame("answers")

    def show(n) -> str:
        return sup.symbol if sup.is_small(int(n)) and int(n) > 0 else format_count(n)

    table = counts.map(show)
    if by and sup.small_counts and counts.size:
        from .disclosure import SECONDARY, protect_table
        values = counts.to_numpy(dtype=int)
        hidden = protect_table(values, list(range(values.shape[1])), threshold=sup.threshold, mean_shown=False).hidden
        table = table.mask(hidden & ~sup.is_small(values), SECONDARY)   # hidden, not itself small: '..'
    table.insert(0, "theme", [_label(codebook, k, lang) for k in keys])
    table.columns.name = None
    return table.reset_index(drop=True)


def theme_quotes(coded: pd.DataFrame, codebook: dict, per_theme: int = 3, lang: str = "fi",
                 suppression: Suppression | int | None = None) -> pd.DataFrame:
    """Up to ``per_theme`` distinct quotes per theme (shortest first, so they stay readable).

    A theme in fewer answers than the threshold gets none.
    """
    sup = as_suppression(suppression)
    rows = []
    for key in codebook["themes"]:
        hits = coded[coded[key].astype(bool)]        # no answers: an empty column, not column labels
        if not len(hits) or sup.is_small(len(hits)):
            continue
        texts = pd.Series(hits["text"].unique())
        chosen = texts.iloc[texts.str.len().argsort(kind="stable")].head(per_theme)
        rows += [{"theme": _label(codebook, key, lang), "quote": t} for t in chosen]
    return pd.DataFrame(rows, columns=["theme", "quote"])

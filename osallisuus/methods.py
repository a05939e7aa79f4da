"""Instruments for a methods section: item overview, a methods paragraph with references, a
``.bib`` file of the instruments, the questionnaire as an appendix, and a thesis document.

References are data: each instrument file lists the publications behind it under
``references`` (authors, year, title, journal or publisher, volume, issue, pages, DOI or URL,
as far as they are known). The package writes them to a ``.bib`` file (BibTeX ``@article``,
``@techreport`` or ``@misc``) and formats them in APA 7 style (:func:`apa_reference`) for the
reference list and the in-text citations of the methods paragraph; nothing is invented, so a
field the sources do not give is left out (a missing year is "n.d." / "s.a." / "u.å.").

References
----------
American Psychological Association. (2020). *Publication manual of the American Psychological
Association* (7th ed.), chapters 9–10.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import i18n
from .fileio import atomic_write_text
from .instruments import Instrument, missing_answer
from .interactive import find_instrument
from .report.model import Heading, Html, ItemList, Paragraph, Section

__all__ = ["instrument_items", "methods_paragraph", "bib_entry", "write_bib", "reference_text", "references",
           "apa_reference", "apa_citation", "references_section", "questionnaire_section", "thesis_document",
           "export_document"]

_BIB_SPECIAL = str.maketrans({"{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_"})


def _insts(instruments) -> list[Instrument]:
    """Instruments from ids, names, Instrument objects or an evaluation plan (all its phases)."""
    if hasattr(instruments, "phases"):
        instruments = list(dict.fromkeys(i for p in instruments.phases.values() for i in p.instruments))
    names = [instruments] if isinstance(instruments, (str, Instrument)) else list(instruments)
    return [find_instrument(i) for i in names]


def instrument_items(instrument: str | Instrument, lang: str = "fi") -> pd.DataFrame:
    """One row per item: id, wording, reverse keying and subscale.

    Examples
    --------
    >>> instrument_items("arvio_4").iloc[0].tolist()
    ['suunnittelu', 'Suunnittelu', 'ei', '']
    >>> instrument_items("soc_g10", lang="en").iloc[0, 3]
    'Comprehensibility'
    """
    inst = find_instrument(instrument)
    # the subscale by its name in ``lang`` (a reviewer read the ids 'voice' and 'influence')
    sub = {it: (s.get("label") or {}).get(lang) or key for key, s in inst.subscales.items()
           for it in (s.get("items", []) if isinstance(s, dict) else [])}
    rows = [[it.id, it.text.get(lang, ""), i18n.t("meth.yes" if it.reverse else "meth.no", lang), sub.get(it.id, "")]
            for it in inst.items]
    cols = [i18n.t(k, lang) for k in ("meth.col.item", "meth.col.text", "meth.col.reverse", "meth.col.subscale")]
    return pd.DataFrame(rows, columns=cols)


NO_DATE = {"fi": "s.a.", "sv": "u.å.", "en": "n.d."}
ET_AL = {"fi": "ym.", "sv": "m.fl.", "en": "et al."}


def references(instruments) -> list[dict]:
    """The reference entries of the instruments (``references`` in their files), each once, with
    ``suffix`` set ('a', 'b', ...) where two share author and year (APA 7, 8.19)."""
    seen: dict[str, dict] = {}
    for inst in _insts(instruments):
        for ref in inst.extra.get("references") or []:
            seen.setdefault(str(ref["key"]), dict(ref))
        if not inst.extra.get("references") and inst.extra.get("citation") and not _builtin(inst):
            # a project's own instrument cites its source as text only: listed as written (a
            # built-in one without references, the school grade scale, has no source to cite)
            seen.setdefault(inst.id, {"key": inst.id, "type": "citation", "citation": inst.extra["citation"]})
    refs = list(seen.values())
    groups: dict[tuple, list[dict]] = {}
    for ref in refs:
        groups.setdefault((_author_list(ref), str(ref.get("year", ""))), []).append(ref)
    for same in groups.values():
        if len(same) > 1:
            for letter, ref in zip("abcdefghijklmnopqrstuvwxyz", sorted(same, key=lambda r: str(r["title"]).lower())):
                ref["suffix"] = letter
    return refs


def _builtin(inst: Instrument) -> bool:
    """Whether the instrument is one of the package's own (not a project's file)."""
    here = Path(__file__).resolve().parent / "data"
    try:
        return Path(str(inst.path)).resolve().is_relative_to(here)
    except (TypeError, ValueError, OSError):
        return False


def _author_list(ref: dict) -> str:
    """'Surname, I., Surname, I., & Surname, I.' (APA 7, 9.8; up to 20 authors)."""
    if ref.get("group_author"):
        return str(ref["group_author"])
    names = [str(a) for a in ref.get("authors") or []]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _date(ref: dict, lang: str) -> str:
    year = str(ref["year"]) if ref.get("year") else NO_DATE[lang]
    suffix = ref.get("suffix", "")
    return f"{year}-{suffix}" if suffix and not ref.get("year") else f"{year}{suffix}"


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _link(ref: dict) -> str:
    if ref.get("doi"):
        return f"https://doi.org/{ref['doi']}"
    return str(ref.get("url") or "")


def apa_reference(ref: dict, lang: str = "fi", italic: str = "") -> str:
    """One entry of the reference list in APA 7 style; ``italic="*"`` marks italics for markdown.

    Journal article: ``Authors (Year). Title. Journal, Volume(Issue), pages. https://doi.org/...``;
    report: ``Authors (Year). Title (Series number). Publisher. URL``; web page: ``Author
    (n.d.). Title. URL`` (APA 7, 10.1, 10.4, 10.16).

    Examples
    --------
    >>> ref = {"authors": ["Virtanen, A.", "Korhonen, B."], "year": 2020, "type": "article", "title": "Otsikko",
    ...        "journal": "Lehti", "volume": 5, "issue": 2, "pages": "1–9", "doi": "10.1/x"}
    >>> apa_reference(ref)
    'Virtanen, A., & Korhonen, B. (2020). Otsikko. Lehti, 5(2), 1–9. https://doi.org/10.1/x'
    """
    i = italic
    if ref.get("type") == "citation":       # an instrument's own citation text, as written
        text = ref["citation"]
        return str(text.get(lang) or next(iter(text.values()), "") if isinstance(text, dict) else text)
    head = f"{_end(_author_list(ref))} ({_date(ref, lang)}). "
    kind = ref.get("type", "report")
    if kind == "article":
        volume = f", {i}{ref['volume']}{i}" if ref.get("volume") else ","
        issue = f"({ref['issue']})" if ref.get("issue") else ""
        source = f"{i}{ref['journal']}{i}{volume}{issue if ref.get('volume') else ' ' + issue}".rstrip(", ")
        source += f", {ref['pages']}" if ref.get("pages") else ""
        body = f"{_end(str(ref['title']))} {_end(source)}"
    else:
        series = f" ({ref['series']} {ref.get('number', '')})".replace(" )", ")") if ref.get("series") else ""
        body = _end(f"{i}{ref['title']}{i}{series}")
        publisher = ref.get("publisher")
        if publisher and publisher != ref.get("group_author"):
            body += f" {_end(str(publisher))}"
    link = _link(ref)
    return head + body + (f" {link}" if link else "")


def apa_citation(ref: dict, lang: str = "fi") -> str:
    """The in-text citation inside parentheses: 'Leemann ym., 2022' (three or more authors: the
    first and 'ym.' / 'm.fl.' / 'et al.', APA 7, 8.17)."""
    if ref.get("group_author"):
        who = str(ref["group_author"])
    else:
        surnames = [str(a).split(",")[0] for a in ref.get("authors") or []]
        who = (f"{surnames[0]} & {surnames[1]}" if len(surnames) == 2
               else f"{surnames[0]} {ET_AL[lang]}" if len(surnames) > 2 else "".join(surnames))
    return f"{who}, {_date(ref, lang)}"


def reference_text(instrument: str | Instrument, lang: str = "fi") -> str:
    """The APA 7 references of one instrument, joined by a space ('' when it has none)."""
    return " ".join(apa_reference(r, lang) for r in references([instrument]))


def methods_paragraph(instruments, threshold: int = 5, lang: str = "fi") -> str:
    """A methods paragraph naming each instrument, its items and scale, with APA in-text citations.

    Examples
    --------
    >>> methods_paragraph(["arvio_4"]).split(" (")[0][:45]
    'Aineisto kerättiin seuraavilla mittareilla: O'
    """
    parts = [i18n.t("meth.intro", lang)]
    refs = {r["key"]: r for r in references(instruments)}
    for inst in _insts(instruments):
        labels = ", ".join(f"{p.code:g} = {p.label.get(lang, '')}" if p.label.get(lang, "") != f"{p.code:g}"
                           else f"{p.code:g}" for p in inst.scale.points)
        cited = "; ".join(apa_citation(refs[str(r["key"])], lang) for r in inst.extra.get("references") or [])
        text = i18n.t("meth.instrument", lang, name=inst.name[lang], items=len(inst.rated_items),
                      low=f"{inst.scale.low:g}", high=f"{inst.scale.high:g}", labels=labels, key=inst.id)
        parts.append(text.replace(f" [{inst.id}]", f" ({cited})" if cited else ""))
    parts += [*_scoring_sentences(_insts(instruments), lang), i18n.t("meth.threshold", lang, threshold=threshold)]
    return " ".join(parts)


def _scoring_sentences(insts: list[Instrument], lang: str) -> list[str]:
    """Each scored instrument's own rule (as the report's methods appendix words it), "can't
    say" left out, and Cronbach's alpha only if a report shows it for one of them (a reviewer
    read "alpha was assessed" in a chapter that showed none)."""
    from .report.views import views_for
    from .scoring import score_column
    scored = [i for i in insts if i.answer != "text" and i.rated_items]
    rules = [i18n.t_count("rep.app.rule_0_100" if score_column(i) == "score_0_100" else "rep.app.rule_mean", lang,
                          len(i.rated_items), instrument=i.name[lang], min_answered=i.min_answered,
                          items=len(i.rated_items)) for i in scored]
    out = [i18n.t("meth.scoring", lang, missing=missing_answer(scored, lang)), *rules] if rules else []
    if any("reliability" in views_for(i) for i in scored):
        out.append(i18n.t("meth.alpha", lang))
    return out


_BIB_TYPES = {"article": "article", "report": "techreport", "webpage": "misc"}


def _bib(value) -> str:
    return " ".join(str(value).split()).translate(_BIB_SPECIAL)


def bib_entry(ref: dict) -> str:
    """A BibTeX entry of one reference (``@article``, ``@techreport`` or ``@misc``; key = its ``key``).

    Examples
    --------
    >>> print(bib_entry({"key": "x2020", "type": "article", "authors": ["Virtanen, A."], "year": 2020,
    ...                  "title": "Otsikko", "journal": "Lehti"}))
    @article{x2020,
      author = {Virtanen, A.},
      title = {{Otsikko}},
      journal = {Lehti},
      year = {2020}
    }
    <BLANKLINE>
    """
    if ref.get("type") == "citation":       # free text only: a @misc with it as the note
        text = ref["citation"]
        text = text.get("en") or next(iter(text.values()), "") if isinstance(text, dict) else text
        return f"@misc{{{ref['key']},\n  note = {{{_bib(text)}}}\n}}\n"
    author = ("{" + _bib(ref["group_author"]) + "}" if ref.get("group_author")
              else " and ".join(_bib(a) for a in ref.get("authors") or []))
    fields = {"author": author, "title": "{" + _bib(ref["title"]) + "}", "journal": ref.get("journal"),
              "volume": ref.get("volume"), "number": ref.get("issue") or ref.get("number"),
              "pages": str(ref["pages"]).replace("–", "--") if ref.get("pages") else None,
              "series": ref.get("series"), "institution": ref.get("publisher"), "year": ref.get("year"),
              "doi": ref.get("doi"), "url": None if ref.get("doi") else ref.get("url")}
    body = ",\n".join(f"  {k} = {{{v if k in ('author', 'title') else _bib(v)}}}"
                      for k, v in fields.items() if v not in (None, ""))
    return f"@{_BIB_TYPES.get(ref.get('type', 'report'), 'misc')}{{{ref['key']},\n{body}\n}}\n"


def write_bib(instruments, path: str | os.PathLike, lang: str = "fi"):
    """Write the instruments' references to a ``.bib`` file (for Zotero, LaTeX or pandoc); returns
    where it went (shown by file name only, in ``lang``)."""
    from .interactive import SavedFile
    path = Path(path)
    if path.suffix != ".bib":
        raise ValueError(f"{path}: a BibTeX file name ends in .bib")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SavedFile(atomic_write_text(path, "\n".join(bib_entry(r) for r in references(instruments))), lang)


def references_section(instruments, lang: str = "fi") -> Section:
    """The reference list in APA 7 style, alphabetical, titles in italics, as a report section."""
    from nbconvert.filters import markdown2html
    refs = sorted(references(instruments), key=lambda r: apa_reference(r, lang).lower())
    return Section("references", lang, [Heading(i18n.t("meth.references", lang), "lahteet", 2),
                                        *[Html(markdown2html(apa_reference(r, lang, italic="*"))) for r in refs]])


def questionnaire_section(instruments, lang: str = "fi") -> Section:
    """The questionnaire (every instrument's items and answer options) as an appendix section."""
    blocks: list = [Heading(i18n.t("meth.appendix", lang), "liite-kyselylomake", 2)]
    for inst in _insts(instruments):
        labels = ", ".join(inst.scale.labels(lang))
        blocks.append(Heading(inst.name[lang], f"liite-{inst.id}", 3))
        blocks.append(Paragraph(i18n.t("meth.scale", lang, labels=labels)))
        open_mark = " " + i18n.t("meth.open", lang)
        blocks.append(ItemList([it.text.get(lang, it.id) + (open_mark if it.answer == "text" else "")
                                for it in inst.items]))
    return Section("questionnaire", lang, blocks)


def thesis_document(report, sections, title: str, instruments=None, lang: str | None = None):
    """A thesis-style results chapter: the chosen sections of a
    :class:`~osallisuus.RegionReport` (Taulukko captions above tables, Kuvio below figures,
    numbered 1, 2, ... within the chapter), then the APA 7 references and the questionnaire
    appendix. The report's own sections keep their numbers (the chapter works on copies)."""
    import copy

    from .export.document import ReportDocument, renumber
    lang = lang or report.lang
    instruments = instruments or report.plan
    from .report.model import Heading, Section
    chosen = [copy.deepcopy(report.section(name)) for name in sections]
    opening = Section("title", lang, [Heading(title, "otsikko", level=1)])   # the page's one h1, Word's title
    doc = ReportDocument(title, lang, [opening, *chosen, references_section(instruments, lang),
                                       questionnaire_section(instruments, lang)], report.context.created)
    renumber(doc)
    return doc


def export_document(document, formats, folder: str | os.PathLike, name: str,
                    reference_docx: str | os.PathLike | None = None, lang: str = "fi") -> dict:
    """Write ``document`` in each format to ``folder/name.<ext>``; returns format -> where it went
    (shown by file name only, in ``lang``: a shared notebook carries no local folder) or the
    reason it was not written (a format whose exporter is not installed here)."""
    from .export import get_exporter
    from .interactive import SavedFile
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in formats:
        try:
            exporter = get_exporter(fmt)
        except ImportError as exc:
            written[fmt] = f"not written: the {fmt} exporter is not available ({exc.name})"
            continue
        if reference_docx and hasattr(exporter, "reference_doc"):
            exporter.reference_doc = Path(reference_docx)
        ext = exporter.extension if exporter.extension.startswith(".") else "." + exporter.extension
        written[fmt] = SavedFile(exporter.export(document, folder / f"{name}{ext}"), lang)
    return written

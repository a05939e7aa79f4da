"""Instruments for a methods section: item overview, a methods paragraph with references, a
``.bib`` file of the instruments, the questionnaire as an appendix, and a thesis document.

The references are only as good as the ``source`` texts of the instrument files: the package
writes them as they are (a ``@misc`` entry per instrument, the source text as its note) and
says so in the methods text, instead of inventing authors or titles.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from . import i18n
from .fileio import atomic_write_text
from .instruments import Instrument
from .interactive import find_instrument
from .report.model import Heading, ItemList, Paragraph, Section

__all__ = ["instrument_items", "methods_paragraph", "bib_entry", "write_bib", "reference_text",
           "references_section", "questionnaire_section", "thesis_document", "export_document"]

_YEAR = re.compile(r"\b(19|20)\d{2}\b")
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
    """
    inst = find_instrument(instrument)
    sub = {it: key for key, s in inst.subscales.items() for it in (s.get("items", []) if isinstance(s, dict) else [])}
    rows = [[it.id, it.text.get(lang, ""), i18n.t("meth.yes" if it.reverse else "meth.no", lang), sub.get(it.id, "")]
            for it in inst.items]
    cols = [i18n.t(k, lang) for k in ("meth.col.item", "meth.col.text", "meth.col.reverse", "meth.col.subscale")]
    return pd.DataFrame(rows, columns=cols)


def _year(inst: Instrument) -> str:
    found = _YEAR.search(inst.version or "") or _YEAR.search(inst.source or "")
    return found.group(0) if found else "n.d."


def reference_text(instrument: str | Instrument, lang: str = "fi") -> str:
    """An APA-like reference: name (year). Source text as the instrument file gives it."""
    inst = find_instrument(instrument)
    return f"{inst.name[lang]} ({_year(inst)}). {' '.join(inst.source.split())}"


def methods_paragraph(instruments, threshold: int = 5, lang: str = "fi") -> str:
    """A methods paragraph naming each instrument, its items and scale, with reference keys.

    Examples
    --------
    >>> methods_paragraph(["arvio_4"]).split(" [")[0][:45]
    'Aineisto kerättiin seuraavilla mittareilla: O'
    """
    parts = [i18n.t("meth.intro", lang)]
    for inst in _insts(instruments):
        labels = ", ".join(f"{p.code:g} = {p.label.get(lang, '')}" if p.label.get(lang, "") != f"{p.code:g}"
                           else f"{p.code:g}" for p in inst.scale.points)
        parts.append(i18n.t("meth.instrument", lang, name=inst.name[lang], items=len(inst.rated_items),
                            low=f"{inst.scale.low:g}", high=f"{inst.scale.high:g}", labels=labels, key=inst.id))
    parts.append(i18n.t("meth.scoring", lang, threshold=threshold))
    parts.append(i18n.t("meth.sources_note", lang))
    return " ".join(parts)


def bib_entry(instrument: str | Instrument) -> str:
    """A BibTeX ``@misc`` entry: key = instrument id, title = Finnish name, note = source text.

    Examples
    --------
    >>> print(bib_entry("arvio_4").splitlines()[0])
    @misc{arvio_4,
    """
    inst = find_instrument(instrument)
    fields = {"title": "{" + inst.name["fi"].translate(_BIB_SPECIAL) + "}", "year": _year(inst),
              "note": " ".join(inst.source.split()).translate(_BIB_SPECIAL),
              "version": inst.version.translate(_BIB_SPECIAL)}
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v and v != "n.d.")
    return f"@misc{{{inst.id},\n{body}\n}}\n"


def write_bib(instruments, path: str | os.PathLike) -> Path:
    """Write the instruments' entries to a ``.bib`` file (for Zotero, LaTeX or pandoc)."""
    path = Path(path)
    if path.suffix != ".bib":
        raise ValueError(f"{path}: a BibTeX file name ends in .bib")
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(path, "\n".join(bib_entry(i) for i in _insts(instruments)))


def references_section(instruments, lang: str = "fi") -> Section:
    """The reference list (alphabetical), as a report section."""
    refs = sorted(reference_text(i, lang) for i in _insts(instruments))
    return Section("references", lang, [Heading(i18n.t("meth.references", lang), "lahteet", 2),
                                        *[Paragraph(r) for r in refs],
                                        Paragraph(i18n.t("meth.sources_note", lang), "note")])


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
    numbered as in the report), then the references and the questionnaire appendix."""
    from .export.document import ReportDocument
    lang = lang or report.lang
    instruments = instruments or report.plan
    chosen = [report.section(name) for name in sections]
    return ReportDocument(title, lang, [*chosen, references_section(instruments, lang),
                                        questionnaire_section(instruments, lang)], report.context.created)


def export_document(document, formats, folder: str | os.PathLike, name: str,
                    reference_docx: str | os.PathLike | None = None) -> dict[str, str]:
    """Write ``document`` in each format to ``folder/name.<ext>``; returns format -> path or the
    reason it was not written (a format whose exporter is not installed here)."""
    from .export import get_exporter
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
        written[fmt] = str(exporter.export(document, folder / f"{name}{ext}"))
    return written

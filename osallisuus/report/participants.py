"""The page for participants (``osallistujille.html``): plain language, few numbers.

Seed 004 found that participants rarely hear what became of their input and want to. This
page tells them, in short sentences and common words, what people said in each phase and
what the organisers will do with it. Which answers become sentences is data: an
instrument's ``report.plain`` entries (an item, or the whole instrument, and a sentence in
every language with ``{who}`` for a share in words); an instrument without them gets one
general sentence. The organisers' answer is read from ``paths.feedback``/<region id>.yaml;
without one, the page says clearly that the answer is still missing.
"""
from __future__ import annotations

import numpy as np

from ..errors import ReportError
from ..fileio import read_yaml_file
from ..numbers import format_count
from ..privacy import redacted_quote
from ..render import render
from ..scoring import keyed_codes, valid_answers
from ..vocab import LANGUAGES

__all__ = ["quantity_word", "read_feedback", "participant_page", "QUOTES_PER_PHASE"]

QUOTES_PER_PHASE = 2


def quantity_word(share: float, lang: str) -> str:
    """A share in words instead of a number: 'Lähes jokainen vastannut', 'Suurin osa vastanneista' …

    The words follow the percent as the report prints it (rounded half up): 59 % is 'more than
    half', not 'about half' (a review), 50 % 'about half' and 40 % 'less than half'.

    >>> [quantity_word(s, "en") for s in (0.95, 0.6, 0.59, 0.502, 0.445, 0.4, 0.2, 0.1)]
    ['Almost everyone', 'Most people', 'More than half', 'About half', 'About half', 'Less than half', 'Some people', 'Few people']
    """
    from ..i18n import t
    from ..numbers import round_half_up
    percent = round_half_up(share * 100)
    for limit, key in ((90, "almost_all"), (60, "most"), (51, "more_than_half"), (45, "half"),
                       (30, "less_than_half"), (15, "some")):
        if percent >= limit:
            return t(f"plain.q.{key}", lang)
    return t("plain.q.few", lang)


def read_feedback(ctx) -> dict | None:
    """The organisers' answer for this region, or None when no file exists."""
    path = ctx.settings.path("feedback") / f"{ctx.region.id}.yaml"
    doc = read_yaml_file(path)
    if doc is None:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("answer"), dict):
        raise ReportError(f"{path.name}: expected a mapping with 'answer: {{fi: ..., sv: ..., en: ...}}'")
    missing = [lang for lang in LANGUAGES if not doc["answer"].get(lang)]
    if missing:
        raise ReportError(f"{path.name}: answer has no text in {', '.join(missing)}")
    return doc


def _in_language(text, lang: str):
    """A text given once (``name: Osallisuuskoordinaattori``) or per language (``name: {fi: ...,
    sv: Delaktighetskoordinator, en: Participation coordinator}``): the report language's, else
    the first one given (a title in another language is better than none)."""
    if isinstance(text, dict):
        return text.get(lang) or next((v for v in text.values() if v), None)
    return text


def _sentences_for(ctx, data, inst) -> list[str]:
    entries = (inst.extra.get("report") or {}).get("plain") or [{"text": None}]
    out = []
    for entry in entries:
        rows = valid_answers(data, inst)
        rows = rows[rows["item"].astype(str).isin(inst.rated_items)]
        if entry.get("item"):
            rows = rows[rows["item"] == entry["item"]]
        if len(rows) < ctx.suppression.threshold or not inst.scale.positive:
            continue
        # a reverse-keyed statement's positive answer is the mirror of a positive code (a review
        # found agreement with "My views were often ignored" counted as positive)
        who = quantity_word(float(np.isin(keyed_codes(rows, inst), inst.scale.positive).mean()), ctx.lang)
        text = (entry.get("text") or {}).get(ctx.lang)
        out.append(text.format(who=who) if text else ctx.t("plain.s.generic", who=who, instrument=inst.name[ctx.lang]))
    return out


def _phase(ctx, phase: str) -> dict | None:
    data = ctx.rows(phase=phase)
    n = ctx.respondents_in(phase)       # as Taulukko 1 adds them up (small roles are out of the data already)
    if n == 0 or ctx.suppression.is_small(n):
        return None
    # the count leaves any small role out (Taulukko 1 too): said in every phase, so that it tells
    # neither how many nor in which phase a small group answered (a review read "49 people
    # answered" where 52 had; a code review: said only where one was, it named that phase)
    sentences = [ctx.t(f"plain.answered.{phase}", n=format_count(n)), ctx.t("plain.small_groups_out")]
    for inst_id in ctx.instruments_in(phase):
        inst = ctx.instrument(inst_id)
        # sentences the instrument's YAML words for participants; a plan's primary outcome without
        # them gets one general sentence; other instruments stay in the full report
        if (inst.extra.get("report") or {}).get("plain") or ctx.plan.is_primary(inst_id, phase):
            sentences.extend(_sentences_for(ctx, data[data["instrument"] == inst_id], inst))
    quotes = _quotes(data.loc[data["text"].fillna("") != "", "text"], ctx.lang)
    original = any(q["lang"] != ctx.lang for q in quotes)     # a Finnish answer on a Swedish page
    return {"id": f"plain-{phase}", "heading": _when(ctx, phase), "sentences": sentences, "quotes": quotes,
            "quotes_intro": ctx.t("plain.quotes_one" if len(quotes) == 1 else "plain.quotes_many"),
            "quotes_note": ctx.t("plain.quotes_original") if original else ""}


def _quotes(texts, lang: str, k: int = QUOTES_PER_PHASE) -> list[dict]:
    """Up to ``k`` distinct quotes for the participants' page (``text`` redacted, ``lang`` the
    language it is written in), in the data's order; quotes that held no personal data first (on
    a short page a marker such as "[puhelinnumero]" reads as the point of the quote; the full
    report shows every kind). Only the first ``4 k`` distinct texts are read, so a large phase
    costs no more than a small one."""
    candidates = list(dict.fromkeys(str(q) for q in texts))[:4 * k]
    shown = [redacted_quote(q, lang) for q in candidates]
    quotes = sorted(zip(candidates, shown), key=lambda pair: pair[1][0] != pair[0])   # stable: clean ones first
    return [{"text": text, "lang": quote_lang} for _, (text, quote_lang) in quotes[:k]]


def _when(ctx, phase: str) -> str:
    """'Alussa (helmikuu 2026)': the phase's heading with the month the plan gives it, if any."""
    heading = ctx.t(f"plain.h.{phase}")
    entry = ctx.plan.phases.get(phase)
    start = entry.start if entry else None
    if start is None:
        return heading
    month = ctx.t("date.month_names").split()[start.month - 1]
    return ctx.t("plain.when", heading=heading, month=month, year=start.year)


def participant_page(ctx, report_href: str | None = None) -> str:
    """The plain-language page of one region as a complete HTML document.

    ``report_href`` is the link to the full report (relative, in the same folder).
    """
    feedback = read_feedback(ctx)
    answer = None
    if feedback is not None:
        contact = dict(feedback.get("contact") or {})
        contact["name"] = _in_language(contact.get("name"), ctx.lang)
        how = ", ".join(str(contact[k]) for k in ("name", "email", "phone") if contact.get(k))
        answer = {"paragraphs": [p.strip() for p in str(feedback["answer"][ctx.lang]).strip().split("\n\n")],
                  "changes": [c.get(ctx.lang) for c in feedback.get("changes", []) if isinstance(c, dict) and c.get(ctx.lang)],
                  "contact": ctx.t("plain.contact", contact=how) if (contact.get("email") or contact.get("phone")) else ""}
    phases = [p for p in (_phase(ctx, ph) for ph in ctx.phases_present()) if p]
    project = ctx.plan.project.get(ctx.lang)
    return render("participants.html.j2", lang=ctx.lang, title=ctx.t("plain.title", region=ctx.region_name), t=ctx.t,
                  synthetic=ctx.synthetic, phases=phases, answer=answer, report_href=report_href,
                  project=ctx.t("plain.project", project=project) if project else "")

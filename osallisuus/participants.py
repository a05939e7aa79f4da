"""The page for participants (``osallistujille.html``): plain language, few numbers.

Seed 004 found that participants rarely hear what became of their input and want to.
This page tells them, in short sentences and common words, what people said in each
phase and what the organisers will do with it. The organisers' answer is read from a
per-region YAML file (``paths.feedback``/<region id>.yaml); without one, the page says
clearly that the answer is still missing.
"""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np

from .errors import ReportError
from .fileio import atomic_write_text, read_yaml_file
from .i18n import t
from .pages import PLAIN_CSS, html_page
from .privacy import safe_quote
from .scoring import valid_answers

# (instrument, item) pairs that plain-language sentences are written about, per phase
HEADLINES = {
    "baseline": [("kehittajaryhma_palaute", "kuulluksi"), ("kehittajaryhma_palaute", "oma_tapa"),
                 ("kehittajaryhma_palaute", "paatoksenteko")],
    "interim": [("soc_g10", None)],
    "final": [("osallisuusindikaattori", "esis05"), ("osallisuusindikaattori", "esis03"), ("osallisuus_24", "q12")],
}


def quantity_word(share: float, lang: str) -> str:
    """A share in words instead of a number: 'lähes kaikki', 'useimmat', 'noin puolet', 'harvat'."""
    for limit, key in ((0.9, "almost_all"), (0.6, "most"), (0.4, "half"), (0.15, "some")):
        if share >= limit:
            return t(f"plain.q.{key}", lang)
    return t("plain.q.few", lang)


def feedback_file(report) -> Path:
    return report.settings.path("feedback") / f"{report.region_info.id}.yaml"


def read_feedback(report) -> dict | None:
    """The organisers' answer for this region, or None when no file exists."""
    path = feedback_file(report)
    doc = read_yaml_file(path)
    if doc is None:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("answer"), dict):
        raise ReportError(f"{path}: expected a mapping with 'answer: {{fi: ..., sv: ..., en: ...}}'")
    missing = [lang for lang in ("fi", "sv", "en") if not doc["answer"].get(lang)]
    if missing:
        raise ReportError(f"{path}: answer has no text in {', '.join(missing)}")
    return doc


def _phase_sentences(report, phase: str) -> list[str]:
    lang = report.lang
    out = []
    data = report.data[report.data["phase"] == phase]
    n = data["respondent_id"].nunique()
    if n == 0 or report.suppression.is_small(n):
        return out
    out.append(t(f"plain.answered.{phase}", lang, people=t("plain.many", lang) if n >= 20 else t("plain.some_people", lang)))
    for instrument, item in HEADLINES[phase]:
        rows = valid_answers(data, instrument) if (data["instrument"] == instrument).any() else data.iloc[0:0]
        if item:
            rows = rows[rows["item"] == item]
        if len(rows) < report.suppression.threshold:
            continue
        from .instruments import load_instrument
        scale = load_instrument(instrument, report.settings).scale
        share = float(np.isin(rows["code"].to_numpy(), scale.positive).mean())
        key = f"plain.s.{instrument}.{item}" if item else f"plain.s.{instrument}"
        out.append(t(key, lang, who=quantity_word(share, lang)))
    return out


def participant_page(report) -> str:
    """The plain-language page of one region as a complete HTML document."""
    lang = report.lang
    esc = html.escape
    title = t("plain.title", lang, region=report.region_name)
    body = [f'<h1 id="top">{esc(title)}</h1>']
    if report.synthetic:
        body.append(f'<p class="warning"><strong>{esc(t("rep.synthetic", lang))}</strong></p>')
    body.append(f"<p>{esc(t('plain.thanks', lang))}</p>")
    for phase in ("baseline", "interim", "final"):
        sentences = _phase_sentences(report, phase)
        if not sentences:
            continue
        body.append(f'<h2 id="plain-{phase}">{esc(t(f"plain.h.{phase}", lang))}</h2>')
        body.extend(f"<p>{esc(s)}</p>" for s in sentences)
        texts = report.data[(report.data["phase"] == phase) & (report.data["text"].fillna("") != "")]
        quotes = texts.drop_duplicates("text").head(2)
        if len(quotes):
            body.append(f"<p>{esc(t('plain.someone_wrote', lang))}</p>")
            body.extend(f'<blockquote lang="fi"><p>{safe_quote(q, lang)}</p></blockquote>' for q in quotes["text"])
    body.append(f'<h2 id="plain-next">{esc(t("plain.h.next", lang))}</h2>')
    feedback = read_feedback(report)
    if feedback is None:
        body.append(f'<p class="warning">{esc(t("plain.no_answer", lang))}</p>')
    else:
        for para in str(feedback["answer"][lang]).strip().split("\n\n"):
            body.append(f"<p>{esc(para.strip())}</p>")
        changes = [c.get(lang) for c in feedback.get("changes", []) if isinstance(c, dict) and c.get(lang)]
        if changes:
            body.append(f"<p>{esc(t('plain.changes', lang))}</p><ul>" + "".join(f"<li>{esc(c)}</li>" for c in changes) + "</ul>")
        contact = feedback.get("contact") or {}
        if contact.get("email") or contact.get("phone"):
            how = ", ".join(str(contact[k]) for k in ("name", "email", "phone") if contact.get(k))
            body.append(f"<p>{esc(t('plain.contact', lang, contact=how))}</p>")
    body.append(f"<p>{esc(t('plain.full_report', lang))}</p>")
    return html_page("\n".join(body), lang=lang, title=title, extra_css=PLAIN_CSS)


def write_participant_page(report, output_dir: str | Path) -> Path:
    """Write ``<output_dir>/<region id>/osallistujille[_lang].html`` atomically."""
    from .batch import output_names
    out = Path(output_dir)
    if not out.is_absolute():
        out = report.settings.root / out
    path = out / report.region_info.id / output_names(report.lang)["participants"]
    atomic_write_text(path, participant_page(report))
    return path

"""HTML from Jinja2 templates (``osallisuus/templates``), with autoescape on.

Every page the project writes (report, participants' page, index) extends
``base.html.j2`` and uses one stylesheet, ``base.css``, plus its own. No HTML is built from
strings in Python: code passes data, templates decide markup.
"""
from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

__all__ = ["environment", "render", "render_section", "render_document", "table_of_contents", "toc_position"]


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("osallisuus", "templates"),
                             autoescape=True, trim_blocks=False, lstrip_blocks=False,
                             undefined=jinja2.StrictUndefined)
    env.globals["css"] = _css
    env.globals["t"] = _t
    # output already rendered by a trusted renderer (nbconvert's markdown filter, pandas)
    env.filters["trusted"] = Markup
    return env


def _t(key: str, lang: str, **values) -> str:
    """A translation (``t(key, lang, ...)`` in a template; a page's own ``t`` may stand in for it)."""
    from .i18n import t
    return t(key, lang, **values)


@functools.lru_cache(maxsize=None)
def _css(name: str) -> Markup:
    source, _, _ = environment().loader.get_source(environment(), name)
    return Markup(source)


def render(template: str, **context) -> str:
    """Render ``template`` with ``context``."""
    return environment().get_template(template).render(**context)


def render_section(section) -> str:
    """One :class:`~osallisuus.report.model.Section` as an HTML fragment (what a notebook shows)."""
    return render("section.html.j2", section=section)


def table_of_contents(headings) -> list[tuple]:
    """[(h2, [h3, ...]), ...] from the headings in order (an h3 before any h2 stands alone)."""
    toc: list[tuple] = []
    for h in headings:
        if h.level == 3 and toc:
            toc[-1][1].append(h)
        elif h.level in (2, 3):
            toc.append((h, []))
    return toc


def render_document(doc, *, toc_label: str | None = None) -> str:
    """A :class:`~osallisuus.export.document.ReportDocument` as one self-contained page.

    The table of contents follows the first section (the title block).
    """
    from .i18n import t
    label = toc_label or t("rep.toc", doc.lang)
    return render(doc.template, doc=doc, lang=doc.lang, title=doc.title, toc=table_of_contents(doc.headings()),
                  toc_label=label, toc_after=toc_position(doc))


def toc_position(doc) -> int:
    """After a title section (one that opens with an h1), else at the top."""
    first = doc.sections[0].headings() if doc.sections else []
    return 1 if len(doc.sections) > 1 and first and first[0].level == 1 else 0

"""The flow of respondents across phases: how many answered in each phase and how many link.

A respondent links two phases when the same ``respondent_id`` answered in both (the pairs a
paired change test uses). :func:`linked_flow` counts respondents per phase and linked
respondents per pair of phases (each phase to the next, and the first to the last);
:func:`flow_figure` draws it: one bar per phase, a band between two phases as wide as the
respondents who answered both.

Privacy (the suppression rule, default k = 5): a count under k shows as the symbol ("<5"),
and so does a linked count whose difference from either phase's count (the respondents who
answered only one of the two) would be under k, since a reader could subtract the two
numbers shown. So no shown count, and no difference of a phase and a link shown together,
is a group of 1 to k − 1 respondents.
"""
from __future__ import annotations

import pandas as pd

from .i18n import phase_label, t
from .numbers import format_count
from .suppression import Suppression
from .vocab import PHASES

__all__ = ["linked_flow", "flow_figure"]

FLOW_COLUMNS = ["from_phase", "to_phase", "n_from", "n_to", "linked"]


def _pairs(phases: list[str]) -> list[tuple[str, str]]:
    pairs = list(zip(phases, phases[1:]))
    if len(phases) > 2:
        pairs.append((phases[0], phases[-1]))
    return pairs


def _shown(n: int, sup: Suppression) -> str:
    return sup.symbol if n == 0 or sup.is_small(n) else format_count(n)


def _shown_link(linked: int, n_from: int, n_to: int, sup: Suppression) -> str:
    """The linked count as shown: the symbol when it, or a group it lets a reader derive, is small."""
    derived = [n_from - linked, n_to - linked]
    if linked == 0 or sup.is_small(linked) or any(0 < d and sup.is_small(d) for d in derived):
        return sup.symbol
    return str(linked)


def linked_flow(data: pd.DataFrame, suppression: Suppression | int | None = None) -> pd.DataFrame:
    """Respondents per phase and linked respondents per pair of phases, with the counts as shown.

    Parameters
    ----------
    data : DataFrame
        Answers in the canonical long form (``respondent_id``, ``phase``), e.g. validated data.
    suppression : Suppression or int, optional
        The threshold k (default: the project's, 5).

    Returns
    -------
    DataFrame
        One row per pair of phases with answers (each to the next, then first to last):
        respondents ``n_from`` and ``n_to`` in the two phases and ``linked``, those who answered
        in both, as texts to publish ("<5" where suppressed).

    Examples
    --------
    Seven respondents answered at baseline, six at the end; five of them both. Without a
    threshold (k = 1) the five show; at k = 3 the link is hidden, because the two who answered
    only at baseline could be worked out from it (7 − 5 = 2 < 3):

    >>> frame = pd.DataFrame({"respondent_id": [*"abcdefg", *"abcdeh"],
    ...                       "phase": ["baseline"] * 7 + ["final"] * 6})
    >>> linked_flow(frame, suppression=Suppression(1)).values.tolist()
    [['baseline', 'final', '7', '6', '5']]
    >>> linked_flow(frame, suppression=3)["linked"].tolist()
    ['<3']
    """
    from .interactive import as_suppression
    sup = as_suppression(suppression)
    sets = {p: set(data.loc[data["phase"].astype(str) == p, "respondent_id"].astype(str)) for p in PHASES}
    phases = [p for p in PHASES if sets[p]]
    rows = []
    for a, b in _pairs(phases):
        n_a, n_b, linked = len(sets[a]), len(sets[b]), len(sets[a] & sets[b])
        rows.append([a, b, _shown(n_a, sup), _shown(n_b, sup), _shown_link(linked, n_a, n_b, sup)])
    out = pd.DataFrame(rows, columns=FLOW_COLUMNS)
    out.attrs["phases"] = {p: _shown(len(sets[p]), sup) for p in phases}
    out.attrs["threshold"] = sup.threshold
    return out


def _band(ax, x0: float, x1: float, y0: float, y1: float, height: float, **style) -> None:
    import numpy as np
    xs = np.linspace(x0, x1, 50)
    s = (1 - np.cos(np.pi * (xs - x0) / (x1 - x0))) / 2        # a smooth S from one bar to the next
    mid = y0 + (y1 - y0) * s
    ax.fill_between(xs, mid, mid + height, **style)


def flow_figure(flow: pd.DataFrame, ax=None, lang: str = "fi"):
    """Bars of respondents per phase and bands of linked respondents between phases.

    Only the shown counts are drawn: a suppressed phase or link has no bar or band of its
    size (a thin dashed outline and the symbol instead), so the picture reveals no more than
    the numbers. The alt text (:func:`osallisuus.figures.alt_text`) lists every shown count.

    Parameters
    ----------
    flow : DataFrame
        :func:`linked_flow`'s result.
    ax : matplotlib Axes, optional
    lang : {'fi', 'sv', 'en'}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> frame = pd.DataFrame({"respondent_id": [*"abcdefg", *"abcdeh"],
    ...                       "phase": ["baseline"] * 7 + ["final"] * 6})
    >>> from osallisuus.figures import alt_text
    >>> alt_text(flow_figure(linked_flow(frame, suppression=5), lang="en")).split(": ")[1].split(".")[0]
    'baseline 7; final 6; both baseline and final <5'
    """
    from .figures import _new_ax, _set_alt
    ax = _new_ax(ax, height=3.6, width=8.0)
    shown = flow.attrs.get("phases", {})
    phases = list(shown)
    x = {p: i * 3.0 for i, p in enumerate(phases)}
    size = {p: int(v) if v.isdigit() else 0 for p, v in shown.items()}
    top = max([*size.values(), 1])
    for p in phases:
        h = size[p] / top
        style = dict(color="#5e3c99") if size[p] else dict(fill=False, linestyle="--", edgecolor="#4a4a4a")
        ax.bar(x[p], h if size[p] else 0.05, width=0.5, bottom=0, **style)
        ax.text(x[p], (h if size[p] else 0.05) + 0.03, shown[p], ha="center", va="bottom", fontsize=10)
        ax.text(x[p], -0.06, phase_label(p, lang), ha="center", va="top", fontsize=10)
    for r in flow.itertuples():
        if abs(phases.index(r.to_phase) - phases.index(r.from_phase)) != 1:   # first to last: a line below
            ax.text((x[r.from_phase] + x[r.to_phase]) / 2, -0.2, t("flow.alt_link", lang, n=r.linked,
                    a=phase_label(r.from_phase, lang).lower(), b=phase_label(r.to_phase, lang).lower()).capitalize(),
                    ha="center", va="top", fontsize=9)
            continue
        n = int(r.linked) if r.linked.isdigit() else 0
        h = n / top if n else 0.02
        style = dict(color="#b2abd2", alpha=0.9) if n else dict(color="#d9d9d9", alpha=0.9, hatch="//")
        _band(ax, x[r.from_phase] + 0.25, x[r.to_phase] - 0.25, 0, 0, h, **style)
        ax.text((x[r.from_phase] + x[r.to_phase]) / 2, h + 0.03, t("flow.linked", lang, n=r.linked),
                ha="center", va="bottom", fontsize=9)
    ax.set_xlim(-0.8, (len(phases) - 1) * 3.0 + 0.8)
    ax.set_ylim(-0.42, 1.25)
    ax.axis("off")
    ax.set_title(t("flow.title", lang), fontsize=11, loc="left")
    parts = [t("flow.alt_phase", lang, phase=phase_label(p, lang).lower(), n=shown[p]) for p in phases]
    links = [t("flow.alt_link", lang, a=phase_label(r.from_phase, lang).lower(), b=phase_label(r.to_phase, lang).lower(),
               n=r.linked) for r in flow.itertuples()]
    note = t("flow.note", lang, k=flow.attrs.get("threshold", 5))
    ax.text(-0.8, -0.42, note, fontsize=8, va="bottom", color="#4a4a4a")
    return _set_alt(ax, t("flow.alt", lang) + " " + "; ".join(parts + links) + ". " + note)

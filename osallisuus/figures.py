"""Figures: diverging Likert bars, phase trajectories, region comparison.

Every plot function takes ``ax=None``, ``lang`` and ``suppression``, returns the Axes, and
leaves an alt text generated from the plotted numbers in ``ax.figure.osallisuus_alt`` (read
it with :func:`alt_text`). :func:`figure_image` turns a figure into image data (PNG or SVG)
with that alt text, for the report's figure blocks.

Accessibility: colours come from ColorBrewer's colour-blind-safe diverging PuOr palette
(negative answers orange, positive purple, an odd scale's neutral middle mid grey; the
"En osaa sanoa" category a darker grey in its own panel). Nothing is told by colour alone:
negative segments are hatched, the missing category cross-hatched, segments of 8 % or more
carry their percentage, lines differ by marker shape and are labelled at their end, and the
highlighted region is bold, larger and marked with an arrow.

Privacy: a bar, point or line based on fewer answers than the suppression threshold is left
out, and a note under the plot (and in the alt text) says that groups with fewer than k
answers are not shown, never which or how many. ``suppression=None`` uses the project's
threshold (:meth:`Suppression.from_settings`); pass ``Suppression(1)`` to show everything.
"""
from __future__ import annotations

import base64
import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # reports render off-screen; set before pyplot is imported
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .coded import text_codes  # noqa: E402
from .i18n import fmt_number, fmt_percent, phase_label, role_label, t  # noqa: E402
from .numbers import format_count  # noqa: E402
from .scoring import _instrument  # noqa: E402
from .suppression import Suppression  # noqa: E402
from .svg import PAD_INCHES, svg_bytes  # noqa: E402
from .vocab import PHASES  # noqa: E402

MISSING_COLOUR = "#8c8c8c"
NEUTRAL_COLOUR = (0.80, 0.80, 0.80, 1.0)
INK = "#1a1a1a"
MARKERS = ["o", "s", "^", "D", "v", "P"]
LINE_STYLES = ["-", "--", "-.", ":", "-", "--"]
# ColorBrewer-based, distinct for the common colour-vision deficiencies and in greyscale
LINE_COLOURS = ["#5e3c99", "#e66101", "#1b7837", "#0571b0", "#b2182b", "#4d4d4d"]
NEGATIVE_HATCH, MISSING_HATCH = "///", "xx"
PHASE_ORDER = PHASES


# --------------------------------------------------------------------- helpers
def _palette(k: int) -> list:
    """k colours from negative (orange) to positive (purple), ColorBrewer PuOr; an odd scale's
    middle is a mid grey, since PuOr's own near-white middle vanishes on a white page."""
    cmap = matplotlib.colormaps["PuOr"]
    colours = [cmap(x) for x in np.linspace(0.1, 0.9, k)] if k > 1 else [cmap(0.85)]
    if k % 2:
        colours[k // 2] = NEUTRAL_COLOUR
    return colours


def _suppression(suppression: Suppression | None) -> Suppression:
    if suppression is not None:
        return suppression
    try:
        return Suppression.from_settings()
    except Exception:  # noqa: BLE001 - a broken settings file is reported elsewhere
        return Suppression()


def _new_ax(ax, height: float = 4.0, width: float = 8.0):
    if ax is None:
        _, ax = plt.subplots(figsize=(width, height), dpi=110)
    return ax


def _set_alt(ax, text: str, head: str = ""):
    """Leave the alt text on the figure; ``head`` is its first sentence (what kind of figure of
    what), the short alt text of a page that gives the numbers in a table of their own."""
    ax.figure.osallisuus_alt = " ".join(text.split())
    ax.figure.osallisuus_alt_head = " ".join(head.split())
    return ax


def alt_text(ax, short: bool = False) -> str:
    """The alt text a plot function generated for this Axes' figure; ``short``: only its first
    sentence, for a page that gives the numbers as a table too (:func:`figure_values`)."""
    if short and getattr(ax.figure, "osallisuus_alt_head", ""):
        return ax.figure.osallisuus_alt_head
    return getattr(ax.figure, "osallisuus_alt", "")


def _set_values(ax, columns: list[str], rows: list[list[str]], row_headers: int = 1) -> None:
    ax.figure.osallisuus_values = {"columns": columns, "rows": rows, "row_headers": row_headers}


def figure_values(ax) -> dict | None:
    """The numbers a plot function drew, as text in a table: ``{"columns": [...], "rows":
    [[...], ...], "row_headers": k}`` (each row's first k cells name it), formatted as the
    figure and its alt text give them; None for a figure of nothing.

    WCAG 1.1.1 for a complex image: a short alt text and the data in a table a screen reader
    can move about in (an alt text of 600 characters cannot be navigated). The table shows what
    the figure shows and nothing more: bars and points left out as small are not in it.
    """
    values = getattr(ax.figure, "osallisuus_values", None)
    return values if values and values["rows"] else None


def is_empty(ax) -> bool:
    """Whether a plot function left every bar of this Axes' figure out (all withheld as small)."""
    return bool(getattr(ax.figure, "osallisuus_empty", False))


def _group_label(by: str | None, value, lang: str) -> str:
    try:
        if by == "role":
            return role_label(str(value), lang)
        if by == "phase":
            return phase_label(str(value), lang)
    except KeyError:
        pass
    return str(value)


def _ordered_groups(frame: pd.DataFrame, by: str) -> list[str]:
    return _group_order(frame[by], set(frame[by].astype(str)), by)


def _group_order(column: pd.Series, present: set[str], by: str) -> list[str]:
    """The groups ``present`` (as text) of ``column`` in its categories' order, the phases'
    for ``by`` 'phase', else alphabetical."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        order = [str(c) for c in column.cat.categories]
    elif by == "phase":
        order = list(PHASE_ORDER)
    else:
        order = sorted(present)
    return [g for g in order if g in present]


def _note(ax, text: str, offset_pt: float = 34) -> None:
    """A small note under the Axes (below tick labels and axis label)."""
    ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -offset_pt), textcoords="offset points",
                ha="left", va="top", fontsize=8, color=INK, fontstyle="italic", annotation_clip=False)


def _tidy(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _number_formatter(lang: str, decimals: int = 0):
    return mticker.FuncFormatter(lambda v, _: fmt_number(v, lang, decimals))


# ---------------------------------------------------------------- Likert bars
def _neg_to_pos(scale) -> list[float]:
    """Valid codes ordered from the negative end (left) to the positive end (right)."""
    codes = [p.code for p in scale.points]              # display order
    if scale.positive:
        flip = codes[0] in scale.positive
    else:
        flip = codes[0] > codes[-1]
    return codes[::-1] if flip else codes


def likert_bars(data: pd.DataFrame, instrument, by: str | None = None, ax=None, lang: str = "fi",
                suppression: Suppression | None = None, item_labels: bool = True, wrap: int = 40,
                withhold=(), groups=None):
    """Diverging stacked bars of answer shares per item (and per group ``by``).

    Parameters
    ----------
    data : DataFrame
        Validated answers (long: one row per answer).
    instrument : str or Instrument
    by : "role", "phase" or another column, optional
        One bar per item x group; the item's wording heads each cluster of bars.
    withhold : collection of str
        Items whose bars are left out (e.g. items with hidden counts in a table of the same
        answers, whose bars would give them back).
    groups : collection of str, optional
        With ``by``: draw only these groups' bars (e.g. clients and professionals). The other
        groups in ``data`` still count in what the drawn bars leave of each item's total.
    item_labels : bool
        Label items by their wording (True) or by number, "Kohta 1" (False; for a figure
        next to a table that gives the wording).
    wrap : int
        Characters per line of an item's wording.

    Notes
    -----
    Segment widths are shares of *valid* answers (they add up to 1), centred on the scale's
    neutral point: an odd scale's middle category is split half and half around zero, an
    even scale's bars meet at zero between its two middle categories. The missing category
    ("En osaa sanoa") is a separate grey bar in its own panel to the right of the diverging
    bars, as a share of *all* answers of that item and group. A bar with fewer valid answers
    than the threshold is left out. With ``by``, an item's answer table gives its total, so
    the bars drawn must not give a left-out group's counts back by subtraction: a group's bar
    is drawn only as :meth:`~osallisuus.suppression.Suppression.shown_groups` allows (each
    count of the bar, and of what the drawn bars leave of the total, 0 or at least the threshold).
    """
    inst = _instrument(instrument)
    sup = _suppression(suppression)
    scale = inst.scale
    codes = _neg_to_pos(scale)
    k = len(codes)
    n_neg = k // 2                                      # codes left of the neutral point
    missing_codes = scale.missing_codes
    label_of = {p.code: p.label[lang] for p in scale.all_points}
    bars, omitted, small_cells = _likert_selection(data, inst, by, sup, withhold, lang, item_labels, groups)

    # y positions: top to bottom in instrument order; a gap row heads each item's cluster
    ys, headings, pos = [], [], 0.0
    for i, bar in enumerate(bars):
        if by and (i == 0 or bars[i - 1]["item"] != bar["item"]):
            pos += 0.35 if i else 0.0
            headings.append((pos, bar["text"]))
            pos += 0.85
        ys.append(pos)
        pos += 1.0
    n_rows = pos
    ax = _new_ax(ax, height=max(2.6, 0.36 * n_rows + 2.0), width=9.5)
    colours = _palette(k)
    lefts = []
    for bar in bars:
        s = bar["shares"]
        lefts.append(-(s[:n_neg].sum() + (s[n_neg] / 2 if k % 2 else 0.0)))
    extent = max([abs(lft) for lft in lefts] + [lft + b["shares"].sum() for lft, b in zip(lefts, bars)] + [0.5])
    lim = min(1.0, np.ceil(extent * 4 - 1e-9) / 4)
    segments: dict[int, list[tuple[float, float, float]]] = {}   # category -> (y, width, left): one barh each
    for yy, bar, left in zip(ys, bars, lefts):
        for j, share in enumerate(bar["shares"]):
            if share > 0:
                neg = j < n_neg
                segments.setdefault(j, []).append((yy, share, left))
                if share >= 0.08:
                    # on a hatched segment the label sits on a white box with dark text (readable over
                    # the hatching); elsewhere white text on dark segments, dark on light ones
                    dark = np.dot(colours[j][:3], (0.299, 0.587, 0.114)) < 0.5 and not neg
                    ax.text(left + share / 2, yy, fmt_percent(share, lang), ha="center", va="center", fontsize=7.5,
                            color="white" if dark else INK,
                            bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none") if neg else None)
            left += share
    for j, segs in sorted(segments.items()):
        y_, w_, l_ = zip(*segs)
        ax.barh(y_, w_, left=l_, height=0.78, color=colours[j], edgecolor="white", linewidth=0.6,
                hatch=NEGATIVE_HATCH if j < n_neg else None)
    gap_x = lim + 0.12
    if missing_codes and bars:
        width = max(0.3, max(b["missing_share"] for b in bars) + 0.14)
        ax.barh(ys, [b["missing_share"] for b in bars], left=gap_x, height=0.78, color=MISSING_COLOUR,
                hatch=MISSING_HATCH, edgecolor="white", linewidth=0.6)
        for yy, bar in zip(ys, bars):
            ax.text(gap_x + bar["missing_share"] + 0.015, yy, fmt_percent(bar["missing_share"], lang),
                    va="center", fontsize=7.5, color=INK)
        ax.axvline(gap_x - 0.06, color=INK, linewidth=0.6, linestyle=":")
        ax.text(gap_x, -0.55, t("fig.missing_panel", lang, label=" / ".join(label_of[c] for c in missing_codes)),
                ha="left", va="bottom", fontsize=7.5, color=INK)
        right = gap_x + width
    else:
        right = lim + 0.02
    ax.axvline(0, color=INK, linewidth=0.9)
    for yh, text in headings:
        wrapped = "\n".join(textwrap.wrap(text, wrap * 2))
        ax.text(-lim, yh, wrapped, ha="left", va="center", fontsize=8.5, fontweight="bold", color=INK,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none"), zorder=4)
    ax.set_yticks(ys)
    if by:
        ax.set_yticklabels([_group_label(by, b["group"], lang) for b in bars], fontsize=8)
    else:
        ax.set_yticklabels(["\n".join(textwrap.wrap(b["text"], wrap)) for b in bars], fontsize=8)
    ax.tick_params(axis="y", left=False, length=0)     # no tick marks (not even zero-length ones to draw)
    ax.set_ylim(n_rows - 0.4 if bars else 1, -1.0 if missing_codes else -0.6)   # first item at the top
    ticks = np.arange(-lim, lim + 1e-9, 0.25)
    ax.set_xticks(ticks)
    ax.set_xticklabels([fmt_percent(abs(x), lang) for x in ticks], fontsize=8)
    ax.set_xlim(-lim - 0.02, right)
    ax.set_xlabel(t("fig.likert_xlabel", lang), fontsize=8.5)
    _tidy(ax)
    ax.spines["left"].set_visible(False)
    # legend: the scale's labels in display order, then the missing category
    handles = []
    for p in scale.points:
        j = codes.index(p.code)
        handles.append(Patch(facecolor=colours[j], edgecolor="white", hatch=NEGATIVE_HATCH if j < n_neg else None,
                             label=label_of[p.code]))
    for c in missing_codes:
        handles.append(Patch(facecolor=MISSING_COLOUR, edgecolor="white", hatch=MISSING_HATCH, label=label_of[c]))
    ax.legend(handles=handles, fontsize=7.5, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=len(handles) if sum(len(h.get_label()) for h in handles) < 110 else (len(handles) + 1) // 2,
              handlelength=1.6, columnspacing=1.2)
    note = t("fig.small_cells_note" if small_cells else "fig.suppressed_note", lang, k=sup.threshold)
    if omitted:
        _note(ax, note)
    if not bars:
        ax.text(0, 0, t("fig.no_data", lang), ha="center", va="center", fontsize=9)

    # alt text: what is compared, then each bar's positive / negative / missing shares
    name = inst.name[lang]
    ax.figure.osallisuus_empty = not bars
    if not bars:
        alt = [t("fig.likert_alt_empty", lang, instrument=name)]
    elif by:
        shown = list(dict.fromkeys(_group_label(by, b["group"], lang) for b in bars))
        alt = [t("fig.likert_alt_groups", lang, instrument=name, n=len({b['item'] for b in bars}),
                 groups=", ".join(shown))]
    else:
        alt = [t("fig.likert_alt_items", lang, instrument=name, n=len(bars))]
    missing_label = " / ".join(label_of[c] for c in missing_codes)
    _likert_values(ax, bars, scale, codes, by, lang, missing_label if missing_codes else "")
    for bar in bars:
        label = bar["text"].rstrip(".?!") + (f" ({_group_label(by, bar['group'], lang)})" if by else "")
        part = t("fig.likert_alt_row", lang, label=label, pos=fmt_percent(bar["pos"], lang),
                 neg=fmt_percent(bar["neg"], lang), n=format_count(bar["n"]))
        if missing_codes and bar["missing_share"] > 0:
            part += t("fig.likert_alt_missing", lang, label=missing_label, share=fmt_percent(bar["missing_share"], lang))
        alt.append(part + ".")
    if omitted:
        alt.append(note)
    return _set_alt(ax, " ".join(alt), head=" ".join([alt[0], note] if omitted else alt[:1]))


def _likert_values(ax, bars: list[dict], scale, codes: list, by: str | None, lang: str, missing_label: str) -> None:
    """The Likert figure's table: each bar's shares of the valid answers in the scale's order,
    the missing category's share of all answers, n."""
    order = [codes.index(p.code) for p in scale.points]
    columns = [t("rep.col.item", lang)] + ([_by_header(by, lang)] if by else [])
    columns += [p.label[lang] for p in scale.points]
    if missing_label:
        columns.append(" ".join(t("fig.missing_panel", lang, label=missing_label).split()))
    columns.append(t("rep.col.n", lang))
    rows = []
    for bar in bars:
        row = [bar["text"]] + ([_group_label(by, bar["group"], lang)] if by else [])
        row += [fmt_percent(bar["shares"][j], lang) for j in order]
        if missing_label:
            row.append(fmt_percent(bar["missing_share"], lang))
        rows.append(row + [format_count(bar["n"])])
    _set_values(ax, columns, rows, 2 if by else 1)


def _interval(low, high, lang: str) -> str:
    """'3,1–3,5'; '–' when either end is missing (too few answers for an interval)."""
    if pd.isna(low) or pd.isna(high):
        return fmt_number(None, lang)
    return f"{fmt_number(low, lang)}–{fmt_number(high, lang)}"


def _by_header(by: str | None, lang: str) -> str:
    """The heading of a column of groups: role, phase, region, or group."""
    return t({"role": "rep.col.role", "phase": "rep.col.phase", "region": "rep.col.region"}.get(str(by), "rep.col.group"),
             lang)


def likert_has_bars(data: pd.DataFrame, instrument, by: str | None = None, suppression: Suppression | None = None,
                    withhold=(), groups=None) -> bool:
    """Whether :func:`likert_bars` with these arguments draws any bar, found without drawing
    (a report says in a sentence why a figure of nothing is left out, and need not make it)."""
    inst = _instrument(instrument)
    return bool(_likert_selection(data, inst, by, _suppression(suppression), withhold, groups=groups)[0])


def _likert_selection(data: pd.DataFrame, inst, by: str | None, sup: Suppression, withhold=(), lang: str = "fi",
                      item_labels: bool = True, groups=None) -> tuple[list[dict], bool, bool]:
    """The bars :func:`likert_bars` draws, in order (item, its text, group, shares of the valid
    answers in :func:`_neg_to_pos` order, n, share missing, positive and negative share), and
    whether a bar was left out (``omitted``) and whether for a small count (``small_cells``)."""
    scale = inst.scale
    codes = _neg_to_pos(scale)
    n_neg = len(codes) // 2
    positive = set(scale.positive) if scale.positive else set(codes[len(codes) - n_neg:])
    negative = set(codes[:n_neg]) - positive
    missing_codes = scale.missing_codes
    tally, every = _likert_tally(data, inst, by)
    drawn = every if groups is None or not by else [g for g in every if g in {str(x) for x in groups}]
    answered = {item for item, _ in tally}
    bars, omitted, small_cells = [], False, False
    for number, item in enumerate(inst.rated_items, start=1):
        text = inst.item_text(item, lang) if item_labels else t("fig.item_number", lang, n=number)
        if item in set(withhold) and item in answered:
            omitted = small_cells = True
            continue
        # what the bars drawn leave of the item's total (public in its answer table) is a group too
        allowed = set(sup.shown_groups({g: [tally.get((item, g), {}).get(c, 0) for c in [*codes, *missing_codes]]
                                        for g in every})) if by and sup.small_counts else set(every)
        for g in drawn:
            counts = tally.get((item, "" if g is None else g), {})
            n_valid = int(sum(counts.get(c, 0) for c in codes))
            n_missing = int(sum(counts.get(c, 0) for c in missing_codes))
            if n_valid == 0:
                continue
            if sup.is_small(n_valid):
                omitted = True
                continue
            if sup.small_counts and (np.any(sup.is_small([counts.get(c, 0) for c in [*codes, *missing_codes]]))
                                     or g not in allowed):
                omitted = small_cells = True        # its shares and n (or the total less them) give a small count
                continue
            shares = np.array([counts.get(c, 0) / n_valid for c in codes], dtype=float)
            bars.append({"item": item, "text": text, "group": g, "shares": shares, "n": n_valid,
                         "missing_share": n_missing / (n_valid + n_missing),
                         "pos": float(sum(s for c, s in zip(codes, shares) if c in positive)),
                         "neg": float(sum(s for c, s in zip(codes, shares) if c in negative))})
    return bars, omitted, small_cells


def _likert_tally(data: pd.DataFrame, inst, by: str | None) -> tuple[dict, list]:
    """The answers of ``data`` to ``inst``'s rated items per (item, group, code) as
    ``{(item, group): {code: n}}`` (item and group as text; group '' without ``by``), and the
    groups in their order (:func:`_ordered_groups`; ``[None]`` without ``by``). Counted on the
    columns' category codes: text copies of three columns and a groupby cost ten times more."""
    item_code, item_text = text_codes(data["item"])
    inst_code, inst_text = text_codes(data["instrument"])
    answer = data["code"].to_numpy()
    keep = (np.isin(inst_text, [inst.id])[inst_code] & pd.notna(answer)
            & np.isin(item_text, list(inst.rated_items))[item_code])
    group_code, group_text = text_codes(data[by]) if by else (np.zeros(len(data), np.int64), np.array([""], dtype=object))
    keep &= np.not_equal(group_text, None)[group_code]       # a missing group value is no group
    values, value_code = np.unique(answer[keep].astype(float), return_inverse=True)
    cells, counts = np.unique((item_code[keep] * len(group_text) + group_code[keep]) * len(values) + value_code,
                              return_counts=True)
    pair, value_of = np.divmod(cells, max(len(values), 1))
    tally: dict = {}
    for item, group, value, n in zip(item_text[pair // len(group_text)].tolist(), group_text[pair % len(group_text)].tolist(),
                                     values[value_of].tolist(), counts.tolist()):
        counts_of = tally.setdefault((item, group), {})
        counts_of[value] = counts_of.get(value, 0) + n
    every = _group_order(data[by], set(group_text[np.unique(group_code[keep])]), by) if by else [None]
    return tally, every


# ---------------------------------------------------------------- trajectory
def trajectory(summary: pd.DataFrame, ax=None, lang: str = "fi", suppression: Suppression | None = None,
               group: str | None = "role", ylabel: str | None = None):
    """Means per phase with 95 % confidence intervals, one line per group.

    ``summary`` has columns phase, mean, ci_low, ci_high, n (as from
    :func:`osallisuus.change.phase_summary`), optionally ``suppressed`` and a group column
    (``group``, default "role"; without it one line). Rows with ``suppressed`` True or
    n below the threshold are left out, with the note.
    """
    sup = _suppression(suppression)
    ax = _new_ax(ax, height=3.8, width=7.5)
    data = summary.copy()
    small = data["suppressed"].fillna(False).astype(bool) if "suppressed" in data else pd.Series(False, index=data.index)
    small = small | pd.Series(np.atleast_1d(sup.is_small(data["n"].to_numpy())), index=data.index)
    pinned = data["pinned"].fillna(False).astype(bool) if "pinned" in data else pd.Series(False, index=data.index)
    # why groups are missing: fewer answers than the threshold, or a mean that would give such a count
    notes = [t(key, lang, k=sup.threshold) for key, left_out in (("fig.suppressed_note", small & ~pinned),
                                                                  ("fig.pinned_note", pinned)) if left_out.any()]
    omitted = bool(small.any())
    data = data[~small & data["mean"].notna()]
    phases = [p for p in PHASE_ORDER if p in set(data["phase"].astype(str))]
    x_of = {p: i for i, p in enumerate(phases)}
    has_groups = bool(group) and group in data.columns
    groups = _ordered_groups(data, group) if has_groups and len(data) else [None]
    alt_parts, ends, rows = [], [], []
    for i, g in enumerate(groups):
        part = data if g is None else data[data[group].astype(str) == g]
        part = part.assign(_x=part["phase"].astype(str).map(x_of)).sort_values("_x")
        if part.empty:
            continue
        label = _group_label(group, g, lang) if g is not None else t("tab.total", lang)
        yerr = np.vstack([part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]).astype(float)
        yerr = np.clip(np.nan_to_num(yerr, nan=0.0), 0, None)
        x = part["_x"].to_numpy(dtype=float) + (i - (len(groups) - 1) / 2) * 0.06   # dodge overlapping bars
        ax.errorbar(x, part["mean"], yerr=yerr, marker=MARKERS[i % 6], markersize=6, linestyle=LINE_STYLES[i % 6],
                    color=LINE_COLOURS[i % 6], capsize=3, linewidth=1.6, label=label)
        ends.append((float(part["mean"].iloc[-1]), float(x[-1]), label, LINE_COLOURS[i % 6]))
        values = [t("fig.trajectory_alt_point", lang, phase=phase_label(p, lang).lower(), mean=fmt_number(m, lang),
                    low=fmt_number(lo, lang), high=fmt_number(hi, lang))
                  for p, m, lo, hi in zip(part["phase"].astype(str), part["mean"], part["ci_low"], part["ci_high"])]
        alt_parts.append(f"{label}: " + ", ".join(values))
        rows += [([label] if has_groups else []) + [phase_label(p, lang), fmt_number(m, lang),
                                                   _interval(lo, hi, lang)]
                 for p, m, lo, hi in zip(part["phase"].astype(str), part["mean"], part["ci_low"], part["ci_high"])]
    _set_values(ax, ([_by_header(group, lang)] if has_groups else [])
                + [t("rep.col.phase", lang), t("rep.col.mean", lang), t("rep.col.ci", lang)], rows, 1 + has_groups)
    _end_labels(ax, ends)
    ax.set_xticks(range(len(phases)))
    ax.set_xticklabels([phase_label(p, lang) for p in phases], fontsize=9)
    ax.set_xlim(-0.4, max(len(phases) - 1, 1) + 0.75)
    ax.set_ylabel(ylabel or t("fig.mean", lang), fontsize=9)
    ax.yaxis.set_major_formatter(_number_formatter(lang, 0 if data["mean"].abs().max() >= 20 else 1)
                                 if len(data) else _number_formatter(lang))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _tidy(ax)
    if len(groups) > 1:                 # above the plot, as in the Likert bars: never over a line
        ax.legend(fontsize=8, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(groups),
                  handlelength=2.6, columnspacing=1.4)
    if omitted:
        _note(ax, " ".join(notes), offset_pt=30)
    if data.empty:
        ax.text(0.5, 0.5, t("fig.no_data", lang), ha="center", va="center", transform=ax.transAxes)
    alt = t("fig.trajectory_alt", lang) + " " + "; ".join(alt_parts) + ("." if alt_parts else "")
    head = t("fig.trajectory_alt", lang)
    if omitted:
        alt += " " + " ".join(notes)
        head += " " + " ".join(notes)
    return _set_alt(ax, alt, head=head)


def _end_labels(ax, ends: list[tuple[float, float, str, str]], gap_fraction: float = 0.07) -> None:
    """Label each line at its last point, moving labels apart so that none overlaps another."""
    if not ends:
        return
    ys = [e[0] for e in ends]
    lo, hi = ax.get_ylim()
    gap = gap_fraction * (hi - lo)
    placed: list[float] = []
    for y in sorted(ys):
        placed.append(max(y, placed[-1] + gap) if placed else y)
    shift = max(0.0, (placed[-1] - max(ys)) / 2) if len(placed) > 1 else 0.0   # centre the column on the data
    order = sorted(range(len(ends)), key=lambda i: ends[i][0])
    for rank, i in enumerate(order):
        y, x, label, colour = ends[i]
        at = placed[rank] - shift
        # a plain connector (an annotate arrow is clipped to the text box point by point: 20 ms a label)
        ax.plot([x, x + 0.11], [y, at], color=colour, linewidth=0.6, scalex=False, scaley=False)
        ax.annotate(label, (x + 0.11, at), xytext=(3, 0), textcoords="offset points", fontsize=8, va="center",
                    color=colour)


# --------------------------------------------------------- region comparison
def _reference(reference, lang: str) -> tuple[float | None, str]:
    """(value, label) from a number, a (value, label) pair or an instrument-style mapping."""
    if reference is None:
        return None, ""
    if isinstance(reference, dict):
        label = reference.get("label", "")
        label = label.get(lang, "") if isinstance(label, dict) else str(label)
        value = reference.get("value")
    elif isinstance(reference, (tuple, list)):
        value, label = reference[0], (reference[1] if len(reference) > 1 else "")
    else:
        value, label = reference, ""
    if value is None:
        return None, ""
    return float(value), str(label or t("fig.reference", lang))


def region_comparison(table: pd.DataFrame, ax=None, lang: str = "fi", highlight: str | None = None,
                      reference=None, suppression: Suppression | None = None, xlabel: str | None = None):
    """A score per region with its 95 % interval, highest at the top.

    ``table`` has columns region, mean, ci_low, ci_high, n (optionally ``suppressed``).
    ``highlight`` (a region name as in the table) is bold, drawn as a larger diamond and
    marked with an arrow, not by colour alone. ``reference`` is a number, a ``(value, label)``
    pair or an instrument's ``reference`` mapping (osallisuusindikaattori: FinSote 2019 adult
    population mean 75.2), drawn as a labelled dashed line. Regions with fewer answers than
    the threshold are left out, with the note.
    """
    sup = _suppression(suppression)
    small = pd.Series(np.atleast_1d(sup.is_small(table["n"].to_numpy())), index=table.index)
    if "suppressed" in table:
        small |= table["suppressed"].fillna(False).astype(bool)
    omitted = bool(small.any())
    data = table[~small].dropna(subset=["mean"]).sort_values("mean").reset_index(drop=True)
    ref_value, ref_label = _reference(reference, lang)
    ax = _new_ax(ax, height=max(2.4, 0.42 * len(data) + 1.4), width=7.5)
    is_hl = (data["region"].astype(str) == str(highlight)).to_numpy() if highlight is not None \
        else np.zeros(len(data), bool)
    mean = data["mean"].to_numpy(dtype=float)
    below = np.clip(np.nan_to_num(mean - data["ci_low"].to_numpy(dtype=float)), 0, None)   # no interval: 0
    above = np.clip(np.nan_to_num(data["ci_high"].to_numpy(dtype=float) - mean), 0, None)
    for chosen, style in ((~is_hl, dict(fmt="o", markersize=6, elinewidth=1.2, color=LINE_COLOURS[0])),
                          (is_hl, dict(fmt="D", markersize=9, elinewidth=2.2, color=LINE_COLOURS[1]))):
        if chosen.any():   # one errorbar call per style: 22 regions draw as 2 artists, not 22
            ax.errorbar(mean[chosen], np.flatnonzero(chosen), xerr=[below[chosen], above[chosen]], capsize=3,
                        zorder=3, **style)
    labels = [(y, f"{fmt_number(row['mean'], lang)} (n = {format_count(row['n'])})" + ("  \u25c0" if hl else ""), hl)
              for (y, row), hl in zip(data.iterrows(), is_hl)]
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels(data["region"].astype(str), fontsize=9)
    for tick, region in zip(ax.get_yticklabels(), data["region"].astype(str)):
        if highlight is not None and region == str(highlight):
            tick.set_fontweight("bold")
    top = len(data) - 0.4
    if ref_value is not None:
        ax.axvline(ref_value, color=INK, linestyle="--", linewidth=1, zorder=1)
        ax.text(ref_value, top + 0.05, f" {ref_label} {fmt_number(ref_value, lang)}", fontsize=8, va="bottom",
                ha="left", color=INK)
    ax.set_ylim(-0.6, top + (0.7 if ref_value is not None else 0.3))
    if len(data):
        lo = np.nanmin([data["ci_low"].min(), data["mean"].min()] + ([ref_value] if ref_value is not None else []))
        hi = np.nanmax([data["ci_high"].max(), data["mean"].max()] + ([ref_value] if ref_value is not None else []))
        span = hi - lo if hi > lo else 1.0
        ax.set_xlim(lo - 0.06 * span, hi + 0.45 * span)
        column = hi + 0.04 * span          # value labels in one column, right of every interval and line
        for y, text, is_hl in labels:
            ax.text(column, y, text, va="center", fontsize=8, fontweight="bold" if is_hl else "normal", color=INK)
    else:
        ax.text(0.5, 0.5, t("fig.no_data", lang), ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel(xlabel or t("fig.mean", lang), fontsize=9)
    whole = bool(len(data)) and data["mean"].abs().max() >= 20
    if whole:   # ticks on whole numbers in even steps (1, 2, 5, 10 …), so each label is exact
        ax.xaxis.set_major_locator(mticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10], integer=True))
    ax.xaxis.set_major_formatter(_number_formatter(lang, 0 if whole else 1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _tidy(ax)
    if omitted:
        _note(ax, t("fig.suppressed_note", lang, k=sup.threshold), offset_pt=30)
    parts = [f"{r.region} {fmt_number(r.mean, lang)}" for r in data[::-1].itertuples()]
    _set_values(ax, [t("rep.col.region", lang), t("rep.col.mean", lang), t("rep.col.ci", lang), t("rep.col.n", lang)],
                [[str(r.region), fmt_number(r.mean, lang), _interval(r.ci_low, r.ci_high, lang),
                  format_count(r.n)] for r in data[::-1].itertuples()])
    extra = []
    if highlight is not None and str(highlight) in set(data["region"].astype(str)):
        extra.append(t("fig.region_alt_highlight", lang, region=highlight))
    if ref_value is not None:
        extra.append(t("fig.reference_alt", lang, label=ref_label, value=fmt_number(ref_value, lang)))
    if omitted:
        extra.append(t("fig.suppressed_note", lang, k=sup.threshold))
    alt = " ".join([t("fig.region_alt", lang, n=len(data)) + " " + ", ".join(parts) + ".", *extra])
    return _set_alt(ax, alt, head=" ".join([t("fig.region_alt", lang, n=len(data)).rstrip(":") + ".", *extra]))


FIGURE_MIME = {"svg": "image/svg+xml", "png": "image/png"}


def figure_image(ax, fmt: str = "svg", dpi: int = 110) -> tuple[str, str, str]:
    """The figure of ``ax`` as ``(mime type, base64 data, alt text)``; the figure is closed.

    ``fmt`` is 'svg' (default: vector, text kept as text, in the fonts of the reader's
    system) or 'png' (``dpi`` pixels per inch). The figure is cut to what it draws (the
    tight bounding box plus 0.1 inch), which is why the plot functions need no ``tight_layout``.
    The alt text is the one the plot function generated (see :func:`alt_text`).
    """
    if fmt not in FIGURE_MIME:
        raise ValueError(f"figure format {fmt!r}: expected one of {', '.join(FIGURE_MIME)}")
    fig = ax.figure
    try:
        if fmt == "svg":
            data = svg_bytes(fig, dpi)
        else:
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", pad_inches=PAD_INCHES, facecolor="white")
            data = buf.getvalue()
    finally:
        plt.close(fig)
    mime = FIGURE_MIME[fmt]
    return mime, base64.b64encode(data).decode("ascii"), getattr(fig, "osallisuus_alt", "")


